/**
 * The AWS reads and writes the steps share, each sent with the running step's abort signal (the
 * SDK's `abortSignal` option, https://docs.aws.amazon.com/AWSJavaScriptSDK/v3/latest/Package/-aws-sdk-types/Interface/HttpHandlerOptions/),
 * and raced against it, so a region that never answers ends the step when its timeout does.
 */
import { DescribeScalableTargetsCommand, RegisterScalableTargetCommand } from "@aws-sdk/client-application-auto-scaling";
import { GetMetricDataCommand } from "@aws-sdk/client-cloudwatch";
import { DescribeServicesCommand, UpdateServiceCommand } from "@aws-sdk/client-ecs";
import { DescribeDBClustersCommand, DescribeGlobalClustersCommand, type GlobalCluster } from "@aws-sdk/client-rds";
import { GetScheduleCommand, UpdateScheduleCommand } from "@aws-sdk/client-scheduler";
import type { RegionOutputs } from "./outputs";
import { Deps, Plan, StepError } from "./types";

/** Sends a call (`(o) => client.send(cmd, o)`), giving up when the running step's signal aborts, even if the client ignores it. */
export function send<O>(d: Deps, call: (options: { abortSignal?: AbortSignal }) => Promise<O>): Promise<O> {
  const signal = d.signal;
  if (signal?.aborted) return Promise.reject(aborted(signal));
  const pending = call({ abortSignal: signal });
  if (!signal) return pending;
  return new Promise<O>((resolve, reject) => {
    const onAbort = () => reject(aborted(signal));
    signal.addEventListener("abort", onAbort, { once: true });
    pending.then(resolve, reject).finally(() => signal.removeEventListener("abort", onAbort));
  });
}

function aborted(signal: AbortSignal): Error {
  return Object.assign(new Error(`the call was abandoned: the step's time ran out (${String((signal.reason as Error | undefined)?.message ?? "aborted")})`), { name: "AbortError" });
}

export const clusterId = (arn: string) => arn.split(":cluster:")[1];
export const target = (p: Plan): RegionOutputs => p.outputs.regions[p.to];
export const source = (p: Plan): RegionOutputs => p.outputs.regions[p.from];

/** The global cluster as one region's RDS endpoint reports it (members, Status, FailoverState). */
export async function globalCluster(d: Deps, p: Plan, region: string): Promise<GlobalCluster> {
  const out = await send(d, (o) => d.rds(region).send(new DescribeGlobalClustersCommand({ GlobalClusterIdentifier: p.outputs.globalClusterId }), o));
  const g = out.GlobalClusters?.[0];
  if (!g) throw new StepError(`global cluster ${p.outputs.globalClusterId} not found in ${region}`);
  return g;
}

/**
 * The switchover or failover AWS is carrying out, if any. FailoverState "is empty unless a
 * switchover or failover operation is scheduled or is in progress"
 * (https://docs.aws.amazon.com/AmazonRDS/latest/APIReference/API_FailoverState.html).
 */
export function inProgress(g: GlobalCluster): { status: string; to?: string; dataLoss: boolean } | undefined {
  const s = g.FailoverState;
  return s?.Status ? { status: s.Status, to: s.ToDbClusterArn, dataLoss: Boolean(s.IsDataLossAllowed) } : undefined;
}

export const isWriter = (g: GlobalCluster, arn: string) => Boolean(g.GlobalClusterMembers?.find((m) => m.DBClusterArn === arn)?.IsWriter);

/**
 * The errors that mean no endpoint answered: the client's connect and request timeouts (the SDK's
 * node-http-handler names them TimeoutError, and maps ECONNRESET, EPIPE and ETIMEDOUT to it:
 * https://github.com/smithy-lang/smithy-typescript/blob/main/packages/node-http-handler/src/node-http-handler.ts),
 * and Node's own socket errors (ECONNREFUSED, ENOTFOUND, EAI_AGAIN, "socket hang up":
 * https://nodejs.org/api/errors.html#common-system-errors). Anything with an HTTP status answered.
 */
export function isNetworkError(err: unknown): boolean {
  const e = err as { name?: string; code?: string; message?: string; $metadata?: { httpStatusCode?: number } };
  if (e?.name === "AbortError" || e?.$metadata?.httpStatusCode) return false;
  if (e?.name === "TimeoutError") return true;
  const net = /ECONNREFUSED|ECONNRESET|ENOTFOUND|EAI_AGAIN|ETIMEDOUT|EHOSTUNREACH|ENETUNREACH|EPIPE|socket hang up/;
  return net.test(e?.code ?? "") || net.test(e?.message ?? "");
}

