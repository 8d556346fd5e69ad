import { strict as assert } from "assert";
import { componentOf, estimate } from "../policy/cost/estimate";
import { PriceBook, entryProblems, loadPriceBook } from "../policy/cost/prices";
import { CostResource, FREE, PRICED, capacitySplit, isStructural, runsPerMonth } from "../policy/cost/resources";
import { resolveUsage } from "../policy/cost/usage";
import { costOfGraph, renderCost } from "../tools/cost/report";
import { command } from "./support/command";
import { STACKS, stack } from "./support/stacks";

/** A price book with round numbers, so each case below is arithmetic a reviewer can redo by hand. */
function book(): PriceBook {
  const e = (usd: number) => ({ unit: "u", usd, source: "https://example.com/", read: "2026-11-27" });
  const aws = Object.fromEntries(Object.keys(loadPriceBook().aws.prices).map((k) => [k, e(1)]));
  Object.assign(aws, { "fargate.spotDiscount": e(0.75), "elasticache.nodeHour.cache.test": e(2), "aurora.instanceHour.db.test": e(3) });
  return {
    aws: { vendor: "aws", currency: "USD", prices: aws },
    cloudflare: { vendor: "cloudflare", currency: "USD", prices: { "plan.pro": e(20), "loadBalancing.base": e(5), "loadBalancing.extraOrigin": e(7) } },
    datadog: { vendor: "datadog", currency: "USD", prices: { fargateTaskMonth: e(1), "logs.ingestGb": e(0.1), "logs.indexedMillionEvents": e(2), customMetricMonth: e(0.05) } },
  };
}
const res = (type: string, name: string, props: Record<string, unknown>, extra: Partial<CostResource> = {}): CostResource => ({
  urn: `urn:pulumi:t::p::platform:data:Data$${type}::${name}`,
  type,
  name,
  region: "us-east-1",
  props,
  ...extra,
});
const usage = resolveUsage("dev", { tasksAboveFloor: 0, logGbPerGroup: 2 });
const run = (resources: CostResource[], cloudflarePlan?: string) => estimate({ stack: "t", resources, usage, prices: book(), cloudflarePlan });
const monthlyOf = (resources: CostResource[], name: string) => run(resources).resources.find((r) => r.name === name)?.monthly;

describe("cost: the price files", () => {
  it("give every entry a unit, a price, the vendor's page, a read date or none, and mark what is not confirmed", () => {
    const book = loadPriceBook();
    const problems = Object.values(book).flatMap((f) => Object.entries(f.prices).flatMap(([k, e]) => entryProblems(`${f.vendor}:${k}`, e)));
    assert.deepEqual(problems, []);
    assert.deepEqual(entryProblems("x", { unit: "hour", usd: 1, source: "aws.amazon.com", read: null }), ["x: source must be the vendor's https page", "x: a price no page was read for must be marked unverified"]);
    assert.deepEqual(entryProblems("y", { unit: "hour", usd: 1, source: "https://a/", readFrom: "https://blog/", read: "2026-11-27" }), ["y: a price read from another page than the vendor's must be marked unverified"]);
  });
});

