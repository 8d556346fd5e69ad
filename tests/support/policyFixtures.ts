import * as fs from "fs";
import * as path from "path";
import { evaluateStack } from "../../tools/plan/evaluate";
import { requiredInputs } from "../../tools/lib/providerScan";

const ROOT = path.resolve(__dirname, "..", "..");

/**
 * One resource of a fixture program. `ref` names it for `{ $ref, output? }` inputs of later
 * resources in the same `scope` (they become its id, or the named output, as a program's would);
 * `provider` adds inputs to its own AWS provider (credentials, say).
 */
export interface FixtureResource {
  name: string;
  type: string;
  inputs: Record<string, unknown>;
  ref?: string;
  scope?: string;
  provider?: Record<string, unknown>;
}

/**
 * The resources as a small Pulumi program built with the provider's own classes (a misspelt
 * top-level input is dropped by the class, so a failing case that relies on it would pass and its
 * test fail), every required input filled, evaluated by the same harness as `npm run plan`.
 */
export async function evaluateFixtures(prefix: string, resources: FixtureResource[]) {
  const dir = fs.mkdtempSync(path.join(ROOT, `.${prefix}-`));
  const cases = resources.map((r) => ({ ...r, inputs: { ...Object.fromEntries(requiredInputs(r.type).map((k) => [k, "fixture"])), ...r.inputs } }));
  fs.writeFileSync(path.join(dir, "Pulumi.yaml"), `name: ${prefix}\nruntime: nodejs\nconfig:\n  pulumi:disable-default-providers:\n    value: ["*"]\n`);
  fs.writeFileSync(path.join(dir, "Pulumi.t.yaml"), "config: {}\n");
  fs.writeFileSync(path.join(dir, "cases.json"), JSON.stringify(cases));
  fs.writeFileSync(
    path.join(dir, "index.ts"),
    `import * as aws from "@pulumi/aws";
type Case = { name: string; type: string; ref?: string; scope?: string; provider?: Record<string, unknown>; inputs: Record<string, unknown> };
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
  const r = new Resource(c.name, resolve(c.inputs, c.scope ?? ""), { provider: own });
  if (c.ref) made.set((c.scope ?? "") + "/" + c.ref, r);
}
`,
  );
  try {
    return await evaluateStack({ projectDir: dir, stack: "t" });
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}
