/**
 * The canary of tools/plan/sdkInternals.cjs: each SDK internal the offline plan relies on still
 * exists and behaves as the module assumes, in the installed @pulumi/pulumi. Each check reads the
 * SDK's behaviour, not our patch's, so an SDK change that breaks an assumption fails here first.
 */
import { strict as assert } from "assert";
import { execFile } from "child_process";
import * as path from "path";
import { promisify } from "util";
import { PROJECT_DIR } from "../tools/plan/evaluate";
import { DEFERRED, VERIFIED, deferredEntry, installedSdkVersion, leanDebugging, runInFreshStore, sdkVersionProblem } from "../tools/plan/sdkInternals.cjs";
import { early } from "./support/early";

const INTERNALS = path.join(PROJECT_DIR, "tools", "plan", "sdkInternals.cjs");

/* eslint-disable @typescript-eslint/no-require-imports */
const debuggable = require("@pulumi/pulumi/runtime/debuggable") as { debuggablePromise: (p: Promise<unknown>, ctx: unknown) => Promise<unknown> };
const state = require("@pulumi/pulumi/runtime/state") as { getStore(): { leakCandidates: Set<Promise<unknown>> } };
const { Resource } = require("@pulumi/pulumi/resource") as { Resource: { stackTrace(skip: number): unknown[] } };
type Message = { toString(): string; setUrn(urn: string): void; getUrn(): string };
const messages = require("@pulumi/pulumi/proto/resource_pb") as Record<"RegisterResourceResponse" | "ResourceInvokeResponse", new () => Message>;
/* eslint-enable @typescript-eslint/no-require-imports */
const traceOf = (p: Promise<unknown>) => (p as unknown as { _debugStackTrace?: string })._debugStackTrace;

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

/** A fresh node under the SDK's mock runtime: the URN hook, the transform hook, and the debug text of each response. */
async function mockMonitorProbe(): Promise<{ urn: string; recorded: string[]; newUrnIsMethod: boolean; printed: Record<string, number>; outputs: { contexts: string[]; count: number; allSettled: boolean } }> {
  const script = `
    const pulumi = require("@pulumi/pulumi");
    const messages = require("@pulumi/pulumi/proto/resource_pb");
    const { setMockUrns } = require(${JSON.stringify(INTERNALS)});
    const recorded = [];
    const printed = { RegisterResourceResponse: 0, ResourceInvokeResponse: 0 };
    for (const type of Object.keys(printed)) {
      const toString = messages[type].prototype.toString;
      messages[type].prototype.toString = function () { printed[type]++; return toString.call(this); };
    }
    // Every promise the SDK hands debuggablePromise while a resource with two outputs registers, by its context's first word.
    const debuggable = require("@pulumi/pulumi/runtime/debuggable");
    const wrap = debuggable.debuggablePromise;
    const transfers = [];
    debuggable.debuggablePromise = (p, ctx) => {
      if (String(ctx).startsWith("transfer")) { const t = { ctx: String(ctx).split("(")[0], settled: false }; transfers.push(t); p.then(() => (t.settled = true), () => (t.settled = true)); }
      return wrap(p, ctx);
    };
    // The failing registration's outputs reject; nothing here awaits them.
    process.on("unhandledRejection", () => {});
    const newResource = (a) => { if (a.name === "refused") throw new Error("refused by the mock"); return { id: a.name + "-id", state: a.inputs }; };
    pulumi.runtime.setMocks({ newResource, call: () => ({ answer: 42 }) }, "p", "s").then(async () => {
      const monitor = pulumi.runtime.getMonitor();
      const newUrnIsMethod = typeof Object.getPrototypeOf(monitor).newUrn === "function";
      const record = monitor.recordTransformCallback.bind(monitor);
      monitor.recordTransformCallback = (token, fn) => { recorded.push(typeof fn); record(token, fn); };
      setMockUrns(monitor, (parent, type, name) => "urn:pulumi:s::p::canary$" + type + "::" + name);
      await pulumi.runtime.invoke("canary:index:answer", {});
      const c = new pulumi.ComponentResource("canary:index:Thing", "thing", {}, { transforms: [(a) => ({ props: a.props, opts: a.opts })] });
      const thing = new pulumi.CustomResource("canary:index:Res", "res", { size: 1, arn: undefined });
      new pulumi.CustomResource("canary:index:Res", "refused", { size: 1, arn: undefined });
      await new Promise((resolve) => thing.urn.apply(resolve));
      await new Promise((resolve) => setTimeout(resolve, 10));
      const contexts = [...new Set(transfers.map((t) => t.ctx))].sort();
      const outputs = { contexts, count: transfers.length, allSettled: transfers.every((t) => t.settled) };
      c.urn.apply((urn) => console.log(JSON.stringify({ urn, recorded, newUrnIsMethod, printed, outputs })));
    });`;
  return JSON.parse((await promisify(execFile)(process.execPath, ["-e", script], { cwd: PROJECT_DIR })).stdout);
}

