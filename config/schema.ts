import { z } from "zod";
import { ciSchema, computeSchema, queueSchema, scheduleSchema, serviceSchema } from "./compute";
import { edgeSchema } from "./edge";
import { standbySchema } from "./standby";
import { observabilitySchema } from "./observability";
import { budgetSchema, usageSchema } from "./cost";
import { catalogueOverridesSchema } from "./catalogue";
import { awsAccountId } from "./ownership";
import { COMPUTE_DEFAULTS } from "@platform/components/compute";
import {
  ACCESS_LOG_RETENTION_DAYS,
  AURORA_BACKUP_RETENTION_DAYS,
  AURORA_DEFAULTS,
  AURORA_READERS,
  AURORA_SETTINGS_DEFAULTS,
  BACKUP_DEFAULTS,
  BACKUP_RETENTION_DAYS,
  CACHE_DEFAULTS,
  DAILY_WINDOW,
  DATABASE_NAME,
  DATA_DEFAULTS,
  MASTER_USERNAME,
  MONITORING_INTERVAL_SECONDS,
  PERFORMANCE_INSIGHTS_RETENTION_DAYS,
  REDIS_ENGINE_VERSION,
  REDIS_REPLICAS,
  REDIS_SNAPSHOT_RETENTION_DAYS,
  SERVERLESS_ACU,
  WEEKLY_WINDOW,
} from "@platform/components/data";
import { AZ_COUNT, NETWORK_DEFAULTS } from "@platform/components/network";
import {
  awsRegion,
  configBoolean,
  intInRange,
  logRetentionDays,
  hostname,
  resourceName,
  strictObject,
  tagMap,
  vpcCidr,
} from "./fields";

/** Environments the program knows how to shape; anything else is a typo. */
export const ENVIRONMENTS = ["dev", "staging", "prod"] as const;
export type Environment = (typeof ENVIRONMENTS)[number];

export const networkSchema = strictObject({
  /** Primary VPC block. */
  cidr: vpcCidr,
  /** Availability zones to spread subnets over (prod: 3 or more; 2 is the component default). */
  azCount: intInRange(AZ_COUNT.min, AZ_COUNT.max),
  /** NAT strategy: a `single` NAT gateway (dev), or one per AZ, `perAz` (required in prod). */
  natGateways: z.enum(["single", "perAz"]),
  /** Interface endpoints for ECR, Logs, Secrets Manager, KMS, STS, SQS (the S3 gateway endpoint is always on). */
  vpcEndpoints: configBoolean.default(NETWORK_DEFAULTS.interfaceEndpoints),
  /** Retention of the VPC flow-log group (a CloudWatch Logs retention value). */
  flowLogRetentionDays: logRetentionDays.default(NETWORK_DEFAULTS.flowLogRetentionDays),
  /** VPC block in the secondary region (needed with platform:secondaryRegion, must not overlap cidr). */
  secondaryCidr: vpcCidr.optional(),
});

/** `hh:mm-hh:mm` in UTC, as RDS takes backup windows. */
const dailyWindow = z.string().regex(DAILY_WINDOW, { error: "expected a UTC window such as 03:00-04:00" });
/** `ddd:hh:mm-ddd:hh:mm` in UTC, as RDS takes maintenance windows. */
const weeklyWindow = z.string().regex(WEEKLY_WINDOW, { error: "expected a UTC window such as sun:05:00-sun:06:00" });
/** One of `values` (numbers, or their text from a top-level key). */
const numberIn = <T extends number>(values: readonly T[]) => z.union(values.map((v) => z.literal(v)) as unknown as [z.ZodLiteral<T>, z.ZodLiteral<T>, ...z.ZodLiteral<T>[]]);