describe("cost: the arithmetic of each priced type", () => {
  it("Fargate: the scaling floor split by the capacity strategy (base on-demand first, then weights), Spot at its share", () => {
    assert.deepEqual(capacitySplit(3, [{ capacityProvider: "FARGATE", base: 2, weight: 1 }, { capacityProvider: "FARGATE_SPOT", weight: 3 }]), { onDemand: 2.25, spot: 0.75 });
    assert.deepEqual(capacitySplit(1, [{ capacityProvider: "FARGATE_SPOT", weight: 1 }]), { onDemand: 0, spot: 1 });
    const r = [
      res("aws:ecs/service:Service", "svc", { name: "svc", taskDefinition: "arn:aws:ecs:us-east-1:1:task-definition/fam:3", capacityProviderStrategies: [{ capacityProvider: "FARGATE", base: 2, weight: 1 }, { capacityProvider: "FARGATE_SPOT", weight: 3 }] }),
      res("aws:appautoscaling/target:Target", "t", { resourceId: "service/c/svc", minCapacity: 3 }),
      res("aws:ecs/taskDefinition:TaskDefinition", "td", { family: "fam", cpu: "512", memory: "1024" }),
    ];
    // On-demand: 2.25 tasks × (0.5 vCPU + 1 GB) × 730 h × $1; Spot: 0.75 × 1.5 × 730 × $1 × (1 − 0.75).
    assert.equal(monthlyOf(r, "svc"), Math.round((2.25 * 1.5 * 730 + 0.75 * 1.5 * 730 * 0.25) * 100) / 100);
    // Scaled to zero (a standby's processor): nothing.
    assert.equal(monthlyOf([r[0], { ...r[1], props: { ...r[1].props, minCapacity: 0 } }, r[2]], "svc"), undefined);
  });

  it("schedules: runs from the expression, each run the service's task for the assumed minutes", () => {
    assert.equal(runsPerMonth("rate(15 minutes)"), 2920);
    assert.equal(runsPerMonth("cron(0 3 * * ? *)"), 730 / 24);
    assert.equal(runsPerMonth("rate(1 day)"), 730 / 24);
    const r = [
      res("aws:scheduler/schedule:Schedule", "s", { scheduleExpression: "rate(1 hour)", state: "ENABLED", target: { ecsParameters: { taskDefinitionArn: "arn:aws:ecs:us-east-1:1:task-definition/fam:1" } } }),
      res("aws:ecs/taskDefinition:TaskDefinition", "td", { family: "fam", cpu: "1024", memory: "2048" }),
    ];
    // 730 runs: invocations 730/1e6 × $1; Fargate 730 × 2 min = 24.33 h × (1 vCPU + 2 GB) × $1.
    assert.equal(monthlyOf(r, "s"), Math.round((730 / 1e6 + (730 * 2) / 60 * 3) * 100) / 100);
    assert.equal(monthlyOf([{ ...r[0], props: { ...r[0].props, state: "DISABLED" } }, r[1]], "s"), undefined);
  });

  it("Aurora: instance-hours per class, Serverless v2 at its minimum ACU, storage, I/O only on Aurora Standard, replicated writes per secondary", () => {
    assert.equal(monthlyOf([res("aws:rds/clusterInstance:ClusterInstance", "i", { instanceClass: "db.test" })], "i"), 3 * 730);
    const serverless = [res("aws:rds/cluster:Cluster", "c", { serverlessv2ScalingConfiguration: { minCapacity: 0.5 } }, { id: "c-1" }), res("aws:rds/clusterInstance:ClusterInstance", "w", { instanceClass: "db.serverless", clusterIdentifier: "c-1" })];
    assert.equal(monthlyOf(serverless, "w"), 0.5 * 730);
    // Dev usage: 10 GB stored, 5 million I/Os, no backup beyond the free amount.
    assert.equal(monthlyOf(serverless, "c"), 10 + 5);
    // I/O-Optimized: its own storage price (the book's $1 here), no I/O, and the compute premium on instances.
    const iopt = [res("aws:rds/cluster:Cluster", "c", { storageType: "aurora-iopt1" }), res("aws:rds/clusterInstance:ClusterInstance", "i", { instanceClass: "db.test" })];
    assert.equal(monthlyOf(iopt, "c"), 10);
    assert.equal(monthlyOf(iopt, "i"), 3 * 730 * (1 + 1));
    assert.equal(monthlyOf([res("aws:rds/proxy:Proxy", "px", {})], "px"), 2 * 730);
    const global = [res("aws:rds/globalCluster:GlobalCluster", "g", {}), res("aws:rds/cluster:Cluster", "a", { globalClusterIdentifier: "g" }), res("aws:rds/cluster:Cluster", "b", { globalClusterIdentifier: "g" }, { region: "us-west-2" })];
    const withWrites = estimate({ stack: "t", resources: global, usage: resolveUsage("dev", { aurora: { replicatedWriteIoMillions: 7 } }), prices: book() });
    assert.equal(withWrites.resources.find((r) => r.name === "g")?.monthly, 7);
  });

  it("a class with no price is listed as unpriced, not priced at zero", () => {
    const report = run([res("aws:rds/clusterInstance:ClusterInstance", "i", { instanceClass: "db.x9.huge" })]);
    assert.deepEqual(report.unpriced, ["aws:rds/clusterInstance:ClusterInstance (db.x9.huge instance-hours)"]);
    assert.equal(report.reasons[report.unpriced[0]], "no entry aurora.instanceHour.db.x9.huge in pricing/aws.json");
    assert.equal(report.total, 0);
  });

  it("ElastiCache node-hours, NAT per strategy, interface endpoints per AZ, the ALB, keys, secrets with replicas", () => {
    assert.equal(monthlyOf([res("aws:elasticache/replicationGroup:ReplicationGroup", "r", { nodeType: "cache.test", numCacheClusters: 3 })], "r"), 3 * 730 * 2);
    // OnePerAz over 3 AZs: 3 × 730 h + 3 × 20 GB (dev usage).
    assert.equal(monthlyOf([res("awsx:ec2:Vpc", "v", { natGateways: { strategy: "OnePerAz" }, numberOfAvailabilityZones: 3 })], "v"), 3 * 730 + 3 * 20);
    assert.equal(monthlyOf([res("awsx:ec2:Vpc", "v", { natGateways: { strategy: "Single" }, numberOfAvailabilityZones: 3 })], "v"), 730 + 20);
    assert.equal(monthlyOf([res("awsx:ec2:Vpc", "v", { natGateways: { strategy: "None" } })], "v"), undefined);
    assert.equal(monthlyOf([res("aws:ec2/vpcEndpoint:VpcEndpoint", "e", { vpcEndpointType: "Interface", subnetIds: ["a", "b"] })], "e"), 2 * 730);
    assert.equal(monthlyOf([res("aws:ec2/vpcEndpoint:VpcEndpoint", "e", { vpcEndpointType: "Gateway" })], "e"), undefined);
    assert.equal(monthlyOf([res("aws:lb/loadBalancer:LoadBalancer", "lb", {})], "lb"), 730 + 1 * 730);
    assert.equal(monthlyOf([res("aws:kms/key:Key", "k", {})], "k"), 1);
    assert.equal(monthlyOf([res("aws:secretsmanager/secret:Secret", "s", { replicas: [{ region: "us-west-2" }] })], "s"), 2);
  });

  it("logs by retention, Firehose by the log groups it ships, SQS (not its DLQ), events, S3, CloudFront, Backup, ECR, CodeArtifact, Lambda, alarms", () => {
    // 2 GB a month kept 90 days: 2 GB ingested + 6 GB-months stored.
    assert.equal(monthlyOf([res("aws:cloudwatch/logGroup:LogGroup", "l", { retentionInDays: 90 })], "l"), 2 + 6);
    const shipped = [res("aws:kinesis/firehoseDeliveryStream:FirehoseDeliveryStream", "f", {}), res("aws:cloudwatch/logSubscriptionFilter:LogSubscriptionFilter", "a", {}), res("aws:cloudwatch/logSubscriptionFilter:LogSubscriptionFilter", "b", {})];
    assert.equal(monthlyOf(shipped, "f"), 4);
    assert.equal(monthlyOf([res("aws:sqs/queue:Queue", "q", { name: "p-ingest" })], "q"), Math.round(0.1 * 3 * 100) / 100);
    assert.equal(monthlyOf([res("aws:sqs/queue:Queue", "d", { name: "p-ingest-dlq" })], "d"), undefined);
    assert.equal(monthlyOf([res("aws:cloudwatch/eventBus:EventBus", "b", {})], "b"), 0.1);
    assert.equal(monthlyOf([res("aws:s3/bucket:Bucket", "data-storage-media", {})], "data-storage-media"), 5);
    assert.equal(monthlyOf([res("aws:s3/bucket:Bucket", "data-storage-access-logs", {})], "data-storage-access-logs"), 1);
    assert.equal(monthlyOf([res("aws:cloudfront/distribution:Distribution", "cf", {})], "cf"), 10 + 0.5);
    // 10 GB in the vault and one copy: 20 GB-months + 10 GB copied.
    assert.equal(monthlyOf([res("aws:backup/plan:Plan", "bp", { rules: [{ copyActions: [{}] }] })], "bp"), 30);
    assert.equal(monthlyOf([res("aws:ecr/repository:Repository", "repo", {})], "repo"), 2);
    assert.equal(monthlyOf([res("aws:codeartifact/domain:Domain", "dom", {})], "dom"), 1);
    assert.equal(monthlyOf([res("aws:lambda/function:Function", "fn", { memorySize: 256 })], "fn"), Math.round((100 / 1e6 + 100 * 0.25) * 100) / 100);
    assert.equal(monthlyOf([res("aws:cloudwatch/metricAlarm:MetricAlarm", "al", {})], "al"), 1);
  });

  it("Cloudflare: the zone's plan, Load Balancing's subscription with two origins and each further origin; Datadog: tasks, log GB, indexed events, custom metrics", () => {
    const pools = [res("cloudflare:index/loadBalancerPool:LoadBalancerPool", "p1", { origins: [{}, {}] }, { region: undefined }), res("cloudflare:index/loadBalancerPool:LoadBalancerPool", "p2", { origins: [{}] }, { region: undefined })];
    const report = run(pools, "pro");
    assert.deepEqual(report.byVendor.cloudflare, 20 + 5 + 7);
    const dd = [
      res("datadog:aws/integrationAccount:IntegrationAccount", "dd", {}, { region: undefined }),
      res("aws:cloudwatch/logSubscriptionFilter:LogSubscriptionFilter", "a", {}),
      res("aws:ecs/service:Service", "svc", { name: "svc", desiredCount: 2 }),
    ];
    // 2 tasks × $1 + 2 GB × $0.1 + 2 GB × 1e6 events × 50% indexed / 1e6 × $2 + 0 custom metrics.
    assert.equal(monthlyOf(dd, "dd"), 2 + 0.2 + 2);
  });

  it("attributes resources to their top-level component (a region's wrapper skipped) and sums to the total", () => {
    assert.equal(componentOf("urn:pulumi:prod::platform::platform:region:Region$platform:compute:Compute$aws:ecs/service:Service::x"), "compute");
    assert.equal(componentOf("urn:pulumi:prod::platform::aws:s3/bucket:Bucket::x"), "(program)");
  });
});

