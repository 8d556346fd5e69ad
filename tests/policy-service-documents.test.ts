import { strict as assert } from "assert";
import { PolicyResource, ResourceValidationPolicy, StackValidationPolicy, unknownCheckingProxy } from "@pulumi/policy";
import { policies } from "../policy/rules";
import { PlanGraph } from "../tools/plan/graph";
import { runPolicies } from "../tools/plan/policy";
import { early } from "./support/early";
import { evaluateFixtures } from "./support/policyFixtures";
import { SERVICE_CASES } from "./support/serviceDocumentCases";

/**
 * The rules that read services' own documents and settings lists (policy/rules/serviceDocuments.ts,
 * serviceReferences.ts) on small Pulumi programs evaluated by the plan's harness: each passes its
 * compliant resources and refuses exactly the failing ones. Then the preview: the engine hands the
 * pack a value it does not know yet as @pulumi/policy's unknown sentinel, and the props behind a
 * proxy that throws when one is read; with the document (or reference) of a failing case unknown,
 * neither form may be refused or crash the rule.
 */
const UNKNOWN_VALUE = "04da6b54-80e4-46f7-96ec-b56ff0331ba9";
const program = early(() =>
  evaluateFixtures(
    "policy-service-documents",
    Object.entries(SERVICE_CASES).flatMap(([rule, c]) =>
      (["pass", "fail"] as const).flatMap((kind) => c[kind].map((x, i) => ({ ...x, name: `${rule}--${kind}-${i}`, scope: `${rule}--${kind}` }))),
    ),
  ),
);

async function graph(): Promise<PlanGraph> {
  const result = await program;
  assert.ok(result.ok, result.ok ? "" : result.message);
  return result.graph;
}
const only = (g: PlanGraph, prefix: string): PlanGraph => ({ ...g, resources: g.resources.filter((r) => r.kind === "provider" || r.name.startsWith(prefix)) });
const refusedNames = (violations: { urn?: string }[]) => [...new Set(violations.map((v) => v.urn!.split("::").pop()))].sort();

/** The failing cases with one input of one resource replaced by the unknown sentinel, as a preview would pass it. */
function withUnknown(g: PlanGraph, rule: string): { graph: PlanGraph; name: string } {
  const { index, input } = SERVICE_CASES[rule].unknown;
  const name = `${rule}--fail-${index}`;
  const resources = only(g, `${rule}--fail-`).resources.map((r) => (r.name === name ? { ...r, inputs: { ...r.inputs, [input]: UNKNOWN_VALUE } } : r));
  assert.ok(resources.some((r) => r.name === name), `${name} is not in the program`);
  return { graph: { ...g, resources }, name };
}

/** Runs a rule the way the engine does at preview: props behind @pulumi/policy's unknown-checking proxy. */
async function runProxied(rule: ResourceValidationPolicy | StackValidationPolicy, g: PlanGraph): Promise<string[]> {
  const urns: string[] = [];
  const report = (_message: string, urn?: string) => urns.push(urn ?? "(stack)");
  const resources = g.resources.filter((r) => r.kind !== "provider");
  const notApplicable = (): never => {
    throw new Error("not applicable");
  };
  const base = { stackTags: new Map(), getConfig: <T extends object>() => ({}) as T, notApplicable };
  if ("validateStack" in rule) {
    const policyResources = resources.map((r) => ({ type: r.type, name: r.name, urn: r.urn, props: unknownCheckingProxy({ ...r.inputs }), dependencies: [], propertyDependencies: {} }) as unknown as PolicyResource);
    await rule.validateStack({ ...base, resources: policyResources }, (m, urn) => report(m, urn));
  } else {
    for (const r of resources) {
      const args = { ...base, type: r.type, name: r.name, urn: r.urn, props: unknownCheckingProxy({ ...r.inputs }), opts: {}, isType: () => false, asType: () => undefined };
      for (const validate of [rule.validateResource ?? []].flat()) await validate(args as never, (m) => report(m, r.urn));
    }
  }
  return urns.map((u) => u.split("::").pop()!);
}

describe("Policy pack: rules over services' own documents and settings lists, each failing and passing in a program", function () {
  this.timeout(120000);

  for (const [name, c] of Object.entries(SERVICE_CASES)) {
    const rule = policies.find((p) => p.name === name)!;
    const refused = (c.refused ?? c.fail.map((_, i) => i)).map((i) => `${name}--fail-${i}`).sort();

    it(`${name}: passes its ${c.pass.length} compliant resource(s) and refuses exactly the ${refused.length} its failing case breaks`, async () => {
      assert.ok(rule, `${name} is not a rule of the pack`);
      const g = await graph();
      assert.deepEqual((await runPolicies(only(g, `${name}--pass-`), {}, [rule])).violations, []);
      const failing = await runPolicies(only(g, `${name}--fail-`), {}, [rule]);
      assert.ok(failing.violations.every((v) => v.policy === name && v.enforcementLevel === "mandatory"), JSON.stringify(failing.violations));
      assert.deepEqual(refusedNames(failing.violations), refused, JSON.stringify(failing.violations, null, 1));
    });

    it(`${name}: a failing case whose ${c.unknown.input} a preview does not know yet is not refused, as the sentinel or behind the engine's proxy`, async () => {
      const g = await graph();
      const { graph: previewed, name: unknownOne } = withUnknown(g, name);
      const others = refused.filter((n) => n !== unknownOne);
      assert.ok(refused.includes(unknownOne), `${unknownOne} must be a refused case, so that knowing its ${c.unknown.input} matters`);
      assert.deepEqual(refusedNames((await runPolicies(previewed, {}, [rule])).violations), others);
      assert.deepEqual([...new Set(await runProxied(rule as ResourceValidationPolicy | StackValidationPolicy, previewed))].sort(), others);
    });
  }

  it("the messages name the property and what was expected", async () => {
    const g = await graph();
    const messages = (await runPolicies(only(g, "emr-security-configuration--fail-"), {}, policies)).violations.filter((v) => v.policy === "emr-security-configuration").map((v) => v.message);
    assert.ok(messages.includes("configuration: EncryptionConfiguration.AtRestEncryptionConfiguration.S3EncryptionConfiguration.EncryptionMode must be \"SSE-KMS\""), messages.join("\n"));
    assert.ok(messages.some((m) => m.startsWith("configuration is not valid JSON")), messages.join("\n"));
    const pg = (await runPolicies(only(g, "postgres-query-logging--fail-"), {}, policies)).violations.filter((v) => v.policy === "postgres-query-logging").map((v) => v.message);
    assert.ok(pg.some((m) => /log_statement must be "ddl" \(or "mod", "all"\), not "none"/.test(m)), pg.join("\n"));
    assert.ok(pg.some((m) => /dbClusterParameterGroupName is not set/.test(m)), pg.join("\n"));
  });
});
