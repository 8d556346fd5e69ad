import * as pulumi from "@pulumi/pulumi";

/** What a container gets besides its image: plain values, secrets and the AWS access that follows from them. */
export interface ContainerAccess {
  /** Plain environment values. */
  environment: Record<string, string>;
  /** Environment variable -> secret reference (`name` or `name:jsonKey`), resolved through `secretArns`. */
  secrets: Record<string, string>;
  /** Queues (by name) the task may send to. */
  sendsTo: string[];
  /** events:PutEvents on the platform bus. */
  publishesEvents: boolean;
}

export interface TaskSize {
  /** Fargate CPU units. */
  cpu: number;
  /** MiB, a size Fargate offers with `cpu`. */
  memory: number;
}

/** One service behind the ALB. */
export interface ServiceSpec extends ContainerAccess, TaskSize {
  name: string;
  port: number;
  /** ALB path patterns (`/api/*`, or `/*` for the catch-all). */
  paths: string[];
  /** ECR repository name; defaults to `name`. */
  image?: string;
  healthCheckPath: string;
  /** Overrides the compute-wide task bounds. */
  scaling?: { minTasks: number; maxTasks: number };
  /** ALB requests per task per minute to track; no request scaling when unset. */
  requestsPerTarget?: number;
  /** Run the migration gate at PRE_SCALE_UP. */
  migrationGate: boolean;
  readOnlyRootFilesystem: boolean;
}

/** A work queue and the ECS service that drains it. */
export interface QueueSpec {
  name: string;
  maxReceiveCount: number;
  retentionDays: number;
  /** EventBridge patterns on the platform bus that land in the queue. */
  events: { source: string[]; detailType?: string[] }[];
  processor: ContainerAccess &
    TaskSize & {
      image: string;
      command: string[];
      minTasks: number;
      maxTasks: number;
      messagesPerTask: number;
      timeoutSeconds: number;
    };
}

/** A scheduled run of a service's task with another command. */
export interface ScheduleSpec {
  name: string;
  expression: string;
  timezone: string;
  flexibleWindowMinutes: number;
  service: string;
  command: string[];
  retries: number;
}

/** Compute-wide settings. */
export interface ComputeSettings {
  /** Image tag of the baseline task definitions (CI passes the release). */
  imageTag: string;
  capacity: "onDemand" | "spot" | "mixed";
  /** Task bounds of services without their own. */
  scaling: { minTasks: number; maxTasks: number };
  bakeTimeMinutes: number;
  exec: boolean;
  logRetentionDays: number;
  keepImages: number;
  migrations: TaskSize & { image: string; command: string[]; secrets: Record<string, string> };
}

/** GitHub Actions access. */
export interface CiSettings {
  /** `owner/name` of this repository. */
  repository: string;
  applicationRepositories: string[];
  branch: string;
  createOidcProvider: boolean;
  /** Where the self-managed backend keeps state and its secrets key; absent with Pulumi Cloud. */
  state?: { bucket: string; secretsKeyAlias: string; bucketKmsKeyArn?: string };
}

/** Where the data stores are, as the tasks see them (plain environment values). */
export interface DataEndpoints {
  databaseHost: pulumi.Input<string>;
  databaseReaderHost: pulumi.Input<string>;
  databasePort: pulumi.Input<number>;
  databaseName: string;
  redisHost: pulumi.Input<string>;
}
