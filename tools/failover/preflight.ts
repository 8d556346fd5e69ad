/**
 * Preflight: nothing changes here, and every refusal happens before any call that does. It checks
 * only what the steps still to do need (a resumed move whose database is done needs no lag data:
 * the new writer no longer reports it), and AWS's own preconditions for the database step.
 */
import { cluster, clusterId, globalCluster, inProgress, isNetworkError, regionState, rpoLagMs, servicesAt, source, target } from "./aws";
import { sessionsProblems } from "./sessions";
import { Deps, Plan, StepError } from "./types";

/**
 * "Same major and minor engine versions" for a managed switchover or failover
 * (https://docs.aws.amazon.com/AmazonRDS/latest/AuroraUserGuide/aurora-global-database-disaster-recovery.html):
 * Aurora MySQL's version is the part after `mysql_aurora.` (3.05.2 → 3.05), PostgreSQL's is major.minor.
 */
export function majorMinor(version: string): string {
  const aurora = version.split(".mysql_aurora.")[1];
  return (aurora ?? version).split(".").slice(0, 2).join(".");
}

/**
 * The DB cluster statuses in which the old primary cannot be writing, so an unplanned failover
 * loses nothing it still accepts: the KMS key is gone, or the cluster never came up. Every other
 * status (available, backing-up, modifying, maintenance, upgrading, …) is a primary that may still
 * take writes. Source: "Viewing DB cluster status", the status table
 * (https://docs.aws.amazon.com/AmazonRDS/latest/AuroraUserGuide/accessing-monitoring.html#Aurora.Status, read 2026-12-01).
 */
export const BROKEN_STATUSES = ["inaccessible-encryption-credentials", "inaccessible-encryption-credentials-recoverable", "cloning-failed", "migration-failed"];

export async function preflight(d: Deps, p: Plan, toDo: Set<string>): Promise<void> {
  const problems: string[] = [];
  const [t, s] = [target(p), source(p)];
  const g = await globalCluster(d, p, p.to);
  // After a failover the old primary may leave GlobalClusterMembers until it rejoins: only a move still to make needs both.
  if (toDo.has("database")) {
    for (const r of [t, s]) {
      if (!g.GlobalClusterMembers?.some((m) => m.DBClusterArn === r.clusterArn)) problems.push(`${clusterId(r.clusterArn)} is not a member of ${p.outputs.globalClusterId}: the outputs are stale (read them again after the last \`pulumi up\`)`);
    }
  }
  if (toDo.has("database") && !inProgress(g)) {
    const member = g.GlobalClusterMembers?.find((m) => m.DBClusterArn === t.clusterArn);
    // A secondary that is resynchronizing cannot be promoted (GlobalClusterMember.SynchronizationStatus).
    if (member?.SynchronizationStatus && member.SynchronizationStatus !== "connected") problems.push(`${clusterId(t.clusterArn)} is ${member.SynchronizationStatus}, not connected: AWS cannot promote it until it has resynchronized`);
    const targetCluster = await cluster(d, p.to, t.clusterArn);
    // "Before you can perform a switchover or failover to a headless secondary Aurora DB cluster, you must add a DB instance to it" (same guide).
    if (!targetCluster?.DBClusterMembers?.length) problems.push(`${clusterId(t.clusterArn)} has no DB instance (headless): add one before it can become the writer`);
    const from = await regionState(d, p, p.from);
    let unknown = from.answers === "unknown" ? from.why : undefined;
    const sourceCluster =
      from.answers === "no"
        ? undefined
        : await cluster(d, p.from, s.clusterArn).catch((err: Error) => {
            if (!isNetworkError(err)) unknown ??= `${err.name}: ${err.message}`;
            else unknown ??= `its RDS endpoint did not answer (${err.name}) but ECS did`;
            return undefined;
          });
    if (targetCluster?.EngineVersion && sourceCluster?.EngineVersion && majorMinor(targetCluster.EngineVersion) !== majorMinor(sourceCluster.EngineVersion)) {
      problems.push(`engine versions differ: ${clusterId(s.clusterArn)} ${sourceCluster.EngineVersion}, ${clusterId(t.clusterArn)} ${targetCluster.EngineVersion}; a managed ${p.mode === "unplanned" ? "failover" : "switchover"} needs the same major and minor version (upgrade one first)`);
    }
    if (p.mode === "unplanned") {
      const status = sourceCluster?.Status;
      if (p.forceWhilePrimaryAnswers) d.log(`    --fail-over-while-primary-answers: ${p.from}'s writers are stopped before the failover (the fence step)`);
      else if (sourceCluster && !BROKEN_STATUSES.includes(status ?? "")) {
        problems.push(`${clusterId(s.clusterArn)} in ${p.from} still answers (${status}): an unplanned failover would lose its latest writes and leave two writers; use --mode planned, or --fail-over-while-primary-answers to stop ${p.from}'s writers first and fail over anyway`);
      } else if (!sourceCluster && unknown) {
        problems.push(`cannot tell whether ${clusterId(s.clusterArn)} in ${p.from} still answers (${unknown}): only a network failure counts as a lost region; wait and run again, or --fail-over-while-primary-answers to stop ${p.from}'s writers first and fail over anyway`);
      }
    } else {
      if (from.answers === "no") problems.push(`${p.from} does not answer: a planned switchover needs both regions (use --mode unplanned if it is lost)`);
      const lag = await rpoLagMs(d, p);
      if (lag === undefined) problems.push(`no AuroraGlobalDBRPOLag data for ${clusterId(t.clusterArn)} in the last 5 minutes: cannot prove the copy is current`);
      else if (lag > p.maxLagMs) problems.push(`replication lag is ${lag} ms, above the ${p.maxLagMs} ms a planned switchover accepts (wait, or --max-lag-ms)`);
    }
  }
  if (toDo.has("sessions")) problems.push(...(await sessionsProblems(d, p)));
  if (toDo.has("compute")) {
    const services = await servicesAt(d, p.to, t, t.services);
    for (const name of t.services) if ((services.get(name)?.running ?? 0) < 1) problems.push(`${p.to} service ${name} runs no task: the standby is not warm`);
  }
  if (problems.length) throw new StepError(problems.join("; "), "nothing was changed; fix what it names and run the command again");
}
