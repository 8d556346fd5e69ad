import { strict as assert } from "assert";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { Claims, ownershipProblems } from "../config/ownership";
import { validateConfig } from "../config/validate";
import { loadStackConfig } from "../tools/plan/stackConfig";
import { committedStacks, stackProblems } from "../tools/ci/stacks";
import { costOfGraph } from "../tools/cost/report";
import { evaluateStack } from "../tools/plan/evaluate";
import { Evaluation } from "../tools/plan/graph";
import { PolicyConfigMissingError, packConfigFor, runPolicies, unsetEnvironments } from "../tools/plan/policy";
import { plan } from "./support/command";
import { early } from "./support/early";
import { STACKS, stack } from "./support/stacks";
import { sharedNames, vendorNames } from "./support/vendorNames";

const ROOT = path.resolve(__dirname, "..");

/**
 * A copy of the program with one stack added as a copy of staging, and its policy config (a copy
 * of staging's): what a user adding an environment commits, and nothing else.
 */
function withFourthStack(name: string, edit: (text: string) => string, editPolicy: (config: Record<string, unknown>) => Record<string, unknown> = (c) => c): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "fourth-stack-"));
  for (const entry of fs.readdirSync(ROOT)) {
    if ([".git", "node_modules", ".plan-cache"].includes(entry)) continue;
    fs.cpSync(path.join(ROOT, entry), path.join(dir, entry), { recursive: true, filter: (src) => !path.relative(ROOT, src).split(path.sep).includes("node_modules") });
  }
  fs.symlinkSync(path.join(ROOT, "node_modules"), path.join(dir, "node_modules"));
  const before = new Set(fs.readdirSync(dir));
  fs.writeFileSync(path.join(dir, `Pulumi.${name}.yaml`), edit(fs.readFileSync(path.join(ROOT, "Pulumi.staging.yaml"), "utf8")));
  const policyConfig = editPolicy(JSON.parse(fs.readFileSync(path.join(ROOT, "policy", "config", "staging.json"), "utf8")));
  fs.writeFileSync(path.join(dir, "policy", "config", `${name}.json`), JSON.stringify(policyConfig, null, 2) + "\n");
  assert.deepEqual([...fs.readdirSync(dir)].filter((f) => !before.has(f)), [`Pulumi.${name}.yaml`]);
  return dir;
}

/** Staging copied as `qa`: its name (the file's), its hosts, and the account owner flags turned off (it shares staging's account). */
const asQa = (text: string) =>
  text
    .replace(/staging\.example\.com/g, "qa.example.com")
    .replace("createOidcProvider: true", "createOidcProvider: false")
    .replace("awsIntegration: true", "awsIntegration: false");

/** Its policy config without the Datadog integration's exemption: the stack holds no integration, so the entry would be stale. */
const withoutDatadogReader = (config: Record<string, unknown>) => {
  const { "no-star-resource-for-restrictable": _reader, ...rest } = config;
  return rest;
};

const qaDir = withFourthStack("qa", asQa, withoutDatadogReader);
const qa = early(() => evaluateStack({ stack: "qa", projectDir: qaDir }));
// The same copy with the owner flags left as staging has them.
const claimingDir = withFourthStack("qa", (t) => t.replace(/staging\.example\.com/g, "qa.example.com"));
const claiming = early(() => evaluateStack({ stack: "qa", projectDir: claimingDir }));

function graphOf(result: Evaluation) {
  if (!result.ok) throw new Error(result.message);
  return result.graph;
}

