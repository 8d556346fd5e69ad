import { z } from "zod";
import { ALB_PATH_PATTERN_MAX } from "./catalogue";
import { configBoolean, intInRange, logRetentionDays, resourceName, strictObject } from "./fields";
import {
  BAKE_TIME_MINUTES,
  CI_DEFAULTS,
  CONTAINER_DEFAULTS,
  FLEXIBLE_WINDOW_MINUTES,
  KEEP_IMAGES,
  MAX_RECEIVE_COUNT,
  MESSAGE_TIMEOUT_SECONDS,
  PROCESSOR_DEFAULTS,
  QUEUE_DEFAULTS,
  QUEUE_RETENTION_DAYS,
  SCHEDULE_DEFAULTS,
  SCHEDULE_RETRIES,
  SERVICE_DEFAULTS,
  SERVICE_PATHS_MAX,
  SETTINGS_DEFAULTS,
  STATE_BACKEND_DEFAULTS,
} from "@platform/components/compute";
import { CONTAINER_PORT, FARGATE_CPU_EXPECTED, SERVICE_NAME_MAX, TASK_COUNT, fargateCpuProblem, fargateMemoryProblem } from "@platform/components/validate";

export { FARGATE_SIZES } from "@platform/components/validate";

/**
 * Config of the compute layer: services, job queues, schedules and CI access are data, so adding
 * one is a config change. Rules that span entries (unique names, overlapping paths, references
 * between entries) live in validate.ts.
 */

/** `cpu` and `memory` of one Fargate task; the pair must be one Fargate offers (the component's FARGATE_SIZES). */
const taskSize = {
  /** Fargate CPU units: 256, 512, 1024, 2048, 4096, 8192 or 16384. */
  cpu: intInRange(256, 16384).refine((cpu) => fargateCpuProblem(cpu) === undefined, { error: FARGATE_CPU_EXPECTED }),
  /** MiB, a size Fargate offers with `cpu` (e.g. cpu 512 takes 1024 to 4096 in steps of 1024). */
  memory: intInRange(512, 122880),
};

function checkTaskSize(value: { cpu: number; memory: number }, ctx: z.RefinementCtx): void {
  const problem = fargateMemoryProblem(value.cpu, value.memory);
  if (problem) ctx.addIssue({ code: "custom", path: ["memory"], message: problem });
}

/** An ALB path pattern: `/prefix/*`, or `/*` for the catch-all service. */
export const pathPattern = z
  .string()
  .regex(/^\/([a-z0-9._-]+\/)*\*$/, { error: "expected a path prefix ending in /*, such as /api/* (or /* for the catch-all service)" })
  .max(ALB_PATH_PATTERN_MAX, { error: `expected at most ${ALB_PATH_PATTERN_MAX} characters (an ALB rule's path pattern limit)` });

/** Secrets a task can name: built-ins, or a third-party key listed in platform:secrets, optionally `:jsonKey`. */
export const BUILTIN_SECRETS = ["database", "redis"] as const;
const secretReference = z.string().regex(/^[a-z][a-z0-9-]*(:[A-Za-z0-9_]+)?$/, {
  error: `expected a secret name (${BUILTIN_SECRETS.join(", ")} or one listed in platform:secrets), optionally with :jsonKey, e.g. database:password`,
});
const envName = z.string().regex(/^[A-Z][A-Z0-9_]*$/, { error: "expected an environment variable name in UPPER_SNAKE_CASE" });

/** Environment values and secret references of a container. */
const containerSettings = {
  /** Plain environment values (never secrets). */
  environment: z.record(envName, z.string()).default(CONTAINER_DEFAULTS.environment),
  /** Environment variable -> secret reference (`database`, `redis` or a name from platform:secrets, optionally `:jsonKey`), injected by ECS from Secrets Manager. */
  secrets: z.record(envName, secretReference).default(CONTAINER_DEFAULTS.secrets),
  /** Queues (by name) this task may send to; their URLs arrive as QUEUE_<NAME>_URL. */
  sendsTo: z.array(resourceName).default(CONTAINER_DEFAULTS.sendsTo),
  /** Grants events:PutEvents on the platform's event bus (and nothing else on EventBridge). */
  publishesEvents: configBoolean.default(CONTAINER_DEFAULTS.publishesEvents),
};

const scaling = strictObject({
  /** Fewest running tasks (prod: 2 or more in platform:compute.scaling, 1 or more in a service's own; a region that stands by keeps platform:standby's floor). */
  minTasks: intInRange(TASK_COUNT.min, TASK_COUNT.max),
  /** Most running tasks, at least minTasks. */
  maxTasks: intInRange(1, TASK_COUNT.max),
});

