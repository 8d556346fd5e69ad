import * as pulumi from "@pulumi/pulumi";

/** What the stack runs, as Observability watches it: every monitor and widget is generated from this. */
export interface WatchedStack {
  /** AWS region: Datadog tags AWS metrics with `region`, and cluster and service names repeat across regions. */
  region: string;
  clusterName: pulumi.Input<string>;
  /** `app/<name>/<id>` of the ALB (CloudWatch's LoadBalancer dimension). */
  albArnSuffix: pulumi.Input<string>;
  services: WatchedService[];
  queues: WatchedQueue[];
  /** DLQ of the EventBridge Scheduler schedules: a message there is a failed invocation. */
  schedulesDeadLetterQueueName?: pulumi.Input<string>;
  aurora: {
    clusterIdentifier: pulumi.Input<string>;
    /** The secondary-region cluster of the Global Database, which reports the replication lag. */
    secondary?: { clusterIdentifier: pulumi.Input<string>; region: string };
  };
  redis: { replicationGroupId: pulumi.Input<string> };
}

export interface WatchedService {
  name: string;
  /** Reachable from the internet through the edge (gets an SLO and anomaly monitors). */
  public: boolean;
  serviceName: pulumi.Input<string>;
  /** Both blue/green target groups (`targetgroup/<name>/<id>`): traffic moves between them. */
  targetGroupArnSuffixes: pulumi.Input<string>[];
}

export interface WatchedQueue {
  name: string;
  queueName: pulumi.Input<string>;
  deadLetterQueueName: pulumi.Input<string>;
  processorServiceName: pulumi.Input<string>;
}

/** Opsgenie priorities: P1 wakes someone up, P5 is informational. */
export type Priority = 1 | 2 | 3 | 4 | 5;
