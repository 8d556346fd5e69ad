/**
 * A game day without a cloud: a fake platform that answers the failover's calls the way AWS and
 * Cloudflare do, with realistic latencies on a simulated clock (the writer moves 75 s after a
 * switchover, 60 s after a failover; new tasks run 150 s after they are asked for; a pool change
 * reaches the edge in 20 s). Simulated time runs 1000x faster than real time.
 */
import type { ApplicationAutoScalingClient } from "@aws-sdk/client-application-auto-scaling";
import type { CloudWatchClient } from "@aws-sdk/client-cloudwatch";
import type { ECSClient } from "@aws-sdk/client-ecs";
import type { RDSClient } from "@aws-sdk/client-rds";
import type { SchedulerClient } from "@aws-sdk/client-scheduler";
import { Deps, Plan } from "./steps";

export const LATENCY_MS = { switchover: 75_000, failover: 60_000, taskStart: 150_000, edge: 20_000 } as const;
const SPEEDUP = 1000;

type Command = { constructor: { name: string }; input: Record<string, unknown> };

export function simulatedDeps(plan: Plan, log: (line: string) => void): Deps {
  let now = Date.parse("2026-11-26T03:00:00Z");
  const o = plan.outputs;
  const writer = { region: plan.from, movesAt: Infinity, to: plan.from };
  const services = new Map<string, { desired: number; running: number; readyAt: number }>();
  for (const [region, r] of Object.entries(o.regions)) {
    for (const name of r.services) {
      const tasks = region === plan.from ? (o.capacity.services[name] ?? 2) : (o.capacity.standbyServices[name] ?? 1);
      services.set(`${region}/${name}`, { desired: tasks, running: tasks, readyAt: 0 });
    }
  }
  const schedules = new Map<string, string>();
  for (const [region, r] of Object.entries(o.regions)) for (const s of r.schedules) schedules.set(`${region}/${s}`, region === plan.from ? "ENABLED" : "DISABLED");
  const pools = { first: o.regions[plan.from].pool, changedAt: Infinity, next: "" };

  const settle = () => {
    if (now >= writer.movesAt) writer.region = writer.to;
    for (const s of services.values()) if (now >= s.readyAt) s.running = s.desired;
    if (now >= pools.changedAt) pools.first = pools.next;
  };
  const client = (region: string) => ({
    send: async (cmd: Command) => {
      settle();
      const i = cmd.input;
      switch (cmd.constructor.name) {
        case "DescribeGlobalClustersCommand":
          return { GlobalClusters: [{ Status: now < writer.movesAt && writer.movesAt !== Infinity ? "switching-over" : "available", GlobalClusterMembers: Object.entries(o.regions).map(([r, x]) => ({ DBClusterArn: x.clusterArn, IsWriter: r === writer.region })) }] };
        case "SwitchoverGlobalClusterCommand":
        case "FailoverGlobalClusterCommand":
          writer.to = plan.to;
          writer.movesAt = now + (cmd.constructor.name === "FailoverGlobalClusterCommand" ? LATENCY_MS.failover : LATENCY_MS.switchover);
          return {};
        case "GetMetricDataCommand":
          return { MetricDataResults: [{ Values: [120, 180, 95] }] };
        case "DescribeServicesCommand":
          return { services: (i.services as string[]).map((n) => ({ serviceName: n, desiredCount: services.get(`${region}/${n}`)?.desired, runningCount: services.get(`${region}/${n}`)?.running })) };
        case "UpdateServiceCommand": {
          const s = services.get(`${region}/${String(i.service)}`)!;
          s.desired = Number(i.desiredCount);
          s.readyAt = now + LATENCY_MS.taskStart;
          return {};
        }
        case "RegisterScalableTargetCommand":
          return {};
        case "GetScheduleCommand":
          return { Name: i.Name, GroupName: i.GroupName, State: schedules.get(`${region}/${String(i.Name)}`), ScheduleExpression: "rate(15 minutes)", FlexibleTimeWindow: { Mode: "OFF" }, Target: { Arn: "arn", RoleArn: "role" } };
        case "UpdateScheduleCommand":
          schedules.set(`${region}/${String(i.Name)}`, String(i.State));
          return {};
        default:
          throw new Error(`simulation: no answer for ${cmd.constructor.name}`);
      }
    },
  });
  const fakeFetch = (async (url: string, init?: { method?: string; body?: string }) => {
    settle();
    if (url === o.healthUrl) return { ok: true, status: pools.first === o.regions[plan.to].pool && writer.region === plan.to ? 200 : 503, json: async () => ({}) };
    if (init?.method === "PATCH") {
      pools.next = (JSON.parse(String(init.body)) as { default_pools: string[] }).default_pools[0];
      pools.changedAt = now + LATENCY_MS.edge;
    }
    return { ok: true, status: 200, json: async () => ({ success: true, result: { default_pools: [pools.first] } }) };
  }) as unknown as typeof fetch;

  return {
    rds: (r) => client(r) as unknown as RDSClient,
    ecs: (r) => client(r) as unknown as ECSClient,
    autoscaling: (r) => client(r) as unknown as ApplicationAutoScalingClient,
    scheduler: (r) => client(r) as unknown as SchedulerClient,
    cloudwatch: (r) => client(r) as unknown as CloudWatchClient,
    fetch: fakeFetch,
    cloudflareToken: "simulated",
    now: () => now,
    sleep: async (ms) => {
      now += ms;
      await new Promise((r) => setTimeout(r, ms / SPEEDUP));
    },
    log,
  };
}
