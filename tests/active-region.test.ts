import { strict as assert } from "assert";
import { evaluateStack } from "../tools/plan/evaluate";
import { GraphDiff, diffGraphs } from "../tools/plan/diff";
import { PlanGraph } from "../tools/plan/graph";
import { GraphQuery } from "../tools/plan/query";
import { STATEFUL_TYPES } from "./urn-continuity.test";
import { PRIMARY_REGION, STANDBY_REGION, stack } from "./support/stacks";

/**
 * The inputs a change of `platform:activeRegion` may touch, by type, each one updated in place by
 * its API (so the engine replaces nothing). Anything else that changes fails the test.
 */
export const ROLE_INPUTS: Record<string, { keys: string[]; source: string }> = {
  "aws:appautoscaling/target:Target": { keys: ["minCapacity", "maxCapacity"], source: "RegisterScalableTarget updates an existing target's bounds (https://docs.aws.amazon.com/autoscaling/application/APIReference/API_RegisterScalableTarget.html)" },
  "aws:scheduler/schedule:Schedule": { keys: ["state"], source: "UpdateSchedule (https://docs.aws.amazon.com/scheduler/latest/APIReference/API_UpdateSchedule.html)" },
  "aws:ecs/service:Service": { keys: ["deploymentConfiguration", "desiredCount", "tags"], source: "UpdateService takes deploymentConfiguration (lifecycle hooks) and desiredCount; tags go through TagResource (https://docs.aws.amazon.com/AmazonECS/latest/APIReference/API_UpdateService.html)" },
  "cloudflare:index/dnsRecord:DnsRecord": { keys: ["content"], source: "PATCH /zones/{zone_id}/dns_records/{id} (https://developers.cloudflare.com/api/resources/dns/subresources/records/methods/edit/)" },
  "cloudflare:index/loadBalancer:LoadBalancer": { keys: ["defaultPools", "fallbackPool", "description"], source: "PATCH /zones/{zone_id}/load_balancers/{id} (https://developers.cloudflare.com/api/resources/load_balancers/methods/edit/)" },
  "aws:cloudwatch/metricAlarm:MetricAlarm": { keys: ["actionsEnabled"], source: "PutMetricAlarm overwrites an alarm of the same name (https://docs.aws.amazon.com/AmazonCloudWatch/latest/APIReference/API_PutMetricAlarm.html)" },
};

/** Every way a flip of the active region could do more than move roles; empty when it only moves them. */
export function flipProblems(d: GraphDiff): string[] {
  const problems = [...d.added.map((r) => `adds ${r.urn}`), ...d.removed.map((r) => `removes ${r.urn}`)];
  for (const c of d.changed) {
    if (STATEFUL_TYPES.includes(c.type)) problems.push(`changes stateful ${c.type} ${c.name}: ${c.keys.join(", ")}`);
    const allowed = ROLE_INPUTS[c.type]?.keys ?? [];
    const other = c.keys.filter((k) => !allowed.includes(k));
    if (other.length) problems.push(`changes ${c.type} ${c.name}: ${other.join(", ")} (not a role input updated in place)`);
  }
  return problems;
}

const flipped = (async () => {
  const result = await evaluateStack({ stack: "prod", overrides: { "platform:activeRegion": STANDBY_REGION } });
  if (!result.ok) throw new Error(`prod with platform:activeRegion ${STANDBY_REGION} did not evaluate: ${result.message}`);
  return result.graph;
})();
flipped.catch(() => undefined);

/** The role-dependent inputs of one region's graph, as plain data to compare across a flip. */
function roles(q: GraphQuery) {
  const services = q.ofType("aws:ecs/service:Service", (s) => !String(s.inputs.name).endsWith("-worker"));
  const hooks = services.map((s) => ((s.inputs.deploymentConfiguration as { lifecycleHooks?: unknown[] }).lifecycleHooks ?? []).length);
  const floors = q.ofType("aws:appautoscaling/target:Target", (t) => !String(t.inputs.resourceId).includes("worker")).map((t) => t.inputs.minCapacity);
  const workers = q.ofType("aws:appautoscaling/target:Target", (t) => String(t.inputs.resourceId).includes("worker")).map((t) => t.inputs.maxCapacity);
  return {
    schedules: [...new Set(q.ofType("aws:scheduler/schedule:Schedule").map((s) => s.inputs.state))],
    floors: [...new Set(floors)],
    workersMax: workers,
    hooks: [...new Set(hooks)],
    serving: [...new Set(services.map((s) => (s.inputs.tags as Record<string, string>)["region-serving"]))],
    rpoPages: q.ofType("aws:cloudwatch/metricAlarm:MetricAlarm", (a) => a.inputs.metricName === "AuroraGlobalDBRPOLag").map((a) => a.inputs.actionsEnabled),
  };
}

