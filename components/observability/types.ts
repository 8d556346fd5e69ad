import * as pulumi from "@pulumi/pulumi";

/** What the stack runs, as Observability watches it: every monitor and widget is generated from this. */
export interface WatchedStack {
  /** AWS region: Datadog tags AWS metrics with `region`, and cluster and service names repeat across regions. */
  region: string;
  /** ECS cluster name (CloudWatch's ClusterName dimension). */
  clusterName: pulumi.Input<string>;
  /** `app/<name>/<id>` of the ALB (CloudWatch's LoadBalancer dimension). */
  albArnSuffix: pulumi.Input<string>;
  /** Every service behind the ALB. */
  services: WatchedService[];
  /** Every work queue and its processor. */
  queues: WatchedQueue[];
  /** DLQ of the EventBridge Scheduler schedules: a message there is a failed invocation. */
  schedulesDeadLetterQueueName?: pulumi.Input<string>;
  /** The region's Aurora cluster the database monitors watch. */
  aurora: WatchedAurora;
  /** The Redis replication group the cache monitors watch. */
  redis: WatchedRedis;
}

/** An Aurora cluster the database monitors watch. */
export interface WatchedAurora {
  /** Cluster identifier of this region's cluster. */
  clusterIdentifier: pulumi.Input<string>;
}

/** A Redis replication group the cache monitors watch. */
export interface WatchedRedis {
  /** Replication group id. */
  replicationGroupId: pulumi.Input<string>;
}

export interface WatchedService {
  /** Service name as configured: the `service` tag of its monitors. */
  name: string;
  /** Reachable from the internet through the edge (gets an SLO and anomaly monitors). */
  public: boolean;
  /** ECS service name (CloudWatch's ServiceName dimension). */
  serviceName: pulumi.Input<string>;
  /** Both blue/green target groups (`targetgroup/<name>/<id>`): traffic moves between them. */
  targetGroupArnSuffixes: pulumi.Input<string>[];
}

export interface WatchedQueue {
  /** Queue name as configured. */
  name: string;
  /** SQS queue name. */
  queueName: pulumi.Input<string>;
  /** SQS name of its dead-letter queue: a message there pages. */
  deadLetterQueueName: pulumi.Input<string>;
  /** ECS service name of its processor. */
  processorServiceName: pulumi.Input<string>;
}

/** Opsgenie priorities: P1 wakes someone up, P5 is informational. */
export type Priority = 1 | 2 | 3 | 4 | 5;
