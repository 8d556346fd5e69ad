/**
 * The rules across stacks (config/ownership.ts) against the stack files of the stack's folder: a stack
 * that claims a zone, account or repository singleton another committed stack already owns is
 * refused before the program registers anything, with its other config problems.
 */
import * as path from "path";
import { Claims, claimsOf, ownershipProblems } from "../../config/ownership";
import { ConfigProblem, NAMESPACE, validateConfig } from "../../config/validate";
import { StackConfig, listStacks, loadStackConfig } from "./stackConfig";

/** The claims of every stack file in these folders (the first folder's file wins for a name). */
export function visibleClaims(projectDir: string, dirs: string[]): Claims[] {
  const seen = new Map<string, Claims | undefined>();
  for (const dir of [...new Set(dirs.map((d) => path.resolve(d)))]) {
    for (const stack of listStacks(dir)) {
      if (!seen.has(stack)) seen.set(stack, claimsOf(stack, loadStackConfig(projectDir, stack, dir).config));
    }
  }
  return [...seen.values()].filter((c): c is Claims => c !== undefined);
}

/**
 * Problems of one stack's config (as the program gets it) against the other stacks it can see:
 * its ownership clashes, and when there are any, its own validation problems too, so one run
 * lists them all. Empty when the stack may be evaluated.
 */
export function ownershipClashes(projectDir: string, config: StackConfig, configDir = projectDir): ConfigProblem[] {
  const self = claimsOf(config.stack, config.config);
  if (!self) return [];
  // The stacks beside it (Pulumi's stack config folder): a copy planned from a folder of its own sees none.
  const clashes = ownershipProblems(self, visibleClaims(projectDir, [configDir]));
  if (!clashes.length) return [];
  const own = Object.fromEntries(Object.entries(config.config).filter(([key]) => key.startsWith(`${NAMESPACE}:`)));
  const validation = validateConfig(own);
  return [...clashes, ...(validation.ok ? [] : validation.problems)];
}