export const serviceSchema = strictObject({
  /** ECS service, log group, target group and image name, unique; at most 18 characters: target groups are named `<name>-green-<7 random>` within ALB's 32. */
  name: resourceName.refine((n) => n.length <= SERVICE_NAME_MAX, { error: `expected at most ${SERVICE_NAME_MAX} characters (target group names are limited to 32)` }),
  /** Container port the service listens on (the `app` security group opens exactly these from the ALB). */
  port: intInRange(CONTAINER_PORT.min, CONTAINER_PORT.max),
  /** ALB path patterns routed to this service (1–5 `/prefix/*`, or `/*` alone); duplicates, overlaps and a second `/*` are refused. */
  paths: z
    .array(pathPattern)
    .min(1, { error: "expected at least one path pattern" })
    .max(SERVICE_PATHS_MAX, { error: `expected at most ${SERVICE_PATHS_MAX} path patterns (one ALB rule condition)` })
    .refine((paths) => !paths.includes("/*") || paths.length === 1, { error: "expected /* alone: the catch-all already matches every other path" }),
  /** ECR repository (image) the service runs; defaults to the service name. */
  image: resourceName.optional(),
  ...taskSize,
  /** HTTP path the ALB and the blue/green test traffic check. */
  healthCheckPath: z.string().regex(/^\/[\w./-]*$/, { error: "expected an absolute path such as /health" }).default(SERVICE_DEFAULTS.healthCheckPath),
  /** Task count bounds; defaults to platform:compute.scaling. */
  scaling: scaling.optional(),
  /** Target ALB requests per task per minute for request-count scaling (CPU 70% and memory 75% always apply). */
  requestsPerTarget: intInRange(1, 100000).optional(),
  /** Run the database-migration gate before new tasks start (opt out for services without a database). */
  migrationGate: configBoolean.default(SERVICE_DEFAULTS.migrationGate),
  /** Mount the root filesystem read-only; /tmp stays writable (turn off only for images that must write outside it). */
  readOnlyRootFilesystem: configBoolean.default(SERVICE_DEFAULTS.readOnlyRootFilesystem),
  ...containerSettings,
}).superRefine(checkTaskSize);

export const processorSchema = strictObject({
  /** ECR repository (image) of the worker. */
  image: resourceName,
  /** Command the worker container runs. */
  command: z.array(z.string()).min(1, { error: "expected the worker command, e.g. [node, dist/worker.js]" }),
  ...taskSize,
  /** Task bounds; 0 lets the processor scale to zero when the queue is empty. */
  minTasks: intInRange(TASK_COUNT.min, TASK_COUNT.max),
  /** Most tasks of the processor (at least minTasks). */
  maxTasks: intInRange(1, TASK_COUNT.max),
  /** Visible messages per running task before the processor scales out. */
  messagesPerTask: intInRange(1, 100000).default(PROCESSOR_DEFAULTS.messagesPerTask),
  /** Longest a worker may take on one message; the queue's visibility timeout follows from it. */
  timeoutSeconds: intInRange(MESSAGE_TIMEOUT_SECONDS.min, MESSAGE_TIMEOUT_SECONDS.max),
  ...containerSettings,
}).superRefine(checkTaskSize);

/** An EventBridge pattern routed to a queue: sources and (optionally) detail types. */
const eventPattern = strictObject({
  /** Event sources to match, e.g. app.orders. */
  source: z.array(z.string().regex(/^[\w.-]+$/, { error: "expected an event source such as app.orders" })).min(1),
  /** Detail types to match; any when absent. */
  detailType: z.array(z.string().min(1)).optional(),
});

export const queueSchema = strictObject({
  /** Queue `<project>-<stack>-<name>` and its `-dlq`; unique among the queues. */
  name: resourceName,
  /** Receives before a message moves to the queue's dead-letter queue. */
  maxReceiveCount: intInRange(MAX_RECEIVE_COUNT.min, MAX_RECEIVE_COUNT.max).default(QUEUE_DEFAULTS.maxReceiveCount),
  /** Days a message is kept (the DLQ keeps its messages 14 days). */
  retentionDays: intInRange(QUEUE_RETENTION_DAYS.min, QUEUE_RETENTION_DAYS.max).default(QUEUE_DEFAULTS.retentionDays),
  /** Application events on the platform bus that land in this queue. */
  events: z.array(eventPattern).default(QUEUE_DEFAULTS.events),
  /** The worker service; `minTasks: 0` scales to zero; visibility timeout = `timeoutSeconds` + 60. */
  processor: processorSchema,
});

