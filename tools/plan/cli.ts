/**
 * `npm run plan -- [--stack dev] [--dir PROGRAM] [--json out.json] [--diff base.json [--diff-md out.md]] [--mermaid out.mmd] [--config-dir DIR] [--policy-config FILE]`
 *
 * Evaluates the real program offline (Pulumi mock runtime, no CLI, plugins or credentials),
 * prints what the stack would create, and runs the policy pack against it. `--dir` plans another
 * program folder (one with Pulumi.yaml and index.ts, e.g. examples/database-only) instead of this one. Exit codes: 0 ok,
 * 1 invalid config, 2 usage, unknown stack, or a stack without its policy/config/<stack>.json (or
 * one leaving a prod-only rule's environment undecided in a stricter stack), 3 the
 * program failed, 4 a mandatory policy failed.
 */
import * as fs from "fs";
import * as path from "path";
import { PROJECT_DIR, evaluateInThisProcess } from "./evaluate";
import { PackConfig, PolicyConfigMissingError, packConfigFile, packConfigFor, renderPolicyReport, runPolicies, unsetEnvironments, unsetEnvironmentsProblem } from "./policy";
import { renderMermaid } from "./mermaid";
import { renderPlan } from "./render";
import { diffGraphs, renderDiff } from "./diff";
import { PlanGraph } from "./graph";
import { costOfGraph } from "../cost/report";
import { evaluationFailed, parseFlags, runCommand } from "../lib/cli";
import { loadStackConfig } from "./stackConfig";

const USAGE = "usage: npm run plan -- [--stack <name>] [--dir <program folder>] [--json <file>] [--diff <base plan json> [--diff-md <file>]] [--mermaid <file>] [--config-dir <dir>] [--policy-config <file>]  (policy config: <config-dir or project>/policy/config/<stack>.json unless --policy-config)";

async function main(): Promise<number> {
  const values = parseFlags(
    {
      stack: { type: "string", default: "dev" },
      dir: { type: "string" },
      json: { type: "string" },
      diff: { type: "string" },
      "diff-md": { type: "string" },
      mermaid: { type: "string" },
      "config-dir": { type: "string" },
      "policy-config": { type: "string" },
    },
    USAGE,
  );
  if (typeof values === "number") return values;

  const projectDir = values.dir ? path.resolve(values.dir) : PROJECT_DIR;
  const missing = ["Pulumi.yaml", "index.ts"].filter((f) => !fs.existsSync(path.join(projectDir, f)));
  if (missing.length) {
    console.error(`--dir ${values.dir}: expected a Pulumi program folder, but it has no ${missing.join(" or ")}\n${USAGE}`);
    return 2;
  }
  let base: PlanGraph | undefined;
  if (values.diff) {
    try {
      base = JSON.parse(fs.readFileSync(values.diff, "utf8")) as PlanGraph;
      if (!Array.isArray(base.resources)) throw new Error("it has no resources");
    } catch (err) {
      console.error(`--diff ${values.diff}: expected an earlier \`npm run plan -- --json\` file (${(err as Error).message})\n${USAGE}`);
      return 2;
    }
  }
  const result = await evaluateInThisProcess({ stack: values.stack!, projectDir, configDir: values["config-dir"] });
  if (!result.ok) return evaluationFailed(result, values.stack!, "Nothing was created.");
  let packConfig: PackConfig;
  try {
    // The policy config sits beside the stack file (--config-dir moves both); a stack without one
    // must not pass with the rules' defaults, which are dev's strictness.
    packConfig = values["policy-config"] ? JSON.parse(fs.readFileSync(values["policy-config"], "utf8")) : packConfigFor(values["config-dir"] ?? projectDir, values.stack!);
  } catch (err) {
    if (!(err instanceof PolicyConfigMissingError)) throw err;
    console.error(`${err.message} (or pass --policy-config <file>)\nNothing was created.`);
    return 2;
  }
  const environment = String(loadStackConfig(projectDir, values.stack!, values["config-dir"]).config["platform:environment"] ?? "dev");
  const unset = unsetEnvironments(packConfig, environment);
  if (unset.length) {
    const file = values["policy-config"] ?? path.relative(process.cwd(), packConfigFile(values["config-dir"] ?? projectDir, values.stack!));
    console.error(`${unsetEnvironmentsProblem(file, environment, unset)}\nNothing was created.`);
    return 2;
  }
  console.log(renderPlan(result.graph));
  const policy = await runPolicies(result.graph, packConfig);
  console.log(`\n${renderPolicyReport(policy, result.graph)}`);
  const cost = costOfGraph(result.graph);
  if (cost.budgetUsd !== undefined && cost.byVendor.aws > cost.budgetUsd) {
    console.log(`\nWARNING: the AWS estimate $${cost.byVendor.aws.toFixed(2)} a month exceeds platform:budget $${cost.budgetUsd.toFixed(2)} (npm run cost)`);
  }
  if (base) {
    const markdown = renderDiff(diffGraphs(base, result.graph), values.stack!);
    console.log(`\n${markdown}`);
    if (values["diff-md"]) fs.writeFileSync(values["diff-md"], markdown + "\n");
  }
  if (values.json) {
    fs.writeFileSync(values.json, JSON.stringify({ ...result.graph, policy }, null, 2) + "\n");
    console.log(`\nGraph and policy report written to ${values.json}`);
  }
  if (values.mermaid) {
    fs.writeFileSync(values.mermaid, renderMermaid(result.graph));
    console.log(`Component picture (Mermaid) written to ${values.mermaid}`);
  }
  return policy.mandatory > 0 ? 4 : 0;
}

runCommand(main);
