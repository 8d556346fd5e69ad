import { strict as assert } from "assert";
import { FailoverOutputs, readFailoverOutputs } from "../tools/failover/outputs";
import { runFailover } from "../tools/failover/run";
import { SimWorld } from "../tools/failover/simWorld";
import { drillOutputs, world, worldFileFor, faultFlags, runOnWorld } from "./support/failoverWorld";
import { PRIMARY_REGION, STANDBY_REGION } from "./support/stacks";

/**
 * The sessions step (tools/failover/sessions.ts): the Global Datastore's primary follows the
 * database, once, resumed from the live state, and with the old region lost.
 */
describe("failover sessions step: the Global Datastore's primary follows the database", () => {
  let graph: Record<string, unknown>;
  let outputs: FailoverOutputs;
  let dir: string;
  let outputsFile: string;
  before(async () => ({ graph, outputs, dir, outputsFile } = await drillOutputs("fo-sessions-")));
  let file: string;
  beforeEach(function () {
    file = worldFileFor(dir, this);
  });
  const run = (mode: string, to: string, ...faults: string[]) => runOnWorld(file, outputsFile, mode, to, faultFlags(...faults));
  const promotions = (w: SimWorld) => w.calls.filter((c) => c.includes("FailoverGlobalReplicationGroup"));

  it("the outputs name the datastore and each region's replication group (Data's), or say which key is missing", () => {
    assert.match(outputs.globalDatastoreId ?? "", /redis-global/);
    for (const r of Object.values(outputs.regions)) assert.ok(r.replicationGroupId, JSON.stringify(r));
    const failover = structuredClone(graph.failover) as { regions: Record<string, { replicationGroupId?: string }> };
    delete failover.regions[STANDBY_REGION].replicationGroupId;
    const read = readFailoverOutputs({ failover });
    assert.ok(!read.ok);
    assert.deepEqual(read.problems, [`failover.regions.${STANDBY_REGION}.replicationGroupId: required with globalDatastoreId (the member the sessions step promotes)`]);
  });

  it("planned: promotes the target's member once, in the target's region, after the database and before compute", async () => {
    const { code, text, w } = await run("planned", STANDBY_REGION);
    assert.equal(code, 0, text);
    assert.deepEqual(promotions(w), [`run 1 ${STANDBY_REGION} FailoverGlobalReplicationGroup to ${STANDBY_REGION}`]);
    assert.deepEqual(w.datastore, { primary: STANDBY_REGION });
    const at = (x: string) => w.calls.findIndex((c) => c.includes(x));
    assert.ok(at("SwitchoverGlobalCluster") < at("FailoverGlobalReplicationGroup") && at("FailoverGlobalReplicationGroup") < at("RegisterScalableTarget"));
    assert.match(text, /\| 1 \| sessions \| \+1 min 24 s \| 1 min 1 s \| done \|/);
    // Back home: the home member promoted once more, nothing else.
    const home = await run("failback", PRIMARY_REGION);
    assert.equal(home.code, 0, home.text);
    assert.deepEqual(promotions(home.w).slice(1), [`run 2 ${PRIMARY_REGION} FailoverGlobalReplicationGroup to ${PRIMARY_REGION}`]);
    assert.deepEqual(home.w.datastore, { primary: PRIMARY_REGION });
  });

  it("sessions:stuck: the promotion stays modifying (exit 3, do not send another); the re-run waits for it and sends nothing", async () => {
    const first = await run("planned", STANDBY_REGION, "sessions:stuck");
    assert.equal(first.code, 3, first.text);
    assert.match(first.text, /sessions \|.*failed: .* becoming the Global Datastore's primary did not happen within 300 s \(last seen: [\w-]+ SECONDARY, the Global Datastore modifying\)/);
    assert.match(first.text, /Next: the Global Datastore is still modifying: do not send another failover; run the same command again to wait for it/);
    assert.match(first.text, /the live state shows done: database; still to do: sessions, compute/);
    const second = await run("planned", STANDBY_REGION);
    assert.equal(second.code, 0, second.text);
    assert.match(second.text, /the Global Datastore [\w-]+ is modifying \(a promotion or another change under way\): waiting for it, sending nothing/);
    assert.match(second.text, /\| 2 \| database \|.*already done/);
    assert.deepEqual(promotions(second.w), [`run 1 ${STANDBY_REGION} FailoverGlobalReplicationGroup to ${STANDBY_REGION}`]);
    // Done now: a third run reads it so and sends nothing.
    const third = await run("planned", STANDBY_REGION);
    assert.match(third.text, /\| 3 \| sessions \|.*already done/);
    assert.equal(promotions(third.w).length, 1);
  });

  it("lost answer: the promotion reached AWS but its answer did not: read again, waited for, never sent twice (exit 0)", async () => {
    const { code, text, w } = await run("planned", STANDBY_REGION, "elasticache:FailoverGlobalReplicationGroup:lost");
    assert.equal(code, 0, text);
    assert.match(text, /the call failed \(TimeoutError\) but AWS is carrying out a change or will be: waiting for it, sending nothing more/);
    assert.equal(promotions(w).length, 1);
    assert.deepEqual(w.datastore, { primary: STANDBY_REGION });
  });

  it("unplanned, us-east-1 down: promoted from us-west-2 (AWS's path for a lost primary region), partial with a to-do line until us-east-1 answers", async () => {
    const lost = await run("unplanned", STANDBY_REGION, `${PRIMARY_REGION}:down`);
    assert.equal(lost.code, 4, lost.text);
    assert.deepEqual(promotions(lost.w), [`run 1 ${STANDBY_REGION} FailoverGlobalReplicationGroup to ${STANDBY_REGION}`]);
    assert.deepEqual(lost.w.datastore, { primary: STANDBY_REGION });
    const line = `when ${PRIMARY_REGION} answers again, check that ${outputs.regions[PRIMARY_REGION].replicationGroupId} is back in the Global Datastore ${outputs.globalDatastoreId} as a secondary`;
    assert.ok(lost.text.includes(`| 1 | sessions |`) && lost.text.includes(`partial: to do: ${line}`), lost.text);
    assert.ok(lost.text.includes(`\n- ${line}`), "listed under To do");
    const back = await run("unplanned", STANDBY_REGION);
    assert.equal(back.code, 0, back.text);
    assert.match(back.text, /\| 2 \| sessions \|.*already done/);
    assert.equal(promotions(back.w).length, 1, "no second promotion");
  });

  it("preflight: a replication group the datastore does not list is refused before any change (exit 2)", async () => {
    const stale = structuredClone(outputs);
    stale.regions[STANDBY_REGION].replicationGroupId = "data-redis-secondary-old";
    const w = world(outputs);
    try {
      const o = await runFailover(w.deps, { outputs: stale, mode: "planned", to: STANDBY_REGION, from: PRIMARY_REGION, maxLagMs: 1000 });
      assert.equal(o.exitCode, 2);
      assert.match(o.timeline.find((r) => r.step === "preflight")!.detail!, /data-redis-secondary-old is not a member of the Global Datastore [\w-]+: the outputs are stale/);
      assert.deepEqual(w.mutating(), []);
    } finally {
      w.restore();
    }
  });
});
