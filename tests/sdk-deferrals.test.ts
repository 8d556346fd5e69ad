/**
 * The canary of tools/plan/sdkInternals.cjs's deferred modules (its section 1, table DEFERRED):
 * each is still loaded eagerly by its package (else the deferral is obsolete), stays unloaded
 * through a mock registration, and works on first use as it does without the deferral. The rest
 * of the canary is tests/sdk-internals.test.ts.
 */
import { strict as assert } from "assert";
import { execFile } from "child_process";
import * as path from "path";
import { promisify } from "util";
import { PROJECT_DIR } from "../tools/plan/evaluate";
import { DEFERRED, deferredEntry } from "../tools/plan/sdkInternals.cjs";
import { early } from "./support/early";

const INTERNALS = path.join(PROJECT_DIR, "tools", "plan", "sdkInternals.cjs");

/** Where each deferred module (DEFERRED, by name) shows in require.cache once it has loaded. */
const LOADED: Record<string, string> = {
  typescript: "node_modules/typescript/",
  "./automation": "node_modules/@pulumi/pulumi/automation/",
  "normalize-package-data": "node_modules/normalize-package-data/",
  "./provider": "node_modules/@pulumi/pulumi/provider/",
  "./dynamic": "node_modules/@pulumi/pulumi/dynamic/",
  grpc: "node_modules/@grpc/grpc-js/",
  opentelemetry: "node_modules/@opentelemetry/api/",
  "policy server": "node_modules/@pulumi/policy/server.js",
  "zod locales": "node_modules/zod/v4/locales/de.cjs",
  // A namespace the program never uses.
  "aws namespaces": "node_modules/@pulumi/aws/xray/",
};
const NONE = Object.fromEntries(Object.keys(LOADED).map((k) => [k, false]));
const ALL = Object.fromEntries(Object.keys(LOADED).map((k) => [k, true]));

interface Probe {
  /** After loading the SDKs (@pulumi/pulumi, @pulumi/aws, @pulumi/policy) and zod. */
  loadedAtStart: Record<string, boolean>;
  /** After a plan's work: an aws resource registered under the mock monitor. */
  loadedAfterPlan: Record<string, boolean>;
  /** Whether aws.xray's resource modules were registered before anything read aws.xray. */
  xrayRegisteredUnread: boolean;
  /** Each deferred module's first use. */
  uses: {
    serialized: boolean;
    automation: string;
    /** The deferred Automation API is the module instance a direct require gets. */
    sameModule: boolean;
    codePaths: number;
    provider: string;
    dynamic: string;
    /** isGrpcError of UNAVAILABLE and of NOT_FOUND (read through the SDK's grpc), and a real monitor client made for an address. */
    grpcErrors: boolean[];
    monitorClient: string;
    /** What the SDK's gRPC trace interceptor handed the call it started ("object": its metadata). */
    traced: string;
    /** A policy pack constructed under a bad name: the analyzer server's own refusal, and its exit code. */
    packRefusal: string;
    /** aws.xray.Group is the class a direct require gets, and its resource module is registered once read. */
    xray: boolean;
    /** A write through the namespace (a test stubbing an export) reaches the module. */
    writeReaches: boolean;
    xrayRegistered: boolean;
    /** zod's message for a wrong type (English, its default), and one of its other locales. */
    zodMessage: string;
    zodGerman: string;
  };
  loadedAfter: Record<string, boolean>;
}

/** A fresh node: what loading the SDKs loads, what a mock registration loads, and whether each deferred module still works on first use. */
async function deferralProbe(preload: boolean): Promise<Probe> {
  const script = `
    const LOADED = ${JSON.stringify(LOADED)};
    const loaded = () => Object.fromEntries(Object.entries(LOADED).map(([m, dir]) => [m, Object.keys(require.cache).some((f) => f.includes(dir))]));
    const pulumi = require("@pulumi/pulumi");
    const aws = require("@pulumi/aws");
    require("@pulumi/policy");
    const { z } = require("zod");
    const loadedAtStart = loaded();
    const xrayRegisteredUnread = pulumi.runtime.getResourceModule("aws", "xray/group") !== undefined;
    pulumi.runtime.setMocks({ newResource: (a) => ({ id: a.name + "-id", state: a.inputs }), call: () => ({}) }, "p", "s").then(async () => {
      const bucket = new aws.s3.Bucket("canary", {});
      await new Promise((resolve) => bucket.urn.apply(resolve));
      const loadedAfterPlan = loaded();
      pulumi.runtime.resetOptions("p", "s", 1, "", "127.0.0.1:1", false, "");
      const client = pulumi.runtime.getMonitor();
      // The SDK's trace interceptor on a call to the engine: it injects the trace context, then starts the call.
      let traced = "not started";
      const call = { start: (metadata) => (traced = typeof metadata.getMap()), sendMessageWithContext() {}, startRead() {}, halfClose() {}, cancelWithStatus() {}, getPeer: () => "", setCredentials() {}, getAuthContext: () => null };
      require("@pulumi/pulumi/runtime/settings").grpcClientOptions.interceptors[0]({}, () => call).start(new (require("@grpc/grpc-js").Metadata)(), {});
      // The analyzer server refuses the name and exits: caught here, so the probe goes on.
      const [exit, error] = [process.exit, console.error];
      let packRefusal = "none";
      process.exit = (code) => { throw { exitCode: code }; };
      console.error = (msg) => (packRefusal = msg);
      try { new (require("@pulumi/policy").PolicyPack)("bad name", { policies: [] }); } catch (e) { packRefusal = e.exitCode + " " + packRefusal; }
      [process.exit, console.error] = [exit, error];
      const [f, paths] = await Promise.all([pulumi.runtime.serializeFunction(() => 42), pulumi.runtime.computeCodePaths({ extraIncludePackages: ["ipaddr.js"] })]);
      const uses = {
        serialized: f.text.includes("42"),
        automation: typeof pulumi.automation.LocalWorkspace.create,
        sameModule: pulumi.automation.LocalWorkspace === require("@pulumi/pulumi/automation").LocalWorkspace,
        codePaths: paths.size,
        provider: typeof pulumi.provider.main,
        dynamic: typeof pulumi.dynamic.Resource,
        grpcErrors: [pulumi.isGrpcError({ code: 14 }), pulumi.isGrpcError({ code: 5 })],
        monitorClient: typeof client.registerResource,
        traced,
        packRefusal,
        xray: typeof aws.xray.Group === "function" && aws.xray.Group === require("@pulumi/aws/xray").Group,
        writeReaches: ((aws.xray.canaryStub = 1), require("@pulumi/aws/xray").canaryStub === 1),
        xrayRegistered: pulumi.runtime.getResourceModule("aws", "xray/group") !== undefined,
        zodMessage: z.number().safeParse("x").error.issues[0].message,
        zodGerman: typeof z.locales.de,
      };
      client.close();
      console.log(JSON.stringify({ loadedAtStart, loadedAfterPlan, xrayRegisteredUnread, uses, loadedAfter: loaded() }));
    });`;
  // --no-warnings: serializing a function requires every Node builtin, deprecated ones included.
  const args = ["--no-warnings", ...(preload ? ["--require", INTERNALS] : []), "-e", script];
  return JSON.parse((await promisify(execFile)(process.execPath, args, { cwd: PROJECT_DIR })).stdout);
}

