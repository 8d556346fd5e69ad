import * as aws from "@pulumi/aws";
import * as datadog from "@pulumi/datadog";
import * as pulumi from "@pulumi/pulumi";
import { AwsContext, awsContext, policyDocument } from "../lib/aws";

/** IAM's limit on a managed policy document, in characters (whitespace excluded). */
export const MANAGED_POLICY_LIMIT = 6144;
/** Managed policies the permission list is split over (Datadog's list does not fit one). */
export const PERMISSION_POLICIES = 2;

/**
 * Splits Datadog's permission list into `parts` sorted, contiguous, non-empty groups whose policy
 * documents each fit `limit`; throws with what to change when they do not.
 */
export function splitPermissions(actions: string[], parts: number, limit = MANAGED_POLICY_LIMIT): string[][] {
  const sorted = [...new Set(actions)].sort();
  if (sorted.length < parts) throw new Error(`Datadog returned ${sorted.length} IAM permissions, fewer than the ${parts} policies that hold them`);
  const size = Math.ceil(sorted.length / parts);
  const groups = Array.from({ length: parts }, (_, i) => sorted.slice(i * size, (i + 1) * size)).filter((g) => g.length > 0);
  for (const g of groups) {
    const length = JSON.stringify({ Version: "2012-10-17", Statement: [{ Effect: "Allow", Action: g, Resource: "*" }] }).length;
    if (length > limit) {
      throw new Error(`Datadog's IAM permission list needs more than ${parts} managed policies (one would be ${length} > ${limit} characters); raise PERMISSION_POLICIES`);
    }
  }
  return groups;
}

/**
 * Actions of Datadog's list that change resources, left out because the role is read-only and the
 * platform uses none of the features they serve: CloudWatch subscription filters and S3 bucket
 * notifications are how Datadog subscribes its Lambda forwarder to log sources
 * (https://docs.datadoghq.com/logs/guide/send-aws-services-logs-with-the-datadog-lambda-function/, read
 * 2026-12-01), and logs arrive through Firehose here (`logsConfig.lambdaForwarder` stays empty);
 * CreateEventBus is for Datadog's EventBridge integration (no `datadog.aws.IntegrationEventBridge`);
 * sns:Publish is for Datadog sending to SNS topics (unverified which feature; the monitors notify
 * through Opsgenie and Slack handles, routing.ts). The pack refuses write actions on "*"
 * (no-unconstrained-write), so a write Datadog adds to its list fails the preview until it is placed.
 */
export const DATADOG_WRITES_LEFT_OUT = ["logs:PutSubscriptionFilter", "logs:DeleteSubscriptionFilter", "s3:PutBucketNotification", "events:CreateEventBus", "sns:Publish"];

export interface DatadogIntegrationArgs {
  /** Name of the role Datadog assumes (IntegrationAccount refers to it by name). */
  roleName: string;
  /** AWS account Datadog assumes the role from (depends on the Datadog site). */
  datadogAwsAccount: string;
  /** Regions to collect from: the primary and, in prod, the Global Database's secondary. */
  regions: string[];
  /** CloudWatch namespaces to collect; everything else is excluded. */
  namespaces: string[];
  tagFilters: { namespace: string; tags: string[] }[];
  /** Tags Datadog adds to every metric of this account (env:prod, ...). */
  accountTags: string[];
}

/**
 * Datadog's AWS integration for this account: an external id, the role Datadog assumes with that
 * id as the condition and the read-only permissions Datadog publishes (its permission list plus
 * AWS's SecurityAudit, less {@link DATADOG_WRITES_LEFT_OUT}), and the integration account itself. Logs arrive through Firehose, not
 * Datadog's Lambda forwarder, so log autosubscription is left empty.
 */
export class DatadogIntegration extends pulumi.ComponentResource {
  readonly roleArn: pulumi.Output<string>;

  constructor(name: string, args: DatadogIntegrationArgs, opts?: pulumi.ComponentResourceOptions) {
    super("platform:observability:DatadogIntegration", name, {}, opts);
    const o = { parent: this };
    const ctx: AwsContext = awsContext(this);
    const externalId = new datadog.aws.IntegrationExternalId(name, {}, o);

    const role = new aws.iam.Role(
      name,
      {
        name: args.roleName,
        description: "Assumed by Datadog's AWS integration (read-only)",
        maxSessionDuration: 3600,
        assumeRolePolicy: policyDocument(this, [
          {
            effect: "Allow",
            actions: ["sts:AssumeRole"],
            principals: [{ type: "AWS", identifiers: [pulumi.interpolate`arn:${ctx.partition}:iam::${args.datadogAwsAccount}:root`] }],
            conditions: [{ test: "StringEquals", variable: "sts:ExternalId", values: [externalId.id] }],
          },
        ]),
      },
      o,
    );
    new aws.iam.RolePolicyAttachment(`${name}-security-audit`, { role: role.name, policyArn: pulumi.interpolate`arn:${ctx.partition}:iam::aws:policy/SecurityAudit` }, o);

    const permissions = datadog.aws.getIntegrationIamPermissionsOutput(o).iamPermissions.apply((list) => splitPermissions(list.filter((a) => !DATADOG_WRITES_LEFT_OUT.includes(a)), PERMISSION_POLICIES));
    const attachments = Array.from({ length: PERMISSION_POLICIES }, (_, i) => {
      const policy = new aws.iam.Policy(
        `${name}-permissions-${i + 1}`,
        {
          description: `Datadog integration permissions, part ${i + 1} of ${PERMISSION_POLICIES} (Datadog's published list, read-only)`,
          policy: permissions.apply((groups) => JSON.stringify({ Version: "2012-10-17", Statement: [{ Effect: "Allow", Action: groups[i], Resource: "*" }] })),
        },
        o,
      );
      return new aws.iam.RolePolicyAttachment(`${name}-permissions-${i + 1}`, { role: role.name, policyArn: policy.arn }, o);
    });

    new datadog.aws.IntegrationAccount(
      name,
      {
        awsAccountId: ctx.accountId,
        awsPartition: ctx.partition,
        accountTags: args.accountTags,
        authConfig: { awsAuthConfigRole: { roleName: role.name, externalId: externalId.id } },
        awsRegions: { includeOnlies: args.regions },
        metricsConfig: {
          namespaceFilters: { includeOnlies: args.namespaces },
          tagFilters: args.tagFilters,
          collectCloudwatchAlarms: true,
          automuteEnabled: true,
        },
        logsConfig: { lambdaForwarder: {} },
        resourcesConfig: { extendedCollection: true, cloudSecurityPostureManagementCollection: false },
        tracesConfig: { xrayServices: {} },
      },
      // Datadog checks the role when the account is created: it must be able to assume it by then.
      { ...o, dependsOn: attachments },
    );
    this.roleArn = role.arn;
    this.registerOutputs({ roleArn: this.roleArn });
  }
}
