/**
 * What the operator reads: the plan of calls (--dry-run), and the timeline of every run of this
 * move (standard output and the job summary) with the total since the first run started, the
 * to-do lines of partial steps, and "Next:" built from the error and the live state.
 */
import { clusterId, source, target } from "./aws";
import { Outcome, RTO_BUDGET_MS, seconds } from "./run";
import { configNext } from "./steps";
import { Plan } from "./types";

export function renderTimeline(o: Outcome, p: Plan): string {
  const status = o.exitCode === 0 ? "done" : o.exitCode === 4 ? "partial (the move is done; to-do lines below)" : `stopped at ${o.stoppedAt!.step}`;
  const lines = [
    `Failover (${p.mode}) ${p.from} → ${p.to}: ${status}`,
    "",
    "| run | step | start | duration | result |",
    "|---|---|---|---|---|",
    ...o.timeline.map((r) => `| ${r.run} | ${r.step} | +${seconds(r.startMs)} | ${seconds(r.durationMs)} | ${r.result}${r.detail ? `: ${r.detail.replace(/\|/g, "\\|")}` : ""} |`),
    "",
    `Total ${seconds(o.totalMs)} since the first run started (${new Date(o.journal.firstStartedAt).toISOString()}, ${o.journal.runs} run${o.journal.runs > 1 ? "s" : ""}) against the ${seconds(RTO_BUDGET_MS)} RTO budget: ${o.totalMs <= RTO_BUDGET_MS ? "within" : "OVER"} budget.`,
  ];
  if (o.todo.length) lines.push("", "To do:", ...o.todo.map((t) => `- ${t}`));
  if (p.mode === "unplanned" && o.ok) {
    // Advice, not a to-do line: it does not make the run partial, so an exit 0 lists no "To do".
    const old = clusterId(source(p).clusterArn);
    lines.push("", "Advice (not part of the move):", `- keep the snapshot rds:unplanned-global-failover-${old}-<timestamp> that AWS takes of ${old} when ${p.from} returns (it holds the writes the failover lost; copy it to a manual snapshot before its retention ends)`);
  }
  if (o.stoppedAt) lines.push("", `Next: ${o.stoppedAt.next}. Re-running the same command resumes at the first step not done.`);
  else lines.push("", `Next: ${configNext(p)}.`);
  return lines.join("\n");
}

/** The calls each step would make, for --dry-run (no call is made). */
export function describePlan(p: Plan): string {
  const [t, s] = [target(p), source(p)];
  const unplanned = p.mode === "unplanned";
  const db = unplanned ? `rds:FailoverGlobalCluster (AllowDataLoss) in ${p.to}` : `rds:SwitchoverGlobalCluster in ${p.from} (the primary's region)`;
  const g = p.outputs.globalDatastoreId;
  const steps = [
    ...(unplanned ? [`fence: if ${p.from} answers, its services and processors to 0 and its schedules DISABLED before the failover (any error stops here); a to-do line if nothing there answers`] : []),
    `database: ${db} → ${t.clusterArn}, sent once, unless one is in progress or it is already the writer; wait until it is the writer (10 min)`,
    ...(g ? [`sessions: elasticache:FailoverGlobalReplicationGroup of ${g} in ${p.to} (PrimaryRegion ${p.to}, PrimaryReplicationGroupId ${t.replicationGroupId}), sent once, unless the datastore is modifying or ${t.replicationGroupId} is already PRIMARY; wait until it is (5 min)${unplanned ? `; a to-do line if ${p.from} does not answer` : ""}`] : []),
    `compute: application-autoscaling:RegisterScalableTarget + ecs:UpdateService in ${p.to}, never below what runs: ${t.services.map((n) => `${n}≥${p.outputs.capacity.services[n] ?? 1}`).join(", ")}; processors ${t.processors.join(", ") || "none"} to at least their bounds; wait for running tasks (8 min)`,
    `clock: scheduler:UpdateSchedule ENABLED ${t.schedules.join(", ") || "none"} in ${p.to}`,
    `traffic: Cloudflare PATCH default_pools [${t.pool}, ${s.pool}], fallback_pool ${t.pool} on ${p.outputs.cloudflare.loadBalancers.map((l) => l.host).join(", ")}; every host's ${new URL(p.outputs.healthUrl).pathname} answers 2xx from ${p.to} (5 min)`,
    `old region: scheduler:UpdateSchedule DISABLED ${s.schedules.join(", ") || "none"} in ${p.from}, best effort (a to-do line if it fails)`,
    `stack config: prints platform:activeRegion: ${p.to}, the change that makes the next pulumi up agree`,
  ];
  const lines = [
    `Failover (${p.mode}) ${p.from} → ${p.to}, global cluster ${p.outputs.globalClusterId}${g ? `, Global Datastore ${g}` : ""}`,
    `0. live state: what is already done (the writer and FailoverState, ${g ? "the datastore's primary, " : ""}scaling bounds and tasks, schedules, pool order, which region answers the health check)`,
    `1. preflight: rds:DescribeGlobalClusters and rds:DescribeDBClusters (members, synchronization, engine versions, an instance in ${clusterId(t.clusterArn)}); ${unplanned ? `refuse while ${clusterId(s.clusterArn)} can be described in a status not broken, or ${p.from} answers only with errors (unless --fail-over-while-primary-answers)` : `cloudwatch:GetMetricData AuroraGlobalDBRPOLag of ${clusterId(t.clusterArn)} ≤ ${p.maxLagMs} ms`}; ${g ? "elasticache:DescribeGlobalReplicationGroups (both groups members); " : ""}ecs:DescribeServices in ${p.to}`,
    ...steps.map((x, i) => `${i + 2}. ${x}`),
  ];
  return lines.join("\n");
}
