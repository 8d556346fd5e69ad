/**
 * The simulated platform's state, kept in a file between runs (`--simulate-state <file>`) so a drill
 * can stop a run with a fault and resume it with the next, as on the night. It starts "at home":
 * the primary region writes, serves and runs the clock; the standby is warm at its standby capacity.
 */
import * as fs from "fs";
import type { FailoverOutputs } from "./outputs";
import type { Journal } from "./run";

export interface SimService {
  desired: number;
  running: number;
  /** When the desired count is reached (simulated ms). */
  readyAt: number;
  min: number;
  max: number;
}

export interface SimWorld {
  version: 1;
  stack: string;
  now: number;
  lagMs: number;
  /** Which region's cluster wrote from when (the last is the writer): only secondaries report lag. */
  writers: { region: string; since: number }[];
  operation?: { kind: "switchover" | "failover"; from: string; to: string; completesAt: number };
  /** The Global Datastore (stacks with one): the region of its primary member, and a promotion under way. */
  datastore?: { primary: string; pending?: { to: string; completesAt: number } };
  services: Record<string, SimService>;
  schedules: Record<string, "ENABLED" | "DISABLED">;
  pools: { first: string; pending?: { first: string; at: number } };
  /** Every changing call, in order: `run <n> <region> <Operation> <what>`. */
  calls: string[];
  runs: number;
  journal?: Journal;
}

/** A stack's platform at home, at 03:00 UTC on a drill night. */
export function newWorld(o: FailoverOutputs): SimWorld {
  const now = Date.parse("2026-11-26T03:00:00Z");
  const [primary] = Object.entries(o.regions).find(([, r]) => r.role === "primary")!;
  const services: Record<string, SimService> = {};
  const schedules: SimWorld["schedules"] = {};
  for (const [region, r] of Object.entries(o.regions)) {
    const home = region === primary;
    for (const name of r.services) {
      const n = home ? (o.capacity.services[name] ?? 2) : (o.capacity.standbyServices[name] ?? 1);
      services[`${region}/${name}`] = { desired: n, running: n, readyAt: 0, min: n, max: 10 };
    }
    for (const name of r.processors) {
      const b = home ? (o.capacity.processors[name] ?? { min: 0, max: 1 }) : { min: 0, max: 0 };
      services[`${region}/${name}`] = { desired: b.min, running: b.min, readyAt: 0, min: b.min, max: b.max };
    }
    for (const s of r.schedules) schedules[`${region}/${s}`] = home ? "ENABLED" : "DISABLED";
  }
  const datastore = o.globalDatastoreId ? { primary } : undefined;
  return { version: 1, stack: o.stack, now, lagMs: 200, writers: [{ region: primary, since: now - 86_400_000 }], datastore, services, schedules, pools: { first: o.regions[primary].pool }, calls: [], runs: 0 };
}

export function loadWorld(file: string, o: FailoverOutputs): SimWorld {
  if (!fs.existsSync(file)) return newWorld(o);
  const w = JSON.parse(fs.readFileSync(file, "utf8")) as SimWorld;
  if (w.version !== 1 || w.stack !== o.stack) throw new Error(`--simulate-state ${file}: a world of stack ${w.stack}, not ${o.stack} (delete it to start afresh)`);
  return w;
}

export function saveWorld(file: string, w: SimWorld): void {
  fs.writeFileSync(`${file}.tmp`, JSON.stringify(w, null, 1));
  fs.renameSync(`${file}.tmp`, file);
}

/**
 * Takes `<file>.lock` (created exclusively) so two runs cannot interleave on one world or journal;
 * returns the release, or the holder when it is taken.
 */
export function lock(file: string, now: Date): { release: () => void } | { heldSince: string } {
  const path = `${file}.lock`;
  try {
    fs.writeFileSync(path, JSON.stringify({ pid: process.pid, since: now.toISOString() }), { flag: "wx" });
  } catch {
    const held = (() => {
      try {
        return (JSON.parse(fs.readFileSync(path, "utf8")) as { since: string; pid: number }).since;
      } catch {
        return "an unknown time";
      }
    })();
    return { heldSince: held };
  }
  return { release: () => fs.rmSync(path, { force: true }) };
}
