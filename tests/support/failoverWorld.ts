/**
 * A fake two-region platform for the failover tests: aws-sdk-client-mock behind every SDK client
 * and a fake Cloudflare, recording each call in order (as text for the order tests, and as
 * region, IAM action and input for the role's contract).
 */
import { strict as assert } from "assert";
import { ApplicationAutoScalingClient, DescribeScalableTargetsCommand, RegisterScalableTargetCommand } from "@aws-sdk/client-application-auto-scaling";
import { CloudWatchClient, GetMetricDataCommand } from "@aws-sdk/client-cloudwatch";
import { DescribeServicesCommand, ECSClient, UpdateServiceCommand } from "@aws-sdk/client-ecs";
import { DescribeGlobalReplicationGroupsCommand, ElastiCacheClient, FailoverGlobalReplicationGroupCommand } from "@aws-sdk/client-elasticache";
import { DescribeDBClustersCommand, DescribeGlobalClustersCommand, FailoverGlobalClusterCommand, RDSClient, SwitchoverGlobalClusterCommand } from "@aws-sdk/client-rds";
import { GetScheduleCommand, SchedulerClient, UpdateScheduleCommand } from "@aws-sdk/client-scheduler";
import { mockClient } from "aws-sdk-client-mock";
import { simulatedClock } from "../../tools/failover/clock";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { main } from "../../tools/failover/cli";
import { FailoverOutputs, readFailoverOutputs } from "../../tools/failover/outputs";
import { SimWorld } from "../../tools/failover/simWorld";
import { Deps } from "../../tools/failover/types";
import { PRIMARY_REGION, STANDBY_REGION, stack } from "./stacks";

/** One AWS call: its region, the IAM action it needs (service:Operation) and its input. */
export interface AwsCall {
  region: string;
  action: string;
  input: Record<string, unknown>;
}

export interface WorldOptions {
  lagMs?: number;
  writerMoves?: boolean;
  tasksStart?: boolean;
  fromDown?: boolean;
  /** The target's GlobalClusterMember.SynchronizationStatus (default connected). */
  syncStatus?: string;
  /** The old primary cluster's Status (default available). */
  sourceStatus?: string;
  /** The clusters have no DB instance. */
  headless?: boolean;
  /** EngineVersion per cluster ARN (default 16.4). */
  engineVersions?: Record<string, string>;
  /** The scheduler role each region's schedules name (GetSchedule returns it; UpdateSchedule passes it). */
  schedulerRoleArn?: (region: string) => string;
}