describe("cost: dev and prod", () => {
  for (const name of STACKS) {
    it(`${name}: every resource type is priced or declared free, the subtotals add up, and the report prints its assumptions`, async () => {
      const q = await stack(name);
      const report = costOfGraph(q.graph);
      assert.deepEqual(report.unpriced, []);
      const types = new Set(q.resources.map((r) => r.type));
      for (const t of types) assert.ok(PRICED[t] || FREE[t] || t.startsWith("pulumi:providers:") || t.startsWith("platform:"), `${t} is neither priced nor declared free`);
      const sum = (o: Record<string, number>) => Math.round(Object.values(o).reduce((a, b) => a + b, 0) * 100) / 100;
      assert.ok(Math.abs(sum(report.byComponent) - report.total) < 0.05 && Math.abs(sum(report.byRegion) - report.total) < 0.05);
      assert.ok(report.total > 0);
      assert.match(renderCost(report), /Assumptions: 730 hours a month; Cloudflare plan (free|business); usage \{"tasksAboveFloor"/);
    });
  }

  for (const name of STACKS) {
    it(`${name}: every resource of the graph is priced or declared free in the report itself (the gateway endpoint too)`, async () => {
      const q = await stack(name);
      const report = costOfGraph(q.graph);
      const priced = new Set(report.resources.map((i) => i.urn));
      const free = new Set(report.freeUrns);
      const missing = q.resources.filter((r) => !isStructural(r.type) && !priced.has(r.urn) && !free.has(r.urn)).map((r) => `${r.type} ${r.name}`);
      assert.deepEqual(missing, []);
      assert.deepEqual([...priced].filter((u) => free.has(u)), [], "nothing is both");
      const gateway = q.ofType("aws:ec2/vpcEndpoint:VpcEndpoint", (e) => e.inputs.vpcEndpointType === "Gateway");
      assert.ok(gateway.length >= 1 && gateway.every((e) => free.has(e.urn)));
      assert.match(renderCost(report), /- gateway endpoint \(S3, DynamoDB\): no hourly or data charge: aws:ec2\/vpcEndpoint:VpcEndpoint \(gateway endpoint\)/);
    });
  }

  it("a price rule that yields nothing for a resource is reported unpriced, never dropped", async () => {
    const q = await stack("dev");
    const odd = q.resources.find((r) => r.type === "aws:ec2/vpcEndpoint:VpcEndpoint")!;
    const graph = { ...q.graph, resources: [...q.resources, { ...odd, urn: `${odd.urn}-odd`, inputs: { ...odd.inputs, vpcEndpointType: "GatewayLoadBalancer" } }] };
    const report = costOfGraph(graph);
    assert.deepEqual(report.unpriced, ["aws:ec2/vpcEndpoint:VpcEndpoint"]);
    assert.equal(report.reasons["aws:ec2/vpcEndpoint:VpcEndpoint"], "its price rule gave no quantity for this configuration (policy/cost/resources.ts)");
  });

  it("a region without its own prices says whose it used, and marks them unverified", async () => {
    const q = await stack("dev");
    const eu = { ...q.graph, resources: q.resources.map((r) => (r.region === "us-east-1" ? { ...r, region: "eu-west-1" } : r)) };
    const report = costOfGraph(eu);
    assert.deepEqual(report.borrowedPrices, { "eu-west-1": "pricing/aws.json (us-east-1, us-west-2)" });
    assert.ok(report.resources.filter((i) => i.region === "eu-west-1" && i.vendor === "aws").every((i) => i.dimensions.every((d) => d.unverified)));
    assert.match(renderCost(report), /WARNING: eu-west-1 has no prices of its own: priced at pricing\/aws\.json \(us-east-1, us-west-2\) rates, marked \*/);
    assert.deepEqual(costOfGraph(q.graph).borrowedPrices, {}, "us-east-1 has its own");
  });

  it("npm run cost: an unknown stack exits 2 naming it, with no stack trace", async () => {
    const r = await command("tools/cost/cli.ts", ["--stack", "nope"]);
    assert.equal(r.code, 2);
    assert.match(r.stderr, /nope/);
    assert.doesNotMatch(r.stderr, /^\s+at /m);
    assert.equal(r.stdout, "");
  });

  it("a resource type the engine does not know fails the guard: it is reported unpriced", async () => {
    const q = await stack("dev");
    const graph = { ...q.graph, resources: [...q.graph.resources, { ...q.graph.resources.find((r) => r.type === "aws:kms/key:Key")!, type: "aws:opensearch/domain:Domain", urn: "urn:x" }] };
    const report = costOfGraph(graph);
    assert.deepEqual(report.unpriced, ["aws:opensearch/domain:Domain"]);
    assert.match(renderCost(report), /Unpriced \(NOT in the total\): 1\n {2}- neither priced nor declared free \(policy\/cost\/resources\.ts\): aws:opensearch\/domain:Domain/);
  });
});
