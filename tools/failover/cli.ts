/**
 * `npm run failover -- --stack prod --to <region> --mode planned|unplanned|failback [--dry-run]
 * [--yes] [--outputs <file>] [--max-lag-ms N] [--simulate]`
 *
 * Moves the platform between its regions step by step (README "Regions"). Reads the stack's
 * outputs from `--outputs` (or `pulumi stack output --json` on standard input); `--dry-run` and
 * `--simulate` may use the offline plan's graph instead. Exit codes: 0 done, 1 usage, 2 refused
 * before any change (bad target, lag, standby not warm, no confirmation), 3 a step failed (the
 * message names it and what to do next; re-running resumes).
 */
import { ApplicationAutoScalingClient } from "@aws-sdk/client-application-auto-scaling";
import { CloudWatchClient } from "@aws-sdk/client-cloudwatch";
import { ECSClient } from "@aws-sdk/client-ecs";
import { RDSClient } from "@aws-sdk/client-rds";
import { SchedulerClient } from "@aws-sdk/client-scheduler";
import * as fs from "fs";
import * as readline from "readline";
import { parseArgs } from "util";
import { evaluateStack } from "../plan/evaluate";
import { readFailoverOutputs } from "./outputs";
import { describePlan, renderTimeline, runFailover } from "./run";
import { exitQuietlyOnClosedPipe } from "../stdout";
import { simulatedDeps } from "./simulate";
import { Deps, Mode, Plan } from "./steps";

const USAGE = "usage: npm run failover -- --stack <name> --to <region> --mode planned|unplanned|failback [--dry-run] [--yes] [--outputs <file>] [--max-lag-ms <n>] [--simulate]";

export async function main(argv: string[], io = { stdin: process.stdin, out: console.log, err: console.error, env: process.env }): Promise<number> {
  let values;
  try {
    ({ values } = parseArgs({
      args: argv,
      options: {
        stack: { type: "string" },
        to: { type: "string" },
        mode: { type: "string" },
        "dry-run": { type: "boolean", default: false },
        yes: { type: "boolean", default: false },
        outputs: { type: "string" },
        "max-lag-ms": { type: "string", default: "1000" },
        simulate: { type: "boolean", default: false },
        help: { type: "boolean", short: "h" },
      },
    }));
  } catch (err) {
    io.err(`${(err as Error).message}\n${USAGE}`);
    return 1;
  }
  if (values.help) return io.out(USAGE), 0;
  const problems: string[] = [];
  if (!values.stack) problems.push("--stack: required (the stack to fail over, e.g. prod)");
  if (!values.to) problems.push("--to: required (the region to move to)");
  if (!["planned", "unplanned", "failback"].includes(String(values.mode))) problems.push(`--mode: expected planned, unplanned or failback, got ${JSON.stringify(values.mode ?? "")}`);
  const maxLagMs = Number(values["max-lag-ms"]);
  if (!Number.isInteger(maxLagMs) || maxLagMs < 0) problems.push(`--max-lag-ms: expected a whole number of milliseconds, got ${values["max-lag-ms"]}`);
  if (problems.length) return io.err(`${problems.join("\n")}\n${USAGE}`), 1;

  const stackOutputs = await loadOutputs(values.stack!, values.outputs, values["dry-run"] || values.simulate, io);
  if (typeof stackOutputs === "string") return io.err(stackOutputs), 2;
  const read = readFailoverOutputs(stackOutputs);
  if (!read.ok) return io.err(`The stack's outputs cannot drive a failover:\n${read.problems.map((x) => `  - ${x}`).join("\n")}`), 2;
  const outputs = read.outputs;

  const regions = Object.keys(outputs.regions);
  const primary = regions.find((r) => outputs.regions[r].role === "primary")!;
  const standby = regions.find((r) => r !== primary)!;
  const to = values.to!;
  if (!regions.includes(to)) return io.err(`--to: ${to} is not one of the stack's regions (primary ${primary}, standby ${standby}); nothing was changed`), 2;
  // Moving to the primary is bringing the platform home: a switchover, never a data-losing failover.
  let mode = values.mode as Mode;
  if (to === primary && mode !== "failback") {
    if (mode === "unplanned") return io.err(`--to ${to} is the home region: use --mode failback (a switchover back, with no data loss); nothing was changed`), 2;
    mode = "failback";
  }
  if (mode === "failback" && to !== primary) return io.err(`--mode failback moves to the home region ${primary}, not ${to}; nothing was changed`), 2;
  const plan: Plan = { outputs, mode, to, from: to === primary ? standby : primary, maxLagMs };

  io.out(describePlan(plan));
  if (values["dry-run"]) return io.out("\nDry run: no call was made."), 0;

  let deps: Deps;
  if (values.simulate) deps = simulatedDeps(plan, io.out);
  else {
    const token = io.env.CLOUDFLARE_API_TOKEN;
    if (!token) return io.err("CLOUDFLARE_API_TOKEN: required (a token with Load Balancing: Edit on the zone); nothing was changed"), 2;
    deps = awsDeps(token, io.out);
    if (!values.yes && !(await confirm(`\nProceed with the ${mode} failover to ${to}? [y/N] `))) return io.err("Not confirmed; nothing was changed."), 2;
  }
  const outcome = await runFailover(deps, plan);
  const report = renderTimeline(outcome, plan);
  io.out(`\n${report}`);
  if (io.env.GITHUB_STEP_SUMMARY) fs.appendFileSync(io.env.GITHUB_STEP_SUMMARY, `${report}\n`);
  return outcome.exitCode;
}

