/**
 * What a change does, offline: the resources a plan adds, removes and changes against a base plan
 * (an earlier `npm run plan -- --json` output), with the input keys that change, and the monthly
 * cost before and after per component. Secret inputs appear as "[secret]" in both plans: a key
 * that becomes or stops being secret is shown as changed, and no value is ever printed.
 */
import { PlanGraph, PlanResource } from "./graph";
import { costOfGraph } from "../cost/report";

export interface ResourceRef {
  urn: string;
  type: string;
  name: string;
}

export interface GraphDiff {
  added: ResourceRef[];
  removed: ResourceRef[];
  changed: (ResourceRef & { keys: string[]; secretKeys: string[] })[];
  cost: { before: number; after: number; delta: number; byComponent: { component: string; before: number; after: number; delta: number }[] };
}

const ref = (r: PlanResource): ResourceRef => ({ urn: r.urn, type: r.type, name: r.name });
const SECRET = "[secret]";
const round = (n: number) => Math.round(n * 100) / 100;

/** Input keys whose values differ (top level), and which of them are secret on either side. */
export function changedKeys(before: Record<string, unknown>, after: Record<string, unknown>): { keys: string[]; secretKeys: string[] } {
  const keys = [...new Set([...Object.keys(before), ...Object.keys(after)])].filter((k) => JSON.stringify(before[k]) !== JSON.stringify(after[k])).sort();
  const secretKeys = keys.filter((k) => JSON.stringify(before[k] ?? null).includes(SECRET) || JSON.stringify(after[k] ?? null).includes(SECRET));
  return { keys, secretKeys };
}

export function diffGraphs(base: PlanGraph, head: PlanGraph): GraphDiff {
  const before = new Map(base.resources.map((r) => [r.urn, r]));
  const after = new Map(head.resources.map((r) => [r.urn, r]));
  const changed: GraphDiff["changed"] = [];
  for (const [urn, r] of after) {
    const old = before.get(urn);
    if (!old) continue;
    const { keys, secretKeys } = changedKeys(old.inputs, r.inputs);
    if (keys.length) changed.push({ ...ref(r), keys, secretKeys });
  }
  const [b, a] = [costOfGraph(base), costOfGraph(head)];
  const components = [...new Set([...Object.keys(b.byComponent), ...Object.keys(a.byComponent)])].sort();
  return {
    added: [...after.values()].filter((r) => !before.has(r.urn)).map(ref),
    removed: [...before.values()].filter((r) => !after.has(r.urn)).map(ref),
    changed,
    cost: {
      before: b.total,
      after: a.total,
      delta: round(a.total - b.total),
      byComponent: components
        .map((component) => ({ component, before: b.byComponent[component] ?? 0, after: a.byComponent[component] ?? 0, delta: round((a.byComponent[component] ?? 0) - (b.byComponent[component] ?? 0)) }))
        .filter((c) => c.delta !== 0),
    },
  };
}

const usd = (n: number) => `${n < 0 ? "-" : ""}$${Math.abs(n).toLocaleString("en-US", { minimumFractionDigits: 2, maximumFractionDigits: 2 })}`;
const signed = (n: number) => (n > 0 ? `+${usd(n)}` : usd(n));

/** Markdown for a pull request: counts, each resource, and the cost table. */
export function renderDiff(d: GraphDiff, stack: string): string {
  const line = (mark: string, r: ResourceRef, extra = "") => `- ${mark} \`${r.type}\` ${r.name}${extra}`;
  const lines = [`### ${stack}: ${d.added.length} to add, ${d.changed.length} to change, ${d.removed.length} to remove; ${signed(d.cost.delta)} a month`, ""];
  lines.push(...d.added.map((r) => line("+", r)), ...d.removed.map((r) => line("-", r)));
  lines.push(...d.changed.map((r) => line("~", r, `: ${r.keys.map((k) => (r.secretKeys.includes(k) ? `${k} (secret)` : k)).join(", ")}`)));
  if (!d.added.length && !d.removed.length && !d.changed.length) lines.push("No resource changes.");
  lines.push("", "| monthly cost | before | after | delta |", "|---|---:|---:|---:|");
  for (const c of d.cost.byComponent) lines.push(`| ${c.component} | ${usd(c.before)} | ${usd(c.after)} | ${signed(c.delta)} |`);
  lines.push(`| **total** | ${usd(d.cost.before)} | ${usd(d.cost.after)} | ${signed(d.cost.delta)} |`);
  return lines.join("\n");
}
