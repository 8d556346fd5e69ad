/**
 * Passing and failing documents of the IAM exposure rules (policy/rules/iamExposure.ts), as every
 * identity-based document type; each failing case says what its refusal must name. Shared by
 * tests/policy-iam-exposure.test.ts and, through DOCUMENT_CASES, the pack-wide specs.
 */
import type { DocCase } from "./policyDocumentCases";

type Doc = { Sid?: string; Effect: string; Action?: string | string[]; NotAction?: string[]; Resource: string | string[]; Condition?: unknown }[];
const json = (statements: Doc) => JSON.stringify({ Version: "2012-10-17", Statement: statements });
const allow = (Action: string | string[], Resource: string | string[] = "*", extra: Partial<Doc[number]> = {}) => ({ Effect: "Allow", Action, Resource, ...extra });
const TRUST = JSON.stringify({ Version: "2012-10-17", Statement: [{ Effect: "Allow", Action: "sts:AssumeRole", Principal: { Service: "ecs-tasks.amazonaws.com" } }] });

/** A document as each of the types the rules read. */
const as = {
  policy: (statements: Doc, tags?: Record<string, string>) => ({ type: "aws:iam/policy:Policy", inputs: { policy: json(statements), ...(tags ? { tags } : {}) } }),
  rolePolicy: (statements: Doc) => ({ type: "aws:iam/rolePolicy:RolePolicy", inputs: { role: "some-role", policy: json(statements) } }),
  userPolicy: (statements: Doc) => ({ type: "aws:iam/userPolicy:UserPolicy", inputs: { user: "someone", policy: json(statements) } }),
  groupPolicy: (statements: Doc) => ({ type: "aws:iam/groupPolicy:GroupPolicy", inputs: { group: "some-group", policy: json(statements) } }),
  inline: (statements: Doc) => ({ type: "aws:iam/role:Role", inputs: { assumeRolePolicy: TRUST, inlinePolicies: [{ name: "inline", policy: json(statements) }] } }),
  permissionSet: (statements: Doc) => ({ type: "aws:ssoadmin/permissionSetInlinePolicy:PermissionSetInlinePolicy", inputs: { inlinePolicy: json(statements) } }),
};
const ROLE = "arn:aws:iam::123456789012:role/deploy";
export const NOT_RESTRICTABLE = ["ecr:GetAuthorizationToken", "xray:PutTraceSegments", "ssmmessages:OpenDataChannel", "logs:DescribeLogGroups"];

