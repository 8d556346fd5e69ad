import { z } from "zod";
import { intInRange, resourceName, strictObject } from "./fields";

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
  /** Redis replicas of the standby's cache (its own replication group; see README "Data"). Default 1. */
  redisReplicas: intInRange(0, 5).default(1),
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
  return out;
}
