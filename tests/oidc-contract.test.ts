import { strict as assert } from "assert";
import * as fs from "fs";
import * as path from "path";
import { assumeAttempts, trustRefusal, WorkflowContext } from "../tools/ci/oidc";
import { PROJECT_DIR } from "../tools/plan/evaluate";
import { loadStackConfig } from "../tools/plan/stackConfig";
import { STACKS, StackName, stack } from "./support/stacks";

const WORKFLOWS = path.join(PROJECT_DIR, ".github/workflows");
const workflowFiles = () => Object.fromEntries(fs.readdirSync(WORKFLOWS).filter((f) => f.endsWith(".yml")).map((f) => [f, fs.readFileSync(path.join(WORKFLOWS, f), "utf8")]));

function context(name: StackName): WorkflowContext {
  const ci = JSON.parse(loadStackConfig(PROJECT_DIR, name).config["platform:ci"]);
  return { repository: ci.repository, callers: ci.applicationRepositories, branch: ci.branch ?? "main", stacks: [...STACKS] };
}

/** Every job × stack whose token its role would refuse, against the stacks' evaluated graphs. */
async function contractProblems(workflows: Record<string, string>): Promise<string[]> {
  const problems: string[] = [];
  for (const name of STACKS) {
    const q = await stack(name);
    const roleArns = q.graph.outputs.ciRoleArns as Record<string, string>;
    for (const [file, text] of Object.entries(workflows)) {
      for (const a of assumeAttempts(file, text, context(name)).filter((x) => x.stack === name)) {
        const role = q.byIdOrArn(roleArns[a.role]);
        if (!role) {
          problems.push(`${a.workflow} ${a.job} (${name}): ${a.via} names no role of the stack`);
          continue;
        }
        const refusal = trustRefusal(String(role.inputs.assumeRolePolicy), a.subject);
        if (refusal) problems.push(`${a.workflow} ${a.job} (${name}): ${a.subject} cannot assume ${a.role} role (${a.via}): ${refusal}`);
      }
    }
  }
  return problems;
}

