/**
 * A package consumer that bypasses config/ still gets the components' limits and defaults: each
 * component checks its args before it creates anything and throws one error listing every
 * problem by arg name (components/lib/validate.ts), while the stack's config reports the same
 * limits under its key names (config/*.ts reuses the components' checks).
 */
import { strict as assert } from "assert";
import * as path from "path";
import { validateConfig } from "../config/validate";
import { loadStackConfig } from "../tools/plan/stackConfig";
import { early } from "./support/early";
import { inChild } from "./support/inChild";
import type { Construction } from "./support/underMocks";

const UNDER_MOCKS = path.join(__dirname, "support", "underMocks.ts");
const construct = (component: string, args: Record<string, unknown>) => inChild<Construction>(UNDER_MOCKS, "construct", component, args);

/** A component's one error: its name, then each problem by arg on a line of its own. */
const invalidArgs = (component: string, problems: string[]) => [`${component}: invalid args (${problems.length}):`, ...problems.map((p) => `  - ${p}`)].join("\n");

const service = { name: "web", port: 8080 };
const computeArgs = (patch: Record<string, unknown> = {}) => ({
  prefix: "consumer-dev",
  environment: "dev",
  settings: { imageTag: "v1", scaling: { minTasks: 1, maxTasks: 2 }, migrations: { image: "web" } },
  services: [service],
  network: { vpcId: "vpc-1", publicSubnetIds: ["subnet-a"], privateSubnetIds: ["subnet-b"], albSecurityGroupId: "sg-alb", appSecurityGroupId: "sg-app" },
  certificateArn: "arn:aws:acm:eu-west-1:123456789012:certificate/abc",
  accessLogsBucket: "logs",
  endpoints: { databaseHost: "db.internal", databaseName: "app" },
  ...patch,
});

const runs = {
  badNetwork: early(() => construct("Network", { cidr: "10.0.0.0/8", azCount: 9, appPorts: [80], layout: "isolatedOnly", natGateways: "single" })),
  openAlb: early(() => construct("Network", { cidr: "10.40.0.0/16", albIngressCidrs: { ipv4: ["173.245.48.0/20", "0.0.0.0/0"], ipv6: ["::/0", "10.0.0.0/8"] } })),
  minimalNetwork: early(() => construct("Network", { cidr: "10.40.0.0/16" })),
  badCompute: early(() =>
    construct(
      "Compute",
      computeArgs({
        settings: { imageTag: "v1", scaling: { minTasks: 5, maxTasks: 2 }, logRetentionDays: 31, migrations: { image: "web" } },
        services: [{ name: "a-very-long-service-name", port: 80, cpu: 256, memory: 4096 }],
        queues: [{ name: "jobs", retentionDays: 20, processor: { image: "web", command: ["w"], maxTasks: 1, timeoutSeconds: 60 } }],
      }),
    ),
  ),
  minimalCompute: early(() => construct("Compute", computeArgs())),
  badData: early(() =>
    construct("Data", {
      aurora: { engineVersion: "16.6", instanceClass: "db.serverless", backupRetentionDays: 50, performanceInsightsRetentionDays: 30 },
      redis: { engineVersion: "6.2", nodeType: "cache.t4g.micro" },
      primary: { isolatedSubnetIds: [], availabilityZones: [], dbSecurityGroupId: "sg", cacheSecurityGroupId: "sg", privateSubnetIds: [] },
    }),
  ),
  badEdge: early(() =>
    construct("Edge", {
      zoneId: "zone-1",
      plan: "free",
      domain: "example.com",
      hosts: ["app.example.com"],
      albDnsName: "alb.example.internal",
      waf: { owaspAction: "log", customRules: [{ name: "no-admin", expression: 'http.request.uri.path matches "^/admin"', action: "block" }] },
      rateLimits: [{ name: "login", path: "/login", methods: ["POST"], requests: 10, periodSeconds: 60, mitigationTimeoutSeconds: 10 }],
    }),
  ),
};