/** A fake platform behind aws-sdk-client-mock and a fake Cloudflare, recording every call in order. */
export function world(outputs: FailoverOutputs, opts: WorldOptions = {}) {
  let tasksStart = opts.tasksStart !== false;
  const calls: string[] = [];
  const aws: AwsCall[] = [];
  const clock = simulatedClock(0);
  const writer = { region: PRIMARY_REGION, pending: 0, to: STANDBY_REGION };
  /** The Global Datastore: its primary member's region, and a promotion completing at `pending` (0: none). */
  const sessions = { primary: PRIMARY_REGION, pending: 0, to: STANDBY_REGION };
  const bounds = new Map<string, { min: number; max: number }>();
  const running = new Map<string, number>();
  const desired = new Map<string, number>();
  for (const [region, r] of Object.entries(outputs.regions)) {
    for (const s of r.services) {
      const n = region === PRIMARY_REGION ? 2 : 1;
      running.set(`${region}/${s}`, n);
      desired.set(`${region}/${s}`, n);
      bounds.set(`${region}/${s}`, { min: n, max: 10 });
    }
    for (const s of r.processors) bounds.set(`${region}/${s}`, region === PRIMARY_REGION ? outputs.capacity.processors[s] : { min: 0, max: 0 });
  }
  const schedules = new Map<string, string>();
  for (const [region, r] of Object.entries(outputs.regions)) for (const s of r.schedules) schedules.set(`${region}/${s}`, region === PRIMARY_REGION ? "ENABLED" : "DISABLED");
  const firstPool = new Map(outputs.cloudflare.loadBalancers.map((l) => [l.id, outputs.regions[PRIMARY_REGION].pool]));

  const rds = mockClient(RDSClient);
  const ecs = mockClient(ECSClient);
  const scaling = mockClient(ApplicationAutoScalingClient);
  const scheduler = mockClient(SchedulerClient);
  const cloudwatch = mockClient(CloudWatchClient);
  const elasticache = mockClient(ElastiCacheClient);
  const SERVICE: Record<string, string> = { RDSClient: "rds", ECSClient: "ecs", ApplicationAutoScalingClient: "application-autoscaling", SchedulerClient: "scheduler", CloudWatchClient: "cloudwatch", ElastiCacheClient: "elasticache" };
  const record = async (name: string, c: unknown, input: object = {}) => {
    const client = (c as () => { constructor: { name: string }; config: { region: () => Promise<string> } })();
    const region = await client.config.region();
    if (opts.fromDown && region === PRIMARY_REGION) throw Object.assign(new Error(`connect ETIMEDOUT rds.${region}`), { name: "TimeoutError" });
    calls.push(`${region} ${name}`);
    aws.push({ region, action: `${SERVICE[client.constructor.name]}:${name.split(" ")[0]}`, input: input as Record<string, unknown> });
    return region;
  };
  rds.on(DescribeGlobalClustersCommand).callsFake(async (i, c) => {
    await record("DescribeGlobalClusters", c, i);
    if (writer.pending && clock.now() >= writer.pending && opts.writerMoves !== false) [writer.region, writer.pending] = [writer.to, 0];
    const x = writer.pending ? { Status: "switching-over", ToDbClusterArn: outputs.regions[writer.to].clusterArn } : undefined;
    return { GlobalClusters: [{ Status: x ? "switching-over" : "available", FailoverState: x, GlobalClusterMembers: Object.entries(outputs.regions).map(([r, m]) => ({ DBClusterArn: m.clusterArn, IsWriter: r === writer.region, SynchronizationStatus: r === writer.region ? undefined : (opts.syncStatus ?? "connected") })) }] };
  });
  rds.on(DescribeDBClustersCommand).callsFake(async (i, c) => {
    await record("DescribeDBClusters", c, i);
    return { DBClusters: [{ DBClusterArn: i.DBClusterIdentifier, Status: i.DBClusterIdentifier === outputs.regions[PRIMARY_REGION].clusterArn ? (opts.sourceStatus ?? "available") : "available", EngineVersion: opts.engineVersions?.[String(i.DBClusterIdentifier)] ?? "16.4", DBClusterMembers: opts.headless ? [] : [{ DBInstanceIdentifier: "one" }] }] };
  });
  const moveWriter = async (name: string, c: unknown, i: { TargetDbClusterIdentifier?: string }) => {
    const region = await record(name, c, i);
    const to = Object.entries(outputs.regions).find(([, r]) => r.clusterArn === i.TargetDbClusterIdentifier)![0];
    assert.equal(region, name.startsWith("Switchover") ? writer.region : to, "sent to the region AWS's guide names");
    assert.equal(writer.pending, 0, "nothing is sent while a switchover or failover is in progress");
    [writer.pending, writer.to] = [clock.now() + 60_000, to];
    return {};
  };
  rds.on(SwitchoverGlobalClusterCommand).callsFake((i, c) => moveWriter("SwitchoverGlobalCluster", c, i));
  rds.on(FailoverGlobalClusterCommand).callsFake((i, c) => (assert.equal(i.AllowDataLoss, true), moveWriter("FailoverGlobalCluster", c, i)));
  elasticache.on(DescribeGlobalReplicationGroupsCommand).callsFake(async (i, c) => {
    await record("DescribeGlobalReplicationGroups", c, i);
    if (sessions.pending && clock.now() >= sessions.pending && opts.writerMoves !== false) [sessions.primary, sessions.pending] = [sessions.to, 0];
    const members = Object.entries(outputs.regions).map(([r, m]) => ({ ReplicationGroupId: m.replicationGroupId, ReplicationGroupRegion: r, Role: r === sessions.primary ? "PRIMARY" : "SECONDARY", Status: "associated" }));
    return { GlobalReplicationGroups: [{ GlobalReplicationGroupId: outputs.globalDatastoreId, Status: sessions.pending ? "modifying" : "available", Members: i.ShowMemberInfo ? members : undefined }] };
  });
  elasticache.on(FailoverGlobalReplicationGroupCommand).callsFake(async (i, c) => {
    const region = await record("FailoverGlobalReplicationGroup", c, i);
    const to = Object.entries(outputs.regions).find(([, r]) => r.replicationGroupId === i.PrimaryReplicationGroupId)![0];
    assert.equal(region, to, "sent in the target's region");
    assert.equal(i.PrimaryRegion, to, "PrimaryRegion names the member's region");
    assert.equal(sessions.pending, 0, "nothing is sent while the Global Datastore is modifying");
    [sessions.pending, sessions.to] = [clock.now() + 60_000, to];
    return {};
  });
  cloudwatch.on(GetMetricDataCommand).callsFake(async (i, c) => (await record("GetMetricData", c, i), { MetricDataResults: [{ Values: [opts.lagMs ?? 200] }] }));
  ecs.on(DescribeServicesCommand).callsFake(async (i, c) => {
    if ((i.services as string[]).length > 10) throw Object.assign(new Error("At most 10 services per DescribeServices"), { name: "InvalidParameterException" });
    const region = await record("DescribeServices", c, i);
    return { services: (i.services as string[]).map((n) => ({ serviceName: n, desiredCount: desired.get(`${region}/${n}`), runningCount: running.get(`${region}/${n}`) })) };
  });
  ecs.on(UpdateServiceCommand).callsFake(async (i, c) => {
    const region = await record(`UpdateService ${i.service}=${i.desiredCount}`, c, i);
    desired.set(`${region}/${i.service}`, i.desiredCount);
    if (tasksStart) running.set(`${region}/${i.service}`, i.desiredCount);
    return {};
  });
  scaling.on(RegisterScalableTargetCommand).callsFake(async (i, c) => {
    const region = await record(`RegisterScalableTarget ${i.ResourceId} min=${i.MinCapacity}`, c, i);
    bounds.set(`${region}/${String(i.ResourceId).split("/").pop()}`, { min: i.MinCapacity!, max: i.MaxCapacity! });
    return {};
  });
  scaling.on(DescribeScalableTargetsCommand).callsFake(async (i, c) => {
    const region = await record("DescribeScalableTargets", c, i);
    return { ScalableTargets: (i.ResourceIds ?? []).map((id: string) => ({ ResourceId: id, MinCapacity: bounds.get(`${region}/${id.split("/").pop()}`)?.min, MaxCapacity: bounds.get(`${region}/${id.split("/").pop()}`)?.max })) };
  });
  scheduler.on(GetScheduleCommand).callsFake(async (i, c) => {
    const region = await record(`GetSchedule ${i.Name}`, c, i);
    return { Name: i.Name, GroupName: i.GroupName, State: schedules.get(`${region}/${i.Name}`), ScheduleExpression: "rate(15 minutes)", FlexibleTimeWindow: { Mode: "OFF" }, Target: { Arn: "a", RoleArn: opts.schedulerRoleArn?.(region) ?? "r" } };
  });
  scheduler.on(UpdateScheduleCommand).callsFake(async (i, c) => {
    const region = await record(`UpdateSchedule ${i.Name} ${i.State}`, c, i);
    assert.equal(i.ScheduleExpression, "rate(15 minutes)", "the whole schedule is written back");
    schedules.set(`${region}/${i.Name}`, i.State);
    return {};
  });
  const fakeFetch = (async (url: string, init?: { method?: string; body?: string }) => {
    if (!url.startsWith("https://api.cloudflare.com/")) {
      const host = new URL(url).hostname;
      calls.push(`GET health ${host}`);
      const lb = outputs.cloudflare.loadBalancers.find((l) => l.host === host)!;
      const served = Object.entries(outputs.regions).find(([, r]) => r.pool === firstPool.get(lb.id))![0];
      return new Response("", { status: served === writer.region ? 200 : 503, headers: { "x-served-region": served } });
    }
    const id = url.split("/").pop()!;
    calls.push(`cloudflare ${init?.method ?? "GET"} ${id}`);
    if (init?.method === "PATCH") firstPool.set(id, (JSON.parse(String(init.body)) as { default_pools: string[] }).default_pools[0]);
    return new Response(JSON.stringify({ success: true, result: { default_pools: [firstPool.get(id)] } }), { status: 200, headers: { "content-type": "application/json" } });
  }) as unknown as typeof fetch;

  const deps: Deps = {
    rds: (region) => new RDSClient({ region }),
    rdsOnce: (region) => new RDSClient({ region, maxAttempts: 1 }),
    ecs: (region) => new ECSClient({ region }),
    autoscaling: (region) => new ApplicationAutoScalingClient({ region }),
    scheduler: (region) => new SchedulerClient({ region }),
    cloudwatch: (region) => new CloudWatchClient({ region }),
    elasticache: (region) => new ElastiCacheClient({ region }),
    elasticacheOnce: (region) => new ElastiCacheClient({ region, maxAttempts: 1 }),
    fetch: fakeFetch,
    cloudflareToken: "test",
    now: clock.now,
    sleep: clock.sleep,
    deadline: clock.deadline,
    log: () => {},
  };
  const restore = () => [rds, ecs, scaling, scheduler, cloudwatch, elasticache].forEach((m) => m.restore());
  const mutating = () => calls.filter((c) => /Switchover|Failover|UpdateService|RegisterScalable|UpdateSchedule|PATCH/.test(c));
  return { deps, calls, aws, mutating, restore, schedules, sessions, tasksStart: (v: boolean) => {
      tasksStart = v;
      // ECS keeps trying: once the cause is fixed, the services reach their desired counts.
      if (v) for (const [k, n] of desired) running.set(k, n);
    }, running, desired, bounds };
}


