/**
 * The sessions step: the ElastiCache Global Datastore's primary follows the database to the target
 * region, so sessions and counters are written where the services now run. Done-ness comes from
 * the live state (DescribeGlobalReplicationGroups with ShowMemberInfo): the target's member is
 * PRIMARY and the datastore is not `modifying`. Nothing is sent while it is modifying, or once
 * the target is the primary, and the failover is sent once (a client with one attempt).
 */
import { DescribeGlobalReplicationGroupsCommand, FailoverGlobalReplicationGroupCommand, type GlobalReplicationGroup } from "@aws-sdk/client-elasticache";
import { regionState, send, source, target, waitFor } from "./aws";
import { Deps, Done, Plan, Step, StepError } from "./types";

/** The Global Datastore with its members, as the target region's ElastiCache reports it. */
export async function datastore(d: Deps, p: Plan, region: string): Promise<GlobalReplicationGroup> {
  const id = p.outputs.globalDatastoreId!;
  const out = await send(d, (o) => d.elasticache(region).send(new DescribeGlobalReplicationGroupsCommand({ GlobalReplicationGroupId: id, ShowMemberInfo: true }), o));
  const g = out.GlobalReplicationGroups?.[0];
  if (!g) throw new StepError(`Global Datastore ${id} not found in ${region}`);
  return g;
}

/** A member's Role (`PRIMARY` or `SECONDARY`, GlobalReplicationGroupMember), or undefined when the group is not a member. */
export const roleOf = (g: GlobalReplicationGroup, groupId: string | undefined) => g.Members?.find((m) => m.ReplicationGroupId === groupId)?.Role?.toUpperCase();

/**
 * "Your global datastore moves to a Modifying state and is unavailable until the promotion is
 * complete" (ElastiCache guide, "Promoting the secondary cluster to primary",
 * https://docs.aws.amazon.com/AmazonElastiCache/latest/dg/Redis-Global-Datastores-Console.html).
 */
const busy = (g: GlobalReplicationGroup) => g.Status === "modifying";

/** What preflight refuses for a sessions step still to do: a datastore that cannot be read, outputs naming groups that are not members. */
export async function sessionsProblems(d: Deps, p: Plan): Promise<string[]> {
  const g = await datastore(d, p, p.to);
  const groups = [target(p).replicationGroupId, ...(p.mode === "unplanned" ? [] : [source(p).replicationGroupId])];
  const problems = groups.filter((id) => !roleOf(g, id)).map((id) => `${id} is not a member of the Global Datastore ${p.outputs.globalDatastoreId}: the outputs are stale (read them again after the last \`pulumi up\`)`);
  // InvalidGlobalReplicationGroupState: "not available or in primary-only state" (API_FailoverGlobalReplicationGroup, Errors).
  if (g.Status === "primary-only") problems.push(`the Global Datastore ${p.outputs.globalDatastoreId} is primary-only (no secondary to promote)`);
  return problems;
}

export function sessions(d: Deps, p: Plan): Step {
  const [t, s] = [target(p), source(p)];
  const id = p.outputs.globalDatastoreId!;
  const state = async (): Promise<true | string> => {
    const g = await datastore(d, p, p.to);
    if (roleOf(g, t.replicationGroupId) === "PRIMARY" && !busy(g)) return true;
    return `${t.replicationGroupId} ${roleOf(g, t.replicationGroupId) ?? "not a member"}, the Global Datastore ${g.Status}`;
  };
  // AWS allows a promotion "if the primary cluster or AWS Region becomes unavailable" (same guide); what the
  // old primary does when its region returns is not documented there: a person checks it (unverified).
  const lost = () => [`when ${p.from} answers again, check that ${s.replicationGroupId} is back in the Global Datastore ${id} as a secondary (ElastiCache console → Global Datastores) before anything writes to it; if it left, keep it out of service and add it back as a secondary (adding a cluster as a secondary replaces its data: the Global Datastore guide's prerequisites): the promotion ran while ${p.from} did not answer`];
  const fromLost = async () => p.mode === "unplanned" && (await regionState(d, p, p.from)).answers === "no";
  return {
    name: "sessions",
    timeoutMs: 5 * 60_000,
    byHand: `read the Global Datastore (aws elasticache describe-global-replication-groups --region ${p.to} --global-replication-group-id ${id} --show-member-info); if it is not modifying and ${t.replicationGroupId} is not PRIMARY, promote it once: aws elasticache failover-global-replication-group --region ${p.to} --global-replication-group-id ${id} --primary-region ${p.to} --primary-replication-group-id ${t.replicationGroupId}; then re-run`,
    done: async (): Promise<Done> => {
      if ((await state()) !== true) return false;
      return (await fromLost()) ? { todo: lost() } : true;
    },
    run: async () => {
      const g = await datastore(d, p, p.to);
      if (busy(g)) d.log(`    the Global Datastore ${id} is modifying (a promotion or another change under way): waiting for it, sending nothing`);
      else if (roleOf(g, t.replicationGroupId) !== "PRIMARY") {
        // PrimaryRegion and PrimaryReplicationGroupId name the member to promote (API_FailoverGlobalReplicationGroup,
        // https://docs.aws.amazon.com/AmazonElastiCache/latest/APIReference/API_FailoverGlobalReplicationGroup.html).
        // AWS names no endpoint to send it to: the target's region, the one that answers when the old one is lost (unverified).
        const cmd = new FailoverGlobalReplicationGroupCommand({ GlobalReplicationGroupId: id, PrimaryRegion: p.to, PrimaryReplicationGroupId: t.replicationGroupId });
        try {
          await send(d, (o) => d.elasticacheOnce(p.to).send(cmd, o));
        } catch (err) {
          if ((err as Error).name === "AbortError") throw err;
          // The request may have reached AWS though its answer did not: what AWS now reports decides.
          const now = await datastore(d, p, p.to).catch(() => undefined);
          const underWay = now ? busy(now) || roleOf(now, t.replicationGroupId) === "PRIMARY" : (err as Error).name === "InvalidGlobalReplicationGroupStateFault";
          if (!underWay) throw err;
          d.log(`    the call failed (${(err as Error).name}) but AWS is carrying out a change or will be: waiting for it, sending nothing more`);
        }
      }
      try {
        await waitFor(d, `${t.replicationGroupId} becoming the Global Datastore's primary`, state);
      } catch (err) {
        const msg = (err as Error).message;
        throw new StepError(msg, /modifying/.test(msg) ? "the Global Datastore is still modifying: do not send another failover; run the same command again to wait for it (it sends nothing while one is in progress)" : undefined);
      }
      return (await fromLost()) ? lost() : [];
    },
  };
}
