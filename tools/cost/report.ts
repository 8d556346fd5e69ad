/**
 * The cost of an offline plan graph (`npm run plan -- --json` output, or a fresh evaluation):
 * its resources go through the pack's cost engine (policy/cost), with the usage and Cloudflare
 * plan the stack exports as `costModel`.
 */
import { CostReport, estimate } from "../../policy/cost/estimate";
import { PriceBook, loadPriceBook } from "../../policy/cost/prices";
import { CostResource } from "../../policy/cost/resources";
import { UsageOverride, resolveUsage } from "../../policy/cost/usage";
import { PlanGraph } from "../plan/graph";

export interface CostModel {
  environment: string;
  usage?: UsageOverride;
  cloudflarePlan?: string;
  budgetUsd?: number;
}

/** The plan graph's resources as the cost engine reads them (inputs, and the outputs remote components report). */
export function costResources(graph: PlanGraph): CostResource[] {
  return graph.resources.map((r) => ({ urn: r.urn, type: r.type, name: r.name, id: r.id, region: r.region, props: { ...r.inputs, ...(r.outputs ?? {}) } }));
}

export function costModelOf(graph: PlanGraph): CostModel {
  const model = graph.outputs.costModel as CostModel | undefined;
  return model ?? { environment: String(graph.outputs.environment ?? "dev") };
}

export function costOfGraph(graph: PlanGraph, prices: PriceBook = loadPriceBook()): CostReport & { budgetUsd?: number } {
  const model = costModelOf(graph);
  const report = estimate({ stack: graph.stack, resources: costResources(graph), usage: resolveUsage(model.environment, model.usage ?? {}), prices, cloudflarePlan: model.cloudflarePlan });
  return { ...report, budgetUsd: model.budgetUsd };
}

const usd = (n: number) => `$${n.toLocaleString("en-US", { minimumFractionDigits: 2, maximumFractionDigits: 2 })}`;
const unitUsd = (n: number) => `$${n < 1 ? String(Number(n.toPrecision(4))) : n.toFixed(2)}`;
const qty = (n: number) => (Number.isInteger(n) ? String(n) : n.toFixed(n < 10 ? 3 : 1));

/** The report as a reader wants it: a table per resource, subtotals, totals, what has no price, and the assumptions. */
export function renderCost(r: CostReport & { budgetUsd?: number }): string {
  const lines = [`Stack ${r.stack}: ${usd(r.total)} a month (USD, list prices; * = unverified price)`, ""];
  lines.push("| resource | region | dimension | quantity | unit price | monthly | assumption |", "|---|---|---|---:|---:|---:|---|");
  for (const item of [...r.resources].sort((a, b) => a.component.localeCompare(b.component) || b.monthly - a.monthly)) {
    item.dimensions.forEach((d, i) =>
      lines.push(`| ${i === 0 ? `${item.component} · ${item.type.split(":").pop()} ${item.name}` : ""} | ${i === 0 ? item.region : ""} | ${d.name} | ${qty(d.quantity)} | ${unitUsd(d.unitUsd)}${d.unverified ? "*" : ""}${d.factor !== undefined ? ` × ${d.factor.toFixed(2)}` : ""} | ${usd(d.monthly)} | ${d.assumption ?? ""} |`),
    );
  }
  const table = (title: string, rows: Record<string, number>) => ["", `| ${title} | monthly |`, "|---|---:|", ...Object.entries(rows).sort((a, b) => b[1] - a[1]).map(([k, v]) => `| ${k} | ${usd(v)} |`)];
  lines.push(...table("component", r.byComponent), ...table("region", r.byRegion), ...table("vendor", r.byVendor));
  lines.push("", `Total: ${usd(r.total)} a month`);
  if (r.budgetUsd !== undefined) {
    const aws = r.byVendor.aws;
    lines.push(aws > r.budgetUsd ? `WARNING: the AWS estimate ${usd(aws)} exceeds platform:budget ${usd(r.budgetUsd)} a month` : `Within platform:budget: AWS ${usd(aws)} of ${usd(r.budgetUsd)} a month`);
  }
  const byReason = (types: string[]) => {
    const groups = new Map<string, string[]>();
    for (const t of types) groups.set(r.reasons[t] ?? "", [...(groups.get(r.reasons[t] ?? "") ?? []), t]);
    return [...groups].map(([why, ts]) => `  - ${why}: ${ts.join(", ")}`);
  };
  lines.push("", `Free (no charge of their own): ${r.free.length} type(s)`, ...byReason(r.free));
  lines.push(r.unpriced.length ? `Unpriced (NOT in the total): ${r.unpriced.length}` : "Unpriced: none", ...byReason(r.unpriced));
  lines.push(`Unverified prices used: ${r.unverifiedPrices.length} (pricing/*.json says where each was read)`);
  for (const [region, used] of Object.entries(r.borrowedPrices ?? {})) {
    lines.push(`WARNING: ${region} has no prices of its own: priced at ${used} rates, marked *`);
  }
  const { hoursPerMonth, cloudflarePlan, ...usage } = r.assumptions;
  lines.push("", `Assumptions: ${hoursPerMonth} hours a month; Cloudflare plan ${cloudflarePlan ?? "none"}; usage ${JSON.stringify(usage)}`);
  return lines.join("\n");
}
