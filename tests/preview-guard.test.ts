import { strict as assert } from "assert";
import { execFile } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { promisify } from "util";
import { parse } from "yaml";
import { GUARD_LABEL, judge, parseDigest, statefulChanges } from "../tools/ci/previewGuard";
import { STATEFUL_TYPES } from "../tools/plan/stateful";

/**
 * Fixtures shaped like `pulumi preview --json` (the CLI's PreviewDigest, pulumi/pulumi
 * sdk/go/common/display/json.go): a replacement is the steps create-replacement, replace and
 * delete-replaced of one URN; a removal is delete.
 */
const ROOT = path.resolve(__dirname, "..");
const fixture = (name: string) => path.join(__dirname, "fixtures", "preview", `${name}.json`);
const digest = (name: string) => parseDigest(fs.readFileSync(fixture(name), "utf8"));
const CLUSTER = "urn:pulumi:prod::platform::platform:data:Data$platform:data:AuroraGlobal$aws:rds/cluster:Cluster::data-aurora-primary";

function guard(file: string, labels?: string[]): Promise<{ code: number; out: string }> {
  const env = { ...process.env, PR_LABELS: labels ? JSON.stringify(labels) : "" };
  return promisify(execFile)(process.execPath, ["--import", "tsx", path.join(ROOT, "tools", "ci", "previewGuard.ts"), file], { cwd: ROOT, env }).then(
    (r) => ({ code: 0, out: r.stdout + r.stderr }),
    (e: { code: number; stdout: string; stderr: string }) => ({ code: e.code, out: e.stdout + e.stderr }),
  );
}

describe("CI guard on the real engine's preview (tools/ci/previewGuard.ts)", () => {
  it("catches the replacement of an Aurora cluster once, with the engine's replace reason", () => {
    assert.deepEqual(statefulChanges(digest("replace-cluster")), [{ urn: CLUSTER, type: "aws:rds/cluster:Cluster", change: "replace", replaceReasons: ["kmsKeyId"] }]);
    const { code, report } = judge(digest("replace-cluster"), []);
    assert.equal(code, 1);
    assert.match(report, /replace aws:rds\/cluster:Cluster .*data-aurora-primary \(replaced because of: kmsKeyId\)/);
    assert.match(report, /add the label "allow-stateful-replace"/);
  });

  it("catches the deletion of a bucket, taking the type from the URN when the step carries no state", () => {
    assert.deepEqual(statefulChanges(digest("delete-bucket")).map((f) => [f.change, f.type]), [["delete", "aws:s3/bucket:Bucket"]]);
    const bare = { steps: digest("delete-bucket").steps!.map((s) => ({ op: s.op, urn: s.urn })) };
    assert.deepEqual(statefulChanges(bare).map((f) => f.type), ["aws:s3/bucket:Bucket"]);
  });

  it("lets through replacing and deleting what holds no data (a task definition, an ingress rule)", () => {
    assert.deepEqual(statefulChanges(digest("safe")), []);
    assert.equal(judge(digest("safe"), []).code, 0);
  });

  it("the pull request's label allows it, and says so", () => {
    const { code, report } = judge(digest("replace-cluster"), ["documentation", GUARD_LABEL]);
    assert.equal(code, 0);
    assert.match(report, /Allowed by the pull request's label "allow-stateful-replace"/);
  });

  it("guards exactly the stateful types the URN-continuity test keeps", () => {
    // tests/urn-continuity.test.ts re-exports the same list.
    assert.ok(STATEFUL_TYPES.includes("aws:rds/cluster:Cluster") && STATEFUL_TYPES.includes("aws:s3/bucket:Bucket"));
  });

  it("as a command: exit 1 on the replace, 0 with the label, 2 on a file that is no preview", async () => {
    const blocked = await guard(fixture("replace-cluster"));
    assert.equal(blocked.code, 1, blocked.out);
    assert.match(blocked.out, /data-aurora-primary/);
    assert.equal((await guard(fixture("replace-cluster"), [GUARD_LABEL])).code, 0);
    assert.equal((await guard(fixture("safe"))).code, 0);
    const junk = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "guard-")), "preview.json");
    fs.writeFileSync(junk, "error: could not log in\n");
    const bad = await guard(junk);
    assert.equal(bad.code, 2);
    assert.match(bad.out, /not JSON .*did pulumi preview --json fail\?/);
    fs.writeFileSync(junk, JSON.stringify({ steps: [{ urn: CLUSTER }] }));
    assert.match((await guard(junk)).out, /not a pulumi preview --json document/);
  });

  it("runs in the pull-request workflow after the real preview, on each stack, with the labels through env only", () => {
    const w = parse(fs.readFileSync(path.join(ROOT, ".github", "workflows", "pull-request.yml"), "utf8")) as {
      on: { pull_request: { types: string[] } };
      jobs: { preview: { steps: { name?: string; uses?: string; run?: string; env?: Record<string, string> }[] } };
    };
    assert.ok(w.on.pull_request.types.includes("labeled") && w.on.pull_request.types.includes("unlabeled"), "adding the label re-runs the check");
    const steps = w.jobs.preview.steps;
    const preview = steps.findIndex((s) => s.uses?.startsWith("pulumi/actions@"));
    const guardStep = steps.findIndex((s) => /tools\/ci\/previewGuard\.ts/.test(s.run ?? ""));
    assert.ok(preview !== -1 && guardStep > preview, "the guard runs after the CLI is installed and logged in");
    const step = steps[guardStep];
    assert.match(step.run!, /pulumi preview --stack "\$\{STACK\}" --json[^\n]*> "preview-\$\{STACK\}\.json"/);
    assert.match(step.run!, /tools\/ci\/previewGuard\.ts "preview-\$\{STACK\}\.json"/);
    assert.equal(step.env?.PR_LABELS, "${{ toJSON(github.event.pull_request.labels.*.name) }}");
    assert.doesNotMatch(step.run!, /\$\{\{/, "nothing from the event is spliced into the script");
  });
});
