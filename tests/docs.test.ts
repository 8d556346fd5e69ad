import { strict as assert } from "assert";
import * as fs from "fs";
import * as path from "path";
import { z } from "zod";
import { sections } from "../config/schema";
import { CONFIG_DOC } from "../tools/configDocs";
import { POLICY_DOC, policyTable, withTable } from "../tools/plan/policyDocs";

const README = fs.readFileSync(path.resolve(__dirname, "..", "README.md"), "utf8");

/** Every key a stack file may set, with the fields of object-valued keys. */
function documentedKeys(): string[] {
  const keys: string[] = [];
  for (const [name, schema] of Object.entries(sections)) {
    keys.push(`platform:${name}`);
    const inner = unwrap(schema);
    if (inner instanceof z.ZodObject) for (const field of Object.keys(inner.shape)) keys.push(`platform:${name}.${field}`);
    // Lists of entries (services, queues, schedules): each field of an entry, as `platform:x[].field`.
    if (inner instanceof z.ZodArray) {
      const entry = unwrap(inner.element as z.ZodType);
      if (entry instanceof z.ZodObject) for (const field of Object.keys(entry.shape)) keys.push(`platform:${name}[].${field}`);
    }
  }
  return keys;
}

function unwrap(schema: z.ZodType): z.ZodType {
  let inner = schema;
  while (inner instanceof z.ZodDefault || inner instanceof z.ZodOptional) inner = (inner as z.ZodOptional).unwrap() as z.ZodType;
  return inner;
}

describe("README and the generated docs", () => {
  it("docs/configuration.md documents every config key the program accepts", () => {
    const doc = fs.readFileSync(CONFIG_DOC, "utf8");
    const missing = documentedKeys().filter((k) => !doc.includes(`| \`${k}\` |`));
    assert.deepEqual(missing, [], `run npm run config:docs: ${missing.join(", ")}`);
  });

  it("docs/policy.md lists every policy rule exactly as the pack defines it (npm run policy:docs)", () => {
    const doc = fs.readFileSync(POLICY_DOC, "utf8");
    assert.ok(doc.includes(policyTable()), "docs/policy.md's policy table is stale: run npm run policy:docs");
    // The check can fail: a page whose table lacks a rule is caught.
    assert.ok(!withTable(doc).replace(/^\| `kms-key-rotation`.*\n/m, "").includes(policyTable()));
  });

  it("shows the two commands and stays a front door (at most 250 lines)", () => {
    assert.ok(README.includes("npm ci && npm run plan"));
    assert.ok(README.includes("npm ci && npm test"));
    assert.ok(README.split("\n").length <= 250, `README.md has ${README.split("\n").length} lines`);
  });
});
