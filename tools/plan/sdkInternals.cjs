/**
 * Every use the offline plan makes of @pulumi/pulumi's private parts, and of the load-time requires
 * of @pulumi/aws, @pulumi/policy and zod it defers, in one place. Each was read in the package's
 * own JavaScript (@pulumi/pulumi at the version range below); tests/sdk-internals.test.ts and
 * tests/sdk-deferrals.test.ts are the canary that proves each one still exists and behaves as assumed, against the installed packages
 * (each check fails on the package change it guards against, not on a change of ours).
 *
 * Bumping @pulumi/pulumi: run `npx mocha tests/sdk-internals.test.ts tests/sdk-deferrals.test.ts tests/lazy-struct.test.ts`, mend what a canary names
 * here, then move VERIFIED. Outside the range, the plan refuses to run (`checkSdkVersion`) rather
 * than patch an SDK it was not verified on; a speed patch that broke silently would still plan,
 * but measure the wrong thing. The other three have no range: a bump of one is caught by the
 * canary in `npm test`, where a deferral that no longer applies fails its "still loads" check.
 *
 * What is used, and what each is for:
 * 1. Requires the SDKs (and zod) make when they load, deferred to first use (`deferSdkModules`, table
 *    DEFERRED): each module serves only what a plan never does, so a plan never loads it.
 *    - `typescript` (@pulumi/pulumi typescript-shim.js, loaded by runtime/closure): serializing a
 *      JavaScript function into a Lambda's code;
 *    - `./automation` (@pulumi/pulumi index.js): the Automation API, which drives the Pulumi CLI;
 *    - `normalize-package-data` (@pulumi/pulumi runtime/closure/codePaths.js, with its SPDX
 *      licence parsers): reading package.json files for a serialized function's dependencies;
 *    - `./provider` and `./dynamic` (@pulumi/pulumi index.js): the server a provider written in
 *      Node runs under the engine, and dynamic providers;
 *    - gRPC (`@grpc/grpc-js` and the `*_grpc_pb` service stubs, from any SDK file): the SDK's
 *      connection to the engine; the mock monitor is an object in this process;
 *    - `@opentelemetry/api` (@pulumi/pulumi runtime/settings.js): the trace context its gRPC
 *      interceptor adds to each call to the engine;
 *    - `./server` (@pulumi/policy policy.js): the analyzer server a policy pack runs under the
 *      engine; the plan calls the pack's rules itself (policy.ts);
 *    - `../locales/index.cjs` (zod, the program's config schema, from its core and its two
 *      APIs): every one of its 64 message locales, for `z.locales`; the English default that
 *      messages use is loaded on its own (v4/classic/schemas.cjs);
 *    - the namespaces of @pulumi/aws (`./s3`, `./ec2`, ... from its index.js): the program uses
 *      about 30 of its 237. A namespace registers its resource modules (rehydrating resource
 *      references) when first read instead of at load; a reference can only name a resource the
 *      program constructed, through its namespace, so the plan sees the same registrations.
 * 2. `debuggablePromise` (runtime/debuggable.js) is made lean (`leanDebugging`): the SDK wraps every
 *    registration promise, defining three debug properties (one a `new Error().stack`), read only by
 *    the message printed for a leaked promise under PULUMI_DEBUG_PROMISE_LEAKS. The lean one keeps
 *    the leak bookkeeping (the store's `leakCandidates`, the error tagged with its promise), except
 *    for the four promises of each declared output, made in rpc.js `transferProperties`, which
 *    settle with the registration whose own promises it keeps. The SDK calls both through their
 *    modules' exports (`debuggable_1.debuggablePromise`, `rpc_1.transferProperties`), so replacing
 *    an export reaches every caller.
 * 3. `Resource.stackTrace` (resource.js) returns no frames offline (`leanDebugging`): it formats the
 *    whole stack of every resource constructor for the engine's source positions, which the plan
 *    never records. And the responses to a registration and to an invoke (proto/resource_pb.js
 *    `RegisterResourceResponse`, `ResourceInvokeResponse`) print as their type name: the SDK puts
 *    each into a debug message (`resp: ${innerResponse}`, runtime/resource.js and invoke.js) before
 *    the logger decides to drop it, and jspb prints a message by joining its whole array, the
 *    resource's state included (about 20 ms of the prod plan, 849 responses).
 * 4. The per-program store (runtime/state.js `LocalStore`, the global `asyncLocalStorage`): a plan
 *    worker evaluates stack after stack, each in a fresh store, as the Automation API runs inline
 *    programs (`runInFreshStore`).
 * 5. `MockMonitor.newUrn` (runtime/mocks.js, private): the mock monitor qualifies a child's type with
 *    its parent's last type only, the engine with the parent's whole chain (`setMockUrns`).
 * The mock monitor's public parts (`registerResource`, `recordTransformCallback`) are not internals.
 * The plan's one patch of a public API, google-protobuf's `Struct` made lazy, is in lazyStruct.cjs
 * with its own canary (tests/lazy-struct.test.ts).
 * Plain JavaScript: the launcher and the workers preload it before anything is compiled.
 */
