/**
 * The failover's steps, each an idempotent pair: `done()` reads the live state (so a re-run resumes
 * at the first step not done, whatever happened before), `run()` makes the change and waits for it.
 * AWS calls go through the SDK v3 clients; Cloudflare's API through `fetch`.
 */
import { ApplicationAutoScalingClient, RegisterScalableTargetCommand } from "@aws-sdk/client-application-auto-scaling";
import { CloudWatchClient, GetMetricDataCommand } from "@aws-sdk/client-cloudwatch";
import { DescribeServicesCommand, ECSClient, UpdateServiceCommand } from "@aws-sdk/client-ecs";
import { DescribeGlobalClustersCommand, FailoverGlobalClusterCommand, RDSClient, SwitchoverGlobalClusterCommand } from "@aws-sdk/client-rds";
import { GetScheduleCommand, SchedulerClient, UpdateScheduleCommand } from "@aws-sdk/client-scheduler";
import { FailoverOutputs, RegionOutputs } from "./outputs";

export type Mode = "planned" | "unplanned" | "failback";

/** Everything the steps touch: clients per region, Cloudflare, and time (injected, so drills run instantly). */
export interface Deps {
  rds(region: string): RDSClient;
  ecs(region: string): ECSClient;
  autoscaling(region: string): ApplicationAutoScalingClient;
  scheduler(region: string): SchedulerClient;
  cloudwatch(region: string): CloudWatchClient;
  /** `fetch` for Cloudflare's API and the health check. */
  fetch: typeof fetch;
  cloudflareToken: string;
  now(): number;
  sleep(ms: number): Promise<void>;
  log(line: string): void;
}

export interface Plan {
  outputs: FailoverOutputs;
  mode: Mode;
  /** Region the platform moves to, and the one it leaves. */
  to: string;
  from: string;
  /** Planned switchover refuses a lag above this (ms). */
  maxLagMs: number;
}

export interface Step {
  name: string;
  /** What a person would do by hand if this step cannot finish. */
  next: string;
  timeoutMs: number;
  /** Read-only: true when the live state already has this step's result. */
  done(): Promise<boolean>;
  run(): Promise<void>;
}

export class StepError extends Error {}

const POLL_MS = 10_000;
const target = (p: Plan): RegionOutputs => p.outputs.regions[p.to];
const source = (p: Plan): RegionOutputs => p.outputs.regions[p.from];
const clusterId = (arn: string) => arn.split(":cluster:")[1];

/** Polls `check` every 10 s until it is true or `timeoutMs` passes (then throws `StepError`). */
export async function waitFor(d: Deps, timeoutMs: number, what: string, check: () => Promise<boolean>): Promise<void> {
  const deadline = d.now() + timeoutMs;
  for (;;) {
    if (await check()) return;
    if (d.now() >= deadline) throw new StepError(`${what} did not happen within ${Math.round(timeoutMs / 1000)} s`);
    await d.sleep(POLL_MS);
  }
}

/** Does the region's AWS answer? (a describe call to its RDS endpoint). */
export async function regionAnswers(d: Deps, p: Plan, region: string): Promise<boolean> {
  try {
    await d.rds(region).send(new DescribeGlobalClustersCommand({ GlobalClusterIdentifier: p.outputs.globalClusterId }));
    return true;
  } catch {
    return false;
  }
}

async function writerIs(d: Deps, p: Plan, arn: string): Promise<boolean> {
  const out = await d.rds(p.to).send(new DescribeGlobalClustersCommand({ GlobalClusterIdentifier: p.outputs.globalClusterId }));
  const global = out.GlobalClusters?.[0];
  const member = global?.GlobalClusterMembers?.find((m) => m.DBClusterArn === arn);
  return Boolean(member?.IsWriter) && global?.Status === "available";
}

/** The RPO lag the target cluster reports (AuroraGlobalDBRPOLag, ms, maximum over 5 minutes), or undefined without data. */
export async function rpoLagMs(d: Deps, p: Plan): Promise<number | undefined> {
  const end = new Date(d.now());
  const out = await d.cloudwatch(p.to).send(
    new GetMetricDataCommand({
      StartTime: new Date(end.getTime() - 5 * 60_000),
      EndTime: end,
      MetricDataQueries: [
        {
          Id: "lag",
          MetricStat: { Metric: { Namespace: "AWS/RDS", MetricName: "AuroraGlobalDBRPOLag", Dimensions: [{ Name: "DBClusterIdentifier", Value: clusterId(target(p).clusterArn) }] }, Period: 60, Stat: "Maximum" },
        },
      ],
    }),
  );
  const values = out.MetricDataResults?.[0]?.Values ?? [];
  return values.length ? Math.max(...values) : undefined;
}

