import { strict as assert } from "assert";
import { execFile } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { evaluateStack } from "../tools/plan/evaluate";
import { packConfigFor, runPolicies } from "../tools/plan/policy";
import { GraphQuery } from "../tools/plan/query";
import { boundaryProblems, importsOf, packageSources } from "../tools/lib/packageImports";
import { command, plan } from "./support/command";
import { programCopy } from "./support/programCopy";
import { early } from "./support/early";
import { promisify } from "util";

const ROOT = path.resolve(__dirname, "..");
const PACKAGE_DIR = path.join(ROOT, "components");
const pkg = JSON.parse(fs.readFileSync(path.join(PACKAGE_DIR, "package.json"), "utf8"));
const ENTRY_POINTS = ["network", "data", "compute", "edge", "observability"];
const EXAMPLES = ["database-only", "single-service"];

// Each example is evaluated once, through the same harness as `npm run plan -- --dir`.
const evaluations = Object.fromEntries(EXAMPLES.map((e) => [e, early(() => evaluateStack({ projectDir: path.join(ROOT, "examples", e), stack: "dev" }))]));
async function example(name: string): Promise<GraphQuery> {
  const result = await evaluations[name];
  if (!result.ok) throw new Error(`example ${name} did not evaluate: ${result.message}`);
  return new GraphQuery(result.graph);
}

