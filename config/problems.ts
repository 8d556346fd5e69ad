/** The vocabulary of config errors: which key, what was expected. */

/** The config namespace this program owns (the Pulumi project name). */
export const NAMESPACE = "platform";

export interface ConfigProblem {
  /** Full config key with path, e.g. `platform:network.cidr`. */
  key: string;
  /** What was expected (and what was found). */
  message: string;
}

/** Thrown before any resource is registered when the stack config is invalid. */
export class ConfigError extends Error {
  constructor(readonly problems: ConfigProblem[]) {
    super(formatProblems(problems));
    this.name = "ConfigError";
  }
}

export function formatProblems(problems: ConfigProblem[]): string {
  const noun = problems.length === 1 ? "problem" : "problems";
  return [
    `Invalid stack config (${problems.length} ${noun}):`,
    ...problems.map((p) => `  - ${p.key}: ${p.message}`),
  ].join("\n");
}
