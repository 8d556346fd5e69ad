/** What every offline command does the same way: parse flags (exit 2 on a bad one), `--help`, and report an evaluation that failed. */
import { ParseArgsConfig, parseArgs } from "util";
import { Evaluation } from "../plan/graph";
import { exitQuietlyOnClosedPipe } from "./stdout";

type Options = NonNullable<ParseArgsConfig["options"]>;

type Values<O extends Options> = { [K in keyof O]?: O[K]["type"] extends "boolean" ? boolean : string };

/** The parsed flags, or the exit code when there is nothing more to do (2 for a bad flag, 0 after --help). */
export function parseFlags<O extends Options>(options: O, usage: string): Values<O> | number {
  let values: Record<string, unknown>;
  try {
    ({ values } = parseArgs({ options: { ...options, help: { type: "boolean", short: "h" } } }) as { values: Record<string, unknown> });
  } catch (err) {
    console.error(`${(err as Error).message}\n${usage}`);
    return 2;
  }
  if (values.help) {
    console.log(usage);
    return 0;
  }
  return values as Values<O>;
}

/** Prints why a stack did not evaluate and returns the documented exit code: 1 invalid config, 2 unknown stack, 3 the program failed. */
export function evaluationFailed(result: Extract<Evaluation, { ok: false }>, stack: string, nothing: string): number {
  console.error(result.kind === "config" ? `Stack "${stack}": ${result.message}\n${nothing}` : result.message);
  return { config: 1, stack: 2, error: 3 }[result.kind];
}

/** Runs a command's `main`: quiet when its reader closes the pipe, its exit code, and exit 3 with the message (no stack) when it throws. */
export function runCommand(main: () => Promise<number>): void {
  exitQuietlyOnClosedPipe();
  main().then(
    (code) => (process.exitCode = code),
    (err) => {
      console.error(err instanceof Error ? err.message : err);
      process.exitCode = 3;
    },
  );
}
