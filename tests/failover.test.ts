import { strict as assert } from "assert";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { main } from "../tools/failover/cli";
import { FailoverOutputs, readFailoverOutputs } from "../tools/failover/outputs";
import { RTO_BUDGET_MS, runFailover } from "../tools/failover/run";
import { newWorld } from "../tools/failover/simWorld";
import { simulatedDeps } from "../tools/failover/simulate";
import { Mode, Plan } from "../tools/failover/types";
import { expectedCalls, world } from "./support/failoverWorld";
import { PRIMARY_REGION, STANDBY_REGION, stack } from "./support/stacks";

describe("npm run failover", () => {
  let outputs: FailoverOutputs;
  before(async () => {
    const read = readFailoverOutputs((await stack("prod")).graph.outputs);
    if (!read.ok) throw new Error(read.problems.join("\n"));
    outputs = read.outputs;
  });
  const plan = (mode: Mode, to = STANDBY_REGION): Plan => ({ outputs, mode, to, from: to === STANDBY_REGION ? PRIMARY_REGION : STANDBY_REGION, maxLagMs: 1000 });
  const calls = () => expectedCalls(outputs);

  it("planned: switches the database over, scales the standby, moves the clock and the traffic, in that order", async () => {
    const w = world(outputs);
    try {
      const o = await runFailover(w.deps, plan("planned"));
      assert.equal(o.exitCode, 0, JSON.stringify(o.timeline));
      assert.deepEqual(w.mutating(), [
        `${PRIMARY_REGION} SwitchoverGlobalCluster`,
        // The sessions' datastore follows the database, in the target's region.
        `${STANDBY_REGION} FailoverGlobalReplicationGroup`,
        ...calls().servicesUp(STANDBY_REGION),
        ...calls().processorsUp(STANDBY_REGION),
        ...calls().schedulesTo(STANDBY_REGION, "ENABLED"),
        ...outputs.cloudflare.loadBalancers.map((l) => `cloudflare PATCH ${l.id}`),
        // The old region's clean-up after traffic (a half-answering old region cannot hold the pools back).
        ...calls().schedulesTo(PRIMARY_REGION, "DISABLED"),
      ]);
      assert.deepEqual(o.timeline.map((r) => `${r.step}:${r.result}`), ["live state:done", "preflight:done", "database:done", "sessions:done", "compute:done", "clock:done", "traffic:done", "old region:done", "stack config:done"]);
      assert.ok(w.calls.indexOf(`${STANDBY_REGION} GetMetricData`) < w.calls.indexOf(`${PRIMARY_REGION} SwitchoverGlobalCluster`), "the lag is checked first");
    } finally {
      w.restore();
    }
  });

  it("failback: after a switchover, a switchover home; home capacity is already there, the clock and the home pool move back", async () => {
    const w = world(outputs);
    try {
      assert.equal((await runFailover(w.deps, plan("planned"))).exitCode, 0);
      w.calls.length = 0;
      const o = await runFailover(w.deps, plan("failback", PRIMARY_REGION));
      assert.equal(o.exitCode, 0, JSON.stringify(o.timeline));
      assert.deepEqual(w.mutating(), [
        `${STANDBY_REGION} SwitchoverGlobalCluster`,
        `${PRIMARY_REGION} FailoverGlobalReplicationGroup`,
        ...calls().schedulesTo(PRIMARY_REGION, "ENABLED"),
        ...outputs.cloudflare.loadBalancers.map((l) => `cloudflare PATCH ${l.id}`),
        ...calls().schedulesTo(STANDBY_REGION, "DISABLED"),
      ]);
      assert.equal(o.timeline.find((r) => r.step === "compute")?.result, "already done");
    } finally {
      w.restore();
    }
  });

  it("unplanned: fails over with AllowDataLoss, checks no lag, and goes on without the lost region", async () => {
    const w = world(outputs, { fromDown: true });
    try {
      const o = await runFailover(w.deps, plan("unplanned"));
      assert.equal(o.exitCode, 4, JSON.stringify(o.timeline));
      assert.deepEqual(o.todo, [
        // The fence was impossible (nothing answered): partial, with its own line (not "done").
        `disable the ${PRIMARY_REGION} schedules ${calls().scheduleList(PRIMARY_REGION)} (group platform-prod-schedules) when ${PRIMARY_REGION} answers again, and check there that its cluster rejoined as a read-only secondary before its services write (RDS console): it could not be fenced, it did not answer`,
        `when ${PRIMARY_REGION} answers again, check that ${outputs.regions[PRIMARY_REGION].replicationGroupId} is back in the Global Datastore ${outputs.globalDatastoreId} as a secondary (ElastiCache console → Global Datastores) before anything writes to it; if it left, keep it out of service and add it back as a secondary (adding a cluster as a secondary replaces its data: the Global Datastore guide's prerequisites): the promotion ran while ${PRIMARY_REGION} did not answer`,
        `disable the ${PRIMARY_REGION} schedules ${calls().scheduleList(PRIMARY_REGION)} (group platform-prod-schedules) when ${PRIMARY_REGION} answers again, or re-run this command then`,
      ]);
      assert.deepEqual(w.mutating(), [
        `${STANDBY_REGION} FailoverGlobalCluster`,
        `${STANDBY_REGION} FailoverGlobalReplicationGroup`,
        ...calls().servicesUp(STANDBY_REGION),
        ...calls().processorsUp(STANDBY_REGION),
        ...calls().schedulesTo(STANDBY_REGION, "ENABLED"),
        ...outputs.cloudflare.loadBalancers.map((l) => `cloudflare PATCH ${l.id}`),
      ]);
      assert.ok(!w.calls.includes(`${STANDBY_REGION} GetMetricData`), "no lag check when the primary is lost");
      assert.ok(!w.mutating().some((c) => c.startsWith(PRIMARY_REGION)), "nothing is asked of the lost region");
      assert.deepEqual([...w.schedules].filter(([k]) => k.startsWith(STANDBY_REGION)).map(([, v]) => v), ["ENABLED", "ENABLED"]);
    } finally {
      w.restore();
    }
  });

  it("planned: refuses a lag above the threshold, and a lost primary, before changing anything (exit 2)", async () => {
    for (const [opts, message] of [
      [{ lagMs: 4000 }, /replication lag is 4000 ms, above the 1000 ms/],
      [{ fromDown: true }, /us-east-1 does not answer: a planned switchover needs both regions/],
    ] as const) {
      const w = world(outputs, opts);
      try {
        const o = await runFailover(w.deps, plan("planned"));
        assert.equal(o.exitCode, 2);
        assert.match(o.timeline.find((r) => r.step === "preflight")?.detail ?? "", message);
        assert.deepEqual(w.mutating(), []);
      } finally {
        w.restore();
      }
    }
  });

  it("stops when the writer never moves: exit 3, names the step and what to do, and touches no later step", async () => {
    const w = world(outputs, { writerMoves: false });
    try {
      const o = await runFailover(w.deps, plan("planned"));
      assert.equal(o.exitCode, 3);
      assert.equal(o.stoppedAt?.step, "database");
      assert.match(o.timeline.at(-1)!.detail!, /becoming the writer did not happen within 600 s/);
      assert.match(o.stoppedAt!.next, /AWS is still carrying out the switchover: do not start another/);
      assert.deepEqual(w.mutating(), [`${PRIMARY_REGION} SwitchoverGlobalCluster`]);
    } finally {
      w.restore();
    }
  });

  it("stops when services do not reach their capacity (exit 3), and a re-run resumes at step 3: no second switchover", async () => {
    const w = world(outputs, { tasksStart: false });
    try {
      const first = await runFailover(w.deps, plan("planned"));
      assert.equal(first.exitCode, 3);
      assert.equal(first.stoppedAt?.step, "compute");
      assert.match(first.timeline.at(-1)!.detail!, /services reaching their failover capacity did not happen within 480 s/);
      assert.ok(!w.mutating().some((c) => c.includes("UpdateSchedule") || c.includes("PATCH")), "nothing after the failed step");
      // An operator fixes the cause (say, a task role); the same command, run again, reads the live state.
      w.tasksStart(true);
      w.calls.length = 0;
      const second = await runFailover(w.deps, plan("planned"), { journal: first.journal });
      assert.equal(second.exitCode, 0, JSON.stringify(second.timeline));
      assert.deepEqual(second.timeline.filter((r) => r.run === 2).map((r) => `${r.step}:${r.result}`), ["live state:done", "preflight:done", "database:already done", "sessions:already done", "compute:already done", "clock:done", "traffic:done", "old region:done", "stack config:done"]);
      assert.ok(!w.mutating().some((c) => /Switchover|RegisterScalable|UpdateService/.test(c)), "the database is not switched twice, and the floors stay");
      assert.match(w.mutating()[0], /UpdateSchedule/);
      // And once everything is done, a third run changes nothing.
      w.calls.length = 0;
      const third = await runFailover(w.deps, plan("planned"));
      assert.deepEqual(third.timeline.map((r) => r.result), ["done", "done", "already done", "already done", "already done", "already done", "already done", "already done", "done"]);
      assert.deepEqual(w.mutating(), []);
    } finally {
      w.restore();
    }
  });

  it("describes services ten at a time, as ECS allows: a platform with 14 services fails over", async () => {
    const more = (r: FailoverOutputs["regions"][string]) => ({ ...r, services: [...r.services, ...Array.from({ length: 10 }, (_, i) => `gen${i}`)] });
    const big: FailoverOutputs = {
      ...outputs,
      regions: Object.fromEntries(Object.entries(outputs.regions).map(([k, r]) => [k, more(r)])),
      capacity: { ...outputs.capacity, services: { ...outputs.capacity.services, ...Object.fromEntries(Array.from({ length: 10 }, (_, i) => [`gen${i}`, 2])) } },
    };
    const w = world(big);
    try {
      const o = await runFailover(w.deps, { ...plan("planned"), outputs: big });
      assert.equal(o.exitCode, 0, JSON.stringify(o.timeline));
      const sizes = w.aws.filter((c) => c.action === "ecs:DescribeServices").map((c) => (c.input.services as string[]).length);
      assert.ok(sizes.includes(10) && sizes.includes(4) && Math.max(...sizes) === 10, JSON.stringify(sizes));
    } finally {
      w.restore();
    }
  });

  it("--dry-run prints the plan of calls from the offline graph and calls nothing", async () => {
    const w = world(outputs);
    const out: string[] = [];
    try {
      const code = await main(["--stack", "prod", "--to", STANDBY_REGION, "--mode", "planned", "--dry-run"], { stdin: process.stdin, out: (l: string) => out.push(l), err: (l: string) => out.push(l), env: {} });
      assert.equal(code, 0, out.join("\n"));
      assert.match(out.join("\n"), /2\. database: rds:SwitchoverGlobalCluster in us-east-1 \(the primary's region\) → arn:aws:rds:us-west-2:/);
      assert.match(out.join("\n"), /Dry run: no call was made/);
      assert.deepEqual(w.calls, []);
    } finally {
      w.restore();
    }
  });

  it("refuses a target that is not one of the stack's regions, a data-losing move home, and missing flags", async () => {
    const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "fo-")), "outputs.json");
    fs.writeFileSync(file, JSON.stringify((await stack("prod")).graph.outputs));
    const run = async (args: string[]) => {
      const lines: string[] = [];
      const code = await main(args, { stdin: process.stdin, out: (l: string) => lines.push(l), err: (l: string) => lines.push(l), env: {} });
      return { code, text: lines.join("\n") };
    };
    const other = await run(["--stack", "prod", "--to", "eu-west-1", "--mode", "planned", "--outputs", file]);
    assert.equal(other.code, 2);
    assert.match(other.text, /--to: eu-west-1 is not one of the stack's regions \(primary us-east-1, standby us-west-2\); nothing was changed/);
    const home = await run(["--stack", "prod", "--to", PRIMARY_REGION, "--mode", "unplanned", "--outputs", file]);
    assert.equal(home.code, 2);
    assert.match(home.text, /use --mode failback/);
    const missing = await run(["--to", STANDBY_REGION]);
    assert.equal(missing.code, 1);
    assert.match(missing.text, /--stack: required[\s\S]*--mode: expected planned, unplanned or failback/);
    const token = await run(["--stack", "prod", "--to", STANDBY_REGION, "--mode", "planned", "--outputs", file, "--yes"]);
    assert.equal(token.code, 2);
    assert.match(token.text, /CLOUDFLARE_API_TOKEN: required/);
  });

  it("game day: the simulated failover, with realistic latencies, finishes within the RTO budget", async () => {
    for (const mode of ["planned", "unplanned"] as const) {
      const p = plan(mode);
      const o = await runFailover(simulatedDeps(outputs, newWorld(outputs), mode === "unplanned" ? [{ kind: "down", region: PRIMARY_REGION }] : [], () => {}), p);
      assert.equal(o.exitCode, mode === "unplanned" ? 4 : 0, `${mode}: ${JSON.stringify(o.timeline)}`);
      assert.ok(o.totalMs > 3 * 60_000, `${mode}: latencies are realistic (${o.totalMs} ms)`);
      assert.ok(o.totalMs <= RTO_BUDGET_MS, `${mode}: ${o.totalMs} ms`);
    }
  });
});
