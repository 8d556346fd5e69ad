import * as pulumi from "@pulumi/pulumi";

/** What a container gets besides its image: plain values, secrets and the AWS access that follows from them. */
export interface ContainerAccess {
  /** Plain environment values (never secrets), by UPPER_SNAKE_CASE name. Example: `{ LOG_LEVEL: "info" }`. @default {} */
  environment?: Record<string, string>;
  /**
   * Environment variable -> secret reference (`name` or `name:jsonKey`), resolved through
   * `ComputeSecrets.arns`; ECS injects the value from Secrets Manager. Example: `{ DATABASE_PASSWORD: "database:password" }`.
   * @default {}
   */
  secrets?: Record<string, string>;
  /** Queues (by name, of `ComputeArgs.queues`) the task may send to; their URLs arrive as QUEUE_<NAME>_URL. @default [] */
  sendsTo?: string[];
  /** events:PutEvents on the platform bus (and nothing else on EventBridge). @default false */
  publishesEvents?: boolean;
}

export interface TaskSize {
  /** Fargate CPU units: 256, 512, 1024, 2048, 4096, 8192 or 16384 (`FARGATE_SIZES`). Example: `512`. @default 256 */
  cpu?: number;
  /** MiB, a size Fargate offers with `cpu` (e.g. 1024–4096 in steps of 1024 with 512 CPU; `FARGATE_SIZES`). Example: `1024`. @default 512 */
  memory?: number;
}

/** One service behind the ALB. */
export interface ServiceSpec extends ContainerAccess, TaskSize {
  /** Service name: 2–18 of a-z, 0-9 and `-`, starting with a letter (target groups are `<name>-green-<7>` within 32). Example: `"api"`. */
  name: string;
  /** Container port, 1024–65535; the `app` security group admits exactly these from the ALB. Example: `8080`. */
  port: number;
  /** ALB path patterns, 1–5 (`/api/*`, or `/*` alone for the catch-all); at most one service owns `/*`. Example: `["/api/*"]`. @default ["/*"] */
  paths?: string[];
  /** ECR repository name (a-z, 0-9, `-`). Default: `name`. */
  image?: string;
  /** Absolute HTTP path the ALB and the blue/green test traffic check. @default "/health" */
  healthCheckPath?: string;
  /** Overrides the compute-wide task bounds. Default: `ComputeSettings.scaling`. */
  scaling?: TaskBounds;
  /** ALB requests per task per minute to track, 1–100000; no request scaling when unset (CPU 70% and memory 75% always apply). */
  requestsPerTarget?: number;
  /** Run the migration gate at PRE_SCALE_UP (turn off for services without a database). @default true */
  migrationGate?: boolean;
  /** Mount the root filesystem read-only; turn off only for images that must write outside /tmp. @default true */
  readOnlyRootFilesystem?: boolean;
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
  /** Receives before a message moves to the dead-letter queue, 1–1000. @default 5 */
  maxReceiveCount?: number;
  /** Days a message is kept, 1–14 (the DLQ keeps 14). @default 4 */
  retentionDays?: number;
  /** EventBridge patterns on the platform bus that land in the queue. Example: `[{ source: ["app.articles"] }]`. @default [] */
  events?: EventPattern[];
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
  /** Fewest tasks, 0–100; 0 scales to zero on an empty queue. @default 0 */
  minTasks?: number;
  /** Most tasks, 1–100, at least `minTasks`. Example: `4`. */
  maxTasks: number;
  /** Visible messages per running task before it scales out, 1–100000. @default 100 */
  messagesPerTask?: number;
  /** Longest one message may take, in seconds, 1–43140; the visibility timeout is this plus 60. Example: `300`. */
  timeoutSeconds: number;
}

