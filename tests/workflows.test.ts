import { strict as assert } from "assert";
import { execFile } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { promisify } from "util";
import { parse } from "yaml";

const ROOT = path.resolve(__dirname, "..");
const DIR = path.join(ROOT, ".github", "workflows");
type Step = { uses?: string; run?: string; with?: Record<string, unknown> };
type Job = { steps?: Step[]; environment?: string; needs?: string | string[]; concurrency?: { group: string; "cancel-in-progress": boolean }; permissions?: Record<string, string>; strategy?: { matrix: { stack?: string[] } } };
type Workflow = { on: Record<string, unknown>; permissions?: Record<string, string>; jobs: Record<string, Job> };

const text = (f: string) => fs.readFileSync(path.join(DIR, f), "utf8");
const workflow = (f: string) => parse(text(f)) as Workflow;
const FILES = fs.readdirSync(DIR).filter((f) => f.endsWith(".yml"));
const steps = (w: Workflow) => Object.values(w.jobs).flatMap((j) => j.steps ?? []);

function lint(file: string): Promise<{ code: number; output: string }> {
  return promisify(execFile)(process.execPath, ["--import", "tsx", path.join(ROOT, "tools", "lint-workflows.mts"), file], { cwd: ROOT }).then(
    (r) => ({ code: 0, output: r.stdout + r.stderr }),
    (e: { code: number; stdout: string; stderr: string }) => ({ code: e.code, output: e.stdout + e.stderr }),
  );
}

describe("GitHub Actions workflows", () => {
  it("has the pull-request, deploy, drift and reusable service-deploy workflows", () => {
    assert.deepEqual(FILES.sort(), ["deploy-service.yml", "deploy.yml", "drift.yml", "pull-request.yml"]);
  });

  it("the workflow linter (npm test runs it on every workflow) rejects a broken workflow", async () => {
    const bad = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "wf-")), "bad.yml");
    fs.writeFileSync(bad, "on: push\njobs:\n  a:\n    runs-on: ubuntu-latest\n    stepz:\n      - run: echo hi\n");
    const result = await lint(bad);
    assert.equal(result.code, 1);
    assert.match(result.output, /Unexpected value 'stepz'/);
    assert.equal((await lint(path.join(DIR, "deploy.yml"))).code, 0);
  });

  it("pins every action to a full version, sets minimal permissions, and uses no long-lived cloud secrets", () => {
    for (const f of FILES) {
      const w = workflow(f);
      assert.ok(w.permissions, `${f} has no top-level permissions`);
      assert.ok(Object.values(w.permissions).every((v) => v === "read" || (f === "deploy-service.yml" && v === "write")), `${f}: ${JSON.stringify(w.permissions)}`);
      for (const s of steps(w).filter((x) => x.uses)) assert.match(String(s.uses), /^[\w.-]+\/[\w.-]+@v\d+\.\d+\.\d+$/, `${f}: ${s.uses}`);
      const secrets = [...text(f).matchAll(/secrets\.(\w+)/g)].map((m) => m[1]);
      assert.ok(secrets.every((s) => s === "GITHUB_TOKEN"), `${f} reads secrets ${secrets.join(", ")}`);
      assert.ok(!/aws-access-key-id|aws-secret-access-key/.test(text(f)), f);
      for (const s of steps(w).filter((x) => x.uses?.startsWith("aws-actions/configure-aws-credentials"))) assert.ok(s.with?.["role-to-assume"], `${f}: AWS access must be OIDC`);
    }
  });

  it("runs the same test command on pull requests as .ci/run, then previews both stacks with the policy pack", () => {
    const ci = fs.readFileSync(path.join(ROOT, ".ci", "run"), "utf8");
    const w = workflow("pull-request.yml");
    const run = w.jobs.test.steps!.map((s) => s.run ?? "").join("\n");
    for (const command of ["npm ci --no-audit --no-fund", "npm test"]) {
      assert.ok(ci.includes(command) && run.includes(command), command);
    }
    assert.match(run, /GITHUB_STEP_SUMMARY/);
    const preview = w.jobs.preview;
    assert.deepEqual(preview.strategy!.matrix.stack, ["dev", "prod"]);
    const pulumi = preview.steps!.find((s) => s.uses?.startsWith("pulumi/actions@"))!;
    assert.deepEqual([pulumi.with!.command, pulumi.with!["comment-on-pr"], pulumi.with!.policyPacks], ["preview", true, "./policy"]);
    assert.equal(preview.permissions!["id-token"], "write");
  });

  it("deploys dev then prod on merge, prod behind its environment, one never-cancelled concurrency group per stack", () => {
    const w = workflow("deploy.yml");
    assert.deepEqual(Object.keys(w.on), ["push", "workflow_dispatch"]);
    assert.equal(w.jobs.prod.needs, "dev");
    assert.equal(w.jobs.prod.environment, "prod");
    for (const stack of ["dev", "prod"]) {
      assert.deepEqual(w.jobs[stack].concurrency, { group: `pulumi-${stack}`, "cancel-in-progress": false });
      const up = w.jobs[stack].steps!.find((s) => s.uses?.startsWith("pulumi/actions@"))!;
      assert.deepEqual([up.with!.command, up.with!["stack-name"], up.with!.policyPackConfigs], ["up", stack, `./policy/config/${stack}.json`]);
    }
  });

  it("checks every stack for drift nightly and fails on any change", () => {
    const w = workflow("drift.yml");
    assert.ok((w.on.schedule as { cron: string }[])[0].cron);
    const job = w.jobs.drift;
    assert.deepEqual(job.strategy!.matrix.stack, ["dev", "prod"]);
    const preview = job.steps!.find((s) => s.uses?.startsWith("pulumi/actions@"))!;
    assert.deepEqual([preview.with!.command, preview.with!["expect-no-changes"]], ["preview", true]);
  });

  it("offers service repositories a reusable deploy: build, push by SHA, publish, register, deploy, wait, report", () => {
    const w = workflow("deploy-service.yml");
    const inputs = (w.on.workflow_call as { inputs: Record<string, unknown> }).inputs;
    for (const i of ["service", "environment", "image-context", "role-to-assume"]) assert.ok(inputs[i], i);
    const run = steps(w).map((s) => s.run ?? "").join("\n");
    for (const fragment of [":${GITHUB_SHA}", "docker push", "aws codeartifact login", "npm publish", "register-task-definition", "-compute-migrations", "update-service", "rolloutState", "GITHUB_STEP_SUMMARY"]) {
      assert.ok(run.includes(fragment), fragment);
    }
  });
});
