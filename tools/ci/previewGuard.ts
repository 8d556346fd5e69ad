/**
 * The one check that sees what the real engine sees: it reads `pulumi preview --json` and fails
 * when the engine plans to replace or delete a stateful resource (tools/plan/stateful.ts), unless
 * the pull request carries the label `allow-stateful-replace`.
 *
 * The document is the CLI's `PreviewDigest` (pulumi/pulumi, sdk/go/common/display/json.go;
 * `-j, --json` in https://www.pulumi.com/docs/iac/cli/commands/pulumi_preview/): `steps`, each
 * with `op`, `urn`, `oldState`/`newState` (`apitype.ResourceV3`, with `type`) and, for
 * replacements, `replaceReasons`. A replacement shows as the steps `create-replacement`,
 * `replace` and `delete-replaced` of one URN; a removal as `delete` (the step ops of
 * pkg/resource/deploy/step.go).
 *
 * Usage: `tsx tools/ci/previewGuard.ts <preview.json>`, the pull request's label names as a JSON
 * list in `PR_LABELS`. Exit 0 nothing stateful is replaced or deleted (or the label allows it),
 * 1 something is, 2 the file is missing or not a preview document.
 */
import * as fs from "fs";
import { STATEFUL_TYPES } from "../plan/stateful";

export const GUARD_LABEL = "allow-stateful-replace";

/** Step ops that destroy the resource the URN names (or its old physical copy). */
export const DESTRUCTIVE_OPS = ["replace", "create-replacement", "delete-replaced", "delete"] as const;

interface ResourceState {
  type?: string;
}
export interface PreviewStep {
  op: string;
  urn: string;
  oldState?: ResourceState;
  newState?: ResourceState;
  replaceReasons?: string[];
}
export interface PreviewDigest {
  steps?: PreviewStep[];
  changeSummary?: Record<string, number>;
}

export interface Finding {
  urn: string;
  type: string;
  /** `replace` or `delete`. */
  change: "replace" | "delete";
  replaceReasons: string[];
}

/** The type token a URN names: the last of its type chain (`parent$child`). */
function typeOf(step: PreviewStep): string {
  return step.oldState?.type ?? step.newState?.type ?? (step.urn.split("::")[2] ?? "").split("$").pop()!;
}

/** Every stateful resource the preview replaces or deletes, once per URN. */
export function statefulChanges(digest: PreviewDigest): Finding[] {
  const found = new Map<string, Finding>();
  for (const step of digest.steps ?? []) {
    if (!(DESTRUCTIVE_OPS as readonly string[]).includes(step.op)) continue;
    const type = typeOf(step);
    if (!STATEFUL_TYPES.includes(type)) continue;
    const change = step.op === "delete" ? "delete" : "replace";
    const seen = found.get(step.urn);
    found.set(step.urn, { urn: step.urn, type, change: seen?.change ?? change, replaceReasons: [...new Set([...(seen?.replaceReasons ?? []), ...(step.replaceReasons ?? [])])] });
  }
  return [...found.values()];
}

/** Parses the preview document, or says why it is not one. */
export function parseDigest(text: string): PreviewDigest {
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch (err) {
    throw new Error(`not JSON (${(err as Error).message}): did pulumi preview --json fail?`, { cause: err });
  }
  const steps = (doc as PreviewDigest | null)?.steps;
  if (!doc || typeof doc !== "object" || (steps !== undefined && !Array.isArray(steps)) || (steps ?? []).some((s) => typeof s?.op !== "string" || typeof s?.urn !== "string")) {
    throw new Error("not a pulumi preview --json document (expected { steps: [{ op, urn, … }] })");
  }
  return doc as PreviewDigest;
}

/** The verdict and what to print, for a preview and the pull request's labels. */
export function judge(digest: PreviewDigest, labels: string[]): { code: 0 | 1; report: string } {
  const findings = statefulChanges(digest);
  const lines = findings.map((f) => `  - ${f.change} ${f.type} ${f.urn}${f.replaceReasons.length ? ` (replaced because of: ${f.replaceReasons.join(", ")})` : ""}`);
  if (!findings.length) return { code: 0, report: "No stateful resource is replaced or deleted." };
  const head = `The engine plans to replace or delete ${findings.length} stateful resource(s):`;
  if (labels.includes(GUARD_LABEL)) return { code: 0, report: [head, ...lines, `Allowed by the pull request's label "${GUARD_LABEL}".`].join("\n") };
  return {
    code: 1,
    report: [head, ...lines, `Keep their URNs (aliases) or their replace-causing inputs; if the loss is intended, add the label "${GUARD_LABEL}" to the pull request.`].join("\n"),
  };
}

function labelsFromEnv(value: string | undefined): string[] {
  if (!value) return [];
  const parsed = JSON.parse(value) as unknown;
  return Array.isArray(parsed) ? parsed.map(String) : [];
}

export function main(args: string[], env: NodeJS.ProcessEnv): number {
  if (args.length !== 1) {
    console.error("usage: tsx tools/ci/previewGuard.ts <preview.json>   (PR_LABELS: the pull request's labels as a JSON list)");
    return 2;
  }
  let digest: PreviewDigest;
  let labels: string[];
  try {
    digest = parseDigest(fs.readFileSync(args[0], "utf8"));
  } catch (err) {
    console.error(`${args[0]}: ${(err as Error).message}`);
    return 2;
  }
  try {
    labels = labelsFromEnv(env.PR_LABELS);
  } catch (err) {
    console.error(`PR_LABELS: expected a JSON list of label names (${(err as Error).message})`);
    return 2;
  }
  const { code, report } = judge(digest, labels);
  (code ? console.error : console.log)(report);
  return code;
}

if (require.main === module) process.exitCode = main(process.argv.slice(2), process.env);
