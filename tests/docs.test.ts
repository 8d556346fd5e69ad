import { strict as assert } from "assert";
import * as fs from "fs";
import * as path from "path";
import { z } from "zod";
import { sections } from "../config/schema";
import { policyTable, withTable } from "../tools/plan/policyDocs";

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

describe("README", () => {
  it("documents every config key the program accepts", () => {
    const missing = documentedKeys().filter((k) => !README.includes(`\`${k}`));
    assert.deepEqual(missing, [], `add these to the README's configuration table: ${missing.join(", ")}`);
  });

  it("lists every policy rule exactly as the pack defines it (npm run policy:docs)", () => {
    assert.ok(README.includes(policyTable()), "the README's policy table is stale: run npm run policy:docs");
    // The check can fail: a README whose table lacks a rule is caught.
    assert.ok(!withTable(README).replace(/^\| `kms-key-rotation`.*\n/m, "").includes(policyTable()));
  });

  it("shows the two commands", () => {
    assert.ok(README.includes("npm ci && npm run plan"));
    assert.ok(README.includes("npm ci && npm test"));
  });
});
