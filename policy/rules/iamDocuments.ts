import { Props } from "./lib";

/** Every IAM document a role or policy carries, with where it came from. */
export function documents(type: string, p: Props): { where: string; doc: unknown }[] {
  if (type === "aws:iam/role:Role") return ((p.inlinePolicies as Props[] | undefined) ?? []).map((x) => ({ where: `inline policy ${String(x.name)}`, doc: x.policy }));
  return [{ where: "policy", doc: p.policy }];
}

/** Every type that carries an identity-based IAM document. */
export const POLICY_TYPES = ["aws:iam/role:Role", "aws:iam/rolePolicy:RolePolicy", "aws:iam/policy:Policy", "aws:iam/userPolicy:UserPolicy", "aws:iam/groupPolicy:GroupPolicy"];
