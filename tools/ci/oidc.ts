/**
 * The contract between the GitHub workflows and the roles they assume: for every job that calls
 * aws-actions/configure-aws-credentials, the OIDC token GitHub gives that job must be admitted by
 * the trust policy of the role its `role-to-assume` names. AWS accepts any trust policy and
 * GitHub any workflow; only the first real run would find a mismatch.
 *
 * Subject claims (https://docs.github.com/en/actions/reference/security/oidc#example-subject-claims):
 * a job with an `environment` gets `repo:OWNER/REPO:environment:NAME`; otherwise a pull_request
 * run gets `repo:OWNER/REPO:pull_request` and a branch run `repo:OWNER/REPO:ref:refs/heads/BRANCH`.
 * A reusable workflow's job carries the caller's repository in `sub`
 * (https://docs.github.com/en/actions/how-tos/secure-your-work/security-harden-deployments/oidc-with-reusable-workflows).
 */
import { parse } from "yaml";

export const GITHUB_AUDIENCE = "sts.amazonaws.com";

/** Which stack output a role variable (or reusable-workflow input) stands for (README "Operating it from CI"). */
export type RoleKind = "preview" | "deploy" | "application" | "failover" | "publish";

export interface AssumeAttempt {
  workflow: string;
  job: string;
  /** The `sub` claim of the job's token. */
  subject: string;
  stack: string;
  role: RoleKind;
  /** Where the role ARN comes from, as the workflow says it. */
  via: string;
}

export interface WorkflowContext {
  /** This repository (`platform:ci.repository`). */
  repository: string;
  /** Repositories that call the reusable workflows (`platform:ci.applicationRepositories`). */
  callers: string[];
  /** The branch deploys and scheduled runs use (`platform:ci.branch`). */
  branch: string;
  stacks: string[];
}

type Job = { environment?: string | { name: string }; strategy?: { matrix?: Record<string, unknown[]> }; steps?: { uses?: string; with?: Record<string, string> }[] };

/** Every (job, stack) in a workflow that assumes an AWS role, with the token it would present. */
export function assumeAttempts(workflow: string, text: string, ctx: WorkflowContext): AssumeAttempt[] {
  const doc = parse(text) as { on: Record<string, unknown> | string[] | string; jobs: Record<string, Job> };
  const triggers = typeof doc.on === "string" ? [doc.on] : Array.isArray(doc.on) ? doc.on : Object.keys(doc.on ?? {});
  const reusable = triggers.includes("workflow_call");
  const attempts: AssumeAttempt[] = [];
  for (const [jobName, job] of Object.entries(doc.jobs ?? {})) {
    const step = (job.steps ?? []).find((s) => s.uses?.startsWith("aws-actions/configure-aws-credentials@"));
    if (!step) continue;
    const roleExpr = String(step.with?.["role-to-assume"] ?? "");
    for (const bindings of matrixBindings(job, reusable ? ctx.stacks : [undefined])) {
      const envExpr = typeof job.environment === "object" ? job.environment.name : job.environment;
      const environment = envExpr === undefined ? undefined : expand(envExpr, bindings);
      const role = roleOf(roleExpr, bindings);
      const stack = role.stack ?? environment ?? bindings["inputs.environment"];
      if (!stack) throw new Error(`${workflow} job ${jobName}: cannot tell which stack ${roleExpr} belongs to`);
      const repos = reusable ? ctx.callers : [ctx.repository];
      const claims = environment
        ? [`environment:${environment}`]
        : triggers.filter((t) => t !== "workflow_call").map((t) => (t === "pull_request" ? "pull_request" : `ref:refs/heads/${ctx.branch}`));
      for (const repo of repos) {
        for (const claim of new Set(claims)) {
          const attempt = { workflow, job: jobName, subject: `repo:${repo}:${claim}`, stack, role: role.kind, via: role.via };
          if (!attempts.some((a) => JSON.stringify(a) === JSON.stringify(attempt))) attempts.push(attempt);
        }
      }
    }
  }
  return attempts;
}

/** The matrix combinations of a job (one empty binding without a matrix), times each `inputs.environment` a caller may pass. */
function matrixBindings(job: Job, environments: (string | undefined)[]): Record<string, string>[] {
  let out: Record<string, string>[] = [{}];
  for (const [key, values] of Object.entries(job.strategy?.matrix ?? {})) {
    if (!Array.isArray(values)) continue;
    out = out.flatMap((b) => values.map((v) => ({ ...b, [`matrix.${key}`]: String(v) })));
  }
  return out.flatMap((b) => environments.map((e) => (e === undefined ? b : { ...b, "inputs.environment": e })));
}

