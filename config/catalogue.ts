/**
 * Values AWS takes from a closed catalogue: a value outside it plans fine offline (the mocks take
 * anything) and fails at deploy. Each list names its source and the date it was read; a value
 * newer than the list is accepted only through `platform:catalogueOverrides`, which repeats the
 * exact value so a later change of the key is checked again.
 *
 * Fargate CPU/memory pairs are the catalogue in config/compute.ts (FARGATE_SIZES, same date).
 */
import { z } from "zod";
import { NAMESPACE, ConfigProblem } from "./problems";
import { record, str } from "./raw";

/** When the lists below were read from their sources. */
export const CATALOGUE_DATE = "2026-12-01";

const sizes = (family: string, names: string[]) => names.map((n) => `${family}.${n}`);

/**
 * Instance classes Aurora PostgreSQL runs on
 * (https://docs.aws.amazon.com/AmazonRDS/latest/AuroraUserGuide/Concepts.DBInstanceClass.SupportAurora.html).
 * There is no `medium` in the memory-optimised families (db.r6g.medium does not exist).
 */
export const AURORA_POSTGRESQL_CLASSES: readonly string[] = [
  "db.serverless",
  ...sizes("db.r8g", ["large", "xlarge", "2xlarge", "4xlarge", "8xlarge", "12xlarge", "16xlarge", "24xlarge", "48xlarge"]),
  ...sizes("db.r7g", ["large", "xlarge", "2xlarge", "4xlarge", "8xlarge", "12xlarge", "16xlarge"]),
  ...sizes("db.r7i", ["large", "xlarge", "2xlarge", "4xlarge", "8xlarge", "12xlarge", "16xlarge", "24xlarge", "48xlarge"]),
  ...sizes("db.r6g", ["large", "xlarge", "2xlarge", "4xlarge", "8xlarge", "12xlarge", "16xlarge"]),
  ...sizes("db.r6i", ["large", "xlarge", "2xlarge", "4xlarge", "8xlarge", "12xlarge", "16xlarge", "24xlarge", "32xlarge"]),
  ...sizes("db.r5", ["large", "xlarge", "2xlarge", "4xlarge", "8xlarge", "12xlarge", "16xlarge", "24xlarge"]),
  ...sizes("db.x2g", ["large", "xlarge", "2xlarge", "4xlarge", "8xlarge", "12xlarge", "16xlarge"]),
  ...sizes("db.t4g", ["medium", "large"]),
  ...sizes("db.t3", ["medium", "large"]),
];

/**
 * Aurora PostgreSQL versions a new cluster can start on, from the upgrade-target table
 * (https://docs.aws.amazon.com/AmazonRDS/latest/AuroraUserGuide/USER_UpgradeDBInstance.PostgreSQL.UpgradeVersion.html).
 * Older majors are left out on purpose: a new platform should not start on them.
 */
// 17.7 (2025-12-18) and 17.9 (2026-04-06): the apg_plan_mgmt release notes name them
// (https://docs.aws.amazon.com/AmazonRDS/latest/AuroraPostgreSQLReleaseNotes/auroraqpm.updates.html).
// Minor versions AWS released after the lists were read pass with platform:catalogueOverrides.
export const AURORA_POSTGRESQL_VERSIONS: readonly string[] = ["16.1", "16.2", "16.3", "16.4", "16.6", "16.8", "16.9", "16.10", "17.4", "17.5", "17.6", "17.7", "17.9"];

/**
 * ElastiCache node types of the current generation
 * (https://docs.aws.amazon.com/AmazonElastiCache/latest/dg/CacheNodes.SupportedTypes.html).
 * The burstable families stop at medium, the others start at large (cache.r7g.small does not exist).
 */
export const ELASTICACHE_NODE_TYPES: readonly string[] = [
  ...sizes("cache.m7g", ["large", "xlarge", "2xlarge", "4xlarge", "8xlarge", "12xlarge", "16xlarge"]),
  ...sizes("cache.m6g", ["large", "xlarge", "2xlarge", "4xlarge", "8xlarge", "12xlarge", "16xlarge"]),
  ...sizes("cache.m5", ["large", "xlarge", "2xlarge", "4xlarge", "12xlarge", "24xlarge"]),
  ...sizes("cache.r7g", ["large", "xlarge", "2xlarge", "4xlarge", "8xlarge", "12xlarge", "16xlarge"]),
  ...sizes("cache.r6g", ["large", "xlarge", "2xlarge", "4xlarge", "8xlarge", "12xlarge", "16xlarge"]),
  ...sizes("cache.r5", ["large", "xlarge", "2xlarge", "4xlarge", "12xlarge", "24xlarge"]),
  ...sizes("cache.t4g", ["micro", "small", "medium"]),
  ...sizes("cache.t3", ["micro", "small", "medium"]),
];

