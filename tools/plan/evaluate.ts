import { fork } from "child_process";
import * as path from "path";
import { CACHE, compiled, findUp } from "./compile.cjs";
import { Evaluation } from "./graph";
import type { EvaluateRequest } from "./worker";

export type { EvaluateRequest } from "./worker";
/** The repository root: found from here, so it is the same in the sources and in a compiled bundle. */
export const PROJECT_DIR = findUp(__dirname, path.join("tools", "plan", "worker.ts"));

/**
 * Evaluates one stack of the real program offline and returns its graph (or why it has none).
 * This is the one harness behind `npm run plan` and the tests. Each call runs in a fresh child
 * process because the Pulumi SDK keeps per-process global state; separate calls run in parallel.
 */
export function evaluateStack(request: Partial<EvaluateRequest> & { stack: string }): Promise<Evaluation> {
  const req: EvaluateRequest = { projectDir: PROJECT_DIR, ...request };
  return new Promise((resolve, reject) => {
    // The worker runs as compiled JavaScript under plain node (compile.ts), with V8's code cache
    // for the SDKs it loads (v8-compile-cache: Node 20 has no module.enableCompileCache), and
    // without two SDK dependencies a plan never calls (lazyModules.cjs). --no-opt: a worker lives
    // about a second, and V8's optimizing compiler spent a quarter more CPU than it saved (dev:
    // 1.15 -> 0.87 CPU s, same wall time); workers run side by side, so CPU is what they share.
    const child = fork(compiled(path.join(PROJECT_DIR, "tools", "plan", "worker.ts"), path.join(PROJECT_DIR, CACHE)), [], {
      cwd: req.projectDir,
      execArgv: ["--no-opt", "--require", require.resolve("v8-compile-cache"), "--require", path.join(PROJECT_DIR, "tools", "plan", "lazyModules.cjs")],
      env: { ...process.env, V8_COMPILE_CACHE_CACHE_DIR: path.join(PROJECT_DIR, CACHE, "v8") },
      stdio: ["ignore", "inherit", "inherit", "ipc"],
    });
    let result: Evaluation | undefined;
    child.once("message", (msg) => (result = msg as Evaluation));
    child.once("error", reject);
    child.once("exit", (code, signal) =>
      result ? resolve(result) : reject(new Error(`offline plan worker for stack ${req.stack} exited with ${signal ?? code} and no result`)),
    );
    child.send(req);
  });
}

/**
 * The same evaluation in this process, for a command that evaluates one stack and then exits
 * (`npm run plan`, `npm run cost`): no second process to start, and no graph to copy between two.
 * The SDK's two function-serialization dependencies are deferred as in the worker (the launcher
 * installs that before anything loads). At most one call per process.
 */
export function evaluateInThisProcess(request: Partial<EvaluateRequest> & { stack: string }): Promise<Evaluation> {
  /* eslint-disable @typescript-eslint/no-require-imports */
  require("./lazyModules.cjs");
  // Loaded here, not at the top: a process that only starts workers never loads the SDK.
  const { evaluateOnce } = require("./worker") as typeof import("./worker");
  /* eslint-enable @typescript-eslint/no-require-imports */
  return evaluateOnce({ projectDir: PROJECT_DIR, ...request });
}
