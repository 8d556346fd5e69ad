import { strict as assert } from "assert";
import { disabledDefaults, providerPackage, providerProblem } from "../tools/plan/providers";
import { early } from "./support/early";
import { programCopy, planCopy } from "./support/programCopy";
import { STACKS, stack } from "./support/stacks";
import { PROJECT_DIR } from "../tools/plan/evaluate";
import { loadStackConfig } from "../tools/plan/stackConfig";

const ref = (pkg: string, name: string) => `urn:pulumi:dev::platform::pulumi:providers:${pkg}::${name}::${name}-1234abcd`;

describe("explicit providers (what the engine enforces with default providers disabled)", () => {
  it("reads pulumi:disable-default-providers as the engine does", () => {
    assert.equal(disabledDefaults({ "pulumi:disable-default-providers": '["*"]' }), "*");
    assert.deepEqual([...(disabledDefaults({ "pulumi:disable-default-providers": '["aws","awsx"]' }) as Set<string>)], ["aws", "awsx"]);
    assert.deepEqual([...(disabledDefaults({}) as Set<string>)], []);
  });

  it("takes a provider's package from its reference, parented or not", () => {
    assert.equal(providerPackage(ref("awsx", "awsx-primary")), "awsx");
    assert.equal(providerPackage("urn:pulumi:dev::platform::platform:network:Network$pulumi:providers:aws::p::id"), "aws");
    assert.equal(providerPackage(""), undefined);
    assert.equal(providerPackage("urn:pulumi:dev::platform::aws:s3/bucket:Bucket::b::id"), undefined);
  });

  it("refuses a resource or invoke without a provider of its own package, and only where defaults are disabled", () => {
    assert.equal(providerProblem("aws:s3/bucket:Bucket", "b", ref("aws", "primary"), "*"), undefined);
    assert.match(providerProblem("awsx:ec2:Vpc", 'awsx:ec2:Vpc "vpc"', ref("aws", "primary"), "*") ?? "", /awsx:ec2:Vpc "vpc" names a aws provider, but its package is awsx/);
    assert.match(providerProblem("aws:index/getRegion:getRegion", "invoke getRegion", undefined, "*") ?? "", /has no explicit aws provider/);
    assert.equal(providerProblem("cloudflare:index/dnsRecord:DnsRecord", "r", undefined, new Set(["aws"])), undefined, "cloudflare's default provider is still allowed");
    assert.match(providerProblem("aws:s3/bucket:Bucket", "b", undefined, new Set(["aws"])) ?? "", /default providers are disabled for aws/);
    assert.equal(providerProblem("pulumi:pulumi:StackReference", "s", undefined, "*"), undefined);
  });

  for (const name of STACKS) {
    it(`${name}: every awsx component names an awsx provider, beside the aws provider of its region`, async () => {
      const q = await stack(name);
      const vpcs = q.ofType("awsx:ec2:Vpc");
      assert.ok(vpcs.length >= 1);
      for (const vpc of vpcs) {
        assert.equal(q.providerOf(vpc)?.type, "pulumi:providers:awsx", vpc.urn);
        assert.match(vpc.region ?? "", /^[a-z]{2}-[a-z]+-\d$/, `${vpc.urn} takes its region from the aws provider`);
      }
    });
  }

  for (const name of STACKS) {
    it(`${name}: every aws provider accepts only the stack's own account (platform:awsAccountId)`, async () => {
      const q = await stack(name);
      const account = JSON.parse(loadStackConfig(PROJECT_DIR, name).config["platform:awsAccountId"]);
      const providers = q.ofType("pulumi:providers:aws");
      assert.ok(providers.length >= 1);
      for (const p of providers) assert.deepEqual(JSON.parse(String(p.inputs.allowedAccountIds)), [String(account)], p.urn);
    });
  }

  // Starts when this file loads (tests/early.ts).
  const refusedRun = early(async () => {
    const copy = programCopy({
      // The bug this guards against: awsx components given only an aws provider.
      "program/region.ts": (t) => t.replace("providers: [r.providers.aws, r.providers.awsx]", "providers: [r.providers.aws]"),
      // And a resource and an invoke with no provider at all.
      "index.ts": (t) => t + `\nnew aws.s3.Bucket("stray", {});\naws.getCallerIdentityOutput({});\n`,
    });
    try {
      return await planCopy(copy.dir, ["--stack", "prod"]);
    } finally {
      copy.remove();
    }
  });
  it("npm run plan exits 3 and names every registration the engine would refuse", async function () {
    this.timeout(120000);
    const { code, stdout, stderr } = await refusedRun;
    assert.equal(code, 3, stderr);
    assert.equal(stdout, "", "nothing is printed as a plan");
    assert.match(stderr, /The engine would refuse 4 registration\(s\)/);
    assert.match(stderr, /awsx:ec2:Vpc "network-vpc" has no explicit awsx provider/);
    assert.match(stderr, /awsx:ec2:Vpc "network-secondary-vpc" has no explicit awsx provider/);
    assert.match(stderr, /aws:s3\/bucket:Bucket "stray" has no explicit aws provider/);
    assert.match(stderr, /invoke aws:index\/getCallerIdentity:getCallerIdentity has no explicit aws provider/);
    assert.doesNotMatch(stderr, /^\s+at /m, "no stack trace");
  });
});
