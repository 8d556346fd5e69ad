import { strict as assert } from "assert";
import { PlanResource } from "../tools/plan/graph";
import { orderedAfter, orderingProblems } from "../tools/plan/ordering";
import { STACKS, stack } from "./support/stacks";

const POLICY = "aws:s3/bucketPolicy:BucketPolicy";

describe("ordering the engine cannot see: what the vendor checks against a bucket policy depends on that policy", () => {
  for (const name of STACKS) {
    it(`${name}: every ALB with access logs and the CloudFront log destination are ordered after the log bucket's policy`, async () => {
      const q = await stack(name);
      assert.deepEqual(orderingProblems(q.graph), []);
      const albs = q.ofType("aws:lb/loadBalancer:LoadBalancer");
      assert.equal(albs.length, q.ofType("platform:compute:Compute").length, "one ALB per application region");
      assert.ok(albs.length >= 1);
      for (const alb of albs) {
        // The dependency arrives with the input itself, as the engine sees it: accessLogs came from the bucket and its policy.
        const deps = alb.options.propertyDependencies.accessLogs.map((u) => q.resources.find((r) => r.urn === u)!.type);
        assert.deepEqual(deps.sort(), ["aws:s3/bucket:Bucket", POLICY]);
      }
      const delivery = q.named("aws:cloudwatch/logDelivery:LogDelivery", "edge-media-logs");
      assert.ok([...orderedAfter(q, delivery)].some((u) => u.endsWith(`${POLICY}::data-storage-access-logs`)), "the delivery follows the policy through its destination");
    });
  }

  it("fails when an ALB names the log bucket without its policy (the first up could lose the race)", async () => {
    const q = await stack("prod");
    const strip = (r: PlanResource): PlanResource =>
      r.type === "aws:lb/loadBalancer:LoadBalancer" && r.region === "us-west-2"
        ? { ...r, options: { ...r.options, propertyDependencies: { ...r.options.propertyDependencies, accessLogs: r.options.propertyDependencies.accessLogs.filter((u) => !u.includes(POLICY)) } } }
        : r;
    const problems = orderingProblems({ ...q.graph, resources: q.resources.map(strip) });
    assert.deepEqual(problems.map((p) => p.split(": ELB")[0]), [
      "aws:lb/loadBalancer:LoadBalancer platform-prod: accessLogs.bucket names bucket data-storage-access-logs-secondary but does not depend on its policy data-storage-access-logs-secondary",
    ]);
  });

  it("fails when the CloudFront log destination names the bucket by ARN without its policy", async () => {
    const q = await stack("dev");
    const strip = (r: PlanResource): PlanResource =>
      r.type === "aws:cloudwatch/logDeliveryDestination:LogDeliveryDestination" ? { ...r, options: { ...r.options, propertyDependencies: {} } } : r;
    assert.match(orderingProblems({ ...q.graph, resources: q.resources.map(strip) }).join("\n"), /LogDeliveryDestination edge-media-logs: .* does not depend on its policy data-storage-access-logs/);
  });

  it("fails when a Cloudflare pool's origin names a DNS record of the plan but is not ordered after it (the monitor would mark it down)", async () => {
    const q = await stack("prod");
    const pools = q.ofType("cloudflare:index/loadBalancerPool:LoadBalancerPool");
    assert.equal(pools.length, 2);
    const strip = (r: PlanResource): PlanResource => (r.type === "cloudflare:index/loadBalancerPool:LoadBalancerPool" ? { ...r, options: { ...r.options, propertyDependencies: {} } } : r);
    assert.deepEqual(
      orderingProblems({ ...q.graph, resources: q.resources.map(strip) }).sort(),
      pools.map((p) => `${p.type} ${p.name}: origin origin-${p.name.split("-").slice(-3).join("-")}.example.com is the DNS record edge-failover-origin-${p.name.split("-").slice(-3).join("-")} but the pool does not depend on it`).sort(),
    );
  });
});
