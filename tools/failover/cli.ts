/**
 * `npm run failover -- --stack prod --to <region> --mode planned|unplanned|failback [--dry-run]
 * [--yes] [--outputs <file>] [--max-lag-ms N] [--fail-over-while-primary-answers] [--journal <file>]
 * [--first-started-at <ISO time>] [--simulate [--simulate-state <file>] [--fault <fault>]...]`
 *
 * Moves the platform between its regions step by step (docs/regions.md, "The failover command"). Reads the
 * stack's outputs from `--outputs` (or `pulumi stack output --json` on standard input); `--dry-run`
 * and `--simulate` may use the offline plan's graph instead. Exit codes: 0 done, 1 usage, 2 refused
 * before any change, 3 a step failed (the report names it, what the live state shows done and what
 * to do next; re-running resumes), 4 done with to-do lines (a partial step, e.g. the lost region's
 * schedules).
 */
import * as fs from "fs";
import { parseArgs } from "util";
import { evaluateStack } from "../plan/evaluate";
import { exitQuietlyOnClosedPipe } from "../lib/stdout";
import { awsDeps } from "./clients";
import { askTerminal } from "./confirm";
import { parseFaults } from "./faults";
import { readFailoverOutputs } from "./outputs";
import { describePlan, renderTimeline } from "./report";
import { Journal, runFailover } from "./run";
import { loadWorld, lock, newWorld, saveWorld } from "./simWorld";
import { simulatedDeps } from "./simulate";
import { Deps, Mode, Plan } from "./types";

const USAGE =
  "usage: npm run failover -- --stack <name> --to <region> --mode planned|unplanned|failback [--dry-run] [--yes] [--outputs <file>] [--max-lag-ms <n>] [--fail-over-while-primary-answers] [--journal <file>] [--first-started-at <ISO time>] [--simulate [--simulate-state <file>] [--fault <fault>]...]";

export interface Io {
  stdin: NodeJS.ReadableStream;
  out: (line: string) => void;
  err: (line: string) => void;
  env: NodeJS.ProcessEnv;
  /** Asks on the terminal; undefined when there is none (default: /dev/tty). */
  ask?: (question: string) => Promise<string | undefined>;
}

