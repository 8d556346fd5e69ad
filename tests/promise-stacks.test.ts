import { strict as assert } from "assert";
import { cheapPromiseStacks } from "../tools/plan/promiseStacks";

// eslint-disable-next-line @typescript-eslint/no-require-imports
const debuggable = require("@pulumi/pulumi/runtime/debuggable") as { debuggablePromise: (p: Promise<unknown>, ctx: unknown) => Promise<unknown> };
const traceOf = (p: Promise<unknown>) => (p as unknown as { _debugStackTrace: string })._debugStackTrace;

describe("plan speed: the SDK's promise stacks are not captured, every other stack is", () => {
  it("debuggablePromise stores a frameless stack once installed (and a full one before), other errors keep source-mapped frames", async () => {
    const before = Promise.resolve(1);
    await debuggable.debuggablePromise(before, "before");
    assert.match(traceOf(before), /\n\s+at /, "the SDK captures frames by default: the check can fail");

    cheapPromiseStacks();
    const after = Promise.resolve(2);
    assert.equal(await debuggable.debuggablePromise(after, "after"), 2, "the wrapped promise still resolves to its value");
    assert.equal(traceOf(after), "Error");

    // A real error thrown from TypeScript still names this file and a line of it (source maps on).
    const stack = new Error("boom").stack!;
    assert.match(stack, /promise-stacks\.test\.ts:\d+:\d+/);
    assert.ok(Error.stackTraceLimit > 0, "the limit is restored");
  });
});
