/**
 * Runs the failover: first reads what the live state shows done (so a re-run resumes, whatever
 * happened before), then preflight for the steps still to do, then each of those in order, each
 * bounded by its timeout (an abort signal every call and wait obeys). It never leaves without
 * saying where it stopped, what the live state shows done, and what to do next.
 */
import { steps } from "./steps";
import { preflight } from "./preflight";
import { Deps, Done, Plan, Step, StepError } from "./types";

/** Seed 004: a region is back in service within 15 minutes. */
export const RTO_BUDGET_MS = 15 * 60_000;
/** How long reading the live state, and preflight, may take (a lost region's calls time out well within). */
export const READ_TIMEOUT_MS = 2 * 60_000;

export interface TimelineRow {
  step: string;
  /** Which run of the command (1 for the first; resumed runs count on). */
  run: number;
  /** From the first run's start. */
  startMs: number;
  durationMs: number;
  result: "done" | "already done" | "partial" | "failed" | "refused";
  detail?: string;
}

/** What carries over between runs of one move: when it first started, and every run's rows. */
export interface Journal {
  key: string;
  firstStartedAt: number;
  runs: number;
  rows: TimelineRow[];
}

export interface Outcome {
  ok: boolean;
  /** 0 done, 2 refused before any change, 3 a step failed, 4 done but with to-do lines (partial). */
  exitCode: 0 | 2 | 3 | 4;
  /** Every run's rows, this one's last. */
  timeline: TimelineRow[];
  /** From the first run's start to now. */
  totalMs: number;
  /** What a person must still do (a partial step's lines). */
  todo: string[];
  stoppedAt?: { step: string; next: string };
  journal: Journal;
}

export interface RunOptions {
  journal?: Journal;
  /** A step's time limit (default its own `timeoutMs`); tests shorten it. */
  timeoutMs?: (step: Step) => number;
  /** The limit of reading the live state and of preflight (default READ_TIMEOUT_MS). */
  readTimeoutMs?: number;
}

export const journalKey = (p: Plan) => `${p.outputs.stack}:${p.mode}:${p.from}->${p.to}`;

export async function runFailover(d: Deps, p: Plan, opts: RunOptions = {}): Promise<Outcome> {
  const key = journalKey(p);
  const journal: Journal = opts.journal?.key === key ? { ...opts.journal, runs: opts.journal.runs + 1, rows: [...opts.journal.rows] } : { key, firstStartedAt: d.now(), runs: 1, rows: [] };
  const todo: string[] = [];
  const row = (step: string, t0: number, result: TimelineRow["result"], detail?: string) => {
    journal.rows.push({ step, run: journal.runs, startMs: t0 - journal.firstStartedAt, durationMs: d.now() - t0, result, detail });
    d.log(`  ${result === "failed" || result === "refused" ? "✗" : result === "partial" ? "!" : "✓"} ${step} (${seconds(d.now() - t0)})${detail ? `: ${detail}` : ""}`);
  };
  const end = (exitCode: Outcome["exitCode"], stoppedAt?: Outcome["stoppedAt"]): Outcome => ({
    ok: exitCode === 0 || exitCode === 4,
    exitCode,
    timeline: journal.rows,
    totalMs: d.now() - journal.firstStartedAt,
    todo,
    stoppedAt,
    journal,
  });
  const all = steps(d, p);

  d.log(`→ live state${journal.runs > 1 ? ` (run ${journal.runs}, first started ${new Date(journal.firstStartedAt).toISOString()})` : ""}`);
  let t0 = d.now();
  const readMs = opts.readTimeoutMs ?? READ_TIMEOUT_MS;
  const done = await liveDone(d, all, readMs);
  row("live state", t0, "done", all.map((s) => `${s.name} ${describe(done.get(s.name))}`).join(", "));

  d.log(`→ preflight`);
  t0 = d.now();
  try {
    await bounded(d, readMs, () => preflight(d, p, new Set(all.filter((s) => !done.get(s.name)).map((s) => s.name))));
    row("preflight", t0, "done");
  } catch (err) {
    row("preflight", t0, "refused", message(err));
    return end(2, { step: "preflight", next: `${advice(err) ?? "nothing was changed; fix what it names and run the command again"}` });
  }

  for (const step of all) {
    d.log(`→ ${step.name}`);
    const s0 = d.now();
    const was = done.get(step.name);
    if (was) {
      const lines = typeof was === "object" ? was.todo : [];
      todo.push(...lines);
      row(step.name, s0, lines.length ? "partial" : "already done", lines.length ? `to do: ${lines.join("; ")}` : undefined);
      continue;
    }
    try {
      const lines = (await bounded(d, opts.timeoutMs?.(step) ?? step.timeoutMs, () => step.run())) ?? [];
      todo.push(...lines);
      row(step.name, s0, lines.length ? "partial" : "done", lines.length ? `to do: ${lines.join("; ")}` : undefined);
    } catch (err) {
      row(step.name, s0, "failed", message(err));
      const now = await liveDone(d, all, readMs);
      const shown = all.filter((s) => now.get(s.name)).map((s) => (now.get(s.name) === true ? s.name : `${s.name} (partial)`));
      const left = all.filter((s) => !now.get(s.name)).map((s) => s.name);
      const next = [
        advice(err) ?? `${step.byHand}`,
        `the live state shows ${shown.length ? `done: ${shown.join(", ")}` : "no step done"}; still to do: ${left.join(", ")}`,
      ].join("; ");
      return end(3, { step: step.name, next });
    }
  }
  return end(todo.length ? 4 : 0);
}