/** Redis OSS 7 versions ElastiCache offers (https://docs.aws.amazon.com/AmazonElastiCache/latest/dg/engine-versions.html). */
export const ELASTICACHE_REDIS_VERSIONS: readonly string[] = ["7.0", "7.1"];

/**
 * A listener rule's path pattern is at most 128 characters
 * (https://docs.aws.amazon.com/elasticloadbalancing/latest/application/rule-condition-types.html#path-conditions).
 */
export const ALB_PATH_PATTERN_MAX = 128;

/** The keys whose values come from a catalogue above, and that catalogue. */
const CATALOGUED = {
  "aurora.instanceClass": { values: AURORA_POSTGRESQL_CLASSES, what: "an Aurora PostgreSQL instance class" },
  "aurora.engineVersion": { values: AURORA_POSTGRESQL_VERSIONS, what: "an Aurora PostgreSQL version" },
  "redis.nodeType": { values: ELASTICACHE_NODE_TYPES, what: "an ElastiCache node type" },
  "redis.engineVersion": { values: ELASTICACHE_REDIS_VERSIONS, what: "an ElastiCache Redis OSS version" },
} as const;
type CataloguedKey = keyof typeof CATALOGUED;

/**
 * `platform:catalogueOverrides`: key -> the exact value to accept although the catalogue (of
 * CATALOGUE_DATE) does not list it, e.g. `{ "redis.nodeType": "cache.r8g.large" }`. Check the
 * value against AWS first; the plan prints nothing else to stop a typo.
 */
export const catalogueOverridesSchema = z
  .partialRecord(z.enum(Object.keys(CATALOGUED) as [CataloguedKey, ...CataloguedKey[]]), z.string())
  .default({});

/** The catalogue's values of the same family (`cache.r7g`, `16`), else the first dozen. */
function near(value: string, values: readonly string[]): string {
  const family = value.split(".").slice(0, -1).join(".");
  const same = values.filter((v) => family && v.startsWith(`${family}.`));
  const shown = same.length ? same : values.slice(0, 12);
  return `${shown.join(", ")}${shown.length < values.length && !same.length ? ", …" : ""}`;
}

/** Every catalogued key whose value the catalogue does not list and no override accepts, and every stale override. */
export function catalogueProblems(c: Record<string, unknown>, failed: Set<string> = new Set()): ConfigProblem[] {
  const problems: ConfigProblem[] = [];
  const add = (key: string, message: string) => problems.push({ key: `${NAMESPACE}:${key}`, message });
  const overrides = record(c.catalogueOverrides) as Partial<Record<CataloguedKey, unknown>>;
  for (const [key, { values, what }] of Object.entries(CATALOGUED) as [CataloguedKey, (typeof CATALOGUED)[CataloguedKey]][]) {
    const [section, field] = key.split(".");
    // A section that failed its schema has its own problems listed; its raw value may be of any form.
    const value = failed.has(section) ? undefined : str(record(c[section])[field]);
    const override = overrides[key];
    if (failed.has(section)) continue;
    if (override !== undefined && override !== value) {
      add(`catalogueOverrides.${key}`, `overrides ${JSON.stringify(override)} but platform:${key} is ${JSON.stringify(value)}; remove the override or make it match`);
    } else if (override !== undefined && values.includes(override as string)) {
      add(`catalogueOverrides.${key}`, `is not needed: ${override} is in the catalogue; remove it`);
    }
    if (value === undefined || values.includes(value) || override === value) continue;
    add(key, `expected ${what} (catalogue of ${CATALOGUE_DATE}: ${near(value, values)}), got ${JSON.stringify(value)}; if AWS offers it since, set platform:catalogueOverrides.${key} to ${JSON.stringify(value)}`);
  }
  return problems;
}
