import { Props, Rule, resourceRule, statements } from "./lib";

const GITHUB_OIDC = "token.actions.githubusercontent.com";
/** `repo:<owner>/<name>:<ref, environment or pull_request>`, owner and name spelled out. */
const REPO_SUBJECT = /^repo:[A-Za-z0-9_.-]+\/[A-Za-z0-9_.-]+:[^*]*\*?$/;

/** Every IAM document a role or policy carries, with where it came from. */
function documents(type: string, p: Props): { where: string; doc: unknown }[] {
  if (type === "aws:iam/role:Role") return ((p.inlinePolicies as Props[] | undefined) ?? []).map((x) => ({ where: `inline policy ${String(x.name)}`, doc: x.policy }));
  return [{ where: "policy", doc: p.policy }];
}

/** Every type that carries an identity-based IAM document. */
const POLICY_TYPES = ["aws:iam/role:Role", "aws:iam/rolePolicy:RolePolicy", "aws:iam/policy:Policy", "aws:iam/userPolicy:UserPolicy", "aws:iam/groupPolicy:GroupPolicy"];

/** Who may do what. */
export const identityRules: Rule[] = [
  resourceRule("no-star-star", "No role or policy allows every action on every resource.", POLICY_TYPES, (p, args) =>
    documents(args.type, p).flatMap(({ where, doc }) =>
      statements(doc)
        .filter((s) => s.Effect === "Allow" && s.Action.includes("*") && s.Resource.includes("*"))
        .map(() => `${where} allows "*" on "*"`),
    ),
  ),
  resourceRule(
    "no-admin-attached",
    "AdministratorAccess is never attached to a role, user or group.",
    ["aws:iam/rolePolicyAttachment:RolePolicyAttachment", "aws:iam/role:Role", "aws:iam/userPolicyAttachment:UserPolicyAttachment", "aws:iam/groupPolicyAttachment:GroupPolicyAttachment", "aws:iam/policyAttachment:PolicyAttachment"],
    (p) => {
      const arns = [p.policyArn, ...((p.managedPolicyArns as unknown[] | undefined) ?? [])].filter((a) => typeof a === "string") as string[];
      return arns.filter((a) => a.endsWith(":policy/AdministratorAccess")).map(() => "AdministratorAccess attached; grant what the workload needs");
    },
  ),
  resourceRule("no-service-wildcard-on-star", "No role or policy allows a whole service (`s3:*`) on every resource.", POLICY_TYPES, (p, args) =>
    documents(args.type, p).flatMap(({ where, doc }) =>
      statements(doc)
        .filter((s) => s.Effect === "Allow" && s.Resource.includes("*"))
        .flatMap((s) => s.Action.filter((a) => /^[a-z0-9-]+:\*$/i.test(a)).map((a) => `${where} allows ${a} on "*"; name the actions and resources`)),
    ),
  ),
  resourceRule("oidc-trust-pinned", "Roles GitHub Actions assumes pin the audience and exact repository subjects.", ["aws:iam/role:Role"], (p) =>
    statements(p.assumeRolePolicy)
      .filter((s) => s.Effect === "Allow" && s.Principal !== "*" && (s.Principal?.Federated ?? []).some((f) => f.endsWith(`oidc-provider/${GITHUB_OIDC}`)))
      .flatMap((s) => {
        const problems: string[] = [];
        const aud = s.Condition?.StringEquals?.[`${GITHUB_OIDC}:aud`];
        if (!aud || aud.length !== 1 || aud[0] !== "sts.amazonaws.com") problems.push("GitHub OIDC trust must pin aud to sts.amazonaws.com with StringEquals");
        const subs = [...(s.Condition?.StringEquals?.[`${GITHUB_OIDC}:sub`] ?? []), ...(s.Condition?.StringLike?.[`${GITHUB_OIDC}:sub`] ?? [])];
        if (subs.length === 0) problems.push("GitHub OIDC trust must pin sub to repository subjects");
        for (const sub of subs) if (!REPO_SUBJECT.test(sub)) problems.push(`GitHub OIDC subject ${sub} does not name one repository`);
        return problems;
      }),
  ),
];
