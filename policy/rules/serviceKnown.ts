/**
 * Reading a service's own documents and nested settings lists without refusing, or crashing on,
 * what a preview does not know yet. During `pulumi preview` the engine hands the pack an unknown
 * value as one of @pulumi/policy's sentinel strings and wraps props in a proxy that throws
 * `UnknownValueError` when one is read (@pulumi/policy 1.21.0 proxy.js, server.js). A resource
 * rule that lets that error escape is skipped with an advisory note; a stack rule would be
 * skipped for every resource, so the readers here turn both into {@link UNKNOWN} and the rules
 * judge only what is known.
 */
import { UnknownValueError } from "@pulumi/policy";
import { Props } from "./lib";

/** A value the preview does not know yet. */
export const UNKNOWN: unique symbol = Symbol("unknown");
export type Known<T> = T | typeof UNKNOWN;

/** @pulumi/policy's sentinels for unknown boolean, number, string, array, asset, archive and object values (proxy.js). */
const SENTINELS = new Set([
  "1c4a061d-8072-4f0a-a4cb-0ff528b18fe7",
  "3eeb2bf0-c639-47a8-9e75-3b44932eb421",
  "04da6b54-80e4-46f7-96ec-b56ff0331ba9",
  "6a19a0b0-7e62-4c92-b797-7f8e31da9cc2",
  "030794c1-ac77-496b-92df-f27374a8bd58",
  "e48ece36-62e2-4504-bad9-02848725956a",
  "dd056dcd-154b-4c76-9bd3-c8f88648b5ff",
]);

/** The proxy's error, also when it comes from another copy of @pulumi/policy than this module's. */
const isUnknownValueError = (err: unknown) => err instanceof UnknownValueError || (err as { constructor?: { name?: string } } | undefined)?.constructor?.name === "UnknownValueError";

export const isUnknown = (v: unknown): v is typeof UNKNOWN => v === UNKNOWN || (typeof v === "string" && SENTINELS.has(v));

/** The value at a dot-separated path (`undefined` when a step is absent, {@link UNKNOWN} when one is not known yet). */
export function read(from: unknown, path: string): Known<unknown> {
  let v: unknown = from;
  for (const key of path.split(".")) {
    if (isUnknown(v)) return UNKNOWN;
    if (!v || typeof v !== "object") return undefined;
    try {
      v = (v as Props)[key];
    } catch (err) {
      if (isUnknownValueError(err)) return UNKNOWN;
      throw err;
    }
  }
  return isUnknown(v) ? UNKNOWN : v;
}

/** The elements of a list at a path ([] when absent; {@link UNKNOWN} when the list is not known yet). */
export function list(from: unknown, path: string): Known<unknown[]> {
  const v = read(from, path);
  if (v === UNKNOWN) return UNKNOWN;
  if (!Array.isArray(v)) return [];
  const out: unknown[] = [];
  for (let i = 0; i < v.length; i++) out.push(read(v, String(i)));
  return out;
}

/** A JSON document given as text or as an object: `{ doc }`, `absent`, `{ invalid }` (why it cannot be read), or {@link UNKNOWN}. */
export function jsonDocument(value: Known<unknown>): Known<{ doc: Props } | { invalid: string } | "absent"> {
  if (value === UNKNOWN) return UNKNOWN;
  if (value === undefined || value === null || value === "") return "absent";
  if (typeof value === "object") return { doc: value as Props };
  if (typeof value !== "string") return { invalid: `is a ${typeof value}, not a JSON document` };
  try {
    const parsed: unknown = JSON.parse(value);
    return parsed && typeof parsed === "object" ? { doc: parsed as Props } : { invalid: "is not a JSON object" };
  } catch (err) {
    return { invalid: `is not valid JSON (${(err as Error).message})` };
  }
}

/** True for `true` and `"true"` (any case): settings lists carry booleans as strings. */
export const truthy = (v: unknown) => v === true || (typeof v === "string" && v.toLowerCase() === "true");

/**
 * Whether a list of `{ <key>: name, value }` entries (parameter groups, load balancer policy
 * attributes, Elastic Beanstalk settings) sets `name` to a value `ok` accepts: `ok`, `wrong` (with
 * the value), `missing`, or {@link UNKNOWN} when the list or a matching value is not known yet.
 */
export function entry(
  entries: Known<unknown[]>,
  matches: (e: unknown) => Known<boolean>,
  ok: (value: unknown) => boolean,
): Known<"ok" | "missing" | { wrong: unknown }> {
  if (entries === UNKNOWN) return UNKNOWN;
  let unknown = false;
  let wrong: { wrong: unknown } | undefined;
  for (const e of entries) {
    const m = matches(e);
    if (m === UNKNOWN) unknown = true;
    if (m !== true) continue;
    const value = read(e, "value");
    if (value === UNKNOWN) unknown = true;
    else if (ok(value)) return "ok";
    else wrong = { wrong: value };
  }
  return unknown ? UNKNOWN : (wrong ?? "missing");
}

/** A matcher for parameter-group entries by name. */
export const named = (name: string) => (e: unknown): Known<boolean> => {
  const n = read(e, "name");
  return n === UNKNOWN ? UNKNOWN : n === name;
};
