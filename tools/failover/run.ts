/**
 * Runs the failover's steps in order, each with its own timeout, skipping any the live state shows
 * done (so a re-run resumes), and keeps a timeline. It never leaves without saying where it
 * stopped and what to do next.
 */
import { Deps, Plan, StepError, preflight, steps } from "./steps";

/** Seed 004: a region is back in service within 15 minutes. */
export const RTO_BUDGET_MS = 15 * 60_000;

export interface TimelineRow {
  step: string;
  startMs: number;
  durationMs: number;
  result: "done" | "already done" | "failed" | "refused";
  detail?: string;
}

export interface Outcome {
  ok: boolean;
  /** 0 done, 2 refused before any change, 3 a step failed. */
  exitCode: 0 | 2 | 3;
  timeline: TimelineRow[];
  totalMs: number;
  /** The step that failed and what to do about it. */
  stoppedAt?: { step: string; next: string };
}

export async function runFailover(d: Deps, p: Plan): Promise<Outcome> {
  const started = d.now();
  const timeline: TimelineRow[] = [];
  const row = (step: string, t0: number, result: TimelineRow["result"], detail?: string) => {
    timeline.push({ step, startMs: t0 - started, durationMs: d.now() - t0, result, detail });
    d.log(`  ${result === "done" || result === "already done" ? "✓" : "✗"} ${step} (${seconds(d.now() - t0)})${detail ? `: ${detail}` : ""}`);
  };

  d.log(`→ preflight`);
  const t0 = d.now();
  try {
    await preflight(d, p);
    row("preflight", t0, "done");
  } catch (err) {
    row("preflight", t0, "refused", message(err));
    return { ok: false, exitCode: 2, timeline, totalMs: d.now() - started, stoppedAt: { step: "preflight", next: "nothing was changed; fix what it names and run the command again" } };
  }

  for (const step of steps(d, p)) {
    d.log(`→ ${step.name}`);
    const s0 = d.now();
    try {
      if (await step.done()) {
        row(step.name, s0, "already done");
        continue;
      }
      await step.run();
      row(step.name, s0, "done");
    } catch (err) {
      row(step.name, s0, "failed", message(err));
      return { ok: false, exitCode: 3, timeline, totalMs: d.now() - started, stoppedAt: { step: step.name, next: step.next } };
    }
  }
  return { ok: true, exitCode: 0, timeline, totalMs: d.now() - started };
}

function message(err: unknown): string {
  if (err instanceof StepError) return err.message;
  const e = err as { name?: string; message?: string };
  return `${e.name ?? "Error"}: ${e.message ?? String(err)}`;
}

function seconds(ms: number): string {
  return ms >= 60_000 ? `${Math.floor(ms / 60_000)} min ${Math.round((ms % 60_000) / 1000)} s` : `${Math.round(ms / 1000)} s`;
}

/** The timeline as a Markdown table, with the total against the RTO budget (also the job summary). */
export function renderTimeline(o: Outcome, p: Plan): string {
  const lines = [
    `Failover (${p.mode}) ${p.from} → ${p.to}: ${o.ok ? "done" : `stopped at ${o.stoppedAt!.step}`}`,
    "",
    "| step | start | duration | result |",
    "|---|---|---|---|",
    ...o.timeline.map((r) => `| ${r.step} | +${seconds(r.startMs)} | ${seconds(r.durationMs)} | ${r.result}${r.detail ? `: ${r.detail}` : ""} |`),
    "",
    `Total ${seconds(o.totalMs)} against the ${seconds(RTO_BUDGET_MS)} RTO budget: ${o.totalMs <= RTO_BUDGET_MS ? "within" : "OVER"} budget.`,
  ];
  if (o.stoppedAt) lines.push("", `Next: ${o.stoppedAt.next}. Re-running the command resumes at the first step not done.`);
  return lines.join("\n");
}

/** The calls each step would make, for --dry-run (no call is made). */
export function describePlan(p: Plan): string {
  const t = p.outputs.regions[p.to];
  const s = p.outputs.regions[p.from];
  const db = p.mode === "unplanned" ? "rds:FailoverGlobalCluster (AllowDataLoss)" : "rds:SwitchoverGlobalCluster";
  return [
    `Failover (${p.mode}) ${p.from} → ${p.to}, global cluster ${p.outputs.globalClusterId}`,
    `1. preflight: rds:DescribeGlobalClusters in ${p.from}${p.mode === "unplanned" ? " (may be down)" : ""}; cloudwatch:GetMetricData AuroraGlobalDBRPOLag of ${t.clusterArn} (${p.mode === "unplanned" ? "not checked" : `≤ ${p.maxLagMs} ms`}); ecs:DescribeServices ${t.services.join(", ")} in ${p.to}`,
    `2. database: ${db} → ${t.clusterArn}; wait until it is the writer (10 min)`,
    `3. compute: application-autoscaling:RegisterScalableTarget + ecs:UpdateService in ${p.to}: ${t.services.map((n) => `${n}=${p.outputs.capacity.services[n] ?? 1}`).join(", ")}; processors ${t.processors.join(", ") || "none"} to their bounds; wait for running tasks (8 min)`,
    `4. clock: scheduler:UpdateSchedule ENABLED ${t.schedules.join(", ") || "none"} in ${p.to}; DISABLED in ${p.from} (skipped if it does not answer)`,
    `5. traffic: Cloudflare PATCH default_pools [${t.pool}, ${s.pool}] on ${p.outputs.cloudflare.loadBalancers.map((l) => l.host).join(", ")}; GET ${p.outputs.healthUrl} until 2xx (5 min)`,
    `6. report: the timeline against the ${seconds(RTO_BUDGET_MS)} RTO budget`,
  ].join("\n");
}
