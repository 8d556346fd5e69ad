/**
 * The offline policy runner (tools/plan/policy.ts) calls a rule that names its `types` for those
 * resources only, where the engine calls it for every resource. tests/policy.test.ts compares
 * both ways on every rule's failing case; this spec shows the filter is in use and what it would hide.
 */
import { strict as assert } from "assert";
import { policies } from "../policy/rules";
import { Rule, resourceRule } from "../policy/rules/lib";
import { PlanGraph } from "../tools/plan/graph";
import { runPolicies } from "../tools/plan/policy";

describe("Policy runner: a rule's types", () => {
  it("are named by most resource rules (else the filter would save nothing)", () => {
    const resourceRules = policies.filter((r) => "validateResource" in r);
    const typed = resourceRules.filter((r) => "types" in r && r.types?.length);
    assert.ok(typed.length >= resourceRules.length * 0.8, `${typed.length} of ${resourceRules.length}`);
  });

  it("skip every other resource: types that disagree with what a rule judges hide its finding (the comparison in policy.test.ts catches that)", async () => {
    const judgesBuckets = { ...resourceRule("judges-buckets", "refuses every bucket", ["aws:s3/bucket:Bucket"], () => "refused"), types: ["aws:sqs/queue:Queue"] } as Rule;
    const graph = { stack: "t", project: "p", resources: [{ urn: "urn:pulumi:t::p::aws:s3/bucket:Bucket::b", type: "aws:s3/bucket:Bucket", name: "b", kind: "custom", inputs: {}, options: {} }] } as unknown as PlanGraph;
    assert.equal((await runPolicies(graph, {}, [judgesBuckets])).violations.length, 0);
    assert.equal((await runPolicies(graph, {}, [{ ...judgesBuckets, types: undefined } as Rule])).violations.length, 1);
  });
});
