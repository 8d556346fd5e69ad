import { strict as assert } from "assert";
import * as fs from "fs";
import * as path from "path";
import { PlanGraph } from "../tools/plan/graph";
import { STATEFUL_TYPES } from "../tools/plan/stateful";
import { STACKS, StackName, stack } from "./support/stacks";

// The stateful types live in one module, shared with the CI guard on the real engine's preview.
export { STATEFUL_TYPES };

interface Fixture {
  resources: { urn: string; type: string }[];
}

/** A file of the URNs a committed stack was deployed with (`when`: an older graph kept for one refactor). */
const fixtureFile = (name: StackName, when = "") => path.join(__dirname, "fixtures", `urns-${name}${when}.json`);
/** The URNs a committed stack was deployed with; every committed stack has its file. */
function fixture(name: StackName, when = ""): Fixture {
  const file = fixtureFile(name, when);
  if (!fs.existsSync(file)) throw new Error(`stack ${name} has no ${path.relative(process.cwd(), file)}: write it with \`npx tsx tools/ci/stacks.ts --urn-fixture ${name} <commit>\` (docs/environments.md)`);
  return JSON.parse(fs.readFileSync(file, "utf8"));
}
/** The graphs just before the region's role became data (issue 26: platform:activeRegion, region list); staging was first committed after it. */
const BEFORE_ACTIVE_REGION = "-before-active-region";

/** How today's graph relates to the deployed one: old URNs it no longer has (stateful or not) and URNs it adds. */
export function continuity(before: Fixture, after: PlanGraph): { replaced: string[]; removed: string[]; added: string[] } {
  const known = new Set(after.resources.flatMap((r) => [r.urn, ...r.options.aliases]));
  const lost = before.resources.filter((r) => !known.has(r.urn));
  const old = new Set(before.resources.map((r) => r.urn));
  return {
    replaced: lost.filter((r) => STATEFUL_TYPES.includes(r.type)).map((r) => r.urn),
    removed: lost.filter((r) => !STATEFUL_TYPES.includes(r.type)).map((r) => r.urn),
    added: after.resources.filter((r) => !old.has(r.urn) && !r.options.aliases.some((a) => old.has(a))).map((r) => r.urn),
  };
}

describe("URN continuity: a deployed stack is updated in place, never rebuilt", () => {
  for (const name of STACKS) {
    it(`${name}: every stateful resource of the deployed graph keeps its URN or has an alias to it`, async () => {
      const q = await stack(name);
      assert.deepEqual(continuity(fixture(name), q.graph).replaced, []);
    });
  }

  it("dev: nothing is removed; what is added is the account-wide Delivery component, the budget, and the log deliveries and paging delivery-status logs added since", async () => {
    const { removed, added } = continuity(fixture("dev"), (await stack("dev")).graph);
    assert.deepEqual(removed, []);
    assert.deepEqual(added.map((u) => u.split("::").slice(2).join("::")).sort(), [
      "aws:budgets/budget:Budget::budget",
      "platform:compute:Delivery::delivery",
      "platform:data:Data$platform:data:Storage$aws:s3/bucketLogging:BucketLogging::data-storage-log-backup",
      "platform:edge:Edge$aws:cloudwatch/logDelivery:LogDelivery::edge-media-logs",
      "platform:edge:Edge$aws:cloudwatch/logDeliveryDestination:LogDeliveryDestination::edge-media-logs",
      "platform:edge:Edge$aws:cloudwatch/logDeliverySource:LogDeliverySource::edge-media-logs",
      // The paging topic's delivery-status logging (FSBP SNS.2): its role and two log groups.
      "platform:observability:Observability$platform:observability:LastResortAlarms$platform:observability:PagingTopic$aws:cloudwatch/logGroup:LogGroup::observability-alarms-paging-delivery-failure",
      "platform:observability:Observability$platform:observability:LastResortAlarms$platform:observability:PagingTopic$aws:cloudwatch/logGroup:LogGroup::observability-alarms-paging-delivery-success",
      "platform:observability:Observability$platform:observability:LastResortAlarms$platform:observability:PagingTopic$aws:iam/role:Role::observability-alarms-paging-delivery-status",
      "platform:observability:Observability$platform:observability:LastResortAlarms$platform:observability:PagingTopic$aws:iam/rolePolicy:RolePolicy::observability-alarms-paging-delivery-status",
    ]);
  });

  for (const name of STACKS.filter((n) => fs.existsSync(fixtureFile(n, BEFORE_ACTIVE_REGION)))) {
    it(`${name}: the region list and platform:activeRegion keep every resource of the graph before them (stateful or not) but the standby Redis's own password and parameter group`, async () => {
      const q = await stack(name);
      const { replaced, removed } = continuity(fixture(name, BEFORE_ACTIVE_REGION), q.graph);
      assert.deepEqual(replaced, []);
      // As a Global Datastore member the standby's Redis takes the primary's token and the datastore's parameters.
      const datastore = q.ofType("aws:elasticache/globalReplicationGroup:GlobalReplicationGroup").length > 0;
      const expected = datastore ? ["aws:elasticache/parameterGroup:ParameterGroup::data-redis-secondary", "random:index/randomPassword:RandomPassword::data-redis-secondary-auth"] : [];
      assert.deepEqual(removed.map((u) => u.split("$").pop()).sort(), expected);
    });
  }

  it("fails when a moved stateful resource loses its alias (CodeArtifact would be recreated, its packages gone)", async () => {
    const q = await stack("dev");
    const withoutAliases = { ...q.graph, resources: q.resources.map((r) => (r.type.startsWith("aws:codeartifact/") ? { ...r, options: { ...r.options, aliases: [] } } : r)) };
    const { replaced } = continuity(fixture("dev"), withoutAliases);
    assert.deepEqual(replaced.map((u) => u.split("::").pop()).sort(), ["platform-dev", "platform-dev-internal", "platform-dev-npm-store"]);
  });
});
