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
import { DEFERRED, VERIFIED, installedSdkVersion, leanDebugging, runInFreshStore, sdkVersionProblem } from "../tools/plan/sdkInternals.cjs";
import { early } from "./support/early";

const INTERNALS = path.join(PROJECT_DIR, "tools", "plan", "sdkInternals.cjs");

/* eslint-disable @typescript-eslint/no-require-imports */
const debuggable = require("@pulumi/pulumi/runtime/debuggable") as { debuggablePromise: (p: Promise<unknown>, ctx: unknown) => Promise<unknown> };
const state = require("@pulumi/pulumi/runtime/state") as { getStore(): { leakCandidates: Set<Promise<unknown>> } };
const { Resource } = require("@pulumi/pulumi/resource") as { Resource: { stackTrace(skip: number): unknown[] } };
/* eslint-enable @typescript-eslint/no-require-imports */
const traceOf = (p: Promise<unknown>) => (p as unknown as { _debugStackTrace?: string })._debugStackTrace;

/** What each deferred module's presence in require.cache looks like. */
const LOADED: Record<string, string> = { typescript: "node_modules/typescript/", "./automation": "node_modules/@pulumi/pulumi/automation/", "normalize-package-data": "node_modules/normalize-package-data/" };

interface Probe {
  loadedAtStart: Record<string, boolean>;
  /** Each deferred module's use: a function serialized, the Automation API's workspace class, a package's code paths. */
  serialized: boolean;
  automation: string;
  /** The deferred Automation API is the module instance a direct require gets. */
  sameModule: boolean;
  codePaths: number;
  loadedAfter: Record<string, boolean>;
}

/** A fresh node: what loading the SDK loads, and whether what the deferred modules serve still works. */
async function deferralProbe(preload: boolean): Promise<Probe> {
  const script = `
    const LOADED = ${JSON.stringify(LOADED)};
    const loaded = () => Object.fromEntries(Object.entries(LOADED).map(([m, dir]) => [m, Object.keys(require.cache).some((f) => f.includes(dir))]));
    const pulumi = require("@pulumi/pulumi");
    const loadedAtStart = loaded();
    const automation = typeof pulumi.automation.LocalWorkspace.create;
    const sameModule = pulumi.automation.LocalWorkspace === require("@pulumi/pulumi/automation").LocalWorkspace;
    Promise.all([pulumi.runtime.serializeFunction(() => 42), pulumi.runtime.computeCodePaths({ extraIncludePackages: ["ipaddr.js"] })]).then(([f, paths]) =>
      console.log(JSON.stringify({ loadedAtStart, serialized: f.text.includes("42"), automation, sameModule, codePaths: paths.size, loadedAfter: loaded() })));`;
  // --no-warnings: serializing a function requires every Node builtin, deprecated ones included.
  const args = ["--no-warnings", ...(preload ? ["--require", INTERNALS] : []), "-e", script];
  return JSON.parse((await promisify(execFile)(process.execPath, args, { cwd: PROJECT_DIR })).stdout);
}

/** A fresh node under the SDK's mock runtime: the URN hook and the transform hook. */
async function mockMonitorProbe(): Promise<{ urn: string; recorded: string[]; newUrnIsMethod: boolean }> {
  const script = `
    const pulumi = require("@pulumi/pulumi");
    const { setMockUrns } = require(${JSON.stringify(INTERNALS)});
    const recorded = [];
    pulumi.runtime.setMocks({ newResource: (a) => ({ id: a.name + "-id", state: a.inputs }), call: () => ({}) }, "p", "s").then(() => {
      const monitor = pulumi.runtime.getMonitor();
      const newUrnIsMethod = typeof Object.getPrototypeOf(monitor).newUrn === "function";
      const record = monitor.recordTransformCallback.bind(monitor);
      monitor.recordTransformCallback = (token, fn) => { recorded.push(typeof fn); record(token, fn); };
      setMockUrns(monitor, (parent, type, name) => "urn:pulumi:s::p::canary$" + type + "::" + name);
      const c = new pulumi.ComponentResource("canary:index:Thing", "thing", {}, { transforms: [(a) => ({ props: a.props, opts: a.opts })] });
      c.urn.apply((urn) => console.log(JSON.stringify({ urn, recorded, newUrnIsMethod })));
    });`;
  return JSON.parse((await promisify(execFile)(process.execPath, ["-e", script], { cwd: PROJECT_DIR })).stdout);
}

const withoutPreload = early(() => deferralProbe(false));
const withPreload = early(() => deferralProbe(true));
const monitor = early(() => mockMonitorProbe());

describe("SDK internals (tools/plan/sdkInternals.cjs): the canary", () => {
  it("the installed SDK is inside the verified range, and a version outside it is refused by name", () => {
    assert.equal(sdkVersionProblem(), undefined, `installed ${installedSdkVersion()}`);
    for (const outside of ["3.248.0", VERIFIED.below, "4.0.0"]) {
      assert.match(sdkVersionProblem(outside) ?? "", new RegExp(`@pulumi/pulumi ${outside.replace(/\./g, "\\.")} is installed.*sdkInternals\\.cjs.*tests/sdk-internals\\.test\\.ts`));
    }
  });

  it("1. the table names exactly the modules the canary probes", () => {
    assert.deepEqual(DEFERRED.map((d) => d.request).sort(), Object.keys(LOADED).sort());
  });

  for (const { request } of DEFERRED) {
    it(`1. the SDK still loads ${request} when it loads (else its deferral is obsolete: delete it)`, async () => {
      assert.equal((await withoutPreload).loadedAtStart[request], true);
    });
  }

  it("1. deferred, none loads with the SDK; each loads on first use, and what it serves works as without the deferral", async () => {
    const [without, deferred] = [await withoutPreload, await withPreload];
    assert.deepEqual(deferred.loadedAtStart, { typescript: false, "./automation": false, "normalize-package-data": false });
    assert.deepEqual(deferred.loadedAfter, { typescript: true, "./automation": true, "normalize-package-data": true });
    assert.deepEqual({ ...deferred, loadedAtStart: undefined }, { ...without, loadedAtStart: undefined });
    assert.equal(deferred.automation, "function");
    assert.equal(deferred.sameModule, true);
    assert.ok(deferred.codePaths > 0 && deferred.serialized);
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

  it("2, 3. lean: no debug properties and no resource stack, the same leak bookkeeping and results", async () => {
    leanDebugging();
    leanDebugging(); // installing twice changes nothing
    await debuggable.debuggablePromise(Promise.resolve(0), "first"); // the SDK's own first call
    let resolve!: (v: number) => void;
    const pending = new Promise<number>((r) => (resolve = r));
    const wrapped = debuggable.debuggablePromise(pending, "pending");
    assert.equal(traceOf(pending), undefined, "no stack captured");
    assert.ok(state.getStore().leakCandidates.has(pending));
    resolve(2);
    assert.equal(await wrapped, 2);
    assert.ok(!state.getStore().leakCandidates.has(pending));
    const failing = Promise.reject(new Error("boom"));
    const err = (await debuggable.debuggablePromise(failing, "failing").catch((e: unknown) => e)) as Error & { promise?: unknown };
    assert.equal(err.message, "boom");
    assert.equal(err.promise, failing, "tagged with its promise, as the SDK does");
    assert.deepEqual(Resource.stackTrace(0), []);
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
