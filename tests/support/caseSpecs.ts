import { strict as assert } from "assert";
import { policies } from "../../policy/rules";
import { runPolicies } from "../../tools/plan/policy";
import { early } from "./early";
import { DocCase } from "./policyDocumentCases";
import { evaluateFixtures } from "./policyFixtures";

/** Rule name → its passing and failing resources; `refused` (by index) when only some failing ones are reported. */
export type RuleCases = Record<string, { pass: DocCase[]; fail: DocCase[]; refused?: number[] }>;

/**
 * One `it` per rule: its cases as one small Pulumi program (tests/support/policyFixtures.ts),
 * evaluated by the plan's harness, each resource named `<rule>--pass-<i>` or `<rule>--fail-<i>`
 * (`{ $ref }` inputs become the referenced resource's id, as a program's would). The passing
 * resources draw no violation; the failing ones draw only the rule's, mandatory, on exactly the
 * resources `refused` names (every one when absent). `message` (optional) must match each message.
 * Returns the evaluation, for further tests of the same program.
 */
export function ruleCaseSpecs(prefix: string, cases: RuleCases, message?: RegExp) {
  const program = early(() =>
    evaluateFixtures(
      prefix,
      Object.entries(cases).flatMap(([rule, c]) => (["pass", "fail"] as const).flatMap((kind) => c[kind].map((x, i) => ({ ...x, name: `${rule}--${kind}-${i}`, scope: `${rule}--${kind}` })))),
    ),
  );
  for (const [name, c] of Object.entries(cases)) {
    const rule = policies.find((p) => p.name === name)!;
    it(`${name}: passes its ${c.pass.length} compliant resource(s) and refuses exactly the ${(c.refused ?? c.fail).length} its failing case breaks`, async () => {
      assert.ok(rule, `${name} is not a rule of the pack`);
      const result = await program;
      assert.ok(result.ok, result.ok ? "" : result.message);
      if (!result.ok) return;
      const only = (kind: string) => ({ ...result.graph, resources: result.graph.resources.filter((r) => r.kind === "provider" || r.name.startsWith(`${name}--${kind}-`)) });
      const config = name.startsWith("prod-") ? { [name]: { environment: "prod" } } : {};
      assert.deepEqual((await runPolicies(only("pass"), config, [rule])).violations, []);
      const failing = await runPolicies(only("fail"), config, [rule]);
      assert.ok(failing.violations.every((v) => v.policy === name && v.enforcementLevel === "mandatory"), JSON.stringify(failing.violations));
      // Every failing resource is refused, or for stack rules the ones `refused` names (the others are context).
      const refused = [...new Set(failing.violations.map((v) => v.urn!.split("::").pop()))].sort();
      assert.deepEqual(refused, (c.refused ?? c.fail.map((_, i) => i)).map((i) => `${name}--fail-${i}`).sort());
      if (message) for (const v of failing.violations) assert.match(v.message, message);
    });
  }
  return program;
}
