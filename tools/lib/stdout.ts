/**
 * `npm run plan | head` closes the pipe after a few lines; Node then emits EPIPE on stdout, and an
 * unhandled stream error prints a stack trace. A reader that stopped reading is not a failure:
 * exit quietly with the exit code decided so far (0 until something set another).
 */
export function exitQuietlyOnClosedPipe(stream: NodeJS.WriteStream = process.stdout): void {
  stream.on("error", (err: NodeJS.ErrnoException) => {
    if (err.code !== "EPIPE") throw err;
    process.exit(process.exitCode ?? 0);
  });
}
