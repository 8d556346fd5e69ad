import { strict as assert } from "assert";
import { inheritedAliasUrns, makeUrn, ownAliasUrns, parseUrn } from "../tools/plan/aliases";
import { STACKS, stack } from "./support/stacks";

const U = (chain: string, name: string) => `urn:pulumi:prod::platform::${chain}::${name}`;

describe("URNs and aliases as the engine resolves them", () => {
  it("parses and rebuilds URNs with the full parent type chain", () => {
    const urn = U("platform:compute:Compute$platform:compute:CiAccess$aws:iam/role:Role", "compute-ci-deploy");
    const p = parseUrn(urn);
    assert.deepEqual(p, { stack: "prod", project: "platform", parentChain: "platform:compute:Compute$platform:compute:CiAccess", type: "aws:iam/role:Role", name: "compute-ci-deploy" });
    assert.equal(makeUrn(p), urn);
  });

  it("resolves an alias spec with the resource's own fields as defaults, and the stack as parent with noParent", () => {
    const self = parseUrn(U("platform:ci:Ci", "ci"));
    const oldParent = U("platform:compute:Compute", "compute");
    assert.deepEqual(ownAliasUrns(self, undefined, [{ parentUrn: oldParent, name: "compute-ci", type: "platform:compute:CiAccess" }]), [U("platform:compute:Compute$platform:compute:CiAccess", "compute-ci")]);
    assert.deepEqual(ownAliasUrns(self, oldParent, [{ noParent: true }]), [U("platform:ci:Ci", "ci")]);
  });

  it("gives a child every URN its parent may have had, renaming its parent prefix when the parent was renamed", () => {
    const parent = U("platform:ci:Ci", "ci");
    const child = parseUrn(U("platform:ci:Ci$aws:iam/role:Role", "ci-deploy"));
    assert.deepEqual(inheritedAliasUrns(child, parent, [U("platform:compute:Compute$platform:compute:CiAccess", "compute-ci")]), [
      U("platform:compute:Compute$platform:compute:CiAccess$aws:iam/role:Role", "compute-ci-deploy"),
    ]);
  });

  for (const name of STACKS) {
    it(`${name}: every URN is unique and every child's URN carries its parent's full type chain`, async () => {
      const q = await stack(name);
      assert.equal(new Set(q.resources.map((r) => r.urn)).size, q.resources.length);
      const byUrn = new Map(q.resources.map((r) => [r.urn, r]));
      for (const r of q.resources.filter((x) => x.parent)) {
        const parent = parseUrn(r.parent!);
        assert.equal(parseUrn(r.urn).parentChain, [parent.parentChain, parent.type].filter(Boolean).join("$"), r.urn);
        assert.ok(byUrn.has(r.parent!), `${r.urn}: parent not in the graph`);
      }
    });
  }
});
