import { strict as assert } from "assert";
import { execFile } from "child_process";
import * as fs from "fs";
import * as path from "path";
import { promisify } from "util";
import { policies } from "../policy/rules";
import { SETTINGS_RULES, rowsOf } from "../policy/rules/settings";
import { rowFixtures } from "../policy/rules/settings/engine";
import { PlanGraph, PlanResource } from "../tools/plan/graph";
import { packConfigFor, runPolicies } from "../tools/plan/policy";
import { early } from "./support/early";
import { COMPUTE_NETWORK_CASES } from "./support/policyComputeNetworkCases";
import { DATA_MESSAGING_CASES } from "./support/policyDataMessagingCases";
import { DOCUMENT_CASES, DocCase, withRefs } from "./support/policyDocumentCases";
import { SERVICE_CASES } from "./support/serviceDocumentCases";
import { programCopy, planCopy } from "./support/programCopy";
import { StackName, stack } from "./support/stacks";

const PROJECT = path.resolve(__dirname, "..");
const PROVIDER = "urn:pulumi:t::p::pulumi:providers:aws::primary";
const TAGS = JSON.stringify({ tags: { env: "dev", project: "platform", "managed-by": "pulumi" } });

type Fixture = { type: string; inputs: Record<string, unknown>; id?: string; arn?: string; protect?: boolean; region?: string; outputs?: Record<string, unknown>; untagged?: boolean; providerInputs?: Record<string, unknown> };

/** A minimal graph of the given resources, each under an AWS provider with the default tags. */
function graphOf(fixtures: Fixture[]): PlanGraph {
  const providers = new Map<string, PlanResource>();
  const providerFor = (region = "us-east-1", untagged = false, extra?: Record<string, unknown>) => {
    const urn = `${PROVIDER}-${region}${untagged ? "-untagged" : ""}${extra ? "-" + Object.keys(extra).join("-") : ""}`;
    const role = region === "us-east-1" ? "primary" : "secondary";
    const inputs = { ...(untagged ? { region } : { region, defaultTags: TAGS.replace('"managed-by"', `"region-role":"${role}","managed-by"`) }), ...extra };
    if (!providers.has(urn)) providers.set(urn, { urn, type: "pulumi:providers:aws", name: region, kind: "provider", inputs, options: { protect: false } } as unknown as PlanResource);
    return urn;
  };
  const resources = fixtures.map(
    (f, i): PlanResource => ({
      urn: `urn:pulumi:t::p::${f.type}::r${i}`,
      type: f.type,
      name: `r${i}`,
      id: f.id ?? `id-${i}`,
      arn: f.arn,
      provider: providerFor(f.region, f.untagged, f.providerInputs),
      kind: f.type.startsWith("awsx:") ? "remote" : "custom",
      inputs: f.inputs,
      outputs: f.outputs,
      options: { protect: f.protect === true },
    }) as unknown as PlanResource,
  );
  return { project: "p", stack: "t", resources: [...providers.values(), ...resources], outputs: {} } as unknown as PlanGraph;
}

const doc = (...statements: Record<string, unknown>[]) => JSON.stringify({ Version: "2012-10-17", Statement: statements });
const KEY = "arn:aws:kms:us-east-1:123456789012:key/1";
const tlsDeny = { Effect: "Deny", Principal: "*", Action: "s3:*", Resource: "*", Condition: { Bool: { "aws:SecureTransport": "false" } } };
const oidc = (sub: string, aud = "sts.amazonaws.com") =>
  doc({
    Effect: "Allow",
    Principal: { Federated: "arn:aws:iam::123456789012:oidc-provider/token.actions.githubusercontent.com" },
    Action: "sts:AssumeRoleWithWebIdentity",
    Condition: { StringEquals: { "token.actions.githubusercontent.com:aud": aud }, StringLike: { "token.actions.githubusercontent.com:sub": sub } },
  });
