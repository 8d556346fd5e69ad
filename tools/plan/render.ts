import { PlanGraph, PlanResource } from "./graph";

/**
 * The text report of `npm run plan`: the resource tree grouped by component (with each resource's
 * region and the options a reviewer cares about), counts by type, providers and stack outputs.
 */
export function renderPlan(graph: PlanGraph): string {
  const children = new Map<string | undefined, PlanResource[]>();
  for (const r of graph.resources) {
    if (r.kind === "provider") continue;
    children.set(r.parent, [...(children.get(r.parent) ?? []), r]);
  }
  const lines: string[] = [];
  const managed = graph.resources.filter((r) => r.kind === "custom");
  lines.push(`Stack ${graph.stack} (project ${graph.project}): ${managed.length} cloud resources, ${graph.resources.length} in all`, "");

  const walk = (parent: string | undefined, indent: string) => {
    const list = (children.get(parent) ?? []).sort(byKindThenName);
    list.forEach((r, i) => {
      const last = i === list.length - 1;
      const branch = parent === undefined ? "" : last ? "└─ " : "├─ ";
      lines.push(`${indent}${branch}${describe(r)}`);
      walk(r.urn, parent === undefined ? "  " : indent + (last ? "   " : "│  "));
    });
  };
  walk(undefined, "");

  lines.push("", "Providers");
  for (const p of graph.resources.filter((r) => r.kind === "provider")) {
    lines.push(`  ${p.type.replace("pulumi:providers:", "")}  ${p.name}${p.region ? `  ${p.region}` : ""}`);
  }

  lines.push("", "Resources by type");
  const counts = new Map<string, number>();
  for (const r of graph.resources) if (r.kind !== "component") counts.set(r.type, (counts.get(r.type) ?? 0) + 1);
  for (const [type, n] of [...counts].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))) {
    lines.push(`  ${String(n).padStart(4)}  ${type}`);
  }

  lines.push("", "Outputs");
  for (const [k, v] of Object.entries(graph.outputs)) lines.push(`  ${k}: ${JSON.stringify(v)}`);
  return lines.join("\n");
}

function describe(r: PlanResource): string {
  const flags = [
    r.kind === "remote" ? "remote component" : undefined,
    r.options.protect ? "protect" : undefined,
    r.options.retainOnDelete ? "retain-on-delete" : undefined,
  ].filter(Boolean);
  const region = r.region ? `  [${r.region}]` : "";
  return `${r.type}  ${r.name}${region}${flags.length ? `  (${flags.join(", ")})` : ""}`;
}

function byKindThenName(a: PlanResource, b: PlanResource): number {
  const rank = (r: PlanResource) => (r.kind === "component" || r.kind === "remote" ? 1 : 0);
  return rank(a) - rank(b) || a.type.localeCompare(b.type) || a.name.localeCompare(b.name);
}
