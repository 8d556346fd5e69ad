import { strict as assert } from "assert";
import { policies } from "../policy/rules";
import { runPolicies } from "../tools/plan/policy";
import { early } from "./support/early";
import { DOCUMENT_CASES } from "./support/policyDocumentCases";
import { evaluateFixtures } from "./support/policyFixtures";

/**
 * The document rules' cases (tests/policyDocumentCases.ts) as one small Pulumi program, evaluated
 * by the plan's harness (tests/policyFixtures.ts). Each case's resource is named `<rule>--pass-<i>`
 * or `<rule>--fail-<i>`; `{ $ref }` inputs become the referenced resource's id, as a program's would.
 */
const program = early(() =>
  evaluateFixtures(
    "policy-documents",
    Object.entries(DOCUMENT_CASES).flatMap(([rule, c]) =>
      (["pass", "fail"] as const).flatMap((kind) => c[kind].map((x, i) => ({ ...x, name: `${rule}--${kind}-${i}`, scope: `${rule}--${kind}` }))),
    ),
  ),
);

describe("Policy pack: the document rules, each failing and passing in a program", function () {
  this.timeout(120000);

  for (const [name, c] of Object.entries(DOCUMENT_CASES)) {
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
    });
  }
});
