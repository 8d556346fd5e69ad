/**
 * A game day without a cloud: fake clients that answer the failover's calls the way AWS and
 * Cloudflare do, over a `SimWorld` (simWorld.ts) and a simulated clock, with realistic latencies
 * (the writer moves 75 s after a switchover, 60 s after a failover; the Global Datastore's primary
 * 60 s after its failover; new tasks run 150 s after they are asked for; a pool change reaches the
 * edge in 20 s) and the drill's faults (faults.ts).
 */
import type { ApplicationAutoScalingClient } from "@aws-sdk/client-application-auto-scaling";
import type { CloudWatchClient } from "@aws-sdk/client-cloudwatch";
import type { ECSClient } from "@aws-sdk/client-ecs";
import type { ElastiCacheClient } from "@aws-sdk/client-elasticache";
import type { RDSClient } from "@aws-sdk/client-rds";
import type { SchedulerClient } from "@aws-sdk/client-scheduler";
import { CLIENT_LIMITS } from "./clients";
import { simulatedClock } from "./clock";
import { Fault } from "./faults";
import { FailoverOutputs } from "./outputs";
import { SimWorld } from "./simWorld";
import { Deps } from "./types";

export const LATENCY_MS = { call: 150, switchover: 75_000, failover: 60_000, sessions: 60_000, taskStart: 150_000, edge: 20_000 } as const;

// A command's input as the fake reads it: any field of any of the failover's commands.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Input = Record<string, any>;
type Command = { constructor: { name: string }; input: Input };
const awsError = (name: string, message: string, status: number, fault: "client" | "server" = "client") => Object.assign(new Error(message), { name, $fault: fault, $metadata: { httpStatusCode: status } });