describe("@platform/components: the package", () => {
  it("is a versioned workspace package with one entry point per component, built to JavaScript and declarations", () => {
    assert.equal(pkg.name, "@platform/components");
    assert.match(pkg.version, /^\d+\.\d+\.\d+$/);
    assert.ok(fs.readFileSync(path.join(PACKAGE_DIR, "CHANGELOG.md"), "utf8").includes(`## ${pkg.version}`), "CHANGELOG.md has a section for the version");
    assert.deepEqual(JSON.parse(fs.readFileSync(path.join(ROOT, "package.json"), "utf8")).workspaces, ["components"]);
    for (const entry of ENTRY_POINTS) {
      const exp = pkg.exports[`./${entry}`];
      assert.deepEqual(exp, { types: `./dist/${entry}/index.d.ts`, default: `./dist/${entry}/index.js` });
      // npm test builds first: the entry points resolve to compiled JavaScript, not to the sources.
      assert.equal(require.resolve(`@platform/components/${entry}`), path.join(PACKAGE_DIR, "dist", entry, "index.js"));
      assert.ok(fs.existsSync(path.join(PACKAGE_DIR, "dist", entry, "index.d.ts")));
      assert.ok(fs.existsSync(path.join(PACKAGE_DIR, entry, "README.md")), `components/${entry}/README.md`);
    }
    // One copy of the Pulumi SDK per program: a second would split the runtime's global state.
    for (const dep of ["@pulumi/pulumi", "@pulumi/aws", "@pulumi/awsx", "@pulumi/cloudflare", "@pulumi/datadog"]) {
      assert.ok(pkg.peerDependencies[dep], `${dep} is a peer dependency`);
      assert.equal(pkg.dependencies?.[dep], undefined);
    }
  });

  it("publishes what a consumer and the component provider need: JavaScript, declarations, docs, and the TypeScript the schema analyzer reads", async () => {
    const { stdout } = await promisify(execFile)("npm", ["pack", "--dry-run", "--json", "--workspace", "@platform/components"], { cwd: ROOT });
    const files = new Set((JSON.parse(stdout)[0].files as { path: string }[]).map((f) => f.path));
    for (const f of ["dist/index.js", "dist/index.d.ts", "dist/network/index.js", "dist/compute/migration-gate/bundle.js", "index.ts", "tsconfig.json", "PulumiPlugin.yaml", "README.md", "REFERENCE.md", "CHANGELOG.md", "data/README.md"]) {
      assert.ok(files.has(f), `the package lacks ${f}`);
    }
    assert.equal([...files].some((f) => f.endsWith(".tsbuildinfo") || f.startsWith("scripts/")), false);
  });

  it("ships the migration gate prebuilt, so planning needs neither esbuild nor the AWS SDK", () => {
    const bundle = fs.readFileSync(path.join(PACKAGE_DIR, "dist", "compute", "migration-gate", "bundle.js"), "utf8");
    assert.match(bundle, /RunTaskCommand/);
    assert.equal(pkg.dependencies.esbuild, undefined);
    assert.ok(pkg.devDependencies.esbuild);
  });

  it("no file of the package imports the program (config/, program/, tools/, index.ts)", () => {
    assert.deepEqual(boundaryProblems(PACKAGE_DIR, packageSources(PACKAGE_DIR)), []);
    const leaky = { [path.join(PACKAGE_DIR, "observability", "index.ts")]: `import { x } from "../../config/observability";\nexport * from "./settings";\n` };
    assert.deepEqual(boundaryProblems(PACKAGE_DIR, leaky), ["observability/index.ts imports ../../config/observability, outside the package"]);
  });

  it("the program, config and tests reach the package by its name only", () => {
    const outside = ["index.ts", ...["program", "config", "tools", "tests"].flatMap((d) => fs.readdirSync(path.join(ROOT, d), { recursive: true }).map((f) => path.join(d, String(f))))]
      .filter((f) => f.endsWith(".ts"))
      .flatMap((f) => importsOf(fs.readFileSync(path.join(ROOT, f), "utf8")).filter((s) => /(^|\/)components\//.test(s) && !s.startsWith("@platform/components")).map((s) => `${f}: ${s}`));
    assert.deepEqual(outside, []);
  });
});

describe("@platform/components: examples/ use part of the package, by name", () => {
  for (const name of EXAMPLES) {
    it(`${name}: a program of its own, importing only the package's entry points and Pulumi SDKs`, () => {
      const dir = path.join(ROOT, "examples", name);
      for (const f of ["Pulumi.yaml", "Pulumi.dev.yaml", "package.json", "index.ts"]) assert.ok(fs.existsSync(path.join(dir, f)), `${name}/${f}`);
      const imports = importsOf(fs.readFileSync(path.join(dir, "index.ts"), "utf8"));
      assert.deepEqual(imports.filter((s) => !/^@platform\/components\/(network|data|compute|edge|observability)$/.test(s) && !s.startsWith("@pulumi/")), []);
      assert.equal(JSON.parse(fs.readFileSync(path.join(dir, "package.json"), "utf8")).dependencies["@platform/components"], pkg.version);
    });

    it(`${name}: passes the platform's policy pack with no mandatory violation`, async () => {
      const q = await example(name);
      const report = await runPolicies(q.graph, packConfigFor(path.join(ROOT, "examples", name), "dev"));
      assert.equal(report.mandatory, 0, JSON.stringify(report.violations, null, 2));
    });
  }

  it("npm run plan --dir runs the program in its own folder, as Pulumi does, and writes --json where the caller is", async () => {
    // The example, changed to fail unless it runs in its project folder.
    const copy = programCopy({ "examples/database-only/index.ts": (t) => `if (!require("fs").existsSync("Pulumi.yaml")) throw new Error("not run in its project folder");\n${t}` });
    const caller = fs.mkdtempSync(path.join(os.tmpdir(), "plan-caller-"));
    try {
      const r = await command("tools/plan/cli.ts", ["--dir", path.join(copy.dir, "examples", "database-only"), "--json", "plan.json"], copy.dir, caller);
      assert.equal(r.code, 0, r.stderr);
      assert.match(r.stdout, /^Stack dev \(project database-only\)/);
      assert.equal(JSON.parse(fs.readFileSync(path.join(caller, "plan.json"), "utf8")).stack, "dev", "--json is written where the caller is");
    } finally {
      copy.remove();
      fs.rmSync(caller, { recursive: true, force: true });
    }
  });

  it("npm run plan --dir refuses a folder that is not a program, with exit 2 and the flag named", async () => {
    const failure = await plan(["--dir", "tests", "--stack", "dev"]);
    assert.equal(failure.code, 2);
    assert.match(failure.stderr, /^--dir tests: expected a Pulumi program folder, but it has no Pulumi\.yaml or index\.ts\n/);
    assert.doesNotMatch(failure.stderr, /^\s+at /m);
    assert.equal(failure.stdout, "");
  });

  it("database-only: Network and Data in the stack's region, and nothing of Compute, Edge or Observability", async () => {
    const q = await example("database-only");
    assert.deepEqual(q.resources.filter((r) => r.kind === "component").map((r) => r.type).filter((t) => !t.startsWith("platform:data:")).sort(), ["platform:network:Network"]);
    const cluster = q.named("aws:rds/cluster:Cluster", "data-aurora-primary");
    assert.equal(cluster.region, "eu-west-1");
    assert.equal(cluster.inputs.storageEncrypted, true);
    assert.deepEqual(cluster.inputs.serverlessv2ScalingConfiguration, { minCapacity: 0.5, maxCapacity: 2 });
    assert.equal(q.ofType("aws:ec2/natGateway:NatGateway").length + q.ofType("aws:ecs/service:Service").length, 0);
    assert.ok(q.named("aws:secretsmanager/secret:Secret", "data-reporting-api-key"));
  });

  it("database-only: the escape hatch, a consumer's transform on Data, reaches the cluster two levels down", async () => {
    const q = await example("database-only");
    // Data does not expose the RDS Data API; the example's `transforms` turns it on.
    assert.equal(q.named("aws:rds/cluster:Cluster", "data-aurora-primary").inputs.enableHttpEndpoint, true);
    // Only the resource type the transform names changed.
    assert.equal(q.named("aws:elasticache/replicationGroup:ReplicationGroup", "data-redis").inputs.enableHttpEndpoint, undefined);
  });

  it("single-service: one service behind an HTTPS ALB reachable from the configured range only", async () => {
    const q = await example("single-service");
    const services = q.ofType("aws:ecs/service:Service");
    assert.deepEqual(services.map((s) => [s.name, s.region]), [["compute-web", "us-east-2"]]);
    const https = q.ofType("aws:lb/listener:Listener", (l) => l.inputs.port === 443);
    assert.equal(https.length, 1);
    assert.match(String(https[0].inputs.certificateArn), /^arn:aws:acm:us-east-2:123456789012:certificate\//);
    const edge = q.named("aws:ec2/managedPrefixList:ManagedPrefixList", "network-edge-ipv4");
    assert.deepEqual((edge.inputs.entries as { cidr: string }[]).map((e) => e.cidr), ["203.0.113.0/24"]);
    assert.equal(q.resources.some((r) => r.type.startsWith("aws:rds/") || r.type.startsWith("datadog:") || r.type.startsWith("cloudflare:")), false);
    // The example leaves accessLogsBucket out: Compute's own bucket is private and TLS-only, ELB writes under alb/ alone.
    const block = q.named("aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock", "compute-alb-access-logs").inputs;
    assert.deepEqual([block.blockPublicAcls, block.blockPublicPolicy, block.ignorePublicAcls, block.restrictPublicBuckets], [true, true, true, true]);
    const statements = JSON.parse(String(q.named("aws:s3/bucketPolicy:BucketPolicy", "compute-alb-access-logs").inputs.policy)).Statement;
    assert.deepEqual(statements.map((st: { Sid: string; Effect: string }) => `${st.Sid} ${st.Effect}`), ["DenyInsecureTransport Deny", "AlbLogDelivery Allow"]);
    assert.match(statements[1].Resource, /\/alb\/\*$/);
  });
});
