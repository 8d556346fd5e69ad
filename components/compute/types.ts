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
  /** Fargate CPU units: 256, 512, 1024, 2048, 4096, 8192 or 16384. Example: `512`. */
  cpu: number;
  /** MiB, a size Fargate offers with `cpu` (e.g. 1024–4096 with 512 CPU). Example: `1024`. */
  memory: number;
}

/** One service behind the ALB. */
export interface ServiceSpec extends ContainerAccess, TaskSize {
  /** Service name, at most 18 characters (target groups are `<name>-green-<7>` within 32). Example: `"api"`. */
  name: string;
  /** Container port, 1024–65535; the `app` security group admits exactly these from the ALB. Example: `8080`. */
  port: number;
  /** ALB path patterns (`/api/*`, or `/*` for the catch-all). */
  paths: string[];
  /** ECR repository name. Default: `name`. */
  image?: string;
  /** Absolute HTTP path the ALB and the blue/green test traffic check. Example: `"/health"`. */
  healthCheckPath: string;
  /** Overrides the compute-wide task bounds. Default: `ComputeSettings.scaling`. */
  scaling?: TaskBounds;
  /** ALB requests per task per minute to track; no request scaling when unset. */
  requestsPerTarget?: number;
  /** Run the migration gate at PRE_SCALE_UP (turn off for services without a database). */
  migrationGate: boolean;
  /** Mount the root filesystem read-only; turn off only for images that must write outside /tmp. */
  readOnlyRootFilesystem: boolean;
}

/** Task count bounds of a service. */
export interface TaskBounds {
  /** Fewest running tasks, 0–100 (the warm standby overrides it). Example: `2`. */
  minTasks: number;
  /** Most running tasks, 1–100, at least `minTasks`. Example: `10`. */
  maxTasks: number;
}

/** A work queue and the ECS service that drains it. */
export interface QueueSpec {
  /** Queue name (lowercase, digits, hyphens); the SQS queue is `<prefix>-<name>`. Example: `"ingest"`. */
  name: string;
  /** Receives before a message moves to the dead-letter queue, 1–1000. Example: `5`. */
  maxReceiveCount: number;
  /** Days a message is kept, 1–14 (the DLQ keeps 14). Example: `4`. */
  retentionDays: number;
  /** EventBridge patterns on the platform bus that land in the queue. Example: `[{ source: ["app.articles"] }]`. */
  events: EventPattern[];
  /** The ECS service that drains the queue, scaled on its backlog. */
  processor: QueueProcessor;
}

/** An EventBridge pattern routed to a queue. */
export interface EventPattern {
  /** Event sources to match. Example: `["app.articles"]`. */
  source: string[];
  /** Detail types to match. Default: any. */
  detailType?: string[];
}

/** The worker that drains a queue. */
export interface QueueProcessor extends ContainerAccess, TaskSize {
  /** ECR repository (image) of the worker. Example: `"api"`. */
  image: string;
  /** Command the worker container runs. Example: `["node", "dist/workers/ingest.js"]`. */
  command: string[];
  /** Fewest tasks, 0–100; 0 scales to zero on an empty queue. */
  minTasks: number;
  /** Most tasks, 1–100. */
  maxTasks: number;
  /** Visible messages per running task before it scales out. Example: `100`. */
  messagesPerTask: number;
  /** Longest one message may take, in seconds; the visibility timeout follows from it. Example: `300`. */
  timeoutSeconds: number;
}

/** A scheduled run of a service's task with another command. */
export interface ScheduleSpec {
  /** Schedule name (lowercase, digits, hyphens). Example: `"nightly-cleanup"`. */
  name: string;
  /** EventBridge Scheduler expression: `cron(...)`, `rate(n unit)` or `at(...)`. Example: `"cron(0 3 * * ? *)"`. */
  expression: string;
  /** IANA time zone the expression is read in. Example: `"UTC"`. */
  timezone: string;
  /** Minutes the run may start late, 0–1440; 0 runs exactly on time. */
  flexibleWindowMinutes: number;
  /** Service whose task definition runs (its image, roles and secrets). Example: `"api"`. */
  service: string;
  /** Command that replaces the service's for this run. Example: `["node", "dist/jobs/cleanup.js"]`. */
  command: string[];
  /** Retries after a failed invocation, 0–185, before the event goes to the schedules' DLQ. Example: `2`. */
  retries: number;
}