/** Deps over `w` for one run with `faults`; `done()` settles the world for saving. */
export function simulatedDeps(o: FailoverOutputs, w: SimWorld, faults: Fault[], log: (line: string) => void, speedup = Infinity): Deps & { done(): void } {
  w.runs += 1;
  // A world saved before the datastore was modelled: its primary never moved from home.
  if (o.globalDatastoreId && !w.datastore) w.datastore = { primary: Object.entries(o.regions).find(([, r]) => r.role === "primary")![0] };
  for (const f of faults) if (f.kind === "clock") w.now += f.minutes * 60_000;
  for (const f of faults) if (f.kind === "lag") w.lagMs = f.ms;
  const clock = simulatedClock(w.now, speedup);
  const pending = faults.filter((f) => f.kind === "call");
  const down = new Set(faults.flatMap((f) => (f.kind === "down" ? [f.region] : [])));
  const stuck = faults.some((f) => f.kind === "stuck" && f.what === "database");
  const sessionsStuck = faults.some((f) => f.kind === "stuck" && f.what === "sessions");
  const halfUp = faults.filter((f) => f.kind === "region");
  const regionOf = (arn: string) => Object.entries(o.regions).find(([, r]) => r.clusterArn === arn)![0];
  const writer = () => w.writers[w.writers.length - 1].region;
  const record = (region: string, op: string, what = "") => w.calls.push(`run ${w.runs} ${region} ${op}${what ? ` ${what}` : ""}`);

  const settle = () => {
    w.now = clock.now();
    if (w.operation && !stuck && w.now >= w.operation.completesAt) {
      w.writers.push({ region: w.operation.to, since: w.operation.completesAt });
      w.operation = undefined;
    }
    const ds = w.datastore;
    if (ds?.pending && !sessionsStuck && w.now >= ds.pending.completesAt) w.datastore = { primary: ds.pending.to };
    for (const s of Object.values(w.services)) if (w.now >= s.readyAt) s.running = s.desired;
    if (w.pools.pending && w.now >= w.pools.pending.at) w.pools = { first: w.pools.pending.first };
  };
  /** The next fault for this call, used up. */
  const take = (service: string, op: string) => {
    const i = pending.findIndex((f) => f.kind === "call" && f.service === service && (!f.operation || f.operation === op));
    return i < 0 ? undefined : (pending.splice(i, 1)[0] as Extract<Fault, { kind: "call" }>);
  };
  const wait = (ms: number) => (clock.advance(ms), settle());
  const service = (region: string, name: string) => w.services[`${region}/${name}`];
  const desire = (s: SimService, n: number) => {
    if (n > s.running) s.readyAt = w.now + LATENCY_MS.taskStart;
    else s.running = n;
    s.desired = n;
  };
  type SimService = SimWorld["services"][string];

  const answer = (region: string, svc: string, op: string, i: Input): unknown => {
    const name = (arn: string) => String(arn).split("/").pop()!;
    switch (op) {
      case "DescribeGlobalClusters": {
        const x = w.operation;
        const status = x ? (x.kind === "switchover" ? "switching-over" : "failing-over") : "available";
        const members = Object.entries(o.regions).map(([r, c]) => ({ DBClusterArn: c.clusterArn, IsWriter: r === writer(), SynchronizationStatus: "connected" }));
        return { GlobalClusters: [{ GlobalClusterIdentifier: o.globalClusterId, Status: status, GlobalClusterMembers: members, FailoverState: x ? { Status: status, FromDbClusterArn: o.regions[x.from].clusterArn, ToDbClusterArn: o.regions[x.to].clusterArn, IsDataLossAllowed: x.kind === "failover" } : undefined }] };
      }
      case "DescribeDBClusters":
        return { DBClusters: [{ DBClusterArn: i.DBClusterIdentifier, Status: "available", EngineVersion: "16.4", DBClusterMembers: [{ DBInstanceIdentifier: `${region}-1`, IsClusterWriter: regionOf(i.DBClusterIdentifier) === writer() }] }] };
      case "SwitchoverGlobalCluster":
      case "FailoverGlobalCluster": {
        const to = regionOf(i.TargetDbClusterIdentifier);
        const kind = op === "SwitchoverGlobalCluster" ? "switchover" : "failover";
        if (w.operation) throw awsError("InvalidGlobalClusterStateFault", `a ${w.operation.kind} is already in progress`, 400);
        // AWS's guide: a switchover is sent in the primary's region, a failover in the target's.
        if (region !== (kind === "switchover" ? writer() : to)) throw awsError("InvalidParameterValue", `simulation: a ${kind} is sent in ${kind === "switchover" ? writer() : to}, not ${region}`, 400);
        if (kind === "failover" && i.AllowDataLoss !== true) throw awsError("InvalidParameterValue", "simulation: an unplanned failover needs AllowDataLoss", 400);
        record(region, op, `to ${to}`);
        w.operation = { kind, from: writer(), to, completesAt: w.now + LATENCY_MS[kind] };
        return {};
      }
      case "DescribeGlobalReplicationGroups": {
        const ds = w.datastore!;
        const members = Object.entries(o.regions).map(([r, c]) => ({ ReplicationGroupId: c.replicationGroupId, ReplicationGroupRegion: r, Role: r === ds.primary ? "PRIMARY" : "SECONDARY", Status: "associated" }));
        return { GlobalReplicationGroups: [{ GlobalReplicationGroupId: o.globalDatastoreId, Status: ds.pending ? "modifying" : "available", Members: i.ShowMemberInfo ? members : undefined }] };
      }
      case "FailoverGlobalReplicationGroup": {
        const ds = w.datastore!;
        const to = Object.entries(o.regions).find(([, c]) => c.replicationGroupId === i.PrimaryReplicationGroupId)?.[0];
        if (ds.pending) throw awsError("InvalidGlobalReplicationGroupStateFault", "The Global datastore is not available (modifying)", 400);
        if (!to || to !== i.PrimaryRegion) throw awsError("InvalidParameterValue", `simulation: ${i.PrimaryReplicationGroupId} is not the member in ${i.PrimaryRegion}`, 400);
        record(region, op, `to ${to}`);
        ds.pending = { to, completesAt: w.now + LATENCY_MS.sessions };
        return {};
      }
      case "GetMetricData": {
        const q = i.MetricDataQueries[0].MetricStat.Metric.Dimensions[0].Value as string;
        const r = Object.entries(o.regions).find(([, c]) => c.clusterArn.endsWith(`:cluster:${q}`))![0];
        const wroteAt = (t: number) => [...w.writers].reverse().find((x) => x.since <= t)?.region === r;
        const minutes = [];
        for (let t = +new Date(i.StartTime); t < +new Date(i.EndTime); t += 60_000) if (!wroteAt(t)) minutes.push(w.lagMs);
        return { MetricDataResults: [{ Id: "lag", Values: minutes }] };
      }
      case "DescribeServices":
        return { services: i.services.map((n: string) => ({ serviceName: n, desiredCount: service(region, n)?.desired, runningCount: service(region, n)?.running })) };
      case "UpdateService":
        record(region, op, `${i.service}=${i.desiredCount}`);
        desire(service(region, i.service), i.desiredCount);
        return {};
      case "DescribeScalableTargets":
        return { ScalableTargets: i.ResourceIds.map((id: string) => ({ ResourceId: id, MinCapacity: service(region, name(id)).min, MaxCapacity: service(region, name(id)).max })) };
      case "RegisterScalableTarget": {
        const s = service(region, name(i.ResourceId));
        record(region, op, `${name(i.ResourceId)} min=${i.MinCapacity} max=${i.MaxCapacity}`);
        [s.min, s.max] = [i.MinCapacity ?? s.min, i.MaxCapacity ?? s.max];
        // Application Auto Scaling moves the desired count into the new bounds.
        if (s.desired < s.min || s.desired > s.max) desire(s, Math.min(Math.max(s.desired, s.min), s.max));
        return {};
      }
      case "GetSchedule":
        return { Name: i.Name, GroupName: i.GroupName, State: w.schedules[`${region}/${i.Name}`], ScheduleExpression: "rate(15 minutes)", FlexibleTimeWindow: { Mode: "OFF" }, Target: { Arn: "arn", RoleArn: "role" } };
      case "UpdateSchedule":
        record(region, op, `${i.Name} ${i.State}`);
        w.schedules[`${region}/${i.Name}`] = i.State;
        return {};
      default:
        throw new Error(`simulation: no answer for ${svc} ${op}`);
    }
  };

  const SERVICE: Record<string, string> = { rds: "rds", ecs: "ecs", autoscaling: "application-autoscaling", scheduler: "scheduler", cloudwatch: "cloudwatch", elasticache: "elasticache" };
  const client = (kind: string, region: string) => ({
    send: async (cmd: Command) => {
      await clock.sleep(0);
      const op = cmd.constructor.name.replace(/Command$/, "");
      const svc = SERVICE[kind];
      if (down.has(region)) {
        wait(CLIENT_LIMITS.connectionTimeout * CLIENT_LIMITS.maxAttempts);
        throw awsError("TimeoutError", `connect ETIMEDOUT ${svc}.${region}.amazonaws.com (simulated: ${region} is down)`, 0);
      }
      const fault = halfUp.find((f) => f.region === region && f.service === svc) ?? take(svc, op);
      if (fault?.effect === "lost") {
        answer(region, svc, op, cmd.input);
        wait(CLIENT_LIMITS.requestTimeout);
        throw awsError("TimeoutError", `${svc} ${op} in ${region}: the answer was lost after AWS accepted it (simulated)`, 0);
      }
      if (fault?.effect === "hang") {
        wait(CLIENT_LIMITS.requestTimeout * CLIENT_LIMITS.maxAttempts);
        throw awsError("TimeoutError", `${svc} ${op} in ${region}: no answer within ${CLIENT_LIMITS.requestTimeout / 1000} s (${CLIENT_LIMITS.maxAttempts} attempts; simulated hang)`, 0);
      }
      wait(LATENCY_MS.call);
      if (fault?.effect === "throttle") throw awsError("ThrottlingException", `Rate exceeded (${svc} ${op} in ${region}, simulated)`, 400);
      if (fault?.effect === "5xx") throw awsError("InternalFailure", `${svc} ${op} in ${region}: internal error (simulated)`, 500, "server");
      return answer(region, svc, op, cmd.input);
    },
  });

  const fakeFetch = (async (url: string, init?: { method?: string; body?: string }) => {
    await clock.sleep(0);
    wait(LATENCY_MS.call);
    const u = new URL(url);
    const lbs = o.cloudflare.loadBalancers;
    if (u.hostname !== "api.cloudflare.com") {
      // Cloudflare steers to the first pool whose region answers; the services need a writer they can reach.
      const order = [w.pools.first, ...Object.values(o.regions).map((r) => r.pool)];
      const serving = order.map((pool) => Object.entries(o.regions).find(([, r]) => r.pool === pool)![0]).find((r) => !down.has(r));
      const ok = serving && !down.has(writer()) && !w.operation && o.regions[serving].services.every((n) => service(serving, n).running > 0);
      return new Response(ok ? "ok" : "unavailable", { status: ok ? 200 : 503, headers: serving ? { "x-served-region": serving } : {} });
    }
    const fault = take("cloudflare", init?.method ?? "GET");
    if (fault?.effect === "hang") {
      wait(15_000);
      throw Object.assign(new Error("The operation was aborted due to timeout (simulated hang)"), { name: "TimeoutError" });
    }
    if (fault?.effect === "throttle") return new Response(JSON.stringify({ success: false, errors: [{ code: 10000, message: "Rate limited" }] }), { status: 429, headers: { "content-type": "application/json", "retry-after": "2" } });
    if (fault?.effect === "5xx") return new Response("<html><body>502 Bad Gateway</body></html>", { status: 502, headers: { "content-type": "text/html" } });
    const id = u.pathname.split("/").pop()!;
    if (!lbs.some((l) => l.id === id)) return new Response(JSON.stringify({ success: false, errors: [{ message: "not found" }] }), { status: 404, headers: { "content-type": "application/json" } });
    if (init?.method === "PATCH") {
      record("cloudflare", "PATCH", id);
      w.pools.pending = { first: (JSON.parse(String(init.body)) as { default_pools: string[] }).default_pools[0], at: w.now + LATENCY_MS.edge };
    }
    // The API shows the new order at once; the edge routes by it LATENCY_MS.edge later.
    return new Response(JSON.stringify({ success: true, result: { id, default_pools: [w.pools.pending?.first ?? w.pools.first] } }), { status: 200, headers: { "content-type": "application/json" } });
  }) as unknown as typeof fetch;

  return {
    rds: (r) => client("rds", r) as unknown as RDSClient,
    rdsOnce: (r) => client("rds", r) as unknown as RDSClient,
    ecs: (r) => client("ecs", r) as unknown as ECSClient,
    elasticache: (r) => client("elasticache", r) as unknown as ElastiCacheClient,
    elasticacheOnce: (r) => client("elasticache", r) as unknown as ElastiCacheClient,
    autoscaling: (r) => client("autoscaling", r) as unknown as ApplicationAutoScalingClient,
    scheduler: (r) => client("scheduler", r) as unknown as SchedulerClient,
    cloudwatch: (r) => client("cloudwatch", r) as unknown as CloudWatchClient,
    fetch: fakeFetch,
    cloudflareToken: "simulated",
    now: clock.now,
    sleep: async (ms, signal) => (await clock.sleep(ms, signal), settle()),
    deadline: clock.deadline,
    log,
    done: () => {
      settle();
      // A stuck operation is still going when the run ends; AWS finishes it a minute after.
      if (stuck && w.operation) w.operation.completesAt = w.now + 60_000;
      if (sessionsStuck && w.datastore?.pending) w.datastore.pending.completesAt = w.now + 60_000;
    },
  };
}
