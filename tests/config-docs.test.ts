import { strict as assert } from "assert";
import * as fs from "fs";
import { CONFIG_DOC, configReference, configRows } from "../tools/configDocs";

describe("docs/configuration.md (generated from the config schema)", () => {
  const committed = fs.readFileSync(CONFIG_DOC, "utf8");

  it("is what `npm run config:docs` writes today", () => {
    assert.equal(committed, configReference(), "docs/configuration.md is stale: run npm run config:docs");
  });

  it("has a row for every key and field, with the schema's limits, defaults and doc comments", () => {
    const keys = configRows().map((r) => r.key);
    for (const key of ["platform:network.azCount", "platform:services[].port", "platform:standby.services.<name>.failoverMinTasks", "platform:observability"]) assert.ok(keys.includes(key), key);
    const row = (key: string) => committed.split("\n").find((l) => l.startsWith(`| \`${key}\` |`)) ?? "";
    assert.match(row("platform:network.azCount"), /\| integer 2–6 \| yes \|.*Availability zones/);
    assert.match(row("platform:standby.minTasks"), /\| `1` \| Tasks each service keeps running/, "default and doc");
    const columns = committed.split("\n").find((l) => l.startsWith("| key |"))!.split("|").map((c) => c.trim());
    const value = (key: string, stack: string) => row(key).split("|").map((c) => c.trim())[columns.indexOf(stack)];
    assert.deepEqual([value("platform:protect", "dev"), value("platform:protect", "prod")], ["`false`", "`true`"], "each stack's own value");
    // The check can fail: a file missing one row is not what the generator writes.
    assert.notEqual(committed.replace(/^\| `platform:network.azCount`.*\n/m, ""), configReference());
  });

  it("documents every key and field: the doc comment beside its zod schema, followed through spreads and shared constants", () => {
    const rows = configRows();
    assert.deepEqual(rows.filter((r) => !r.doc.trim()).map((r) => r.key), []);
    // Fields spread in from a shared constant keep its docs; a shared schema's fields keep theirs.
    const doc = (key: string) => rows.find((r) => r.key === key)?.doc ?? "";
    assert.match(doc("platform:queues[].processor.sendsTo"), /QUEUE_<NAME>_URL/);
    assert.match(doc("platform:services[].scaling.maxTasks"), /at least minTasks/);
    // A default's object literal (`.default({ accessLogRetentionDays: 90 })`) does not hide the field's own doc.
    assert.match(doc("platform:storage.accessLogRetentionDays"), /ALB access logs/);
  });
});