export const auroraSchema = strictObject({
  /** Aurora PostgreSQL engine version, e.g. 16.6 (the parameter-group family follows the major); one config/catalogue.ts lists (16.x, 17.x), or a catalogueOverrides entry. */
  engineVersion: z.string().regex(/^\d{2}\.\d+$/, { error: "expected an Aurora PostgreSQL version such as 16.6" }),
  /** Instance class of every instance, one Aurora PostgreSQL offers (config/catalogue.ts: `db.r6g.medium` is refused), or db.serverless (then `serverless` sets the ACU range); burstable `db.t*` and Serverless are refused with a secondary region. */
  instanceClass: z.string().regex(/^db\.(serverless|[a-z0-9]+\.[a-z0-9]+)$/, { error: "expected an instance class such as db.r6g.large or db.serverless" }),
  /** Serverless v2 capacity range in ACUs (0 lets the cluster pause); required with, and only with, `db.serverless`, `minAcu` ≤ `maxAcu`. */
  serverless: strictObject({
    /** Fewest ACUs (0 lets the cluster pause when idle). */
    minAcu: z.number().min(SERVERLESS_ACU.min).max(SERVERLESS_ACU.max),
    /** Most ACUs, at least minAcu. */
    maxAcu: z.number().min(1).max(SERVERLESS_ACU.max),
  }).optional(),
  /** Readers in the primary region besides the writer, one AZ each in turn (prod: 2 or more). */
  readers: intInRange(AURORA_READERS.min, AURORA_READERS.max),
  /** Readers of the secondary-region cluster; only with platform:secondaryRegion (prod: 1 or more). */
  secondaryReaders: intInRange(AURORA_READERS.min, AURORA_READERS.max).default(AURORA_SETTINGS_DEFAULTS.secondaryReaders),
  /** Days of automated backups (prod: 14 or more). */
  backupRetentionDays: intInRange(AURORA_BACKUP_RETENTION_DAYS.min, AURORA_BACKUP_RETENTION_DAYS.max),
  /** Daily backup window. */
  backupWindow: dailyWindow,
  /** Must not overlap the backup window. */
  maintenanceWindow: weeklyWindow,
  /** Performance Insights retention in days (KMS-encrypted). */
  performanceInsightsRetentionDays: numberIn(PERFORMANCE_INSIGHTS_RETENTION_DAYS).default(AURORA_DEFAULTS.performanceInsightsRetentionDays),
  /** Enhanced-monitoring interval in seconds (0 turns it off). */
  monitoringIntervalSeconds: numberIn(MONITORING_INTERVAL_SECONDS).default(AURORA_DEFAULTS.monitoringIntervalSeconds),
  /** Initial database. */
  databaseName: z.string().regex(DATABASE_NAME, { error: "expected a PostgreSQL identifier (a-z, 0-9, _)" }).default(AURORA_DEFAULTS.databaseName),
  /** Put an RDS Proxy (TLS and IAM auth required) in front of the writer, in the private subnets behind its own `proxy` group; refused with platform:standby. */
  rdsProxy: configBoolean.default(AURORA_SETTINGS_DEFAULTS.rdsProxy),
  /** Master user. */
  masterUsername: z.string().regex(MASTER_USERNAME, { error: "expected 1-16 of a-z, 0-9 and _, starting with a letter" }).default(AURORA_DEFAULTS.masterUsername),
});

export const redisSchema = strictObject({
  /** Redis OSS 7.x, e.g. 7.1 (parameter-group family `redis<major>`): transit encryption mode `required` and the auth token need 7 or later. */
  engineVersion: z.string().regex(REDIS_ENGINE_VERSION, { error: "expected Redis OSS 7.x, e.g. 7.1 (transit encryption mode 'required' needs 7 or later)" }),
  /** Node type ElastiCache offers (`config/catalogue.ts`: `cache.r7g.small` is refused). */
  nodeType: z.string().regex(/^cache\.[a-z0-9]+\.[a-z0-9]+$/, { error: "expected a node type such as cache.r7g.large" }),
  /** Replicas besides the primary, each in another AZ; 1 or more turns on automatic failover and multi-AZ (prod: 2 or more). */
  replicas: intInRange(REDIS_REPLICAS.min, REDIS_REPLICAS.max),
  /** Days of daily snapshots kept, 0 = none (prod: 1 or more). */
  snapshotRetentionDays: intInRange(REDIS_SNAPSHOT_RETENTION_DAYS.min, REDIS_SNAPSHOT_RETENTION_DAYS.max),
  /** Extra parameters for the cache parameter group, e.g. { "maxmemory-policy": "volatile-lru" }. */
  parameters: z.record(z.string(), z.string()).default(CACHE_DEFAULTS.parameters),
  /** Retention of the slow-log group. */
  slowLogRetentionDays: logRetentionDays.default(CACHE_DEFAULTS.slowLogRetentionDays),
});

