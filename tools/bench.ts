/**
 * `npm run bench`: how fast the offline plan and the tests are, as ratios measured in one run on
 * one machine (absolute times on shared machines vary 2x). Not a test: nothing here asserts.
 *
 * - the floor: `node` loading the Pulumi SDKs the program imports (a plan cannot be faster);
 * - `npm run plan -- --stack prod` as a user runs it (npm, the package's build step with nothing
 *   changed, the plan), and the plan alone;
 * - what each speed patch of tools/plan/sdkInternals.cjs, the lazy Struct (tools/plan/lazyStruct.cjs)
 *   and Node's compile cache still save: the prod plan with each turned off (the SDK's own switches:
 *   PULUMI_DEBUG_PROMISE_LEAKS keeps its debugging, NODE_DISABLE_COMPILE_CACHE Node's cache;
 *   PLAN_EAGER_STRUCTS the original Struct; the plan's node flags left out; the deferred SDK
 *   modules as the SDKs' load with and without them);
 * - the plan of prod with 4, 12, 24 and 48 services (generated stack files in a temporary
 *   folder: prod's config plus copies of a plain service), wall time and peak memory;
 * - `npm test` split into its parts.
 * Wall time and peak RSS (of the largest process of the run; the plan evaluates in its own) come from GNU time.
 * The plan and load figures are medians of interleaved rounds (every variant once per round).
 */
import { spawnSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { parse, stringify } from "yaml";
import { DEFERRED } from "./plan/sdkInternals.cjs";

const ROOT = path.resolve(__dirname, "..");
const SDKS = ["@pulumi/pulumi", "@pulumi/aws", "@pulumi/awsx", "@pulumi/cloudflare", "@pulumi/datadog", "@pulumi/random"];
const SIZES = [4, 12, 24, 48];
/** Rounds of every measurement; each figure is the median of its rounds. */
const ROUNDS = 7;
const PACKAGE_DIR = path.join(ROOT, "components");
const BIN = (name: string) => path.join(ROOT, "node_modules", ".bin", name);

interface Run {
  seconds: number;
  peakMb: number;
}

/** One command under GNU time; fails loudly if the command fails (a benchmark of an error is no benchmark). */
function timed(cmd: string, args: string[], env: NodeJS.ProcessEnv = {}): Run {
  const report = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "bench-")), "time");
  const r = spawnSync("/usr/bin/time", ["-o", report, "-f", "%e %M", cmd, ...args], { cwd: ROOT, env: { ...process.env, ...env }, stdio: ["ignore", "ignore", "pipe"], encoding: "utf8" });
  if (r.status !== 0) throw new Error(`${cmd} ${args.join(" ")} exited ${r.status}:\n${r.stderr.split("\n").filter((l) => !l.startsWith("warning:")).slice(-15).join("\n")}`);
  const [seconds, kb] = fs.readFileSync(report, "utf8").trim().split("\n").pop()!.split(" ").map(Number);
  return { seconds, peakMb: kb / 1024 };
}

/**
 * The node flags `npm run plan` starts the plan with (package.json's `plan` script: one statement),
 * so the plan-alone rows time the same process the command starts.
 */
function planFlags(): string[] {
  const script = (JSON.parse(fs.readFileSync(path.join(ROOT, "package.json"), "utf8")) as { scripts: Record<string, string> }).scripts.plan;
  const flags = /\bnode ((?:--\S+ )*)tools\/launch\.cjs (?:--build \S+ )?tools\/plan\/cli\.ts/.exec(script);
  if (!flags) throw new Error(`package.json's plan script does not run node tools/launch.cjs [--build <folder>] tools/plan/cli.ts: ${script}`);
  return flags[1].split(" ").filter(Boolean);
}

const median = (runs: Run[]): Run => [...runs].sort((a, b) => a.seconds - b.seconds)[Math.floor(runs.length / 2)];

/** A stack file of prod with `n` services: the committed four, then copies of api2 on their own paths. */
function generatedStack(dir: string, n: number): string {
  const project = parse(fs.readFileSync(path.join(ROOT, "Pulumi.yaml"), "utf8")) as { config: Record<string, { value: unknown }> };
  const services = project.config["platform:services"].value as { name: string; paths: string[] }[];
  const plain = services.find((s) => s.name === "api2")!;
  const extra = Array.from({ length: n - services.length }, (_, i) => ({ ...plain, name: `gen${i + 1}`, paths: [`/gen${i + 1}/*`] }));
  // The catch-all service keeps the last listener rule.
  const all = [...services.filter((s) => !s.paths.includes("/*")), ...extra, ...services.filter((s) => s.paths.includes("/*"))];
  const prod = parse(fs.readFileSync(path.join(ROOT, "Pulumi.prod.yaml"), "utf8")) as { config: Record<string, unknown> };
  const name = `bench${n}`;
  // A budget that many services cannot exceed: the benchmark times the plan, not the cost gate.
  const budget = { ...(prod.config["platform:budget"] as object), monthlyUsd: 1_000_000 };
  fs.writeFileSync(path.join(dir, `Pulumi.${name}.yaml`), stringify({ config: { ...prod.config, "platform:services": all, "platform:budget": budget } }));
  return name;
}

