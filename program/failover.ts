/**
 * The failover command's side of the program: the `failover` stack output it reads
 * (tools/failover/outputs.ts is its schema) and the role `failover.yml` assumes to run it. Both
 * exist only when prod has a warm standby and a Cloudflare region failover in front of it.
 */
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { Compute, Delivery } from "@platform/components/compute";
import { RegionPlan } from "./region";
import { Data, RegionalData } from "@platform/components/data";
import { Edge } from "@platform/components/edge";
import { StackSettings } from "../config";

export interface FailoverWiring {
  /** The `failover` stack output. */
  outputs: ReturnType<typeof failoverOutputs>;
  /** The role the failover workflow assumes (stack output ciRoleArns.failover). */
  role: aws.iam.Role;
}

interface Parts {
  data: Data;
  /** Every application region, home first, with its Compute and its share of Data. */
  regions: { plan: RegionPlan; compute: Compute; data: RegionalData }[];
  edge: Edge;
  delivery: Delivery;
}

/** Both regions, home first, with what the command touches in each: `role` is the slot (the home region is `primary`). */
function regionsOf(p: Parts) {
  return p.regions.map((r) => ({ region: r.plan.region, role: r.plan.role, clusterArn: r.data.aurora.clusterArn, replicationGroupId: r.data.application?.cache.replicationGroupId, c: r.compute }));
}

function failoverOutputs(cfg: StackSettings, p: Parts, pools: Record<string, unknown>, loadBalancers: { host: string; id: unknown }[]) {
  return {
    stack: pulumi.getStack(),
    globalClusterId: p.data.aurora.globalClusterId,
    /** The sessions' Global Datastore (absent when each region keeps a Redis of its own): the sessions step moves its primary. */
    globalDatastoreId: p.data.globalDatastoreId,
    healthUrl: `https://${cfg.dns.domain}${cfg.edge.failover.healthPath}`,
    regions: Object.fromEntries(
      regionsOf(p).map((r) => [
        r.region,
        {
          role: r.role,
          clusterArn: r.clusterArn,
          replicationGroupId: r.replicationGroupId,
          ecsCluster: r.c.clusterName,
          services: r.c.services.map((s) => s.serviceName),
          processors: r.c.queues.map((q) => q.processorServiceName),
          scheduleGroup: r.c.scheduleGroupName,
          schedules: cfg.schedules.map((s) => s.name),
          pool: pools[r.region],
        },
      ]),
    ),
    capacity: {
      /** Tasks each service runs once a region serves traffic (platform:standby.services[].failoverMinTasks, else its primary minimum). */
      services: Object.fromEntries(cfg.services.map((s) => [s.name, cfg.standby?.services[s.name]?.failoverMinTasks ?? (s.scaling ?? cfg.compute.scaling).minTasks])),
      /** Tasks each service keeps in the region that stands by. */
      standbyServices: Object.fromEntries(cfg.services.map((s) => [s.name, cfg.standby?.services[s.name]?.minTasks ?? cfg.standby?.minTasks ?? 1])),
      processors: Object.fromEntries(cfg.queues.map((q) => [`${q.name}-worker`, { min: q.processor.minTasks, max: q.processor.maxTasks }])),
    },
    cloudflare: {
      accountId: cfg.dns.accountId,
      loadBalancers: loadBalancers.map((l) => ({ host: l.host, id: l.id, zoneId: cfg.dns.zoneId })),
    },
  };
}

/** The failover output and role, or undefined when the stack has no warm standby behind a region failover. */
export function failoverWiring(cfg: StackSettings, parts: Parts): FailoverWiring | undefined {
  const failover = parts.edge.failover;
  const globalClusterId = parts.data.aurora.globalClusterId;
  if (parts.regions.length < 2 || !failover || !globalClusterId) return undefined;
  const p = parts;
  const role = p.delivery.ci.failoverRole("failover", {
    globalClusterId,
    globalDatastoreId: p.data.globalDatastoreId,
    regions: regionsOf(p).map((r) => ({
      region: r.region,
      clusterArn: r.clusterArn,
      clusterName: r.c.clusterName,
      serviceNames: [...r.c.services.map((s) => s.serviceName), ...r.c.queues.map((q) => q.processorServiceName)],
      scheduleGroupName: r.c.scheduleGroupName,
      scheduleNames: cfg.schedules.map((s) => s.name),
      schedulerRoleArn: r.c.schedulerRoleArn,
    })),
  });
  // What the command reads before it acts (tools/failover/preflight.ts, steps.ts), beyond the
  // component's grants: each member's engine version and instances, and the scaling bounds it never
  // lowers. DescribeDBClusters takes the cluster ARN; DescribeScalableTargets has no resource types, so
  // it is on `*` (https://docs.aws.amazon.com/service-authorization/latest/reference/list_amazonrds.html,
  // list_applicationautoscaling.html).
  new aws.iam.RolePolicy("failover-reads", {
    role: role.id,
    policy: pulumi.jsonStringify({
      Version: "2012-10-17",
      Statement: [
        { Sid: "ReadMembers", Effect: "Allow", Action: ["rds:DescribeDBClusters"], Resource: regionsOf(p).map((r) => r.clusterArn) },
        { Sid: "ReadScalingBounds", Effect: "Allow", Action: ["application-autoscaling:DescribeScalableTargets"], Resource: "*" },
      ],
    }),
  }, { parent: role });
  return { outputs: failoverOutputs(cfg, p, failover.pools, failover.loadBalancers), role };
}
