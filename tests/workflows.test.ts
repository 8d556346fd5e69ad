import { strict as assert } from "assert";
import { execFile } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { promisify } from "util";
import { parse } from "yaml";
import { committedStacks } from "../tools/ci/stacks";
import { STACKS } from "./support/stacks";

/** A folder with stack files of these environments (`file -> platform:environment`) and a Pulumi.yaml. */
function stackFolder(files: Record<string, string>): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "stacks-"));
  fs.writeFileSync(path.join(dir, "Pulumi.yaml"), "name: platform\nruntime: nodejs\n");
  for (const [f, env] of Object.entries(files)) fs.writeFileSync(path.join(dir, f), `config:\n  platform:environment: ${env}\n`);
  return dir;
}

const ROOT = path.resolve(__dirname, "..");
const DIR = path.join(ROOT, ".github", "workflows");
type Step = { uses?: string; run?: string; with?: Record<string, unknown>; env?: Record<string, string> };
type Job = { steps?: Step[]; environment?: string; needs?: string | string[]; concurrency?: { group: string; "cancel-in-progress": boolean }; permissions?: Record<string, string>; strategy?: { "max-parallel"?: number; "fail-fast"?: boolean; matrix: { stack?: string | string[] } }; outputs?: Record<string, string> };
type Workflow = { on: Record<string, unknown>; permissions?: Record<string, string>; jobs: Record<string, Job> };

const text = (f: string) => fs.readFileSync(path.join(DIR, f), "utf8");
const workflow = (f: string) => parse(text(f)) as Workflow;
const FILES = fs.readdirSync(DIR).filter((f) => f.endsWith(".yml"));
const steps = (w: Workflow) => Object.values(w.jobs).flatMap((j) => j.steps ?? []);

const texts = (): Record<string, string> => Object.fromEntries(FILES.map((f) => [f, text(f)]));

