import { strict as assert } from "assert";
import * as fs from "fs";
import * as path from "path";
import { PACKAGE_DIR } from "./support/packageAnalysis";
import { packageAnalysis } from "./support/packageAnalysisRun";

type Schema = { name: string; namespace: string; resources: Record<string, { inputProperties: Record<string, { $ref?: string; type?: string }>; requiredInputs?: string[]; properties: Record<string, unknown> }>; types: Record<string, { enum?: { value: string }[] }> };

/**
 * The package as a Pulumi component provider (PulumiPlugin.yaml, Node.js runtime): the Node.js
 * language host finds the components the package's main module exports and serves them with the
 * schema the SDK's analyzer derives from the TypeScript source. This is that schema, as
 * `pulumi package get-schema ./components` would produce it (the CLI is not on this machine).
 */
describe("@platform/components: the component-provider schema (other Pulumi languages)", function () {
  this.timeout(60000);
  let schema: Schema;
  before(async () => {
    schema = (await packageAnalysis).schema as Schema;
  });

  it("is a plugin of the Node.js runtime", () => {
    assert.equal(fs.readFileSync(path.join(PACKAGE_DIR, "PulumiPlugin.yaml"), "utf8").trim(), "runtime: nodejs");
  });

  it("describes all five components (and Delivery) with their main inputs and outputs", () => {
    assert.equal(schema.name, "components");
    assert.equal(schema.namespace, "platform");
    const main: Record<string, [string[], string[]]> = {
      Network: [["cidr", "azCount", "layout", "natGateways", "albIngressCidrs"], ["vpcId", "privateSubnetIds", "securityGroupIds"]],
      Data: [["protect", "aurora", "redis", "primary", "secondary", "appSecrets"], ["aurora", "cache", "storage", "kmsKeyArn", "secretArns", "regions"]],
      Compute: [["prefix", "settings", "services", "queues", "schedules", "network", "certificateArn", "endpoints"], ["albDnsName", "clusterName", "services", "deployTargets"]],
      Delivery: [["prefix", "ci", "regions", "kmsKeyArn"], ["codeArtifactDomain", "previewRoleArn", "deployRoleArn", "applicationRoleArn"]],
      Edge: [["zoneId", "plan", "domain", "hosts", "waf", "rateLimits", "albDnsName", "failover"], ["mediaDistributionArn", "mediaDomainName", "failover"]],
      Observability: [["settings", "regions", "credentials"], ["dashboardUrl", "monitorIds", "logStreamName"]],
    };
    assert.deepEqual(Object.keys(schema.resources).sort(), Object.keys(main).map((c) => `components:index:${c}`).sort());
    for (const [component, [inputs, outputs]] of Object.entries(main)) {
      const resource = schema.resources[`components:index:${component}`];
      for (const i of inputs) assert.ok(resource.inputProperties[i], `${component} input ${i}`);
      for (const o of outputs) assert.ok(resource.properties[o], `${component} output ${o}`);
    }
    assert.ok(schema.resources["components:index:Network"].requiredInputs?.includes("cidr"));
  });

  it("turns the string choices into enums another language can name", () => {
    const values = (t: string) => schema.types[`components:index:${t}`]?.enum?.map((e) => e.value);
    assert.deepEqual(values("NetworkLayout"), ["full", "isolatedOnly"]);
    assert.deepEqual(values("CloudflarePlan"), ["free", "pro", "business", "enterprise"]);
    assert.deepEqual(values("Capacity"), ["onDemand", "spot", "mixed"]);
    assert.equal(schema.resources["components:index:Network"].inputProperties.layout.$ref, "#/types/components:index:NetworkLayout");
  });

  it("an args field given a provider object becomes a reference to the aws provider, which the README lists as a limit", () => {
    // Edge.certificateProvider, Data.secondary.provider and Observability.secondaryProvider.
    assert.equal(schema.resources["components:index:Edge"].inputProperties.certificateProvider.$ref, "/aws/v7.48.0/schema.json#/resources/aws");
  });

  it("the analyzer refuses what cannot cross languages: an unnamed string union fails the schema", async () => {
    assert.match((await packageAnalysis).unnamedUnionError, /Union types are not supported for component 'Bad' property 'BadArgs.layout'/);
  });
});
