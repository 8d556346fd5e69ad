/**
 * `npm run plan -- [--stack dev] [--json out.json] [--config-dir DIR]`
 *
 * Evaluates the real program offline (Pulumi mock runtime, no CLI, plugins or credentials) and
 * prints what the stack would create. Exit codes: 0 ok, 1 invalid config, 2 usage or unknown
 * stack, 3 the program failed.
 */
import * as fs from "fs";
import { parseArgs } from "util";
import { evaluateStack } from "./evaluate";
import { renderPlan } from "./render";

const USAGE = "usage: npm run plan -- [--stack <name>] [--json <file>] [--config-dir <dir>]";

async function main(): Promise<number> {
  let values;
  try {
    ({ values } = parseArgs({
      options: {
        stack: { type: "string", default: "dev" },
        json: { type: "string" },
        "config-dir": { type: "string" },
        help: { type: "boolean", short: "h" },
      },
    }));
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
    console.error(result.kind === "config" ? `Stack "${values.stack}": ${result.message}\nNothing was created.` : result.message);
    return { config: 1, stack: 2, error: 3 }[result.kind];
  }
  console.log(renderPlan(result.graph));
  if (values.json) {
    fs.writeFileSync(values.json, JSON.stringify(result.graph, null, 2) + "\n");
    console.log(`\nGraph written to ${values.json}`);
  }
  return 0;
}

main().then(
  (code) => (process.exitCode = code),
  (err) => {
    console.error(err instanceof Error ? err.message : err);
    process.exitCode = 3;
  },
);
