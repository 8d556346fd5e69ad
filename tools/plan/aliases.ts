/**
 * Aliases as the engine resolves them. A resource's own aliases arrive as specs (name, type,
 * stack, project, parent), each field defaulting to the resource's own; the engine then gives
 * every child the aliases of its parent: the same child under each URN its parent may have had,
 * its name's parent prefix swapped when the parent's name changed (the "inherited child alias"
 * rule, https://www.pulumi.com/docs/iac/concepts/resources/options/aliases/). The plan records
 * both, so a test can tell an update in place from a delete-and-create.
 */

export interface AliasSpecLike {
  urn?: string;
  name?: string;
  type?: string;
  stack?: string;
  project?: string;
  /** Parent URN; `noParent` for the stack itself. */
  parentUrn?: string;
  noParent?: boolean;
}

export interface UrnParts {
  stack: string;
  project: string;
  /** The `$`-joined type chain of the resource's ancestors (empty for a child of the stack). */
  parentChain: string;
  type: string;
  name: string;
}

export function parseUrn(urn: string): UrnParts {
  const [, rest] = urn.split("urn:pulumi:");
  const [stack, project, chain, ...name] = rest.split("::");
  const links = chain.split("$");
  return { stack, project, parentChain: links.slice(0, -1).join("$"), type: links[links.length - 1], name: name.join("::") };
}

export function makeUrn(p: UrnParts): string {
  return `urn:pulumi:${p.stack}::${p.project}::${p.parentChain ? `${p.parentChain}$` : ""}${p.type}::${p.name}`;
}

/**
 * The type chain a child of `parentUrn` carries: the parent's full qualified type (the engine's
 * `generateURN`; the stack itself is left out).
 */
export function chainUnder(parentUrn: string | undefined): string {
  if (!parentUrn) return "";
  const p = parseUrn(parentUrn);
  return [p.parentChain, p.type].filter(Boolean).join("$");
}

/** URNs of a resource's own alias specs. */
export function ownAliasUrns(self: UrnParts, parentUrn: string | undefined, specs: AliasSpecLike[]): string[] {
  return specs.map((a) => {
    if (a.urn) return a.urn;
    const parent = a.noParent ? undefined : (a.parentUrn ?? parentUrn);
    return makeUrn({
      stack: a.stack || self.stack,
      project: a.project || self.project,
      parentChain: chainUnder(parent),
      type: a.type || self.type,
      name: a.name || self.name,
    });
  });
}

/** The aliases a child gets from each URN its parent may have had. */
export function inheritedAliasUrns(self: UrnParts, parentUrn: string, parentAliases: string[]): string[] {
  const parentName = parseUrn(parentUrn).name;
  return parentAliases.map((alias) => {
    const aliasName = parseUrn(alias).name;
    const name = aliasName !== parentName && self.name.startsWith(parentName) ? aliasName + self.name.slice(parentName.length) : self.name;
    return makeUrn({ ...self, parentChain: chainUnder(alias), name });
  });
}