describe("platform:activeRegion: the role is data (prod)", () => {
  let before!: PlanGraph;
  let after!: PlanGraph;
  const load = async () => {
    before = (await stack("prod")).graph;
    after = await flipped;
  };

  it("flipping it to the standby region changes no URN, no stateful resource and nothing but role inputs updated in place", async () => {
    await load();
    const d = diffGraphs(before, after);
    assert.deepEqual(flipProblems(d), []);
    assert.ok(d.changed.length >= 20, `the roles move (${d.changed.length} resources change)`);
  });

  it("moves the clock, the processors, the floors, the migration gate and the RPO alarm's paging to us-west-2", async () => {
    await load();
    const serving = { schedules: ["ENABLED"], floors: [2], workersMax: [4], hooks: [1, 0], serving: ["active"], rpoPages: [false] };
    const standing = { schedules: ["DISABLED"], floors: [1], workersMax: [0], hooks: [0], serving: ["standby"], rpoPages: [true] };
    const at = (g: PlanGraph, region: string) => roles(new GraphQuery(g).inRegion(region));
    assert.deepEqual([at(before, PRIMARY_REGION), at(before, STANDBY_REGION)], [serving, standing], "default: us-east-1 serves");
    assert.deepEqual([at(after, PRIMARY_REGION), at(after, STANDBY_REGION)], [standing, serving], "flipped: us-west-2 serves");
  });

  it("puts the serving region's pool first on every load balancer, and the hosts' records on its ALB", async () => {
    await load();
    for (const [g, first, second] of [[before, PRIMARY_REGION, STANDBY_REGION], [after, STANDBY_REGION, PRIMARY_REGION]] as const) {
      const q = new GraphQuery(g);
      const pool = (region: string) => q.ofType("cloudflare:index/loadBalancerPool:LoadBalancerPool", (p) => (p.inputs.origins as { name: string }[])[0].name === region)[0].id;
      for (const lb of q.ofType("cloudflare:index/loadBalancer:LoadBalancer")) {
        assert.deepEqual([lb.inputs.defaultPools, lb.inputs.fallbackPool], [[pool(first), pool(second)], pool(second)], `${lb.name} with ${first} serving`);
      }
      const albs = g.outputs.applicationRegions as { region: string; albDnsName: string; active: boolean }[];
      const alb = albs.find((r) => r.region === first)!.albDnsName;
      for (const record of q.ofType("cloudflare:index/dnsRecord:DnsRecord", (r) => r.inputs.comment === "ALB origin (proxied)")) assert.equal(record.inputs.content, alb, record.name);
      assert.equal(g.outputs.activeRegion, first);
      assert.deepEqual(albs.map((r) => [r.region, r.active]), [[PRIMARY_REGION, first === PRIMARY_REGION], [STANDBY_REGION, first === STANDBY_REGION]]);
    }
  });

  it("flipProblems finds a flip that renames, adds or replaces", async () => {
    await load();
    const renamed: PlanGraph = { ...after, resources: after.resources.map((r) => (r.type === "aws:sqs/queue:Queue" ? { ...r, urn: `${r.urn}-active` } : r)) };
    const text = flipProblems(diffGraphs(before, renamed)).join("\n");
    assert.match(text, /^adds .*-active$/m);
    assert.match(text, /^removes /m);
    const retagged: PlanGraph = { ...after, resources: after.resources.map((r) => (r.type === "aws:ecs/taskDefinition:TaskDefinition" ? { ...r, inputs: { ...r.inputs, cpu: "9999" } } : r)) };
    assert.match(flipProblems(diffGraphs(before, retagged)).join("\n"), /changes aws:ecs\/taskDefinition:TaskDefinition .*: cpu \(not a role input/);
  });

  it("refuses an active region that is not one of the stack's, or a data-only one, naming the key", async () => {
    const bad = await evaluateStack({ stack: "prod", overrides: { "platform:activeRegion": "eu-west-1" } });
    assert.equal(bad.ok, false);
    assert.match(bad.ok ? "" : bad.message, /platform:activeRegion: expected platform:region \(us-east-1\) or platform:secondaryRegion \(us-west-2\), got eu-west-1/);
    const dataOnly = await evaluateStack({ stack: "prod", overrides: { "platform:activeRegion": STANDBY_REGION, "platform:standby": null } });
    assert.match(dataOnly.ok ? "" : dataOnly.message, /platform:activeRegion: names the secondary region us-west-2, which runs no services without platform:standby/);
    const dev = await evaluateStack({ stack: "dev", overrides: { "platform:activeRegion": PRIMARY_REGION } });
    assert.match(dev.ok ? "" : dev.message, /platform:activeRegion: is only used with platform:secondaryRegion/);
  });
});