export const backupSchema = strictObject({
  /** Days each daily Aurora recovery point is kept, in the primary vault and its cross-region copy; also the vault lock's minimum. */
  retentionDays: intInRange(BACKUP_RETENTION_DAYS.min, BACKUP_RETENTION_DAYS.max),
  /** AWS Backup schedule expression (UTC). */
  schedule: z.string().regex(/^cron\(.+\)$/, { error: "expected a schedule such as cron(0 5 * * ? *)" }).default(BACKUP_DEFAULTS.schedule),
});


/**
 * Every key the program reads, under the `platform:` namespace. Adding a key here is the only
 * way to make the program accept it; unknown keys are rejected so typos never pass silently.
 */
export const sections = {
  /** Environment this stack is (dev, staging or prod): how strict validation and policy are (prod's invariants, config/crossChecks.ts) and the environment's defaults; not what the stack has (any stack may have a standby, paging, several AZs: docs/environments.md). */
  environment: z.enum(ENVIRONMENTS),
  /**
   * The AWS account the stack deploys into (12 digits, quoted). Stacks naming the same account share
   * its account-wide resources, each owned by one of them (config/ownership.ts): the GitHub OIDC
   * provider (`ci.createOidcProvider`) and the Datadog integration (`observability.datadog.awsIntegration`).
   */
  awsAccountId,
  /** Primary AWS region. */
  region: awsRegion,
  /** Region of the Aurora Global Database secondary cluster (required in prod, not platform:region). */
  secondaryRegion: awsRegion.optional(),
  /** A complete warm copy of the regional footprint in `secondaryRegion` (any stack; required in prod; needs secondaryRegion; refused with aurora.rdsProxy; docs/regions.md). */
  standby: standbySchema.optional(),
  /**
   * The region that serves: `region`, or `secondaryRegion` with `standby`. Default: `region`. Flipping it moves the
   * roles (schedules, processors, scaling floors, pool order, migrations, the RPO alarm) and
   * replaces nothing; `npm run failover` hands over this change as its last step.
   */
  activeRegion: awsRegion.optional(),
  /** Deletion protection, Pulumi `protect`, retain-on-delete and final snapshots on stateful resources (required `true` in prod). */
  protect: configBoolean.default(false),
  /** Extra tags added to every provider's defaultTags (env, project and managed-by are always set). */
  tags: tagMap.default({}),
  network: networkSchema,
  aurora: auroraSchema,
  redis: redisSchema,
  /** S3 housekeeping. */
  storage: strictObject({
    /** Days ALB access logs are kept. */
    accessLogRetentionDays: intInRange(ACCESS_LOG_RETENTION_DAYS.min, ACCESS_LOG_RETENTION_DAYS.max).default(DATA_DEFAULTS.accessLogRetentionDays),
  }).default({ accessLogRetentionDays: DATA_DEFAULTS.accessLogRetentionDays }),
  /** AWS Backup of Aurora with a copy to the secondary region (required in prod; needs platform:secondaryRegion). */
  backup: backupSchema.optional(),
  /** The Cloudflare zone the platform is served from. */
  dns: strictObject({
    /**
     * The domain the stack serves under: the zone's apex (example.com) or a subdomain of it when
     * stacks share the zone (staging.example.com). The ALB certificate covers it and *.domain; the
     * hosts are inside it. A stack that owns a subdomain as a zone of its own (dev.example.com) is
     * refused below the Enterprise plan, which alone has Subdomain Support.
     */
    domain: hostname,
    /** Cloudflare zone id (32 hex characters, from the zone's overview page); the ACM validation records go there. */
    zoneId: z.string().regex(/^[0-9a-f]{32}$/, { error: "expected a Cloudflare zone id (32 hex characters)" }),
    /** Cloudflare account id (32 hex characters): load-balancing monitors and pools live there. Needed with platform:standby. */
    accountId: z.string().regex(/^[0-9a-f]{32}$/, { error: "expected a Cloudflare account id (32 hex characters)" }).optional(),
    /**
     * This stack manages the zone-wide settings (TLS, HSTS), the WAF, rate-limit and cache rulesets
     * and bot management. One stack per zone; the others (false) add only their records and load
     * balancers, set no edge.rateLimits or edge.waf.customRules, and the owner's rules cover their hosts too.
     */
    ownsZone: configBoolean.default(true),
  }),
  /** Cloudflare in front of the ALB, and the media host. */
  edge: edgeSchema,
  compute: computeSchema,
  services: z.array(serviceSchema).min(1, { error: "expected at least one service" }),
  /** Work queues, each with a DLQ and a job-processor service. */
  queues: z.array(queueSchema).default(COMPUTE_DEFAULTS.queues),
  /** EventBridge Scheduler schedules that run a service's task with another command. */
  schedules: z.array(scheduleSchema).default(COMPUTE_DEFAULTS.schedules),
  /** Third-party secrets (API keys) created empty in Secrets Manager; operators set their values. */
  secrets: z.array(resourceName).default(DATA_DEFAULTS.appSecrets),
  /** GitHub Actions access through OIDC. */
  ci: ciSchema,
  /** Datadog integration, monitors, SLOs, paging; CloudWatch last-resort alarms. */
  observability: observabilitySchema,
  /** Usage the cost estimate assumes, over the environment's defaults (policy/cost/usage.ts). */
  usage: usageSchema,
  /** Monthly AWS budget: an AWS Budgets budget with alerts, and the cost gate of plan and policy. */
  budget: budgetSchema.optional(),
  /** Override: accept a value AWS offers that config/catalogue.ts does not list yet, for aurora.instanceClass, aurora.engineVersion, redis.nodeType or redis.engineVersion (catalogued key -> that exact value). It must repeat the key's value: a stale or needless override is refused. Check the value against AWS first: nothing else catches a typo there. */
  catalogueOverrides: catalogueOverridesSchema,
};