/** Stack outputs from a file, from standard input, or (dry runs and drills) from the offline plan. */
async function loadOutputs(stack: string, file: string | undefined, offlineAllowed: boolean, io: { stdin: NodeJS.ReadableStream }): Promise<unknown | string> {
  try {
    if (file) return JSON.parse(fs.readFileSync(file, "utf8"));
    if (!(io.stdin as NodeJS.ReadStream).isTTY && !offlineAllowed) return JSON.parse(await readAll(io.stdin));
  } catch (err) {
    return `--outputs: expected the JSON of \`pulumi stack output --json\`: ${(err as Error).message}; nothing was changed`;
  }
  if (!offlineAllowed) return "--outputs: required (or pipe `pulumi stack output --json --show-secrets=false` in); nothing was changed";
  const result = await evaluateStack({ stack });
  return result.ok ? result.graph.outputs : `--stack ${stack}: the offline plan failed: ${result.message}`;
}

function readAll(stream: NodeJS.ReadableStream): Promise<string> {
  return new Promise((resolve, reject) => {
    let text = "";
    stream.on("data", (c) => (text += c));
    stream.on("end", () => resolve(text));
    stream.on("error", reject);
  });
}

function awsDeps(cloudflareToken: string, log: (line: string) => void): Deps {
  const cache = new Map<string, unknown>();
  const client = <T>(kind: string, region: string, make: () => T): T => {
    const key = `${kind}/${region}`;
    if (!cache.has(key)) cache.set(key, make());
    return cache.get(key) as T;
  };
  return {
    rds: (region) => client("rds", region, () => new RDSClient({ region })),
    ecs: (region) => client("ecs", region, () => new ECSClient({ region })),
    autoscaling: (region) => client("autoscaling", region, () => new ApplicationAutoScalingClient({ region })),
    scheduler: (region) => client("scheduler", region, () => new SchedulerClient({ region })),
    cloudwatch: (region) => client("cloudwatch", region, () => new CloudWatchClient({ region })),
    fetch: (url, init) => fetch(url, init),
    cloudflareToken,
    now: () => Date.now(),
    sleep: (ms) => new Promise((r) => setTimeout(r, ms)),
    log,
  };
}

function confirm(question: string): Promise<boolean> {
  if (!process.stdin.isTTY) return Promise.resolve(false);
  const rl = readline.createInterface({ input: process.stdin, output: process.stdout });
  return new Promise((resolve) => rl.question(question, (answer) => (rl.close(), resolve(/^y(es)?$/i.test(answer.trim())))));
}

if (require.main === module) {
  exitQuietlyOnClosedPipe();
  main(process.argv.slice(2)).then(
    (code) => (process.exitCode = code),
    (err) => {
      console.error(err instanceof Error ? err.message : err);
      process.exitCode = 3;
    },
  );
}
