import { strict as assert } from "assert";
import * as fs from "fs";
import * as path from "path";
import { policies } from "../policy/rules";
import { evaluateStack } from "../tools/plan/evaluate";
import { runPolicies } from "../tools/plan/policy";
import { requiredInputs } from "../tools/providerScan";
import { early } from "./early";
import { DOCUMENT_CASES } from "./policyDocumentCases";

const ROOT = path.resolve(__dirname, "..");

/**
 * The document rules' cases (tests/policyDocumentCases.ts) as one small Pulumi program built with
 * the provider's own classes (a misspelt top-level input is dropped by the class, so its failing
 * case would pass and this test fail), evaluated by the same harness as `npm run plan`. Each
 * case's resource is named `<rule>--pass-<i>` or `<rule>--fail-<i>`; `{ $ref }` inputs become the
 * referenced resource's id, as a program's would.
 */
function fixtureProgram(): string {
  const dir = fs.mkdtempSync(path.join(ROOT, ".policy-documents-"));
  const cases = Object.entries(DOCUMENT_CASES).flatMap(([rule, c]) =>
    (["pass", "fail"] as const).flatMap((kind) =>
      c[kind].map((x, i) => ({
        name: `${rule}--${kind}-${i}`,
        type: x.type,
        ref: x.ref && `${rule}--${kind}/${x.ref}`,
        provider: x.provider,
        inputs: { ...Object.fromEntries(requiredInputs(x.type).map((k) => [k, "fixture"])), ...x.inputs },
        scope: `${rule}--${kind}`,
      })),
    ),
  );
  fs.writeFileSync(path.join(dir, "Pulumi.yaml"), "name: policy-documents\nruntime: nodejs\nconfig:\n  pulumi:disable-default-providers:\n    value: [\"*\"]\n");
  fs.writeFileSync(path.join(dir, "Pulumi.t.yaml"), "config: {}\n");
  fs.writeFileSync(path.join(dir, "cases.json"), JSON.stringify(cases));
  fs.writeFileSync(
    path.join(dir, "index.ts"),
    `import * as aws from "@pulumi/aws";
type Case = { name: string; type: string; ref?: string; scope: string; provider?: Record<string, unknown>; inputs: Record<string, unknown> };
const cases: Case[] = require("./cases.json");
const providerArgs = { region: "us-east-1" as aws.Region, defaultTags: { tags: { env: "dev", project: "fixtures", "managed-by": "pulumi" } } };
const provider = new aws.Provider("aws", providerArgs);
const made = new Map<string, Record<string, unknown>>();
const resolve = (v: unknown, scope: string): unknown =>
  Array.isArray(v) ? v.map((x) => resolve(x, scope))
  : v && typeof v === "object" ? ("$ref" in v ? made.get(scope + "/" + (v as { $ref: string }).$ref)![(v as { output?: string }).output ?? "id"] : Object.fromEntries(Object.entries(v).map(([k, x]) => [k, resolve(x, scope)])))
  : v;
for (const c of cases) {
  const [, mod, cls] = /^aws:([^/]+)\\/[^:]+:(.+)$/.exec(c.type)!;
  const Resource = (aws as unknown as Record<string, Record<string, new (n: string, a: unknown, o: unknown) => Record<string, unknown>>>)[mod][cls];
  const own = c.provider ? new aws.Provider(c.name + "-provider", { ...providerArgs, ...c.provider }) : provider;
  const r = new Resource(c.name, resolve(c.inputs, c.scope), { provider: own });
  if (c.ref) made.set(c.ref, r);
}
`,
  );
  return dir;
}

const program = early(async () => {
  const dir = fixtureProgram();
  try {
    return await evaluateStack({ projectDir: dir, stack: "t" });
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

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
