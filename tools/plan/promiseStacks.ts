/**
 * The Pulumi SDK wraps every registration, resolution and invoke promise in `debuggablePromise`
 * (@pulumi/pulumi runtime/debuggable.js), which stores `new Error().stack` on it for one purpose:
 * the message printed when a promise leaks with PULUMI_DEBUG_PROMISE_LEAKS set. Under tsx, source
 * maps are on, so every such stack is formatted through Node's source-map stack preparation (file
 * URL conversions included): a CPU profile of a 48-service plan put 8 of its 14 CPU seconds there.
 *
 * The SDK calls it through its module's exports (`debuggable_1.debuggablePromise(...)`), so this
 * wraps that export to capture no frames (Error.stackTraceLimit = 0 for that one `new Error()`),
 * keeping the leak detection itself. Every other error keeps its full, source-mapped stack; with
 * PULUMI_DEBUG_PROMISE_LEAKS set nothing is changed.
 */
// eslint-disable-next-line @typescript-eslint/no-require-imports
const debuggable = require("@pulumi/pulumi/runtime/debuggable") as { debuggablePromise: (p: Promise<unknown>, ctx: unknown) => Promise<unknown> };

export function cheapPromiseStacks(): void {
  if (process.env.PULUMI_DEBUG_PROMISE_LEAKS) return;
  const original = debuggable.debuggablePromise;
  if ((original as { cheap?: boolean }).cheap) return;
  const cheap = (p: Promise<unknown>, ctx: unknown) => {
    const limit = Error.stackTraceLimit;
    Error.stackTraceLimit = 0;
    try {
      return original(p, ctx);
    } finally {
      Error.stackTraceLimit = limit;
    }
  };
  debuggable.debuggablePromise = Object.assign(cheap, { cheap: true });
}