export type Sections = typeof sections;
export type PlatformConfig = { [K in keyof Sections]: z.output<Sections[K]> };

/** One-line descriptions of each key, for error messages and the README's config reference. */
export const SECTION_DOCS: Record<keyof Sections, string> = {
  environment: `one of ${ENVIRONMENTS.join(", ")}`,
  awsAccountId: 'the 12-digit AWS account the stack deploys into, quoted, e.g. "111111111111"',
  region: "primary AWS region, e.g. us-east-1",
  secondaryRegion: "AWS region of the Aurora secondary cluster (required in prod)",
  standby: "the warm-standby region's capacity (required in prod)",
  activeRegion: "the region that serves: platform:region (default) or platform:secondaryRegion",
  protect: "true to protect stateful resources (required in prod)",
  tags: "extra tags for every AWS resource",
  network: "VPC, subnets, NAT, endpoints and flow logs",
  edge: "Cloudflare hosts, TLS, WAF, rate limits, bots and cache",
  aurora: "Aurora PostgreSQL (Global Database in prod)",
  redis: "ElastiCache Redis replication group",
  backup: "AWS Backup plan for Aurora (prod)",
  storage: "S3 housekeeping",
  dns: "the Cloudflare zone: domain, zone id, and whether this stack owns the zone-wide settings",
  compute: "ECS cluster, image tag, capacity, scaling defaults, deployments, migrations",
  services: "the ECS services behind the ALB",
  queues: "SQS work queues with DLQs and job processors",
  schedules: "scheduled tasks (EventBridge Scheduler)",
  secrets: "third-party secrets services may read",
  ci: "GitHub repositories allowed to deploy through OIDC",
  observability: "Datadog site and filters, paging, SLO targets, monitor thresholds",
  usage: "usage the cost estimate assumes (npm run cost), over the environment's defaults",
  budget: "monthly AWS budget, its alert thresholds and recipients",
  catalogueOverrides: "values AWS offers that config/catalogue.ts does not list yet, by key",
};