/** A scheduled run of a service's task with another command. */
export interface ScheduleSpec {
  /** Schedule name (lowercase, digits, hyphens). Example: `"nightly-cleanup"`. */
  name: string;
  /** EventBridge Scheduler expression: `cron(...)`, `rate(n unit)` or `at(...)`. Example: `"cron(0 3 * * ? *)"`. */
  expression: string;
  /** IANA time zone the expression is read in. Example: `"Europe/Berlin"`. @default "UTC" */
  timezone?: string;
  /** Minutes the run may start late, 0–1440; 0 runs exactly on time. @default 0 */
  flexibleWindowMinutes?: number;
  /** Service whose task definition runs (its image, roles and secrets). Example: `"api"`. */
  service: string;
  /** Command that replaces the service's for this run. Example: `["node", "dist/jobs/cleanup.js"]`. */
  command: string[];
  /** Retries after a failed invocation, 0–185, before the event goes to the schedules' DLQ. @default 2 */
  retries?: number;
}

/** Fargate capacity: `onDemand` (FARGATE), `spot` (FARGATE_SPOT) or `mixed` (2 on-demand tasks, the rest Spot). */
export const Capacity = { OnDemand: "onDemand", Spot: "spot", Mixed: "mixed" } as const;
export type Capacity = (typeof Capacity)[keyof typeof Capacity];

/** Compute-wide settings. */
export interface ComputeSettings {
  /** Image tag of the baseline task definitions (CI passes the release, e.g. the commit SHA). Example: `"3f2c1ab"`. */
  imageTag: string;
  /** `onDemand` (FARGATE), `spot` (FARGATE_SPOT) or `mixed` (2 on-demand tasks, the rest Spot). @default "onDemand" */
  capacity?: Capacity;
  /** Task bounds of services without their own. */
  scaling: TaskBounds;
  /** Minutes new (green) tasks serve production before the old ones go, 0–1440. @default 10 */
  bakeTimeMinutes?: number;
  /** ECS Exec (shells into tasks), encrypted with the compute key and logged. @default false */
  exec?: boolean;
  /** Days the task, job and Lambda log groups keep events (a CloudWatch retention value, `LOG_RETENTION_DAYS`). @default 30 */
  logRetentionDays?: number;
  /** Releases kept per ECR repository, 1–1000 (untagged images expire after a day). @default 30 */
  keepImages?: number;
  /** The database-migration task the gate runs. */
  migrations: MigrationSettings;
}

/** The database-migration task: an application image with its own command. */
export interface MigrationSettings extends TaskSize {
  /** ECR repository of the image. Example: `"api"`. */
  image: string;
  /** Command that migrates. @default ["npm","run","migrate"] */
  command?: string[];
  /** Environment variable -> secret reference (the database secret at least, where there is one). Example: `{ DATABASE_SECRET: "database" }`. @default {} */
  secrets?: Record<string, string>;
}

/** GitHub Actions access. */
export interface CiSettings {
  /** `owner/name` of this repository. */
  repository: string;
  /** `owner/name` of application repositories whose pipelines push images and deploy services. @default [] */
  applicationRepositories?: string[];
  /** Branch that previews on push and runs the drift check. @default "main" */
  branch?: string;
  /** Create the account's GitHub OIDC provider; false when another stack in the account owns it. @default true */
  createOidcProvider?: boolean;
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
  /** Alias of the stack's `awskms://` secrets-provider key. @default "alias/pulumi-secrets" */
  secretsKeyAlias?: string;
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
  /** Reader host of this region. Reaches tasks as DATABASE_READER_HOST. Default: `databaseHost`. */
  databaseReaderHost?: pulumi.Input<string>;
  /** PostgreSQL port. Reaches tasks as DATABASE_PORT. @default 5432 */
  databasePort?: pulumi.Input<number>;
  /** Database name. Reaches tasks as DATABASE_NAME. Example: `"platform"`. */
  databaseName: string;
  /** Redis primary endpoint of this region. Reaches tasks as REDIS_HOST (empty without Redis). @default "" */
  redisHost?: pulumi.Input<string>;
}
