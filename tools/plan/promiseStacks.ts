/**
 * Two per-resource costs of the Pulumi SDK that buy nothing offline, made cheap for the plan.
 *
 * 1. `debuggablePromise` (@pulumi/pulumi runtime/debuggable.js) wraps every registration,
 *    resolution and invoke promise: it defines three debug properties on it (one is
 *    `new Error().stack`), adds it to the store's leak candidates and chains `.then().catch()` to
 *    remove it. The properties are read by one message only, the one printed for a leaked promise
 *    with PULUMI_DEBUG_PROMISE_LEAKS set. The lean version keeps the leak detection (the same
 *    candidate set, removed on settle, the error tagged with its promise as before) with one
 *    `.then(ok, fail)` and no properties. The SDK calls it through its module's exports
 *    (`debuggable_1.debuggablePromise(...)`), so replacing that export reaches every caller.
 * 2. `Resource.stackTrace` (@pulumi/pulumi resource.js) formats the full stack of every resource
 *    constructor (no frame limit, a file URL per frame) for the registration's `sourcePosition`
 *    and `stackTrace` fields, which the engine shows in the Pulumi Cloud console; the offline plan
 *    records neither. Offline it returns no frames.
 *
 * Every other error keeps its full stack. With PULUMI_DEBUG_PROMISE_LEAKS set nothing changes.
 * A CPU profile of a 48-service plan put a quarter of the worker's CPU in these two (with GC).
 */
/* eslint-disable @typescript-eslint/no-require-imports */
type Debuggable = (p: Promise<unknown>, ctx: unknown) => Promise<unknown>;
const debuggable = require("@pulumi/pulumi/runtime/debuggable") as { debuggablePromise: Debuggable & { lean?: boolean } };
const state = require("@pulumi/pulumi/runtime/state") as { getStore(): { leakCandidates: Set<Promise<unknown>> } };
const { Resource } = require("@pulumi/pulumi/resource") as { Resource: { stackTrace: (skip: number) => unknown[] } };
/* eslint-enable @typescript-eslint/no-require-imports */

export function cheapPromiseStacks(): void {
  if (process.env.PULUMI_DEBUG_PROMISE_LEAKS || debuggable.debuggablePromise.lean) return;
  const original = debuggable.debuggablePromise;
  let detectorInstalled = false;
  const lean: Debuggable = (p, ctx) => {
    // The SDK's first call installs its exit-time leak check: let it, once.
    if (!detectorInstalled) {
      detectorInstalled = true;
      return original(p, ctx);
    }
    const candidates = state.getStore().leakCandidates;
    candidates.add(p);
    return p.then(
      (value) => {
        candidates.delete(p);
        return value;
      },
      (err: { promise?: unknown }) => {
        candidates.delete(p);
        err.promise = p;
        throw err;
      },
    );
  };
  debuggable.debuggablePromise = Object.assign(lean, { lean: true });
  Resource.stackTrace = () => [];
}
