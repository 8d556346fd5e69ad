import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { AwsContext, Statement, policyDocument } from "../lib/aws";
import { Cluster, scalableTaskCount } from "./cluster";
import { Task, TaskPlatform, fargateTask } from "./task";
import { ResolvedQueue } from "./defaults";

/** Days the bus archive keeps events for replay. */
export const EVENT_ARCHIVE_DAYS = 30;
/** Headroom on top of the worker's timeout before a message becomes visible again. */
export const VISIBILITY_MARGIN_SECONDS = 60;

/** The application event bus, with an archive so events can be replayed after an incident. */
export function eventBus(parent: pulumi.Resource, name: string, kmsKeyArn: pulumi.Input<string>): aws.cloudwatch.EventBus {
  const bus = new aws.cloudwatch.EventBus(name, { name, kmsKeyIdentifier: kmsKeyArn, description: "Application events" }, { parent });
  new aws.cloudwatch.EventArchive(name, { name, eventSourceArn: bus.arn, retentionDays: EVENT_ARCHIVE_DAYS, kmsKeyIdentifier: kmsKeyArn }, { parent });
  return bus;
}

export interface WorkQueue {
  spec: ResolvedQueue;
  queue: aws.sqs.Queue;
  deadLetter: aws.sqs.Queue;
}

/** Statement denying any request to a queue that is not over TLS. */
export function denyInsecureTransport(queueArn: pulumi.Input<string>): Statement {
  return {
    sid: "DenyInsecureTransport",
    effect: "Deny",
    principals: [{ type: "*", identifiers: ["*"] }],
    actions: ["sqs:*"],
    resources: [queueArn],
    conditions: [{ test: "Bool", variable: "aws:SecureTransport", values: ["false"] }],
  };
}

/**
 * A queue with its dead-letter queue (both KMS-encrypted, TLS only), the visibility timeout
 * following the worker's timeout, and EventBridge rules routing the configured patterns into it.
 */
export function workQueue(
  parent: pulumi.Resource,
  prefix: string,
  spec: ResolvedQueue,
  deps: { kmsKeyArn: pulumi.Input<string>; bus: aws.cloudwatch.EventBus; ctx: AwsContext },
): WorkQueue {
  const opts = { parent };
  const name = `${prefix}-${spec.name}`;
  const encryption = { kmsMasterKeyId: deps.kmsKeyArn, kmsDataKeyReusePeriodSeconds: 300 };
  const deadLetter = new aws.sqs.Queue(`${name}-dlq`, { name: `${name}-dlq`, messageRetentionSeconds: 14 * 86400, ...encryption }, opts);
  const queue = new aws.sqs.Queue(
    name,
    {
      name,
      ...encryption,
      messageRetentionSeconds: spec.retentionDays * 86400,
      visibilityTimeoutSeconds: spec.processor.timeoutSeconds + VISIBILITY_MARGIN_SECONDS,
      receiveWaitTimeSeconds: 20,
      redrivePolicy: pulumi.jsonStringify({ deadLetterTargetArn: deadLetter.arn, maxReceiveCount: spec.maxReceiveCount }),
    },
    opts,
  );
  // Only this queue may use the DLQ.
  new aws.sqs.RedriveAllowPolicy(`${name}-dlq`, { queueUrl: deadLetter.url, redriveAllowPolicy: pulumi.jsonStringify({ redrivePermission: "byQueue", sourceQueueArns: [queue.arn] }) }, opts);
  new aws.sqs.QueuePolicy(`${name}-dlq`, { queueUrl: deadLetter.url, policy: policyDocument(parent, [denyInsecureTransport(deadLetter.arn)]) }, opts);

  const rules = spec.events.map(
    (pattern, i) =>
      new aws.cloudwatch.EventRule(
        `${name}-${i}`,
        {
          eventBusName: deps.bus.name,
          description: `Routes ${pattern.source.join(", ")} events to ${spec.name}`,
          eventPattern: JSON.stringify({ source: pattern.source, ...(pattern.detailType ? { "detail-type": pattern.detailType } : {}) }),
        },
        opts,
      ),
  );
  const statements: pulumi.Input<Statement>[] = [denyInsecureTransport(queue.arn)];
  if (rules.length) {
    statements.push({
      sid: "EventBridgeRules",
      effect: "Allow",
      principals: [{ type: "Service", identifiers: ["events.amazonaws.com"] }],
      actions: ["sqs:SendMessage"],
      resources: [queue.arn],
      conditions: [{ test: "ArnEquals", variable: "aws:SourceArn", values: rules.map((r) => r.arn) }],
    });
  }
  const policy = new aws.sqs.QueuePolicy(name, { queueUrl: queue.url, policy: policyDocument(parent, statements) }, opts);
  rules.forEach(
    (rule, i) => new aws.cloudwatch.EventTarget(`${name}-${i}`, { rule: rule.name, eventBusName: deps.bus.name, arn: queue.arn }, { parent, dependsOn: [policy] }),
  );
  return { spec, queue, deadLetter };
}

