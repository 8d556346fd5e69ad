import { strict as assert } from "assert";
import * as fs from "fs";
import { main } from "../tools/failover/cli";
import { FailoverOutputs } from "../tools/failover/outputs";
import { rpoLagMs } from "../tools/failover/aws";
import { SimWorld } from "../tools/failover/simWorld";
import { simulatedDeps } from "../tools/failover/simulate";
import { drillOutputs, worldFileFor, faultFlags, runOnWorld } from "./support/failoverWorld";
import { PRIMARY_REGION, STANDBY_REGION } from "./support/stacks";

/**
 * One drill per fault class: the command runs twice (or three times) against one persisted
 * simulated world (`--simulate-state`), stopped by the fault, then resumed, as an operator would.
 */
describe("failover fault drills: stop, then resume, on one simulated world", () => {
  let outputs: FailoverOutputs;
  let outputsFile: string;
  let dir: string;
  before(async () => ({ outputs, dir, outputsFile } = await drillOutputs("fo-drill-")));
  let world: string;
  beforeEach(function () {
    world = worldFileFor(dir, this);
  });

  const run = (mode: string, to: string, ...extra: string[]) => runOnWorld(world, outputsFile, mode, to, extra);
  const faults = faultFlags;
  const dangerous = (w: SimWorld) => w.calls.filter((c) => /SwitchoverGlobalCluster|FailoverGlobalCluster/.test(c));
  /** The platform serves from `region`: writer, capacity never below the failover's, clock, pools. */
  const servesFrom = (w: SimWorld, region: string) => {
    const r = outputs.regions[region];
    assert.equal(w.writers.at(-1)!.region, region, "the writer");
    assert.equal(w.operation, undefined, "no switchover or failover left in progress");
    for (const s of r.services) {
      const x = w.services[`${region}/${s}`];
      assert.ok(x.min >= outputs.capacity.services[s] && x.running >= outputs.capacity.services[s], `${s}: ${JSON.stringify(x)}`);
    }
    for (const s of r.processors) assert.ok(w.services[`${region}/${s}`].max >= outputs.capacity.processors[s].max, `${s} processors raised`);
    for (const s of r.schedules) assert.equal(w.schedules[`${region}/${s}`], "ENABLED");
    assert.equal(w.pools.pending?.first ?? w.pools.first, r.pool, "every load balancer has the pool first");
  };
  const scaledIn = (w: SimWorld) => w.calls.filter((c) => c.includes(` ${STANDBY_REGION} UpdateService `) && Number(c.split("=").pop()) < 2);

  it("throttle: an AWS call throttled stops the step (exit 3); the re-run resumes after the database, sending no second switchover", async () => {
    const first = await run("planned", STANDBY_REGION, ...faults("ecs:UpdateService:throttle"));
    assert.equal(first.code, 3, first.text);
    assert.match(first.text, /\| 1 \| compute \|.*failed: ThrottlingException: Rate exceeded/);
    assert.match(first.text, /Next: AWS throttled the call \(ThrottlingException\): transient; run the same command again in a minute; the live state shows done: database, sessions; still to do: compute, clock, traffic, old region, stack config/);
    const second = await run("planned", STANDBY_REGION);
    assert.equal(second.code, 0, second.text);
    assert.match(second.text, /\| 2 \| database \|.*already done/);
    assert.deepEqual(dangerous(second.w), [`run 1 ${PRIMARY_REGION} SwitchoverGlobalCluster to ${STANDBY_REGION}`]);
    assert.deepEqual(scaledIn(second.w), []);
    servesFrom(second.w, STANDBY_REGION);
    assert.match(second.text, /Next: make the stack agree before the next `pulumi up`: set `platform:activeRegion: us-west-2` in Pulumi\.prod\.yaml/);
  });

  it("5xx: Cloudflare's HTML 502s are retried with backoff, then stop the step (exit 3) saying so; the re-run finishes", async () => {
    const first = await run("planned", STANDBY_REGION, ...faults(...Array(4).fill("cloudflare:PATCH:5xx")));
    assert.equal(first.code, 3, first.text);
    assert.match(first.text, /retry 3 of 3/);
    assert.match(first.text, /traffic \|.*failed: Cloudflare PATCH load balancer \w+: 502 text\/html body \(not the API's JSON\) after 3 retries/);
    assert.match(first.text, /Next: Cloudflare's API failed for a while .*run the same command again; the live state shows done: database, sessions, compute, clock; still to do: traffic, old region, stack config/);
    const second = await run("planned", STANDBY_REGION);
    assert.equal(second.code, 0, second.text);
    assert.equal(dangerous(second.w).length, 1);
    servesFrom(second.w, STANDBY_REGION);
  });

  it("5xx from AWS: the switchover answered 500 stops the database step (exit 3, transient); the re-run sends it once", async () => {
    const first = await run("planned", STANDBY_REGION, ...faults("rds:SwitchoverGlobalCluster:5xx"));
    assert.equal(first.code, 3, first.text);
    assert.match(first.text, /Next: AWS answered 500 \(InternalFailure\): transient; run the same command again; the live state shows no step done; still to do: database, sessions, compute, clock, traffic, old region, stack config/);
    assert.deepEqual(dangerous(first.w), []);
    const second = await run("planned", STANDBY_REGION);
    assert.equal(second.code, 0, second.text);
    assert.deepEqual(dangerous(second.w), [`run 2 ${PRIMARY_REGION} SwitchoverGlobalCluster to ${STANDBY_REGION}`]);
    servesFrom(second.w, STANDBY_REGION);
  });

  it("hang: a call that never answers ends at the client's timeouts (exit 3, the region named); the re-run finishes", async () => {
    const first = await run("planned", STANDBY_REGION, ...faults("scheduler:UpdateSchedule:hang"));
    assert.equal(first.code, 3, first.text);
    assert.match(first.text, /clock \| \+[\w ]+ \| 2\d s \| failed: TimeoutError: scheduler UpdateSchedule in us-west-2: no answer within 10 s \(2 attempts/);
    assert.match(first.text, /Next: a call did not answer in time: if the region it went to is down, a planned move cannot finish \(use --mode unplanned\); otherwise run the same command again; the live state shows done: database, sessions, compute/);
    const second = await run("planned", STANDBY_REGION);
    assert.equal(second.code, 0, second.text);
    assert.equal(dangerous(second.w).length, 1);
    servesFrom(second.w, STANDBY_REGION);
  });

  it("region down: a planned move is refused (exit 2, nothing changed); unplanned completes with to-do lines (exit 4); when the region returns a re-run finishes them", async () => {
    const planned = await run("planned", STANDBY_REGION, ...faults(`${PRIMARY_REGION}:down`));
    assert.equal(planned.code, 2, planned.text);
    assert.match(planned.text, /us-east-1 does not answer: a planned switchover needs both regions \(use --mode unplanned if it is lost\)/);
    assert.deepEqual(planned.w.calls, []);
    const lost = await run("unplanned", STANDBY_REGION, ...faults(`${PRIMARY_REGION}:down`));
    assert.equal(lost.code, 4, lost.text);
    assert.deepEqual(dangerous(lost.w), [`run 2 ${STANDBY_REGION} FailoverGlobalCluster to ${STANDBY_REGION}`]);
    assert.ok(!lost.w.calls.some((c) => c.includes(` ${PRIMARY_REGION} `)), "nothing is asked of the lost region");
    servesFrom(lost.w, STANDBY_REGION);
    assert.ok(lost.text.includes(`To do:\n- disable the us-east-1 schedules ${outputs.regions[PRIMARY_REGION].schedules.join(", ")} (group platform-prod-schedules) when us-east-1 answers again`), lost.text);
    assert.match(lost.text, /- keep the snapshot rds:unplanned-global-failover-data-aurora-primary-\w+-<timestamp>/);
    assert.match(lost.text, /\| 1 \| old region \|.*partial: to do: disable the us-east-1 schedules/);
    // Still down a few minutes later: the clock stays partial, its to-do line with it (never "done").
    const still = await run("unplanned", STANDBY_REGION, ...faults(`${PRIMARY_REGION}:down`, "clock:+5"));
    assert.equal(still.code, 4, still.text);
    assert.match(still.text, /\| 2 \| old region \|.*partial: to do: disable the us-east-1 schedules/);
    assert.match(still.text, /To do:\n- disable the us-east-1 schedules/);
    const back = await run("unplanned", STANDBY_REGION);
    assert.equal(back.code, 0, back.text);
    assert.equal(dangerous(back.w).length, 1, "no second data-losing failover");
    for (const s of outputs.regions[PRIMARY_REGION].schedules) assert.equal(back.w.schedules[`${PRIMARY_REGION}/${s}`], "DISABLED");
  });

  it("fencing: unplanned is refused while the old primary answers (exit 2); forced, its writers stop before the failover", async () => {
    const refused = await run("unplanned", STANDBY_REGION);
    assert.equal(refused.code, 2, refused.text);
    assert.match(refused.text, /still answers \(available\): an unplanned failover would lose its latest writes.*--fail-over-while-primary-answers/);
    assert.deepEqual(refused.w.calls, []);
    const forced = await run("unplanned", STANDBY_REGION, "--fail-over-while-primary-answers");
    assert.equal(forced.code, 4, forced.text);
    const failover = forced.w.calls.findIndex((c) => c.includes("FailoverGlobalCluster"));
    const fenced = forced.w.calls.slice(0, failover);
    for (const s of outputs.regions[PRIMARY_REGION].services) assert.ok(fenced.includes(`run 2 ${PRIMARY_REGION} UpdateService ${s}=0`), s);
    for (const s of outputs.regions[PRIMARY_REGION].schedules) assert.ok(fenced.includes(`run 2 ${PRIMARY_REGION} UpdateSchedule ${s} DISABLED`), s);
    assert.match(forced.text, /- us-east-1's services are at 0 tasks and its schedules disabled \(fenced\)/);
    servesFrom(forced.w, STANDBY_REGION);
  });

  it("database:stuck: the switchover stays in progress (exit 3, do not start another); the re-run waits for it and sends nothing", async () => {
    const first = await run("planned", STANDBY_REGION, ...faults("database:stuck"));
    assert.equal(first.code, 3, first.text);
    assert.match(first.text, /database \|.*failed: .* becoming the writer did not happen within \d+ s \(last seen: FailoverState switching-over/);
    assert.match(first.text, /Next: AWS is still carrying out the switchover: do not start another; run the same command again to wait for it/);
    const second = await run("planned", STANDBY_REGION);
    assert.equal(second.code, 0, second.text);
    assert.match(second.text, /AWS is already carrying out a switchover \(FailoverState switching-over\): waiting for it, sending nothing/);
    assert.equal(dangerous(second.w).length, 1);
    servesFrom(second.w, STANDBY_REGION);
  });

  it("lag: above the threshold a planned move is refused (exit 2, nothing changed); once it drops, the re-run moves", async () => {
    const first = await run("planned", STANDBY_REGION, ...faults("lag:4000"));
    assert.equal(first.code, 2, first.text);
    assert.match(first.text, /replication lag is 4000 ms, above the 1000 ms a planned switchover accepts/);
    assert.match(first.text, /Next: nothing was changed; fix what it names and run the command again/);
    assert.deepEqual(first.w.calls, []);
    const second = await run("planned", STANDBY_REGION, ...faults("lag:300"));
    assert.equal(second.code, 0, second.text);
    servesFrom(second.w, STANDBY_REGION);
  });

  it("clock: resumed 30 minutes later, the new writer reports no lag and none is asked for; the total counts from the first run", async () => {
    const first = await run("planned", STANDBY_REGION, ...faults(...Array(4).fill("cloudflare:PATCH:hang")));
    assert.equal(first.code, 3, first.text);
    const second = await run("planned", STANDBY_REGION, ...faults("clock:+30"));
    assert.equal(second.code, 0, second.text);
    assert.equal(dangerous(second.w).length, 1);
    // CloudWatch-like ageing: the new writer has reported no lag for 30 minutes; the new secondary does.
    const deps = simulatedDeps(outputs, second.w, [], () => {});
    const lag = (to: string, from: string) => rpoLagMs(deps, { outputs, mode: "planned", to, from, maxLagMs: 1000 });
    assert.equal(await lag(STANDBY_REGION, PRIMARY_REGION), undefined);
    assert.equal(await lag(PRIMARY_REGION, STANDBY_REGION), 200);
    assert.match(second.text, /Total 3\d min \d+ s since the first run started \(2026-11-26T03:00:00\.000Z, 2 runs\) against the 15 min 0 s RTO budget: OVER budget/);
    servesFrom(second.w, STANDBY_REGION);
  });

  it("lock: a second run on the same world is refused while the first holds it (exit 2, nothing changed)", async () => {
    fs.writeFileSync(`${world}.lock`, JSON.stringify({ pid: 1, since: "2026-11-26T03:00:00.000Z" }));
    const lines: string[] = [];
    const code = await main(["--stack", "prod", "--to", STANDBY_REGION, "--mode", "planned", "--simulate", "--simulate-state", world, "--outputs", outputsFile], { stdin: process.stdin, out: (l) => lines.push(l), err: (l) => lines.push(l), env: {} });
    assert.equal(code, 2);
    assert.match(lines.join("\n"), /another run holds .*\.lock \(since 2026-11-26T03:00:00\.000Z\); wait for it, or remove the lock if no run is left; nothing was changed/);
    assert.ok(!fs.existsSync(world), "no world was written");
    fs.rmSync(`${world}.lock`);
    assert.equal((await run("planned", STANDBY_REGION)).code, 0);
    assert.ok(!fs.existsSync(`${world}.lock`), "the lock is released");
  });

  it("--first-started-at: a resumed run in CI (a fresh runner, no journal) counts the total from the first run's start", async () => {
    const lines: string[] = [];
    const code = await main(["--stack", "prod", "--to", STANDBY_REGION, "--mode", "planned", "--simulate", "--outputs", outputsFile, "--first-started-at", "2026-11-26T02:50:00Z"], { stdin: process.stdin, out: (l) => lines.push(l), err: (l) => lines.push(l), env: {} });
    assert.equal(code, 0);
    assert.match(lines.join("\n"), /Total 15 min \d+ s since the first run started \(2026-11-26T02:50:00\.000Z, 1 run\)/);
  });

  it("bad --fault values are refused before anything runs (exit 1), each named", async () => {
    const bad = await run("planned", STANDBY_REGION, ...faults("eu-west-1:down", "lag:soon")).catch(() => undefined);
    assert.equal(bad, undefined, "no world is written");
    const lines: string[] = [];
    const code = await main(["--stack", "prod", "--to", STANDBY_REGION, "--mode", "planned", "--simulate", "--outputs", outputsFile, ...faults("eu-west-1:down", "lag:soon")], { stdin: process.stdin, out: (l) => lines.push(l), err: (l) => lines.push(l), env: {} });
    assert.equal(code, 1);
    assert.match(lines.join("\n"), /--fault eu-west-1:down: expected[\s\S]*--fault lag:soon: expected/);
  });
});