/**
 * A fresh node, lean, under a mock monitor that never answers one registration: which promises the
 * lean debuggablePromise tracks (by their context's first word), and what the SDK's leak check
 * says at exit.
 */
async function hungRegistrationProbe(): Promise<{ tracked: string[]; untracked: string[]; stderr: string }> {
  const script = `
    const pulumi = require("@pulumi/pulumi");
    const state = require("@pulumi/pulumi/runtime/state");
    const debuggable = require("@pulumi/pulumi/runtime/debuggable");
    require(${JSON.stringify(INTERNALS)}).leanDebugging();
    const lean = debuggable.debuggablePromise;
    const tracked = new Set(), untracked = new Set();
    debuggable.debuggablePromise = (p, ctx) => {
      const wrapped = lean(p, ctx);
      (state.getStore().leakCandidates.has(p) ? tracked : untracked).add(String(ctx).split("(")[0]);
      return wrapped;
    };
    pulumi.runtime.setMocks({ newResource: () => new Promise(() => {}), call: () => ({}) }, "p", "s").then(() => {
      new pulumi.CustomResource("canary:index:Res", "hung", { size: 1, arn: undefined });
      setTimeout(() => console.log(JSON.stringify({ tracked: [...tracked].sort(), untracked: [...untracked].sort() })), 50);
    });`;
  const r = await promisify(execFile)(process.execPath, ["-e", script], { cwd: PROJECT_DIR }).catch((e: { stdout: string; stderr: string }) => e);
  return { ...JSON.parse(r.stdout), stderr: r.stderr };
}

const withoutPreload = early(() => deferralProbe(false));
const withPreload = early(() => deferralProbe(true));
const monitor = early(() => mockMonitorProbe());
const hung = early(() => hungRegistrationProbe());