"use strict";
const Module = require("module");
const path = require("path");

/** The @pulumi/pulumi releases these internals were read in and the canary passed on. */
const VERIFIED = { from: "3.276.0", below: "3.277.0" };

function installedSdkVersion() {
  return require("@pulumi/pulumi/package.json").version;
}

const parts = (v) => v.split(/[.-]/).slice(0, 3).map(Number);
/** Orders two `x.y.z` versions (negative, 0, positive); lazyStruct.cjs uses it for google-protobuf. */
function compare(a, b) {
  const [x, y] = [parts(a), parts(b)];
  for (let i = 0; i < 3; i++) if (x[i] !== y[i]) return x[i] - y[i];
  return 0;
}

/** Why the installed SDK cannot be used, or undefined when it is inside VERIFIED. */
function sdkVersionProblem(version = installedSdkVersion()) {
  if (compare(version, VERIFIED.from) >= 0 && compare(version, VERIFIED.below) < 0) return undefined;
  return (
    `offline plan: @pulumi/pulumi ${version} is installed, but the plan's use of SDK internals ` +
    `(tools/plan/sdkInternals.cjs) was verified on >=${VERIFIED.from} <${VERIFIED.below}. ` +
    "Run `npx mocha tests/sdk-internals.test.ts tests/sdk-deferrals.test.ts tests/lazy-struct.test.ts`, mend what it names, then widen VERIFIED."
  );
}

/** Throws the problem, if any: for code paths that report errors themselves. */
function checkSdkVersion() {
  const problem = sdkVersionProblem();
  if (problem) throw Object.assign(new Error(problem), { name: "SdkVersionError" });
}

/**
 * A stand-in for a module that loads it on first read. `callable` modules (a function export, read
 * through `__importDefault`) stand on a function, so calling the stand-in calls the module.
 */
function lazy(load, callable) {
  let real;
  const get = () => (real ??= load());
  // Every key of the real module, copied as a configurable getter so the proxy invariants hold.
  const target = callable ? () => {} : {};
  const copyKeys = () => {
    for (const key of Reflect.ownKeys(get())) {
      if (!Object.prototype.hasOwnProperty.call(target, key)) Object.defineProperty(target, key, { get: () => get()[key], enumerable: true, configurable: true });
    }
  };
  return new Proxy(target, {
    // TypeScript's `__importStar` returns an ES-module-shaped value as it is, instead of enumerating
    // it, and its `__importDefault` wraps a CommonJS one in `{ default }`: answer both unloaded.
    get: (_, key) => (key === "__esModule" && real === undefined ? !callable || undefined : Reflect.get(get(), key)),
    has: (_, key) => key in get(),
    apply: (_, self, args) => Reflect.apply(get(), self, args),
    // A write (a test stubbing an export) reaches the real module, as it would without the stand-in.
    set: (_, key, value) => Reflect.set(get(), key, value),
    deleteProperty: (_, key) => Reflect.deleteProperty(get(), key),
    ownKeys: () => (copyKeys(), Reflect.ownKeys(target)),
    getOwnPropertyDescriptor: (_, key) => (copyKeys(), Reflect.getOwnPropertyDescriptor(target, key)),
  });
}

/**
 * 1. Requires deferred to first use: in `package`, a require of `request` (as the package spells
 * it, or a pattern) from its file `from` ("" for any of its files); `callable` when the module
 * exports a function. `name` is how the canary (tests/sdk-deferrals.test.ts) knows each.
 */
const DEFERRED = [
  { name: "typescript", package: "@pulumi/pulumi", request: "typescript", from: "", callable: false },
  { name: "./automation", package: "@pulumi/pulumi", request: "./automation", from: "index.js", callable: false },
  { name: "normalize-package-data", package: "@pulumi/pulumi", request: "normalize-package-data", from: path.join("runtime", "closure", "codePaths.js"), callable: true },
  { name: "./provider", package: "@pulumi/pulumi", request: "./provider", from: "index.js", callable: false },
  { name: "./dynamic", package: "@pulumi/pulumi", request: "./dynamic", from: "index.js", callable: false },
  { name: "grpc", package: "@pulumi/pulumi", request: /^(@grpc\/grpc-js|(\.\.\/)+proto\/\w+_grpc_pb)$/, from: "", callable: false },
  { name: "opentelemetry", package: "@pulumi/pulumi", request: "@opentelemetry/api", from: path.join("runtime", "settings.js"), callable: false },
  { name: "policy server", package: "@pulumi/policy", request: "./server", from: "policy.js", callable: false },
  { name: "zod locales", package: "zod", request: "../locales/index.cjs", from: "", callable: false },
  // Every bare lowercase name index.js requires (its namespace folders, and ./provider, ./tags and
  // ./utils, which its re-exports enumerate, and so load, at once) but ./utilities, used as it loads.
  { name: "aws namespaces", package: "@pulumi/aws", request: /^\.\/(?!utilities$)[a-z0-9]+$/, from: "index.js", callable: false },
];

