/**
 * What `npm run failover` reads: the stack output `failover` (index.ts), from `pulumi stack output
 * --json` or the offline plan's graph. Every problem is listed with the output key it concerns.
 */
import { z } from "zod";

const region = z.object({
  role: z.enum(["primary", "secondary"]),
  clusterArn: z.string().regex(/^arn:aws[\w-]*:rds:[a-z0-9-]+:\d{12}:cluster:/),
  /** The region's Redis replication group (a Global Datastore member where there is one). */
  replicationGroupId: z.string().min(1).optional(),
  ecsCluster: z.string().min(1),
  services: z.array(z.string().min(1)).min(1),
  processors: z.array(z.string().min(1)),
  scheduleGroup: z.string().min(1).optional(),
  schedules: z.array(z.string().min(1)),
  pool: z.string().regex(/^[0-9a-f]{32}$/),
});

export const failoverOutputsSchema = z
  .object({
  /** The stack these outputs are of (`--stack` must name it). */
  stack: z.string().min(1),
  globalClusterId: z.string().min(1),
  /** The sessions' ElastiCache Global Datastore (full id); with it, every region names its replication group. */
  globalDatastoreId: z.string().min(1).optional(),
  healthUrl: z.string().url(),
  regions: z.record(z.string(), region).refine((r) => Object.values(r).filter((x) => x.role === "primary").length === 1 && Object.keys(r).length === 2, {
    message: "expected exactly two regions, one of them primary",
  }),
  capacity: z.object({
    services: z.record(z.string(), z.number().int().min(1)),
    standbyServices: z.record(z.string(), z.number().int().min(0)),
    processors: z.record(z.string(), z.object({ min: z.number().int().min(0), max: z.number().int().min(0) })),
  }),
  cloudflare: z.object({
    accountId: z.string().regex(/^[0-9a-f]{32}$/),
    loadBalancers: z.array(z.object({ host: z.string(), id: z.string().regex(/^[0-9a-f]{32}$/), zoneId: z.string().regex(/^[0-9a-f]{32}$/) })).min(1),
  }),
  })
  .superRefine((o, ctx) => {
    if (!o.globalDatastoreId) return;
    for (const [name, r] of Object.entries(o.regions)) {
      if (!r.replicationGroupId) ctx.addIssue({ code: "custom", path: ["regions", name, "replicationGroupId"], message: "required with globalDatastoreId (the member the sessions step promotes)" });
    }
  });

export type FailoverOutputs = z.output<typeof failoverOutputsSchema>;
export type RegionOutputs = FailoverOutputs["regions"][string];

/** The `failover` output of a stack's outputs, or every problem with its key. */
export function readFailoverOutputs(stackOutputs: unknown): { ok: true; outputs: FailoverOutputs } | { ok: false; problems: string[] } {
  const failover = (stackOutputs as { failover?: unknown } | null)?.failover;
  if (failover === undefined) return { ok: false, problems: ["failover: the stack has no `failover` output (it needs platform:standby; run `pulumi up` first)"] };
  const result = failoverOutputsSchema.safeParse(failover);
  if (result.success) return { ok: true, outputs: result.data };
  return { ok: false, problems: result.error.issues.map((i) => `failover.${i.path.join(".")}: ${i.message}`) };
}
