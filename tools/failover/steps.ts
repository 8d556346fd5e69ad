/**
 * The failover's steps, each an idempotent pair: `done()` reads the live state (so a re-run resumes
 * at the first step not done, whatever happened before), `run()` makes the change and waits for it.
 * Nothing here scales a service in, and nothing sends a switchover or failover while AWS is carrying
 * one out or the target is already the writer.
 */
import { FailoverGlobalClusterCommand, SwitchoverGlobalClusterCommand } from "@aws-sdk/client-rds";
import { boundsAt, clusterId, globalCluster, inProgress, isWriter, regionState, scheduleStates, send, servicesAt, setBounds, setDesired, setSchedules, source, target, waitFor } from "./aws";
import { healthEverywhere, loadBalancer } from "./cloudflare";
import { sessions } from "./sessions";
import { Deps, Done, Plan, Step, StepError } from "./types";

/** The config change that makes the next `pulumi up` keep the new topology (platform:activeRegion, issue #26). */
export const configLine = (p: Plan) => `platform:activeRegion: ${p.to}`;

export function steps(d: Deps, p: Plan): Step[] {
  // The sessions' datastore follows the database, before traffic reaches the new region; the old region's
  // clean-up comes after traffic: a half-answering old region must not keep the pools from moving.
  const fenced = p.mode === "unplanned" ? [fence(d, p)] : [];
  const datastore = p.outputs.globalDatastoreId ? [sessions(d, p)] : [];
  return [...fenced, database(d, p), ...datastore, compute(d, p), clock(d, p), traffic(d, p), oldRegion(d, p), stackConfig(d, p)];
}

const scheduleList = (p: Plan) => `${source(p).schedules.join(", ")} (group ${source(p).scheduleGroup})`;

/**
 * Unplanned only: the old region's writers stop before the data-losing failover. Only a region
 * whose every probe failed on the network is "not answering" (aws.ts regionState); then the fence
 * is impossible and the step is partial with a to-do line. Any other error fails the step, so no
 * FailoverGlobalCluster is sent without the fence.
 */
function fence(d: Deps, p: Plan): Step {
  const s = source(p);
  const writers = [...s.services, ...s.processors];
  const unfenced = () => [`disable the ${p.from} schedules ${scheduleList(p)} when ${p.from} answers again, and check there that its cluster rejoined as a read-only secondary before its services write (RDS console): it could not be fenced, it did not answer`];
  return {
    name: "fence",
    timeoutMs: 3 * 60_000,
    byHand: `scale every ${p.from} service to 0 (ECS console, and its scaling minimum to 0) and disable its schedules, then re-run`,
    done: async (): Promise<Done> => {
      const from = await regionState(d, p, p.from);
      if (from.answers === "no") return { todo: unfenced() };
      if (isWriter(await globalCluster(d, p, p.to), target(p).clusterArn)) return true; // AWS made the old cluster a read-only secondary
      const [running, states] = await Promise.all([servicesAt(d, p.from, s, writers), scheduleStates(d, p.from, s)]);
      return [...running.values()].every((x) => x.desired === 0) && [...states.values()].every((x) => x === "DISABLED");
    },
    run: async () => {
      const from = await regionState(d, p, p.from);
      if (from.answers === "no") return unfenced();
      for (const name of writers) {
        await setBounds(d, p.from, s, name, 0, 0);
        await setDesired(d, p.from, s, name, 0);
      }
      await setSchedules(d, p.from, s, "DISABLED");
      return [`${p.from}'s services are at 0 tasks and its schedules disabled (fenced): the next \`pulumi up\` with ${configLine(p)} gives it back its standby capacity`];
    },
  };
}