describe("OIDC contract: every workflow job can assume the role it names, and only that", () => {
  it("finds each job that assumes a role, with the subject GitHub gives it", () => {
    const ctx = context("prod");
    const all = Object.entries(workflowFiles()).flatMap(([f, t]) => assumeAttempts(f, t, ctx));
    const seen = new Set(all.map((a) => `${a.workflow}/${a.job}/${a.stack}/${a.role}/${a.subject}`));
    for (const expected of [
      // One entry per committed stack: the matrices are tools/ci/stacks.ts's list.
      ...STACKS.flatMap((s) => [
        `deploy.yml/deploy/${s}/deploy/repo:example/platform:environment:${s}`,
        `pull-request.yml/preview/${s}/preview/repo:example/platform:pull_request`,
        `drift.yml/drift/${s}/preview/repo:example/platform:ref:refs/heads/main`,
      ]),
      "deploy-service.yml/deploy/dev/application/repo:example/app:environment:dev",
      "deploy-service.yml/deploy/prod/application/repo:example/app:environment:prod",
      "failover.yml/failover/prod/failover/repo:example/platform:environment:prod",
      "publish-components.yml/publish/prod/publish/repo:example/platform:environment:packages",
    ]) {
      assert.ok(seen.has(expected), `missing ${expected}; have:\n${[...seen].join("\n")}`);
    }
  });

  it("the workflows and every stack's trust policies agree", async () => {
    assert.deepEqual(await contractProblems(workflowFiles()), []);
  });

  it("fails when a deploy job loses its environment (its token then names the branch)", async () => {
    const files = workflowFiles();
    files["deploy.yml"] = files["deploy.yml"].replace("    environment: ${{ matrix.stack }}\n", "");
    assert.notEqual(files["deploy.yml"], workflowFiles()["deploy.yml"]);
    const problems = await contractProblems(files);
    assert.equal(problems.length, STACKS.length, problems.join("\n"));
    STACKS.forEach((s, i) =>
      assert.ok(problems[i].startsWith(`deploy.yml deploy (${s}): repo:example/platform:ref:refs/heads/main cannot assume deploy role (vars.DEPLOY_ROLE_ARN_${s.toUpperCase()})`), problems[i]),
    );
  });

  it("fails when the drift job assumes the deploy role, whose trust does not admit a scheduled run", async () => {
    const files = workflowFiles();
    files["drift.yml"] = files["drift.yml"].replace("format('PREVIEW_ROLE_ARN_{0}'", "format('DEPLOY_ROLE_ARN_{0}'");
    const problems = await contractProblems(files);
    assert.equal(problems.length, STACKS.length, problems.join("\n"));
  });

  it("fails when the failover job runs outside the prod environment, and dev has no failover role to name", async () => {
    const files = workflowFiles();
    files["failover.yml"] = files["failover.yml"].replace("    environment: prod\n", "");
    const problems = await contractProblems(files);
    assert.equal(problems.length, 1, problems.join("\n"));
    assert.match(problems[0], /^failover\.yml failover \(prod\): repo:example\/platform:ref:refs\/heads\/main cannot assume failover role \(vars\.FAILOVER_ROLE_ARN_PROD\)/);
    const dev = { "failover.yml": workflowFiles()["failover.yml"].replace(/prod/g, "dev").replace(/PROD/g, "DEV") };
    assert.deepEqual(await contractProblems(dev), ["failover.yml failover (dev): vars.FAILOVER_ROLE_ARN_DEV names no role of the stack"]);
  });

  it("fails when the publish job runs in the prod environment: only the packages environment's token admits the publish role", async () => {
    const files = { "publish-components.yml": workflowFiles()["publish-components.yml"].replace("    environment: packages\n", "    environment: prod\n") };
    assert.notEqual(files["publish-components.yml"], workflowFiles()["publish-components.yml"]);
    const problems = await contractProblems(files);
    assert.equal(problems.length, 1, problems.join("\n"));
    assert.match(problems[0], /^publish-components\.yml publish \(prod\): repo:example\/platform:environment:prod cannot assume publish role \(vars\.PUBLISH_ROLE_ARN_PROD\)/);
  });

  describe("trust evaluation", () => {
    const trust = (conditions: Record<string, Record<string, string | string[]>>) =>
      JSON.stringify({
        Version: "2012-10-17",
        Statement: [{ Effect: "Allow", Action: "sts:AssumeRoleWithWebIdentity", Principal: { Federated: "arn:aws:iam::1:oidc-provider/token.actions.githubusercontent.com" }, Condition: conditions }],
      });
    const aud = { "token.actions.githubusercontent.com:aud": "sts.amazonaws.com" };

    it("admits an exact subject and a StringLike pattern; refuses others", () => {
      assert.equal(trustRefusal(trust({ StringEquals: { ...aud, "token.actions.githubusercontent.com:sub": ["repo:o/r:environment:dev"] } }), "repo:o/r:environment:dev"), undefined);
      assert.equal(trustRefusal(trust({ StringEquals: aud, StringLike: { "token.actions.githubusercontent.com:sub": "repo:o/r:*" } }), "repo:o/r:pull_request"), undefined);
      assert.match(trustRefusal(trust({ StringEquals: { ...aud, "token.actions.githubusercontent.com:sub": "repo:o/r:ref:refs/heads/main" } }), "repo:o/r:environment:dev") ?? "", /StringEquals token\.actions\.githubusercontent\.com:sub/);
    });

    it("refuses a trust without an audience condition, and unknown operators", () => {
      assert.match(trustRefusal(trust({ StringEquals: { "token.actions.githubusercontent.com:sub": "repo:o/r:pull_request" } }), "repo:o/r:pull_request") ?? "", /no audience condition/);
      assert.match(trustRefusal(trust({ StringEquals: aud, ForAnyValue: { "token.actions.githubusercontent.com:sub": "x" } }), "x") ?? "", /ForAnyValue/);
    });
  });
});