/** Fargate capacity: `onDemand` (FARGATE), `spot` (FARGATE_SPOT) or `mixed` (2 on-demand tasks, the rest Spot). */
export const Capacity = { OnDemand: "onDemand", Spot: "spot", Mixed: "mixed" } as const;
export type Capacity = (typeof Capacity)[keyof typeof Capacity];

/** Compute-wide settings. */
export interface ComputeSettings {
  /** Image tag of the baseline task definitions (CI passes the release). */
  imageTag: string;
  /** `onDemand` (FARGATE), `spot` (FARGATE_SPOT) or `mixed` (2 on-demand tasks, the rest Spot). */
  capacity: Capacity;
  /** Task bounds of services without their own. */
  scaling: TaskBounds;
  /** Minutes new (green) tasks serve production before the old ones go, 0–1440. Example: `10`. */
  bakeTimeMinutes: number;
  /** ECS Exec (shells into tasks), encrypted with the compute key and logged. */
  exec: boolean;
  /** Days the task, job and Lambda log groups keep events (a CloudWatch retention value). Example: `30`. */
  logRetentionDays: number;
  /** Releases kept per ECR repository, 1–1000 (untagged images expire after a day). Example: `30`. */
  keepImages: number;
  /** The database-migration task the gate runs. */
  migrations: MigrationSettings;
}

/** The database-migration task: an application image with its own command. */
export interface MigrationSettings extends TaskSize {
  /** ECR repository of the image. Example: `"api"`. */
  image: string;
  /** Command that migrates. Example: `["npm", "run", "migrate"]`. */
  command: string[];
  /** Environment variable -> secret reference (the database secret at least). */
  secrets: Record<string, string>;
}

/** GitHub Actions access. */
export interface CiSettings {
  /** `owner/name` of this repository. */
  repository: string;
  /** `owner/name` of application repositories whose pipelines push images and deploy services. */
  applicationRepositories: string[];
  /** Branch that previews on push and runs the drift check. Example: `"main"`. */
  branch: string;
  /** Create the account's GitHub OIDC provider; false when another stack in the account owns it. */
  createOidcProvider: boolean;
  /** Where the self-managed backend keeps state and its secrets key. Default: none (Pulumi Cloud). */
  state?: StateBackend;
  /**
   * Publishing npm packages from `repository` to the `internal` CodeArtifact repository: jobs in
   * GitHub `environment` get a role (Delivery's `publishRole`) that may publish exactly `packages`.
   * Default: no publish role. Example: `{ environment: "packages", packages: ["@platform/components"] }`.
   */
  publish?: PackagePublishing;
}

/** The self-managed S3 backend the preview role may read. */
export interface StateBackend {
  /** S3 bucket of `pulumi login s3://<bucket>`. */
  bucket: string;
  /** Alias of the stack's `awskms://` secrets-provider key. Example: `"alias/pulumi-secrets"`. */
  secretsKeyAlias: string;
  /** The bucket's SSE-KMS key, when its default encryption is a customer key. A multi-Region key (`mrk-…`) is granted in every region, for the replica. Default: none. */
  bucketKmsKeyArn?: string;
  /** The state's replica bucket in another region (bootstrap/), readable the same way when the state's region is lost. Default: none. */
  replicaBucket?: string;
}

/** Who may publish which npm packages to the internal CodeArtifact repository. */
export interface PackagePublishing {
  /** GitHub environment of the publishing job. Example: `"packages"`. */
  environment: string;
  /** Scoped npm package names. Example: `["@platform/components"]`. */
  packages: string[];
}

/** Where the data stores are, as the tasks see them (plain environment values). */
export interface DataEndpoints {
  /** Writer host (the global writer endpoint with a standby). Reaches tasks as DATABASE_HOST. */
  databaseHost: pulumi.Input<string>;
  /** Reader host of this region. Reaches tasks as DATABASE_READER_HOST. */
  databaseReaderHost: pulumi.Input<string>;
  /** PostgreSQL port. Example: `5432`. */
  databasePort: pulumi.Input<number>;
  /** Database name. Example: `"platform"`. */
  databaseName: string;
  /** Redis primary endpoint of this region. Reaches tasks as REDIS_HOST. */
  redisHost: pulumi.Input<string>;
}
