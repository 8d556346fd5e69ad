import { strict as assert } from "assert";
import { cheapPromiseStacks } from "../tools/plan/promiseStacks";

/* eslint-disable @typescript-eslint/no-require-imports */
const debuggable = require("@pulumi/pulumi/runtime/debuggable") as { debuggablePromise: (p: Promise<unknown>, ctx: unknown) => Promise<unknown> };
const state = require("@pulumi/pulumi/runtime/state") as { getStore(): { leakCandidates: Set<Promise<unknown>> } };
const { Resource } = require("@pulumi/pulumi/resource") as { Resource: { stackTrace(skip: number): unknown[] } };
/* eslint-enable @typescript-eslint/no-require-imports */
const traceOf = (p: Promise<unknown>) => (p as unknown as { _debugStackTrace?: string })._debugStackTrace;

describe("plan speed: the SDK's per-resource debugging is cheap offline, leak detection and real errors are kept", () => {
  it("before: the SDK stores a stack on every promise and formats every resource's stack", async () => {
    const before = Promise.resolve(1);
    await debuggable.debuggablePromise(before, "before");
    assert.match(traceOf(before) ?? "", /\n\s+at /, "the SDK captures frames by default: the checks below can fail");
    assert.ok(Resource.stackTrace(0).length > 0, "the SDK formats the constructor's stack by default");
  });

  it("after: no debug properties and no resource stack, but the same leak bookkeeping and results", async () => {
    cheapPromiseStacks();
    cheapPromiseStacks(); // installing twice changes nothing
    // The first call is the SDK's own (it installs the exit-time leak check).
    await debuggable.debuggablePromise(Promise.resolve(0), "first");

    let resolve!: (v: number) => void;
    const pending = new Promise<number>((r) => (resolve = r));
    const wrapped = debuggable.debuggablePromise(pending, "pending");
    assert.equal(traceOf(pending), undefined, "no stack captured");
    assert.ok(state.getStore().leakCandidates.has(pending), "a pending promise is a leak candidate");
    resolve(2);
    assert.equal(await wrapped, 2, "the value passes through");
    assert.ok(!state.getStore().leakCandidates.has(pending), "a settled promise is no longer a candidate");

    const failing = Promise.reject(new Error("boom"));
    const err = await debuggable.debuggablePromise(failing, "failing").catch((e: Error & { promise?: unknown }) => e);
    assert.equal((err as Error).message, "boom", "the rejection passes through");
    assert.equal((err as { promise?: unknown }).promise, failing, "tagged with its promise, as the SDK does");
    assert.ok(!state.getStore().leakCandidates.has(failing));

    assert.deepEqual(Resource.stackTrace(0), [], "no source position offline");
    // A real error thrown from TypeScript still names this file and a line of it.
    assert.match(new Error("real").stack!, /promise-stacks\.test\.ts:\d+:\d+/);
  });
});