export const scheduleSchema = strictObject({
  /** Schedule name in the environment's group; unique among the schedules. */
  name: resourceName,
  /** EventBridge Scheduler expression: cron(min hour day-of-month month day-of-week year), rate(n unit) or at(yyyy-mm-ddThh:mm:ss); checked field by field, exactly one of day-of-month and day-of-week is `?`. */
  expression: z.string().superRefine((text, ctx) => {
    const problem = scheduleExpressionProblem(text);
    if (problem) ctx.addIssue({ code: "custom", message: problem });
  }),
  /** IANA time zone the expression is read in. */
  timezone: z.string().refine(isTimeZone, { error: "expected an IANA time zone such as UTC or Europe/Berlin" }).default(SCHEDULE_DEFAULTS.timezone),
  /** Let the scheduler start the task up to this many minutes late (spreads load); 0 = exactly on time. */
  flexibleWindowMinutes: intInRange(FLEXIBLE_WINDOW_MINUTES.min, FLEXIBLE_WINDOW_MINUTES.max).default(SCHEDULE_DEFAULTS.flexibleWindowMinutes),
  /** Service whose task definition runs (its image, roles and secrets). */
  service: resourceName,
  /** Command that replaces the service's for this run. */
  command: z.array(z.string()).min(1, { error: "expected the command to run, e.g. [node, dist/jobs/cleanup.js]" }),
  /** Retries after a failed invocation before the event goes to the schedules' DLQ. */
  retries: intInRange(SCHEDULE_RETRIES.min, SCHEDULE_RETRIES.max).default(SCHEDULE_DEFAULTS.retries),
});

export const computeSchema = strictObject({
  /** Image tag of the baseline task definitions (CI passes the release, e.g. the commit SHA; docs/platform.md, "Deployments and migrations"). */
  imageTag: z.string().regex(/^[\w][\w.-]{0,127}$/, { error: "expected an image tag (letters, digits, '.', '-', '_'), e.g. a commit SHA" }),
  /** Capacity: `onDemand` (FARGATE), `spot` (FARGATE_SPOT) or `mixed` (2 on-demand tasks, the rest Spot); prod: not `spot`. */
  capacity: z.enum(["onDemand", "spot", "mixed"]).default(SETTINGS_DEFAULTS.capacity),
  /** Default task bounds of services without their own `scaling`. */
  scaling,
  /** Minutes the new (green) tasks serve production before the old ones are removed (rollback stays instant until then). */
  bakeTimeMinutes: intInRange(BAKE_TIME_MINUTES.min, BAKE_TIME_MINUTES.max).default(SETTINGS_DEFAULTS.bakeTimeMinutes),
  /** ECS Exec (interactive shells into tasks), KMS-encrypted sessions logged to `/ecs/<cluster>/exec`. */
  exec: configBoolean.default(SETTINGS_DEFAULTS.exec),
  /** Retention of the task, job and Lambda log groups. */
  logRetentionDays: logRetentionDays.default(SETTINGS_DEFAULTS.logRetentionDays),
  /** Releases kept per ECR repository (untagged images expire after a day). */
  keepImages: intInRange(KEEP_IMAGES.min, KEEP_IMAGES.max).default(SETTINGS_DEFAULTS.keepImages),
  /** The database-migration task: the API's image with its own command. */
  migrations: strictObject({
    /** ECR repository of the migration image: a service's image. */
    image: resourceName,
    /** Command that migrates, e.g. [npm, run, migrate]. */
    command: z.array(z.string()).min(1, { error: "expected the migration command, e.g. [npm, run, migrate]" }),
    ...taskSize,
    /** Environment variable -> secret reference (the database secret at least). */
    secrets: z.record(envName, secretReference).default({ DATABASE_SECRET: "database" }),
  }).superRefine(checkTaskSize),
});