function expand(text: string, bindings: Record<string, string>): string {
  return text.replace(/\$\{\{\s*([\w.-]+)\s*\}\}/g, (whole, name: string) => bindings[name] ?? whole);
}

/** The role a `role-to-assume` expression names: a `vars.<KIND>_ROLE_ARN_<STACK>` variable, or the caller's input. */
function roleOf(expr: string, bindings: Record<string, string>): { kind: RoleKind; stack?: string; via: string } {
  const inner = /^\$\{\{\s*(.+?)\s*\}\}$/.exec(expr.trim())?.[1] ?? "";
  if (inner === "inputs.role-to-assume") return { kind: "application", via: "inputs.role-to-assume (ciRoleArns.application)" };
  const direct = /^vars\.(\w+)$/.exec(inner)?.[1];
  const formatted = /^vars\[format\('(\w*)\{0\}(\w*)',\s*([\w.]+)\)\]$/.exec(inner);
  const name = direct ?? (formatted ? `${formatted[1]}${bindings[formatted[3]] ?? ""}${formatted[2]}` : undefined);
  // Variable names are case-insensitive on GitHub.
  const m = name ? /^(PREVIEW|DEPLOY|FAILOVER|PUBLISH)_ROLE_ARN_(\w+)$/i.exec(name) : null;
  if (!m) throw new Error(`role-to-assume ${expr}: expected vars.<PREVIEW|DEPLOY|FAILOVER|PUBLISH>_ROLE_ARN_<STACK> or inputs.role-to-assume`);
  return { kind: m[1].toLowerCase() as RoleKind, stack: m[2].toLowerCase(), via: `vars.${name!.toUpperCase()}` };
}

interface TrustStatement {
  Effect: string;
  Action: string | string[];
  Principal?: { Federated?: string | string[] };
  Condition?: Record<string, Record<string, string | string[]>>;
}

/**
 * Why a trust policy refuses a GitHub token with this subject (undefined when it admits it). Only
 * StringEquals and StringLike are understood; a statement with any other operator does not admit.
 */
export function trustRefusal(policyJson: string, subject: string, audience = GITHUB_AUDIENCE): string | undefined {
  const statements = ([] as TrustStatement[]).concat((JSON.parse(policyJson) as { Statement: TrustStatement | TrustStatement[] }).Statement);
  const claims: Record<string, string> = { "token.actions.githubusercontent.com:sub": subject, "token.actions.githubusercontent.com:aud": audience };
  const reasons: string[] = [];
  for (const st of statements) {
    const actions = ([] as string[]).concat(st.Action);
    const federated = ([] as string[]).concat(st.Principal?.Federated ?? []);
    if (st.Effect !== "Allow" || !actions.includes("sts:AssumeRoleWithWebIdentity")) continue;
    if (!federated.some((p) => p.endsWith(":oidc-provider/token.actions.githubusercontent.com"))) {
      reasons.push("no statement trusts GitHub's OIDC provider");
      continue;
    }
    const failed = Object.entries(st.Condition ?? {}).flatMap(([op, keys]) =>
      Object.entries(keys).flatMap(([key, values]) => {
        const want = ([] as string[]).concat(values);
        const got = claims[key];
        const ok = op === "StringEquals" ? got !== undefined && want.includes(got) : op === "StringLike" ? got !== undefined && want.some((w) => glob(w).test(got)) : false;
        return ok ? [] : [`${op} ${key} is ${JSON.stringify(want)}`];
      }),
    );
    if (!st.Condition?.StringEquals?.["token.actions.githubusercontent.com:aud"]) failed.push("no audience condition (any GitHub token for any audience would do)");
    if (!failed.length) return undefined;
    reasons.push(failed.join("; "));
  }
  return reasons.length ? reasons.join(" | ") : "no statement allows sts:AssumeRoleWithWebIdentity";
}

function glob(pattern: string): RegExp {
  return new RegExp(`^${pattern.replace(/[.+^${}()|[\]\\]/g, "\\$&").replace(/\*/g, ".*").replace(/\?/g, ".")}$`);
}
