import { strict as assert } from "assert";
import * as fs from "fs";
import { REFERENCE, argsFields, renderReference, undocumented } from "../tools/argsReference";
import { packageAnalysis } from "./support/packageAnalysisRun";

describe("@platform/components: every args field documents itself", function () {
  this.timeout(60000);
  let reference: ReturnType<typeof argsFields>;
  before(async () => {
    reference = (await packageAnalysis).reference;
  });

  it("finds the five components (and Delivery) and their args types", () => {
    assert.deepEqual(reference.components.map((c) => `${c.name}(${c.args})`).sort(), [
      "Compute(ComputeArgs)", "Data(DataArgs)", "Delivery(DeliveryArgs)", "Edge(EdgeArgs)", "Network(NetworkArgs)", "Observability(ObservabilityArgs)",
    ]);
    // Nested types are reached too: a service's fields, and the settings behind Observability.
    for (const field of ["ServiceSpec.port", "TaskBounds.minTasks", "ObservabilitySettings.slo", "AuroraSettings.engineVersion", "RateLimit.periodSeconds"]) {
      assert.ok(reference.fields.some((f) => `${f.owner}.${f.name}` === field), field);
    }
  });

  it("has a doc comment on every field, and finds one that has none", () => {
    assert.deepEqual(undocumented(reference.fields), []);
    const bare = reference.fields.map((f) => (f.owner === "NetworkArgs" && f.name === "cidr" ? { ...f, doc: "" } : f));
    assert.deepEqual(undocumented(bare), ["NetworkArgs.cidr"]);
  });

  it("components/REFERENCE.md is generated from them (npm run components:docs)", () => {
    assert.equal(fs.readFileSync(REFERENCE, "utf8"), renderReference(reference), "components/REFERENCE.md is stale: run npm run components:docs");
  });
});
