import { spawn } from "child_process";
import * as path from "path";
import { PROJECT_DIR } from "../../tools/plan/evaluate";

export interface CommandResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

/**
 * Runs a command the way `npm run plan` and `npm run cost` run it (`node tools/launch.cjs
 * tools/<command>/cli.ts`, compiled once) of `dir`: the repository or a program copy, from `cwd`
 * (npm runs scripts in the package's folder). Resolves with the exit code and output, never rejects.
 */
export function command(entry: string, args: string[], dir = PROJECT_DIR, cwd = dir): Promise<CommandResult> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [path.join(dir, "tools", "launch.cjs"), path.join(dir, entry), ...args], { cwd });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (d) => (stdout += d));
    child.stderr.on("data", (d) => (stderr += d));
    child.on("close", (code) => resolve({ code, stdout, stderr }));
  });
}

/** `npm run plan -- <args>` in `dir`. */
export const plan = (args: string[], dir = PROJECT_DIR) => command("tools/plan/cli.ts", args, dir);