export interface JobProcessorArgs {
  queue: WorkQueue;
  platform: TaskPlatform;
  repository: { arn: pulumi.Input<string>; url: pulumi.Input<string> };
  imageTag: string;
  cluster: Cluster;
  subnetIds: pulumi.Input<string[]>;
  securityGroupId: pulumi.Input<string>;
  /** Task bounds here, when not the queue's own (a warm standby scales processors to zero). */
  bounds?: { min: number; max: number };
}

/** Scale-out steps: at most this many, spread evenly between 1 and maxTasks. */
const MAX_STEPS = 10;
/** Minutes of an empty queue before the processor scales back to its minimum. */
export const SCALE_IN_IDLE_MINUTES = 15;

/**
 * The ECS service that drains one queue: receives and deletes only on its own queue, scales on
 * the queue's backlog (to zero when `minTasks` is 0), rolls back a failed deployment.
 */
export class JobProcessor extends pulumi.ComponentResource {
  readonly service: aws.ecs.Service;
  readonly task: Task;

  constructor(name: string, args: JobProcessorArgs, opts?: pulumi.ComponentResourceOptions) {
    super("platform:compute:JobProcessor", name, {}, opts);
    const parent = { parent: this };
    const { spec, queue } = args.queue;
    const p = spec.processor;
    const bounds = args.bounds ?? { min: p.minTasks, max: p.maxTasks };

    this.task = fargateTask(
      this,
      name,
      {
        ...p,
        container: "worker",
        repository: args.repository,
        imageTag: args.imageTag,
        readOnlyRootFilesystem: true,
        environment: { ...p.environment, JOB_TIMEOUT_SECONDS: String(p.timeoutSeconds) },
      },
      { ...args.platform, environment: { ...args.platform.environment, QUEUE_URL: queue.url } },
    );
    new aws.iam.RolePolicy(
      `${name}-consume`,
      {
        role: this.task.taskRole.id,
        policy: policyDocument(this, [
          { sid: "ConsumeOwnQueue", effect: "Allow", actions: ["sqs:ReceiveMessage", "sqs:DeleteMessage", "sqs:ChangeMessageVisibility", "sqs:GetQueueAttributes"], resources: [queue.arn] },
          { sid: "DecryptMessages", effect: "Allow", actions: ["kms:Decrypt"], resources: [args.platform.kmsKeyArn] },
        ]),
      },
      parent,
    );

    this.service = new aws.ecs.Service(
      name,
      {
        name: `${spec.name}-worker`,
        cluster: args.cluster.cluster.arn,
        taskDefinition: this.task.definition.arn,
        desiredCount: bounds.min,
        capacityProviderStrategies: args.cluster.capacityProviderStrategy,
        availabilityZoneRebalancing: "ENABLED",
        propagateTags: "SERVICE",
        enableEcsManagedTags: true,
        networkConfiguration: { subnets: args.subnetIds, securityGroups: [args.securityGroupId], assignPublicIp: false },
        deploymentCircuitBreaker: { enable: true, rollback: true },
        tags: { queue: spec.name },
      },
      { parent: this, ignoreChanges: ["desiredCount", "taskDefinition"] },
    );

    const target = scalableTaskCount(this, name, args.cluster, this.service, bounds);
    const policy = (kind: string, steps: aws.types.input.appautoscaling.PolicyStepScalingPolicyConfigurationStepAdjustment[]) =>
      new aws.appautoscaling.Policy(
        `${name}-${kind}`,
        {
          policyType: "StepScaling",
          serviceNamespace: target.serviceNamespace,
          scalableDimension: target.scalableDimension,
          resourceId: target.resourceId,
          stepScalingPolicyConfiguration: { adjustmentType: "ExactCapacity", cooldown: 60, metricAggregationType: "Maximum", stepAdjustments: steps },
        },
        parent,
      );
    const scaleOut = policy("scale-out", backlogSteps(p.maxTasks, p.messagesPerTask));
    const scaleIn = policy("scale-in", [{ metricIntervalUpperBound: "0", scalingAdjustment: bounds.min }]);
    const visible = { namespace: "AWS/SQS", metricName: "ApproximateNumberOfMessagesVisible", dimensions: { QueueName: queue.name }, statistic: "Maximum", period: 60 };
    new aws.cloudwatch.MetricAlarm(
      `${name}-backlog`,
      { ...visible, comparisonOperator: "GreaterThanThreshold", threshold: 0, evaluationPeriods: 1, alarmActions: [scaleOut.arn], alarmDescription: `${spec.name} has messages: scale its processor out` },
      parent,
    );
    new aws.cloudwatch.MetricAlarm(
      `${name}-idle`,
      {
        comparisonOperator: "LessThanOrEqualToThreshold",
        threshold: 0,
        evaluationPeriods: SCALE_IN_IDLE_MINUTES,
        alarmActions: [scaleIn.arn],
        alarmDescription: `${spec.name} has been empty for ${SCALE_IN_IDLE_MINUTES} minutes: scale its processor in`,
        // Messages in flight count too: a long job must not be stopped mid-way.
        metricQueries: [
          { id: "visible", metric: { ...sqsMetric("ApproximateNumberOfMessagesVisible", queue.name) } },
          { id: "inflight", metric: { ...sqsMetric("ApproximateNumberOfMessagesNotVisible", queue.name) } },
          { id: "total", expression: "visible + inflight", label: "messages visible or in flight", returnData: true },
        ],
      },
      parent,
    );
    this.registerOutputs({ serviceName: this.service.name });
  }
}

function sqsMetric(metricName: string, queueName: pulumi.Input<string>) {
  return { namespace: "AWS/SQS", metricName, dimensions: { QueueName: queueName }, stat: "Maximum", period: 60 };
}

/**
 * Step adjustments (relative to a threshold of 0 visible messages) that set the task count to
 * ceil(backlog / messagesPerTask), capped at maxTasks, in at most MAX_STEPS steps.
 */
export function backlogSteps(maxTasks: number, messagesPerTask: number): { metricIntervalLowerBound: string; metricIntervalUpperBound?: string; scalingAdjustment: number }[] {
  const steps = Math.min(maxTasks, MAX_STEPS);
  const tasksAt = (i: number) => Math.ceil(((i + 1) * maxTasks) / steps);
  return Array.from({ length: steps }, (_, i) => ({
    metricIntervalLowerBound: String(i === 0 ? 0 : tasksAt(i - 1) * messagesPerTask),
    ...(i < steps - 1 ? { metricIntervalUpperBound: String(tasksAt(i) * messagesPerTask) } : {}),
    scalingAdjustment: tasksAt(i),
  }));
}
