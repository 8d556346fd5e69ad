/**
 * Data-driven setting checks: a row names a resource type, a property path and what the value
 * must be, so covering a new type is one line. Paths are dot-separated; `name[]` walks every
 * element of a list, and `name@json` parses a JSON string first (ECS container definitions).
 */
import { isReason } from "../exemptions";
import { Props, Rule } from "../lib";

export type Expect =
  | { kind: "is"; value: unknown }
  | { kind: "oneOf"; values: unknown[] }
  | { kind: "not"; value: unknown }
  | { kind: "present" }
  | { kind: "atLeast"; value: number }
  | { kind: "atMost"; value: number }
  | { kind: "includes"; values: unknown[] }
  | { kind: "absent" };

export const is = (value: unknown): Expect => ({ kind: "is", value });
export const oneOf = (...values: unknown[]): Expect => ({ kind: "oneOf", values });
export const not = (value: unknown): Expect => ({ kind: "not", value });
export const present: Expect = { kind: "present" };
/** A number no smaller (atLeast) or no larger (atMost) than `value`; unset fails. */
export const atLeast = (value: number): Expect => ({ kind: "atLeast", value });
export const atMost = (value: number): Expect => ({ kind: "atMost", value });
/** A list that holds every one of `values` (log types, for instance); unset fails. */
export const includes = (...values: unknown[]): Expect => ({ kind: "includes", values });
/** Must not be set at all (a plain-text credential input, say). */
export const absent: Expect = { kind: "absent" };

export interface Row {
  type: string;
  path: string;
  expect: Expect;
  /**
   * Properties the row applies under (e.g. `{ loadBalancerType: "application" }`); every other resource of
   * the type passes. Keys are paths as `path` is (`{ "settings.cachingEnabled": true }`), without `[]`.
   */
  when?: Props;
  /** A tag on the resource that exempts it, with the reason the program puts in its value (blank is no reason: ../exemptions.ts isReason). */
  exemptTag?: string;
  /** Why, as the violation says it (the category's description otherwise). */
  why?: string;
  /** For a `[]` path: at least one value must be there (an absent or empty list fails too). */
  nonEmpty?: boolean;
}

/** Values at a path; `missing` when a plain (non-list) step is absent. */
export function valuesAt(props: Props, path: string): { values: unknown[]; missing: boolean } {
  let current: unknown[] = [props];
  let missing = false;
  for (const raw of path.split(".")) {
    const json = raw.includes("@json");
    const list = raw.replace("@json", "").endsWith("[]");
    const key = raw.replace("@json", "").replace("[]", "");
    const next: unknown[] = [];
    for (const c of current) {
      let v = c && typeof c === "object" ? (c as Props)[key] : undefined;
      if (json && typeof v === "string") {
        try {
          v = JSON.parse(v);
        } catch {
          v = undefined;
        }
      }
      if (list) next.push(...(Array.isArray(v) ? v : []));
      else if (v === undefined || v === null) missing = true;
      else next.push(v);
    }
    current = next;
  }
  return { values: current, missing };
}

const show = (v: unknown) => JSON.stringify(v);
const describe = (e: Expect) =>
  e.kind === "is" ? show(e.value) : e.kind === "oneOf" ? `one of ${e.values.filter((v) => v !== undefined).map(show).join(", ")}${e.values.includes(undefined) ? " or unset" : ""}` : e.kind === "not" ? `anything but ${show(e.value)}` : e.kind === "atLeast" ? `${e.value} or more` : e.kind === "atMost" ? `${e.value} or less` : e.kind === "includes" ? `a list with ${e.values.map(show).join(", ")}` : e.kind === "absent" ? "unset" : "set";

/** Why a resource fails a row, or undefined when it complies (or the row does not apply). */
export function rowProblem(row: Row, props: Props): string | undefined {
  if (row.when && Object.entries(row.when).some(([k, v]) => valuesAt(props, k).values[0] !== v)) return undefined;
  if (row.exemptTag && isReason((props.tags as Props | undefined)?.[row.exemptTag])) return undefined;
  const { values, missing } = valuesAt(props, row.path);
  const listed = row.path.includes("[]");
  const e = row.expect;
  if (e.kind === "not") return values.some((v) => v === e.value) ? `${row.path} must be ${describe(e)}` : undefined;
  if (e.kind === "absent") return values.length ? `${row.path} must be unset` : undefined;
  // `includes` on a `[]` path judges the values together (the log types of every entry, say).
  if (listed && e.kind === "includes") {
    const have = values.flat();
    const lacking = e.values.filter((x) => !have.includes(x));
    return lacking.length ? `${row.path} must include ${lacking.map(show).join(", ")}` : undefined;
  }
  if (listed && row.nonEmpty && values.length === 0) return `${row.path} must be ${describe(e)} (none is set)`;
  if (missing && !listed) return e.kind === "oneOf" && e.values.includes(undefined) ? undefined : `${row.path} must be ${describe(e)} (it is not set)`;
  const bad = values.filter((v) =>
    e.kind === "is" ? v !== e.value : e.kind === "oneOf" ? !e.values.includes(v) : e.kind === "atLeast" ? !(Number(v) >= e.value) : e.kind === "atMost" ? !(Number(v) <= e.value) : e.kind === "includes" ? !(Array.isArray(v) && e.values.every((x) => v.includes(x))) : v === "" || v === undefined,
  );
  return bad.length ? `${row.path} must be ${describe(e)}, not ${bad.map(show).join(", ")}` : undefined;
}