function main(): void {
  const lines: string[] = [`Benchmark on ${os.cpus().length} CPU(s), ${os.cpus()[0]?.model ?? "unknown CPU"}, Node ${process.version}`];
  const flags = planFlags();
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "bench-stacks-"));
  const stacks = new Map(SIZES.map((n) => [n, generatedStack(dir, n)] as const));
  const plan = [...flags, "tools/launch.cjs", "tools/plan/cli.ts", "--stack", "prod"];
  const sized = (n: number) => ["tools/launch.cjs", "tools/plan/cli.ts", "--stack", stacks.get(n)!, "--config-dir", dir, "--policy-config", "policy/config/prod.json"];
  const load = SDKS.map((s) => `require(${JSON.stringify(s)})`).join(";");
  // Every variant once per round, rounds interleaved and rotated: a neighbour's load on a shared
  // machine then slows each variant alike instead of whichever ran during it. Medians of the rounds.
  const variants: Record<string, () => Run> = {
    floor: () => timed(process.execPath, ["-e", load]),
    command: () => timed("npm", ["run", "plan", "--silent", "--", "--stack", "prod"]),
    prod: () => timed(process.execPath, plan),
    // The command's build step is the launcher's stamp check, in its own process: node with the check, less node alone.
    buildCheck: () => timed(process.execPath, ["-e", `require(${JSON.stringify(path.join(PACKAGE_DIR, "scripts", "stamp.cjs"))}).staleReason(${JSON.stringify(PACKAGE_DIR)})`]),
    nodeAlone: () => timed(process.execPath, ["-e", "0"]),
    loadWith: () => timed(process.execPath, ["--require", "./tools/plan/sdkInternals.cjs", "-e", load]),
    leanOff: () => timed(process.execPath, plan, { PULUMI_DEBUG_PROMISE_LEAKS: "1" }),
    cacheOff: () => timed(process.execPath, plan, { NODE_DISABLE_COMPILE_CACHE: "1" }),
    lazyOff: () => timed(process.execPath, plan, { PLAN_EAGER_STRUCTS: "1" }),
    flagsOff: () => timed(process.execPath, plan.filter((a) => !flags.includes(a))),
    ...Object.fromEntries(flags.map((f) => [`without ${f}`, () => timed(process.execPath, plan.filter((a) => a !== f))])),
    ...Object.fromEntries(SIZES.map((n) => [`size${n}`, () => timed(process.execPath, [...flags, ...sized(n)])])),
    // The flags pay most on large plans: the largest also without them.
    flagsOffLarge: () => timed(process.execPath, sized(SIZES.at(-1)!)),
  };
  timed(process.execPath, [path.join(PACKAGE_DIR, "scripts", "build.mjs")]); // current before timing the command
  const runs: Record<string, Run[]> = Object.fromEntries(Object.keys(variants).map((k) => [k, []]));
  // Each round starts one variant later, so no variant always runs right after the same neighbour.
  const order = Object.keys(variants);
  for (let round = 0; round < ROUNDS; round++) for (let i = 0; i < order.length; i++) {
    const k = order[(i + round) % order.length];
    runs[k].push(variants[k]());
  }
  const m = Object.fromEntries(Object.entries(runs).map(([k, r]) => [k, median(r)])) as Record<string, Run>;
  const { floor, command, prod, buildCheck, nodeAlone, loadWith, leanOff, cacheOff, lazyOff, flagsOff, flagsOffLarge } = m;
  const plans = new Map(SIZES.map((n) => [n, m[`size${n}`]] as const));
  lines.push(`SDK floor (node loading ${SDKS.length} SDKs, median of ${ROUNDS} interleaved rounds, as every figure below): ${floor.seconds.toFixed(2)} s, ${floor.peakMb.toFixed(0)} MB`);
  lines.push("", "| services | plan wall (s) | peak memory (MB) |", "|---:|---:|---:|");
  for (const n of SIZES) lines.push(`| ${n} | ${plans.get(n)!.seconds.toFixed(2)} | ${plans.get(n)!.peakMb.toFixed(0)} |`);
  const [small, large] = [plans.get(SIZES[0])!, plans.get(SIZES.at(-1)!)!];
  const added = SIZES.at(-1)! - SIZES[0];
  lines.push(
    "",
    `npm run plan -- --stack prod (npm, build step, plan; nothing changed) ÷ SDK floor: ${(command.seconds / floor.seconds).toFixed(2)}x (${command.seconds.toFixed(2)} s vs ${floor.seconds.toFixed(2)} s; target ≤ 2x)`,
    `  of which the build step (the launcher's stamp check) ${Math.max(0, buildCheck.seconds - nodeAlone.seconds).toFixed(2)} s; the plan alone (node ${flags.join(" ")} tools/launch.cjs) ${prod.seconds.toFixed(2)} s, ${(prod.seconds / floor.seconds).toFixed(2)}x the floor`,
    `what each speed patch saves on the prod plan (off minus on):`,
    `  lean SDK debugging: ${(leanOff.seconds - prod.seconds).toFixed(2)} s, ${(leanOff.peakMb - prod.peakMb).toFixed(0)} MB (off: ${leanOff.seconds.toFixed(2)} s)`,
    `  the lazy Struct: ${(lazyOff.seconds - prod.seconds).toFixed(2)} s, ${(lazyOff.peakMb - prod.peakMb).toFixed(0)} MB (off: ${lazyOff.seconds.toFixed(2)} s)`,
    `  Node's compile cache: ${(cacheOff.seconds - prod.seconds).toFixed(2)} s (off: ${cacheOff.seconds.toFixed(2)} s)`,
    `  the plan's node flags (${flags.join(" ") || "none"}): ${(flagsOff.seconds - prod.seconds).toFixed(2)} s, ${(flagsOff.peakMb - prod.peakMb).toFixed(0)} MB (off: ${flagsOff.seconds.toFixed(2)} s); with ${SIZES.at(-1)} services ${(flagsOffLarge.seconds - plans.get(SIZES.at(-1)!)!.seconds).toFixed(2)} s (off: ${flagsOffLarge.seconds.toFixed(2)} s)`,
    ...flags.map((f) => `    ${f} alone: ${(m[`without ${f}`].seconds - prod.seconds).toFixed(2)} s (without it: ${m[`without ${f}`].seconds.toFixed(2)} s)`),
    `  deferred SDK modules (${DEFERRED.map((d) => d.name).join(", ")}): ${(floor.seconds - loadWith.seconds).toFixed(2)} s of the SDKs' load (${floor.seconds.toFixed(2)} s without, ${loadWith.seconds.toFixed(2)} s with)`,
    `plan of ${SIZES.at(-1)} services ÷ ${SIZES[0]}: ${(large.seconds / small.seconds).toFixed(1)}x (target ≤ 1.5x); ${(((large.seconds - small.seconds) * 1000) / added).toFixed(0)} ms per added service`,
    `peak memory per added service: ${((large.peakMb - small.peakMb) / added).toFixed(1)} MB (target ≤ 3 MB)`,
  );

  // The plan's figures before the test suite's, which takes minutes and may fail on its own.
  console.log(lines.splice(0).join("\n"));

  const parts: [string, string, string[]][] = [
    ["build and type-check (tsc: the components package, the program, the policy pack)", BIN("tsc"), ["--noEmit"]],
    ["lint (eslint)", BIN("eslint"), ["."]],
    ["workflow lint", BIN("tsx"), ["tools/lint-workflows.mts"]],
    ["mocha", BIN("mocha"), []],
  ];
  const policyTsc = timed(BIN("tsc"), ["-p", "policy/tsconfig.json", "--noEmit"]);
  // npm test builds @platform/components first; from a clean clone (as CI runs it) that is a full
  // build, whose tsc also type-checks the package: it counts as type-checking.
  // The package's build step as CI runs it on a clean clone: tsc, the gate's bundle and the stamp.
  fs.rmSync(path.join(PACKAGE_DIR, "dist"), { recursive: true, force: true });
  const build = timed(process.execPath, [path.join(PACKAGE_DIR, "scripts", "build.mjs")]);
  const split = parts.map(([label, cmd, args]) => [label, timed(cmd, args)] as const);
  const typecheck = split[0][1].seconds + policyTsc.seconds + build.seconds;
  const total = typecheck + split.slice(1).reduce((s, [, r]) => s + r.seconds, 0);
  lines.push("", "| npm test part | wall (s) |", "|---|---:|");
  lines.push(`| ${split[0][0]} | ${typecheck.toFixed(1)} |`);
  for (const [label, r] of split.slice(1)) lines.push(`| ${label} | ${r.seconds.toFixed(1)} |`);
  lines.push(`| total | ${total.toFixed(1)} |`, "", `npm test ÷ its type-check: ${(total / typecheck).toFixed(1)}x (target ≤ 2x)`);
  console.log(lines.join("\n"));
  fs.rmSync(dir, { recursive: true, force: true });
}

main();
