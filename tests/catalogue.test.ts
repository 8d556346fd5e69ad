import { strict as assert } from "assert";
import * as path from "path";
import { AURORA_POSTGRESQL_CLASSES, CATALOGUE_DATE, ELASTICACHE_NODE_TYPES } from "../config/catalogue";
import { formatProblems, validateConfig } from "../config/validate";
import { evaluateStack } from "../tools/plan/evaluate";
import { loadStackConfig } from "../tools/plan/stackConfig";
import { early } from "./support/early";

const ROOT = path.resolve(__dirname, "..");

/** A committed stack's raw config with fields of object keys replaced. */
function variant(stack: "dev" | "prod", patch: Record<string, Record<string, unknown>>, extra: Record<string, unknown> = {}): Record<string, unknown> {
  const config: Record<string, unknown> = { ...loadStackConfig(ROOT, stack).config, ...extra };
  for (const [key, fields] of Object.entries(patch)) config[key] = JSON.stringify({ ...JSON.parse(String(config[key])), ...fields });
  return config;
}

function problems(config: Record<string, unknown>): { key: string; message: string }[] {
  const result = validateConfig(config);
  return result.ok ? [] : result.problems;
}

const longPath = `/${"a".repeat(130)}/*`;
const badPlan = early(() =>
  evaluateStack({
    stack: "prod",
    overrides: {
      "platform:redis": { ...JSON.parse(String(loadStackConfig(ROOT, "prod").config["platform:redis"])), nodeType: "cache.r7g.small" },
      "platform:aurora": { ...JSON.parse(String(loadStackConfig(ROOT, "prod").config["platform:aurora"])), instanceClass: "db.r6g.medium" },
    },
  }),
);

describe(`vendor catalogues (config/catalogue.ts, read ${CATALOGUE_DATE})`, () => {
  it("the committed stacks use catalogued values only", () => {
    for (const s of ["dev", "prod"] as const) assert.deepEqual(problems(loadStackConfig(ROOT, s).config), [], s);
  });

  it("refuses cache.r7g.small, db.r6g.medium and an unknown Aurora or Redis version, naming the key and the catalogue's nearest values", () => {
    const found = problems(variant("prod", { "platform:redis": { nodeType: "cache.r7g.small", engineVersion: "7.3" }, "platform:aurora": { instanceClass: "db.r6g.medium", engineVersion: "16.5" } }));
    assert.deepEqual(found.map((p) => p.key).sort(), ["platform:aurora.engineVersion", "platform:aurora.instanceClass", "platform:redis.engineVersion", "platform:redis.nodeType"]);
    const byKey = Object.fromEntries(found.map((p) => [p.key, p.message]));
    assert.match(byKey["platform:redis.nodeType"], /^expected an ElastiCache node type \(catalogue of 2026-12-01: cache\.r7g\.large, .*\), got "cache\.r7g\.small"; if AWS offers it since, set platform:catalogueOverrides\.redis\.nodeType to "cache\.r7g\.small"$/);
    assert.match(byKey["platform:aurora.instanceClass"], /got "db\.r6g\.medium"/);
    assert.match(byKey["platform:aurora.engineVersion"], /16\.4, 16\.6/);
  });

  it("refuses an ALB path pattern over 128 characters, naming the service's path", () => {
    const services = JSON.parse(String(loadStackConfig(ROOT, "dev").config["platform:services"]));
    services[0].paths = [longPath];
    const found = problems({ ...loadStackConfig(ROOT, "dev").config, "platform:services": JSON.stringify(services) });
    assert.deepEqual(found, [{ key: "platform:services[0].paths[0]", message: "expected at most 128 characters (an ALB rule's path pattern limit)" }]);
    services[0].paths = [`/${"a".repeat(125)}/*`];
    assert.deepEqual(problems({ ...loadStackConfig(ROOT, "dev").config, "platform:services": JSON.stringify(services) }), [], "128 characters is allowed");
  });

  it("accepts a value newer than the catalogue through the marked override, and refuses a stale or needless override", () => {
    const newer = { "platform:redis": { nodeType: "cache.r8g.large" } };
    assert.deepEqual(problems(variant("prod", newer)).map((p) => p.key), ["platform:redis.nodeType"]);
    assert.deepEqual(problems(variant("prod", newer, { "platform:catalogueOverrides": JSON.stringify({ "redis.nodeType": "cache.r8g.large" }) })), []);
    const stale = problems(variant("prod", { "platform:redis": { nodeType: "cache.r8g.xlarge" } }, { "platform:catalogueOverrides": JSON.stringify({ "redis.nodeType": "cache.r8g.large" }) }));
    assert.deepEqual(stale.map((p) => p.key).sort(), ["platform:catalogueOverrides.redis.nodeType", "platform:redis.nodeType"]);
    const needless = problems(variant("prod", {}, { "platform:catalogueOverrides": JSON.stringify({ "redis.nodeType": "cache.r7g.large" }) }));
    assert.deepEqual(needless, [{ key: "platform:catalogueOverrides.redis.nodeType", message: "is not needed: cache.r7g.large is in the catalogue; remove it" }]);
    assert.match(formatProblems(problems(variant("prod", {}, { "platform:catalogueOverrides": JSON.stringify({ "redis.nodetype": "x" }) }))), /platform:catalogueOverrides/);
  });

  it("the plan stops before creating anything (a config error, exit 1)", async () => {
    const result = await badPlan;
    assert.ok(!result.ok && result.kind === "config", result.ok ? "planned" : result.message);
    assert.equal(result.registered, 0);
    assert.deepEqual(result.problems.map((p) => p.key).sort(), ["platform:aurora.instanceClass", "platform:redis.nodeType"]);
  });

  it("lists are sane: no duplicates, every entry of its family's form", () => {
    for (const list of [AURORA_POSTGRESQL_CLASSES, ELASTICACHE_NODE_TYPES]) assert.equal(new Set(list).size, list.length);
    assert.ok(AURORA_POSTGRESQL_CLASSES.every((c) => /^db\.(serverless|[a-z0-9]+\.[a-z0-9]+)$/.test(c)));
    assert.ok(ELASTICACHE_NODE_TYPES.every((c) => /^cache\.[a-z0-9]+\.[a-z0-9]+$/.test(c)));
  });
});
