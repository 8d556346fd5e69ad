/**
 * Renders `aws.iam.getPolicyDocument` arguments to IAM JSON the way the AWS provider does: keys in
 * IAM's casing, single-element lists collapsed to a string, conditions grouped by operator.
 */

interface PrincipalArg {
  type: string;
  identifiers: string[];
}
interface ConditionArg {
  test: string;
  variable: string;
  values: string[];
}
interface StatementArg {
  sid?: string;
  effect?: string;
  actions?: string[];
  notActions?: string[];
  resources?: string[];
  notResources?: string[];
  principals?: PrincipalArg[];
  notPrincipals?: PrincipalArg[];
  conditions?: ConditionArg[];
}

const one = (values: string[]): string | string[] => (values.length === 1 ? values[0] : [...values].sort());

function principals(list: PrincipalArg[]): Record<string, string | string[]> | string {
  if (list.length === 1 && list[0].type === "*" && list[0].identifiers.every((i) => i === "*")) return "*";
  const out: Record<string, string[]> = {};
  for (const p of list) out[p.type] = [...(out[p.type] ?? []), ...p.identifiers];
  return Object.fromEntries(Object.entries(out).map(([k, v]) => [k, one(v)]));
}

export function policyJson(inputs: Record<string, unknown>): string {
  const statements = (inputs.statements as StatementArg[] | undefined) ?? [];
  const rendered = statements.map((s) => {
    const out: Record<string, unknown> = {};
    if (s.sid) out.Sid = s.sid;
    out.Effect = s.effect ?? "Allow";
    if (s.actions?.length) out.Action = one(s.actions);
    if (s.notActions?.length) out.NotAction = one(s.notActions);
    if (s.resources?.length) out.Resource = one(s.resources);
    if (s.notResources?.length) out.NotResource = one(s.notResources);
    if (s.principals?.length) out.Principal = principals(s.principals);
    if (s.notPrincipals?.length) out.NotPrincipal = principals(s.notPrincipals);
    if (s.conditions?.length) {
      const cond: Record<string, Record<string, string | string[]>> = {};
      for (const c of s.conditions) cond[c.test] = { ...cond[c.test], [c.variable]: one(c.values) };
      out.Condition = cond;
    }
    return out;
  });
  return JSON.stringify({ Version: "2012-10-17", Statement: rendered }, null, 2);
}
