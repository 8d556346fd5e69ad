import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { AwsContext, awsContext, policyDocument, serviceTrustPolicy } from "../lib/aws";
import { customerKey, logsKeyStatement } from "../lib/kms";

/** Tag naming why an alarm may have its actions off (the policy pack exempts alarms that carry it). */
export const ACTIONS_OFF_TAG = "actions-off";

export interface PagingTopicArgs {
  /** HTTPS endpoint that pages (Opsgenie's CloudWatch integration); no subscription when unset. */
  endpoint?: pulumi.Input<string>;
  /** Pulumi-protect the topic's key. */
  protect: boolean;
  /** Days the topic's delivery-status log groups keep events (a CloudWatch retention value, e.g. 30). */
  deliveryLogRetentionDays: number;
}

/**
 * An SNS topic CloudWatch alarms publish to, encrypted with its own key (CloudWatch cannot use the
 * AWS-managed SNS key), that only CloudWatch alarms of this account may publish to, over TLS, and
 * that logs the status of every delivery to the pager (HTTP/S) in CloudWatch Logs.
 */
export class PagingTopic extends pulumi.ComponentResource {
  readonly arn: pulumi.Output<string>;

  constructor(name: string, args: PagingTopicArgs, opts?: pulumi.ComponentResourceOptions) {
    super("platform:observability:PagingTopic", name, {}, opts);
    const o = { parent: this };
    const ctx: AwsContext = awsContext(this);
    const fromOurAlarms = [
      { test: "StringEquals", variable: "aws:SourceAccount", values: [ctx.accountId] },
      { test: "ArnLike", variable: "aws:SourceArn", values: [pulumi.interpolate`arn:${ctx.partition}:cloudwatch:${ctx.region}:${ctx.accountId}:alarm:*`] },
    ];
    const key = customerKey(
      name,
      {
        description: `${name}: last-resort alarm topic`,
        ctx,
        statements: [
          {
            sid: "CloudWatchAlarmsPublish",
            effect: "Allow",
            principals: [{ type: "Service", identifiers: ["cloudwatch.amazonaws.com"] }],
            actions: ["kms:Decrypt", "kms:GenerateDataKey*"],
            resources: ["*"],
            conditions: [{ test: "StringEquals", variable: "aws:SourceAccount", values: [ctx.accountId] }],
          },
          // The delivery-status log groups are encrypted with this key too.
          logsKeyStatement(ctx),
        ],
      },
      { ...o, protect: args.protect },
    );
    // Delivery-status logging (FSBP SNS.2): SNS assumes this role to write each HTTP/S delivery's
    // outcome to CloudWatch Logs, so a page Opsgenie never accepted leaves a record. Permissions and
    // the group name sns/<region>/<account-id>/<topic-name> from
    // https://docs.aws.amazon.com/sns/latest/dg/topics-attrib-prereq.html (read 2026-12-01).
    const feedback = new aws.iam.Role(`${name}-delivery-status`, { assumeRolePolicy: serviceTrustPolicy(this, "sns.amazonaws.com", ctx) }, o);
    const topic = new aws.sns.Topic(
      name,
      { kmsMasterKeyId: key.arn, httpFailureFeedbackRoleArn: feedback.arn, httpSuccessFeedbackRoleArn: feedback.arn, httpSuccessFeedbackSampleRate: 100 },
      o,
    );
    const logGroup = pulumi.interpolate`sns/${ctx.region}/${ctx.accountId}/${topic.name}`;
    // Created here so that they are encrypted and expire; failures go to the group with the /Failure
    // suffix (the console's name for it; the page above names only the first: unverified).
    for (const [suffix, groupName] of [["success", logGroup], ["failure", pulumi.interpolate`${logGroup}/Failure`]] as const) {
      new aws.cloudwatch.LogGroup(`${name}-delivery-${suffix}`, { name: groupName, retentionInDays: args.deliveryLogRetentionDays, kmsKeyId: key.arn }, o);
    }
    new aws.iam.RolePolicy(
      `${name}-delivery-status`,
      {
        role: feedback.id,
        policy: policyDocument(this, [
          {
            sid: "DeliveryStatusLogs",
            effect: "Allow",
            actions: ["logs:CreateLogGroup", "logs:CreateLogStream", "logs:PutLogEvents"],
            // The topic's two groups and their streams only.
            resources: [pulumi.interpolate`arn:${ctx.partition}:logs:${ctx.region}:${ctx.accountId}:log-group:${logGroup}*`],
          },
        ]),
      },
      o,
    );
    new aws.sns.TopicPolicy(
      name,
      {
        arn: topic.arn,
        policy: policyDocument(this, [
          {
            sid: "CloudWatchAlarmsPublish",
            effect: "Allow",
            principals: [{ type: "Service", identifiers: ["cloudwatch.amazonaws.com"] }],
            actions: ["sns:Publish"],
            resources: [topic.arn],
            conditions: fromOurAlarms,
          },
          {
            sid: "DenyInsecureTransport",
            effect: "Deny",
            principals: [{ type: "*", identifiers: ["*"] }],
            actions: ["sns:Publish", "sns:Subscribe"],
            resources: [topic.arn],
            conditions: [{ test: "Bool", variable: "aws:SecureTransport", values: ["false"] }],
          },
        ]),
      },
      o,
    );
    if (args.endpoint) {
      new aws.sns.TopicSubscription(name, { topic: topic.arn, protocol: "https", endpoint: args.endpoint, endpointAutoConfirms: true }, o);
    }
    this.arn = topic.arn;
    this.registerOutputs({ arn: this.arn });
  }
}