const ingress = (extra: Record<string, unknown>): Fixture => ({ type: "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule", inputs: { securityGroupId: "sg-alb", ipProtocol: "tcp", ...extra } });
const alb: Fixture = { type: "aws:lb/loadBalancer:LoadBalancer", inputs: { securityGroups: ["sg-alb"] } };
const bucket: Fixture = { type: "aws:s3/bucket:Bucket", id: "b1", inputs: {} };
const queue = (name: string, extra: Record<string, unknown> = {}): Fixture => ({ type: "aws:sqs/queue:Queue", id: `https://sqs/${name}`, arn: `arn:aws:sqs:us-east-1:1:${name}`, inputs: { name, ...extra } });
const monitor = (query: string): Fixture => ({ type: "datadog:index/monitor:Monitor", inputs: { query } });
const service = (extra: Record<string, unknown>): Fixture => ({ type: "aws:ecs/service:Service", inputs: { name: "api", loadBalancers: [{}], desiredCount: 2, deploymentConfiguration: { strategy: "BLUE_GREEN" }, ...extra } });
const cluster = (extra: Record<string, unknown> = {}, region?: string): Fixture => ({ type: "aws:rds/cluster:Cluster", id: `c-${region ?? "1"}`, region, inputs: { storageEncrypted: true, kmsKeyId: KEY, deletionProtection: true, backupRetentionPeriod: 14, ...extra } });
const instance = (az: string): Fixture => ({ type: "aws:rds/clusterInstance:ClusterInstance", inputs: { clusterIdentifier: "c-1", availabilityZone: az } });
const vpc = (isolated: string[]): Fixture => ({ type: "awsx:ec2:Vpc", inputs: { subnetSpecs: [{ type: "Private" }], natGateways: { strategy: "OnePerAz" }, numberOfAvailabilityZones: 3 }, outputs: { isolatedSubnetIds: isolated } });

/** A shared document case as a graph fixture: a resource with a `ref` gets it as its id, and references to it resolve to that. */
const fromDocCase = (c: DocCase): Fixture => ({
  type: c.type,
  id: c.ref,
  arn: c.ref && `arn:aws:test:us-east-1:123456789012:${c.ref}`,
  providerInputs: c.provider,
  inputs: withRefs(c.inputs, (ref, output) => (output === "arn" ? `arn:aws:test:us-east-1:123456789012:${ref}` : ref)) as Record<string, unknown>,
});

