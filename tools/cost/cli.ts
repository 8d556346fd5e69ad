/**
 * `npm run cost -- --stack <name> [--json <file>] [--config-dir <dir>]`
 *
 * Prices the offline plan of a stack from pricing/*.json and the stack's usage assumptions
 * (platform:usage): a line per priced resource, subtotals per component, region and vendor, the
 * total, the types with no price, and the budget check. Exit codes as `npm run plan`: 0 priced,
 * 1 invalid stack config, 2 usage error or unknown stack, 3 the program failed.
 */
import * as fs from "fs";
import { parseArgs } from "util";
import { evaluateStack } from "../plan/evaluate";
import { exitQuietlyOnClosedPipe } from "../stdout";
import { costOfGraph, renderCost } from "./report";

const USAGE = "usage: npm run cost -- [--stack <name>] [--json <file>] [--config-dir <dir>]";

async function main(): Promise<number> {
  let values;
  try {
    ({ values } = parseArgs({ options: { stack: { type: "string", default: "dev" }, json: { type: "string" }, "config-dir": { type: "string" }, help: { type: "boolean", short: "h" } } }));
  } catch (err) {
    console.error(`${(err as Error).message}\n${USAGE}`);
    return 2;
  }
  if (values.help) {
    console.log(USAGE);
    return 0;
  }
  const result = await evaluateStack({ stack: values.stack!, configDir: values["config-dir"] });
  if (!result.ok) {
    console.error(result.kind === "config" ? `Stack "${values.stack}": ${result.message}\nNothing was priced.` : result.message);
    return { config: 1, stack: 2, error: 3 }[result.kind];
  }
  const report = costOfGraph(result.graph);
  console.log(renderCost(report));
  if (values.json) {
    fs.writeFileSync(values.json, JSON.stringify(report, null, 2) + "\n");
    console.log(`\nCost report written to ${values.json}`);
  }
  return 0;
}

exitQuietlyOnClosedPipe();
main().then(
  (code) => (process.exitCode = code),
  (err) => {
    console.error(err instanceof Error ? err.message : err);
    process.exitCode = 3;
  },
);
