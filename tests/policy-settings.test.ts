import { strict as assert } from "assert";
import { SETTINGS_RULES, rowsOf } from "../policy/rules/settings";
import { includes, rowFixtures, rowProblem } from "../policy/rules/settings/engine";
import { runPolicies } from "../tools/plan/policy";
import { typesWith } from "../tools/lib/providerScan";
import { early } from "./support/early";
import { evaluateFixtures } from "./support/policyFixtures";
import { stack } from "./support/stacks";

const RULES = Object.values(SETTINGS_RULES);

/**
 * Every row of every settings rule, as a small Pulumi program (tests/policyFixtures.ts): a
 * compliant resource per type and one resource per row that breaks it, built with the provider's
 * own classes (so a wrong property name cannot hide in a hand-written fixture) and evaluated by the
 * same harness as `npm run plan`.
 */
const program = early(() =>
  evaluateFixtures(
    "policy-fixtures",
    RULES.flatMap((rule) => {
      const { pass, fail } = rowFixtures(rowsOf(rule));
      return [...pass.map((f, i) => ({ ...f, name: `${rule.name}--pass-${i}` })), ...fail.map((f, i) => ({ type: f.type, inputs: f.inputs, name: `${rule.name}--fail-${i}` }))];
    }),
  ),
);

describe("Policy pack: the settings rules, each row failing and passing in a program", function () {
  this.timeout(120000);

  for (const rule of RULES) {
    it(`${rule.name}: exactly the resources that break a row are refused (${rowsOf(rule).length} rows, ${new Set(rowsOf(rule).map((r) => r.type)).size} types)`, async () => {
      const result = await program;
      assert.ok(result.ok, result.ok ? "" : result.message);
      if (!result.ok) return;
      const mine = { ...result.graph, resources: result.graph.resources.filter((r) => r.kind === "provider" || r.name.startsWith(`${rule.name}--`)) };
      const report = await runPolicies(mine, { [rule.name]: { environment: "prod" } }, [rule]);
      const refused = [...new Set(report.violations.map((v) => v.urn!.split("::").pop()))].sort();
      const expected = mine.resources.filter((r) => r.name.includes("--fail-")).map((r) => r.name).sort();
      assert.deepEqual(refused, expected);
    });
  }

  it("judges an `includes` row on a [] path across the list's entries (one log type per entry, as OpenSearch takes them)", () => {
    const row = { type: "aws:opensearch/domain:Domain", path: "logPublishingOptions[].logType", expect: includes("AUDIT_LOGS", "ES_APPLICATION_LOGS") };
    const entries = (...types: string[]) => ({ logPublishingOptions: types.map((logType) => ({ logType, cloudwatchLogGroupArn: "arn:aws:logs:us-east-1:1:log-group:x", enabled: true })) });
    assert.equal(rowProblem(row, entries("ES_APPLICATION_LOGS", "AUDIT_LOGS", "SEARCH_SLOW_LOGS")), undefined);
    assert.equal(rowProblem(row, entries("ES_APPLICATION_LOGS")), 'logPublishingOptions[].logType must include "AUDIT_LOGS"');
    assert.equal(rowProblem(row, {}), 'logPublishingOptions[].logType must include "AUDIT_LOGS", "ES_APPLICATION_LOGS"');
  });

  it("refuses an absent or empty list where a row says nonEmpty (Container Insights off by default)", () => {
    const row = rowsOf(SETTINGS_RULES["logging-settings"]).find((r) => r.type === "aws:ecs/cluster:Cluster" && r.path === "settings[].value")!;
    assert.equal(row.nonEmpty, true);
    assert.match(rowProblem(row, {}) ?? "", /none is set/);
    assert.match(rowProblem(row, { settings: [] }) ?? "", /none is set/);
    assert.equal(rowProblem(row, { settings: [{ name: "containerInsights", value: "enhanced" }] }), undefined);
  });

  it("each category refuses at least one type the platform never creates", async () => {
    const used = new Set([...(await stack("dev")).resources, ...(await stack("prod")).resources].map((r) => r.type));
    for (const rule of RULES) {
      const unused = [...new Set(rowsOf(rule).map((r) => r.type))].filter((t) => !used.has(t));
      assert.ok(unused.length > 0, `${rule.name} covers only types the platform uses`);
    }
  });
});

/**
 * Every resource type of the pinned provider that takes one of these inputs is covered by the
 * rule that judges it, or listed here as out of scope with why. A provider upgrade that adds a
 * type with the setting fails this test until the type gets its row.
 */