/** Each entry's package folder as it appears in a file's path. */
const PACKAGE_DIRS = DEFERRED.map((d) => `${path.sep}node_modules${path.sep}${d.package.replace("/", path.sep)}${path.sep}`);

/** The entry of DEFERRED that `request` from the file `filename` matches, if any. Runs on every require: the request is checked first. */
function deferredEntry(request, filename) {
  for (let i = 0; i < DEFERRED.length; i++) {
    const d = DEFERRED[i];
    if (typeof d.request === "string" ? d.request !== request : !d.request.test(request)) continue;
    const at = filename.lastIndexOf(PACKAGE_DIRS[i]);
    if (at >= 0 && (d.from === "" || filename.slice(at + PACKAGE_DIRS[i].length) === d.from)) return d;
  }
  return undefined;
}

function deferSdkModules() {
  const load = Module._load;
  if (load.deferredSdkModules) return;
  Module._load = Object.assign(
    function (request, parent, isMain) {
      const deferred = parent?.filename ? deferredEntry(request, parent.filename) : undefined;
      if (!deferred) return load.call(this, request, parent, isMain);
      return lazy(() => load.call(this, request, parent, isMain), deferred.callable);
    },
    { deferredSdkModules: true },
  );
}

/** 2 and 3. Lean promise debugging, no resource stacks and short response texts, unless PULUMI_DEBUG_PROMISE_LEAKS is set. */
function leanDebugging() {
  const debuggable = require("@pulumi/pulumi/runtime/debuggable");
  if (process.env.PULUMI_DEBUG_PROMISE_LEAKS || debuggable.debuggablePromise.lean) return;
  const state = require("@pulumi/pulumi/runtime/state");
  const { Resource } = require("@pulumi/pulumi/resource");
  const original = debuggable.debuggablePromise;
  let detectorInstalled = false;
  // resource.js calls rpc_1.transferProperties through the module's exports, as it does debuggablePromise.
  const rpc = require("@pulumi/pulumi/runtime/rpc");
  const transferProperties = rpc.transferProperties;
  let transferring = 0;
  rpc.transferProperties = function (...args) {
    transferring++;
    try {
      return transferProperties.apply(this, args);
    } finally {
      transferring--;
    }
  };
  const lean = (p, ctx) => {
    // The SDK's first call installs its exit-time leak check: let it, once.
    if (!detectorInstalled) {
      detectorInstalled = true;
      return original(p, ctx);
    }
    // The four promises of every declared output (rpc.js transferProperties, 42,000 in prod) settle
    // when their registration resolves its outputs, and that registration's own promises stay
    // tracked: a registration that never completes is still reported as a leak. Told apart by
    // where they are made, not by their context's text, which would flatten 4.9 MB of strings.
    if (transferring) return p;
    const candidates = state.getStore().leakCandidates;
    candidates.add(p);
    return p.then(
      (value) => {
        candidates.delete(p);
        return value;
      },
      (err) => {
        candidates.delete(p);
        err.promise = p;
        throw err;
      },
    );
  };
  debuggable.debuggablePromise = Object.assign(lean, { lean: true });
  Resource.stackTrace = () => [];
  const messages = require("@pulumi/pulumi/proto/resource_pb");
  for (const type of ["RegisterResourceResponse", "ResourceInvokeResponse"]) messages[type].prototype.toString = () => `[${type}]`;
}

/** 4. Runs `fn` in a fresh SDK store that keeps the resource modules and packages the SDKs registered at load. */
function runInFreshStore(fn) {
  const state = require("@pulumi/pulumi/runtime/state");
  const store = new state.LocalStore();
  const global = state.getGlobalStore();
  store.resourcePackages = global.resourcePackages;
  store.resourceModules = global.resourceModules;
  return globalThis.asyncLocalStorage.run(store, fn);
}

/** 5. The mock monitor builds URNs with `newUrn(parent, type, name)`. */
function setMockUrns(monitor, newUrn) {
  if (typeof monitor.newUrn !== "function") throw new Error("offline plan: the SDK's MockMonitor has no newUrn (tools/plan/sdkInternals.cjs)");
  monitor.newUrn = newUrn;
}

module.exports = { VERIFIED, DEFERRED, deferredEntry, compare, installedSdkVersion, sdkVersionProblem, checkSdkVersion, deferSdkModules, leanDebugging, runInFreshStore, setMockUrns };

// Preloaded (`node --require`) before the SDK loads: defer those modules from the start.
deferSdkModules();
