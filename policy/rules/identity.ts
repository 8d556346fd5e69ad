import { POLICY_TYPES, documents } from "./iamDocuments";
import { iamExposureRules } from "./iamExposure";
import { Props, Rule, actionMatches, resourceRule, statements } from "./lib";

const GITHUB_OIDC = "token.actions.githubusercontent.com";
/** `repo:<owner>/<name>:<ref, environment or pull_request>`, owner and name spelled out. */
const REPO_SUBJECT = /^repo:[A-Za-z0-9_.-]+\/[A-Za-z0-9_.-]+:[^*]*\*?$/;

/**
 * Actions that let whoever holds them on every resource make themselves more powerful: Rhino
 * Security Labs' published escalation methods (https://rhinosecuritylabs.com/aws/aws-privilege-escalation-methods-mitigation/,
 * read 2026-12-01), the IAM and STS halves of each (PassRole is the half every service-based method needs).
 */
export const ESCALATION_ACTIONS = [
  "iam:PassRole",
  "iam:CreatePolicyVersion",
  "iam:SetDefaultPolicyVersion",
  "iam:CreateAccessKey",
  "iam:CreateLoginProfile",
  "iam:UpdateLoginProfile",
  "iam:AttachUserPolicy",
  "iam:AttachGroupPolicy",
  "iam:AttachRolePolicy",
  "iam:PutUserPolicy",
  "iam:PutGroupPolicy",
  "iam:PutRolePolicy",
  "iam:AddUserToGroup",
  "iam:UpdateAssumeRolePolicy",
  "sts:AssumeRole",
];
/** Decrypting with every key (FSBP KMS.1 and KMS.2 name these two). */
const DECRYPT_ACTIONS = ["kms:Decrypt", "kms:ReEncryptFrom"];
const grantsOnStar = (type: string, p: Props, actions: string[]) =>
  documents(type, p).flatMap(({ where, doc }) =>
    statements(doc)
      .filter((s) => s.Effect === "Allow" && s.Resource.includes("*") && !s.Condition)
      .flatMap((s) => actions.filter((a) => s.Action.some((pattern) => actionMatches(pattern, a))).map((a) => ({ where, action: a }))),
  );
/** Types that give a long-lived IAM user credentials or permissions. */
const USER_TYPES = [
  "aws:iam/user:User",
  "aws:iam/accessKey:AccessKey",
  "aws:iam/userLoginProfile:UserLoginProfile",
  "aws:iam/userPolicy:UserPolicy",
  "aws:iam/userPolicyAttachment:UserPolicyAttachment",
  "aws:iam/userGroupMembership:UserGroupMembership",
  "aws:iam/groupMembership:GroupMembership",
  "aws:iam/serviceSpecificCredential:ServiceSpecificCredential",
  "aws:iam/signingCertificate:SigningCertificate",
  "aws:iam/sshKey:SshKey",
];
/** Managed policies that amount to administrator access. */
const ADMIN_POLICIES = ["AdministratorAccess", "IAMFullAccess"];

