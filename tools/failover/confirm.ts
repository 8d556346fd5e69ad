/**
 * The confirmation prompt reads the terminal itself (/dev/tty), not standard input: the stack's
 * outputs may be piped in on standard input, and a pipe is no one's answer.
 */
import * as fs from "fs";
import * as readline from "readline";
import * as tty from "tty";

/** The line typed at the terminal, or undefined when there is no terminal. */
export function askTerminal(question: string): Promise<string | undefined> {
  let fd: number;
  try {
    fd = fs.openSync("/dev/tty", "r+");
  } catch {
    return Promise.resolve(undefined);
  }
  const input = new tty.ReadStream(fd);
  const output = new tty.WriteStream(fd);
  const rl = readline.createInterface({ input, output });
  return new Promise((resolve) =>
    rl.question(question, (answer) => {
      rl.close();
      input.destroy();
      resolve(answer);
    }),
  );
}