describe("components check their own args (a consumer without config/)", function () {
  this.timeout(120000);

  it("Network: one error, every problem named by arg, before any resource", async () => {
    const r = await runs.badNetwork;
    assert.equal(
      r.error,
      invalidArgs("Network network", [
        "cidr: expected a prefix length from /16 to /20, got /8",
        "azCount: expected a whole number from 2 to 6, got 9",
        'natGateways: the isolatedOnly layout has no private subnets, so natGateways must be "none", got "single"',
        "appPorts[0]: expected a whole number from 1024 to 65535, got 80",
      ]),
    );
    assert.deepEqual(Object.keys(r.resources).filter((k) => !k.startsWith("platform:")), []);
  });

  it("Network: the ALB's ingress ranges never open it to the whole internet", async () => {
    const r = await runs.openAlb;
    assert.equal(
      r.error,
      invalidArgs("Network network", [
        "albIngressCidrs.ipv4[1]: expected a range narrower than the whole address space (the ALB is reached through the edge's ranges only), got 0.0.0.0/0",
        "albIngressCidrs.ipv6[0]: expected a range narrower than the whole address space (the ALB is reached through the edge's ranges only), got ::/0",
        'albIngressCidrs.ipv6[1]: expected an IPv6 CIDR block, got "10.0.0.0/8"',
      ]),
    );
  });

  it("Network: left out, the args take their documented defaults (2 AZs, one NAT gateway, 30 days of flow logs)", async () => {
    const r = await runs.minimalNetwork;
    assert.equal(r.error, undefined);
    const vpc = r.resources["awsx:ec2:Vpc network-vpc"];
    assert.equal(vpc.numberOfAvailabilityZones, 2);
    assert.deepEqual(vpc.natGateways, { strategy: "Single" });
    assert.equal(r.resources["aws:cloudwatch/logGroup:LogGroup network-flow-logs"].retentionInDays, 30);
  });

  it("Compute: Fargate sizes, names, ports, counts and retention, each named by arg", async () => {
    const r = await runs.badCompute;
    assert.equal(
      r.error,
      invalidArgs("Compute compute", [
        "settings.scaling.maxTasks: expected at least minTasks (5), got 2",
        "settings.logRetentionDays: expected one of the CloudWatch Logs retention values: 1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653",
        "services[0].name: expected at most 18 characters (target group names are limited to 32)",
        "services[0].port: expected a whole number from 1024 to 65535, got 80",
        "services[0].memory: expected a memory size Fargate offers with cpu 256: 512, 1024, 2048, got 4096",
        "queues[0].retentionDays: expected a whole number from 1 to 14, got 20",
      ]),
    );
  });

  it("Compute: a service of a name and a port runs with the documented defaults", async () => {
    const r = await runs.minimalCompute;
    assert.equal(r.error, undefined);
    const task = Object.entries(r.resources).find(([k]) => k.startsWith("aws:ecs/taskDefinition:TaskDefinition") && k.includes("web"))![1];
    assert.equal(task.cpu, "256");
    assert.equal(task.memory, "512");
    const containers = JSON.parse(String(task.containerDefinitions));
    assert.equal(containers[0].readonlyRootFilesystem, true);
    const tg = Object.entries(r.resources).find(([k]) => k.startsWith("aws:lb/targetGroup:TargetGroup"))![1] as { healthCheck: { path: string } };
    assert.equal(tg.healthCheck.path, "/health");
  });

  it("Data: Aurora and Redis limits, each named by arg", async () => {
    const r = await runs.badData;
    assert.equal(
      r.error,
      invalidArgs("Data data", [
        "aurora.backupRetentionDays: expected a whole number from 1 to 35, got 50",
        "aurora.performanceInsightsRetentionDays: expected one of the Performance Insights retention days: 7, 31, 93, 186, 372, 731, got 30",
        "redis.engineVersion: expected Redis OSS 7.x, e.g. 7.1 (transit encryption mode 'required' needs 7 or later), got \"6.2\"",
      ]),
    );
  });

  it("Edge: what the zone's Cloudflare plan lacks, each named by arg with the least plan that has it", async () => {
    const r = await runs.badEdge;
    const source = "components/edge/plans.ts (Cloudflare's plan availability tables, read 2026-11-26)";
    assert.equal(
      r.error,
      invalidArgs("Edge edge", [
        `waf.owaspAction: the OWASP Core Ruleset needs the pro plan or above; plan is free (${source})`,
        `waf.owaspAction: the log action needs the enterprise plan or above; plan is free (${source})`,
        `waf.customRules[0].expression: a regular expression (matches) needs the business plan or above; plan is free (${source})`,
        `rateLimits[0].periodSeconds: a 60-second counting period needs the pro plan or above; plan is free (${source})`,
        `rateLimits[0].methods: a rate-limiting rule on the request method needs the business plan or above; plan is free (${source})`,
      ]),
    );
    assert.deepEqual(Object.keys(r.resources).filter((k) => !k.startsWith("platform:")), []);
  });

  it("the stack's config reports the same limits under its key names", () => {
    const raw = loadStackConfig(path.resolve(__dirname, ".."), "dev").config;
    const services = JSON.parse(String(raw["platform:services"]));
    services[0] = { ...services[0], port: 80, memory: 4096, cpu: 256 };
    const result = validateConfig({ ...raw, "platform:services": JSON.stringify(services) });
    assert.equal(result.ok, false);
    if (result.ok) return;
    const byKey = Object.fromEntries(result.problems.map((p) => [p.key, p.message]));
    assert.match(byKey["platform:services[0].port"], /expected a whole number from 1024 to 65535/);
    assert.match(byKey["platform:services[0].memory"], /expected a memory size Fargate offers with cpu 256: 512, 1024, 2048, got 4096/);
  });
});