/** One passing and one failing minimal stack per rule; prod-only rules run with `environment: prod`. */
const CASES: Record<string, { pass: Fixture[]; fail: Fixture[] }> = {
  "aurora-encrypted-cmk": { pass: [cluster()], fail: [cluster({ kmsKeyId: undefined })] },
  "performance-insights-cmk": {
    pass: [{ type: "aws:rds/clusterInstance:ClusterInstance", inputs: { performanceInsightsEnabled: true, performanceInsightsKmsKeyId: KEY } }],
    fail: [{ type: "aws:rds/clusterInstance:ClusterInstance", inputs: { performanceInsightsEnabled: true } }],
  },
  "redis-encrypted-cmk": {
    pass: [{ type: "aws:elasticache/replicationGroup:ReplicationGroup", inputs: { atRestEncryptionEnabled: true, kmsKeyId: KEY } }],
    fail: [{ type: "aws:elasticache/replicationGroup:ReplicationGroup", inputs: { atRestEncryptionEnabled: true } }],
  },
  "sqs-encrypted-cmk": { pass: [queue("q", { kmsMasterKeyId: KEY })], fail: [queue("q", { kmsMasterKeyId: "alias/aws/sqs" })] },
  "sns-encrypted-cmk": { pass: [{ type: "aws:sns/topic:Topic", inputs: { kmsMasterKeyId: KEY } }], fail: [{ type: "aws:sns/topic:Topic", inputs: {} }] },
  "log-group-encrypted-cmk": { pass: [{ type: "aws:cloudwatch/logGroup:LogGroup", inputs: { kmsKeyId: KEY } }], fail: [{ type: "aws:cloudwatch/logGroup:LogGroup", inputs: {} }] },
  "ecr-encrypted-cmk": {
    pass: [{ type: "aws:ecr/repository:Repository", inputs: { encryptionConfigurations: [{ encryptionType: "KMS", kmsKey: KEY }] } }],
    fail: [{ type: "aws:ecr/repository:Repository", inputs: { encryptionConfigurations: [{ encryptionType: "AES256" }] } }],
  },
  "secret-encrypted-cmk": { pass: [{ type: "aws:secretsmanager/secret:Secret", inputs: { kmsKeyId: KEY } }], fail: [{ type: "aws:secretsmanager/secret:Secret", inputs: {} }] },
  "backup-vault-encrypted-cmk": { pass: [{ type: "aws:backup/vault:Vault", inputs: { kmsKeyArn: KEY } }], fail: [{ type: "aws:backup/vault:Vault", inputs: {} }] },
  "firehose-encrypted-cmk": {
    pass: [{ type: "aws:kinesis/firehoseDeliveryStream:FirehoseDeliveryStream", inputs: { serverSideEncryption: { enabled: true, keyType: "CUSTOMER_MANAGED_CMK", keyArn: KEY } } }],
    fail: [{ type: "aws:kinesis/firehoseDeliveryStream:FirehoseDeliveryStream", inputs: { serverSideEncryption: { enabled: true, keyType: "AWS_OWNED_CMK" } } }],
  },
  "kms-key-rotation": { pass: [{ type: "aws:kms/key:Key", inputs: { enableKeyRotation: true } }], fail: [{ type: "aws:kms/key:Key", inputs: {} }] },
  "redis-transit-encryption": {
    pass: [{ type: "aws:elasticache/replicationGroup:ReplicationGroup", inputs: { transitEncryptionEnabled: true, transitEncryptionMode: "required" } }],
    fail: [{ type: "aws:elasticache/replicationGroup:ReplicationGroup", inputs: { transitEncryptionEnabled: true, transitEncryptionMode: "preferred" } }],
  },
  "alb-https-tls12": {
    pass: [{ type: "aws:lb/listener:Listener", inputs: { protocol: "HTTPS", sslPolicy: "ELBSecurityPolicy-TLS13-1-2-2021-06" } }],
    fail: [{ type: "aws:lb/listener:Listener", inputs: { protocol: "HTTPS", sslPolicy: "ELBSecurityPolicy-2016-08" } }],
  },
  "alb-http-redirects": {
    pass: [{ type: "aws:lb/listener:Listener", inputs: { protocol: "HTTP", defaultActions: [{ type: "redirect", redirect: { protocol: "HTTPS" } }] } }],
    fail: [{ type: "aws:lb/listener:Listener", inputs: { protocol: "HTTP", defaultActions: [{ type: "forward" }] } }],
  },
  "db-force-tls": {
    pass: [
      { type: "aws:rds/clusterParameterGroup:ClusterParameterGroup", inputs: { family: "aurora-postgresql16", parameters: [{ name: "rds.force_ssl", value: "1" }] } },
      { type: "aws:rds/parameterGroup:ParameterGroup", inputs: { family: "mysql8.0", parameters: [{ name: "require_secure_transport", value: "ON" }] } },
      { type: "aws:docdb/clusterParameterGroup:ClusterParameterGroup", inputs: { family: "docdb5.0", parameters: [{ name: "tls", value: "enabled" }] } },
    ],
    // Engines the program never runs: RDS for PostgreSQL, DocumentDB, Redshift.
    fail: [
      { type: "aws:rds/clusterParameterGroup:ClusterParameterGroup", inputs: { family: "aurora-postgresql16", parameters: [] } },
      { type: "aws:rds/parameterGroup:ParameterGroup", inputs: { family: "postgres16", parameters: [{ name: "rds.force_ssl", value: "0" }] } },
      { type: "aws:docdb/clusterParameterGroup:ClusterParameterGroup", inputs: { family: "docdb5.0", parameters: [{ name: "tls", value: "disabled" }] } },
      { type: "aws:redshift/parameterGroup:ParameterGroup", inputs: { family: "redshift-1.0", parameters: [] } },
    ],
  },
  "s3-tls-only": {
    pass: [bucket, { type: "aws:s3/bucketPolicy:BucketPolicy", inputs: { bucket: "b1", policy: doc(tlsDeny) } }],
    fail: [bucket, { type: "aws:s3/bucketPolicy:BucketPolicy", inputs: { bucket: "b1", policy: doc({ Effect: "Allow", Principal: { Service: "x" }, Action: "s3:GetObject", Resource: "*" }) } }],
  },
  "sqs-tls-only": {
    pass: [queue("q"), { type: "aws:sqs/queuePolicy:QueuePolicy", inputs: { queueUrl: "https://sqs/q", policy: doc(tlsDeny) } }],
    fail: [queue("q")],
  },
  "no-public-ingress": {
    pass: [alb, ingress({ cidrIpv4: "0.0.0.0/0", fromPort: 443, toPort: 443 })],
    fail: [alb, ingress({ cidrIpv4: "0.0.0.0/0", fromPort: 8443, toPort: 8443 })],
  },
  "no-ssh-rdp": { pass: [ingress({ cidrIpv4: "10.0.0.0/8", fromPort: 443, toPort: 443 })], fail: [ingress({ cidrIpv4: "10.0.0.0/8", ipProtocol: "-1" })] },
  "rds-version-moves-with-code": {
    pass: [{ type: "aws:rds/clusterInstance:ClusterInstance", inputs: { engineVersion: "16.6", autoMinorVersionUpgrade: false } }],
    fail: [{ type: "aws:rds/clusterInstance:ClusterInstance", inputs: { engineVersion: "16.6" } }],
  },
  "db-not-public": {
    pass: [{ type: "aws:rds/clusterInstance:ClusterInstance", inputs: { publiclyAccessible: false } }],
    fail: [{ type: "aws:rds/clusterInstance:ClusterInstance", inputs: { publiclyAccessible: true } }],
  },
  "data-in-isolated-subnets": {
    pass: [vpc(["subnet-iso"]), { type: "aws:rds/subnetGroup:SubnetGroup", inputs: { subnetIds: ["subnet-iso"] } }],
    fail: [vpc(["subnet-iso"]), { type: "aws:elasticache/subnetGroup:SubnetGroup", inputs: { subnetIds: ["subnet-iso", "subnet-private"] } }],
  },
  "s3-public-access-blocked": {
    pass: [bucket, { type: "aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock", inputs: { bucket: "b1", blockPublicAcls: true, blockPublicPolicy: true, ignorePublicAcls: true, restrictPublicBuckets: true } }],
    fail: [bucket, { type: "aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock", inputs: { bucket: "b1", blockPublicAcls: true, blockPublicPolicy: false, ignorePublicAcls: true, restrictPublicBuckets: true } }],
  },
  "ecs-no-public-ip": {
    pass: [service({ networkConfiguration: { assignPublicIp: false } })],
    fail: [{ type: "aws:scheduler/schedule:Schedule", inputs: { target: { ecsParameters: { networkConfiguration: { assignPublicIp: true } } } } }],
  },
  "no-wildcard-principal": {
    pass: [{ type: "aws:sqs/queuePolicy:QueuePolicy", inputs: { policy: doc(tlsDeny, { Effect: "Allow", Principal: { Service: "events.amazonaws.com" }, Action: "sqs:SendMessage", Resource: "*" }) } }],
    fail: [{ type: "aws:s3/bucketPolicy:BucketPolicy", inputs: { policy: doc({ Sid: "Public", Effect: "Allow", Principal: { AWS: "*" }, Action: "s3:GetObject", Resource: "*" }) } }],
  },
  "no-star-star": {
    pass: [{ type: "aws:iam/rolePolicy:RolePolicy", inputs: { policy: doc({ Effect: "Allow", Action: "ecs:ListClusters", Resource: "*" }) } }],
    fail: [{ type: "aws:iam/role:Role", inputs: { inlinePolicies: [{ name: "all", policy: doc({ Effect: "Allow", Action: "*", Resource: "*" }) }] } }],
  },
  "no-admin-attached": {
    pass: [{ type: "aws:iam/rolePolicyAttachment:RolePolicyAttachment", inputs: { policyArn: "arn:aws:iam::aws:policy/ReadOnlyAccess" } }],
    // A user, a type the program never creates.
    fail: [{ type: "aws:iam/userPolicyAttachment:UserPolicyAttachment", inputs: { policyArn: "arn:aws:iam::aws:policy/AdministratorAccess" } }],
  },
  "no-service-wildcard-on-star": {
    pass: [{ type: "aws:iam/policy:Policy", inputs: { policy: doc({ Effect: "Allow", Action: "s3:GetObject", Resource: "*" }, { Effect: "Allow", Action: "s3:*", Resource: "arn:aws:s3:::b/*" }) } }],
    fail: [{ type: "aws:iam/groupPolicy:GroupPolicy", inputs: { policy: doc({ Effect: "Allow", Action: ["s3:*"], Resource: "*" }) } }],
  },
  "s3-access-logging": {
    pass: [
      { type: "aws:s3/bucket:Bucket", id: "data", inputs: {} },
      { type: "aws:s3/bucket:Bucket", id: "logs", inputs: {} },
      { type: "aws:s3/bucketLogging:BucketLogging", inputs: { bucket: "data", targetBucket: "logs" } },
    ],
    fail: [{ type: "aws:s3/bucket:Bucket", id: "data", inputs: {} }, { type: "aws:s3/bucket:Bucket", id: "logs", inputs: {} }, { type: "aws:s3/bucketLogging:BucketLogging", inputs: { bucket: "other", targetBucket: "logs" } }],
  },
  "cdn-access-logs": {
    pass: [
      { type: "aws:cloudfront/distribution:Distribution", arn: "arn:aws:cloudfront::1:distribution/E1", inputs: {} },
      { type: "aws:cloudwatch/logDeliverySource:LogDeliverySource", inputs: { logType: "ACCESS_LOGS", resourceArn: "arn:aws:cloudfront::1:distribution/E1" } },
      { type: "aws:cloudfront/distribution:Distribution", arn: "arn:aws:cloudfront::1:distribution/E2", inputs: { loggingConfig: { bucket: "logs.s3.amazonaws.com" } } },
    ],
    fail: [
      { type: "aws:cloudfront/distribution:Distribution", arn: "arn:aws:cloudfront::1:distribution/E1", inputs: {} },
      { type: "aws:cloudwatch/logDeliverySource:LogDeliverySource", inputs: { logType: "ACCESS_LOGS", resourceArn: "arn:aws:cloudfront::1:distribution/E9" } },
    ],
  },
  "vpc-flow-logs": {
    pass: [{ type: "aws:ec2/vpc:Vpc", id: "vpc-1", inputs: {} }, { type: "aws:ec2/flowLog:FlowLog", inputs: { vpcId: "vpc-1" } }],
    fail: [{ type: "aws:ec2/vpc:Vpc", id: "vpc-1", inputs: {} }, { type: "aws:ec2/flowLog:FlowLog", inputs: { vpcId: "vpc-2" } }],
  },
  // The data-driven rules: a compliant resource per type, and per row one that breaks that row.
  ...Object.fromEntries(Object.values(SETTINGS_RULES).map((rule) => [rule.name, rowFixtures(rowsOf(rule))])),
  // Rules that read documents and companion resources (also run as a program: tests/policy-documents.test.ts).
  ...Object.fromEntries(Object.entries({ ...DOCUMENT_CASES, ...DATA_MESSAGING_CASES }).map(([name, c]) => [name, { pass: c.pass.map(fromDocCase), fail: c.fail.map(fromDocCase) }])),
  // The compute and network rules (also run as a program: tests/policy-compute-network.test.ts).
  ...Object.fromEntries(Object.entries(COMPUTE_NETWORK_CASES).map(([name, c]) => [name, { pass: c.pass.map(fromDocCase), fail: c.fail.map(fromDocCase) }])),
  // Rules over services' own documents and settings lists (also run as a program: tests/policy-service-documents.test.ts).
  ...Object.fromEntries(Object.entries(SERVICE_CASES).map(([name, c]) => [name, { pass: c.pass.map(fromDocCase), fail: c.fail.map(fromDocCase) }])),
  "oidc-trust-pinned": {
    pass: [{ type: "aws:iam/role:Role", inputs: { assumeRolePolicy: oidc("repo:example/platform:ref:refs/heads/main") } }],
    fail: [{ type: "aws:iam/role:Role", inputs: { assumeRolePolicy: oidc("repo:example/*") } }],
  },
  "prod-aurora-multi-az": { pass: [cluster(), instance("us-east-1a"), instance("us-east-1b")], fail: [cluster(), instance("us-east-1a"), instance("us-east-1a")] },
  "prod-aurora-deletion-protection": { pass: [cluster()], fail: [cluster({ deletionProtection: false })] },
  "prod-aurora-backup-retention": { pass: [cluster()], fail: [cluster({ backupRetentionPeriod: 7 })] },
  "prod-aurora-global-secondary": {
    pass: [{ type: "aws:rds/globalCluster:GlobalCluster", id: "g", inputs: {} }, cluster({ globalClusterIdentifier: "g" }), cluster({ globalClusterIdentifier: "g" }, "us-west-2")],
    fail: [{ type: "aws:rds/globalCluster:GlobalCluster", id: "g", inputs: {} }, cluster({ globalClusterIdentifier: "g" })],
  },
  "prod-redis-failover": {
    pass: [{ type: "aws:elasticache/replicationGroup:ReplicationGroup", inputs: { automaticFailoverEnabled: true, multiAzEnabled: true, numCacheClusters: 3 } }],
    fail: [{ type: "aws:elasticache/replicationGroup:ReplicationGroup", inputs: { automaticFailoverEnabled: false, multiAzEnabled: false, numCacheClusters: 1 } }],
  },
  "prod-ecs-min-tasks": {
    pass: [service({}), service({ loadBalancers: [], desiredCount: 0 }), service({ desiredCount: 1, tags: { "region-serving": "standby" } })],
    fail: [service({ desiredCount: 1 }), service({ desiredCount: 1, tags: { "region-serving": "active" } })],
  },
  "prod-nat-per-az": { pass: [vpc([])], fail: [{ ...vpc([]), inputs: { subnetSpecs: [{ type: "Private" }], natGateways: { strategy: "Single" } } }] },
  "prod-standby-region": {
    pass: [service({}), { ...service({ desiredCount: 1 }), region: "us-west-2" }],
    fail: [service({}), { ...service({ name: "auth" }), region: "us-west-2" }],
  },
  "prod-media-replication": {
    pass: [
      { type: "aws:cloudfront/distribution:Distribution", inputs: { originGroups: [{ members: [{ originId: "a" }, { originId: "b" }] }] } },
      {
        type: "aws:s3/bucketReplicationConfig:BucketReplicationConfig",
        inputs: { rules: [{ status: "Enabled", deleteMarkerReplication: { status: "Enabled" }, destination: { encryptionConfiguration: { replicaKmsKeyId: KEY } } }] },
      },
    ],
    fail: [{ type: "aws:cloudfront/distribution:Distribution", inputs: { originGroups: [] } }],
  },
  "prod-alb-edge-only": {
    pass: [alb, ingress({ prefixListId: "pl-edge", fromPort: 443, toPort: 443 })],
    fail: [alb, ingress({ cidrIpv4: "10.0.0.0/8", fromPort: 443, toPort: 443 })],
  },
  "prod-protect-stateful": { pass: [{ ...bucket, protect: true }], fail: [bucket] },
  "aurora-secondary-other-region": {
    pass: [{ type: "aws:rds/globalCluster:GlobalCluster", id: "g", inputs: {} }, cluster({ globalClusterIdentifier: "g" }), cluster({ globalClusterIdentifier: "g" }, "us-west-2")],
    fail: [{ type: "aws:rds/globalCluster:GlobalCluster", id: "g", inputs: {} }, cluster({ globalClusterIdentifier: "g" }), cluster({ globalClusterIdentifier: "g" }, "us-east-1")],
  },
  "log-group-retention": { pass: [{ type: "aws:cloudwatch/logGroup:LogGroup", inputs: { retentionInDays: 30 } }], fail: [{ type: "aws:cloudwatch/logGroup:LogGroup", inputs: {} }] },
  "sqs-has-dlq": {
    pass: [queue("work", { redrivePolicy: JSON.stringify({ deadLetterTargetArn: "arn:aws:sqs:us-east-1:1:dead" }) }), queue("dead")],
    fail: [queue("work")],
  },
  "ecr-immutable-scanned": {
    pass: [{ type: "aws:ecr/repository:Repository", inputs: { imageTagMutability: "IMMUTABLE", imageScanningConfiguration: { scanOnPush: true } } }],
    fail: [{ type: "aws:ecr/repository:Repository", inputs: { imageTagMutability: "MUTABLE", imageScanningConfiguration: { scanOnPush: true } } }],
  },
  "ecs-safe-deployments": {
    pass: [service({ deploymentConfiguration: undefined, deploymentCircuitBreaker: { enable: true, rollback: true } })],
    fail: [service({ deploymentConfiguration: { strategy: "ROLLING" }, deploymentCircuitBreaker: { enable: true, rollback: false } })],
  },
  "required-tags": {
    pass: [{ type: "aws:sns/topic:Topic", inputs: {} }],
    fail: [{ type: "aws:sns/topic:Topic", inputs: { tags: { env: "dev" } }, untagged: true }],
  },
  "lambda-runtime-supported": { pass: [{ type: "aws:lambda/function:Function", inputs: { runtime: "nodejs22.x" } }], fail: [{ type: "aws:lambda/function:Function", inputs: { runtime: "nodejs16.x" } }] },
  "public-services-monitored": {
    pass: [service({}), monitor("avg(last_15m):avg:aws.ecs.service.cpuutilization{clustername:c,servicename:api} > 90")],
    fail: [service({}), monitor("avg(last_15m):avg:aws.ecs.service.cpuutilization{clustername:c,servicename:web} > 90")],
  },
  "cost-within-budget": {
    // A key is $1 a month: within a $100 budget, over a $0.50 one.
    pass: [{ type: "aws:budgets/budget:Budget", inputs: { budgetType: "COST", limitAmount: "100.00" } }, { type: "aws:kms/key:Key", inputs: {} }],
    fail: [{ type: "aws:budgets/budget:Budget", inputs: { budgetType: "COST", limitAmount: "0.50" } }, { type: "aws:kms/key:Key", inputs: {} }],
  },
  "dlq-monitored": {
    pass: [queue("jobs-dlq"), monitor("max(last_5m):max:aws.sqs.approximate_number_of_messages_visible{queuename:jobs-dlq} > 0")],
    fail: [queue("jobs-dlq"), monitor("max(last_5m):max:aws.sqs.approximate_number_of_messages_visible{queuename:jobs-dlq} > 10")],
  },
};

