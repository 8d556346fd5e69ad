/**
 * What the role `failover.yml` assumes may do: exactly what `npm run failover` calls
 * (tools/failover/steps.ts, sessions.ts), each scoped to this platform's resources. CiAccess's
 * `failoverRole` attaches it.
 */
import * as pulumi from "@pulumi/pulumi";
import { AwsContext, Statement } from "../lib/aws";

/** What the failover role may touch, per region. */
export interface FailoverRoleArgs {
  /** The Aurora global cluster's identifier. */
  globalClusterId: pulumi.Input<string>;
  /** The ElastiCache Global Datastore's full id (its resource id), when the regions' Redis share one. Default: none (no sessions grant). */
  globalDatastoreId?: pulumi.Input<string>;
  regions: {
    region: pulumi.Input<string>;
    clusterArn: pulumi.Input<string>;
    clusterName: pulumi.Input<string>;
    serviceNames: pulumi.Input<string>[];
    scheduleGroupName?: pulumi.Input<string>;
    scheduleNames: string[];
    schedulerRoleArn?: pulumi.Input<string>;
  }[];
}

/** The role's statements, per region where the resource has one. */
export function failoverStatements(ctx: AwsContext, args: FailoverRoleArgs): pulumi.Input<Statement>[] {
  const inRegion = (service: string, region: pulumi.Input<string>, resource: pulumi.Input<string>) => pulumi.interpolate`arn:${ctx.partition}:${service}:${region}:${ctx.accountId}:${resource}`;
  const statements: pulumi.Input<Statement>[] = [
    {
      sid: "MoveTheWriter",
      effect: "Allow",
      actions: ["rds:DescribeGlobalClusters", "rds:SwitchoverGlobalCluster", "rds:FailoverGlobalCluster"],
      resources: [pulumi.interpolate`arn:${ctx.partition}:rds::${ctx.accountId}:global-cluster:${args.globalClusterId}`, ...args.regions.map((r) => r.clusterArn)],
    },
    {
      sid: "ScaleServices",
      effect: "Allow",
      actions: ["ecs:DescribeServices", "ecs:UpdateService"],
      resources: args.regions.flatMap((r) => r.serviceNames.map((svc) => inRegion("ecs", r.region, pulumi.interpolate`service/${r.clusterName}/${svc}`))),
    },
    {
      sid: "RaiseScalingFloors",
      effect: "Allow",
      actions: ["application-autoscaling:RegisterScalableTarget"],
      resources: args.regions.map((r) => inRegion("application-autoscaling", r.region, "scalable-target/*")),
    },
    ...(args.regions.some((r) => r.scheduleNames.length)
      ? [
          {
            sid: "MoveTheClock",
            effect: "Allow",
            actions: ["scheduler:GetSchedule", "scheduler:UpdateSchedule"],
            resources: args.regions.flatMap((r) => r.scheduleNames.map((n) => inRegion("scheduler", r.region, pulumi.interpolate`schedule/${r.scheduleGroupName}/${n}`))),
          },
          {
            // UpdateSchedule writes the whole schedule back, its target role included.
            sid: "PassSchedulerRoles",
            effect: "Allow",
            actions: ["iam:PassRole"],
            resources: args.regions.flatMap((r) => (r.schedulerRoleArn ? [r.schedulerRoleArn] : [])),
            conditions: [{ test: "StringEquals", variable: "iam:PassedToService", values: ["scheduler.amazonaws.com"] }],
          },
        ]
      : []),
    // The RPO lag check reads metrics: GetMetricData's only resource type is an optional CloudWatch
    // dataset, so reading metrics needs "*"
    // (https://docs.aws.amazon.com/service-authorization/latest/reference/list_amazoncloudwatch.html, read 2026-12-01);
    // aws:RequestedRegion keeps it to the regions the role watches
    // (https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_condition-keys.html#condition-keys-requestedregion).
    {
      sid: "ReadLag",
      effect: "Allow",
      actions: ["cloudwatch:GetMetricData"],
      resources: ["*"],
      conditions: [{ test: "StringEquals", variable: "aws:RequestedRegion", values: args.regions.map((r) => r.region) }],
    },
    // The sessions step: both actions take only the global replication group, whose ARN has no
    // region (https://docs.aws.amazon.com/service-authorization/latest/reference/list_amazonelasticache.html,
    // resource type globalreplicationgroup, read 2026-12-01).
    ...(args.globalDatastoreId
      ? [
          {
            sid: "MoveTheSessions",
            effect: "Allow",
            actions: ["elasticache:DescribeGlobalReplicationGroups", "elasticache:FailoverGlobalReplicationGroup"],
            resources: [pulumi.interpolate`arn:${ctx.partition}:elasticache::${ctx.accountId}:globalreplicationgroup:${args.globalDatastoreId}`],
          },
        ]
      : []),
  ];
  return statements;
}
