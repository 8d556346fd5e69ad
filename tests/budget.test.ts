import { strict as assert } from "assert";
import * as path from "path";
import { formatProblems, validateConfig } from "../config/validate";
import { evaluateStack } from "../tools/plan/evaluate";
import { packConfigFor, runPolicies } from "../tools/plan/policy";
import { loadStackConfig } from "../tools/plan/stackConfig";
import { costOfGraph, renderCost } from "../tools/cost/report";
import { early } from "./support/early";
import { PlanGraph } from "../tools/plan/graph";
import { STACKS, stack } from "./support/stacks";

/**
 * AWS ORs the values of one budget filter (https://docs.aws.amazon.com/aws-cost-management/latest/APIReference/API_Expression.html):
 * a `TagKeyValue` filter listing two different tag keys, or one `Tags` operand listing several
 * values under an `And`, counts more than every tag at once. Each such filter, by budget.
 */
function orredTagFilters(graph: PlanGraph): string[] {
  return graph.resources
    .filter((r) => r.type === "aws:budgets/budget:Budget")
    .flatMap((b) => {
      const legacy = ((b.inputs.costFilters ?? []) as { name: string; values: string[] }[])
        .filter((f) => f.name === "TagKeyValue" && new Set(f.values.map((v) => v.split("$")[0])).size > 1)
        .map((f) => `${b.name}: costFilters TagKeyValue ORs ${f.values.join(" | ")}`);
      const ands = ((b.inputs.filterExpression as { ands?: { tags?: { key: string; values: string[] } }[] } | undefined)?.ands ?? [])
        .filter((a) => a.tags && a.tags.values.length > 1)
        .map((a) => `${b.name}: filterExpression tag ${a.tags!.key} ORs ${a.tags!.values.join(" | ")}`);
      // The provider: filterExpression "requires metrics" (aws/budgets/budget.d.ts).
      const metrics = b.inputs.filterExpression !== undefined && !b.inputs.metrics ? [`${b.name}: filterExpression without metrics`] : [];
      return [...legacy, ...ands, ...metrics];
    });
}

const ROOT = path.resolve(__dirname, "..");
// Prod with a budget far below its estimate: the gate must refuse it.
const tight = { "platform:budget": { monthlyUsd: 1000, recipients: ["oncall@example.com"] } };
const tightProd = early(() => evaluateStack({ stack: "prod", overrides: tight }));
const tightDev = early(() => evaluateStack({ stack: "dev", overrides: { "platform:budget": { monthlyUsd: 10, recipients: ["dev@example.com"] } } }));

