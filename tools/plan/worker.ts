/**
 * Runs one stack of the real program under the Pulumi mock runtime: in a command's own process
 * (`evaluateOnce`), or in a worker started by evaluate.ts, one stack after another, each in a
 * fresh SDK state (`evaluateIsolated`).
 */
import * as path from "path";
import * as pulumi from "@pulumi/pulumi";
import { compiled, mapStack } from "./compile.cjs";
import { Evaluation } from "./graph";
import { PlatformMocks } from "./mocks";
import { disabledDefaults } from "./providers";
import { MonitorLike, Recorder, sanitize } from "./recorder";
import { lazyStructs } from "./lazyStruct.cjs";
import { leanDebugging, runInFreshStore } from "./sdkInternals.cjs";
import { CREDENTIALS } from "../../config/credentials";
import { StackConfig, StackNotFoundError, applyOverrides, loadStackConfig } from "./stackConfig";
import { ownershipClashes } from "./ownership";
import { formatProblems } from "../../config/problems";

export interface EvaluateRequest {
  /** Folder with Pulumi.yaml and index.ts. */
  projectDir: string;
  stack: string;
  /** Folder with the Pulumi.<stack>.yaml files (Pulumi's stackConfigDir); defaults to projectDir. */
  configDir?: string;
  /** Config keys to set on top of the stack file, as `pulumi config set` would (whole-key replace). */
  overrides?: Record<string, unknown>;
}

/** The mocks of this process's evaluation, for error reporting. */
let currentMocks: PlatformMocks | undefined;

async function evaluate(req: EvaluateRequest): Promise<Evaluation> {
  currentMocks = undefined;
  let stackConfig;
  try {
    stackConfig = applyOverrides(loadStackConfig(req.projectDir, req.stack, req.configDir), req.overrides ?? {});
  } catch (err) {
    if (err instanceof StackNotFoundError) return { ok: false, kind: "stack", message: err.message };
    throw err;
  }
  // What this stack owns, against the stack files beside it (config/ownership.ts).
  const clashes = ownershipClashes(req.projectDir, stackConfig, req.configDir);
  if (clashes.length) return { ok: false, kind: "config", problems: clashes, message: formatProblems(clashes), registered: 0 };
  const { project, stack, config, secretKeys } = withOfflineCredentials(stackConfig);
  pulumi.runtime.setAllConfig(config, secretKeys);
  const disabled = disabledDefaults(config);
  leanDebugging();
  lazyStructs();
  const mocks = new PlatformMocks(stack, disabled);
  await pulumi.runtime.setMocks(mocks, project, stack, false);
  currentMocks = mocks;
  const recorder = new Recorder(mocks, disabled);
  recorder.attach(pulumi.runtime.getMonitor() as unknown as MonitorLike);

  let outputs: Record<string, unknown>;
  try {
    // The program is loaded the way the Pulumi Node.js host loads it, require() of the main
    // module, compiled once to JavaScript (compile.ts) as the host would run a built program.
    const main = compiled(path.join(req.projectDir, "index.ts"));
    // A worker that evaluated this program before runs it afresh, as a new process would.
    delete require.cache[main];
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const program = async () => ({ ...require(main) });
    outputs = (await pulumi.runtime.runInPulumiStack(program)) ?? {};
  } catch (err) {
    const e = err as { name?: string; problems?: { key: string; message: string }[]; message: string };
    if (e.name === "ConfigError" && e.problems) {
      return { ok: false, kind: "config", problems: e.problems, message: e.message, registered: recorder.count };
    }
    throw err;
  }
  // Drain registrations that no stack output depends on (the mock monitor has nothing to close).
  await pulumi.runtime.disconnect();
  if (recorder.errors.length) throw recorder.errors[0];
  const providerProblems = [...recorder.providerProblems, ...mocks.providerProblems];
  if (providerProblems.length) {
    return { ok: false, kind: "error", message: `The engine would refuse ${providerProblems.length} registration(s):\n${providerProblems.map((p) => `  - ${p}`).join("\n")}` };
  }
  return { ok: true, graph: recorder.graph(project, stack, sanitize(outputs) as Record<string, unknown>) };
}

/**
 * Offline there are no real credentials: each one the stack file does not set gets its example
 * value, as a secret, so the plan shows the resources a configured deploy creates. Real deploys
 * fail before creating anything when a required credential is missing (config/index.ts).
 */
function withOfflineCredentials(c: StackConfig): StackConfig {
  const config = { ...c.config };
  const secretKeys = [...c.secretKeys];
  for (const { key, example } of Object.values(CREDENTIALS)) {
    if (config[key] !== undefined) continue;
    config[key] = example;
    secretKeys.push(key);
  }
  return { ...c, config, secretKeys };
}

let started = false;

/**
 * One evaluation as an Evaluation, never a rejection: the program's own failure, a promise it
 * leaves rejected, or a config error all come back as the result. For a command's own process,
 * which evaluates one stack (the SDK's global state is the process's).
 */
export function evaluateOnce(req: EvaluateRequest): Promise<Evaluation> {
  if (started) throw new Error("offline plan: this process has already evaluated a stack (the Pulumi SDK keeps per-process state)");
  started = true;
  // The program runs in its project folder, as Pulumi runs it; the command's own paths are its caller's.
  const cwd = process.cwd();
  process.chdir(req.projectDir);
  return captured(req).finally(() => process.chdir(cwd));
}

/** Where a promise the program leaves rejected is reported: the evaluation running now. */
let reportUnhandled: ((reason: unknown) => void) | undefined;

function captured(req: EvaluateRequest): Promise<Evaluation> {
  // One handler for the process, installed once. After a failed evaluation the SDK may still
  // reject promises of that run; they land on its settled result (and its worker is not reused).
  if (!reportUnhandled) process.on("unhandledRejection", (reason) => reportUnhandled?.(reason));
  return new Promise((resolve) => {
    reportUnhandled = (reason) => resolve({ ok: false, kind: "error", message: describe(reason) });
    evaluate(req).then(resolve, (err) => resolve({ ok: false, kind: "error", message: describe(err) }));
  });
}

let runs = 0;

/**
 * One of a worker's evaluations, each in a fresh SDK state: the SDK runs a program inside its own
 * store (config, settings and monitor, stack resource, leak candidates), as the Automation API
 * runs one inline program after another in a process (`withLocalStorage`). The store keeps the
 * resource modules and packages the SDKs registered when they loaded, as a new process has them.
 */
export async function evaluateIsolated(req: EvaluateRequest): Promise<Evaluation> {
  process.chdir(req.projectDir);
  const run = ++runs;
  const result = await runInFreshStore(() => captured(req));
  return result.ok ? { ...result, run } : result;
}

/**
 * Child-process entry: requests in over IPC, one Evaluation out for each, one at a time. The
 * parent reuses a worker only after an evaluation that succeeded; it exits with its parent.
 */
if (require.main === module) {
  process.on("message", (req: EvaluateRequest) => {
    evaluateIsolated(req).then((result) => process.send!(result));
  });
  process.on("disconnect", () => process.exit(0));
}

function describe(err: unknown): string {
  // A failed invoke loses the mock's message on its way through the SDK: show the mock's own first.
  if (currentMocks?.errors.length) return `offline plan: ${currentMocks.errors[0]}\n(surfaced as: ${err instanceof Error ? err.message : String(err)})`;
  return err instanceof Error ? mapStack(err.stack ?? err.message) : String(err);
}