/** A rule enforcing its rows on every type they name. */
export function settingsRule(name: string, description: string, rows: Row[]): Rule & { rows: Row[] } {
  const byType = new Map<string, Row[]>();
  for (const r of rows) byType.set(r.type, [...(byType.get(r.type) ?? []), r]);
  return {
    name,
    description,
    enforcementLevel: "mandatory",
    rows,
    types: [...byType.keys()],
    validateResource: (args, reportViolation) => {
      for (const row of byType.get(args.type) ?? []) {
        const problem = rowProblem(row, args.props);
        if (problem) reportViolation(`${args.type.split(":").pop()}: ${problem}${row.why ? ` (${row.why})` : ""}`);
      }
    },
  };
}

/** Sets a path on an object (lists get one element; `@json` values are stringified), for tests and fixtures. */
export function withPath(path: string, value: unknown): Props {
  const [head, ...rest] = path.split(".");
  const json = head.includes("@json");
  const key = head.replace("@json", "").replace("[]", "");
  let inner: unknown = rest.length ? withPath(rest.join("."), value) : value;
  if (head.replace("@json", "").endsWith("[]")) inner = [inner];
  return { [key]: json ? JSON.stringify(inner) : inner };
}

/** A value that satisfies a row's expectation, and one that does not. */
export function samples(e: Expect): { good: unknown; bad: unknown } {
  switch (e.kind) {
    case "is":
      return { good: e.value, bad: typeof e.value === "boolean" ? !e.value : e.value === "true" ? "false" : "not-allowed" };
    case "oneOf":
      return { good: e.values[0], bad: "not-allowed" };
    case "not":
      return { good: typeof e.value === "boolean" ? !e.value : "allowed", bad: e.value };
    case "present":
      return { good: "arn:aws:kms:us-east-1:123456789012:key/00000000-0000-0000-0000-000000000000", bad: "" };
    case "atLeast":
      return { good: e.value, bad: e.value - 1 };
    case "atMost":
      return { good: e.value, bad: e.value + 1 };
    case "includes":
      return { good: e.values, bad: e.values.slice(1) };
    case "absent":
      return { good: undefined, bad: "not-allowed" };
  }
}

/**
 * One resource's properties with every (path, value) set, sharing list elements and JSON
 * documents between paths (for fixtures that satisfy several rows of one type at once).
 */
export function fixture(entries: [string, unknown][], base: Props = {}): Props {
  const root: Props = { ...base };
  const jsonKeys = new Set<string>();
  for (const [path, value] of entries) {
    let node: Props = root;
    const segs = path.split(".");
    segs.forEach((raw, i) => {
      const key = raw.replace("@json", "").replace("[]", "");
      const last = i === segs.length - 1;
      if (raw.includes("@json") && node === root) jsonKeys.add(key);
      if (raw.replace("@json", "").endsWith("[]")) {
        const list = ((node[key] as unknown[]) ??= [last ? undefined : {}]) as unknown[];
        if (last) list[0] = value;
        else node = (list[0] ??= {}) as Props;
      } else if (last) node[key] = value;
      else node = ((node[key] as Props) ??= {}) as Props;
    });
  }
  for (const k of jsonKeys) root[k] = JSON.stringify(root[k]);
  return root;
}

/**
 * Fixtures for a rule's rows: per type (and each `when` its rows name), one resource that
 * satisfies every row, and per row one that breaks that row only.
 */
export function rowFixtures(rows: Row[]): { pass: { type: string; inputs: Props }[]; fail: { type: string; inputs: Props; row: Row }[] } {
  const pass: { type: string; inputs: Props }[] = [];
  const fail: { type: string; inputs: Props; row: Row }[] = [];
  for (const type of [...new Set(rows.map((r) => r.type))]) {
    const ofType = rows.filter((r) => r.type === type);
    const whens = [...new Map(ofType.filter((r) => r.when).map((r) => [JSON.stringify(r.when), r.when!])).values()];
    const applicable = (w: Props | undefined) => ofType.filter((r) => !r.when || JSON.stringify(r.when) === JSON.stringify(w));
    const goods = (w: Props | undefined) => applicable(w).map((r): [string, unknown] => [r.path, samples(r.expect).good]);
    // A `when` is set first, as paths, so that its nested keys share objects with the rows' values.
    const condition = (w: Props | undefined): [string, unknown][] => Object.entries(w ?? {});
    for (const w of whens.length ? whens : [undefined]) pass.push({ type, inputs: fixture([...condition(w), ...goods(w)]) });
    for (const r of ofType) {
      const w = r.when ?? whens[0];
      fail.push({ type, inputs: fixture([...condition(w), ...goods(w).filter(([p]) => p !== r.path), [r.path, samples(r.expect).bad]]), row: r });
    }
  }
  return { pass, fail };
}