const SCOPE: { property: string; rule: keyof typeof SETTINGS_RULES; outOfScope?: Record<string, string> }[] = [
  { property: "storageEncrypted", rule: "encryption-at-rest" },
  { property: "encrypted", rule: "encryption-at-rest" },
  { property: "encryptAtRest", rule: "encryption-at-rest" },
  { property: "atRestEncryptionEnabled", rule: "encryption-at-rest" },
  { property: "transitEncryptionEnabled", rule: "encryption-in-transit" },
  { property: "sslPolicy", rule: "encryption-in-transit" },
  { property: "viewerCertificate", rule: "encryption-in-transit" },
  { property: "publiclyAccessible", rule: "exposure-settings" },
  { property: "associatePublicIpAddress", rule: "exposure-settings" },
  { property: "mapPublicIpOnLaunch", rule: "exposure-settings" },
  { property: "metadataOptions", rule: "compute-hygiene" },
  { property: "dropInvalidHeaderFields", rule: "load-balancer-hygiene" },
  { property: "enableDeletionProtection", rule: "prod-lb-deletion-protection" },
  { property: "iamDatabaseAuthenticationEnabled", rule: "identity-settings" },
  { property: "enabledCloudwatchLogsExports", rule: "logging-settings" },
  { property: "pointInTimeRecovery", rule: "resilience-settings" },
  {
    property: "backupRetentionPeriod",
    rule: "resilience-settings",
    outOfScope: { "aws:rds/cluster:Cluster": "Aurora keeps a day at least; prod-aurora-backup-retention requires 14 in prod" },
  },
  {
    property: "copyTagsToSnapshot",
    rule: "resilience-settings",
    outOfScope: {
      "aws:rds/clusterInstance:ClusterInstance": "Aurora snapshots the cluster, whose copyTagsToSnapshot has a row",
      "aws:docdb/clusterInstance:ClusterInstance": "DocumentDB snapshots the cluster",
    },
  },
  { property: "snapshotRetentionLimit", rule: "prod-resilience-settings" },
  {
    property: "deletionProtection",
    rule: "prod-resilience-settings",
    outOfScope: { "aws:rds/cluster:Cluster": "prod-aurora-deletion-protection", "aws:rds/globalCluster:GlobalCluster": "prod-aurora-deletion-protection" },
  },
  {
    property: "deletionProtectionEnabled",
    rule: "prod-resilience-settings",
    outOfScope: {
      "aws:cloudwatch/logGroup:LogGroup": "log groups expire by retention (log-group-retention); Pulumi protect guards the few that matter",
      "aws:pinpoint/smsvoicev2PhoneNumber:Smsvoicev2PhoneNumber": "phone numbers and sender ids hold no data",
      "aws:pinpoint/smsvoicev2Pool:Smsvoicev2Pool": "phone numbers and sender ids hold no data",
      "aws:pinpoint/smsvoicev2SenderId:Smsvoicev2SenderId": "phone numbers and sender ids hold no data",
    },
  },
  {
    property: "monitoringInterval",
    rule: "prod-database-monitoring",
    outOfScope: { "aws:rds/cluster:Cluster": "set per instance for Aurora (the rows are on its instances); cluster-level only for Multi-AZ DB clusters" },
  },
];

describe("Policy pack: the settings rules cover every type of the pinned @pulumi/aws that carries the setting", () => {
  for (const { property, rule, outOfScope = {} } of SCOPE) {
    it(`${property}: every type that takes it is in ${rule}`, () => {
      const covered = new Set(rowsOf(SETTINGS_RULES[rule]).map((r) => r.type));
      const types = typesWith(property);
      assert.ok(types.length > 0, `no type takes ${property}: has the provider changed?`);
      assert.deepEqual(types.filter((t) => !covered.has(t) && !outOfScope[t]), []);
    });
  }

  it("fails when a type that takes the setting has no row", () => {
    const covered = new Set(rowsOf(SETTINGS_RULES["encryption-at-rest"]).map((r) => r.type).filter((t) => t !== "aws:efs/fileSystem:FileSystem"));
    assert.deepEqual(typesWith("encrypted").filter((t) => !covered.has(t)), ["aws:efs/fileSystem:FileSystem"]);
  });
});

describe("Policy pack: a settings row's exemption tag needs a reason", () => {
  const row = { type: "aws:cloudwatch/metricAlarm:MetricAlarm", path: "actionsEnabled", expect: { kind: "is" as const, value: true }, exemptTag: "alarm-actions-off" };
  it("a tag with text exempts; a blank or missing one does not", () => {
    assert.equal(rowProblem(row, { actionsEnabled: false, tags: { "alarm-actions-off": "a drill alarm" } }), undefined);
    assert.match(rowProblem(row, { actionsEnabled: false, tags: { "alarm-actions-off": " " } }) ?? "", /actionsEnabled must be true/);
    assert.match(rowProblem(row, { actionsEnabled: false }) ?? "", /actionsEnabled must be true/);
  });
});