function database(d: Deps, p: Plan): Step {
  const t = target(p);
  const id = clusterId(t.clusterArn);
  const state = async (): Promise<true | string> => {
    const g = await globalCluster(d, p, p.to);
    const op = inProgress(g);
    if (isWriter(g, t.clusterArn) && !op) return true;
    return op ? `FailoverState ${op.status}${op.to ? ` to ${clusterId(op.to)}` : ""}` : `writer ${clusterId(g.GlobalClusterMembers?.find((m) => m.IsWriter)?.DBClusterArn ?? "none:cluster:none")}, status ${g.Status}`;
  };
  return {
    name: "database",
    timeoutMs: 10 * 60_000,
    byHand: `check the global cluster in the RDS console (${p.to}); the writer must be ${id}, then re-run`,
    done: async () => (await state()) === true,
    run: async () => {
      const g = await globalCluster(d, p, p.to);
      const op = inProgress(g);
      if (op) d.log(`    AWS is already carrying out a ${op.dataLoss ? "failover" : "switchover"} (FailoverState ${op.status}): waiting for it, sending nothing`);
      else if (!isWriter(g, t.clusterArn)) {
        // The target by ARN, "so that Aurora can locate the cluster in its Region". AWS's guide sends a
        // switchover to the primary's region and a failover to the secondary's
        // (https://docs.aws.amazon.com/AmazonRDS/latest/AuroraUserGuide/aurora-global-database-disaster-recovery.html,
        // API_SwitchoverGlobalCluster, API_FailoverGlobalCluster: AllowDataLoss is the unplanned form).
        const input = { GlobalClusterIdentifier: p.outputs.globalClusterId, TargetDbClusterIdentifier: t.clusterArn };
        try {
          // rdsOnce: maxAttempts 1, so the SDK never re-sends either command itself (clients.ts).
          if (p.mode === "unplanned") await send(d, (o) => d.rdsOnce(p.to).send(new FailoverGlobalClusterCommand({ ...input, AllowDataLoss: true }), o));
          else await send(d, (o) => d.rdsOnce(p.from).send(new SwitchoverGlobalClusterCommand(input), o));
        } catch (err) {
          if ((err as Error).name === "AbortError") throw err;
          // The request may have reached AWS though its answer did not: what AWS now reports decides.
          const now = await globalCluster(d, p, p.to).catch(() => undefined);
          // InvalidGlobalClusterStateFault: "the global cluster is in an invalid state" (API_SwitchoverGlobalCluster, API_FailoverGlobalCluster, Errors): one is under way.
          if ((now && (inProgress(now) || isWriter(now, t.clusterArn))) || (err as Error).name === "InvalidGlobalClusterStateFault") {
            d.log(`    the call failed (${(err as Error).name}) but AWS is carrying out a move or will be: waiting for it, sending nothing more`);
          } else throw err;
        }
      }
      try {
        await waitFor(d, `${id} becoming the writer`, state);
      } catch (err) {
        const verb = p.mode === "unplanned" ? "failover" : "switchover";
        throw new StepError((err as Error).message, /FailoverState/.test((err as Error).message) ? `AWS is still carrying out the ${verb}: do not start another; run the same command again to wait for it (it sends nothing while one is in progress)` : undefined);
      }
    },
  };
}

/** The larger of what runs and what a serving region needs: a failover never scales a service in. */
function compute(d: Deps, p: Plan): Step {
  const t = target(p);
  const cap = p.outputs.capacity;
  const want = (name: string) => cap.services[name] ?? 1;
  const wantBounds = (name: string) => cap.processors[name] ?? { min: 0, max: 1 };
  const read = () => Promise.all([servicesAt(d, p.to, t, t.services), boundsAt(d, p.to, t, [...t.services, ...t.processors])]);
  const none = { min: 0, max: 0 };
  const running = async (): Promise<true | string> => {
    const svc = await servicesAt(d, p.to, t, t.services);
    const short = t.services.filter((n) => (svc.get(n)?.running ?? 0) < want(n));
    return short.length ? short.map((n) => `${n} ${svc.get(n)?.running ?? 0}/${want(n)}`).join(", ") : true;
  };
  return {
    name: "compute",
    timeoutMs: 8 * 60_000,
    byHand: `look at the stopped tasks of the ${p.to} services (ECS console: events, exit codes), then re-run`,
    done: async () => {
      const [svc, bounds] = await read();
      const servicesUp = t.services.every((n) => (bounds.get(n) ?? none).min >= want(n) && (svc.get(n)?.desired ?? 0) >= want(n) && (svc.get(n)?.running ?? 0) >= want(n));
      return servicesUp && t.processors.every((n) => (bounds.get(n) ?? none).min >= wantBounds(n).min && (bounds.get(n) ?? none).max >= wantBounds(n).max);
    },
    run: async () => {
      const [svc, bounds] = await read();
      // A maximum below the floor (a fenced region's 0) takes the region left's maximum, best effort, so it can still scale out.
      const pinned = t.services.filter((n) => (bounds.get(n) ?? none).max < want(n));
      const carried = pinned.length ? await boundsAt(d, p.from, source(p), pinned).catch(() => new Map<string, { min: number; max: number }>()) : new Map<string, { min: number; max: number }>();
      for (const name of t.services) {
        const b = bounds.get(name) ?? none;
        const min = Math.max(b.min, want(name));
        if (min > b.min || min > b.max) await setBounds(d, p.to, t, name, min, Math.max(b.max, min, carried.get(name)?.max ?? 0));
        if ((svc.get(name)?.desired ?? 0) < want(name)) await setDesired(d, p.to, t, name, want(name));
      }
      for (const name of t.processors) {
        const b = bounds.get(name) ?? none;
        const w = wantBounds(name);
        if (b.min < w.min || b.max < w.max) await setBounds(d, p.to, t, name, Math.max(b.min, w.min), Math.max(b.max, w.max));
      }
      await waitFor(d, `${p.to} services reaching their failover capacity`, running);
    },
  };
}