describe("environments are data: stacks discovered, names their own, shared things owned once", () => {
  after(() => {
    for (const dir of [qaDir, claimingDir]) fs.rmSync(dir, { recursive: true, force: true });
  });

  it("finds the committed stacks dev, staging and prod, each with its policy config and no ownership clash", () => {
    assert.deepEqual(committedStacks().map((s) => s.name), ["dev", "staging", "prod"]);
    assert.deepEqual(stackProblems(), []);
  });

  it("no vendor-visible name (AWS, Cloudflare, Datadog, Opsgenie) appears in two committed stacks' graphs", async () => {
    for (const [i, a] of STACKS.entries()) {
      const names = vendorNames((await stack(a)).graph);
      assert.ok(names.size > 100, `${a}: only ${names.size} names found`);
      for (const b of STACKS.slice(i + 1)) assert.deepEqual(sharedNames((await stack(a)).graph, (await stack(b)).graph), [], `${a} and ${b}`);
    }
  });

  it("names Datadog monitors, SLOs and the dashboard after the stack, which the pairwise check would catch otherwise", async () => {
    const staging = (await stack("staging")).graph;
    const monitors = staging.resources.filter((r) => r.type === "datadog:index/monitor:Monitor");
    assert.ok(monitors.length > 50 && monitors.every((m) => String(m.inputs.name).startsWith("[staging] ")), "every monitor carries the stack");
    // Named after the environment, as before: staging with platform:environment prod shares prod's names.
    const byEnvironment = { ...staging, resources: staging.resources.map((r) => (typeof r.inputs.name === "string" ? { ...r, inputs: { ...r.inputs, name: r.inputs.name.replace("[staging]", "[prod]") } } : r)) };
    const shared = sharedNames(byEnvironment, (await stack("prod")).graph);
    assert.ok(shared.some((n) => n.startsWith("datadog:index/monitor:Monitor [prod] api:")), shared.join("\n"));
  });

  it("staging shares prod's zone but owns none of it: no zone settings, rulesets or bot management, only its records and load balancers", async () => {
    const staging = await stack("staging");
    const prod = await stack("prod");
    const zoneWide = ["cloudflare:index/zoneSetting:ZoneSetting", "cloudflare:index/ruleset:Ruleset", "cloudflare:index/botManagement:BotManagement"];
    for (const t of zoneWide) {
      assert.equal(staging.ofType(t).length, 0, t);
      assert.ok(prod.ofType(t).length > 0, t);
    }
    const records = staging.ofType("cloudflare:index/dnsRecord:DnsRecord");
    assert.ok(records.length > 0 && records.every((r) => r.inputs.zoneId === prod.ofType("cloudflare:index/dnsRecord:DnsRecord")[0].inputs.zoneId));
    assert.ok(records.every((r) => String(r.inputs.name).endsWith("staging.example.com")), records.map((r) => r.inputs.name).join(", "));
    const hosts = (JSON.parse(loadStackConfig(ROOT, "staging").config["platform:edge"]) as { hosts: string[] }).hosts;
    assert.deepEqual(staging.ofType("cloudflare:index/loadBalancer:LoadBalancer").map((r) => r.inputs.name).sort(), [...hosts].sort(), "a load balancer per host of the stack's config");
  });

  it("a fourth stack, a copy of staging with its name, hosts and owner flags changed, plans, passes policy and is priced with no other file changed", async () => {
    assert.deepEqual(committedStacks(qaDir).map((s) => s.name), ["dev", "qa", "staging", "prod"]);
    assert.deepEqual(stackProblems(qaDir), []);
    const graph = graphOf(await qa);
    assert.equal(graph.stack, "qa");
    const report = await runPolicies(graph, packConfigFor(qaDir, "qa"));
    assert.equal(report.mandatory, 0, JSON.stringify(report.violations.filter((v) => v.enforcementLevel === "mandatory"), null, 2));
    // Staging's config copied verbatim keeps the Datadog integration's exemption, which names nothing here: reported as stale.
    const verbatim = await runPolicies(graph, { ...packConfigFor(qaDir, "qa"), "no-star-resource-for-restrictable": packConfigFor(ROOT, "staging")["no-star-resource-for-restrictable"] });
    assert.deepEqual(verbatim.violations.map((v) => v.message.split(":")[0]), ["stale exemption"]);
    const cost = costOfGraph(graph);
    assert.ok(cost.byVendor.aws > 0 && cost.budgetUsd !== undefined && cost.byVendor.aws <= cost.budgetUsd, `${cost.byVendor.aws} of ${cost.budgetUsd}`);
    // It shares staging's account: the account's OIDC provider and Datadog integration stay staging's.
    assert.equal(graph.resources.filter((r) => r.type === "aws:iam/openIdConnectProvider:OpenIdConnectProvider" || r.type === "datadog:aws/integrationAccount:IntegrationAccount").length, 0);
    for (const s of STACKS) assert.deepEqual(sharedNames(graph, (await stack(s)).graph), [], `qa and ${s}`);
  });

  it("refuses that copy when it keeps staging's owner flags, naming each key and the stack that owns it, before registering anything", async () => {
    assert.equal(stackProblems(claimingDir).length, 4, stackProblems(claimingDir).join("\n"));
    const result = await claiming;
    assert.equal(result.ok, false);
    if (result.ok || result.kind !== "config") throw new Error(`expected a config rejection, got ${JSON.stringify(result).slice(0, 200)}`);
    assert.equal(result.registered, 0);
    assert.deepEqual(
      result.problems.map((p) => p.key),
      ["platform:ci.createOidcProvider", "platform:observability.datadog.awsIntegration"],
    );
    assert.match(result.problems[0].message, /^stack staging already owns the GitHub OIDC provider of AWS account 222222222222: exactly one stack may \(false trusts/);
  });

  it("refuses a stack without its policy config instead of running the pack with dev's strictness", () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "no-policy-"));
    assert.throws(() => packConfigFor(dir, "qa"), (err: Error) => err instanceof PolicyConfigMissingError && /Stack "qa" has no policy config: expected .*policy\/config\/qa\.json/.test(err.message));
    fs.copyFileSync(path.join(ROOT, "Pulumi.yaml"), path.join(dir, "Pulumi.yaml"));
    fs.copyFileSync(path.join(ROOT, "Pulumi.staging.yaml"), path.join(dir, "Pulumi.qa.yaml"));
    assert.deepEqual(stackProblems(dir), ['Pulumi.qa.yaml: no policy/config/qa.json (every stack has its own policy config; docs/environments.md)']);
  });

  it("refuses a stricter stack's policy config that leaves a prod-only rule to its default (dev, which turns it off), naming each", async () => {
    const full = packConfigFor(ROOT, "prod");
    assert.deepEqual(unsetEnvironments(full, "prod"), []);
    const { ["prod-resilience-settings"]: _dropped, ["prod-database-monitoring"]: _also, ...partial } = full;
    assert.deepEqual(unsetEnvironments(partial, "prod"), ["prod-database-monitoring", "prod-resilience-settings"]);
    assert.deepEqual(unsetEnvironments({}, "dev"), [], "a dev stack may leave every rule to its default");
    // dev in prod, or a misspelling, is no decision; disabling the rule outright is one.
    const wrong = { ...full, "prod-resilience-settings": { environment: "dev" }, "prod-database-monitoring": { environment: "Prod" }, "prod-backup-coverage": "disabled" as const };
    assert.deepEqual(unsetEnvironments(wrong, "prod"), ["prod-database-monitoring", "prod-resilience-settings"]);
    assert.deepEqual(unsetEnvironments({ ...full, "prod-resilience-settings": { environment: "staging" } }, "staging"), []);
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "partial-policy-"));
    fs.copyFileSync(path.join(ROOT, "Pulumi.yaml"), path.join(dir, "Pulumi.yaml"));
    fs.copyFileSync(path.join(ROOT, "Pulumi.staging.yaml"), path.join(dir, "Pulumi.qa.yaml"));
    fs.mkdirSync(path.join(dir, "policy", "config"), { recursive: true });
    fs.writeFileSync(path.join(dir, "policy", "config", "qa.json"), JSON.stringify(partial));
    assert.deepEqual(stackProblems(dir), [
      'policy/config/qa.json: prod-database-monitoring, prod-resilience-settings take "environment", and this staging stack\'s file leaves it unset or sets it to neither "prod" nor "staging"; ' +
        'the default (dev) turns a prod-only rule off. Set "environment": "prod" to apply it, or "staging" to decide it does not apply.',
    ]);
    const run = await plan(["--stack", "prod", "--policy-config", path.join(dir, "policy", "config", "qa.json")]);
    assert.equal(run.code, 2, run.stderr);
    assert.match(run.stderr, /qa\.json: prod-database-monitoring, prod-resilience-settings take "environment", and this prod stack's file leaves it unset or sets it to something other than "prod";.*Set "environment": "prod" for each\.\nNothing was created\./s);
    assert.doesNotMatch(run.stderr, /\n\s+at /, "no stack trace");
  });

  describe("config of a stack that shares a zone", () => {
    const problems = (edit: (c: Record<string, unknown>) => void) => {
      const config: Record<string, unknown> = { ...loadStackConfig(ROOT, "staging").config };
      edit(config);
      const result = validateConfig(Object.fromEntries(Object.entries(config).filter(([k]) => k.startsWith("platform:"))));
      return result.ok ? [] : result.problems.map((p) => `${p.key}: ${p.message}`);
    };
    const edge = () => JSON.parse(loadStackConfig(ROOT, "staging").config["platform:edge"]) as Record<string, unknown>;
    const dns = () => JSON.parse(loadStackConfig(ROOT, "staging").config["platform:dns"]) as Record<string, unknown>;

    it("accepts staging, and refuses zone-wide rules in a stack that does not own the zone, and none in one that does", () => {
      assert.deepEqual(problems(() => {}), []);
      const login = { name: "login", path: "/auth/login", requests: 5, periodSeconds: 60, mitigationTimeoutSeconds: 600 };
      assert.deepEqual(problems((c) => (c["platform:edge"] = JSON.stringify({ ...edge(), rateLimits: [login], waf: { customRules: [{ description: "x", expression: "(true)", action: "block" }] } }))), [
        "platform:edge.rateLimits: is set by the zone's owner: with platform:dns.ownsZone false this stack creates no rulesets, and the owner's limits cover its hosts",
        "platform:edge.waf.customRules: is set by the zone's owner: with platform:dns.ownsZone false this stack creates no rulesets, and the owner's rules cover its hosts",
      ]);
      // Owning the zone also claims staging.example.com is a zone, which Cloudflare refuses below Enterprise.
      assert.deepEqual(problems((c) => (c["platform:dns"] = JSON.stringify({ ...dns(), ownsZone: true }))), [
        "platform:edge.rateLimits: expected at least the login limit in the stack that owns the zone (platform:dns.ownsZone)",
        "platform:dns.domain: expected a registered domain as the zone: staging.example.com is a subdomain of example.com, and a subdomain zone needs Cloudflare's Subdomain Support (Enterprise; https://developers.cloudflare.com/dns/zone-setups/subdomain-setup/); platform:edge.plan is business. Give the stack a domain of its own (e.g. example-staging.com) or an Enterprise zone",
      ]);
    });

    it("requires the AWS account, as 12 digits", () => {
      assert.deepEqual(problems((c) => delete c["platform:awsAccountId"]), ['platform:awsAccountId: is required (the 12-digit AWS account the stack deploys into, quoted, e.g. "111111111111")']);
      assert.deepEqual(problems((c) => (c["platform:awsAccountId"] = "2222")), ['platform:awsAccountId: expected a 12-digit AWS account id, quoted (e.g. "111111111111")']);
    });
  });

  describe("ownership rules", () => {
    const claims = (stack: string, c: Partial<Claims>): Claims => ({ stack, ownsZone: true, oidcProvider: true, datadogIntegration: true, publish: false, ...c });

    it("one owner per zone, account singleton and repository's publishing; stacks elsewhere do not clash", () => {
      const prod = claims("prod", { zoneId: "z1", awsAccountId: "333333333333", repository: "o/r", publish: true });
      assert.deepEqual(ownershipProblems(claims("staging", { zoneId: "z1", ownsZone: false, awsAccountId: "222222222222", repository: "o/r" }), [prod]), []);
      const copy = ownershipProblems(claims("copy", { zoneId: "z1", awsAccountId: "333333333333", repository: "o/r", publish: true }), [prod]);
      assert.deepEqual(copy.map((p) => p.key), ["platform:dns.ownsZone", "platform:ci.createOidcProvider", "platform:observability.datadog.awsIntegration", "platform:ci.publish"]);
      assert.match(copy[0].message, /^stack prod already owns the zone-wide settings, rulesets and bot management of Cloudflare zone z1/);
      // A stack that does not say which account it is in cannot be compared, and its own file is not a rival.
      assert.deepEqual(ownershipProblems(claims("prod", { zoneId: "z2" }), [prod]), []);
    });
  });
});
