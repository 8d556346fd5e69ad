import { strict as assert } from "assert";
import * as fs from "fs";
import * as compute from "@platform/components/compute";
import * as data from "@platform/components/data";
import * as edge from "@platform/components/edge";
import * as network from "@platform/components/network";
import * as observability from "@platform/components/observability";
import { REFERENCE, argsFields, misplacedDefaults, renderReference, undocumented } from "../tools/argsReference";
import { packageAnalysis } from "./support/packageAnalysisRun";

describe("@platform/components: every args field documents itself", function () {
  this.timeout(60000);
  let reference: ReturnType<typeof argsFields>;
  before(async () => {
    reference = (await packageAnalysis).reference;
  });

  it("finds the five components (and Delivery), every other component an entry point exports, and their args types", () => {
    assert.deepEqual(reference.components.map((c) => `${c.name}(${c.args})`).sort(), [
      "AuroraGlobal(AuroraGlobalArgs)", "Backups(BackupsArgs)", "Cache(CacheArgs)",
      "Compute(ComputeArgs)", "Data(DataArgs)", "Delivery(DeliveryArgs)", "Edge(EdgeArgs)", "Network(NetworkArgs)", "Observability(ObservabilityArgs)",
      "RegionFailover(RegionFailoverArgs)", "Storage(StorageArgs)", "ValidatedCertificate(ValidatedCertificateArgs)", "VpcPeering(VpcPeeringArgs)",
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

  // What each component applies, by the args type whose fields REFERENCE.md shows (Data fills in
  // `protect` of the Aurora and Redis settings itself).
  const withoutProtect = (o: object) => Object.fromEntries(Object.entries(o).filter(([k]) => k !== "protect"));
  const applied: Record<string, object> = {
    NetworkArgs: network.NETWORK_DEFAULTS,
    ComputeArgs: compute.COMPUTE_DEFAULTS,
    ComputeSettings: compute.SETTINGS_DEFAULTS,
    MigrationSettings: compute.MIGRATION_DEFAULTS,
    ServiceSpec: compute.SERVICE_DEFAULTS,
    QueueSpec: compute.QUEUE_DEFAULTS,
    QueueProcessor: compute.PROCESSOR_DEFAULTS,
    ScheduleSpec: compute.SCHEDULE_DEFAULTS,
    DataEndpoints: compute.ENDPOINT_DEFAULTS,
    DeliveryArgs: compute.DELIVERY_DEFAULTS,
    CiSettings: compute.CI_DEFAULTS,
    StateBackend: compute.STATE_BACKEND_DEFAULTS,
    DataArgs: data.DATA_DEFAULTS,
    AuroraSettings: { ...withoutProtect(data.AURORA_DEFAULTS), ...data.AURORA_SETTINGS_DEFAULTS },
    CacheSettings: withoutProtect(data.CACHE_DEFAULTS),
    BackupSettings: data.BACKUP_DEFAULTS,
    ApplicationPlacement: data.APPLICATION_PLACEMENT_DEFAULTS,
    EdgeArgs: edge.EDGE_DEFAULTS,
    Hsts: edge.HSTS_DEFAULTS,
    EdgeCache: edge.EDGE_CACHE_DEFAULTS,
    EdgeWaf: { ...edge.EDGE_WAF_DEFAULTS, ...edge.WAF_DEFAULTS },
    RateLimit: edge.RATE_LIMIT_DEFAULTS,
    EdgeFailover: edge.EDGE_FAILOVER_DEFAULTS,
    ObservabilityArgs: observability.OBSERVABILITY_DEFAULTS,
    ObservedRegion: observability.OBSERVED_REGION_DEFAULTS,
    ObservabilitySettings: observability.OBSERVABILITY_SETTINGS_DEFAULTS,
    DatadogSettings: observability.DATADOG_DEFAULTS,
    SloSettings: observability.SLO_DEFAULTS,
    MonitorThresholds: observability.THRESHOLD_DEFAULTS,
    AuroraGlobalArgs: data.AURORA_DEFAULTS,
    CacheArgs: data.CACHE_DEFAULTS,
    BackupsArgs: data.BACKUP_DEFAULTS,
    ValidatedCertificateArgs: edge.CERTIFICATE_DEFAULTS,
    RegionFailoverArgs: { intervalSeconds: edge.EDGE_FAILOVER_DEFAULTS.intervalSeconds },
  };

  /** `Owner.field: problem` wherever a documented default and the applied one disagree, either way. */
  function defaultMismatches(fields: typeof reference.fields, constants: Record<string, object>): string[] {
    const problems = fields.flatMap((f) => {
      if (f.default === undefined) return [];
      const values = constants[f.owner] as Record<string, unknown> | undefined;
      if (!values || !(f.name in values)) return [`${f.owner}.${f.name}: @default ${f.default}, but the component applies none`];
      return JSON.stringify(JSON.parse(f.default)) === JSON.stringify(values[f.name]) ? [] : [`${f.owner}.${f.name}: @default ${f.default}, but the component applies ${JSON.stringify(values[f.name])}`];
    });
    for (const [owner, values] of Object.entries(constants)) {
      for (const name of Object.keys(values)) {
        const f = fields.find((x) => x.owner === owner && x.name === name);
        // A default that is a named constant or follows from another field says so in prose ("Default: …").
        if (!f || (f.default === undefined && !/Default: /.test(f.doc))) problems.push(`${owner}.${name}: the component applies a default its doc comment does not state`);
      }
    }
    return problems;
  }

  it("states each default once: @default only on optional fields, equal to what the component applies", () => {
    assert.deepEqual(misplacedDefaults(reference.fields), []);
    assert.deepEqual(defaultMismatches(reference.fields, applied), []);
    // Each direction can fail: a doc that says another value, and a default no doc states.
    const wrong = reference.fields.map((f) => (f.owner === "ServiceSpec" && f.name === "healthCheckPath" ? { ...f, default: '"/healthz"' } : f));
    assert.deepEqual(defaultMismatches(wrong, applied), ['ServiceSpec.healthCheckPath: @default "/healthz", but the component applies "/health"']);
    assert.deepEqual(defaultMismatches(reference.fields, { ...applied, ScheduleSpec: { ...compute.SCHEDULE_DEFAULTS, command: ["true"] } }), [
      "ScheduleSpec.command: the component applies a default its doc comment does not state",
    ]);
    assert.deepEqual(misplacedDefaults([{ owner: "X", name: "y", type: "number", optional: false, doc: "d", default: "1" }]), ["X.y: @default on a required field"]);
  });

  it("components/REFERENCE.md is generated from them (npm run components:docs)", () => {
    assert.equal(fs.readFileSync(REFERENCE, "utf8"), renderReference(reference), "components/REFERENCE.md is stale: run npm run components:docs");
  });
});