/** DescribeServices takes at most 10 services a call (https://docs.aws.amazon.com/AmazonECS/latest/APIReference/API_DescribeServices.html). */
async function servicesAt(d: Deps, region: string, r: RegionOutputs, names: string[]) {
  const batches = Array.from({ length: Math.ceil(names.length / 10) }, (_, i) => names.slice(i * 10, i * 10 + 10));
  const outs = await Promise.all(batches.map((services) => d.ecs(region).send(new DescribeServicesCommand({ cluster: r.ecsCluster, services }))));
  return outs.flatMap((o) => o.services ?? []);
}

/** Preflight: nothing changes here; every refusal happens before any call that does. */
export async function preflight(d: Deps, p: Plan): Promise<void> {
  const problems: string[] = [];
  if (p.mode !== "unplanned") {
    if (!(await regionAnswers(d, p, p.from))) problems.push(`${p.from} does not answer: a planned switchover needs both regions (use --mode unplanned if it is lost)`);
    const lag = await rpoLagMs(d, p);
    if (lag === undefined) problems.push(`no AuroraGlobalDBRPOLag data for ${clusterId(target(p).clusterArn)} in the last 5 minutes: cannot prove the copy is current`);
    else if (lag > p.maxLagMs) problems.push(`replication lag is ${lag} ms, above the ${p.maxLagMs} ms a planned switchover accepts (wait, or --max-lag-ms)`);
  }
  const services = await servicesAt(d, p.to, target(p), target(p).services);
  for (const name of target(p).services) {
    const s = services.find((x) => x.serviceName === name);
    if (!s || (s.runningCount ?? 0) < 1) problems.push(`${p.to} service ${name} runs no task: the standby is not warm`);
  }
  if (problems.length) throw new StepError(problems.join("; "));
}

export function steps(d: Deps, p: Plan): Step[] {
  const t = target(p);
  const s = source(p);
  const capacity = p.outputs.capacity;
  return [
    {
      name: "database",
      next: `check the global cluster in the RDS console (${p.to}); the writer must be ${clusterId(t.clusterArn)}, then re-run`,
      timeoutMs: 10 * 60_000,
      done: () => writerIs(d, p, t.clusterArn),
      run: async () => {
        // The target by ARN, "so that Aurora can locate the cluster in its Region"; FailoverGlobalCluster's
        // AllowDataLoss is the unplanned form (API_SwitchoverGlobalCluster, API_FailoverGlobalCluster).
        const input = { GlobalClusterIdentifier: p.outputs.globalClusterId, TargetDbClusterIdentifier: t.clusterArn };
        // Switchover keeps every committed write; failover promotes what the target has (the RPO lag is lost).
        await d.rds(p.to).send(p.mode === "unplanned" ? new FailoverGlobalClusterCommand({ ...input, AllowDataLoss: true }) : new SwitchoverGlobalClusterCommand(input));
        await waitFor(d, 10 * 60_000, `${clusterId(t.clusterArn)} becoming the writer`, () => writerIs(d, p, t.clusterArn));
      },
    },
    {
      name: "compute",
      next: `look at the stopped tasks of the ${p.to} services (ECS console: events, exit codes), then re-run`,
      timeoutMs: 8 * 60_000,
      done: async () => {
        const running = await servicesAt(d, p.to, t, t.services);
        return t.services.every((name) => (running.find((x) => x.serviceName === name)?.runningCount ?? 0) >= (capacity.services[name] ?? 1));
      },
      run: async () => {
        // RegisterScalableTarget on an existing target updates its bounds (API_RegisterScalableTarget).
        const scaling = d.autoscaling(p.to);
        for (const name of t.services) {
          const tasks = capacity.services[name] ?? 1;
          await scaling.send(new RegisterScalableTargetCommand({ ServiceNamespace: "ecs", ResourceId: `service/${t.ecsCluster}/${name}`, ScalableDimension: "ecs:service:DesiredCount", MinCapacity: tasks }));
          await d.ecs(p.to).send(new UpdateServiceCommand({ cluster: t.ecsCluster, service: name, desiredCount: tasks }));
        }
        for (const name of t.processors) {
          const bounds = capacity.processors[name] ?? { min: 0, max: 1 };
          await scaling.send(new RegisterScalableTargetCommand({ ServiceNamespace: "ecs", ResourceId: `service/${t.ecsCluster}/${name}`, ScalableDimension: "ecs:service:DesiredCount", MinCapacity: bounds.min, MaxCapacity: bounds.max }));
        }
        await waitFor(d, 8 * 60_000, `${p.to} services reaching their failover capacity`, async () => {
          const running = await servicesAt(d, p.to, t, t.services);
          return t.services.every((name) => (running.find((x) => x.serviceName === name)?.runningCount ?? 0) >= (capacity.services[name] ?? 1));
        });
      },
    },
    {
      name: "clock",
      next: `enable the ${p.to} schedules in the EventBridge Scheduler console (group ${t.scheduleGroup}), disable the ${p.from} ones, then re-run`,
      timeoutMs: 2 * 60_000,
      done: async () => (await scheduleStates(d, p.to, t)).every((x) => x === "ENABLED") && (!(await regionAnswers(d, p, p.from)) || (await scheduleStates(d, p.from, s)).every((x) => x === "DISABLED")),
      run: async () => {
        await setSchedules(d, p.to, t, "ENABLED");
        if (await regionAnswers(d, p, p.from)) await setSchedules(d, p.from, s, "DISABLED");
        else d.log(`  ! ${p.from} does not answer: its schedules stay as they are; disable them when it returns`);
      },
    },
    {
      name: "traffic",
      next: `in Cloudflare (Load Balancing), put the ${p.to} pool first on every load balancer, then re-run`,
      timeoutMs: 5 * 60_000,
      done: async () => {
        for (const lb of p.outputs.cloudflare.loadBalancers) if ((await cloudflare(d, "GET", lb.zoneId, lb.id)).default_pools?.[0] !== t.pool) return false;
        return healthy(d, p);
      },
      run: async () => {
        for (const lb of p.outputs.cloudflare.loadBalancers) {
          await cloudflare(d, "PATCH", lb.zoneId, lb.id, { default_pools: [t.pool, s.pool], fallback_pool: s.pool });
        }
        await waitFor(d, 5 * 60_000, `${p.outputs.healthUrl} answering through Cloudflare`, () => healthy(d, p));
      },
    },
  ];
}