export const ciSchema = strictObject({
  /** This repository (`owner/name`): its workflows may preview and deploy this stack. */
  repository: z.string().regex(/^[\w.-]+\/[\w.-]+$/, { error: "expected owner/name of a GitHub repository" }),
  /** Application repositories whose pipelines push images and deploy services. */
  applicationRepositories: z.array(z.string().regex(/^[\w.-]+\/[\w.-]+$/, { error: "expected owner/name of a GitHub repository" })).default(CI_DEFAULTS.applicationRepositories),
  /** Branch previews on push and the nightly drift check run from (deploys are trusted by their GitHub environment, e.g. `prod`). */
  branch: z.string().regex(/^[\w./-]+$/, { error: "expected a branch name" }).default(CI_DEFAULTS.branch),
  /** Create the account's GitHub OIDC provider (false when another stack in the account owns it). */
  createOidcProvider: configBoolean.default(CI_DEFAULTS.createOidcProvider),
  /**
   * The self-managed backend this stack's state lives in (docs/deploying.md, "Deploying for real"), so the
   * preview role can read the state and decrypt its secrets. Leave it out with Pulumi Cloud.
   */
  state: strictObject({
    /** S3 bucket of `pulumi login s3://<bucket>`. */
    bucket: z.string().regex(/^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/, { error: "expected an S3 bucket name" }),
    /** Alias of the stack's `awskms://` secrets-provider key. */
    secretsKeyAlias: z.string().regex(/^alias\/[\w/-]+$/, { error: "expected a KMS alias such as alias/pulumi-secrets" }).default(STATE_BACKEND_DEFAULTS.secretsKeyAlias),
    /** The bucket's SSE-KMS key, when its default encryption is a customer-managed key (a multi-Region `mrk-` key with bootstrap/). */
    bucketKmsKeyArn: z.string().regex(/^arn:aws[\w-]*:kms:[a-z0-9-]+:\d{12}:key\/([0-9a-f-]{36}|mrk-[0-9a-f]{32})$/, { error: "expected a KMS key ARN" }).optional(),
    /** The state's replica in the standby region (bootstrap/ output replicaBackendUrl), read when the state's region is lost. */
    replicaBucket: z.string().regex(/^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/, { error: "expected an S3 bucket name" }).optional(),
  }).optional(),
  /**
   * Publishing this repository's npm packages (`@platform/components`) to the stack's CodeArtifact
   * `internal` repository: jobs in this GitHub environment get a role that may publish exactly
   * these packages (docs/reuse.md). Set it in one stack only.
   */
  publish: strictObject({
    /** GitHub environment of the publishing job (its own, so no other job's token admits the role). */
    environment: z.string().regex(/^[\w.-]+$/, { error: "expected a GitHub environment name" }),
    /** Scoped npm package names, e.g. `@platform/components`. */
    packages: z.array(z.string().regex(/^@[a-z0-9-]+\/[a-z0-9.-]+$/, { error: "expected a scoped npm package name such as @platform/components" })).min(1),
  }).optional(),
});

/** Why a scheduler expression is invalid, or undefined when it is fine. */
export function scheduleExpressionProblem(text: string): string | undefined {
  const rate = /^rate\((\d+) (minute|minutes|hour|hours|day|days)\)$/.exec(text);
  if (rate) {
    const n = Number(rate[1]);
    if (n < 1) return "expected a rate of at least 1";
    if ((n === 1) !== !rate[2].endsWith("s")) return `expected "${n} ${n === 1 ? rate[2].replace(/s$/, "") : rate[2] + "s"}" (singular unit only for 1)`;
    return undefined;
  }
  if (/^at\(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\)$/.test(text)) return undefined;
  const cron = /^cron\((.*)\)$/.exec(text);
  if (!cron) return `expected cron(...), rate(...) or at(...), got ${JSON.stringify(text)}`;
  const fields = cron[1].trim().split(/\s+/);
  if (fields.length !== 6) return `expected 6 cron fields (minute hour day-of-month month day-of-week year), got ${fields.length}`;
  const [minute, hour, dom, month, dow, year] = fields;
  const checks: [string, string, RegExp][] = [
    ["minute", minute, /^([*]|[0-5]?\d([-,/][0-5]?\d)*|[*]\/\d+)$/],
    ["hour", hour, /^([*]|(1?\d|2[0-3])([-,/](1?\d|2[0-3]))*|[*]\/\d+)$/],
    ["day-of-month", dom, /^([*?]|L|\d{1,2}W|([1-9]|[12]\d|3[01])([-,/]([1-9]|[12]\d|3[01]))*|[*]\/\d+)$/],
    ["month", month, /^([*]|([1-9]|1[0-2]|JAN|FEB|MAR|APR|MAY|JUN|JUL|AUG|SEP|OCT|NOV|DEC)([-,/]([1-9]|1[0-2]|JAN|FEB|MAR|APR|MAY|JUN|JUL|AUG|SEP|OCT|NOV|DEC))*|[*]\/\d+)$/i],
    ["day-of-week", dow, /^([*?]|L|[1-7]L|[1-7]#[1-5]|([1-7]|SUN|MON|TUE|WED|THU|FRI|SAT)([-,]([1-7]|SUN|MON|TUE|WED|THU|FRI|SAT))*)$/i],
    ["year", year, /^([*]|(19[7-9]\d|2[01]\d\d)([-,/](19[7-9]\d|2[01]\d\d))*)$/],
  ];
  for (const [label, value, pattern] of checks) {
    if (!pattern.test(value)) return `cron ${label} field ${JSON.stringify(value)} is not valid`;
  }
  if ((dom === "?") === (dow === "?")) return "expected exactly one of day-of-month and day-of-week to be ? (EventBridge cron rule)";
  return undefined;
}

function isTimeZone(zone: string): boolean {
  return zone === "UTC" || Intl.supportedValuesOf("timeZone").includes(zone);
}
