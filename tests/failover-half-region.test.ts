import { strict as assert } from "assert";
import * as fs from "fs";
import { waitFor } from "../tools/failover/aws";
import { awsDeps } from "../tools/failover/clients";
import { simulatedClock } from "../tools/failover/clock";
import { FailoverOutputs } from "../tools/failover/outputs";
import { runFailover } from "../tools/failover/run";
import { SimWorld } from "../tools/failover/simWorld";
import { Deps, Mode, Plan } from "../tools/failover/types";
import { drillOutputs, world, worldFileFor, faultFlags, runOnWorld } from "./support/failoverWorld";
import { PRIMARY_REGION, STANDBY_REGION } from "./support/stacks";

/**
 * A half-answering old region (throttled, 5xx, one service's endpoint unreachable) is not a lost
 * one: no data-losing failover without the fence, and its clean-up never holds the traffic back.
 */
describe("npm run failover: a half-answering region", () => {
  let outputs: FailoverOutputs;
  let outputsFile: string;
  let dir: string;
  before(async () => ({ outputs, dir, outputsFile } = await drillOutputs("fo-half-")));
  let worldFile: string;
  beforeEach(function () {
    worldFile = worldFileFor(dir, this);
  });
  const run = (mode: string, ...extra: string[]) => runOnWorld(worldFile, outputsFile, mode, mode === "failback" ? PRIMARY_REGION : STANDBY_REGION, extra);
  const faults = faultFlags;
  const failover = (w: SimWorld) => w.calls.findIndex((c) => c.includes("FailoverGlobalCluster"));
  const fencedBefore = (w: SimWorld, i: number) => outputs.regions[PRIMARY_REGION].services.every((s) => w.calls.slice(0, i).some((c) => c.endsWith(`${PRIMARY_REGION} UpdateService ${s}=0`)));

  it("the old region's RDS and ECS throttled is no lost region: unplanned is refused (exit 2, nothing changed); forced, no failover without the fence", async () => {
    const throttled = faults(`${PRIMARY_REGION}:rds:throttle`, `${PRIMARY_REGION}:ecs:throttle`);
    const refused = await run("unplanned", ...throttled);
    assert.equal(refused.code, 2, refused.text);
    assert.match(refused.text, /cannot tell whether data-aurora-primary-\w+ in us-east-1 still answers \(ThrottlingException: Rate exceeded/);
    assert.deepEqual(refused.w.calls, []);
    const forced = await run("unplanned", "--fail-over-while-primary-answers", ...throttled);
    assert.equal(forced.code, 3, forced.text);
    assert.equal(failover(forced.w), -1, forced.w.calls.join("\n"));
  });

  it("only its RDS throttled, forced: the fence runs (ECS answers) before the failover", async () => {
    const forced = await run("unplanned", "--fail-over-while-primary-answers", ...faults(`${PRIMARY_REGION}:rds:throttle`));
    assert.equal(forced.code, 4, forced.text);
    assert.ok(failover(forced.w) > 0 && fencedBefore(forced.w, failover(forced.w)), forced.w.calls.join("\n"));
  });

  it("its RDS endpoint unreachable but ECS answering: still a region that answers (refused, exit 2, nothing changed)", async () => {
    const o = await run("unplanned", ...faults(`${PRIMARY_REGION}:rds:hang`));
    assert.equal(o.code, 2, o.text);
    assert.match(o.text, /cannot tell whether .* still answers \(its RDS endpoint did not answer \(TimeoutError\) but ECS did\)/);
    assert.deepEqual(o.w.calls, []);
  });

  it("forced, with its Scheduler failing (5xx): the fence fails (exit 3) and no FailoverGlobalCluster is sent", async () => {
    const o = await run("unplanned", "--fail-over-while-primary-answers", ...faults(`${PRIMARY_REGION}:scheduler:5xx`));
    assert.equal(o.code, 3, o.text);
    assert.match(o.text, /\| 1 \| fence \|.*failed: InternalFailure/);
    assert.equal(failover(o.w), -1, o.w.calls.join("\n"));
  });

  it("planned, the old region's Scheduler failing (5xx): the pools still move; its clean-up is partial with a to-do line (exit 4)", async () => {
    const o = await run("planned", ...faults(`${PRIMARY_REGION}:scheduler:5xx`));
    assert.equal(o.code, 4, o.text);
    assert.equal(o.w.pools.pending?.first ?? o.w.pools.first, outputs.regions[STANDBY_REGION].pool);
    assert.match(o.text, /\| 1 \| traffic \|[^\n]*\| done \|/);
    assert.match(o.text, /\| 1 \| old region \|.*partial: to do: disable the us-east-1 schedules .* \(InternalFailure: scheduler GetSchedule in us-east-1/);
  });

  it("a switchover whose answer is lost after AWS accepted it: re-read, waited for, never sent twice (exit 0)", async () => {
    const o = await run("planned", ...faults("rds:SwitchoverGlobalCluster:lost"));
    assert.equal(o.code, 0, o.text);
    assert.match(o.text, /the call failed \(TimeoutError\) but AWS is carrying out a move or will be: waiting for it, sending nothing more/);
    assert.deepEqual(o.w.calls.filter((c) => /Switchover|Failover/.test(c)), [`run 1 ${PRIMARY_REGION} SwitchoverGlobalCluster to ${STANDBY_REGION}`, `run 1 ${STANDBY_REGION} FailoverGlobalReplicationGroup to ${STANDBY_REGION}`]);
  });

  it("the real clients: one attempt for the moving commands' client, requestTimeout enforced", async () => {
    const d = awsDeps("t", () => {});
    assert.equal(await d.rdsOnce(PRIMARY_REGION).config.maxAttempts(), 1);
    assert.equal(await d.rds(PRIMARY_REGION).config.maxAttempts(), 2);
    // node-http-handler's resolved options: without throwOnRequestTimeout, requestTimeout only logs a warning.
    const handler = d.rds(PRIMARY_REGION).config.requestHandler as unknown as { configProvider: Promise<{ requestTimeout?: number; throwOnRequestTimeout?: boolean }> };
    assert.deepEqual(await handler.configProvider.then((c) => [c.requestTimeout, c.throwOnRequestTimeout]), [10_000, true]);
  });

  const plan = (mode: Mode, to = STANDBY_REGION): Plan => ({ outputs, mode, to, from: to === STANDBY_REGION ? PRIMARY_REGION : STANDBY_REGION, maxLagMs: 1000 });

  it("an old primary that is busy (backing-up, modifying, maintenance, upgrading) still writes: unplanned is refused (exit 2)", async () => {
    for (const sourceStatus of ["backing-up", "modifying", "maintenance", "upgrading"]) {
      const w = world(outputs, { sourceStatus });
      try {
        const o = await runFailover(w.deps, plan("unplanned"));
        assert.equal(o.exitCode, 2, sourceStatus);
        assert.match(o.timeline.at(-1)!.detail!, new RegExp(`still answers \\(${sourceStatus}\\)`));
        assert.deepEqual(w.mutating(), []);
      } finally {
        w.restore();
      }
    }
  });

  it("fallback_pool is the new primary's pool", async () => {
    const w = world(outputs);
    try {
      const bodies: { fallback_pool?: string }[] = [];
      const fetch = w.deps.fetch;
      const spy = (async (url: string, init?: RequestInit) => (init?.method === "PATCH" && bodies.push(JSON.parse(String(init.body))), fetch(url, init))) as typeof globalThis.fetch;
      assert.equal((await runFailover({ ...w.deps, fetch: spy }, plan("planned"))).exitCode, 0);
      assert.equal(bodies.length, outputs.cloudflare.loadBalancers.length);
      for (const b of bodies) assert.equal(b.fallback_pool, outputs.regions[STANDBY_REGION].pool);
    } finally {
      w.restore();
    }
  });

  it("a long wait goes on through a throttled or 5xx read, and stops at any other error", async () => {
    const clock = simulatedClock(0);
    const d = { ...clock, log: () => {}, signal: clock.deadline(60_000) } as unknown as Deps;
    const reads = [Object.assign(new Error("Rate exceeded"), { name: "ThrottlingException" }), Object.assign(new Error("boom"), { name: "InternalFailure", $metadata: { httpStatusCode: 503 } })];
    await waitFor(d, "x", async () => {
      const e = reads.shift();
      if (e) throw e;
      return true;
    });
    assert.equal(reads.length, 0);
    const denied = Object.assign(new Error("not allowed"), { name: "AccessDeniedException", $metadata: { httpStatusCode: 403 } });
    await assert.rejects(waitFor(d, "x", () => Promise.reject(denied)), /not allowed/);
  });

  it("failback to a fenced region: its maximum comes back from the region left, not pinned at the floor", async () => {
    const fenced = await run("unplanned", "--fail-over-while-primary-answers");
    assert.equal(fenced.code, 4);
    // Warmed by hand (desired count 1 in the console) before the \`pulumi up\` that gives its bounds back: max still 0.
    for (const s of outputs.regions[PRIMARY_REGION].services) Object.assign(fenced.w.services[`${PRIMARY_REGION}/${s}`], { desired: 1, running: 1 });
    fs.writeFileSync(worldFile, JSON.stringify(fenced.w));
    const back = await run("failback");
    assert.equal(back.code, 0, back.text);
    for (const s of outputs.regions[PRIMARY_REGION].services) {
      const x = back.w.services[`${PRIMARY_REGION}/${s}`];
      assert.ok(x.max > x.min && x.max === back.w.services[`${STANDBY_REGION}/${s}`].max, `${s}: ${JSON.stringify(x)}`);
    }
  });

  it("the snapshot line after a clean unplanned failover is advice: exit 0 lists no To do", async () => {
    assert.equal((await run("unplanned", ...faults(`${PRIMARY_REGION}:down`))).code, 4);
    const back = await run("unplanned");
    assert.equal(back.code, 0, back.text);
    assert.doesNotMatch(back.text, /To do:/);
    assert.match(back.text, /Advice \(not part of the move\):\n- keep the snapshot rds:unplanned-global-failover-/);
  });

  const cloudflare = (w: ReturnType<typeof world>, patch: (n: number) => Response | undefined) => {
    let n = 0;
    return (async (url: string, init?: RequestInit) => patch(init?.method === "PATCH" ? n++ : -1) ?? w.deps.fetch(url, init)) as typeof globalThis.fetch;
  };

  it("Cloudflare: a network error is retried within the step; a Retry-After past its deadline is not slept into", async () => {
    const w = world(outputs);
    try {
      const flaky = cloudflare(w, (n) => (n === 0 ? Promise.reject(new TypeError("fetch failed")) : undefined) as unknown as Response | undefined);
      assert.equal((await runFailover({ ...w.deps, fetch: flaky }, plan("planned"))).exitCode, 0);
    } finally {
      w.restore();
    }
    const v = world(outputs);
    try {
      const limited = cloudflare(v, (n) => (n >= 0 ? new Response("{}", { status: 429, headers: { "content-type": "application/json", "retry-after": "900" } }) : undefined));
      const t0 = v.deps.now();
      const o = await runFailover({ ...v.deps, fetch: limited }, plan("planned"));
      assert.equal(o.exitCode, 3);
      assert.match(o.timeline.at(-1)!.detail!, /429, and asks to wait 900 s, past this step's time limit/);
      assert.match(o.stoppedAt!.next, /wait 900 s \(Cloudflare's Retry-After\), then run the same command again/);
      assert.ok(v.deps.now() - t0 < 10 * 60_000, `${v.deps.now() - t0} ms`);
    } finally {
      v.restore();
    }
  });

  it("resumed after the failover, the old primary gone from GlobalClusterMembers is no stale-outputs refusal", async () => {
    const w = world(outputs, { fromDown: true });
    try {
      assert.equal((await runFailover(w.deps, plan("unplanned"))).exitCode, 4);
      const rds = w.deps.rds;
      const dropped: Deps = {
        ...w.deps,
        rds: (region) => {
          const real = rds(region);
          const send = async (cmd: never, o?: never) => {
            const out = (await real.send(cmd, o)) as { GlobalClusters?: { GlobalClusterMembers?: { DBClusterArn?: string }[] }[] };
            for (const g of out.GlobalClusters ?? []) g.GlobalClusterMembers = g.GlobalClusterMembers?.filter((m) => m.DBClusterArn !== outputs.regions[PRIMARY_REGION].clusterArn);
            return out;
          };
          return { send } as unknown as ReturnType<Deps["rds"]>;
        },
      };
      const again = await runFailover(dropped, plan("unplanned"));
      assert.equal(again.exitCode, 4, JSON.stringify(again.timeline));
    } finally {
      w.restore();
    }
  });

  it("InvalidGlobalClusterStateFault with FailoverState unreadable just after: a move in progress, waited for, not an error", async () => {
    const w = world(outputs);
    try {
      let failNextRead = false;
      const { rds, rdsOnce } = w.deps;
      const deps: Deps = {
        ...w.deps,
        rdsOnce: (region) => {
          const real = rdsOnce(region);
          const send = async (cmd: never, o?: never) => {
            await real.send(cmd, o);
            failNextRead = true;
            throw Object.assign(new Error("The global cluster is in an invalid state and can't perform the requested operation."), { name: "InvalidGlobalClusterStateFault", $metadata: { httpStatusCode: 400 } });
          };
          return { send } as unknown as ReturnType<Deps["rds"]>;
        },
        rds: (region) => {
          const real = rds(region);
          const send = async (cmd: { constructor: { name: string } }, o?: never) => {
            if (failNextRead && cmd.constructor.name === "DescribeGlobalClustersCommand") {
              failNextRead = false;
              throw Object.assign(new Error("Rate exceeded"), { name: "ThrottlingException", $metadata: { httpStatusCode: 400 } });
            }
            return real.send(cmd as never, o);
          };
          return { send } as unknown as ReturnType<Deps["rds"]>;
        },
      };
      const o = await runFailover(deps, plan("planned"));
      assert.equal(o.exitCode, 0, JSON.stringify(o.timeline));
      assert.deepEqual(w.mutating().filter((c) => /Switchover/.test(c)), [`${PRIMARY_REGION} SwitchoverGlobalCluster`]);
    } finally {
      w.restore();
    }
  });
});
