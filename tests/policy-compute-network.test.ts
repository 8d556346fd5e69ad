import { strict as assert } from "assert";
import * as path from "path";
import { policies } from "../policy/rules";
import { packConfigFor, runPolicies } from "../tools/plan/policy";
import { early } from "./support/early";
import { COMPUTE_NETWORK_CASES } from "./support/policyComputeNetworkCases";
import { evaluateFixtures } from "./support/policyFixtures";
import { stack } from "./support/stacks";

const PROJECT = path.resolve(__dirname, "..");

/**
 * The compute and network rules' cases (tests/support/policyComputeNetworkCases.ts) as one small
 * Pulumi program through the plan's harness: resources `<rule>--pass-<i>` and `<rule>--fail-<i>`,
 * `{ $ref }` inputs resolved to the referenced resource's id or output, as a program's would be.
 */
const program = early(() =>
  evaluateFixtures(
    "policy-compute-network",
    Object.entries(COMPUTE_NETWORK_CASES).flatMap(([rule, c]) =>
      (["pass", "fail"] as const).flatMap((kind) => c[kind].map((x, i) => ({ ...x, name: `${rule}--${kind}-${i}`, scope: `${rule}--${kind}` }))),
    ),
  ),
);

async function graph() {
  const result = await program;
  assert.ok(result.ok, result.ok ? "" : result.message);
  return result.ok ? result.graph : undefined!;
}
const only = (g: Awaited<ReturnType<typeof graph>>, prefix: string) => ({ ...g, resources: g.resources.filter((r) => r.kind === "provider" || r.name.startsWith(prefix)) });

