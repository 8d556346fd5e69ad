import { strict as assert } from "assert";
import { policies } from "../policy/rules";
import { expandAction } from "../policy/rules/iamCatalogue";
import { actionMatches, wildcard } from "../policy/rules/lib";
import * as path from "path";
import { PlanGraph } from "../tools/plan/graph";
import { packConfigFor, runPolicies } from "../tools/plan/policy";
import { stack } from "./support/stacks";
import { early } from "./support/early";
import { IAM_EXPOSURE_CASES as CASES } from "./support/iamExposureCases";
import { evaluateFixtures } from "./support/policyFixtures";

/**
 * The IAM exposure rules (policy/rules/iamExposure.ts, checkov's cloudsplaining checks) through the
 * plan harness: every identity-based document type, each rule's failing and passing documents, and
 * the branch that lets actions AWS cannot scope stay on "*".
 */
const program = early(() =>
  evaluateFixtures(
    "policy-iam-exposure",
    Object.entries(CASES).flatMap(([rule, c]) => [
      ...c.pass.map((x, i) => ({ ...x, name: `${rule}--pass-${i}` })),
      ...c.fail.map(({ names: _names, ...x }, i) => ({ ...x, name: `${rule}--fail-${i}` })),
    ]),
  ),
);

describe("Policy pack: IAM documents read like checkov's cloudsplaining checks", function () {
  this.timeout(120000);

  it("the catalogue knows which actions AWS lets a policy scope to resources, and their access level", async () => {
    const facts = async (a: string) => (await expandAction(a))[0];
    assert.deepEqual(await facts("ecr:GetAuthorizationToken"), { action: "ecr:GetAuthorizationToken", levels: ["Read"], restrictable: false });
    assert.deepEqual(await facts("xray:PutTraceSegments"), { action: "xray:PutTraceSegments", levels: ["Write"], restrictable: false });
    assert.deepEqual(await facts("ecs:RegisterTaskDefinition"), { action: "ecs:RegisterTaskDefinition", levels: ["Write"], restrictable: true });
    assert.ok((await facts("iam:PutRolePolicy")).levels.includes("Permissions management"));
    assert.ok((await expandAction("s3:Get*")).length > 10, "a wildcard expands to the service's actions");
    assert.deepEqual(await expandAction("nosuchservice:Get*"), []);
  });

  it("one IAM wildcard matcher: `*` any run, `?` one character, actions case-insensitive, each pattern compiled once", () => {
    assert.ok(actionMatches("iam:Pass?ole", "iam:PassRole"));
    assert.ok(actionMatches("IAM:attach*", "iam:AttachRolePolicy"));
    assert.ok(!actionMatches("iam:Pass?ole", "iam:PassXXRole"), "? is one character, not a run");
    assert.ok(!actionMatches("iam:Pass.ole", "iam:PassRole"), "other characters are literal");
    assert.ok(!actionMatches("s3:Get", "s3:GetObject"), "the whole action must match");
    assert.equal(wildcard("sqs:Send*"), wildcard("sqs:Send*"), "compiled once");
    assert.ok(!wildcard("*Gate", true).test("migrations-gate"), "names match case-sensitively when asked");
  });

  for (const [name, c] of Object.entries(CASES)) {
    const rule = policies.find((p) => p.name === name)!;
    it(`${name}: passes its ${c.pass.length} compliant documents and refuses each of its ${c.fail.length} failing ones, naming the actions`, async () => {
      assert.ok(rule, `${name} is not a rule of the pack`);
      const result = await program;
      assert.ok(result.ok, result.ok ? "" : result.message);
      if (!result.ok) return;
      const only = (kind: string) => ({ ...result.graph, resources: result.graph.resources.filter((r) => r.kind === "provider" || r.name.startsWith(`${name}--${kind}-`)) });
      assert.deepEqual((await runPolicies(only("pass"), {}, [rule])).violations, []);
      const failing = await runPolicies(only("fail"), {}, [rule]);
      assert.ok(failing.violations.every((v) => v.policy === name && v.enforcementLevel === "mandatory"), JSON.stringify(failing.violations));
      c.fail.forEach((f, i) => {
        const own = failing.violations.filter((v) => v.urn!.endsWith(`::${name}--fail-${i}`));
        assert.ok(own.some((v) => f.names.test(v.message)), `${name}--fail-${i} (${f.type}): expected a violation matching ${f.names}, got ${JSON.stringify(own.map((v) => v.message))}`);
      });
    });
  }

  it("actions without resource-level permissions stay allowed on \"*\" by every rule of the file", async () => {
    const result = await program;
    assert.ok(result.ok);
    if (!result.ok) return;
    const graph = { ...result.graph, resources: result.graph.resources.filter((r) => r.kind === "provider" || r.name === "no-star-resource-for-restrictable--pass-0") };
    const rules = policies.filter((p) => Object.keys(CASES).includes(p.name));
    assert.equal(rules.length, 5);
    assert.deepEqual((await runPolicies(graph, {}, rules)).violations, []);
  });

  describe("no-star-resource-for-restrictable: the inventory readers the pack config names", () => {
    const rule = policies.filter((p) => p.name === "no-star-resource-for-restrictable");
    const policy = (name: string, actions: string[]) => ({
      urn: `urn:pulumi:t::p::platform:vendor:Reader$aws:iam/policy:Policy::${name}`,
      type: "aws:iam/policy:Policy",
      name,
      kind: "custom",
      inputs: { policy: JSON.stringify({ Version: "2012-10-17", Statement: [{ Effect: "Allow", Action: actions, Resource: "*" }] }) },
      options: {},
    });
    const graph = (...resources: ReturnType<typeof policy>[]) => ({ project: "p", stack: "t", outputs: {}, resources }) as unknown as PlanGraph;
    const run = async (g: PlanGraph, readsEveryResource?: Record<string, string>) =>
      (await runPolicies(g, readsEveryResource ? { "no-star-resource-for-restrictable": { readsEveryResource } } : {}, rule)).violations.map((v) => v.message);
    const READER = { "*platform:vendor:Reader$aws:iam/policy:Policy::reader-*": "the vendor inventories the account" };

    it("spares a named reader's Read and List actions, and nobody else's", async () => {
      const reads = graph(policy("reader-1", ["dynamodb:DescribeTable", "rds:DescribeDBClusters", "logs:FilterLogEvents"]), policy("other", ["dynamodb:DescribeTable"]));
      assert.deepEqual(await run(reads, READER), [`policy allows actions that support resource-level permissions on "*" without a condition (dynamodb:DescribeTable); name the resources they are for`]);
      assert.equal((await run(reads)).length, 2, "without the config entry both are refused");
    });

    it("never spares a write, a credentials or an exfiltration action, even for a named reader", async () => {
      const g = graph(policy("reader-1", ["dynamodb:DescribeTable", "sns:Publish", "s3:GetObject", "secretsmanager:GetSecretValue"]));
      assert.deepEqual(await run(g, READER), [`policy allows actions that support resource-level permissions on "*" without a condition (sns:Publish, s3:GetObject, secretsmanager:GetSecretValue); name the resources they are for`]);
    });

    it("refuses a pattern without 4 literal characters, a blank reason and a stale entry", async () => {
      const g = graph(policy("reader-1", ["dynamodb:DescribeTable"]));
      assert.ok((await run(g, { "*": "everything" })).some((m) => /"\*": a pattern needs a literal run of 4\+ characters/.test(m)));
      assert.ok((await run(g, { "*-*-*": "everything" })).some((m) => /literal run of 4\+ characters/.test(m)));
      assert.ok((await run(g, { "*::reader-1": " " })).some((m) => /"\*::reader-1": give the reason \(it is blank\)/.test(m)));
      assert.deepEqual(await run(g, { ...READER, "*aws:iam/policy:Policy::gone": "removed since" }), [
        'stale exemption: pack config no-star-resource-for-restrictable.readsEveryResource "*aws:iam/policy:Policy::gone" matches no resource of the stack; remove it',
      ]);
      assert.deepEqual(await run(g, { "reader-1": "the name alone" }), [
        'stale exemption: pack config no-star-resource-for-restrictable.readsEveryResource "reader-1" matches no resource of the stack; remove it',
        `policy allows actions that support resource-level permissions on "*" without a condition (dynamodb:DescribeTable); name the resources they are for`,
      ], "a pattern is matched against the URN's type chain and name, not the name alone");
    });

    it("prod: Datadog's permission policies are the named readers, and are refused without the entry", async () => {
      const q = await stack("prod");
      const config = packConfigFor(path.resolve(__dirname, ".."), "prod");
      assert.deepEqual((await runPolicies(q.graph, config, rule)).violations, []);
      const refused = (await runPolicies(q.graph, { ...config, "no-star-resource-for-restrictable": {} }, rule)).violations.map((v) => v.urn!.split("::").pop()).sort();
      assert.deepEqual(refused, ["observability-datadog-permissions-1", "observability-datadog-permissions-2"]);
    });
  });
});
