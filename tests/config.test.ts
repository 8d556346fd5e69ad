import { strict as assert } from "assert";
import * as path from "path";
import { formatProblems, validateConfig } from "../config/validate";
import { loadStackConfig } from "../tools/plan/stackConfig";

const ROOT = path.resolve(__dirname, "..");

/** The committed stack's raw config, as Pulumi would hand it to the program. */
function raw(stack: "dev" | "prod"): Record<string, unknown> {
  return loadStackConfig(ROOT, stack).config;
}

/** A committed stack with some keys replaced (objects patched one level deep). */
function variant(stack: "dev" | "prod", patch: Record<string, unknown>, objectPatch: Record<string, Record<string, unknown>> = {}) {
  const config: Record<string, unknown> = { ...raw(stack), ...patch };
  for (const [key, fields] of Object.entries(objectPatch)) {
    config[key] = { ...JSON.parse(String(config[key])), ...fields };
  }
  return config;
}

/** Asserts the config is rejected with a problem on `key` whose message matches `message`. */
function rejects(config: Record<string, unknown>, key: string, message: RegExp) {
  const result = validateConfig(config);
  assert.equal(result.ok, false, `expected a rejection on ${key}`);
  if (result.ok) return;
  const hit = result.problems.find((p) => p.key === key && message.test(p.message));
  assert.ok(hit, `no problem on ${key} matching ${message}; got:\n${formatProblems(result.problems)}`);
}

