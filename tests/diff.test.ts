import { strict as assert } from "assert";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { PlanGraph, PlanResource } from "../tools/plan/graph";
import { componentOf } from "../policy/cost/estimate";
import { changedKeys, diffGraphs, renderDiff } from "../tools/plan/diff";
import { plan } from "./support/command";
import { stack } from "./support/stacks";

const clone = <T>(x: T): T => JSON.parse(JSON.stringify(x));

describe("plan --diff: what a change does and costs", () => {
  it("lists added, removed and changed resources with the changed input keys, secrets marked and never shown", async () => {
    const base = (await stack("dev")).graph;
    const head: PlanGraph = clone(base);
    const key = head.resources.find((r) => r.type === "aws:kms/key:Key" && r.name === "data-primary")!;
    const extraKey: PlanResource = { ...clone(key), urn: key.urn.replace(/::data-primary$/, "::data-extra"), name: "data-extra" };
    head.resources.push(extraKey);
    const removed = head.resources.findIndex((r) => r.type === "aws:cloudwatch/metricAlarm:MetricAlarm");
    const [gone] = head.resources.splice(removed, 1);
    const cluster = head.resources.find((r) => r.type === "aws:rds/cluster:Cluster")!;
    cluster.inputs.backupRetentionPeriod = 9;
    cluster.inputs.masterUsername = "[secret]";
    const d = diffGraphs(base, head);
    assert.deepEqual(d.added.map((r) => r.name), ["data-extra"]);
    assert.deepEqual(d.removed.map((r) => r.name), [gone.name]);
    assert.deepEqual(d.changed.map((c) => [c.name, c.keys, c.secretKeys]), [[cluster.name, ["backupRetentionPeriod", "masterUsername"], ["masterUsername"]]]);
    // A new key costs $1 a month under Data; the alarm removed saves its $0.10 where it was.
    assert.deepEqual(d.cost.byComponent.map((c) => [c.component, c.delta]).sort(), [[componentOf(gone.urn), -0.1], ["data", 1]].sort());
    assert.equal(d.cost.delta, 0.9);
    const md = renderDiff(d, "dev");
    assert.match(md, /^### dev: 1 to add, 1 to change, 1 to remove; \+\$0\.90 a month$/m);
    assert.match(md, /^- ~ `aws:rds\/cluster:Cluster` data-aurora-primary: backupRetentionPeriod, masterUsername \(secret\)$/m);
    assert.doesNotMatch(md, /app_admin|\[secret\]/, "no secret or former value is printed");
    assert.match(md, /\| \*\*total\*\* \| \$[\d,.]+ \| \$[\d,.]+ \| \+\$0\.90 \|/);
  });

  it("an unchanged plan reports no resource changes and no cost delta", async () => {
    const base = (await stack("prod")).graph;
    const d = diffGraphs(base, clone(base));
    assert.equal(d.added.length + d.removed.length + d.changed.length, 0);
    assert.match(renderDiff(d, "prod"), /No resource changes\.\n\n\| monthly cost \| before \| after \| delta \|\n\|---\|---:\|---:\|---:\|\n\| \*\*total\*\* \| \$[\d,.]+ \| \$[\d,.]+ \| \$0\.00 \|/);
  });

  it("changedKeys: a value turning secret is a change; equal values are not", () => {
    assert.deepEqual(changedKeys({ a: 1, b: "x" }, { a: 1, b: "[secret]" }), { keys: ["b"], secretKeys: ["b"] });
    assert.deepEqual(changedKeys({ a: [1, 2] }, { a: [1, 2] }), { keys: [], secretKeys: [] });
  });

  it("npm run plan --diff refuses a file that is not a plan, exit 2 naming the flag", async () => {
    const bad = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "diff-")), "base.json");
    fs.writeFileSync(bad, "{}");
    const r = await plan(["--stack", "dev", "--diff", bad]);
    assert.equal(r.code, 2);
    assert.match(r.stderr, /^--diff .*base\.json: expected an earlier `npm run plan -- --json` file \(it has no resources\)/);
  });
});