/** Each step's `done()` against the live state; a read that fails counts as not done (and says why). */
async function liveDone(d: Deps, all: Step[], ms: number): Promise<Map<string, Done>> {
  const done = new Map<string, Done>();
  for (const s of all) {
    try {
      done.set(s.name, await bounded(d, ms, () => s.done()));
    } catch (err) {
      d.log(`    ${s.name}: the live state could not be read (${message(err)}); counted as not done`);
      done.set(s.name, false);
    }
  }
  return done;
}

/** Runs `f` with `d.signal` aborting after `ms`, and rejects then even if `f` ignores it. */
async function bounded<T>(d: Deps, ms: number, f: () => Promise<T>): Promise<T> {
  const signal = d.deadline(ms);
  d.signal = signal;
  d.deadlineAt = d.now() + ms;
  try {
    return await new Promise<T>((resolve, reject) => {
      // The step's own error (which knows more) wins if it comes within 50 ms of the abort.
      const onAbort = () => void setTimeout(() => reject(new StepError(`timed out after ${seconds(ms)} (the step's limit)`)), 50);
      if (signal.aborted) return onAbort();
      signal.addEventListener("abort", onAbort, { once: true });
      f().then(resolve, reject).finally(() => signal.removeEventListener("abort", onAbort));
    });
  } finally {
    d.signal = undefined;
    d.deadlineAt = undefined;
  }
}

const describe = (x: Done | undefined) => (x === true ? "done" : x ? "partial" : "to do");

export function message(err: unknown): string {
  if (err instanceof StepError) return err.message;
  const e = err as { name?: string; message?: string; $metadata?: { httpStatusCode?: number } };
  const status = e.$metadata?.httpStatusCode ? ` (HTTP ${e.$metadata.httpStatusCode})` : "";
  return `${e.name ?? "Error"}: ${e.message ?? String(err)}${status}`;
}

/** Advice from the error itself: throttling and 5xx are transient, a timeout points at the region. */
function advice(err: unknown): string | undefined {
  if (err instanceof StepError && err.next) return err.next;
  const e = err as { name?: string; $metadata?: { httpStatusCode?: number }; $fault?: string };
  if (/Throttl|TooManyRequests|RequestLimitExceeded/.test(e.name ?? "")) return `AWS throttled the call (${e.name}): transient; run the same command again in a minute`;
  if ((e.$metadata?.httpStatusCode ?? 0) >= 500 || e.$fault === "server") return `AWS answered ${e.$metadata?.httpStatusCode ?? "a server error"} (${e.name}): transient; run the same command again`;
  if (/Timeout|AbortError|ECONNREFUSED|ENOTFOUND|ETIMEDOUT/.test(`${e.name} ${(err as Error).message}`) || /timed out/.test((err as Error).message ?? "")) {
    return "a call did not answer in time: if the region it went to is down, a planned move cannot finish (use --mode unplanned); otherwise run the same command again";
  }
  return undefined;
}

export function seconds(ms: number): string {
  // Rounded once, so 4 min 59.6 s reads 5 min 0 s, never "4 min 60 s".
  const s = Math.round(ms / 1000);
  return s >= 60 ? `${Math.floor(s / 60)} min ${s % 60} s` : `${s} s`;
}