describe("SDK internals (tools/plan/sdkInternals.cjs): the canary", () => {
  it("the installed SDK is inside the verified range, and a version outside it is refused by name", () => {
    assert.equal(sdkVersionProblem(), undefined, `installed ${installedSdkVersion()}`);
    for (const outside of ["3.248.0", VERIFIED.below, "4.0.0"]) {
      assert.match(sdkVersionProblem(outside) ?? "", new RegExp(`@pulumi/pulumi ${outside.replace(/\./g, "\\.")} is installed.*sdkInternals\\.cjs.*tests/sdk-internals\\.test\\.ts`));
    }
  });

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

  it("2. debuggablePromise stores a stack on every promise and tracks it in the store's leakCandidates", async () => {
    let resolve!: (v: number) => void;
    const pending = new Promise<number>((r) => (resolve = r));
    const wrapped = debuggable.debuggablePromise(pending, "pending");
    assert.match(traceOf(pending) ?? "", /\n\s+at /, "the SDK captures frames by default");
    assert.ok(state.getStore().leakCandidates.has(pending), "a pending promise is a leak candidate");
    resolve(1);
    await wrapped;
    assert.ok(!state.getStore().leakCandidates.has(pending), "a settled promise is no longer one");
  });

  it("3. Resource.stackTrace formats the caller's frames", () => {
    assert.ok(Resource.stackTrace(0).length > 0);
  });

  it("2. the SDK hands debuggablePromise four promises per declared output (transfer...), and the registration settles every one, also when it fails", async () => {
    const { outputs } = await monitor;
    assert.deepEqual(outputs.contexts, ["transferDeps", "transferIsSecret", "transferIsStable", "transferProperty"]);
    assert.equal(outputs.count, 16, "two resources (one refused by the mock) with two declared outputs, four promises each");
    assert.ok(outputs.allSettled);
  });

  it("2. lean, a registration that never completes is still reported as a leak when the program exits: only the outputs' promises go untracked", async () => {
    const r = await hung;
    assert.deepEqual(r.untracked, ["transferDeps", "transferIsSecret", "transferIsStable", "transferProperty"]);
    for (const own of ["monitor.registerResource", "resolveID", "resolveURN"]) assert.ok(r.tracked.includes(own), `${own} is tracked: ${r.tracked.join(", ")}`);
    assert.match(r.stderr, /The Pulumi runtime detected that \d+ promises? (were|was) still active/);
  });

  it("3. the SDK prints every registration's and every invoke's response into a debug message, whether or not debug logging is on", async () => {
    assert.deepEqual((await monitor).printed, { RegisterResourceResponse: 2, ResourceInvokeResponse: 1 });
  });

  it("2, 3. lean: no debug properties, no resource stack and short response texts, the same leak bookkeeping and results", async () => {
    leanDebugging();
    leanDebugging(); // installing twice changes nothing
    await debuggable.debuggablePromise(Promise.resolve(0), "first"); // the SDK's own first call
    let resolve!: (v: number) => void;
    const pending = new Promise<number>((r) => (resolve = r));
    const wrapped = debuggable.debuggablePromise(pending, "pending");
    assert.equal(traceOf(pending), undefined, "no stack captured");
    const output = new Promise<number>(() => {});
    assert.equal(debuggable.debuggablePromise(output, "transferProperty(res, size, 1)"), output, "an output's promise is handed back untracked");
    assert.ok(!state.getStore().leakCandidates.has(output));
    assert.ok(state.getStore().leakCandidates.has(pending));
    resolve(2);
    assert.equal(await wrapped, 2);
    assert.ok(!state.getStore().leakCandidates.has(pending));
    const failing = Promise.reject(new Error("boom"));
    const err = (await debuggable.debuggablePromise(failing, "failing").catch((e: unknown) => e)) as Error & { promise?: unknown };
    assert.equal(err.message, "boom");
    assert.equal(err.promise, failing, "tagged with its promise, as the SDK does");
    assert.deepEqual(Resource.stackTrace(0), []);
    const response = new messages.RegisterResourceResponse();
    response.setUrn("urn:pulumi:s::p::t::n");
    assert.equal(`${response}`, "[RegisterResourceResponse]", "a response prints as its type");
    assert.equal(`${new messages.ResourceInvokeResponse()}`, "[ResourceInvokeResponse]");
    assert.equal(response.getUrn(), "urn:pulumi:s::p::t::n", "and keeps its fields");
    assert.match(new Error("real").stack!, /sdk-internals\.test\.ts:\d+:\d+/, "a real error keeps its stack");
  });

  it("4. a fresh store is the SDK's store inside the run, with its own leak candidates", () => {
    const outside = state.getStore();
    const inside = runInFreshStore(() => state.getStore());
    assert.notEqual(inside, outside);
    assert.ok(inside.leakCandidates instanceof Set && inside.leakCandidates.size === 0);
  });

  it("5. the mock monitor builds URNs with its newUrn method, and hands transforms to recordTransformCallback", async () => {
    const r = await monitor;
    assert.ok(r.newUrnIsMethod, "MockMonitor.prototype.newUrn");
    assert.equal(r.urn, "urn:pulumi:s::p::canary$canary:index:Thing::thing", "the replaced newUrn named the URN");
    assert.deepEqual(r.recorded, ["function"], "the transform reached the monitor as a function");
  });
});