export interface LastResortAlarmsArgs {
  /** Paging endpoint (prod); without it the alarms still show in CloudWatch and Datadog. */
  endpoint?: pulumi.Input<string>;
  protect: boolean;
  /** Days each paging topic's delivery-status log groups keep events (a CloudWatch retention value). */
  deliveryLogRetentionDays: number;
  /** 5xx responses (ALB and targets together) in 5 minutes that page. */
  albFiveXxPerFiveMinutes: number;
  /** Every region, the component's own first: each gets a paging topic of its own region and its alarms. */
  regions: AlarmedRegion[];
}

/** One region's last-resort alarms. */
export interface AlarmedRegion {
  /** The region's AWS provider. Default: the component's own. */
  provider?: aws.Provider;
  /** Appended to the names of the region's topic and alarms: `""` for the first region. */
  nameSuffix: string;
  /** Its ALB and every dead-letter queue (one message there pages); absent for a database-only region. */
  application?: { albArnSuffix: pulumi.Input<string>; deadLetterQueues: { name: string; queueName: pulumi.Input<string> }[] };
  /**
   * The region's cluster in a Global Database: its RPO-lag alarm, whose actions are on (`pages`)
   * while that cluster is the secondary (only a secondary reports the metric).
   */
  replicationLag?: { region: string; clusterIdentifier: pulumi.Input<string>; pages: boolean };
}

/**
 * The few CloudWatch alarms that must page even when Datadog is down: an ALB 5xx surge, any dead
 * letter, and the global database's replication lag (alarmed in each cluster's region, where
 * CloudWatch has the metric, through a topic of that region).
 */
export class LastResortAlarms extends pulumi.ComponentResource {
  readonly topicArns: pulumi.Output<string>[];

  constructor(name: string, args: LastResortAlarmsArgs, opts?: pulumi.ComponentResourceOptions) {
    super("platform:observability:LastResortAlarms", name, {}, opts);
    this.topicArns = args.regions.map((r) => {
      const o = { parent: this, ...(r.provider ? { provider: r.provider } : {}) };
      const topic = new PagingTopic(`${name}-paging${r.nameSuffix}`, { endpoint: args.endpoint, protect: args.protect, deliveryLogRetentionDays: args.deliveryLogRetentionDays }, o);
      if (r.application) regionAlarms(`${name}${r.nameSuffix}`, args, r.application, topic.arn, o);
      if (r.replicationLag) replicationLagAlarm(name, r, r.replicationLag, topic.arn, o);
      return topic.arn;
    });
    this.registerOutputs({ topicArns: this.topicArns });
  }
}

/**
 * Seed 004's tier-0 RPO is 5 s. AuroraGlobalDBRPOLag is the metric AWS names for a PostgreSQL
 * global database's recovery point, reported by each secondary cluster in milliseconds
 * (https://docs.aws.amazon.com/AmazonRDS/latest/AuroraUserGuide/aurora-global-database-disaster-recovery.html).
 * Datadog publishes no metric for it, so this alarm is the guard, paging through Opsgenie's
 * CloudWatch integration like the other last-resort alarms. Every cluster has one, named by its
 * region (a switchover swaps which cluster is secondary, never the alarm's identity); only the
 * secondary's acts (`actionsEnabled`). A writer reports no lag, so missing data is not breaching:
 * the writer's alarm stays OK, and a failover that has not yet reached platform:activeRegion pages
 * nothing for the cluster that just became the writer.
 */