/** Actions not pinned to a full commit SHA with `# vX.Y.Z` beside it, or pinned differently in two places. */
function pinProblems(files: Record<string, string>): string[] {
  const problems: string[] = [];
  const pins = new Map<string, string>();
  for (const [f, t] of Object.entries(files)) {
    for (const [, action, ref, rest] of t.matchAll(/^\s*(?:- )?uses: ([\w.-]+\/[\w.-]+)@(\S+)(.*)$/gm)) {
      if (!/^[0-9a-f]{40}$/.test(ref) || !/^ # v\d+\.\d+\.\d+$/.test(rest)) problems.push(`${f}: ${action}@${ref} is not pinned to a commit with its version tag as a comment`);
      else if ((pins.get(action) ?? ref + rest) !== ref + rest) problems.push(`${f}: ${action} is pinned differently elsewhere`);
      else pins.set(action, ref + rest);
    }
  }
  return problems;
}

/** Jobs that run the policy pack (or npm test) before any `npm ci` installed it. */
function installProblems(files: Record<string, string>): string[] {
  return Object.entries(files).flatMap(([f, t]) =>
    Object.entries((parse(t) as Workflow).jobs).flatMap(([name, job]) => {
      const list = job.steps ?? [];
      const install = list.findIndex((s) => /^npm ci\b(?!.*--ignore-scripts)/m.test(s.run ?? ""));
      const needsPack = list.findIndex((s) => s.with?.policyPacks !== undefined || /\bnpm test\b/.test(s.run ?? ""));
      return needsPack !== -1 && (install === -1 || install > needsPack) ? [`${f} job ${name} runs the policy pack (or npm test) without npm ci first`] : [];
    }),
  );
}

/** Jobs that run the program through Pulumi before building the @platform/components it imports. */
function buildProblems(files: Record<string, string>): string[] {
  return Object.entries(files).flatMap(([f, t]) =>
    Object.entries((parse(t) as Workflow).jobs).flatMap(([name, job]) => {
      const list = job.steps ?? [];
      const build = list.findIndex((s) => /^npm (run build|test)\b/m.test(s.run ?? ""));
      const pulumi = list.findIndex((s) => s.uses?.startsWith("pulumi/actions@") && s.with?.command !== undefined);
      return pulumi !== -1 && (build === -1 || build > pulumi) ? [`${f} job ${name} runs pulumi before npm run build`] : [];
    }),
  );
}

/** Workflows that run something per stack. */
const PER_STACK = ["deploy.yml", "drift.yml", "pull-request.yml"];

/**
 * Where these workflows list stacks other than from tools/ci/stacks.ts: a matrix not taken from a
 * job's `stacks` output, that job without the step that writes it, a loop over anything but the
 * step's `names`, or a committed stack's name written into a step.
 */
function stackListProblems(files: Record<string, string>, committed: readonly string[]): string[] {
  const problems: string[] = [];
  for (const f of PER_STACK) {
    const w = parse(files[f]) as Workflow;
    for (const [name, job] of Object.entries(w.jobs)) {
      const matrix = job.strategy?.matrix.stack;
      if (matrix !== undefined) {
        const from = /^\$\{\{ fromJSON\(needs\.([\w-]+)\.outputs\.stacks\) \}\}$/.exec(String(matrix))?.[1];
        const source = from ? w.jobs[from] : undefined;
        const writes = source?.steps?.some((st) => (st as { id?: string }).id === "stacks" && st.run === "npx tsx tools/ci/stacks.ts --github-output");
        if (!from || !source || source.outputs?.stacks !== "${{ steps.stacks.outputs.stacks }}" || !writes) problems.push(`${f} job ${name}: the stack matrix is not tools/ci/stacks.ts's output`);
      }
      for (const st of job.steps ?? []) {
        const run = st.run ?? "";
        for (const loop of run.matchAll(/for stack in ([^;]*);/g)) {
          if (loop[1] !== "${STACKS}" || st.env?.STACKS !== "${{ steps.stacks.outputs.names }}") problems.push(`${f} job ${name}: loops over ${loop[1]}, not tools/ci/stacks.ts's names`);
        }
        const text = `${run}\n${JSON.stringify(st.with ?? {})}`;
        for (const stack of committed) if (new RegExp(`(^|[^\\w/.-])${stack}([^\\w.-]|$)`).test(text.replace(/\/dev\/null/g, ""))) problems.push(`${f} job ${name}: names stack ${stack}`);
      }
    }
  }
  return problems;
}

function lint(file: string): Promise<{ code: number; output: string }> {
  return promisify(execFile)(process.execPath, ["--import", "tsx", path.join(ROOT, "tools", "lint-workflows.mts"), file], { cwd: ROOT }).then(
    (r) => ({ code: 0, output: r.stdout + r.stderr }),
    (e: { code: number; stdout: string; stderr: string }) => ({ code: e.code, output: e.stdout + e.stderr }),
  );
}

describe("GitHub Actions workflows", () => {
  it("has the pull-request, deploy, drift, failover, package-publishing and reusable service-deploy workflows", () => {
    assert.deepEqual(FILES.sort(), ["deploy-service.yml", "deploy.yml", "drift.yml", "failover.yml", "publish-components.yml", "pull-request.yml"]);
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
      for (const s of steps(w).filter((x) => x.uses)) assert.match(String(s.uses), /^[\w.-]+\/[\w.-]+@[0-9a-f]{40}$/, `${f}: ${s.uses} is not pinned to a commit`);
      const secrets = [...text(f).matchAll(/secrets\.(\w+)/g)].map((m) => m[1]);
      // One exception: the failover's Cloudflare token (Load Balancing: Edit on the zone only) is a prod
      // environment secret, because the Pulumi state that holds the program's token lives in the home
      // region the failover may have lost, and Cloudflare API tokens have no OIDC federation.
      const allowed = (s: string) => s === "GITHUB_TOKEN" || (f === "failover.yml" && s === "CLOUDFLARE_FAILOVER_TOKEN");
      assert.ok(secrets.every(allowed), `${f} reads secrets ${secrets.join(", ")}`);
      assert.ok(!/aws-access-key-id|aws-secret-access-key/.test(text(f)), f);
      for (const s of steps(w).filter((x) => x.uses?.startsWith("aws-actions/configure-aws-credentials"))) assert.ok(s.with?.["role-to-assume"], `${f}: AWS access must be OIDC`);
    }
  });

  it("pins each action to one commit across workflows, its version tag beside it, and Dependabot keeps them current", () => {
    assert.deepEqual(pinProblems(texts()), []);
    assert.ok(new Set([...Object.values(texts()).join("\n").matchAll(/uses: ([\w.-]+\/[\w.-]+)@/g)].map((m) => m[1])).size >= 5);
    const moved = { ...texts(), "drift.yml": texts()["drift.yml"].replace(/(actions\/checkout@)[0-9a-f]{40} # v[\d.]+/, "$1v7.0.1") };
    assert.deepEqual(pinProblems(moved), ["drift.yml: actions/checkout@v7.0.1 is not pinned to a commit with its version tag as a comment"]);
    const dependabot = parse(fs.readFileSync(path.join(ROOT, ".github", "dependabot.yml"), "utf8")) as { updates: { "package-ecosystem": string; directory: string }[] };
    const covered = dependabot.updates.map((u) => `${u["package-ecosystem"]} ${u.directory}`).sort();
    assert.deepEqual(covered, ["github-actions /", "npm /", "npm /.ci/node", "npm /policy"]);
  });

  it("installs the policy pack's own locked dependencies before every step that runs it (and before npm test)", () => {
    // The root's postinstall runs `npm ci` in policy/, so each root `npm ci` installs the pack's lock file.
    const pkg = JSON.parse(fs.readFileSync(path.join(ROOT, "package.json"), "utf8"));
    assert.match(pkg.scripts.postinstall, /^npm ci --prefix policy\b/);
    assert.deepEqual(installProblems(texts()), []);
    const skipped = { ...texts(), "deploy.yml": texts()["deploy.yml"].replace(/\n {6}# Also installs[^\n]*\n {6}- run: npm ci --no-audit --no-fund\n(?=(?:.*\n){0,6}.*configure-aws-credentials)/, "\n") };
    assert.notEqual(skipped["deploy.yml"], texts()["deploy.yml"]);
    assert.deepEqual(installProblems(skipped), ["deploy.yml job deploy runs the policy pack (or npm test) without npm ci first"]);
    assert.match(fs.readFileSync(path.join(ROOT, ".ci", "run"), "utf8"), /\nnpm ci --no-audit --no-fund\nnpm test\n/);
  });

  it("builds @platform/components before every Pulumi run of the program (it imports the package's JavaScript)", () => {
    assert.deepEqual(buildProblems(texts()), []);
    const unbuilt = { ...texts(), "drift.yml": texts()["drift.yml"].replace(/\n {6}# The program imports[^\n]*\n {6}- run: npm run build\n/, "\n") };
    assert.notEqual(unbuilt["drift.yml"], texts()["drift.yml"]);
    assert.deepEqual(buildProblems(unbuilt), ["drift.yml job drift runs pulumi before npm run build"]);
  });

  it("runs the same test command on pull requests as .ci/run, then previews both stacks with the policy pack", () => {
    const ci = fs.readFileSync(path.join(ROOT, ".ci", "run"), "utf8");
    const w = workflow("pull-request.yml");
    const run = w.jobs.test.steps!.map((s) => s.run ?? "").join("\n");
    for (const command of ["npm ci --no-audit --no-fund", "npm test"]) {
      assert.ok(ci.includes(command) && run.includes(command), command);
    }
    assert.match(run, /GITHUB_STEP_SUMMARY/);
    const summary = w.jobs.test.steps!.find((s) => /--mermaid/.test(s.run ?? ""))?.run ?? "";
    assert.match(summary, /--mermaid "plan-\$\{stack\}\.mmd"[\s\S]*echo '```mermaid'\n\s*cat "plan-\$\{stack\}\.mmd"/, "the component picture reaches the job summary");
    const preview = w.jobs.preview;
    assert.equal(preview.strategy!.matrix.stack, "${{ fromJSON(needs.test.outputs.stacks) }}");
    const pulumi = preview.steps!.find((s) => s.uses?.startsWith("pulumi/actions@"))!;
    assert.deepEqual([pulumi.with!.command, pulumi.with!["comment-on-pr"], pulumi.with!.policyPacks], ["preview", true, "./policy"]);
    assert.equal(preview.permissions!["id-token"], "write");
  });

  it("deploys every stack on merge, one at a time in deploy order, each in its own GitHub environment and never-cancelled concurrency group", () => {
    const w = workflow("deploy.yml");
    assert.deepEqual(Object.keys(w.on), ["push", "workflow_dispatch"]);
    const job = w.jobs.deploy;
    assert.equal(job.needs, "test");
    assert.deepEqual([job.strategy!["max-parallel"], job.strategy!["fail-fast"], job.strategy!.matrix.stack], [1, true, "${{ fromJSON(needs.test.outputs.stacks) }}"]);
    // prod's GitHub environment holds the approval; each stack's deploy role trusts its environment only.
    assert.equal(job.environment, "${{ matrix.stack }}");
    assert.deepEqual(job.concurrency, { group: "pulumi-${{ matrix.stack }}", "cancel-in-progress": false });
    const up = job.steps!.find((s) => s.uses?.startsWith("pulumi/actions@"))!;
    assert.deepEqual([up.with!.command, up.with!["stack-name"], up.with!.policyPackConfigs], ["up", "${{ matrix.stack }}", "./policy/config/${{ matrix.stack }}.json"]);
    const aws = job.steps!.find((s) => s.uses?.startsWith("aws-actions/configure-aws-credentials"))!;
    assert.equal(aws.with!["role-to-assume"], "${{ vars[format('DEPLOY_ROLE_ARN_{0}', matrix.stack)] }}");
  });

  it("deploys in environment order, least strict first (dev, staging, prod), so prod goes last", () => {
    assert.deepEqual(committedStacks().map((s) => s.environment), ["dev", "staging", "prod"]);
    assert.deepEqual(
      committedStacks(stackFolder({ "Pulumi.a.yaml": "prod", "Pulumi.b.yaml": "dev", "Pulumi.c.yaml": "staging", "Pulumi.aa.yaml": "dev" })).map((s) => s.name),
      ["aa", "b", "c", "a"],
    );
  });

  it("takes every stack list (matrices and loops) from tools/ci/stacks.ts, which discovers the committed stack files", () => {
    assert.deepEqual(stackListProblems(texts(), STACKS), []);
    assert.deepEqual([...STACKS], committedStacks().map((s) => s.name));
    const listed = { ...texts(), "drift.yml": texts()["drift.yml"].replace("stack: ${{ fromJSON(needs.stacks.outputs.stacks) }}", "stack: [dev, prod]") };
    assert.deepEqual(stackListProblems(listed, STACKS), ["drift.yml job drift: the stack matrix is not tools/ci/stacks.ts's output"]);
    const looped = { ...texts(), "pull-request.yml": texts()["pull-request.yml"].replace("for stack in ${STACKS}; do\n            {", "for stack in dev prod; do\n            {") };
    assert.notEqual(looped["pull-request.yml"], texts()["pull-request.yml"]);
    assert.deepEqual(stackListProblems(looped, STACKS), [
      "pull-request.yml job test: loops over dev prod, not tools/ci/stacks.ts's names",
      "pull-request.yml job test: names stack dev",
      "pull-request.yml job test: names stack prod",
    ]);
  });

  it("checks every stack for drift nightly and fails on any change", () => {
    const w = workflow("drift.yml");
    assert.ok((w.on.schedule as { cron: string }[])[0].cron);
    const job = w.jobs.drift;
    assert.equal(job.strategy!.matrix.stack, "${{ fromJSON(needs.stacks.outputs.stacks) }}");
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

  it("comments the change and its cost against the target branch from a job that runs none of the pull request's code", () => {
    const w = workflow("pull-request.yml");
    const test = w.jobs.test.steps!.map((s) => s.run ?? "").join("\n");
    assert.match(test, /git worktree add \.\.\/base FETCH_HEAD/);
    assert.match(test, /--json "\$\{GITHUB_WORKSPACE\}\/base-\$\{stack\}\.json"/);
    assert.match(test, /diff=\(--diff "base-\$\{stack\}\.json" --diff-md "diff-\$\{stack\}\.md"\)/);
    assert.equal(w.jobs.test.permissions, undefined, "the job running the pull request's code keeps the read-only default");
    const comment = w.jobs.comment;
    assert.deepEqual(comment.permissions, { "pull-requests": "write" });
    assert.equal(comment.steps!.some((s) => s.uses?.startsWith("actions/checkout@")), false, "no checkout: none of the pull request's code runs with a write token");
    const step = comment.steps![0];
    assert.equal(step.env?.BODY, "${{ needs.test.outputs.diff }}");
    assert.doesNotMatch(step.run ?? "", /\$\{\{/, "the markdown reaches the script through env only");
    assert.match(step.run ?? "", /startswith\("<!-- platform-plan-diff -->"\)/, "one comment, found by its marker and updated");
  });

  it("publishes @platform/components on a components-v* tag only, after npm test, from the tag's own version", () => {
    const w = workflow("publish-components.yml");
    assert.deepEqual(w.on, { push: { tags: ["components-v*"] } });
    assert.deepEqual(w.jobs.publish.needs, "test");
    assert.match(w.jobs.test.steps!.map((s) => s.run ?? "").join("\n"), /^npm test$/m);
    assert.equal(w.jobs.publish.environment, "packages");
    const run = w.jobs.publish.steps!.map((s) => s.run ?? "").join("\n");
    assert.match(run, /"\$\{TAG\}" != "components-v\$\{version\}"/, "refuses a tag that is not the package's version");
    assert.match(run, /aws codeartifact login --tool npm --domain platform-prod --repository internal --namespace @platform/);
    assert.match(run, /^\s*npm publish --workspace @platform\/components$/m);
    assert.doesNotMatch(run, /\$\{\{/, "the tag reaches the scripts through env, never spliced in");
  });

  it("fails over by hand only: prod environment, its own lock, dry run by default, inputs never spliced into the script", () => {
    const w = workflow("failover.yml");
    assert.deepEqual(Object.keys(w.on), ["workflow_dispatch"]);
    const inputs = (w.on.workflow_dispatch as { inputs: Record<string, { default?: unknown; options?: string[] }> }).inputs;
    assert.deepEqual(inputs.mode.options, ["planned", "unplanned", "failback"]);
    assert.equal(inputs["dry-run"].default, true);
    const job = w.jobs.failover;
    assert.equal(job.environment, "prod");
    // Never pulumi-prod's group: a failover must not wait behind a `pulumi up` hung on the lost region.
    assert.deepEqual(job.concurrency, { group: "failover-prod", "cancel-in-progress": false });
    const run = job.steps!.map((s) => s.run ?? "").join("\n");
    assert.match(run, /npm run --silent failover -- "\$\{args\[@\]\}"/);
    assert.match(run, /--stack prod --to "\$TO" --mode "\$MODE" --yes --outputs/);
    // `${{ inputs.* }}` in a run script is a script injection; they reach it through env only.
    const spliced = (script: string) => /\$\{\{\s*(inputs|vars|secrets)\./.test(script);
    assert.ok(!spliced(run), "inputs spliced into a run script");
    assert.ok(spliced(run.replace('"$TO"', '"${{ inputs.to }}"')));
  });
});