describe("stack config validation", () => {
  it("accepts the committed dev and prod stacks", () => {
    for (const s of ["dev", "prod"] as const) {
      const result = validateConfig(raw(s));
      assert.ok(result.ok, result.ok ? "" : formatProblems(result.problems));
    }
  });

  it("types the values: strings from Pulumi become numbers and booleans", () => {
    const result = validateConfig(raw("prod"));
    assert.ok(result.ok);
    assert.equal(result.config.protect, true);
    assert.equal(result.config.network.azCount, 3);
    assert.equal(result.config.secondaryRegion, "us-west-2");
  });

  describe("network.cidr", () => {
    it("rejects text that is not a CIDR block", () =>
      rejects(variant("dev", {}, { "platform:network": { cidr: "10.20.0/16" } }), "platform:network.cidr", /expected an IPv4 CIDR block/));
    it("rejects a block with host bits set", () =>
      rejects(variant("dev", {}, { "platform:network": { cidr: "10.20.1.0/16" } }), "platform:network.cidr", /expected an IPv4 CIDR block/));
    it("rejects a public range", () =>
      rejects(variant("dev", {}, { "platform:network": { cidr: "52.10.0.0/16" } }), "platform:network.cidr", /expected a private range/));
    it("rejects a block too small for three tiers", () =>
      rejects(variant("dev", {}, { "platform:network": { cidr: "10.20.0.0/24" } }), "platform:network.cidr", /prefix length from \/16 to \/20/));
  });

  describe("network.azCount", () => {
    it("rejects 1 and 7", () => {
      rejects(variant("dev", {}, { "platform:network": { azCount: 1 } }), "platform:network.azCount", /from 2 to 6/);
      rejects(variant("dev", {}, { "platform:network": { azCount: 7 } }), "platform:network.azCount", /from 2 to 6/);
    });
    it("requires 3 or more in prod", () =>
      rejects(variant("prod", {}, { "platform:network": { azCount: 2 } }), "platform:network.azCount", /3 or more in prod/));
  });

  describe("regions", () => {
    it("rejects a misspelled region name", () =>
      rejects(variant("prod", { "platform:secondaryRegion": "us-west2" }), "platform:secondaryRegion", /expected an AWS region name/));
    it("rejects the primary region as the secondary", () =>
      rejects(variant("prod", { "platform:secondaryRegion": "us-east-1" }), "platform:secondaryRegion", /different from platform:region/));
    it("requires a secondary region in prod", () =>
      rejects(variant("prod", { "platform:secondaryRegion": undefined }), "platform:secondaryRegion", /required in prod/));
    it("requires a secondary VPC block that does not overlap the primary", () => {
      rejects(variant("prod", {}, { "platform:network": { secondaryCidr: undefined } }), "platform:network.secondaryCidr", /is required when platform:secondaryRegion/);
      rejects(variant("prod", {}, { "platform:network": { secondaryCidr: "10.30.128.0/20" } }), "platform:network.secondaryCidr", /does not overlap/);
    });
  });

  it("rejects an unknown environment", () =>
    rejects(variant("dev", { "platform:environment": "qa" }), "platform:environment", /expected one of "dev", "staging", "prod", got "qa"/));

  it("rejects a misspelled top-level key and suggests the right one", () =>
    rejects(variant("dev", { "platform:netwrok": "{}" }), "platform:netwrok", /unknown key.*did you mean "network"/));

  it("rejects a misspelled nested key and suggests the right one", () =>
    rejects(variant("dev", {}, { "platform:network": { natGateway: "single" } }), "platform:network.natGateway", /unknown key.*did you mean "natGateways"/));

  it("names a missing required key and what it is for", () =>
    rejects(variant("dev", { "platform:region": undefined }), "platform:region", /is required \(primary AWS region/));

  it("rejects JSON that does not parse", () => rejects(variant("dev", { "platform:network": "{cidr:" }), "platform:network", /expected valid JSON/));

  it("requires one NAT per AZ and protection in prod", () => {
    rejects(variant("prod", {}, { "platform:network": { natGateways: "single" } }), "platform:network.natGateways", /"perAz" in prod/);
    rejects(variant("prod", { "platform:protect": "false" }), "platform:protect", /expected true in prod/);
  });

  it("rejects duplicate service names", () =>
    rejects(
      variant("dev", { "platform:services": JSON.stringify([{ name: "api", port: 8080 }, { name: "api", port: 8081 }]) }),
      "platform:services[1].name",
      /unique service name/,
    ));

  it("rejects a value of the wrong type, saying what it got", () =>
    rejects(variant("dev", { "platform:protect": "yes" }), "platform:protect", /expected boolean, got "yes"/));

  it("reports every problem at once", () => {
    const result = validateConfig(
      variant(
        "prod",
        { "platform:netwrok": "{}", "platform:secondaryRegion": "mars-1" },
        { "platform:network": { cidr: "8.8.8.0/20", azCount: 1, natGateways: "single" } },
      ),
    );
    assert.equal(result.ok, false);
    if (result.ok) return;
    const keys = result.problems.map((p) => p.key).sort();
    assert.deepEqual(keys, [
      "platform:network.azCount",
      "platform:network.cidr",
      "platform:network.natGateways",
      "platform:netwrok",
      "platform:secondaryRegion",
    ]);
    assert.match(formatProblems(result.problems), /^Invalid stack config \(5 problems\):\n {2}- platform:/);
  });

  it("leaves other namespaces (aws:, pulumi:) to their owners", () => {
    const result = validateConfig({ ...raw("dev"), "aws:skipMetadataApiCheck": "true" });
    assert.ok(result.ok);
  });
});

describe("stack config validation: compute", () => {
  /** The committed services/queues/schedules, as parsed lists to edit. */
  const services = () => JSON.parse(String(raw("dev")["platform:services"])) as Record<string, unknown>[];
  const withServices = (edit: (list: Record<string, unknown>[]) => void, stackName: "dev" | "prod" = "dev") => {
    const list = services();
    edit(list);
    return { ...raw(stackName), "platform:services": JSON.stringify(list) };
  };
  const schedules = () => JSON.parse(String(raw("dev")["platform:schedules"])) as Record<string, unknown>[];
  const withSchedule = (fields: Record<string, unknown>) => ({
    ...raw("dev"),
    "platform:schedules": JSON.stringify([{ ...schedules()[0], ...fields }]),
  });

  it("rejects a path another service already routes", () =>
    rejects(withServices((l) => (l[1].paths = ["/auth/*"])), "platform:services[1].paths[0]", /already at platform:services\[0\]\.paths\[0\]/));

  it("rejects a path that overlaps another service's prefix", () =>
    rejects(withServices((l) => (l[1].paths = ["/api/v2/*"])), "platform:services[2].paths[0]", /\/api\/\* overlaps \/api\/v2\/\*/));

  it("rejects a second catch-all service", () =>
    rejects(withServices((l) => (l[0].paths = ["/*"])), "platform:services[3].paths[0]", /\/\* is already at platform:services\[0\]/));

  it("rejects /* next to other paths and malformed patterns", () => {
    rejects(withServices((l) => (l[3].paths = ["/*", "/x/*"])), "platform:services[3].paths", /expected \/\* alone/);
    rejects(withServices((l) => (l[0].paths = ["/auth"])), "platform:services[0].paths[0]", /ending in \/\*/);
  });

  it("rejects a cpu/memory pair Fargate does not offer, naming the sizes it does", () => {
    rejects(withServices((l) => Object.assign(l[0], { cpu: 256, memory: 4096 })), "platform:services[0].memory", /with cpu 256: 512, 1024, 2048, got 4096/);
    rejects(withServices((l) => Object.assign(l[0], { cpu: 1024, memory: 1500 })), "platform:services[0].memory", /2048 to 8192 in steps of 1024/);
    rejects(withServices((l) => Object.assign(l[0], { cpu: 300 })), "platform:services[0].cpu", /expected a Fargate CPU size/);
  });

  it("rejects a service name too long for its target groups", () =>
    rejects(withServices((l) => (l[0].name = "notifications-service")), "platform:services[0].name", /at most 18 characters/));

  it("rejects duplicate service names", () => {
    let first = "";
    const config = withServices((l) => {
      first = String(l[0].name);
      Object.assign(l[1], { name: first, paths: ["/other/*"] });
    });
    rejects(config, "platform:services[1].name", new RegExp(`unique service name; "${first}" is listed twice`));
  });

  it("rejects an unknown secret, queue or schedule service", () => {
    rejects(withServices((l) => (l[0].secrets = { X: "openai" })), "platform:services[0].secrets.X", /platform:secrets, got "openai"/);
    rejects(withServices((l) => (l[0].sendsTo = ["emails"])), "platform:services[0].sendsTo[0]", /queue listed in platform:queues, got "emails"/);
    rejects(withSchedule({ service: "billing" }), "platform:schedules[0].service", /service listed in platform:services, got "billing"/);
  });

  it("rejects bad cron and rate expressions with the reason", () => {
    rejects(withSchedule({ expression: "cron(0 3 * * *)" }), "platform:schedules[0].expression", /expected 6 cron fields/);
    rejects(withSchedule({ expression: "cron(0 3 * * MON *)" }), "platform:schedules[0].expression", /exactly one of day-of-month and day-of-week/);
    rejects(withSchedule({ expression: "cron(61 3 ? * * *)" }), "platform:schedules[0].expression", /minute field "61"/);
    rejects(withSchedule({ expression: "rate(1 minutes)" }), "platform:schedules[0].expression", /"1 minute"/);
    rejects(withSchedule({ expression: "every day" }), "platform:schedules[0].expression", /expected cron\(\.\.\.\), rate\(\.\.\.\) or at/);
    rejects(withSchedule({ timezone: "Mars/Olympus" }), "platform:schedules[0].timezone", /IANA time zone/);
  });

  it("accepts the expression forms EventBridge Scheduler documents", () => {
    for (const expression of ["cron(0/15 * ? * MON-FRI *)", "cron(0 12 L * ? 2030)", "rate(1 hour)", "rate(5 minutes)", "at(2030-01-01T09:00:00)"]) {
      const result = validateConfig(withSchedule({ expression }));
      assert.ok(result.ok, `${expression}: ${result.ok ? "" : formatProblems(result.problems)}`);
    }
  });

  it("rejects min above max and a web service scaled to zero", () => {
    rejects(withServices((l) => (l[0].scaling = { minTasks: 3, maxTasks: 2 })), "platform:services[0].scaling.minTasks", /at most maxTasks \(2\)/);
    rejects(withServices((l) => (l[0].scaling = { minTasks: 0, maxTasks: 2 })), "platform:services[0].scaling.minTasks", /cannot scale to zero/);
  });

  it("holds prod to 2+ tasks per service and capacity that Spot cannot take away", () => {
    rejects(withServices((l) => (l[0].scaling = { minTasks: 1, maxTasks: 4 }), "prod"), "platform:services[0].scaling.minTasks", /2 or more in prod/);
    rejects(variant("prod", {}, { "platform:compute": { scaling: { minTasks: 1, maxTasks: 4 } } }), "platform:compute.scaling.minTasks", /2 or more in prod \(tasks spread over AZs\), got 1 \(used by auth, api2, api, frontend\)/);
    rejects(variant("prod", {}, { "platform:compute": { capacity: "spot" } }), "platform:compute.capacity", /"onDemand" or "mixed" in prod/);
  });

  it("rejects a migration image no service builds", () =>
    rejects(variant("dev", {}, { "platform:compute": { migrations: { image: "migrator", command: ["x"], cpu: 256, memory: 512 } } }), "platform:compute.migrations.image", /image of a service/));

  it("rejects a malformed zone id and CI repository", () => {
    rejects(variant("dev", {}, { "platform:dns": { zoneId: "abc" } }), "platform:dns.zoneId", /32 hex characters/);
    rejects(variant("dev", {}, { "platform:ci": { repository: "platform" } }), "platform:ci.repository", /owner\/name/);
  });

  it("refuses a subdomain zone (dev.example.com) below Enterprise, which alone has Subdomain Support; a registered domain under a two-label suffix passes", () => {
    const hosts = (d: string) => ({ hosts: [d, `app.${d}`] });
    const onFree = (domain: string) => variant("dev", {}, { "platform:dns": { domain }, "platform:edge": hosts(domain) });
    rejects(onFree("dev.example.com"), "platform:dns.domain", /dev\.example\.com is a subdomain of example\.com.*Subdomain Support \(Enterprise.*platform:edge\.plan is free.*e\.g\. example-dev\.com/);
    for (const ok of ["example-dev.com", "example.co.uk"]) assert.ok(validateConfig(onFree(ok)).ok, ok);
    assert.ok(!validateConfig(onFree("dev.example.co.uk")).ok, "a subdomain under a two-label suffix is still one");
    const enterprise = variant("dev", {}, { "platform:dns": { domain: "dev.example.com" }, "platform:edge": { ...hosts("dev.example.com"), plan: "enterprise" } });
    const result = validateConfig(enterprise);
    assert.ok(result.ok || !result.problems.some((p) => p.key === "platform:dns.domain"), "Enterprise may sign up a subdomain");
  });

  it("refuses a proxied host two levels below its zone (Universal SSL covers the apex and first-level names only)", () => {
    const shared = (hosts: string[]) =>
      variant("dev", {}, { "platform:dns": { domain: "staging.example.com", ownsZone: false }, "platform:edge": { hosts, rateLimits: [] } });
    rejects(shared(["staging.example.com", "app.staging.example.com"]), "platform:edge.hosts[1]", /at most one level below the zone example\.com.*does not cover app\.staging\.example\.com.*app-staging\.example\.com/);
    assert.ok(validateConfig(shared(["staging.example.com"])).ok, "a first-level host is covered");
    // An Enterprise zone of its own for a subdomain: its first-level names are covered.
    const ownZone = variant("dev", {}, { "platform:dns": { domain: "dev.example.com" }, "platform:edge": { hosts: ["dev.example.com", "app.dev.example.com"], plan: "enterprise" } });
    const r = validateConfig(ownZone);
    assert.ok(r.ok || !r.problems.some((p) => p.key.startsWith("platform:edge.hosts")), JSON.stringify(!r.ok && r.problems));
  });
});