function replicationLagAlarm(name: string, r: AlarmedRegion, lag: NonNullable<AlarmedRegion["replicationLag"]>, topicArn: pulumi.Input<string>, o: pulumi.CustomResourceOptions): void {
  new aws.cloudwatch.MetricAlarm(
    `${name}-global-rpo-lag-${lag.region}`,
    {
      alarmDescription: "Aurora Global Database RPO lag above 5 s for 3 minutes (tier-0 RPO). Missing data is not breaching: a writer reports none, and after a switchover this cluster may be the writer until platform:activeRegion follows. Acts only while this cluster is the secondary (platform:activeRegion).",
      namespace: "AWS/RDS",
      metricName: "AuroraGlobalDBRPOLag",
      dimensions: { DBClusterIdentifier: lag.clusterIdentifier },
      statistic: "Maximum",
      period: 60,
      evaluationPeriods: 3,
      datapointsToAlarm: 3,
      comparisonOperator: "GreaterThanThreshold",
      threshold: 5000,
      // Only a secondary cluster reports the metric: right after a switchover (before the config
      // flip) the paging cluster is the writer and reports nothing, so "breaching" would page through
      // the incident. Whether a healthy secondary always emits it is unverified (docs/known-limits.md).
      treatMissingData: "notBreaching",
      actionsEnabled: lag.pages,
      // The policy pack's alarm-actions row accepts actions off with a stated reason (ACTIONS_OFF_TAG).
      // The same on both clusters' alarms, so a flip of platform:activeRegion changes only actionsEnabled.
      tags: { [ACTIONS_OFF_TAG]: "pages only while its cluster is the Global Database's secondary (platform:activeRegion)" },
      alarmActions: [topicArn],
      okActions: [topicArn],
    },
    // The second region's alarm was the only one, named without its region, before either cluster could be the secondary.
    { ...o, aliases: r.nameSuffix ? [{ name: `${name}-global-rpo-lag` }] : undefined },
  );
}

/** One region's ALB 5xx surge and dead-letter alarms, on that region's paging topic. */
function regionAlarms(
  name: string,
  args: LastResortAlarmsArgs,
  region: { albArnSuffix: pulumi.Input<string>; deadLetterQueues: { name: string; queueName: pulumi.Input<string> }[] },
  topicArn: pulumi.Input<string>,
  o: pulumi.CustomResourceOptions,
): void {
  const actions = { alarmActions: [topicArn], okActions: [topicArn] };
  new aws.cloudwatch.MetricAlarm(
    `${name}-alb-5xx-surge`,
    {
      alarmDescription: `More than ${args.albFiveXxPerFiveMinutes} 5xx responses (ALB + targets) in 5 minutes, twice in a row. Last-resort alarm: pages even when Datadog is down.`,
      comparisonOperator: "GreaterThanThreshold",
      threshold: args.albFiveXxPerFiveMinutes,
      evaluationPeriods: 2,
      datapointsToAlarm: 2,
      treatMissingData: "notBreaching",
      metricQueries: [
        { id: "elb", metric: { namespace: "AWS/ApplicationELB", metricName: "HTTPCode_ELB_5XX_Count", dimensions: { LoadBalancer: region.albArnSuffix }, period: 300, stat: "Sum" } },
        { id: "target", metric: { namespace: "AWS/ApplicationELB", metricName: "HTTPCode_Target_5XX_Count", dimensions: { LoadBalancer: region.albArnSuffix }, period: 300, stat: "Sum" } },
        { id: "total", expression: "FILL(elb, 0) + FILL(target, 0)", label: "5xx responses", returnData: true },
      ],
      ...actions,
    },
    o,
  );
  for (const q of region.deadLetterQueues) {
    new aws.cloudwatch.MetricAlarm(
      `${name}-${q.name}-dlq`,
      {
        alarmDescription: `${q.name}: a message reached the dead-letter queue. Last-resort alarm: pages even when Datadog is down.`,
        namespace: "AWS/SQS",
        metricName: "ApproximateNumberOfMessagesVisible",
        dimensions: { QueueName: q.queueName },
        statistic: "Maximum",
        period: 300,
        evaluationPeriods: 1,
        comparisonOperator: "GreaterThanThreshold",
        threshold: 0,
        treatMissingData: "notBreaching",
        ...actions,
      },
      o,
    );
  }
}