const withoutPreload = early(() => deferralProbe(false));
const withPreload = early(() => deferralProbe(true));

describe("SDK internals (tools/plan/sdkInternals.cjs): the deferred modules' canary", () => {
  it("1. the table names exactly the modules the canary probes, and each entry matches only its own require", () => {
    assert.deepEqual(DEFERRED.map((d) => d.name).sort(), Object.keys(LOADED).sort());
    const at = (pkg: string, file: string) => path.join(PROJECT_DIR, "node_modules", pkg, file);
    assert.equal(deferredEntry("./s3", at("@pulumi/aws", "index.js"))?.name, "aws namespaces");
    assert.equal(deferredEntry("./utilities", at("@pulumi/aws", "index.js")), undefined, "index.js uses ./utilities as it loads");
    assert.equal(deferredEntry("./getRegion", at("@pulumi/aws", "index.js")), undefined, "a function's file, already loaded on first use");
    assert.equal(deferredEntry("./s3", at("@pulumi/aws", "ec2/index.js")), undefined);
    assert.equal(deferredEntry("../proto/resource_grpc_pb", at("@pulumi/pulumi", "runtime/settings.js"))?.name, "grpc");
    assert.equal(deferredEntry("../proto/resource_pb", at("@pulumi/pulumi", "runtime/settings.js")), undefined, "messages are a plan's registrations");
    assert.equal(deferredEntry("./server", at("@pulumi/policy", "policy.js"))?.name, "policy server");
    assert.equal(deferredEntry("./server", at("@pulumi/pulumi", "provider/index.js")), undefined);
    assert.equal(deferredEntry("../locales/index.cjs", at("zod", "v4/core/index.cjs"))?.name, "zod locales");
    assert.equal(deferredEntry("../locales/en.cjs", at("zod", "v4/classic/schemas.cjs")), undefined, "the default locale");
  });

  for (const { name } of DEFERRED) {
    it(`1. the SDKs still load ${name} when they load (else its deferral is obsolete: delete it)`, async () => {
      assert.equal((await withoutPreload).loadedAtStart[name], true);
    });
  }

  it("1. deferred, none loads with the SDKs or through a mock registration; each loads on first use, and what it serves works as without the deferral", async () => {
    const [without, deferred] = [await withoutPreload, await withPreload];
    assert.deepEqual(deferred.loadedAtStart, NONE);
    assert.deepEqual(deferred.loadedAfterPlan, NONE, "a plan's work needs none of them");
    assert.deepEqual(deferred.loadedAfter, ALL);
    assert.deepEqual(deferred.uses, without.uses);
    const { uses } = deferred;
    assert.ok(uses.serialized && uses.codePaths > 0);
    assert.deepEqual([uses.automation, uses.provider, uses.dynamic, uses.monitorClient], ["function", "function", "function", "function"]);
    assert.ok(uses.sameModule && uses.xray && uses.xrayRegistered && uses.writeReaches);
    assert.deepEqual(uses.grpcErrors, [true, false]);
    assert.equal(uses.traced, "object", "the trace interceptor injected its context and started the call");
    assert.equal(uses.zodMessage, "Invalid input: expected number, received string");
    assert.equal(uses.zodGerman, "function");
    assert.match(uses.packRefusal, /^1 Invalid policy pack name "bad name"/);
  });

  it("1. an aws namespace registers its resource modules when first read instead of at load", async () => {
    assert.equal((await withoutPreload).xrayRegisteredUnread, true);
    assert.equal((await withPreload).xrayRegisteredUnread, false);
  });
});
