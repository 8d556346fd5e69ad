/**
 * The plan as a picture: a Mermaid flowchart of the program's components, grouped by region, with
 * an arrow from a component to each one whose resources it references (an input that carries
 * another component's id or ARN, inside policy JSON too, or an explicit dependsOn; the graph keeps
 * no other outputs, so a reference by DNS name, such as the edge's origins, draws no arrow). GitHub renders
 * ```mermaid blocks in job summaries and Markdown
 * (https://docs.github.com/en/get-started/writing-on-github/working-with-advanced-formatting/creating-diagrams).
 */
import { PlanGraph, PlanResource } from "./graph";

interface Node {
  urn: string;
  label: string;
  /** The region group it is drawn in: a region name, or "global" for account-wide components. */
  group: string;
}

/** The components a reader names: our top-level components, and those inside a region component. */
export function pictureNodes(graph: PlanGraph): Node[] {
  const byUrn = new Map(graph.resources.map((r) => [r.urn, r]));
  const ours = graph.resources.filter((r) => r.kind === "component" && r.type.startsWith("platform:"));
  const top = ours.filter((r) => !r.parent || !byUrn.get(r.parent)?.type.startsWith("platform:"));
  const nodes: Node[] = [];
  for (const c of top) {
    const inner = c.type === "platform:region:Region" ? ours.filter((r) => r.parent === c.urn) : [];
    for (const n of inner.length ? inner : [c]) nodes.push({ urn: n.urn, label: `${n.name}<br/><small>${n.type}</small>`, group: regionOf(graph, n) });
  }
  return nodes;
}

/** The one region a component's AWS resources live in; "multi-region" or "global" (no AWS region) otherwise. */
function regionOf(graph: PlanGraph, component: PlanResource): string {
  const regions = new Set(descendants(graph, component.urn).flatMap((r) => (r.kind !== "component" && r.region ? [r.region] : [])));
  return regions.size === 1 ? [...regions][0] : regions.size ? "multi-region" : "global";
}

function descendants(graph: PlanGraph, urn: string): PlanResource[] {
  const out: PlanResource[] = [];
  const walk = (u: string) => graph.resources.filter((r) => r.parent === u).forEach((r) => (out.push(r), walk(r.urn)));
  walk(urn);
  return out;
}

/** Every string inside a value, JSON-encoded policies included. */
function strings(value: unknown, out: string[] = []): string[] {
  if (typeof value === "string") {
    out.push(value);
    if (/^\s*[{[]/.test(value)) {
      try {
        strings(JSON.parse(value), out);
      } catch {
        /* not JSON */
      }
    }
  } else if (Array.isArray(value)) value.forEach((v) => strings(v, out));
  else if (value && typeof value === "object") Object.values(value).forEach((v) => strings(v, out));
  return out;
}

/** Edges "from depends on to", between the nodes, without self-edges. */
export function pictureEdges(graph: PlanGraph, nodes: Node[]): [string, string][] {
  const owner = new Map<string, string>();
  for (const n of nodes) for (const r of [graph.resources.find((x) => x.urn === n.urn)!, ...descendants(graph, n.urn)]) owner.set(r.urn, n.urn);
  // A value names a component only when no other component has it (two regions' clusters share a name).
  const refs = new Map<string, string | null>();
  for (const r of graph.resources) {
    const o = owner.get(r.urn);
    if (!o) continue;
    // An arn given as an input (a topic policy's, an event target's) is the other resource's, not this one's.
    const ownArn = r.arn !== undefined && r.arn === r.inputs.arn ? undefined : r.arn;
    for (const v of [r.id, ownArn, ...(r.kind === "remote" ? strings(r.outputs) : [])]) {
      if (v && v.length >= 8) refs.set(v, refs.has(v) && refs.get(v) !== o ? null : o);
    }
  }
  const edges = new Set<string>();
  for (const r of graph.resources) {
    const from = owner.get(r.urn);
    if (!from) continue;
    const targets = [...strings(r.inputs).map((x) => refs.get(x)), ...r.options.dependsOn.map((u) => owner.get(u))];
    for (const to of targets) if (to && to !== from) edges.add(`${from}\n${to}`);
  }
  return [...edges].map((e) => e.split("\n") as [string, string]).sort();
}

/** The flowchart text (without the ```mermaid fence). */
export function renderMermaid(graph: PlanGraph): string {
  const nodes = pictureNodes(graph);
  const id = new Map(nodes.map((n, i) => [n.urn, `c${i}`]));
  const lines = ["flowchart LR"];
  for (const group of [...new Set(nodes.map((n) => n.group))].sort()) {
    const title = { global: "global (Cloudflare, Datadog)", "multi-region": "spans both regions" }[group] ?? group;
    lines.push(`  subgraph ${group.replace(/\W/g, "_")}["${title}"]`);
    for (const n of nodes.filter((x) => x.group === group)) lines.push(`    ${id.get(n.urn)}["${n.label}"]`);
    lines.push("  end");
  }
  for (const [from, to] of pictureEdges(graph, nodes)) lines.push(`  ${id.get(from)} --> ${id.get(to)}`);
  return lines.join("\n") + "\n";
}

/** Components of the graph that the picture does not show as a node (what the test holds at []). */
export function missingFromPicture(graph: PlanGraph, picture: string): string[] {
  const byUrn = new Map(graph.resources.map((r) => [r.urn, r]));
  const shown = new Set([...picture.matchAll(/^\s+c\d+\["([^<"]+)<br\/>/gm)].map((m) => m[1]));
  return graph.resources
    .filter((r) => r.kind === "component" && r.type.startsWith("platform:") && r.type !== "platform:region:Region")
    .filter((r) => {
      const parentType = r.parent ? byUrn.get(r.parent)?.type : undefined;
      return !parentType?.startsWith("platform:") || parentType === "platform:region:Region";
    })
    .filter((r) => !shown.has(r.name))
    .map((r) => `${r.type} ${r.name}`);
}
