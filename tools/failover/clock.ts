/**
 * Time for the failover: the real clock (timers and `AbortSignal.timeout`), or a simulated one for
 * drills and tests, on which a wait moves time forward and a step's deadline fires when simulated
 * time reaches it, so a 10-minute timeout is drilled in milliseconds.
 */
import { setTimeout as delay } from "timers/promises";

export interface Clock {
  now(): number;
  sleep(ms: number, signal?: AbortSignal): Promise<void>;
  deadline(ms: number): AbortSignal;
}

export const realClock: Clock = {
  now: () => Date.now(),
  sleep: (ms, signal) => delay(ms, undefined, { signal }),
  deadline: (ms) => AbortSignal.timeout(ms),
};

export interface SimulatedClock extends Clock {
  /** Moves time forward (a call that takes this long), firing the deadlines it passes. */
  advance(ms: number): void;
}

/** A clock starting at `start`; each simulated second costs `1000 / speedup` real ms (0 with Infinity). */
export function simulatedClock(start: number, speedup = Infinity): SimulatedClock {
  let now = start;
  const timers: { at: number; ctl: AbortController }[] = [];
  const fire = () => {
    for (const t of timers.filter((x) => now >= x.at)) {
      timers.splice(timers.indexOf(t), 1);
      t.ctl.abort(new Error("the step's time ran out"));
    }
  };
  const advance = (ms: number) => {
    now += ms;
    fire();
  };
  return {
    now: () => now,
    advance,
    deadline: (ms) => {
      const ctl = new AbortController();
      timers.push({ at: now + ms, ctl });
      return ctl.signal;
    },
    sleep: async (ms, signal) => {
      if (signal?.aborted) throw signal.reason;
      // Stop at the first deadline that comes before the end of the wait.
      const until = Math.min(now + ms, ...timers.filter((t) => t.ctl.signal === signal).map((t) => t.at));
      await (Number.isFinite(speedup) ? delay((until - now) / speedup) : new Promise((r) => setImmediate(r)));
      advance(until - now);
      if (signal?.aborted) throw signal.reason;
    },
  };
}
