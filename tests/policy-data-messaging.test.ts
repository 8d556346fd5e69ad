import { strict as assert } from "assert";
import { policies } from "../policy/rules";
import { SETTINGS_RULES, rowsOf } from "../policy/rules/settings";
import { rowFixtures, rowProblem } from "../policy/rules/settings/engine";
import { runPolicies } from "../tools/plan/policy";
import { early } from "./support/early";
import { DATA_MESSAGING_CASES } from "./support/policyDataMessagingCases";
import { evaluateFixtures } from "./support/policyFixtures";

/**
 * The data, messaging and secrets rules (policy/rules/dataMessaging.ts) as one small Pulumi
 * program through the plan's harness, each rule's passing and failing resources named
 * `<rule>--pass-<i>` / `<rule>--fail-<i>`, as tests/policy-documents.test.ts does.
 */
const program = early(() =>
  evaluateFixtures(
    "policy-data-messaging",
    Object.entries(DATA_MESSAGING_CASES).flatMap(([rule, c]) =>
      (["pass", "fail"] as const).flatMap((kind) => c[kind].map((x, i) => ({ ...x, name: `${rule}--${kind}-${i}`, scope: `${rule}--${kind}` }))),
    ),
  ),
);

describe("Policy pack: the data, messaging and secrets rules, each failing and passing in a program", function () {
  this.timeout(120000);

  for (const [name, c] of Object.entries(DATA_MESSAGING_CASES)) {
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
      const refused = [...new Set(failing.violations.map((v) => v.urn!.split("::").pop()))].sort();
      assert.deepEqual(refused, (c.refused ?? c.fail.map((_, i) => i)).map((i) => `${name}--fail-${i}`).sort());
      // Each message names the resource (or its property) and what was expected.
      for (const v of failing.violations) assert.match(v.message, /(topic|secret|cluster|domain) \S+|abortIncompleteMultipartUpload|checkpoint/);
    });
  }

  it("prod-neptune-multi-az does not apply outside prod", async () => {
    const result = await program;
    assert.ok(result.ok);
    if (!result.ok) return;
    const rule = policies.find((p) => p.name === "prod-neptune-multi-az")!;
    const failing = { ...result.graph, resources: result.graph.resources.filter((r) => r.kind === "provider" || r.name.startsWith("prod-neptune-multi-az--fail-")) };
    assert.deepEqual((await runPolicies(failing, {}, [rule])).violations, []);
  });
});

describe("Policy pack: a settings row conditional on a nested setting (API Gateway cache encryption)", () => {
  const row = rowsOf(SETTINGS_RULES["encryption-at-rest"]).find((r) => r.type === "aws:apigateway/methodSettings:MethodSettings")!;

  it("applies only where caching is on: CKV_AWS_308 and FSBP APIGateway.5", () => {
    assert.deepEqual(row.when, { "settings.cachingEnabled": true });
    assert.match(rowProblem(row, { settings: { cachingEnabled: true } }) ?? "", /settings\.cacheDataEncrypted must be true \(it is not set\)/);
    assert.match(rowProblem(row, { settings: { cachingEnabled: true, cacheDataEncrypted: false } }) ?? "", /must be true, not false/);
    assert.equal(rowProblem(row, { settings: { cachingEnabled: true, cacheDataEncrypted: true } }), undefined);
    // Caching off or unset: nothing is cached, so nothing needs encrypting.
    assert.equal(rowProblem(row, { settings: { cachingEnabled: false, cacheDataEncrypted: false } }), undefined);
    assert.equal(rowProblem(row, { settings: { loggingLevel: "ERROR" } }), undefined);
    assert.equal(rowProblem(row, {}), undefined);
  });

  it("builds its fixtures with the condition met, nested in the same settings object", () => {
    const { pass, fail } = rowFixtures([row]);
    assert.deepEqual(pass.map((p) => p.inputs), [{ settings: { cachingEnabled: true, cacheDataEncrypted: true } }]);
    assert.deepEqual(fail.map((f) => f.inputs), [{ settings: { cachingEnabled: true, cacheDataEncrypted: false } }]);
  });

  it("refuses a DataSync object-storage secret key in plain text (CKV_AWS_295), whatever its value", () => {
    const key = rowsOf(SETTINGS_RULES["identity-settings"]).find((r) => r.type === "aws:datasync/locationObjectStorage:LocationObjectStorage")!;
    assert.equal(rowProblem(key, { accessKey: "user" }), undefined);
    assert.match(rowProblem(key, { secretKey: "[secret]" }) ?? "", /secretKey must be unset/);
  });
});
