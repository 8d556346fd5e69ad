import * as os from "os";

/**
 * Test speed: the slow parts of the suite are child processes (stack evaluations, `npm run plan`
 * runs) that mocha would otherwise start one after another. `early` starts one when its spec file
 * loads and hands the test the promise; at most one per CPU runs at a time, so a 2-CPU machine
 * keeps both busy without holding a dozen 300 MB workers at once.
 */
const SLOTS = Math.max(2, os.cpus().length);
let running = 0;
const waiting: (() => void)[] = [];

async function limited<T>(job: () => Promise<T>): Promise<T> {
  if (running >= SLOTS) await new Promise<void>((resolve) => waiting.push(resolve));
  running++;
  try {
    return await job();
  } finally {
    running--;
    waiting.shift()?.();
  }
}

/** Starts `job` now (in its turn); the test awaits the result. A failure surfaces in the test that awaits it. */
export function early<T>(job: () => Promise<T>): Promise<T> {
  const p = limited(job);
  p.catch(() => {}); // reported where it is awaited, not as an unhandled rejection
  return p;
}
