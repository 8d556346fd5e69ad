/**
 * The rules across stacks (config/ownership.ts) against the committed stack files: a committed
 * stack that claims a zone, account or repository singleton another one already owns is refused
 * before the program registers anything, with its other config problems.
 */
import * as path from "path";
import { Claims, claimsOf, ownershipProblems } from "../../config/ownership";
import { ConfigProblem, NAMESPACE } from "../../config/problems";
import { StackConfig, listStacks, loadStackConfig } from "./stackConfig";

/** The claims of every stack file in a folder. */
export function visibleClaims(projectDir: string, dir = projectDir): Claims[] {
  return listStacks(dir)
    .map((stack) => claimsOf(stack, loadStackConfig(projectDir, stack, dir).config))
    .filter((c): c is Claims => c !== undefined);
}

/**
 * Problems of one stack's config (as the program gets it) against the other committed stacks:
 * its ownership clashes, and when there are any, its own validation problems too, so one run
 * lists them all. Empty when the stack may be evaluated. Only a stack committed with the program
 * is held to the others: one planned from a folder of its own (`--config-dir`: what-if copies such
 * as the benchmark's) shares nothing with them.
 */
export function ownershipClashes(projectDir: string, config: StackConfig, configDir = projectDir): ConfigProblem[] {
  const self = claimsOf(config.stack, config.config);
  if (!self || path.resolve(configDir) !== path.resolve(projectDir)) return [];
  const clashes = ownershipProblems(self, visibleClaims(projectDir));
  if (!clashes.length) return [];
  const own = Object.fromEntries(Object.entries(config.config).filter(([key]) => key.startsWith(`${NAMESPACE}:`)));
  // Loaded only here: building the config schema is a few percent of a plan, and the program builds
  // its own copy when it validates its config (index.ts). esbuild keeps a required module lazy.
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { validateConfig } = require("../../config/validate") as typeof import("../../config/validate");
  const validation = validateConfig(own);
  return [...clashes, ...(validation.ok ? [] : validation.problems)];
}
