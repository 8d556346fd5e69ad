import { PlanGraph, PlanResource } from "./graph";

/** Small, explicit lookups over a plan graph, shared by the tests and the policy runner. */
export class GraphQuery {
  private readonly byUrn: Map<string, PlanResource>;

  constructor(readonly graph: PlanGraph) {
    this.byUrn = new Map(graph.resources.map((r) => [r.urn, r]));
  }

  get resources(): PlanResource[] {
    return this.graph.resources;
  }

  /** Resources of a type token (e.g. `aws:rds/cluster:Cluster`), optionally filtered. */
  ofType(type: string, filter: (r: PlanResource) => boolean = () => true): PlanResource[] {
    return this.graph.resources.filter((r) => r.type === type && filter(r));
  }

  /** The single resource of a type with that logical name; throws naming what exists otherwise. */
  named(type: string, name: string): PlanResource {
    const found = this.ofType(type, (r) => r.name === name);
    if (found.length !== 1) {
      const names = this.ofType(type).map((r) => r.name);
      throw new Error(`expected one ${type} named "${name}", found ${found.length} (have: ${names.join(", ") || "none"})`);
    }
    return found[0];
  }


  /** The resource whose mock id or ARN equals `value` (inputs carry ids, not URNs). */
  byIdOrArn(value: unknown): PlanResource | undefined {
    return this.graph.resources.find((r) => value !== undefined && (r.urn === value || r.id === value || r.arn === value));
  }

  /** Direct children of a resource. */
  children(urn: string): PlanResource[] {
    return this.graph.resources.filter((r) => r.parent === urn);
  }

  /** Every resource under a component (any depth). */
  descendants(urn: string): PlanResource[] {
    const out: PlanResource[] = [];
    const visit = (u: string) => this.children(u).forEach((c) => (out.push(c), visit(c.urn)));
    visit(urn);
    return out;
  }

  /**
   * The graph as seen from one region: resources in that region, and those with no region
   * (components, global services). IAM resources count as the region of the provider that made them.
   */
  inRegion(region: string): GraphQuery {
    return new GraphQuery({ ...this.graph, resources: this.graph.resources.filter((r) => !r.region || r.region === region || r.region === "global") });
  }

  /** The provider resource that manages `r`. */
  providerOf(r: PlanResource): PlanResource | undefined {
    return r.provider ? this.byUrn.get(r.provider) : undefined;
  }
}
