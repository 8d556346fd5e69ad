import { strict as assert } from "assert";
import { missingFromPicture, renderMermaid } from "../tools/plan/mermaid";
import { STACKS, stack } from "./support/stacks";

describe("the plan as a picture (npm run plan -- --mermaid)", () => {
  for (const name of STACKS) {
    it(`${name}: shows every component, each once, in its region`, async () => {
      const q = await stack(name);
      const text = renderMermaid(q.graph);
      assert.match(text, /^flowchart LR\n/);
      assert.deepEqual(missingFromPicture(q.graph, text), []);
      const labels = [...text.matchAll(/\["([^<"]+)<br\/>/g)].map((m) => m[1]);
      assert.equal(new Set(labels).size, labels.length, "no component twice");
      assert.ok(labels.length <= 15, `small enough to read (${labels.length} nodes)`);
      // Compute reads the network it runs in: the arrow comes from a subnet id in its inputs.
      assert.match(text, new RegExp(`(c\\d+) --> (c\\d+)`));
      const id = (label: string) => new RegExp(`^\\s+(c\\d+)\\["${label}<br/>`, "m").exec(text)![1];
      assert.ok(text.includes(`${id("compute")} --> ${id("network")}`), text);
      assert.match(text, /subgraph us_east_1\["us-east-1"\][\s\S]*?c\d+\["network<br\/>[\s\S]*?end/);
    });
  }

  it("prod draws the standby region's components in us-west-2, apart from the primary's", async () => {
    const text = renderMermaid((await stack("prod")).graph);
    const west = /subgraph us_west_2\["us-west-2"\]\n([\s\S]*?)\n {2}end/.exec(text)![1];
    for (const label of ["compute-secondary", "network-secondary"]) assert.match(west, new RegExp(`\\["${label}<br/>`));
    assert.doesNotMatch(west, /\["compute<br\//);
  });

  it("the check fails when a component is left out of the picture", async () => {
    const q = await stack("prod");
    const text = renderMermaid(q.graph).replace(/^\s+c\d+\["observability<br\/>.*\n/m, "");
    assert.deepEqual(missingFromPicture(q.graph, text), ["platform:observability:Observability observability"]);
  });
});
