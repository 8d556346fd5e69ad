/**
 * The data layer's defaults and limits, one place each: every `@default` of DataArgs and of the
 * args of AuroraGlobal, Cache and Backups is applied by the component that owns the field (its
 * `with…Defaults`), and each of them checks its limits before it creates anything. The program's
 * config schema (config/schema.ts) takes the same constants as its zod defaults and limits.
 */
import { Defaulted, withDefaults } from "../lib/defaults";
import { ArgsProblems, logRetentionProblem, matching, oneOf, resourceNameProblem, wholeNumber } from "../lib/validate";
import { ApplicationPlacement, AuroraSettings, DataArgs } from "./args";
import { AuroraGlobalArgs } from "./auroraArgs";
import type { BackupsArgs } from "./backup";
import type { CacheArgs } from "./cache";

export const AURORA_DEFAULTS = {
  readers: 0,
  databaseName: "app",
  masterUsername: "app_admin",
  backupRetentionDays: 7,
  backupWindow: "03:00-04:00",
  maintenanceWindow: "sun:05:00-sun:06:00",
  performanceInsightsRetentionDays: 7 as const,
  monitoringIntervalSeconds: 60 as const,
  protect: false,
} satisfies Partial<AuroraGlobalArgs>;
export const AURORA_SETTINGS_DEFAULTS = { secondaryReaders: 0, rdsProxy: false } satisfies Partial<AuroraSettings>;
export const CACHE_DEFAULTS = { replicas: 0, snapshotRetentionDays: 1, parameters: {}, slowLogRetentionDays: 30, protect: false } satisfies Partial<CacheArgs>;
export const BACKUP_DEFAULTS = { schedule: "cron(0 5 * * ? *)" } satisfies Partial<BackupsArgs>;
/** A second application region keeps a Redis of its own unless asked to join a Global Datastore. */
export const APPLICATION_PLACEMENT_DEFAULTS = { globalDatastore: false } satisfies Partial<ApplicationPlacement>;
export const DATA_DEFAULTS = { protect: false, accessLogRetentionDays: 90, appSecrets: [] } satisfies Partial<DataArgs>;

/** Limits of the data layer's args. */
export const AURORA_READERS = { min: 0, max: 15 } as const;
export const AURORA_BACKUP_RETENTION_DAYS = { min: 1, max: 35 } as const;
export const PERFORMANCE_INSIGHTS_RETENTION_DAYS = [7, 31, 93, 186, 372, 731] as const;
export const MONITORING_INTERVAL_SECONDS = [0, 1, 5, 10, 15, 30, 60] as const;
export const SERVERLESS_ACU = { min: 0, max: 256 } as const;
export const REDIS_REPLICAS = { min: 0, max: 5 } as const;
export const REDIS_SNAPSHOT_RETENTION_DAYS = { min: 0, max: 35 } as const;
export const ACCESS_LOG_RETENTION_DAYS = { min: 1, max: 3650 } as const;
export const BACKUP_RETENTION_DAYS = { min: 35, max: 3650 } as const;
/** `hh:mm-hh:mm` in UTC, as RDS takes backup windows. */
export const DAILY_WINDOW = /^([01]\d|2[0-3]):[0-5]\d-([01]\d|2[0-3]):[0-5]\d$/;
/** `ddd:hh:mm-ddd:hh:mm` in UTC, as RDS takes maintenance windows. */
export const WEEKLY_WINDOW = /^(mon|tue|wed|thu|fri|sat|sun):([01]\d|2[0-3]):[0-5]\d-(mon|tue|wed|thu|fri|sat|sun):([01]\d|2[0-3]):[0-5]\d$/;
export const DATABASE_NAME = /^[a-z][a-z0-9_]{0,62}$/;
export const MASTER_USERNAME = /^[a-z][a-z0-9_]{0,15}$/;
/** Redis OSS 7.x: transit encryption mode `required` and the auth token need 7 or later. */
export const REDIS_ENGINE_VERSION = /^7\.\d+$/;

export type ResolvedAuroraArgs = Defaulted<AuroraGlobalArgs, typeof AURORA_DEFAULTS>;
export type ResolvedCacheArgs = Defaulted<CacheArgs, typeof CACHE_DEFAULTS>;
export type ResolvedDataArgs = Omit<Defaulted<DataArgs, typeof DATA_DEFAULTS>, "aurora"> & { aurora: Defaulted<AuroraSettings, typeof AURORA_SETTINGS_DEFAULTS> };

