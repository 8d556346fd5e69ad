import { z } from "zod";
import { ELASTICACHE_NODE_TYPES } from "./catalogue";
import { configBoolean, intInRange, resourceName, strictObject } from "./fields";

/**
 * `platform:standby`: the warm-standby region (any stack; prod requires it). It runs the same services, job processors,
 * Redis and schedules as the primary in `platform:secondaryRegion`, scaled down until a failover
 * (`npm run failover`) scales it up to `failover` capacity.
 */
export const standbySchema = strictObject({
  /** Tasks each service keeps running in the standby region. Default 1 (warm, not cold). */
  minTasks: intInRange(0, 100).default(1),
  /** Per-service overrides, by service name. */
  services: z
    .record(
      resourceName,
      strictObject({
        /** Tasks this service keeps running in standby. */
        minTasks: intInRange(0, 100).optional(),
        /** Tasks it runs once it serves traffic after a failover. Default: its primary `scaling.minTasks`. */
        failoverMinTasks: intInRange(1, 100).optional(),
      }),
    )
    .default({}),
  /**
   * Job processors in standby: `scaledToZero` (default; the standby's queues get no events while
   * the primary is active) or `running` (same bounds as in the primary).
   */
  processors: z.enum(["scaledToZero", "running"]).default("scaledToZero"),
  /** Redis replicas of the standby's cache (a Global Datastore member; see docs/regions.md). Default 1. */
  redisReplicas: intInRange(0, 5).default(1),
  /**
   * Join both regions' Redis in an ElastiCache Global Datastore so sessions and rate-limit counters
   * survive a failover (default `true`); `false` keeps a cold cache of the standby's own.
   */
  redisGlobalDatastore: configBoolean.default(true),
});

/** Cross-key rules of `platform:standby`, keyed relative to `platform:` (validate.ts adds the namespace). */
export function standbyProblems(c: Record<string, unknown>): [string, string][] {
  if (c.standby === undefined) return [];
  const out: [string, string][] = [];
  const standby = (c.standby ?? {}) as { services?: Record<string, unknown> };
  if (c.secondaryRegion === undefined) {
    out.push(["standby", "needs platform:secondaryRegion: the standby runs in the Aurora Global Database's secondary region, which holds its copy of the data"]);
  }
  const services = Array.isArray(c.services) ? (c.services as { name?: unknown }[]).map((s) => s.name) : [];
  for (const name of Object.keys(standby.services ?? {})) {
    if (services.length && !services.includes(name)) out.push([`standby.services.${name}`, `is not a service in platform:services (${services.join(", ")})`]);
  }
  const dns = (c.dns ?? {}) as { accountId?: unknown };
  if (c.dns !== undefined && dns.accountId === undefined) out.push(["dns.accountId", "is required with platform:standby: Cloudflare's load-balancing monitors and pools belong to the account"]);
  const edge = (c.edge ?? {}) as { addOns?: unknown };
  if (c.edge !== undefined && !(Array.isArray(edge.addOns) && edge.addOns.includes("loadBalancing"))) {
    out.push(["edge.addOns", 'must include "loadBalancing" with platform:standby: the hosts fail over through Cloudflare Load Balancing, a paid add-on of the zone']);
  }
  const aurora = (c.aurora ?? {}) as { rdsProxy?: unknown };
  if (aurora.rdsProxy === true) {
    out.push([
      "aurora.rdsProxy",
      "cannot be used with platform:standby: a proxy follows its own cluster, so after a switchover writes through it fail, while services on the global writer endpoint follow the writer with no redeploy (https://docs.aws.amazon.com/AmazonRDS/latest/AuroraUserGuide/rds-proxy-gdb.html)",
    ]);
  }
  out.push(...globalDatastoreProblems(c));
  return out;
}

/**
 * An ElastiCache Global Datastore needs the same node type and engine version in every member, a
 * node of size large or more from the M5/R5 generation on, and Redis OSS 5.0.6 or later
 * (https://docs.aws.amazon.com/AmazonElastiCache/latest/dg/Redis-Global-Datastores-Getting-Started.html,
 * read 2026-12-01). Members inherit the type and version from the datastore, so one setting
 * (`platform:redis`) serves both; `redis.engineVersion` is 7.x already (schema.ts), and encryption at
 * rest and in transit are always on here.
 */
function globalDatastoreProblems(c: Record<string, unknown>): [string, string][] {
  const standby = (c.standby ?? {}) as { redisGlobalDatastore?: unknown };
  if (standby.redisGlobalDatastore === false || standby.redisGlobalDatastore === "false") return [];
  const redis = (c.redis ?? {}) as { nodeType?: unknown };
  const out: [string, string][] = [];
  const why = "with platform:standby.redisGlobalDatastore (the default)";
  // A node type outside the catalogue is refused there (config/catalogue.ts), once.
  if (typeof redis.nodeType === "string" && ELASTICACHE_NODE_TYPES.includes(redis.nodeType) && !/^cache\.(m|r)[5-9][a-z]*\.(large|\d*xlarge)$/.test(redis.nodeType)) {
    out.push(["redis.nodeType", `expected a node of size large or more from the M5/R5 generation on (e.g. cache.r7g.large) ${why}: a Global Datastore does not run on ${redis.nodeType}`]);
  }
  return out;
}

/**
 * `platform:activeRegion` names one of the stack's two regions, and the secondary one only when it
 * runs the services (a warm standby): a data-only secondary region cannot serve.
 */
export function activeRegionProblems(c: Record<string, unknown>): [string, string][] {
  if (c.activeRegion === undefined) return [];
  const active = String(c.activeRegion);
  if (c.secondaryRegion === undefined) return [["activeRegion", "is only used with platform:secondaryRegion: a stack with one region has no other to serve from"]];
  if (active !== c.region && active !== c.secondaryRegion) {
    return [["activeRegion", `expected platform:region (${String(c.region)}) or platform:secondaryRegion (${String(c.secondaryRegion)}), got ${active}`]];
  }
  if (active === c.secondaryRegion && c.standby === undefined) {
    return [["activeRegion", `names the secondary region ${active}, which runs no services without platform:standby`]];
  }
  return [];
}