describe("Policy pack: compute and network rules, each failing and passing in a program", function () {
  this.timeout(120000);

  for (const [name, c] of Object.entries(COMPUTE_NETWORK_CASES)) {
    it(`${name}: passes its ${c.pass.length} resource(s) and refuses exactly the ${(c.refused ?? c.fail).length} its failing case breaks`, async () => {
      const rule = policies.find((p) => p.name === name);
      assert.ok(rule, `${name} is not a rule of the pack`);
      const g = await graph();
      assert.deepEqual((await runPolicies(only(g, `${name}--pass-`), {}, [rule])).violations, []);
      const failing = await runPolicies(only(g, `${name}--fail-`), {}, [rule]);
      assert.ok(failing.violations.every((v) => v.policy === name && v.enforcementLevel === "mandatory"), JSON.stringify(failing.violations));
      const refused = [...new Set(failing.violations.map((v) => v.urn!.split("::").pop()))].sort();
      assert.deepEqual(refused, (c.refused ?? c.fail.map((_, i) => i)).map((i) => `${name}--fail-${i}`).sort());
    });
  }

  it("names the resource, the property and what was expected", async () => {
    const g = await graph();
    const messages = async (name: string) => (await runPolicies(only(g, `${name}--fail-`), {}, policies.filter((p) => p.name === name))).violations.map((v) => v.message);
    assert.ok((await messages("spans-availability-zones")).some((m) => /^Group spans-availability-zones--fail-2 spans 1 Availability Zone\(s\) \(availabilityZones \/ vpcZoneIdentifiers\): give it 2 or more/.test(m)));
    assert.ok((await messages("peering-routes-scoped")).some((m) => /Route peering-routes-scoped--fail-4 routes 10\.0\.0\.0\/8 to peering connection .*wider than the peered VPCs' blocks \(10\.30\.0\.0\/16, 10\.31\.0\.0\/16\)/.test(m)));
    assert.ok((await messages("asg-scaling-notifications")).some((m) => m.includes("EC2_INSTANCE_TERMINATE, autoscaling:EC2_INSTANCE_TERMINATE_ERROR")));
  });

  it("lambda-code-signing lets through only the functions the pack config's unsigned names by URN with a reason, and refuses stale or bare entries", async () => {
    const rule = policies.filter((p) => p.name === "lambda-code-signing");
    const unsigned = only(await graph(), "lambda-code-signing--fail-");
    const run = async (config: Record<string, unknown>) => (await runPolicies(unsigned, { "lambda-code-signing": config }, rule)).violations.map((v) => v.message);
    assert.deepEqual(await run({ unsigned: { "*aws:lambda/function:Function::lambda-code-signing--fail-*": "built unsigned on purpose" } }), []);
    assert.deepEqual(await run({ unsigned: { "*aws:lambda/function:Function::lambda-code-signing--fail-*": " " } }), [
      'pack config lambda-code-signing.unsigned "*aws:lambda/function:Function::lambda-code-signing--fail-*": give the reason (it is blank)',
      "function lambda-code-signing--fail-0: set codeSigningConfigArn (an aws.lambda.CodeSigningConfig with a signing profile) so only signed code deploys, or record the deviation in the pack config's lambda-code-signing.unsigned",
    ]);
    assert.ok((await run({ unsigned: { "*": "everything" } })).some((m) => /"\*": a pattern needs a literal run of 4\+ characters/.test(m)), "a bare * exempts nothing");
    assert.ok((await run({ unsigned: { "*": "everything" } })).some((m) => /^function lambda-code-signing--fail-0: set codeSigningConfigArn/.test(m)));
    // The name alone does not match: a pattern names the type chain too.
    assert.deepEqual((await run({ unsigned: { "lambda-code-signing--fail-*": "by name" } })).map((m) => m.split(":")[0]), ["stale exemption", "function lambda-code-signing--fail-0"]);
    assert.deepEqual(await run({ unsigned: { "*aws:lambda/function:Function::lambda-code-signing--fail-*": "built unsigned", "*aws:lambda/function:Function::gone-fn": "removed" } }), [
      'stale exemption: pack config lambda-code-signing.unsigned "*aws:lambda/function:Function::gone-fn" matches no resource of the stack; remove it',
    ]);
  });

  it("codebuild-managed-image: a blank custom-build-image reason is no reason", async () => {
    const rule = policies.filter((p) => p.name === "codebuild-managed-image");
    const g = await graph();
    const blank = { ...g, resources: g.resources.map((r) => (r.name === "codebuild-managed-image--pass-1" ? { ...r, inputs: { ...r.inputs, tags: { "custom-build-image": " " } } } : r)) };
    assert.deepEqual((await runPolicies(only(g, "codebuild-managed-image--pass-"), {}, rule)).violations, []);
    assert.equal((await runPolicies(only(blank, "codebuild-managed-image--pass-"), {}, rule)).violations.length, 1);
  });

  it("prod: the migration gates are unsigned by a recorded deviation, and refused without it", async () => {
    const q = await stack("prod");
    const rule = policies.filter((p) => p.name === "lambda-code-signing");
    const config = packConfigFor(PROJECT, "prod");
    assert.deepEqual((await runPolicies(q.graph, config, rule)).violations, []);
    const refused = (await runPolicies(q.graph, { ...config, "lambda-code-signing": { unsigned: {} } }, rule)).violations.map((v) => v.urn!.split("::").pop()).sort();
    assert.deepEqual(refused, ["compute-migrations-gate", "compute-secondary-migrations-gate"]);
    // Renamed away, the entry is stale: it is reported, not kept for whatever takes the name.
    const renamed = { ...q.graph, resources: q.graph.resources.filter((r) => r.type !== "aws:lambda/function:Function" || !r.name.endsWith("migrations-gate")) };
    assert.deepEqual((await runPolicies(renamed, config, rule)).violations.map((v) => v.message.split(":")[0]), ["stale exemption"]);
  });

  it("prod: the peering routes carry the other VPC's block only, and a broadened one is refused", async () => {
    const q = await stack("prod");
    const rule = policies.filter((p) => p.name === "peering-routes-scoped");
    assert.deepEqual((await runPolicies(q.graph, {}, rule)).violations, []);
    let broadened = 0;
    const resources = q.graph.resources.map((r) =>
      r.type === "aws:ec2/route:Route" && r.inputs.vpcPeeringConnectionId && broadened++ === 0 ? { ...r, inputs: { ...r.inputs, destinationCidrBlock: "10.0.0.0/8" } } : r,
    );
    const violations = (await runPolicies({ ...q.graph, resources }, {}, rule)).violations;
    assert.equal(broadened > 0 && violations.length, 1, JSON.stringify(violations));
  });
});