export const withAuroraDefaults = (args: AuroraGlobalArgs): ResolvedAuroraArgs => withDefaults(args, AURORA_DEFAULTS);
export const withCacheDefaults = (args: CacheArgs): ResolvedCacheArgs => withDefaults(args, CACHE_DEFAULTS);
export const withBackupDefaults = (args: BackupsArgs) => withDefaults(args, BACKUP_DEFAULTS);
export function withDataDefaults(args: DataArgs): ResolvedDataArgs {
  return { ...withDefaults(args, DATA_DEFAULTS), aurora: withDefaults(args.aurora, AURORA_SETTINGS_DEFAULTS) };
}

const range = (r: { min: number; max: number }) => wholeNumber(r.min, r.max);

/** Records the problems of Aurora's settings, under `at`. */
export function auroraProblems(p: ArgsProblems, at: string, a: Partial<AuroraGlobalArgs>): void {
  p.check(`${at}engineVersion`, a.engineVersion, matching(/^\d{2}\.\d+$/, "expected an Aurora PostgreSQL version such as 16.6"));
  p.check(`${at}readers`, a.readers, range(AURORA_READERS));
  p.check(`${at}databaseName`, a.databaseName, matching(DATABASE_NAME, "expected a PostgreSQL identifier (a-z, 0-9, _)"));
  p.check(`${at}masterUsername`, a.masterUsername, matching(MASTER_USERNAME, "expected 1-16 of a-z, 0-9 and _, starting with a letter"));
  p.check(`${at}backupRetentionDays`, a.backupRetentionDays, range(AURORA_BACKUP_RETENTION_DAYS));
  p.check(`${at}backupWindow`, a.backupWindow, matching(DAILY_WINDOW, "expected a UTC window such as 03:00-04:00"));
  p.check(`${at}maintenanceWindow`, a.maintenanceWindow, matching(WEEKLY_WINDOW, "expected a UTC window such as sun:05:00-sun:06:00"));
  p.check(`${at}performanceInsightsRetentionDays`, a.performanceInsightsRetentionDays, oneOf(PERFORMANCE_INSIGHTS_RETENTION_DAYS as readonly number[], "Performance Insights retention days"));
  p.check(`${at}monitoringIntervalSeconds`, a.monitoringIntervalSeconds, oneOf(MONITORING_INTERVAL_SECONDS as readonly number[], "enhanced-monitoring intervals"));
  if (a.serverless) {
    p.check(`${at}serverless.minAcu`, a.serverless.minAcu, (n) => (n >= SERVERLESS_ACU.min && n <= SERVERLESS_ACU.max ? undefined : `expected ${SERVERLESS_ACU.min} to ${SERVERLESS_ACU.max} ACUs, got ${n}`));
    p.check(`${at}serverless.maxAcu`, a.serverless.maxAcu, (n) => (n >= 1 && n <= SERVERLESS_ACU.max && n >= a.serverless!.minAcu ? undefined : `expected 1 to ${SERVERLESS_ACU.max} ACUs, at least minAcu, got ${n}`));
  }
}

/** Records the problems of Redis's settings, under `at`. */
export function cacheProblems(p: ArgsProblems, at: string, c: Partial<CacheArgs>): void {
  p.check(`${at}engineVersion`, c.engineVersion, matching(REDIS_ENGINE_VERSION, "expected Redis OSS 7.x, e.g. 7.1 (transit encryption mode 'required' needs 7 or later)"));
  p.check(`${at}nodeType`, c.nodeType, matching(/^cache\.[a-z0-9]+\.[a-z0-9]+$/, "expected a node type such as cache.r7g.large"));
  p.check(`${at}replicas`, c.replicas, range(REDIS_REPLICAS));
  p.check(`${at}snapshotRetentionDays`, c.snapshotRetentionDays, range(REDIS_SNAPSHOT_RETENTION_DAYS));
  p.check(`${at}slowLogRetentionDays`, c.slowLogRetentionDays, logRetentionProblem);
}

/** Throws one error naming every arg of `args` outside Data's limits. */
export function checkDataArgs(component: string, args: DataArgs): void {
  const p = new ArgsProblems(component);
  auroraProblems(p, "aurora.", args.aurora);
  p.check("aurora.secondaryReaders", args.aurora.secondaryReaders, range(AURORA_READERS));
  cacheProblems(p, "redis.", args.redis);
  p.check("accessLogRetentionDays", args.accessLogRetentionDays, range(ACCESS_LOG_RETENTION_DAYS));
  p.check("backup.retentionDays", args.backup?.retentionDays, range(BACKUP_RETENTION_DAYS));
  (args.appSecrets ?? []).forEach((s, i) => p.check(`appSecrets[${i}]`, s, resourceNameProblem));
  if (args.secondary?.application) p.check("secondary.application.redisReplicas", args.secondary.application.redisReplicas, range(REDIS_REPLICAS));
  p.throwIfAny();
}
