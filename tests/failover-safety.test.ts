import { strict as assert } from "assert";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { main } from "../tools/failover/cli";
import { realClock } from "../tools/failover/clock";
import { FailoverOutputs, readFailoverOutputs } from "../tools/failover/outputs";
import { runFailover } from "../tools/failover/run";
import { Deps, Mode, Plan } from "../tools/failover/types";
import { expectedCalls, world } from "./support/failoverWorld";
import { PRIMARY_REGION, STANDBY_REGION, stack } from "./support/stacks";

/** What the failover refuses, never does, and proves: capacity, AWS's preconditions, time, confirmation, the edge. */
describe("npm run failover: safety", () => {
  let outputs: FailoverOutputs;
  let graph: Record<string, unknown>;
  before(async () => {
    graph = (await stack("prod")).graph.outputs;
    const read = readFailoverOutputs(graph);
    if (!read.ok) throw new Error(read.problems.join("\n"));
    outputs = read.outputs;
  });
  const plan = (mode: Mode = "planned"): Plan => ({ outputs, mode, to: STANDBY_REGION, from: PRIMARY_REGION, maxLagMs: 1000 });
  const calls = () => expectedCalls(outputs);
  const services = () => calls().services;

  it("never scales in: a standby that autoscaled keeps its tasks, and its floors and processors are raised anyway", async () => {
    const w = world(outputs);
    try {
      for (const s of services()) [w.desired, w.running].forEach((m) => m.set(`${STANDBY_REGION}/${s}`, 3));
      const o = await runFailover(w.deps, plan());
      assert.equal(o.exitCode, 0, JSON.stringify(o.timeline));
      const compute = w.mutating().filter((c) => /RegisterScalable|UpdateService/.test(c));
      assert.deepEqual(compute, [...calls().servicesUp(STANDBY_REGION).filter((c) => c.includes("RegisterScalable")), ...calls().processorsUp(STANDBY_REGION)]);
      for (const p of calls().processors(STANDBY_REGION)) assert.deepEqual(w.bounds.get(`${STANDBY_REGION}/${p}`), outputs.capacity.processors[p]);
      for (const s of services()) assert.equal(w.desired.get(`${STANDBY_REGION}/${s}`), 3);
    } finally {
      w.restore();
    }
  });

  it("refuses what AWS would: different engine versions, a target resynchronizing, a headless target (exit 2, nothing changed)", async () => {
    const engineVersions = { [outputs.regions[PRIMARY_REGION].clusterArn]: "16.6", [outputs.regions[STANDBY_REGION].clusterArn]: "15.10" };
    for (const [opts, message] of [
      [{ engineVersions }, /engine versions differ: data-aurora-primary-\w+ 16\.6, data-aurora-secondary-\w+ 15\.10; a managed switchover needs the same major and minor version/],
      [{ syncStatus: "pending-resync" }, /is pending-resync, not connected: AWS cannot promote it/],
      [{ headless: true }, /has no DB instance \(headless\): add one/],
    ] as const) {
      const w = world(outputs, opts);
      try {
        const o = await runFailover(w.deps, plan());
        assert.equal(o.exitCode, 2, JSON.stringify(o.timeline));
        assert.match(o.timeline.find((r) => r.step === "preflight")!.detail!, message);
        assert.deepEqual(w.mutating(), []);
      } finally {
        w.restore();
      }
    }
  });

  it("a patch level apart is no refusal: only major and minor versions must match", async () => {
    const w = world(outputs, { engineVersions: { [outputs.regions[PRIMARY_REGION].clusterArn]: "8.0.mysql_aurora.3.05.2", [outputs.regions[STANDBY_REGION].clusterArn]: "8.0.mysql_aurora.3.05.1" } });
    try {
      assert.equal((await runFailover(w.deps, plan())).exitCode, 0);
    } finally {
      w.restore();
    }
  });

  it("unplanned, the old region answering but its primary not: no refusal, and its writers stop before the failover", async () => {
    const w = world(outputs, { sourceStatus: "inaccessible-encryption-credentials" });
    try {
      const o = await runFailover(w.deps, plan("unplanned"));
      assert.equal(o.exitCode, 4, JSON.stringify(o.timeline));
      const m = w.mutating();
      const failover = m.indexOf(`${STANDBY_REGION} FailoverGlobalCluster`);
      assert.ok(failover > 0, m.join("\n"));
      assert.deepEqual(m.slice(0, failover).filter((c) => c.includes("UpdateService")), [...services(), ...calls().processors(PRIMARY_REGION)].map((s) => `${PRIMARY_REGION} UpdateService ${s}=0`));
      assert.deepEqual(m.slice(0, failover).filter((c) => c.includes("UpdateSchedule")), calls().schedulesTo(PRIMARY_REGION, "DISABLED"));
      assert.match(o.todo.join("\n"), /us-east-1's services are at 0 tasks and its schedules disabled \(fenced\)/);
    } finally {
      w.restore();
    }
  });

  it("a call that never answers ends at the step's timeout, on the real clock, with the abort signal passed to the SDK", async () => {
    const w = world(outputs);
    const signals: AbortSignal[] = [];
    try {
      const rds = w.deps.rdsOnce;
      const hanging: Deps = {
        ...w.deps,
        ...realClock,
        rdsOnce: (region) => {
          const real = rds(region);
          const send = (cmd: { constructor: { name: string } }, o?: { abortSignal?: AbortSignal }) => (cmd.constructor.name === "SwitchoverGlobalClusterCommand" ? (signals.push(o!.abortSignal!), new Promise(() => {})) : real.send(cmd as never, o));
          return { send } as unknown as ReturnType<Deps["rds"]>;
        },
      };
      const t0 = Date.now();
      const o = await runFailover(hanging, plan(), { timeoutMs: () => 300, readTimeoutMs: 5_000 });
      assert.ok(Date.now() - t0 < 5_000, `${Date.now() - t0} ms`);
      assert.equal(o.exitCode, 3);
      assert.equal(o.stoppedAt?.step, "database");
      assert.match(o.timeline.at(-1)!.detail!, /the step's time ran out|timed out after/);
      assert.match(o.stoppedAt!.next, /a call did not answer in time/);
      assert.equal(signals.length, 1);
      assert.ok(signals[0].aborted, "the SDK call's abortSignal fired");
    } finally {
      w.restore();
    }
  });

  it("the health check must prove the region: 2xx from the old region is not done", async () => {
    const w = world(outputs);
    try {
      const fetch = w.deps.fetch;
      const wrongRegion = (async (url: string, init?: RequestInit) => {
        const res = await fetch(url, init);
        return url.startsWith("https://api.cloudflare.com/") ? res : new Response("", { status: 200, headers: { "x-served-region": PRIMARY_REGION } });
      }) as typeof globalThis.fetch;
      const o = await runFailover({ ...w.deps, fetch: wrongRegion }, plan());
      assert.equal(o.exitCode, 3);
      assert.equal(o.stoppedAt?.step, "traffic");
      assert.match(o.timeline.at(-1)!.detail!, /example\.com answered from us-east-1/);
    } finally {
      w.restore();
    }
  });

  it("Cloudflare's 429 is retried after its Retry-After, and the move goes on", async () => {
    const w = world(outputs);
    try {
      const fetch = w.deps.fetch;
      let limited = 0;
      const once = (async (url: string, init?: RequestInit) => {
        if (init?.method === "PATCH" && limited++ === 0) return new Response("{}", { status: 429, headers: { "content-type": "application/json", "retry-after": "3" } });
        return fetch(url, init);
      }) as typeof globalThis.fetch;
      const t0 = w.deps.now();
      const o = await runFailover({ ...w.deps, fetch: once }, plan());
      assert.equal(o.exitCode, 0, JSON.stringify(o.timeline));
      assert.equal(w.calls.filter((c) => c.startsWith("cloudflare PATCH")).length, outputs.cloudflare.loadBalancers.length);
      assert.ok(w.deps.now() - t0 >= 3000);
    } finally {
      w.restore();
    }
  });

  describe("the command line", () => {
    let file: string;
    before(() => {
      file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "fo-")), "outputs.json");
      fs.writeFileSync(file, JSON.stringify(graph));
    });
    const run = async (args: string[], ask?: (q: string) => Promise<string | undefined>) => {
      const lines: string[] = [];
      const asked: string[] = [];
      const io = { stdin: process.stdin, out: (l: string) => lines.push(l), err: (l: string) => lines.push(l), env: { CLOUDFLARE_API_TOKEN: "t" }, ask: ask && ((q: string) => (asked.push(q), ask(q))) };
      return { code: await main(args, io), text: lines.join("\n"), asked };
    };

    it("--stack must be the outputs' stack", async () => {
      const r = await run(["--stack", "staging", "--to", STANDBY_REGION, "--mode", "planned", "--outputs", file]);
      assert.equal(r.code, 2);
      assert.match(r.text, /--stack staging: the outputs are of stack prod \(failover\.stack\); nothing was changed/);
    });

    it("asks on the terminal, not standard input: no is no, and no terminal says to pass --yes", async () => {
      const no = await run(["--stack", "prod", "--to", STANDBY_REGION, "--mode", "planned", "--outputs", file], async () => "n");
      assert.equal(no.code, 2);
      assert.deepEqual(no.asked, ["\nProceed with the planned failover to us-west-2? [y/N] "]);
      assert.match(no.text, /Not confirmed; nothing was changed/);
      const none = await run(["--stack", "prod", "--to", STANDBY_REGION, "--mode", "planned", "--outputs", file], async () => undefined);
      assert.equal(none.code, 2);
      assert.match(none.text, /No terminal to confirm on .*: pass --yes; nothing was changed/);
    });

    it("faults and the force flag only where they belong (exit 1)", async () => {
      const r = await run(["--stack", "prod", "--to", STANDBY_REGION, "--mode", "planned", "--outputs", file, "--fault", "lag:5", "--fail-over-while-primary-answers"]);
      assert.equal(r.code, 1);
      assert.match(r.text, /--fault: only with --simulate[\s\S]*--fail-over-while-primary-answers: only with --mode unplanned/);
    });
  });
});
