/**
 * Passing and failing cases of the rules that read documents and related resources (IAM
 * statements, container definitions, network ACL entries, companion resources), shared by
 * tests/policy.test.ts (a hand-built graph) and tests/policy-documents.test.ts (a Pulumi program
 * through the plan harness). `{ $ref: "x" }` stands for the id of the case resource whose `ref` is x.
 */
import { IAM_EXPOSURE_CASES } from "./iamExposureCases";

export type DocCase = { type: string; inputs: Record<string, unknown>; ref?: string; provider?: Record<string, unknown> };
/** The id (or `output`) of the case resource whose `ref` is `$ref`. */
export type Ref = { $ref: string; output?: string };

const doc = (...statements: Record<string, unknown>[]) => JSON.stringify({ Version: "2012-10-17", Statement: statements });
const allow = (Action: string | string[], Resource: string | string[] = "*", extra: Record<string, unknown> = {}) => ({ Effect: "Allow", Action, Resource, ...extra });
const containers = (...defs: Record<string, unknown>[]) => JSON.stringify(defs.map((d) => ({ name: "app", image: "example/app:1", essential: true, ...d })));
const logs = { logConfiguration: { logDriver: "awslogs", options: { "awslogs-group": "/ecs/app" } } };
const task = (defs: string, extra: Record<string, unknown> = {}): DocCase => ({ type: "aws:ecs/taskDefinition:TaskDefinition", inputs: { family: "app", containerDefinitions: defs, ...extra } });
const aclRule = (extra: Record<string, unknown>): DocCase => ({ type: "aws:ec2/networkAclRule:NetworkAclRule", inputs: { networkAclId: "acl-1", ruleNumber: 100, egress: false, ruleAction: "allow", ...extra } });
const bucket = (ref: string): DocCase => ({ type: "aws:s3/bucket:Bucket", inputs: {}, ref });
const of = (ref: string, output?: string) => ({ $ref: ref, ...(output ? { output } : {}) }) as Ref;
const bucketParts = (ref: string, status = "Enabled", ownership = "BucketOwnerEnforced"): DocCase[] => [
  bucket(ref),
  { type: "aws:s3/bucketVersioning:BucketVersioning", inputs: { bucket: of(ref), versioningConfiguration: { status } } },
  { type: "aws:s3/bucketOwnershipControls:BucketOwnershipControls", inputs: { bucket: of(ref), rule: { objectOwnership: ownership } } },
  { type: "aws:s3/bucketLifecycleConfiguration:BucketLifecycleConfiguration", inputs: { bucket: of(ref), rules: [{ id: "expire", status: "Enabled", expiration: { days: 90 } }] } },
];
const s3Origin = (extra: Record<string, unknown>) => ({ originId: "media", domainName: "media.s3.us-east-1.amazonaws.com", ...extra });
const distribution = (behaviour: Record<string, unknown>, origins: Record<string, unknown>[] = [s3Origin({ originAccessControlId: "oac-1" })]): DocCase => ({
  type: "aws:cloudfront/distribution:Distribution",
  inputs: {
    enabled: true,
    origins,
    defaultCacheBehavior: { targetOriginId: "media", viewerProtocolPolicy: "redirect-to-https", allowedMethods: ["GET", "HEAD"], cachedMethods: ["GET", "HEAD"], ...behaviour },
    restrictions: { geoRestriction: { restrictionType: "none" } },
    viewerCertificate: { cloudfrontDefaultCertificate: true },
  },
});
const headers = (maxAge: number): DocCase => ({
  type: "aws:cloudfront/responseHeadersPolicy:ResponseHeadersPolicy",
  ref: "headers",
  inputs: { name: "security", securityHeadersConfig: { strictTransportSecurity: { accessControlMaxAgeSec: maxAge, override: true, includeSubdomains: true } } },
});

