import { evaluateStack } from "../../tools/plan/evaluate";
import { Evaluation, PlanGraph } from "../../tools/plan/graph";
import { GraphQuery } from "../../tools/plan/query";
import { early } from "./early";
import { committedStacks } from "../../tools/ci/stacks";
import { PROJECT_DIR } from "../../tools/plan/evaluate";
import { loadStackConfig } from "../../tools/plan/stackConfig";
import { PlatformConfig } from "../../config/schema";
import { validateConfig } from "../../config/validate";

/**
 * Each committed stack is evaluated once per test run, through the same evaluator as
 * `npm run plan`; every test file shares the result. Evaluations start when this module loads,
 * so they run in parallel with the pure unit tests.
 */
const evaluations = new Map<string, Promise<Evaluation>>();

function start(stack: string): Promise<Evaluation> {
  let p = evaluations.get(stack);
  if (!p) {
    p = early(() => evaluateStack({ stack }));
    evaluations.set(stack, p);
  }
  return p;
}

/**
 * The committed stacks, discovered from the `Pulumi.<stack>.yaml` files (tools/ci/stacks.ts, the
 * list the workflows use too), in deploy order: a new stack file is tested with no test changed.
 */
export const STACKS: readonly string[] = committedStacks().map((s) => s.name);
export type StackName = string;
STACKS.forEach(start);

/** The raw result of a committed stack's evaluation. */
export const evaluation = (name: StackName): Promise<Evaluation> => start(name);

/** The evaluated graph of a committed stack, wrapped for queries. Fails the test if it did not evaluate. */
export async function stack(name: StackName): Promise<GraphQuery> {
  const result = await start(name);
  if (!result.ok) throw new Error(`stack ${name} did not evaluate: ${result.message}`);
  return new GraphQuery(result.graph);
}

/** A stack's primary region (us-east-1 in the committed stacks): its resources and the region-less ones. */
export async function primaryRegion(name: StackName): Promise<GraphQuery> {
  return (await stack(name)).inRegion(PRIMARY_REGION);
}
export const PRIMARY_REGION = "us-east-1";
export const STANDBY_REGION = "us-west-2";

/**
 * A committed stack's validated config, as its graph was planned from it: the specs take the
 * service, queue and schedule lists from here, so a config-only change breaks no test.
 */
export function stackSettings(name: StackName): PlatformConfig {
  const { config } = loadStackConfig(PROJECT_DIR, name);
  const result = validateConfig(Object.fromEntries(Object.entries(config).filter(([k]) => k.startsWith("platform:"))));
  if (!result.ok) throw new Error(`stack ${name}: ${result.problems.map((p) => `${p.key}: ${p.message}`).join("; ")}`);
  return result.config;
}

/** The names of a committed stack's services, in config order. */
export const serviceNames = (name: StackName): string[] => stackSettings(name).services.map((s) => s.name);

export type { PlanGraph };