/**
 * What the command touches, read from the outputs it is given (never the committed names), as the
 * `region <Operation> <what>` lines `world().mutating()` records.
 */
export function expectedCalls(outputs: FailoverOutputs) {
  const services = Object.keys(outputs.capacity.services);
  const processors = (region: string) => outputs.regions[region].processors;
  const schedules = (region: string) => outputs.regions[region].schedules;
  return {
    services,
    processors,
    /** A region's services raised to failover capacity: floor, then desired count. */
    servicesUp: (region: string) =>
      services.flatMap((s) => [`${region} RegisterScalableTarget service/platform-prod/${s} min=${outputs.capacity.services[s]}`, `${region} UpdateService ${s}=${outputs.capacity.services[s]}`]),
    /** A region's job processors given their serving bounds. */
    processorsUp: (region: string) => processors(region).map((p) => `${region} RegisterScalableTarget service/platform-prod/${p} min=${outputs.capacity.processors[p].min}`),
    /** A region's schedules set to `state`. */
    schedulesTo: (region: string, state: "ENABLED" | "DISABLED") => schedules(region).map((s) => `${region} UpdateSchedule ${s} ${state}`),
    /** The schedules as the to-do lines list them. */
    scheduleList: (region: string) => schedules(region).join(", "),
  };
}

