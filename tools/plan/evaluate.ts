import { fork } from "child_process";
import * as path from "path";
import { Evaluation } from "./graph";
import type { EvaluateRequest } from "./worker";

export type { EvaluateRequest } from "./worker";
export const PROJECT_DIR = path.resolve(__dirname, "..", "..");

/**
 * Evaluates one stack of the real program offline and returns its graph (or why it has none).
 * This is the one harness behind `npm run plan` and the tests. Each call runs in a fresh child
 * process because the Pulumi SDK keeps per-process global state; separate calls run in parallel.
 */
export function evaluateStack(request: Partial<EvaluateRequest> & { stack: string }): Promise<Evaluation> {
  const req: EvaluateRequest = { projectDir: PROJECT_DIR, ...request };
  return new Promise((resolve, reject) => {
    const child = fork(path.join(__dirname, "worker.ts"), [], {
      cwd: req.projectDir,
      execArgv: ["--require", require.resolve("tsx/cjs")],
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
