/**
 * `npm run cost -- --stack <name> [--json <file>] [--config-dir <dir>]`
 *
 * Prices the offline plan of a stack from pricing/*.json and the stack's usage assumptions
 * (platform:usage): a line per priced resource, subtotals per component, region and vendor, the
 * total, the types with no price, and the budget check. Exit codes as `npm run plan`: 0 priced,
 * 1 invalid stack config, 2 usage error or unknown stack, 3 the program failed.
 */
import * as fs from "fs";
import { evaluateInThisProcess } from "../plan/evaluate";
import { evaluationFailed, parseFlags, runCommand } from "../lib/cli";
import { costOfGraph, renderCost } from "./report";

const USAGE = "usage: npm run cost -- [--stack <name>] [--json <file>] [--config-dir <dir>]";

async function main(): Promise<number> {
  const values = parseFlags({ stack: { type: "string", default: "dev" }, json: { type: "string" }, "config-dir": { type: "string" } }, USAGE);
  if (typeof values === "number") return values;
  const result = await evaluateInThisProcess({ stack: values.stack!, configDir: values["config-dir"] });
  if (!result.ok) return evaluationFailed(result, values.stack!, "Nothing was priced.");
  const report = costOfGraph(result.graph);
  console.log(renderCost(report));
  if (values.json) {
    fs.writeFileSync(values.json, JSON.stringify(report, null, 2) + "\n");
    console.log(`\nCost report written to ${values.json}`);
  }
  return 0;
}

runCommand(main);