describe("Policy pack", () => {
  it("has at least 30 rules, each with a unique stable name, a one-line description and mandatory enforcement", () => {
    assert.ok(policies.length >= 30, `${policies.length} rules`);
    assert.equal(new Set(policies.map((p) => p.name)).size, policies.length);
    for (const p of policies) {
      assert.match(p.name, /^[a-z0-9]+(-[a-z0-9]+)*$/);
      assert.ok(p.description.length > 10 && !p.description.includes("\n"), p.name);
      assert.equal(p.enforcementLevel, "mandatory", p.name);
    }
  });

  it("has a passing and a failing case for every rule", () => {
    assert.deepEqual(policies.map((p) => p.name).filter((n) => !CASES[n]), []);
    assert.deepEqual(Object.keys(CASES).filter((n) => !policies.some((p) => p.name === n)), []);
  });

  for (const rule of policies) {
    const prod = rule.name.startsWith("prod-");
    const config = prod ? { [rule.name]: { environment: "prod" } } : {};
    describe(rule.name, () => {
      it("passes its compliant case", async () => {
        const report = await runPolicies(graphOf(CASES[rule.name].pass), config, [rule]);
        assert.deepEqual(report.violations, []);
      });
      it("fails its violating case", async () => {
        const report = await runPolicies(graphOf(CASES[rule.name].fail), config, [rule]);
        assert.ok(report.violations.length > 0 && report.violations.every((v) => v.policy === rule.name && v.enforcementLevel === "mandatory"), JSON.stringify(report));
        assert.ok(report.violations.every((v) => v.urn?.startsWith("urn:pulumi:t::p::")), "each violation names its resource");
        // The runner calls a rule that names its types for those only; the engine, for every resource.
        const everyResource = await runPolicies(graphOf(CASES[rule.name].fail), config, [{ ...rule, types: undefined } as typeof rule]);
        assert.deepEqual(report.violations, everyResource.violations, "its types skip only resources it finds nothing in");
      });
      if (prod) {
        it("does not apply outside prod (pack config environment)", async () => {
          assert.deepEqual((await runPolicies(graphOf(CASES[rule.name].fail), {}, [rule])).violations, []);
        });
      }
    });
  }

  it("honours pack config: a disabled rule does not run, an advisory one does not count as mandatory", async () => {
    const rule = policies.find((p) => p.name === "kms-key-rotation")!;
    const bad = graphOf(CASES["kms-key-rotation"].fail);
    assert.equal((await runPolicies(bad, { "kms-key-rotation": "disabled" }, [rule])).rules, 0);
    const advisory = await runPolicies(bad, { "kms-key-rotation": { enforcementLevel: "advisory" } }, [rule]);
    assert.deepEqual([advisory.violations.length, advisory.mandatory], [1, 0]);
  });

  for (const name of ["dev", "prod"] as StackName[]) {
    it(`passes the ${name} stack with zero violations (pack config policy/config/${name}.json)`, async () => {
      const q = await stack(name);
      const report = await runPolicies(q.graph, packConfigFor(PROJECT, name));
      assert.deepEqual(report.violations, []);
      assert.equal(report.rules, policies.length);
    });
  }

  it("runs prod-only rules against prod: the dev stack would fail them", async () => {
    const q = await stack("dev");
    const report = await runPolicies(q.graph, packConfigFor(PROJECT, "prod"));
    const failed = new Set(report.violations.map((v) => v.policy));
    for (const rule of ["prod-nat-per-az", "prod-protect-stateful", "prod-aurora-global-secondary", "prod-redis-failover", "prod-standby-region", "prod-media-replication"]) assert.ok(failed.has(rule), rule);
  });

  it("tests the pack with the @pulumi/policy the engine loads (the pack's own locked version)", () => {
    const lock = JSON.parse(fs.readFileSync(path.join(PROJECT, "policy", "package-lock.json"), "utf8"));
    const root = JSON.parse(fs.readFileSync(path.join(PROJECT, "package.json"), "utf8"));
    assert.equal(root.devDependencies["@pulumi/policy"], lock.packages["node_modules/@pulumi/policy"].version);
  });

  // Both start when this file loads (tests/early.ts): each copies the program and runs a command on it.
  const typecheckRun = early(async () => {
    const copy = programCopy({ "policy/rules/observability.ts": (t) => t + "\nexport const broken: number = \"not a number\";\n" });
    fs.symlinkSync(path.join(PROJECT, "policy", "node_modules"), path.join(copy.dir, "policy", "node_modules"));
    try {
      const tsc = require.resolve("typescript/bin/tsc");
      return await promisify(execFile)(process.execPath, [tsc, "-p", path.join(copy.dir, "policy", "tsconfig.json"), "--noEmit"]).then(
        () => ({ code: 0, out: "" }),
        (e: { code: number; stdout: string }) => ({ code: e.code, out: e.stdout }),
      );
    } finally {
      copy.remove();
    }
  });
  it("npm run typecheck type-checks the pack against its own node_modules, and fails on a type error there", async function () {
    this.timeout(120000);
    const result = await typecheckRun;
    assert.notEqual(result.code, 0);
    assert.match(result.out, /policy\/rules\/observability\.ts.*Type 'string' is not assignable to type 'number'/);
    const scripts = JSON.parse(fs.readFileSync(path.join(PROJECT, "package.json"), "utf8")).scripts;
    assert.match(scripts.typecheck, /tsc -p policy\/tsconfig\.json --noEmit/);
  });

  const badChangeRun = early(async () => {
    // A copy of the program with one bad change: SSH open to the internet on the app security group.
    const copy = programCopy({
      "index.ts": (t) =>
        t + `\nnew aws.vpc.SecurityGroupIngressRule("debug-ssh", { securityGroupId: network.securityGroupIds.app!, cidrIpv4: "0.0.0.0/0", ipProtocol: "tcp", fromPort: 22, toPort: 22, description: "debugging" }, { provider: primary });\n`,
    });
    try {
      const json = path.join(copy.dir, "plan.json");
      const run = await planCopy(copy.dir, ["--stack", "dev", "--json", json]);
      return { ...run, written: fs.existsSync(json) ? JSON.parse(fs.readFileSync(json, "utf8")) : undefined };
    } finally {
      copy.remove();
    }
  });
  it("catches a bad change end to end: `npm run plan` exits 4 and reports it, in text and JSON", async function () {
    this.timeout(120000);
    const failure = await badChangeRun;
    assert.equal(failure.code, 4, failure.stderr);
    assert.match(failure.stdout, /✗ \[mandatory\] no-public-ingress {2}aws:vpc\/securityGroupIngressRule:SecurityGroupIngressRule debug-ssh/);
    assert.match(failure.stdout, /✗ \[mandatory\] no-ssh-rdp/);
    const report = failure.written.policy;
    assert.deepEqual([...new Set(report.violations.map((v: { policy: string }) => v.policy))].sort(), ["no-public-ingress", "no-ssh-rdp"]);
  });
});
