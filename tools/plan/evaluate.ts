import { ChildProcess, fork } from "child_process";
import * as os from "os";
import * as path from "path";
import { CACHE, compileCacheDir, compiled } from "./compile.cjs";
import { checkSdkVersion } from "./sdkInternals.cjs";
import { Evaluation } from "./graph";
import { PROJECT_DIR } from "./projectDir";
import type { EvaluateRequest } from "./worker";

export type { EvaluateRequest } from "./worker";
/** The repository root (projectDir.ts), re-exported for the commands and specs that plan. */
export { PROJECT_DIR };

/** Workers that finished an evaluation and wait for the next, at most one per CPU. */
const idle: ChildProcess[] = [];
const MAX_IDLE = Math.max(2, os.cpus().length);

function takeWorker(): ChildProcess {
  for (let child = idle.pop(); child; child = idle.pop()) if (child.connected) return child;
  return startWorker();
}

function startWorker(): ChildProcess {
  checkSdkVersion();
  // The worker runs as compiled JavaScript under plain node (compile.cjs), with Node's compile
  // cache for the SDKs it loads, and without the SDK's TypeScript until something reads it
  // (sdkInternals.cjs, which also refuses an SDK it was not verified on). --no-opt: an evaluation
  // takes about a second, and V8's optimizing compiler spent a quarter more CPU than it saved
  // (dev: 1.15 -> 0.87 CPU s, same wall time); workers run side by side, so CPU is what they share.
  const child = fork(compiled(path.join(PROJECT_DIR, "tools", "plan", "worker.ts"), path.join(PROJECT_DIR, CACHE)), [], {
    cwd: PROJECT_DIR,
    execArgv: ["--no-opt", "--require", path.join(PROJECT_DIR, "tools", "plan", "sdkInternals.cjs")],
    env: { ...process.env, NODE_COMPILE_CACHE: compileCacheDir(PROJECT_DIR) },
    stdio: ["ignore", "inherit", "inherit", "ipc"],
  });
  child.on("exit", () => idle.includes(child) && idle.splice(idle.indexOf(child), 1));
  return child;
}

/** Keeps a worker for the next evaluation without keeping this process alive for it. */
function park(child: ChildProcess): void {
  if (idle.length >= MAX_IDLE || !child.connected) {
    child.kill();
    return;
  }
  child.unref();
  (child.channel as { unref?: () => void } | undefined)?.unref?.();
  idle.push(child);
}

/**
 * Evaluates one stack of the real program offline and returns its graph (or why it has none).
 * This is the one harness behind the tests and `npm run failover` (`npm run plan` evaluates in
 * its own process). Each call runs in a worker process, separate calls in parallel. A worker
 * evaluates one stack after another in a fresh SDK state each (worker.ts), which saves loading
 * the SDKs again; one whose evaluation failed is not reused.
 */
export async function evaluateStack(request: Partial<EvaluateRequest> & { stack: string }): Promise<Evaluation> {
  const child = takeWorker();
  child.ref();
  (child.channel as { ref?: () => void } | undefined)?.ref?.();
  const result = await evaluateIn(child, request);
  if (result.ok) park(child);
  else child.kill();
  return result;
}

/** A new worker process of its own, for a caller that keeps it (and kills it when done). */
export function newWorker(): ChildProcess {
  return startWorker();
}

/** One evaluation in the given worker; it leaves the worker running. */
export function evaluateIn(child: ChildProcess, request: Partial<EvaluateRequest> & { stack: string }): Promise<Evaluation> {
  const req: EvaluateRequest = { projectDir: PROJECT_DIR, ...request };
  return new Promise((resolve, reject) => {
    const settle = () => {
      child.off("message", onMessage);
      child.off("exit", onExit);
      child.off("error", onError);
    };
    const onMessage = (msg: unknown) => {
      settle();
      resolve(msg as Evaluation);
    };
    const onExit = (code: number | null, signal: string | null) => {
      settle();
      reject(new Error(`offline plan worker for stack ${req.stack} exited with ${signal ?? code} and no result`));
    };
    const onError = (err: Error) => {
      settle();
      child.kill();
      reject(err);
    };
    child.on("message", onMessage);
    child.on("exit", onExit);
    child.on("error", onError);
    child.send(req);
  });
}

/**
 * The same evaluation in this process, for a command that evaluates one stack and then exits
 * (`npm run plan`, `npm run cost`): no second process to start, and no graph to copy between two.
 * The SDK's TypeScript is deferred as in the worker (the launcher installs that before anything
 * loads). At most one call per process.
 */
export function evaluateInThisProcess(request: Partial<EvaluateRequest> & { stack: string }): Promise<Evaluation> {
  /* eslint-disable @typescript-eslint/no-require-imports */
  // The launcher preloaded sdkInternals.cjs and checked the SDK's version. Loaded here, not at the top: a process that only starts workers never loads the SDK.
  const { evaluateOnce } = require("./worker") as typeof import("./worker");
  /* eslint-enable @typescript-eslint/no-require-imports */
  const { projectDir = PROJECT_DIR, configDir } = request;
  return evaluateOnce({ ...request, projectDir: path.resolve(projectDir), configDir: configDir && path.resolve(configDir) });
}
