import { strict as assert } from "assert";
import { spawn } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { PROJECT_DIR, evaluateIn, evaluateStack, newWorker } from "../tools/plan/evaluate";
import { MOCK_ACCOUNT_ID } from "../tools/plan/mocks";
import { policyJson } from "../tools/plan/policyDocument";
import { plan } from "./support/command";
import { early } from "./support/early";
import { STACKS, evaluation, stack } from "./support/stacks";

/** A config dir holding a copy of the dev stack file with `edit` applied to its text. */
function brokenStackDir(edit: (text: string) => string): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "plan-"));
  fs.writeFileSync(path.join(dir, "Pulumi.broken.yaml"), edit(fs.readFileSync(path.join(PROJECT_DIR, "Pulumi.dev.yaml"), "utf8")));
  return dir;
}

describe("offline evaluator", () => {
  for (const name of STACKS) {
    describe(`${name} graph`, () => {
      it("names its stack and project and records every resource with its options", async () => {
        const q = await stack(name);
        assert.equal(q.graph.stack, name);
        assert.equal(q.graph.project, "platform");
        assert.ok(q.resources.length > 20);
        for (const r of q.resources) {
          assert.ok(r.urn.startsWith(`urn:pulumi:${name}::platform::`), r.urn);
          assert.ok(!r.urn.includes("pulumi:pulumi:Stack"), `stack type leaked into ${r.urn}`);
          assert.deepEqual(Object.keys(r.options).slice(0, 5), ["protect", "retainOnDelete", "dependsOn", "ignoreChanges", "deleteBeforeReplace"]);
        }
      });

      it("gives every cloud resource an explicit provider (Pulumi.yaml disables default providers)", async () => {
        const q = await stack(name);
        const orphans = q.resources.filter((r) => r.kind === "custom" && !q.providerOf(r)).map((r) => r.urn);
        assert.deepEqual(orphans, []);
      });

      it("puts every AWS resource under an explicit provider with a region", async () => {
        const q = await stack(name);
        for (const r of q.resources.filter((x) => /^awsx?:/.test(x.type))) {
          assert.ok(r.provider, `${r.urn} has no provider`);
          assert.equal(q.providerOf(r)?.type, `pulumi:providers:${r.type.split(":")[0]}`, r.urn);
          assert.match(r.region ?? "", /^[a-z]{2}-[a-z]+-\d$/, r.urn);
        }
      });

      it("gives resources deterministic ARNs in the mock account and the resource's region", async () => {
        const q = await stack(name);
        const key = q.ofType("aws:kms/key:Key")[0];
        assert.match(key.arn ?? "", new RegExp(`^arn:aws:kms:${key.region}:${MOCK_ACCOUNT_ID}:key/[0-9a-f-]{36}$`));
        const role = q.ofType("aws:iam/role:Role")[0];
        assert.match(role.arn ?? "", new RegExp(`^arn:aws:iam::${MOCK_ACCOUNT_ID}:role/`), "IAM is global: no region in the ARN");
      });

      it("reports back an arn given as an input (a topic policy's topic, an event target's target), as the provider does", async () => {
        const q = await stack(name);
        const targets = [...q.ofType("aws:sns/topicPolicy:TopicPolicy"), ...q.ofType("aws:cloudwatch/eventTarget:EventTarget")];
        assert.ok(targets.length > 0);
        for (const r of targets) assert.equal(r.outputs?.arn ?? r.arn, r.inputs.arn, r.urn);
        const topics = new Set(q.ofType("aws:sns/topic:Topic").map((t) => t.arn));
        for (const p of q.ofType("aws:sns/topicPolicy:TopicPolicy")) assert.ok(topics.has(String(p.inputs.arn)), `${p.urn} names a topic of the stack`);
      });

      it("tags every AWS provider with env, project and managed-by", async () => {
        const q = await stack(name);
        const providers = q.ofType("pulumi:providers:aws");
        assert.ok(providers.length >= 1);
        for (const p of providers) {
          const tags = JSON.parse(String(p.inputs.defaultTags)).tags;
          assert.deepEqual({ env: tags.env, project: tags.project, "managed-by": tags["managed-by"] }, { env: name, project: "platform", "managed-by": "pulumi" });
        }
      });
    });
  }

  // A worker of its own evaluates staging, then dev: the shared pool's order depends on timing.
  const devAgain = early(async () => {
    const worker = newWorker();
    try {
      await evaluateIn(worker, { stack: "staging" });
      return await evaluateIn(worker, { stack: "dev" });
    } finally {
      worker.kill();
    }
  });
  it("evaluates the same stack to the same graph in a worker that evaluated another stack before, as in a fresh one", async () => {
    const [again, first] = [await devAgain, await evaluation("dev")];
    assert.ok(again.ok && first.ok);
    assert.equal(first.run, 1, "the first dev evaluation ran in a fresh worker");
    assert.ok((again.run ?? 0) > 1, `evaluation ${again.run} of its worker: this test needs a reused worker`);
    assert.deepEqual(again.graph, first.graph);
  });

  const badNetwork = early(() => evaluateStack({ stack: "dev", overrides: { "platform:network": { cidr: "10.20.0.0/33", azCount: 1, natGateways: "single" } } }));
  it("rejects bad config before registering a single resource", async () => {
    const result = await badNetwork;
    assert.equal(result.ok, false);
    if (result.ok || result.kind !== "config") return assert.fail(`expected a config rejection, got ${JSON.stringify(result).slice(0, 300)}`);
    assert.equal(result.registered, 0);
    assert.deepEqual(result.problems.map((p) => p.key).sort(), ["platform:network.azCount", "platform:network.cidr"]);
  });

  describe("npm run plan", () => {
    const out = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "plan-")), "prod.json");
    const prodRun = early(() => plan(["--stack", "prod", "--json", out]));
    it("prints the tree, the counts by type and the region, and writes the documented JSON", async () => {
      const { code, stdout } = await prodRun;
      assert.equal(code, 0);
      assert.match(stdout, /^Stack prod \(project platform\): \d+ cloud resources/);
      assert.match(stdout, /^platform:network:Network {2}network$/m);
      assert.match(stdout, /├─ aws:ec2\/securityGroup:SecurityGroup {2}network-db {2}\[us-east-1\]/);
      assert.match(stdout, /^Resources by type$/m);
      assert.match(stdout, /^ +2 {2}awsx:ec2:Vpc$/m, "primary and secondary-region VPCs");
      assert.match(stdout, /aws:rds\/cluster:Cluster {2}data-aurora-secondary {2}\[us-west-2\] {2}\(protect, retain-on-delete\)/);
      const graph = JSON.parse(fs.readFileSync(out, "utf8"));
      assert.deepEqual(Object.keys(graph), ["stack", "project", "resources", "outputs", "invokes", "policy"]);
      assert.deepEqual(Object.keys(graph.policy), ["rules", "violations", "mandatory"]);
      assert.match(stdout, /^Policies: \d+ rules, 0 violation\(s\), 0 mandatory$/m);
      const vpc = graph.resources.find((r: { type: string; name: string }) => r.type === "awsx:ec2:Vpc" && r.name === "network-vpc");
      assert.equal(vpc.inputs.numberOfAvailabilityZones, 3);
      assert.equal(vpc.outputs.natGateways.length, 3);
    });

    it("evaluates the same stack to the same graph every time, in its own process as in a worker", async () => {
      const { code } = await prodRun;
      assert.equal(code, 0);
      const { policy, ...graph } = JSON.parse(fs.readFileSync(out, "utf8"));
      assert.ok(policy, "the file carries the policy report too");
      assert.deepEqual(graph, (await stack("prod")).graph);
    });

    const dir = brokenStackDir((t) => t.replace("cidr: 10.20.0.0/16", "cidr: 10.20.0.0/33").replace("azCount: 2", "azCount: 1").replace("natGateways:", "natGateway:"));
    const brokenRun = early(() => plan(["--stack", "broken", "--config-dir", dir]));
    it("fails on a broken stack file, naming each bad key, with no stack trace", async () => {
      const { code, stdout, stderr } = await brokenRun;
      assert.equal(code, 1);
      assert.equal(stdout, "");
      assert.match(stderr, /platform:network\.cidr: expected an IPv4 CIDR block/);
      assert.match(stderr, /platform:network\.azCount: expected a whole number from 2 to 6/);
      assert.match(stderr, /platform:network\.natGateway: unknown key.*did you mean "natGateways"/);
      assert.match(stderr, /Nothing was created/);
      assert.doesNotMatch(stderr, /^\s+at /m);
    });

    const unknownRun = early(() => plan(["--stack", "qa"]));
    it("names the stacks that exist when the stack is unknown", async () => {
      const { code, stderr } = await unknownRun;
      assert.equal(code, 2);
      assert.match(stderr, /Unknown stack "qa".*Stacks: dev, prod/);
    });

    it("exits quietly when its reader stops reading (npm run plan | head), and the check can fail", async () => {
      const run = (handle: boolean) =>
        new Promise<{ code: number | null; stderr: string }>((resolve) => {
          const child = spawn(process.execPath, ["--require", require.resolve("tsx/cjs"), "-e", `${handle ? `require(${JSON.stringify(path.join(PROJECT_DIR, "tools/lib/stdout.ts"))}).exitQuietlyOnClosedPipe();` : ""} const big = "x".repeat(1 << 16); setInterval(() => console.log(big), 5);`]);
          let stderr = "";
          child.stderr.on("data", (d) => (stderr += d));
          child.stdout.once("data", () => child.stdout.destroy());
          child.on("close", (code) => resolve({ code, stderr }));
        });
      const quiet = await run(true);
      assert.deepEqual([quiet.code, quiet.stderr], [0, ""]);
      const loud = await run(false);
      assert.notEqual(loud.code, 0);
      assert.match(loud.stderr, /EPIPE/);
      // The real thing: a shell pipe into head (pipefail: the plan's own exit code).
      const { code, stderr } = await new Promise<{ code: number | null; stderr: string }>((resolve) => {
        // As `npm run plan` runs it: the launcher, with the compiled command.
        const cli = [process.execPath, path.join(PROJECT_DIR, "tools/launch.cjs"), "tools/plan/cli.ts", "--stack", "dev"].map((a) => `'${a}'`).join(" ");
        const child = spawn("bash", ["-c", `set -o pipefail; ${cli} | head -1`], { cwd: PROJECT_DIR });
        let err = "";
        child.stderr.on("data", (d) => (err += d));
        child.on("close", (c) => resolve({ code: c, stderr: err }));
      });
      assert.equal(code, 0);
      assert.doesNotMatch(stderr, /EPIPE|^\s+at /m);
    });

    it("rejects an unknown flag with the usage line", async () => {
      const { code, stderr } = await plan(["--stak", "prod"]);
      assert.equal(code, 2);
      assert.match(stderr, /usage: npm run plan/);
    });
  });

  describe("getPolicyDocument mock", () => {
    it("renders IAM JSON like the provider: single values collapsed, conditions grouped", () => {
      const doc = JSON.parse(
        policyJson({
          statements: [
            {
              effect: "Allow",
              actions: ["sqs:SendMessage"],
              resources: ["arn:aws:sqs:us-east-1:1:q", "arn:aws:sqs:us-east-1:1:a"],
              principals: [{ type: "Service", identifiers: ["events.amazonaws.com"] }],
              conditions: [
                { test: "StringEquals", variable: "aws:SourceAccount", values: ["1"] },
                { test: "StringEquals", variable: "aws:SourceArn", values: ["x"] },
              ],
            },
          ],
        }),
      );
      assert.deepEqual(doc.Statement[0], {
        Effect: "Allow",
        Action: "sqs:SendMessage",
        Resource: ["arn:aws:sqs:us-east-1:1:a", "arn:aws:sqs:us-east-1:1:q"],
        Principal: { Service: "events.amazonaws.com" },
        Condition: { StringEquals: { "aws:SourceAccount": "1", "aws:SourceArn": "x" } },
      });
    });
  });
});