/** Per rule: resources it passes, resources it refuses, and what each refusal must name. */
export const IAM_EXPOSURE_CASES: Record<string, { pass: DocCase[]; fail: (DocCase & { names: RegExp })[] }> = {
  "no-credentials-exposure": {
    pass: [
      as.policy([allow("ecr:GetAuthorizationToken")]), // checkov's exclusion
      as.rolePolicy([allow("sts:AssumeRole", ROLE)]),
      as.policy([allow("sts:AssumeRole", "*", { Condition: { StringEquals: { "aws:PrincipalTag/team": "platform" } } })]),
      as.policy([allow("sts:AssumeRole"), { Effect: "Deny", Action: "sts:AssumeRole", Resource: "*" }]),
    ],
    fail: [
      { ...as.policy([allow("sts:AssumeRole")]), names: /sts:AssumeRole on "\*"/ },
      // An empty Condition (or operators naming no key) constrains nothing.
      { ...as.policy([allow("sts:AssumeRole", "*", { Condition: {} })]), names: /sts:AssumeRole on "\*"/ },
      { ...as.rolePolicy([allow("iam:CreateAccessKey", "*", { Condition: { StringEquals: {} } })]), names: /iam:CreateAccessKey on "\*"/ },
      // No resource-level permissions: refused whatever resource it names.
      { ...as.rolePolicy([allow("sts:GetSessionToken", ROLE)]), names: /sts:GetSessionToken without a condition/ },
      { ...as.inline([allow("iam:CreateAccessKey")]), names: /inline policy inline allows iam:CreateAccessKey/ },
      { ...as.userPolicy([allow("sts:Assume*")]), names: /sts:AssumeRole, sts:AssumeRoleWithSAML, sts:AssumeRoleWithWebIdentity/ },
      { ...as.groupPolicy([allow("*")]), names: /returns credentials/ },
      { ...as.permissionSet([allow("rds-db:connect")]), names: /rds-db:connect/ },
    ],
  },
  "no-data-exfiltration": {
    pass: [
      as.policy([allow("s3:GetObject", "arn:aws:s3:::media/*")]),
      as.policy([allow("secretsmanager:GetSecretValue", "*", { Condition: { StringEquals: { "aws:ResourceTag/app": "api" } } })]),
      as.policy([allow(["s3:ListAllMyBuckets", "s3:GetBucketLocation"])]),
    ],
    fail: [
      { ...as.policy([allow("s3:GetObject")]), names: /s3:GetObject on "\*"/ },
      { ...as.rolePolicy([allow("ssm:GetParameter*")]), names: /ssm:GetParameter, ssm:GetParameters, ssm:GetParametersByPath/ },
      { ...as.inline([allow("secretsmanager:*")]), names: /secretsmanager:GetSecretValue/ },
      { ...as.policy([{ Effect: "Allow", NotAction: ["iam:*"], Resource: "*" }]), names: /s3:GetObject/ },
    ],
  },
  "no-unconstrained-permissions-management": {
    pass: [
      as.policy([allow("iam:PutRolePolicy", ROLE)]),
      as.policy([allow("s3:PutBucketPolicy", "*", { Condition: { StringEquals: { "aws:ResourceAccount": "123456789012" } } })]),
      as.policy([allow(["s3:PutObject", "sqs:SendMessage"])]), // Write, not permissions management
    ],
    fail: [
      { ...as.policy([allow("iam:PutRolePolicy")]), names: /permissions-management actions on "\*" without a condition \(iam:PutRolePolicy\)/ },
      { ...as.rolePolicy([allow("s3:PutBucketPolicy")]), names: /s3:PutBucketPolicy/ },
      { ...as.permissionSet([allow("kms:PutKeyPolicy")]), names: /kms:PutKeyPolicy/ },
    ],
  },
  "no-unconstrained-write": {
    pass: [
      as.policy([allow(["xray:PutTraceSegments", "ssmmessages:OpenDataChannel"])]), // Write, but AWS requires "*"
      as.policy([allow("sqs:SendMessage", "arn:aws:sqs:us-east-1:123456789012:jobs")]),
      as.policy([allow(["s3:GetBucketLocation", "dynamodb:DescribeTable"])]), // Read on "*": another rule's business
    ],
    fail: [
      { ...as.rolePolicy([allow(["ecr:GetAuthorizationToken", "ecs:RegisterTaskDefinition"])]), names: /write actions on "\*" without a condition \(ecs:RegisterTaskDefinition\)/ },
      { ...as.inline([allow("sqs:SendMessage")]), names: /sqs:SendMessage/ },
      { ...as.groupPolicy([allow("dynamodb:Put*")]), names: /dynamodb:PutItem/ },
    ],
  },
  "no-star-resource-for-restrictable": {
    pass: [
      as.policy([allow(NOT_RESTRICTABLE)]),
      as.policy([allow("dynamodb:GetItem", "arn:aws:dynamodb:us-east-1:123456789012:table/sessions")]),
    ],
    fail: [
      { ...as.policy([allow("s3:GetBucketLocation")]), names: /s3:GetBucketLocation/ },
      // A tag is no exemption: only the pack config names inventory readers (tests/policy-iam-exposure.test.ts).
      { ...as.policy([allow(["dynamodb:DescribeTable", "rds:DescribeDBClusters"])], { "iam-reads-every-resource": "a vendor inventories the account" }), names: /dynamodb:DescribeTable/ },
      { ...as.userPolicy([allow("lambda:GetPolicy")]), names: /lambda:GetPolicy/ },
    ],
  },
};

