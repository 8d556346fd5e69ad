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
import { VERIFIED, installedSdkVersion, leanDebugging, runInFreshStore, sdkVersionProblem } from "../tools/plan/sdkInternals.cjs";
import { early } from "./support/early";

const INTERNALS = path.join(PROJECT_DIR, "tools", "plan", "sdkInternals.cjs");

/* eslint-disable @typescript-eslint/no-require-imports */
const debuggable = require("@pulumi/pulumi/runtime/debuggable") as { debuggablePromise: (p: Promise<unknown>, ctx: unknown) => Promise<unknown> };
const state = require("@pulumi/pulumi/runtime/state") as { getStore(): { leakCandidates: Set<Promise<unknown>> } };
const { Resource } = require("@pulumi/pulumi/resource") as { Resource: { stackTrace(skip: number): unknown[] } };
const rpc = require("@pulumi/pulumi/runtime/rpc") as { transferProperties(onto: object, label: string, props: object): unknown };
type Message = { toString(): string; setUrn(urn: string): void; getUrn(): string };
const messages = require("@pulumi/pulumi/proto/resource_pb") as Record<"RegisterResourceResponse" | "ResourceInvokeResponse", new () => Message>;
/* eslint-enable @typescript-eslint/no-require-imports */
const traceOf = (p: Promise<unknown>) => (p as unknown as { _debugStackTrace?: string })._debugStackTrace;

/** A fresh node under the SDK's mock runtime: the URN hook, the transform hook, and the debug text of each response. */
async function mockMonitorProbe(): Promise<{ urn: string; recorded: string[]; newUrnIsMethod: boolean; printed: Record<string, number>; outputs: { contexts: string[]; inside: string[]; count: number; allSettled: boolean } }> {
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
    // The contexts of the promises made while rpc.js transferProperties runs, reached through its export.
    const rpc = require("@pulumi/pulumi/runtime/rpc");
    const transferProperties = rpc.transferProperties;
    let inside = 0;
    const insideContexts = new Set();
    rpc.transferProperties = (...args) => { inside++; try { return transferProperties(...args); } finally { inside--; } };
    debuggable.debuggablePromise = (p, ctx) => {
      if (inside) insideContexts.add(String(ctx).split("(")[0]);
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
      const outputs = { contexts, inside: [...insideContexts].sort(), count: transfers.length, allSettled: transfers.every((t) => t.settled) };
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

const monitor = early(() => mockMonitorProbe());
const hung = early(() => hungRegistrationProbe());

describe("SDK internals (tools/plan/sdkInternals.cjs): the canary", () => {
  it("the installed SDK is inside the verified range, and a version outside it is refused by name", () => {
    assert.equal(sdkVersionProblem(), undefined, `installed ${installedSdkVersion()}`);
    for (const outside of ["3.248.0", VERIFIED.below, "4.0.0"]) {
      assert.match(sdkVersionProblem(outside) ?? "", new RegExp(`@pulumi/pulumi ${outside.replace(/\./g, "\\.")} is installed.*sdkInternals\\.cjs.*tests/sdk-internals\\.test\\.ts`));
    }
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
    assert.deepEqual(outputs.inside, outputs.contexts, "made inside transferProperties, which resource.js reaches through rpc's exports, and nothing else is");
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
    const candidates = state.getStore().leakCandidates;
    const before = candidates.size;
    const onto: Record<string, unknown> = {};
    rpc.transferProperties(onto, "res", { size: 1, arn: undefined });
    assert.ok(onto.size && onto.arn, "the outputs are made");
    assert.equal(candidates.size, before, "the outputs' promises are handed back untracked");
    const lookalike = new Promise<number>(() => {});
    debuggable.debuggablePromise(lookalike, "transferProperty(res, size, 1)");
    assert.ok(candidates.has(lookalike), "told apart by where they are made, not by their text");
    assert.ok(candidates.has(pending));
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