/** Throttling or a server error: AWS answered, and asking again later may work (https://docs.aws.amazon.com/sdkref/latest/guide/feature-retry-behavior.html). */
export function isTransient(err: unknown): boolean {
  const e = err as { name?: string; $fault?: string; $metadata?: { httpStatusCode?: number } };
  return /Throttl|TooManyRequests|RequestLimitExceeded|SlowDown/.test(e?.name ?? "") || (e?.$metadata?.httpStatusCode ?? 0) >= 500 || e?.$fault === "server";
}

/** Whether a region answers: "no" only when every probe failed on the network; an error it answered with is "unknown", never "no". */
export type RegionState = { answers: "yes" } | { answers: "no"; why: string } | { answers: "unknown"; why: string };

/**
 * Probes the region's RDS (DescribeGlobalClusters) and ECS (DescribeServices of its first service):
 * one answer is enough for "yes" (its writers may still run), and a throttled, 5xx or denied call
 * is "unknown" (the region is there; only the network failing everywhere means it is not).
 */
export async function regionState(d: Deps, p: Plan, region: string): Promise<RegionState> {
  const r = p.outputs.regions[region];
  const probes: Promise<unknown>[] = [globalCluster(d, p, region)];
  if (r.services.length) probes.push(servicesAt(d, region, r, r.services.slice(0, 1)));
  const results = await Promise.allSettled(probes);
  const errors: unknown[] = [];
  for (const x of results) {
    if (x.status === "fulfilled" || x.reason instanceof StepError) return { answers: "yes" };
    if ((x.reason as Error)?.name === "AbortError") throw x.reason;
    errors.push(x.reason);
  }
  const answered = errors.filter((e) => !isNetworkError(e));
  if (!answered.length) return { answers: "no", why: errors.map((e) => (e as Error).name).join(", ") };
  return { answers: "unknown", why: answered.map((e) => `${(e as Error).name}: ${(e as Error).message}`).join("; ") };
}

/** A member cluster: its engine version, status and instances (DescribeDBClusters takes the ARN). */
export async function cluster(d: Deps, region: string, arn: string) {
  const out = await send(d, (o) => d.rds(region).send(new DescribeDBClustersCommand({ DBClusterIdentifier: arn }), o));
  return out.DBClusters?.[0];
}

/**
 * The RPO lag the target cluster reports (AuroraGlobalDBRPOLag, ms, maximum over 5 minutes), or
 * undefined without data: only secondaries report it, so a cluster that became the writer stops
 * (https://docs.aws.amazon.com/AmazonRDS/latest/AuroraUserGuide/aurora-global-database-disaster-recovery.html).
 */
export async function rpoLagMs(d: Deps, p: Plan): Promise<number | undefined> {
  const end = new Date(d.now());
  const cmd = new GetMetricDataCommand({
      StartTime: new Date(end.getTime() - 5 * 60_000),
      EndTime: end,
      MetricDataQueries: [
        {
          Id: "lag",
          MetricStat: { Metric: { Namespace: "AWS/RDS", MetricName: "AuroraGlobalDBRPOLag", Dimensions: [{ Name: "DBClusterIdentifier", Value: clusterId(target(p).clusterArn) }] }, Period: 60, Stat: "Maximum" },
        },
      ],
  });
  const out = await send(d, (o) => d.cloudwatch(p.to).send(cmd, o));
  const values = out.MetricDataResults?.[0]?.Values ?? [];
  return values.length ? Math.max(...values) : undefined;
}

/** DescribeServices takes at most 10 services a call (https://docs.aws.amazon.com/AmazonECS/latest/APIReference/API_DescribeServices.html). */
export async function servicesAt(d: Deps, region: string, r: RegionOutputs, names: string[]) {
  const batches = Array.from({ length: Math.ceil(names.length / 10) }, (_, i) => names.slice(i * 10, i * 10 + 10));
  const outs = await Promise.all(batches.map((services) => send(d, (o) => d.ecs(region).send(new DescribeServicesCommand({ cluster: r.ecsCluster, services }), o))));
  return new Map(outs.flatMap((o) => o.services ?? []).map((s) => [s.serviceName!, { desired: s.desiredCount ?? 0, running: s.runningCount ?? 0 }]));
}

const resourceId = (r: RegionOutputs, name: string) => `service/${r.ecsCluster}/${name}`;