export async function main(argv: string[], io: Io = { stdin: process.stdin, out: console.log, err: console.error, env: process.env }): Promise<number> {
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
        "fail-over-while-primary-answers": { type: "boolean", default: false },
        journal: { type: "string" },
        "first-started-at": { type: "string" },
        simulate: { type: "boolean", default: false },
        "simulate-state": { type: "string" },
        fault: { type: "string", multiple: true, default: [] },
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
  if (!values.simulate && (values.fault.length || values["simulate-state"])) problems.push(`${values.fault.length ? "--fault" : "--simulate-state"}: only with --simulate (faults are injected into the simulated platform, never a real one)`);
  if (values["fail-over-while-primary-answers"] && values.mode !== "unplanned") problems.push("--fail-over-while-primary-answers: only with --mode unplanned");
  const firstStarted = values["first-started-at"] === undefined ? undefined : Date.parse(values["first-started-at"]);
  if (firstStarted !== undefined && !Number.isFinite(firstStarted)) problems.push(`--first-started-at: expected an ISO time such as 2026-11-26T03:00:00Z, got ${values["first-started-at"]}`);
  if (problems.length) return io.err(`${problems.join("\n")}\n${USAGE}`), 1;

  const stackOutputs = await loadOutputs(values.stack!, values.outputs, values["dry-run"] || values.simulate, io);
  if (typeof stackOutputs === "string") return io.err(stackOutputs), 2;
  const read = readFailoverOutputs(stackOutputs);
  if (!read.ok) return io.err(`The stack's outputs cannot drive a failover:\n${read.problems.map((x) => `  - ${x}`).join("\n")}`), 2;
  const outputs = read.outputs;
  if (outputs.stack !== values.stack) return io.err(`--stack ${values.stack}: the outputs are of stack ${outputs.stack} (failover.stack); nothing was changed`), 2;

  const regions = Object.keys(outputs.regions);
  const primary = regions.find((r) => outputs.regions[r].role === "primary")!;
  const standby = regions.find((r) => r !== primary)!;
  const to = values.to!;
  if (!regions.includes(to)) return io.err(`--to: ${to} is not one of the stack's regions (primary ${primary}, standby ${standby}); nothing was changed`), 2;
  const faults = parseFaults(values.fault, regions);
  if (faults.problems.length) return io.err(`${faults.problems.join("\n")}\n${USAGE}`), 1;
  // Moving to the primary is bringing the platform home: a switchover, never a data-losing failover.
  let mode = values.mode as Mode;
  if (to === primary && mode !== "failback") {
    if (mode === "unplanned") return io.err(`--to ${to} is the home region: use --mode failback (a switchover back, with no data loss); nothing was changed`), 2;
    mode = "failback";
  }
  if (mode === "failback" && to !== primary) return io.err(`--mode failback moves to the home region ${primary}, not ${to}; nothing was changed`), 2;
  const plan: Plan = { outputs, mode, to, from: to === primary ? standby : primary, maxLagMs, forceWhilePrimaryAnswers: values["fail-over-while-primary-answers"] };

  io.out(describePlan(plan));
  if (values["dry-run"]) return io.out("\nDry run: no call was made."), 0;

  // One world or journal file per move, locked so two runs cannot interleave on it.
  const stateFile = values.simulate ? values["simulate-state"] : values.journal;
  const held = stateFile ? lock(stateFile, new Date()) : undefined;
  if (held && "heldSince" in held) return io.err(`${stateFile}: another run holds ${stateFile}.lock (since ${held.heldSince}); wait for it, or remove the lock if no run is left; nothing was changed`), 2;
  try {
    let deps: Deps;
    let journal: Journal | undefined;
    let save: (j: Journal) => void = () => {};
    if (values.simulate) {
      const world = stateFile ? loadWorld(stateFile, outputs) : newWorld(outputs);
      const sim = simulatedDeps(outputs, world, faults.faults, io.out);
      deps = sim;
      journal = world.journal;
      save = (j) => {
        sim.done();
        world.journal = j;
        if (stateFile) saveWorld(stateFile, world);
      };
    } else {
      const token = io.env.CLOUDFLARE_API_TOKEN;
      if (!token) return io.err("CLOUDFLARE_API_TOKEN: required (a token with Load Balancing: Edit on the zone); nothing was changed"), 2;
      deps = awsDeps(token, io.out);
      if (stateFile && fs.existsSync(stateFile)) journal = JSON.parse(fs.readFileSync(stateFile, "utf8")) as Journal;
      save = (j) => stateFile && fs.writeFileSync(stateFile, JSON.stringify(j, null, 1));
      if (!values.yes) {
        const answer = await (io.ask ?? askTerminal)(`\nProceed with the ${mode} failover to ${to}? [y/N] `);
        if (answer === undefined) return io.err("No terminal to confirm on (standard input is a pipe and /dev/tty cannot be opened): pass --yes; nothing was changed"), 2;
        if (!/^y(es)?$/i.test(answer.trim())) return io.err("Not confirmed; nothing was changed."), 2;
      }
    }
    if (firstStarted !== undefined && !journal) journal = { key: "", firstStartedAt: firstStarted, runs: 0, rows: [] };
    const outcome = await runFailover(deps, plan, { journal: journal && !journal.key ? { ...journal, key: `${outputs.stack}:${mode}:${plan.from}->${to}` } : journal });
    save(outcome.journal);
    const report = renderTimeline(outcome, plan);
    io.out(`\n${report}`);
    if (io.env.GITHUB_STEP_SUMMARY) fs.appendFileSync(io.env.GITHUB_STEP_SUMMARY, `${report}\n`);
    return outcome.exitCode;
  } finally {
    if (held && "release" in held) held.release();
  }
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