async function scheduleStates(d: Deps, region: string, r: RegionOutputs): Promise<string[]> {
  return Promise.all(r.schedules.map(async (name) => (await d.scheduler(region).send(new GetScheduleCommand({ Name: name, GroupName: r.scheduleGroup }))).State ?? "ENABLED"));
}

/**
 * UpdateSchedule replaces the whole schedule (unset fields take their defaults; AWS advises reading
 * it with GetSchedule first: API_UpdateSchedule), so each is read and written back with the new state.
 */
async function setSchedules(d: Deps, region: string, r: RegionOutputs, state: "ENABLED" | "DISABLED"): Promise<void> {
  for (const name of r.schedules) {
    const current = await d.scheduler(region).send(new GetScheduleCommand({ Name: name, GroupName: r.scheduleGroup }));
    if (current.State === state) continue;
    await d.scheduler(region).send(
      new UpdateScheduleCommand({
        Name: name,
        GroupName: r.scheduleGroup,
        ScheduleExpression: current.ScheduleExpression,
        ScheduleExpressionTimezone: current.ScheduleExpressionTimezone,
        FlexibleTimeWindow: current.FlexibleTimeWindow,
        Target: current.Target,
        Description: current.Description,
        StartDate: current.StartDate,
        EndDate: current.EndDate,
        KmsKeyArn: current.KmsKeyArn,
        ActionAfterCompletion: current.ActionAfterCompletion,
        State: state,
      }),
    );
  }
}

/** Cloudflare's Load Balancers API (https://developers.cloudflare.com/api/resources/load_balancers/). */
async function cloudflare(d: Deps, method: "GET" | "PATCH", zoneId: string, id: string, body?: unknown): Promise<{ default_pools?: string[] }> {
  const res = await d.fetch(`https://api.cloudflare.com/client/v4/zones/${zoneId}/load_balancers/${id}`, {
    method,
    headers: { Authorization: `Bearer ${d.cloudflareToken}`, "Content-Type": "application/json" },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const json = (await res.json()) as { success?: boolean; result?: { default_pools?: string[] }; errors?: { message: string }[] };
  if (!res.ok || json.success === false) throw new StepError(`Cloudflare ${method} load balancer ${id}: ${res.status} ${(json.errors ?? []).map((e) => e.message).join(", ")}`);
  return json.result ?? {};
}

async function healthy(d: Deps, p: Plan): Promise<boolean> {
  try {
    const res = await d.fetch(p.outputs.healthUrl, { method: "GET" });
    return res.status >= 200 && res.status < 300;
  } catch {
    return false;
  }
}
