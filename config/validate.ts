import { z } from "zod";
import { crossChecks } from "./crossChecks";
import { ConfigProblem, NAMESPACE } from "./problems";
import { PlatformConfig, SECTION_DOCS, Sections, sections } from "./schema";

export { ConfigError, ConfigProblem, NAMESPACE, formatProblems } from "./problems";

export type ValidationResult =
  | { ok: true; config: PlatformConfig }
  | { ok: false; problems: ConfigProblem[] };

/**
 * Validates raw stack config (`{ "platform:network": {...}, ... }`, values either parsed or the
 * strings Pulumi hands a program) and reports every problem at once. Keys of other namespaces
 * (aws:, cloudflare:, pulumi:) are left to their owners.
 */
export function validateConfig(raw: Record<string, unknown>): ValidationResult {
  const problems: ConfigProblem[] = [];
  const known = Object.keys(sections) as (keyof Sections)[];

  for (const fullKey of Object.keys(raw)) {
    const [namespace, name] = splitKey(fullKey);
    if (namespace === NAMESPACE && !(known as string[]).includes(name)) {
      problems.push({ key: fullKey, message: unknownKeyMessage(name, known) });
    }
  }

  const parsed: Partial<PlatformConfig> = {};
  const decoded: Record<string, unknown> = {};
  const failed = new Set<keyof Sections>();
  for (const name of known) {
    const key = `${NAMESPACE}:${name}`;
    const value = decode(raw[key]);
    if (value instanceof SyntaxError) {
      problems.push({ key, message: `expected valid JSON (${value.message})` });
      failed.add(name);
      continue;
    }
    decoded[name] = value;
    const result = sections[name].safeParse(value, { error: describeIssue });
    if (result.success) {
      (parsed as Record<string, unknown>)[name] = result.data;
    } else if (value === undefined) {
      failed.add(name);
      problems.push({ key, message: `is required (${SECTION_DOCS[name]})` });
    } else {
      failed.add(name);
      for (const issue of result.error.issues) problems.push(...toProblems(key, issue));
    }
  }

  problems.push(...crossChecks({ ...decoded, ...parsed }, failed));
  return problems.length === 0 ? { ok: true, config: parsed as PlatformConfig } : { ok: false, problems };
}

function splitKey(fullKey: string): [string, string] {
  const i = fullKey.indexOf(":");
  return i < 0 ? [NAMESPACE, fullKey] : [fullKey.slice(0, i), fullKey.slice(i + 1)];
}

/** Pulumi passes object values as JSON text; scalars stay strings for the schema to coerce. */
function decode(value: unknown): unknown {
  if (typeof value !== "string" || !/^\s*[[{]/.test(value)) return value;
  try {
    return JSON.parse(value);
  } catch (err) {
    return err as SyntaxError;
  }
}

function toProblems(key: string, issue: z.core.$ZodIssue): ConfigProblem[] {
  const at = key + formatPath(issue.path);
  if (issue.code === "unrecognized_keys") {
    return issue.keys.map((k) => ({ key: `${at}.${k}`, message: `unknown key; ${issue.message}${suggest(k, allowedFrom(issue.message))}` }));
  }
  return [{ key: at, message: issue.message }];
}

function formatPath(path: PropertyKey[]): string {
  return path.map((p) => (typeof p === "number" ? `[${p}]` : `.${String(p)}`)).join("");
}

/** Messages for zod's built-in issues, phrased as "expected X, got Y". */
function describeIssue(issue: z.core.$ZodRawIssue): string | undefined {
  switch (issue.code) {
    case "invalid_type":
      return issue.input === undefined ? `is required (expected ${issue.expected})` : `expected ${issue.expected}, got ${show(issue.input)}`;
    case "invalid_value":
      return `expected one of ${issue.values.map((v) => JSON.stringify(v)).join(", ")}, got ${show(issue.input)}`;
    case "invalid_format":
      return `expected ${issue.format} format, got ${show(issue.input)}`;
    case "too_small":
      return issue.origin === "array" ? `expected at least ${issue.minimum} item(s)` : `expected at least ${issue.minimum}`;
    case "too_big":
      return issue.origin === "array" ? `expected at most ${issue.maximum} item(s)` : `expected at most ${issue.maximum}`;
    case "invalid_union":
      return `expected ${describeUnion(issue)}, got ${show(issue.input)}`;
    default:
      return undefined;
  }
}

function describeUnion(issue: z.core.$ZodRawIssue<z.core.$ZodIssueInvalidUnion>): string {
  const expected = new Set<string>();
  for (const branch of issue.errors) for (const e of branch) if (e.code === "invalid_type") expected.add(e.expected);
  return expected.size ? [...expected].join(" or ") : "a valid value";
}

function show(value: unknown): string {
  if (value === null) return "null";
  if (Array.isArray(value)) return "a list";
  if (typeof value === "object") return "an object";
  return JSON.stringify(value);
}

function unknownKeyMessage(name: string, known: string[]): string {
  return `unknown key; allowed keys: ${known.join(", ")}${suggest(name, known)}`;
}

function allowedFrom(message: string): string[] {
  const m = /allowed keys: (.*)$/.exec(message);
  return m ? m[1].split(", ") : [];
}

/** " (did you mean X?)" for a near miss, so a typo's fix is in the message. */
function suggest(name: string, candidates: string[]): string {
  let best: string | undefined;
  let bestDistance = Infinity;
  for (const c of candidates) {
    const d = editDistance(name.toLowerCase(), c.toLowerCase());
    if (d < bestDistance) [best, bestDistance] = [c, d];
  }
  return best !== undefined && bestDistance <= Math.max(2, Math.floor(name.length / 3)) ? ` (did you mean "${best}"?)` : "";
}

function editDistance(a: string, b: string): number {
  const row = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    let diagonal = row[0];
    row[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const above = row[j];
      row[j] = Math.min(row[j] + 1, row[j - 1] + 1, diagonal + (a[i - 1] === b[j - 1] ? 0 : 1));
      diagonal = above;
    }
  }
  return row[b.length];
}
