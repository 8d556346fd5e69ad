/**
 * Exemptions recorded in the pack config (policy/config/<stack>.json): a rule's map of
 * `pattern -> reason`, the reviewed record of a deviation (the part a cdk-nag suppression or a
 * `#checkov:skip` comment plays for the peers). One reader holds every rule's entries, and every
 * reason the pack honours (config entries and exemption tags alike), to the same rules:
 * - a reason is text that is not blank;
 * - a pattern names the component it is for: it is matched against the resource's URN type chain
 *   and name (`platform:compute:Compute$platform:compute:Migrations$aws:lambda/function:Function::compute-migrations-gate`),
 *   `*` any run and `?` one character, case-sensitive as URNs are, and it holds a literal run of at
 *   least {@link MIN_LITERAL} characters (a bare `*` or `*-*` would exempt everything);
 * - an entry that matches no resource of the stack is reported ("stale exemption"): a renamed or
 *   removed component must not leave a standing exemption for whatever takes its name.
 */
import { PolicyResource, ReportViolation } from "@pulumi/policy";
import { wildcard } from "./lib";

/** Shortest literal run (characters between wildcards) an exemption pattern must hold. */
export const MIN_LITERAL = 4;

/** Whether a value is a reason the pack accepts: a string with text that is not blank. */
export const isReason = (v: unknown): v is string => typeof v === "string" && v.trim() !== "";

/** The part of a URN an exemption pattern is matched against: its type chain and name. */
export const urnSubject = (urn: string): string => urn.split("::").slice(2).join("::");

export interface Exemption {
  pattern: string;
  reason: string;
}

/** JSON schema of an exemption map in a rule's configSchema. */
export const exemptionSchema = (description: string) => ({ type: "object" as const, description, additionalProperties: { type: "string" as const }, default: {} });

/** A config map's entries, and a problem for each pattern or reason the rules above refuse. */
export function readExemptions(key: string, raw: unknown): { entries: Exemption[]; problems: string[] } {
  const entries: Exemption[] = [];
  const problems: string[] = [];
  if (raw === undefined) return { entries, problems };
  if (!raw || typeof raw !== "object" || Array.isArray(raw)) return { entries, problems: [`pack config ${key} must map URN patterns to reasons, not ${JSON.stringify(raw)}`] };
  for (const [pattern, reason] of Object.entries(raw)) {
    const literal = Math.max(0, ...pattern.split(/[*?]/).map((s) => s.length));
    if (literal < MIN_LITERAL) problems.push(`pack config ${key} ${JSON.stringify(pattern)}: a pattern needs a literal run of ${MIN_LITERAL}+ characters naming the component it is for (its URN type chain and name)`);
    else if (!isReason(reason)) problems.push(`pack config ${key} ${JSON.stringify(pattern)}: give the reason (it is blank)`);
    else entries.push({ pattern, reason });
  }
  return { entries, problems };
}

/** Whether an entry names a resource (by URN). */
export const exempts = (e: Exemption, urn: string) => wildcard(e.pattern, true).test(urnSubject(urn));

/**
 * Reads a rule's exemption map and reports its problems and its stale entries (those matching none of
 * `candidates`, the resources of the stack the rule judges); returns a test of whether a resource is exempt.
 */
export function stackExemptions(key: string, raw: unknown, candidates: PolicyResource[], report: ReportViolation): (urn: string) => boolean {
  const { entries, problems } = readExemptions(key, raw);
  for (const p of problems) report(p);
  for (const e of entries) if (!candidates.some((r) => exempts(e, r.urn))) report(`stale exemption: pack config ${key} ${JSON.stringify(e.pattern)} matches no resource of the stack; remove it`);
  return (urn) => entries.some((e) => exempts(e, urn));
}
