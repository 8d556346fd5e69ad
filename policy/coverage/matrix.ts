/**
 * The coverage matrix: for each peer list (checkov's AWS checks, cdk-nag's AwsSolutions pack,
 * Security Hub's FSBP controls), one row per check, read from the peer's own repository or
 * published list (source, commit and date in each file): the rules that cover it, or why it
 * does not apply. Only check ids and titles are taken from the peers, as references.
 */
import * as fs from "fs";
import * as path from "path";

/**
 * Why a check has no rule. `covered` rows name rules instead. There is no "not yet": a check that
 * applies has a rule (matrixProblems refuses a `gap` row, the status the first matrix used).
 */
export const REASONS = {
  runtime: "judged on live state (age, usage, findings, health, release calendars) that a preview cannot see",
  "not-a-setting": "not decided by a resource input of this kind (inherited, inventory, another tool's mechanism, or a retired API)",
  account: "an account-wide service or root-user setting: these stacks do not own the account baseline",
  deviation: "a deliberate choice of this platform, with its reason",
} as const;
export type Reason = keyof typeof REASONS;

export interface Check {
  id: string;
  title: string;
  /** Terraform resource types the check reads (checkov only). */
  resources?: string[];
  /** Rules of the pack that refuse what the check refuses. */
  rules?: string[];
  status?: Reason;
  /** Why a check has no rule (with `status` only). */
  why?: string;
  /** Where a covered row's rules differ from the peer's check (with `rules` only): what one passes that the other refuses. */
  note?: string;
}

export interface PeerList {
  peer: string;
  list: string;
  source: { repository: string; commit: string; commitDate: string; paths: string[]; read: string; extracted: string; authority?: string };
  checks: Check[];
}

export const PEER_FILES = ["checkov.json", "cdk-nag.json", "fsbp.json"];
export const COVERAGE_DIR = __dirname;

export function loadPeers(dir = COVERAGE_DIR): PeerList[] {
  return PEER_FILES.map((f) => JSON.parse(fs.readFileSync(path.join(dir, f), "utf8")) as PeerList);
}

/** Every problem with the matrix: a check without a row (no rule and no reason), a rule that does not exist, a duplicate. */
export function matrixProblems(peers: PeerList[], ruleNames: Set<string>): string[] {
  const problems: string[] = [];
  for (const p of peers) {
    if (!p.source?.commit || !p.source.read) problems.push(`${p.peer}: the list names no source commit or read date`);
    const seen = new Set<string>();
    for (const c of p.checks) {
      const where = `${p.peer} ${c.id}`;
      if (seen.has(c.id)) problems.push(`${where}: listed twice`);
      seen.add(c.id);
      const rules = c.rules ?? [];
      if (rules.length === 0 && !c.status) problems.push(`${where}: no row (neither a rule nor a reason)`);
      if (rules.length > 0 && c.status) problems.push(`${where}: both rules and a reason (${c.status})`);
      if ((c.status as string) === "gap") problems.push(`${where}: applies and no rule covers it (gap): write the rule, or say why the check does not apply`);
      else if (c.status && !(c.status in REASONS)) problems.push(`${where}: unknown reason ${c.status}`);
      if (c.status && !c.why?.trim()) problems.push(`${where}: reason ${c.status} without a why`);
      if (rules.length > 0 && c.why !== undefined) problems.push(`${where}: a covered row says where it differs from the peer in a note, not a why`);
      if (c.note !== undefined && (rules.length === 0 || !c.note.trim())) problems.push(`${where}: a note belongs to a covered row and says where its rules differ from the peer`);
      for (const r of rules) if (!ruleNames.has(r)) problems.push(`${where}: names rule ${r}, which the pack does not have`);
    }
  }
  return problems;
}

/** Counts per status (`covered` for rows with rules). */
export function tally(p: PeerList): Record<"covered" | Reason, number> {
  const out = { covered: 0, runtime: 0, "not-a-setting": 0, account: 0, deviation: 0 };
  for (const c of p.checks) if (c.rules?.length || (c.status && c.status in out)) out[c.rules?.length ? "covered" : c.status!]++;
  return out;
}