/** The target's schedules on; the old region's go off in `oldRegion`, after traffic. */
function clock(d: Deps, p: Plan): Step {
  const t = target(p);
  return {
    name: "clock",
    timeoutMs: 2 * 60_000,
    byHand: `enable the ${p.to} schedules in the EventBridge Scheduler console (group ${t.scheduleGroup}), then re-run`,
    done: async () => [...(await scheduleStates(d, p.to, t)).values()].every((x) => x === "ENABLED"),
    run: async () => setSchedules(d, p.to, t, "ENABLED"),
  };
}

/**
 * Best effort, after traffic: the old region's schedules off. Whatever stops it (the region lost,
 * throttled, 5xx) leaves a to-do line (partial), never a failed step.
 */
function oldRegion(d: Deps, p: Plan): Step {
  const s = source(p);
  const left = (why?: string) => [`disable the ${p.from} schedules ${scheduleList(p)} when ${p.from} answers again, or re-run this command then${why ? ` (${why})` : ""}`];
  return {
    name: "old region",
    timeoutMs: 2 * 60_000,
    byHand: `disable the ${p.from} schedules ${scheduleList(p)} in the EventBridge Scheduler console, then re-run`,
    done: async () => [...(await scheduleStates(d, p.from, s)).values()].every((x) => x === "DISABLED"),
    run: async () => {
      const from = await regionState(d, p, p.from);
      if (from.answers === "no") return left();
      try {
        await setSchedules(d, p.from, s, "DISABLED");
        return [];
      } catch (err) {
        if (d.signal?.aborted) throw err;
        return left(`${(err as Error).name}: ${(err as Error).message}`);
      }
    },
  };
}

function traffic(d: Deps, p: Plan): Step {
  const [t, s] = [target(p), source(p)];
  const lbs = p.outputs.cloudflare.loadBalancers;
  return {
    name: "traffic",
    timeoutMs: 5 * 60_000,
    byHand: `in Cloudflare (Load Balancing), put the ${p.to} pool first on every load balancer, then re-run`,
    done: async () => {
      for (const lb of lbs) if ((await loadBalancer(d, "GET", lb.zoneId, lb.id)).default_pools?.[0] !== t.pool) return false;
      return (await healthEverywhere(d, p, p.to)) === true;
    },
    run: async () => {
      for (const lb of lbs) {
        if ((await loadBalancer(d, "GET", lb.zoneId, lb.id)).default_pools?.[0] === t.pool) continue;
        await loadBalancer(d, "PATCH", lb.zoneId, lb.id, { default_pools: [t.pool, s.pool], fallback_pool: t.pool });
        // Cloudflare sends traffic to the fallback pool "when all other pools are unhealthy" (the edit API, https://developers.cloudflare.com/api/resources/load_balancers/methods/edit/): that must be the new primary, not the region left.
      }
      await waitFor(d, `every host answering from ${p.to} through Cloudflare`, () => healthEverywhere(d, p, p.to));
    },
  };
}

/** Last: the one config change that makes the next `pulumi up` agree (it calls nothing; the report's "Next" repeats it). */
function stackConfig(d: Deps, p: Plan): Step {
  return {
    name: "stack config",
    timeoutMs: 1000,
    byHand: `set ${configLine(p)} in Pulumi.${p.outputs.stack}.yaml`,
    done: async () => false,
    run: async () => {
      d.log(`    the stack's config must now say \`${configLine(p)}\` (Pulumi.${p.outputs.stack}.yaml)`);
    },
  };
}

/** What makes the next `pulumi up` keep the topology the failover made. */
export const configNext = (p: Plan) =>
  `make the stack agree before the next \`pulumi up\`: set \`${configLine(p)}\` in Pulumi.${p.outputs.stack}.yaml (\`pulumi config set platform:activeRegion ${p.to} --stack ${p.outputs.stack}\`) and merge it`;