/** Who may do what (with the cloudsplaining-style document rules of ./iamExposure.ts). */
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
    "AdministratorAccess and IAMFullAccess are never attached to a role, user or group.",
    ["aws:iam/rolePolicyAttachment:RolePolicyAttachment", "aws:iam/role:Role", "aws:iam/userPolicyAttachment:UserPolicyAttachment", "aws:iam/groupPolicyAttachment:GroupPolicyAttachment", "aws:iam/policyAttachment:PolicyAttachment"],
    (p) => {
      const arns = [p.policyArn, ...((p.managedPolicyArns as unknown[] | undefined) ?? [])].filter((a) => typeof a === "string") as string[];
      return arns.filter((a) => ADMIN_POLICIES.some((n) => a.endsWith(`:policy/${n}`))).map((a) => `${a.split("/").pop()} attached; grant what the workload needs`);
    },
  ),
  resourceRule("no-service-wildcard-on-star", "No role or policy allows a whole service (`s3:*`) on every resource.", POLICY_TYPES, (p, args) =>
    documents(args.type, p).flatMap(({ where, doc }) =>
      statements(doc)
        .filter((s) => s.Effect === "Allow" && s.Resource.includes("*"))
        .flatMap((s) => s.Action.filter((a) => /^[a-z0-9-]+:\*$/i.test(a)).map((a) => `${where} allows ${a} on "*"; name the actions and resources`)),
    ),
  ),
  resourceRule("no-wildcard-action", "No role or policy allows every action (`*`), every IAM action (`iam:*`), or everything but a list (NotAction).", POLICY_TYPES, (p, args) =>
    documents(args.type, p).flatMap(({ where, doc }) =>
      statements(doc)
        .filter((s) => s.Effect === "Allow")
        .flatMap((s) => [
          ...s.Action.filter((a) => a === "*" || /^iam:\*$/i.test(a)).map((a) => `${where} allows ${a === "*" ? '"*"' : a} on ${s.Resource.join(", ") || "its resources"}; name the actions`),
          ...(s.NotAction.length ? [`${where} allows everything but ${s.NotAction.join(", ")} (Allow with NotAction)`] : []),
        ]),
    ),
  ),
  resourceRule("no-privilege-escalation", "No role or policy grants, on every resource and without conditions, an action that lets its holder grant itself more.", POLICY_TYPES, (p, args) =>
    grantsOnStar(args.type, p, ESCALATION_ACTIONS).map(({ where, action }) => `${where} allows ${action} on "*"; scope it to the roles, users or policies it is for`),
  ),
  resourceRule("no-decrypt-all-keys", "No role or policy may decrypt with every KMS key (kms:Decrypt or kms:ReEncryptFrom on \"*\" without conditions).", POLICY_TYPES, (p, args) =>
    grantsOnStar(args.type, p, DECRYPT_ACTIONS).map(({ where, action }) => `${where} allows ${action} on every key; name the keys`),
  ),
  resourceRule("no-iam-users", "No IAM users or their credentials: people use SSO, workloads and CI assume roles.", USER_TYPES, (_p, args) =>
    `${args.type.split(":").pop()} creates or empowers a long-lived IAM user; use a role (OIDC for CI, SSO for people)`,
  ),
  {
    // checkov CKV_AWS_41. Credentials come from the environment: OIDC in CI, SSO on a laptop.
    name: "no-provider-credentials",
    description: "No AWS provider carries access keys in its configuration (accessKey, secretKey, token).",
    enforcementLevel: "mandatory",
    validateResource: (args, report) => {
      if (!args.type.startsWith("aws:") || !args.provider) return;
      const keys = ["accessKey", "secretKey", "token"].filter((k) => typeof args.provider!.props[k] === "string" && args.provider!.props[k] !== "");
      if (keys.length) report(`its provider ${args.provider.name} sets ${keys.join(", ")}: credentials belong in the environment (OIDC in CI, SSO for people), not in state`);
    },
  },
  // checkov CKV_AWS_61 refuses every whole-account trust; a condition (sts:ExternalId for a vendor, aws:PrincipalArn
  // for named roles) is accepted, as AWS recommends: https://docs.aws.amazon.com/IAM/latest/UserGuide/id_roles_common-scenarios_third-party.html
  resourceRule("no-account-wide-trust", "A role does not trust a whole AWS account (its root or bare id) without a condition naming who may assume it.", ["aws:iam/role:Role"], (p) =>
    statements(p.assumeRolePolicy)
      .filter((s) => s.Effect === "Allow" && !s.Condition)
      .flatMap((s) => (s.Principal && s.Principal !== "*" ? (s.Principal.AWS ?? []) : []).filter((a) => /^(\d{12}|arn:aws[a-z-]*:iam::\d{12}:root)$/.test(a)))
      .map((a) => `trusts every principal of account ${a.replace(/\D/g, "").slice(0, 12)}; add a condition (sts:ExternalId, aws:PrincipalArn) or name the role`),
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
  ...iamExposureRules,
];