describe("budget: platform:budget", () => {
  it("prod: a monthly COST budget on the stack's tags, actual and forecast alerts at each threshold, by email", async () => {
    const budget = (await stack("prod")).named("aws:budgets/budget:Budget", "budget");
    assert.equal(budget.region, "us-east-1");
    assert.deepEqual([budget.inputs.budgetType, budget.inputs.timeUnit, budget.inputs.limitAmount, budget.inputs.limitUnit], ["COST", "MONTHLY", "4000.00", "USD"]);
    assert.equal(budget.inputs.costFilters, undefined);
    assert.deepEqual(budget.inputs.filterExpression, { ands: [{ tags: { key: "env", values: ["prod"] } }, { tags: { key: "project", values: ["platform"] } }] });
    const notes = budget.inputs.notifications as { notificationType: string; threshold: number; thresholdType: string; comparisonOperator: string; subscriberEmailAddresses: string[] }[];
    assert.deepEqual(notes.map((n) => `${n.notificationType}@${n.threshold}`), ["ACTUAL@80", "FORECASTED@80", "ACTUAL@100", "FORECASTED@100"]);
    for (const n of notes) assert.deepEqual([n.thresholdType, n.comparisonOperator, n.subscriberEmailAddresses], ["PERCENTAGE", "GREATER_THAN", ["platform-oncall@example.com", "finance@example.com"]]);
  });

  it("counts spend tagged with the stack's env AND project: no filter ORs tag values (both stacks, and the old filter is caught)", async () => {
    for (const name of STACKS) assert.deepEqual(orredTagFilters((await stack(name)).graph), [], name);
    const q = await stack("prod");
    const old = { ...q.graph, resources: q.resources.map((r) => (r.type === "aws:budgets/budget:Budget" ? { ...r, inputs: { ...r.inputs, filterExpression: undefined, costFilters: [{ name: "TagKeyValue", values: ["user:env$prod", "user:project$platform"] }] } } : r)) };
    assert.deepEqual(orredTagFilters(old), ["budget: costFilters TagKeyValue ORs user:env$prod | user:project$platform"]);
    const noMetrics = { ...q.graph, resources: q.resources.map((r) => (r.type === "aws:budgets/budget:Budget" ? { ...r, inputs: { ...r.inputs, metrics: undefined } } : r)) };
    assert.deepEqual(orredTagFilters(noMetrics), ["budget: filterExpression without metrics"]);
    const widened = { ...q.graph, resources: q.resources.map((r) => (r.type === "aws:budgets/budget:Budget" ? { ...r, inputs: { ...r.inputs, filterExpression: { ands: [{ tags: { key: "env", values: ["prod", "dev"] } }] } } } : r)) };
    assert.deepEqual(orredTagFilters(widened), ["budget: filterExpression tag env ORs prod | dev"]);
  });

  it("config: more thresholds than a budget has notifications for, or no recipient, is refused naming the key", () => {
    const config = { ...loadStackConfig(ROOT, "dev").config, "platform:budget": JSON.stringify({ monthlyUsd: 100, thresholds: [50, 80, 100], recipients: [] }) };
    const result = validateConfig(config);
    assert.equal(result.ok, false);
    if (result.ok) return;
    const text = formatProblems(result.problems);
    assert.match(text, /platform:budget\.thresholds.*at most 2 thresholds/);
    assert.match(text, /platform:budget\.recipients.*at least one recipient/);
  });

  it("the policy gate refuses prod over budget (mandatory) and warns in dev (advisory); the committed stacks pass", async () => {
    const prod = await tightProd;
    assert.ok(prod.ok, prod.ok ? "" : prod.message);
    if (!prod.ok) return;
    const refused = await runPolicies(prod.graph, packConfigFor(ROOT, "prod"));
    const violation = refused.violations.find((v) => v.policy === "cost-within-budget");
    assert.equal(violation?.enforcementLevel, "mandatory");
    assert.match(violation!.message, /^the AWS estimate \$\d+\.\d\d a month exceeds budget budget's \$1000\.00 \(largest: data \$/);
    const dev = await tightDev;
    if (!dev.ok) throw new Error(dev.message);
    const warned = await runPolicies(dev.graph, packConfigFor(ROOT, "dev"));
    assert.equal(warned.violations.find((v) => v.policy === "cost-within-budget")?.enforcementLevel, "advisory");
    for (const name of ["dev", "prod"] as const) {
      const ok = await runPolicies((await stack(name)).graph, packConfigFor(ROOT, name));
      assert.equal(ok.violations.filter((v) => v.policy === "cost-within-budget").length, 0);
    }
  });

  it("npm run cost (and the plan) warn when the AWS estimate exceeds the budget, and say so when it does not", async () => {
    const prod = await tightProd;
    if (!prod.ok) throw new Error(prod.message);
    assert.match(renderCost(costOfGraph(prod.graph)), /WARNING: the AWS estimate \$[\d,]+\.\d\d exceeds platform:budget \$1,000\.00 a month/);
    assert.match(renderCost(costOfGraph((await stack("prod")).graph)), /Within platform:budget: AWS \$[\d,]+\.\d\d of \$4,000\.00 a month/);
  });
});