/** Each service's scaling bounds (DescribeScalableTargets takes up to 50 ResourceIds: API_DescribeScalableTargets). */
export async function boundsAt(d: Deps, region: string, r: RegionOutputs, names: string[]) {
  const bounds = new Map<string, { min: number; max: number }>();
  for (let i = 0; i < names.length; i += 50) {
    const out = await send(d, (o) => d.autoscaling(region).send(new DescribeScalableTargetsCommand({ ServiceNamespace: "ecs", ScalableDimension: "ecs:service:DesiredCount", ResourceIds: names.slice(i, i + 50).map((n) => resourceId(r, n)) }), o));
    for (const t of out.ScalableTargets ?? []) bounds.set(t.ResourceId!.split("/").pop()!, { min: t.MinCapacity ?? 0, max: t.MaxCapacity ?? 0 });
  }
  return bounds;
}

/**
 * Sets a service's bounds. RegisterScalableTarget on an existing target updates it, and "any
 * parameters that you don't specify are not changed"
 * (https://docs.aws.amazon.com/autoscaling/application/APIReference/API_RegisterScalableTarget.html).
 */
export function setBounds(d: Deps, region: string, r: RegionOutputs, name: string, min: number, max: number) {
  return send(d, (o) => d.autoscaling(region).send(new RegisterScalableTargetCommand({ ServiceNamespace: "ecs", ResourceId: resourceId(r, name), ScalableDimension: "ecs:service:DesiredCount", MinCapacity: min, MaxCapacity: max }), o));
}

/** desiredCount only (https://docs.aws.amazon.com/AmazonECS/latest/APIReference/API_UpdateService.html). */
export function setDesired(d: Deps, region: string, r: RegionOutputs, name: string, desiredCount: number) {
  return send(d, (o) => d.ecs(region).send(new UpdateServiceCommand({ cluster: r.ecsCluster, service: name, desiredCount }), o));
}

export async function scheduleStates(d: Deps, region: string, r: RegionOutputs): Promise<Map<string, string>> {
  const states = new Map<string, string>();
  for (const name of r.schedules) states.set(name, (await send(d, (o) => d.scheduler(region).send(new GetScheduleCommand({ Name: name, GroupName: r.scheduleGroup }), o))).State ?? "ENABLED");
  return states;
}

/**
 * UpdateSchedule replaces the whole schedule (unset fields take their defaults; AWS advises reading
 * it with GetSchedule first: https://docs.aws.amazon.com/scheduler/latest/APIReference/API_UpdateSchedule.html),
 * so each is read and written back with the new state.
 */
export async function setSchedules(d: Deps, region: string, r: RegionOutputs, state: "ENABLED" | "DISABLED"): Promise<void> {
  for (const name of r.schedules) {
    const current = await send(d, (o) => d.scheduler(region).send(new GetScheduleCommand({ Name: name, GroupName: r.scheduleGroup }), o));
    if (current.State === state) continue;
    const { ScheduleExpression, ScheduleExpressionTimezone, FlexibleTimeWindow, Target, Description, StartDate, EndDate, KmsKeyArn, ActionAfterCompletion } = current;
    const update = new UpdateScheduleCommand({ Name: name, GroupName: r.scheduleGroup, ScheduleExpression, ScheduleExpressionTimezone, FlexibleTimeWindow, Target, Description, StartDate, EndDate, KmsKeyArn, ActionAfterCompletion, State: state });
    await send(d, (o) => d.scheduler(region).send(update, o));
  }
}

/**
 * Polls `check` every `pollMs` until it returns true, printing what it returns otherwise (the
 * progress) at every poll; gives up when the step's signal aborts.
 */
export async function waitFor(d: Deps, what: string, check: () => Promise<true | string>, pollMs = 10_000): Promise<void> {
  const t0 = d.now();
  for (;;) {
    let state: true | string;
    try {
      state = await check();
    } catch (err) {
      // One throttled or 5xx read does not end a long wait: it is logged and the next poll asks again.
      if (!isTransient(err) || d.signal?.aborted) throw err;
      state = `the read failed (${(err as Error).name}: ${(err as Error).message}), asking again`;
    }
    if (state === true) return;
    d.log(`    … ${what}: ${state} (${Math.round((d.now() - t0) / 1000)} s)`);
    try {
      await d.sleep(pollMs, d.signal);
    } catch {
      throw new StepError(`${what} did not happen within ${Math.round((d.now() - t0) / 1000)} s (last seen: ${state})`);
    }
  }
}
