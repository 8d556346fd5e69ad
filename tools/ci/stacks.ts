/**
 * `tsx tools/ci/stacks.ts [--github-output]`, `tsx tools/ci/stacks.ts --urn-fixture <stack> <commit>`
 *
 * The committed stacks, discovered from the `Pulumi.<stack>.yaml` files: the one list the
 * workflows (deploy.yml, drift.yml, pull-request.yml) and the tests take their stacks from. In
 * deploy order: by `platform:environment` (dev, staging, prod: the least strict first), then by
 * name. Prints `stacks=["dev",...]` and `names=dev ...` (with `--github-output`, appends them to
 * `$GITHUB_OUTPUT` too);
 * exits 1, listing every problem, when a stack has no `policy/config/<stack>.json` (or one that
 * leaves a prod-only rule to the default, dev, in a stricter stack), an
 * environment the program does not know, or claims what another stack owns (config/ownership.ts).
 */
import * as fs from "fs";
import * as path from "path";
import { ENVIRONMENTS } from "../../config/schema";
import { ownershipProblems } from "../../config/ownership";
import { evaluateStack } from "../plan/evaluate";
import { PackConfig, packConfigFile, unsetEnvironments, unsetEnvironmentsProblem } from "../plan/policy";
import { listStacks, loadStackConfig } from "../plan/stackConfig";
import { visibleClaims } from "../plan/ownership";

export const ROOT = path.resolve(__dirname, "..", "..");

export interface CommittedStack {
  name: string;
  /** `platform:environment` of its stack file. */
  environment: string;
}

/** The stacks of a folder, in deploy order. */
export function committedStacks(dir = ROOT): CommittedStack[] {
  const rank = (env: string) => {
    const i = (ENVIRONMENTS as readonly string[]).indexOf(env);
    return i < 0 ? ENVIRONMENTS.length : i;
  };
  return listStacks(dir)
    .map((name) => ({ name, environment: String(loadStackConfig(dir, name).config["platform:environment"] ?? "") }))
    .sort((a, b) => rank(a.environment) - rank(b.environment) || a.name.localeCompare(b.name));
}

/** The step outputs: `stacks` (JSON, a matrix's list) and `names` (space-separated, a shell loop's). */
export function githubOutputs(stacks: CommittedStack[]): string {
  const names = stacks.map((s) => s.name);
  return `stacks=${JSON.stringify(names)}\nnames=${names.join(" ")}`;
}

/** A stack's name also names its GitHub environment and variables (`DEPLOY_ROLE_ARN_<stack>`): letters, digits, `_`. */
export const STACK_NAME = /^[A-Za-z][A-Za-z0-9_]*$/;

/** Why the committed stacks cannot be deployed as they are, one line each (empty when they can). */
export function stackProblems(dir = ROOT): string[] {
  const problems: string[] = [];
  for (const s of committedStacks(dir)) {
    if (!STACK_NAME.test(s.name)) problems.push(`Pulumi.${s.name}.yaml: expected a stack name of letters, digits and _ (it names the GitHub variables DEPLOY_ROLE_ARN_${s.name} and PREVIEW_ROLE_ARN_${s.name})`);
    const file = packConfigFile(dir, s.name);
    if (!fs.existsSync(file)) problems.push(`Pulumi.${s.name}.yaml: no ${path.relative(dir, file)} (every stack has its own policy config; docs/environments.md)`);
    else {
      let config: PackConfig | undefined;
      try {
        config = JSON.parse(fs.readFileSync(file, "utf8")) as PackConfig;
      } catch (err) {
        problems.push(`${path.relative(dir, file)}: expected JSON (${(err as Error).message})`);
      }
      const unset = config ? unsetEnvironments(config, s.environment) : [];
      if (unset.length) problems.push(unsetEnvironmentsProblem(path.relative(dir, file), s.environment, unset));
    }
    if (!(ENVIRONMENTS as readonly string[]).includes(s.environment)) {
      problems.push(`Pulumi.${s.name}.yaml: platform:environment is "${s.environment}", expected one of ${ENVIRONMENTS.join(", ")}`);
    }
  }
  const claims = visibleClaims(dir);
  for (const c of claims) for (const p of ownershipProblems(c, claims)) problems.push(`Pulumi.${c.stack}.yaml: ${p.key}: ${p.message}`);
  return problems;
}

/**
 * Writes `tests/fixtures/urns-<stack>.json`: the URNs of the stack's offline graph, which
 * tests/urn-continuity.test.ts then holds its stateful resources to. Run once a stack is first
 * deployed (docs/environments.md).
 */
export async function writeUrnFixture(stack: string, commit: string): Promise<string> {
  const result = await evaluateStack({ stack });
  if (!result.ok) throw new Error(`stack ${stack} did not evaluate: ${result.message}`);
  const file = path.join(ROOT, "tests", "fixtures", `urns-${stack}.json`);
  const fixture = {
    stack,
    capturedFrom: commit,
    note: "URNs of the deployed graph; tests/urn-continuity.test.ts checks that no stateful one would be replaced",
    resources: result.graph.resources.map((r) => ({ urn: r.urn, type: r.type })),
  };
  fs.writeFileSync(file, JSON.stringify(fixture, null, 1) + "\n");
  return file;
}

if (require.main === module && process.argv[2] === "--urn-fixture") {
  const [stack, commit] = process.argv.slice(3);
  if (!stack || !commit) {
    console.error("usage: tsx tools/ci/stacks.ts --urn-fixture <stack> <commit it was deployed from>");
    process.exit(2);
  }
  writeUrnFixture(stack, commit).then(
    (file) => {
      console.log(`URNs of ${stack} written to ${path.relative(process.cwd(), file)}`);
      process.exit(0);
    },
    (err) => {
      console.error((err as Error).message);
      process.exit(1);
    },
  );
} else if (require.main === module) {
  const problems = stackProblems();
  if (problems.length) {
    console.error(`The committed stacks have ${problems.length} problem(s):\n${problems.map((p) => `  - ${p}`).join("\n")}`);
    process.exit(1);
  }
  const lines = githubOutputs(committedStacks());
  console.log(lines);
  if (process.argv.includes("--github-output")) {
    if (!process.env.GITHUB_OUTPUT) {
      console.error("--github-output: GITHUB_OUTPUT is not set (it is in a GitHub Actions step)");
      process.exit(2);
    }
    fs.appendFileSync(process.env.GITHUB_OUTPUT, `${lines}\n`);
  }
}
