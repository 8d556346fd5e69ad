import * as pulumi from "@pulumi/pulumi";
import { ComputeSettings, DataEndpoints, QueueSpec, ScheduleSpec, ServiceSpec } from "./types";

export interface ComputeArgs {
  /** Prefix of account-unique names (cluster, repositories, queues): `<project>-<stack>`. */
  prefix: string;
  /** Environment name, passed to every task as PLATFORM_ENVIRONMENT. Example: `"prod"`. */
  environment: string;
  /** Deletion protection and Pulumi protect on the ALB, registries and package domain. @default false */
  protect?: boolean;
  /** Compute-wide settings: image tag, capacity, scaling, deployments, logs. */
  settings: ComputeSettings;
  /** Services behind the ALB, at least one, names unique; at most one owns the catch-all path `/*`. */
  services: ServiceSpec[];
  /** Work queues, each drained by its processor service. @default [] */
  queues?: QueueSpec[];
  /** Scheduled runs of a service's task. @default [] */
  schedules?: ScheduleSpec[];
  /** Where the ALB and the tasks live (a Network's outputs). */
  network: ComputeNetwork;
  /** A validated ACM certificate covering the public hosts. */
  certificateArn: pulumi.Input<string>;
  /**
   * S3 bucket for the ALB's access logs (under `alb/`, SSE-S3); its policy must let the region's
   * ELB account write. Default: a bucket of Compute's own (private, TLS-only, versioned, logs kept
   * 90 days, `ALB_ACCESS_LOG_DAYS`).
   */
  accessLogsBucket?: pulumi.Input<string>;
  /** Secrets the tasks may read, and the keys they are encrypted with. @default {"arns":{},"kmsKeyArns":[]} */
  secrets?: ComputeSecrets;
  /** Where the data stores are, as plain environment values for the tasks. */
  endpoints: DataEndpoints;
  /**
   * Fewest tasks each service keeps here, by service name, instead of its `scaling.minTasks`
   * (a region that stands by keeps fewer; each can still scale to its maximum). Example:
   * `{ api: 1 }`. Default: every service's own `scaling.minTasks`.
   */
  serviceMinTasks?: Record<string, number>;
  /** Job processors here: `running` (their queues' bounds) or `scaledToZero` (min = max = 0). @default "running" */
  processors?: ProcessorState;
  /** State the schedules are created in: `ENABLED` or `DISABLED`, so that only one region runs the clock. @default "ENABLED" */
  schedulesState?: ScheduleState;
  /**
   * Attach the migration gate to the services that ask for it (`migrationGate`): on in the region
   * whose database takes DDL, off elsewhere (the migration task is defined either way).
   * @default true
   */
  runMigrations?: boolean;
  /** Extra tags on every service behind the ALB (and its tasks). Example: `{ "region-serving": "standby" }`. Default none. */
  serviceTags?: Record<string, string>;
  /** Regions this region's ECR registry replicates every repository to (the standby's). Default none. */
  replicateImagesTo?: string[];
}

/** What observability needs to watch a service. */
/** A Network's outputs Compute places the ALB and tasks in. */
export interface ComputeNetwork {
  /** VPC of the target groups. */
  vpcId: pulumi.Input<string>;
  /** Subnets of the internet-facing ALB. */
  publicSubnetIds: pulumi.Input<string[]>;
  /** Subnets of the tasks (no public IPs). */
  privateSubnetIds: pulumi.Input<string[]>;
  /** Security group of the ALB (Network's `alb`). */
  albSecurityGroupId: pulumi.Input<string>;
  /** Security group of the tasks (Network's `app`). */
  appSecurityGroupId: pulumi.Input<string>;
}

/** Secrets the tasks may read. */
export interface ComputeSecrets {
  /** Secret name (`database`, `redis`, third-party names) -> ARN; a task's `secrets` refer to these names. */
  arns: Record<string, pulumi.Input<string>>;
  /** Keys the secrets are encrypted with (execution roles may decrypt through Secrets Manager only). */
  kmsKeyArns: pulumi.Input<string>[];
}

/** State a region's schedules are created in: only one region runs the clock. */
export const ScheduleState = { Enabled: "ENABLED", Disabled: "DISABLED" } as const;
export type ScheduleState = (typeof ScheduleState)[keyof typeof ScheduleState];

/** Queue processors of a region: running on their queues' bounds, or held at zero. */
export const ProcessorState = { ScaledToZero: "scaledToZero", Running: "running" } as const;
export type ProcessorState = (typeof ProcessorState)[keyof typeof ProcessorState];

/** A log group of the platform's tasks, by the service it belongs to. */
export interface ServiceLogGroup {
  /** Service (or job processor, or `migrations`) the logs belong to. */
  service: string;
  /** Log group name. */
  name: pulumi.Output<string>;
}

export interface ServiceOutputs {
  name: string;
  public: boolean;
  serviceName: pulumi.Output<string>;
  logGroupName: pulumi.Output<string>;
  targetGroupArnSuffixes: pulumi.Output<string>[];
}

export interface QueueOutputs {
  name: string;
  queueName: pulumi.Output<string>;
  queueArn: pulumi.Output<string>;
  deadLetterQueueName: pulumi.Output<string>;
  deadLetterQueueArn: pulumi.Output<string>;
  processorServiceName: pulumi.Output<string>;
  logGroupName: pulumi.Output<string>;
}