/** What a drill on a persisted simulated world starts from: prod's failover outputs, and a fresh folder holding them as the file `--outputs` reads. */
export async function drillOutputs(prefix: string): Promise<{ graph: Record<string, unknown>; outputs: FailoverOutputs; dir: string; outputsFile: string }> {
  const graph = (await stack("prod")).graph.outputs;
  const read = readFailoverOutputs(graph);
  if (!read.ok) throw new Error(read.problems.join("\n"));
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
  const outputsFile = path.join(dir, "outputs.json");
  fs.writeFileSync(outputsFile, JSON.stringify(graph));
  return { graph, outputs: read.outputs, dir, outputsFile };
}

/** The world file of the running test, in the drill's folder. */
export function worldFileFor(dir: string, test: Mocha.Context): string {
  return path.join(dir, `${test.currentTest!.title.replace(/\W+/g, "-").slice(0, 40)}.json`);
}

/** `--fault <f>` for each fault, as `npm run failover` takes them. */
export const faultFlags = (...faults: string[]) => faults.flatMap((f) => ["--fault", f]);

/**
 * One `npm run failover -- --stack prod --to <to> --mode <mode> --simulate` on the persisted world
 * `worldFile`, as an operator runs it: its exit code, everything it printed, and the world after it.
 */
export async function runOnWorld(worldFile: string, outputsFile: string, mode: string, to: string, extra: string[] = []): Promise<{ code: number; text: string; w: SimWorld }> {
  const lines: string[] = [];
  const io = { stdin: process.stdin, out: (l: string) => lines.push(l), err: (l: string) => lines.push(l), env: {} };
  const code = await main(["--stack", "prod", "--to", to, "--mode", mode, "--simulate", "--simulate-state", worldFile, "--outputs", outputsFile, ...extra], io);
  return { code, text: lines.join("\n"), w: JSON.parse(fs.readFileSync(worldFile, "utf8")) as SimWorld };
}
