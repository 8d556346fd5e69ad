import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";

export interface ClusterArgs {
  /** `onDemand` (FARGATE), `spot` (FARGATE_SPOT) or `mixed` (a base of on-demand tasks, the rest Spot). */
  capacity: "onDemand" | "spot" | "mixed";
  /** ECS Exec sessions and their logs are encrypted with this key. */
  kmsKeyArn: pulumi.Input<string>;
  logRetentionDays: number;
}

/** On-demand tasks kept under `mixed` so a Spot reclaim never takes a service to zero. */
const MIXED_ON_DEMAND_BASE = 2;

export interface Cluster {
  cluster: aws.ecs.Cluster;
  /** Where ECS Exec sessions are logged. */
  execLogGroup: aws.cloudwatch.LogGroup;
  /** Strategy for services (also set as the cluster default). */
  capacityProviderStrategy: { capacityProvider: string; weight: number; base?: number }[];
}

export function capacityStrategy(capacity: ClusterArgs["capacity"]): Cluster["capacityProviderStrategy"] {
  switch (capacity) {
    case "onDemand":
      return [{ capacityProvider: "FARGATE", weight: 1 }];
    case "spot":
      return [{ capacityProvider: "FARGATE_SPOT", weight: 1 }];
    case "mixed":
      return [
        { capacityProvider: "FARGATE", weight: 1, base: MIXED_ON_DEMAND_BASE },
        { capacityProvider: "FARGATE_SPOT", weight: 3 },
      ];
  }
}

/** ECS cluster with Container Insights, Fargate and Fargate Spot, and ECS Exec encrypted and logged. */
export function ecsCluster(parent: pulumi.Resource, name: string, args: ClusterArgs): Cluster {
  const opts = { parent };
  const execLogGroup = new aws.cloudwatch.LogGroup(
    `${name}-exec`,
    { name: `/ecs/${name}/exec`, retentionInDays: args.logRetentionDays, kmsKeyId: args.kmsKeyArn },
    opts,
  );
  const cluster = new aws.ecs.Cluster(
    name,
    {
      name,
      settings: [{ name: "containerInsights", value: "enhanced" }],
      configuration: {
        executeCommandConfiguration: {
          kmsKeyId: args.kmsKeyArn,
          logging: "OVERRIDE",
          logConfiguration: { cloudWatchEncryptionEnabled: true, cloudWatchLogGroupName: execLogGroup.name },
        },
      },
    },
    opts,
  );
  const capacityProviderStrategy = capacityStrategy(args.capacity);
  new aws.ecs.ClusterCapacityProviders(
    name,
    { clusterName: cluster.name, capacityProviders: ["FARGATE", "FARGATE_SPOT"], defaultCapacityProviderStrategies: capacityProviderStrategy },
    opts,
  );
  return { cluster, execLogGroup, capacityProviderStrategy };
}

/** The desired-count scaling target of an ECS service, between `min` and `max` tasks. */
export function scalableTaskCount(
  parent: pulumi.Resource,
  name: string,
  cluster: Cluster,
  service: aws.ecs.Service,
  bounds: { min: number; max: number },
): aws.appautoscaling.Target {
  return new aws.appautoscaling.Target(
    name,
    {
      serviceNamespace: "ecs",
      scalableDimension: "ecs:service:DesiredCount",
      resourceId: pulumi.interpolate`service/${cluster.cluster.name}/${service.name}`,
      minCapacity: bounds.min,
      maxCapacity: bounds.max,
    },
    { parent },
  );
}