/** `refused`: which failing resources the rule must report (by index; every one when absent), for stack rules whose other failing resources are context. */
export const DOCUMENT_CASES: Record<string, { pass: DocCase[]; fail: DocCase[]; refused?: number[] }> = {
  "no-wildcard-action": {
    pass: [{ type: "aws:iam/policy:Policy", inputs: { policy: doc(allow("s3:GetObject", "arn:aws:s3:::b/*"), { Effect: "Deny", NotAction: "s3:GetObject", Resource: "*" }) } }],
    fail: [
      { type: "aws:iam/rolePolicy:RolePolicy", inputs: { role: "r", policy: doc(allow("*", "arn:aws:s3:::b")) } },
      { type: "aws:iam/policy:Policy", inputs: { policy: doc(allow("iam:*", "arn:aws:iam::123456789012:role/x")) } },
      { type: "aws:iam/groupPolicy:GroupPolicy", inputs: { group: "g", policy: doc({ Effect: "Allow", NotAction: "iam:*", Resource: "*" }) } },
    ],
  },
  "no-privilege-escalation": {
    pass: [
      { type: "aws:iam/rolePolicy:RolePolicy", inputs: { role: "r", policy: doc(allow("iam:PassRole", "arn:aws:iam::123456789012:role/app-task")) } },
      { type: "aws:iam/policy:Policy", inputs: { policy: doc(allow("iam:PassRole", "*", { Condition: { StringEquals: { "iam:PassedToService": "ecs-tasks.amazonaws.com" } } })) } },
    ],
    fail: [
      { type: "aws:iam/rolePolicy:RolePolicy", inputs: { role: "r", policy: doc(allow("iam:PassRole")) } },
      { type: "aws:iam/policy:Policy", inputs: { policy: doc(allow(["iam:Attach*", "s3:GetObject"])) } },
      // An empty Condition constrains nothing.
      { type: "aws:iam/policy:Policy", inputs: { policy: doc(allow("iam:PassRole", "*", { Condition: {} })) } },
      // `?` is one character in IAM, as `*` is any run.
      { type: "aws:iam/policy:Policy", inputs: { policy: doc(allow("iam:Pass?ole")) } },
    ],
  },
  "no-account-wide-trust": {
    pass: [
      { type: "aws:iam/role:Role", inputs: { assumeRolePolicy: doc({ Effect: "Allow", Principal: { AWS: "arn:aws:iam::464622532012:root" }, Action: "sts:AssumeRole", Condition: { StringEquals: { "sts:ExternalId": "x" } } }) } },
      { type: "aws:iam/role:Role", inputs: { assumeRolePolicy: doc({ Effect: "Allow", Principal: { AWS: "arn:aws:iam::123456789012:role/deployer" }, Action: "sts:AssumeRole" }) } },
    ],
    fail: [
      { type: "aws:iam/role:Role", inputs: { assumeRolePolicy: doc({ Effect: "Allow", Principal: { AWS: ["arn:aws:iam::111122223333:root"] }, Action: "sts:AssumeRole" }) } },
      { type: "aws:iam/role:Role", inputs: { assumeRolePolicy: doc({ Effect: "Allow", Principal: { AWS: "111122223333" }, Action: "sts:AssumeRole" }) } },
    ],
  },
  "no-decrypt-all-keys": {
    pass: [{ type: "aws:iam/rolePolicy:RolePolicy", inputs: { role: "r", policy: doc(allow("kms:Decrypt", "arn:aws:kms:us-east-1:123456789012:key/1"), allow("kms:ListKeys")) } }],
    fail: [{ type: "aws:iam/policy:Policy", inputs: { policy: doc(allow(["kms:Decrypt", "kms:ReEncrypt*"])) } }],
  },
  "no-iam-users": {
    pass: [{ type: "aws:iam/role:Role", inputs: { assumeRolePolicy: doc({ Effect: "Allow", Principal: { Service: "ecs-tasks.amazonaws.com" }, Action: "sts:AssumeRole" }) } }],
    fail: [{ type: "aws:iam/user:User", inputs: { name: "deployer" } }, { type: "aws:iam/accessKey:AccessKey", inputs: { user: "deployer" } }],
  },
  "no-secrets-in-environment": {
    pass: [
      task(containers({ ...logs, environment: [{ name: "DATABASE_SECRET_ARN", value: "arn:aws:secretsmanager:us-east-1:123456789012:secret:db" }, { name: "TOKEN_TTL_SECONDS", value: "3600" }], secrets: [{ name: "DB_PASSWORD", valueFrom: "arn:aws:secretsmanager:us-east-1:123456789012:secret:db" }] })),
      { type: "aws:lambda/function:Function", inputs: { role: "arn:aws:iam::123456789012:role/f", runtime: "nodejs22.x", handler: "index.handler", environment: { variables: { QUEUE_URL: "https://sqs.us-east-1.amazonaws.com/123456789012/q" } } } },
    ],
    fail: [
      task(containers({ ...logs, environment: [{ name: "DB_PASSWORD", value: "correct-horse-battery" }] })),
      { type: "aws:lambda/function:Function", inputs: { role: "arn:aws:iam::123456789012:role/f", runtime: "nodejs22.x", handler: "index.handler", environment: { variables: { AWS_SECRET_ACCESS_KEY: "x" } } } },
      { type: "aws:codebuild/project:Project", inputs: { serviceRole: "r", artifacts: { type: "NO_ARTIFACTS" }, source: { type: "NO_SOURCE" }, environment: { computeType: "BUILD_GENERAL1_SMALL", image: "aws/codebuild/standard:7.0", type: "LINUX_CONTAINER", environmentVariables: [{ name: "GITHUB_TOKEN", value: "ghp_0123456789abcdef" }] } } },
      { type: "aws:ec2/instance:Instance", inputs: { ami: "ami-1", instanceType: "t3.micro", userData: "#!/bin/sh\nexport AWS_ACCESS_KEY_ID=AKIAIOSFODNN7EXAMPLE\n" } },
    ],
  },
  "ecs-container-logging": {
    pass: [task(containers(logs, { ...logs, name: "sidecar" }))],
    fail: [task(containers(logs, { name: "sidecar" }))],
  },
  "ecs-task-roles-distinct": {
    pass: [task(containers(logs), { executionRoleArn: "arn:aws:iam::123456789012:role/app-execution", taskRoleArn: "arn:aws:iam::123456789012:role/app-task" })],
    fail: [task(containers(logs), { executionRoleArn: "arn:aws:iam::123456789012:role/app", taskRoleArn: "arn:aws:iam::123456789012:role/app" })],
  },
  "nacl-no-open-admin-ports": {
    pass: [
      aclRule({ protocol: "tcp", fromPort: 443, toPort: 443, cidrBlock: "0.0.0.0/0" }),
      aclRule({ protocol: "tcp", fromPort: 22, toPort: 22, cidrBlock: "10.0.0.0/16" }),
      aclRule({ protocol: "-1", ruleAction: "deny", cidrBlock: "0.0.0.0/0" }),
      aclRule({ protocol: "-1", egress: true, cidrBlock: "0.0.0.0/0" }),
    ],
    fail: [
      aclRule({ protocol: "tcp", fromPort: 0, toPort: 1024, cidrBlock: "0.0.0.0/0" }),
      aclRule({ protocol: "-1", ipv6CidrBlock: "::/0" }),
      { type: "aws:ec2/networkAcl:NetworkAcl", inputs: { vpcId: "vpc-1", ingress: [{ protocol: "tcp", ruleNo: 100, action: "allow", cidrBlock: "0.0.0.0/0", fromPort: 3389, toPort: 3389 }] } },
      { type: "aws:ec2/defaultNetworkAcl:DefaultNetworkAcl", inputs: { defaultNetworkAclId: "acl-0", ingress: [{ protocol: "-1", ruleNo: 100, action: "allow", cidrBlock: "0.0.0.0/0", fromPort: 0, toPort: 0 }] } },
    ],
  },
  "default-sg-closed": {
    pass: [{ type: "aws:ec2/defaultSecurityGroup:DefaultSecurityGroup", inputs: { vpcId: "vpc-1" } }],
    fail: [{ type: "aws:ec2/defaultSecurityGroup:DefaultSecurityGroup", inputs: { vpcId: "vpc-1", egress: [{ protocol: "-1", fromPort: 0, toPort: 0, cidrBlocks: ["0.0.0.0/0"] }] } }],
  },
  "no-default-vpc": {
    pass: [{ type: "aws:ec2/vpc:Vpc", inputs: { cidrBlock: "10.0.0.0/16" } }],
    fail: [{ type: "aws:ec2/defaultVpc:DefaultVpc", inputs: {} }],
  },
  "resource-descriptions": {
    pass: [
      { type: "aws:ec2/securityGroup:SecurityGroup", inputs: { vpcId: "vpc-1", description: "app tasks" } },
      { type: "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule", inputs: { securityGroupId: "sg-1", ipProtocol: "tcp", fromPort: 443, toPort: 443, referencedSecurityGroupId: "sg-2", description: "from the ALB" } },
    ],
    fail: [
      { type: "aws:vpc/securityGroupEgressRule:SecurityGroupEgressRule", inputs: { securityGroupId: "sg-1", ipProtocol: "tcp", fromPort: 443, toPort: 443, cidrIpv4: "10.0.0.0/16" } },
      { type: "aws:ec2/securityGroupRule:SecurityGroupRule", inputs: { type: "ingress", securityGroupId: "sg-1", protocol: "tcp", fromPort: 5432, toPort: 5432, sourceSecurityGroupId: "sg-2", description: " " } },
    ],
  },
  "lambda-permission-scoped": {
    pass: [
      { type: "aws:lambda/permission:Permission", inputs: { action: "lambda:InvokeFunction", function: "f", principal: "events.amazonaws.com", sourceArn: "arn:aws:events:us-east-1:123456789012:rule/r" } },
      { type: "aws:lambda/permission:Permission", inputs: { action: "lambda:InvokeFunction", function: "f", principal: "123456789012" } },
    ],
    fail: [{ type: "aws:lambda/permission:Permission", inputs: { action: "lambda:InvokeFunction", function: "f", principal: "s3.amazonaws.com" } }],
  },
  "cdn-security-headers": {
    pass: [headers(31536000), distribution({ responseHeadersPolicyId: of("headers") }), distribution({ responseHeadersPolicyId: "67f7725c-6f97-4210-82d7-5512b31e9d03" })],
    fail: [headers(86400), distribution({ responseHeadersPolicyId: of("headers") }), distribution({})],
    refused: [1, 2],
  },
  "cdn-origin-access-control": {
    pass: [distribution({}), distribution({}, [{ originId: "media", domainName: "origin.example.com", customOriginConfig: { httpPort: 80, httpsPort: 443, originProtocolPolicy: "https-only", originSslProtocols: ["TLSv1.2"] } }])],
    fail: [distribution({}, [s3Origin({ s3OriginConfig: { originAccessIdentity: "origin-access-identity/cloudfront/E1" } })])],
  },
  "s3-bucket-configuration": {
    pass: bucketParts("media"),
    fail: [...bucketParts("media", "Suspended"), ...bucketParts("logs", "Enabled", "ObjectWriter"), bucket("bare")],
    // The buckets: media (versioning suspended), logs (ACLs back on), bare (no versioning, no lifecycle).
    refused: [0, 4, 8],
  },
  "prod-backup-coverage": {
    pass: [
      { type: "aws:rds/cluster:Cluster", ref: "db", inputs: { engine: "aurora-postgresql" } },
      { type: "aws:backup/selection:Selection", inputs: { name: "data", iamRoleArn: "arn:aws:iam::123456789012:role/backup", planId: "plan-1", resources: [of("db", "arn")] } },
      { type: "aws:efs/fileSystem:FileSystem", inputs: { tags: { backup: "daily" } } },
      { type: "aws:backup/selection:Selection", inputs: { name: "tagged", iamRoleArn: "arn:aws:iam::123456789012:role/backup", planId: "plan-1", selectionTags: [{ type: "STRINGEQUALS", key: "backup", value: "daily" }] } },
    ],
    fail: [
      { type: "aws:rds/cluster:Cluster", inputs: { engine: "aurora-postgresql" } },
      { type: "aws:dynamodb/table:Table", inputs: { hashKey: "id", attributes: [{ name: "id", type: "S" }] } },
      { type: "aws:backup/selection:Selection", inputs: { name: "other", iamRoleArn: "arn:aws:iam::123456789012:role/backup", planId: "plan-1", resources: ["arn:aws:rds:us-east-1:123456789012:cluster:other"] } },
    ],
    refused: [0, 1],
  },
  "logging-companions": {
    pass: [
      { type: "aws:redshift/cluster:Cluster", ref: "dw", inputs: { clusterIdentifier: "dw", nodeType: "ra3.xlplus" } },
      { type: "aws:redshift/logging:Logging", inputs: { clusterIdentifier: of("dw"), logDestinationType: "cloudwatch", logExports: ["connectionlog", "userlog"] } },
    ],
    fail: [
      { type: "aws:redshift/cluster:Cluster", inputs: { clusterIdentifier: "dw", nodeType: "ra3.xlplus" } },
      { type: "aws:networkfirewall/firewall:Firewall", ref: "fw", inputs: { firewallPolicyArn: "arn:aws:network-firewall:us-east-1:123456789012:firewall-policy/p", vpcId: "vpc-1", subnetMappings: [{ subnetId: "subnet-1" }] } },
      { type: "aws:networkfirewall/loggingConfiguration:LoggingConfiguration", inputs: { firewallArn: of("fw", "arn"), loggingConfiguration: {} } },
    ],
    refused: [0, 1],
  },
  "no-provider-credentials": {
    pass: [{ type: "aws:sns/topic:Topic", inputs: {} }],
    fail: [{ type: "aws:sns/topic:Topic", inputs: {}, provider: { accessKey: "AKIAIOSFODNN7EXAMPLE", secretKey: "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY" } }],
  },
  "ecr-lifecycle": {
    pass: [
      { type: "aws:ecr/repository:Repository", inputs: { name: "app" } },
      { type: "aws:ecr/lifecyclePolicy:LifecyclePolicy", inputs: { repository: "app", policy: JSON.stringify({ rules: [{ rulePriority: 1, selection: { tagStatus: "untagged", countType: "sinceImagePushed", countUnit: "days", countNumber: 1 }, action: { type: "expire" } }] }) } },
    ],
    fail: [{ type: "aws:ecr/repository:Repository", inputs: { name: "app" } }, { type: "aws:ecr/lifecyclePolicy:LifecyclePolicy", inputs: { repository: "other", policy: "{}" } }],
    refused: [0],
  },
  ...Object.fromEntries(Object.entries(IAM_EXPOSURE_CASES).map(([name, c]) => [name, { pass: c.pass, fail: c.fail.map(({ names: _names, ...x }) => x) }])),
};

/** The case's inputs with every `{ $ref }` replaced by `resolve(ref)`. */
export function withRefs(value: unknown, resolve: (ref: string, output?: string) => unknown): unknown {
  if (Array.isArray(value)) return value.map((v) => withRefs(v, resolve));
  if (value && typeof value === "object") {
    if ("$ref" in value) return resolve((value as Ref).$ref, (value as Ref).output);
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, withRefs(v, resolve)]));
  }
  return value;
}
