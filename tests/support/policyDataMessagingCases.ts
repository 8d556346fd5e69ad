/**
 * Passing and failing cases of the data, messaging and secrets rules (policy/rules/dataMessaging.ts),
 * shared by tests/policy.test.ts (a hand-built graph) and tests/policy-data-messaging.test.ts (a
 * Pulumi program through the plan harness). Same shape as policyDocumentCases.ts.
 */
import { DocCase, Ref } from "./policyDocumentCases";

const of = (ref: string, output?: string) => ({ $ref: ref, ...(output ? { output } : {}) }) as Ref;
const doc = (...statements: Record<string, unknown>[]) => JSON.stringify({ Version: "2012-10-17", Statement: statements });
const publish = { Sid: "AlarmsPublish", Effect: "Allow", Principal: { Service: "cloudwatch.amazonaws.com" }, Action: "sns:Publish", Resource: "*" };
const denyPlain = (Action: string | string[]) => ({ Effect: "Deny", Principal: "*", Action, Resource: "*", Condition: { Bool: { "aws:SecureTransport": "false" } } });
const topic = (ref: string, inputs: Record<string, unknown> = {}): DocCase => ({ type: "aws:sns/topic:Topic", ref, inputs });
const topicPolicy = (ref: string, ...statements: Record<string, unknown>[]): DocCase => ({ type: "aws:sns/topicPolicy:TopicPolicy", inputs: { arn: of(ref, "arn"), policy: doc(...statements) } });
/**
 * Statements naming a topic by its ARN, as the program's do: the plan's mocks give the TopicPolicy an ARN
 * of its own, so the rule also knows a topic's policy by the statements' Resource (a named topic's mock ARN).
 */
const naming = (name: string, ...statements: Record<string, unknown>[]) => statements.map((s) => ({ ...s, Resource: `arn:aws:sns:us-east-1:123456789012:${name}` }));
const subscription = (ref: string, protocol: string): DocCase => ({ type: "aws:sns/topicSubscription:TopicSubscription", inputs: { topic: of(ref, "arn"), protocol, endpoint: "https://example.com/page" } });
const ROLE = "arn:aws:iam::123456789012:role/sns-delivery-status";
const lifecycle = (rule: Record<string, unknown>): DocCase => ({
  type: "aws:s3/bucketLifecycleConfiguration:BucketLifecycleConfiguration",
  inputs: { bucket: "b", rules: [{ id: "housekeeping", status: "Enabled", noncurrentVersionExpiration: { noncurrentDays: 30 }, ...rule }] },
});
const abort = { abortIncompleteMultipartUpload: { daysAfterInitiation: 7 } };
const domain = (securityGroupIds: unknown[]): DocCase => ({ type: "aws:opensearch/domain:Domain", inputs: { vpcOptions: { subnetIds: ["subnet-1"], securityGroupIds } } });
const flink = (checkpointConfiguration?: Record<string, unknown>, runtimeEnvironment = "FLINK-1_20"): DocCase => ({
  type: "aws:kinesisanalyticsv2/application:Application",
  inputs: { runtimeEnvironment, serviceExecutionRole: ROLE, applicationConfiguration: checkpointConfiguration ? { flinkApplicationConfiguration: { checkpointConfiguration } } : undefined },
});
const secret = (ref: string, tags?: Record<string, string>): DocCase => ({ type: "aws:secretsmanager/secret:Secret", ref, inputs: { kmsKeyId: "arn:aws:kms:us-east-1:123456789012:key/1", tags } });
const rotation = (ref: string, extra: Record<string, unknown> = {}): DocCase => ({
  type: "aws:secretsmanager/secretRotation:SecretRotation",
  inputs: { secretId: of(ref, "arn"), rotationLambdaArn: "arn:aws:lambda:us-east-1:123456789012:function:rotate", rotationRules: { automaticallyAfterDays: 30 }, ...extra },
});
const neptune = (ref: string, extra: Record<string, unknown> = {}): DocCase => ({ type: "aws:neptune/cluster:Cluster", ref, inputs: { neptuneSubnetGroupName: "isolated", ...extra } });
const neptuneInstance = (ref: string, availabilityZone?: string): DocCase => ({ type: "aws:neptune/clusterInstance:ClusterInstance", inputs: { clusterIdentifier: of(ref), instanceClass: "db.r6g.large", availabilityZone } });

/** `refused`: which failing resources the rule must report (by index; every one when absent). */
export const DATA_MESSAGING_CASES: Record<string, { pass: DocCase[]; fail: DocCase[]; refused?: number[] }> = {
  "sns-tls-only": {
    pass: [
      topic("t1", { name: "tls-pass-1" }),
      topicPolicy("t1", ...naming("tls-pass-1", publish, denyPlain(["sns:Publish", "sns:Subscribe"]))),
      topic("t2", { policy: doc(publish, denyPlain("sns:*")) }),
    ],
    fail: [
      // A policy that allows the publisher but denies nothing, one that denies only subscribing, one whose deny names one principal.
      topic("t1", { name: "tls-fail-1" }),
      topicPolicy("t1", ...naming("tls-fail-1", publish)),
      topic("t2", { name: "tls-fail-2" }),
      topicPolicy("t2", ...naming("tls-fail-2", publish, denyPlain("sns:Subscribe"))),
      topic("t3", { policy: doc(publish, { ...denyPlain("sns:Publish"), Principal: { AWS: "arn:aws:iam::123456789012:root" } }) }),
    ],
    refused: [0, 2, 4],
  },
  "sns-delivery-status-logging": {
    pass: [
      topic("t1", { httpFailureFeedbackRoleArn: ROLE, httpSuccessFeedbackRoleArn: ROLE, httpSuccessFeedbackSampleRate: 100 }),
      subscription("t1", "https"),
      topic("t2", { sqsFailureFeedbackRoleArn: ROLE }),
      topic("t3", { lambdaFailureFeedbackRoleArn: ROLE }),
      subscription("t3", "lambda"),
      subscription("t3", "email"),
    ],
    fail: [
      // Logs Lambda deliveries but delivers over HTTPS; logs nothing at all; logs only successes.
      topic("t1", { lambdaFailureFeedbackRoleArn: ROLE }),
      subscription("t1", "https"),
      topic("t2"),
      topic("t3", { sqsSuccessFeedbackRoleArn: ROLE, sqsSuccessFeedbackSampleRate: 100 }),
      subscription("t3", "sqs"),
    ],
    refused: [0, 2, 3],
  },
  "s3-abort-incomplete-uploads": {
    pass: [lifecycle({ ...abort, filter: {} }), lifecycle({ ...abort, filter: { prefix: "" } })],
    fail: [
      lifecycle({ filter: {} }),
      lifecycle({ ...abort, filter: { prefix: "logs/" } }),
      lifecycle({ ...abort, filter: { and: { objectSizeGreaterThan: 1024 } } }),
      lifecycle({ ...abort, filter: {}, status: "Disabled" }),
    ],
  },
  "search-domain-default-sg": {
    pass: [{ type: "aws:ec2/defaultSecurityGroup:DefaultSecurityGroup", ref: "default-sg", inputs: { vpcId: "vpc-1" } }, domain(["sg-search"])],
    fail: [{ type: "aws:ec2/defaultSecurityGroup:DefaultSecurityGroup", ref: "default-sg", inputs: { vpcId: "vpc-1" } }, domain(["sg-search", of("default-sg")])],
    refused: [1],
  },
  "flink-checkpointing": {
    pass: [
      flink({ configurationType: "DEFAULT" }),
      flink({ configurationType: "CUSTOM", checkpointingEnabled: true, checkpointInterval: 60000 }),
      // A SQL (Studio) application has no Flink checkpoint configuration to set.
      flink(undefined, "ZEPPELIN-FLINK-3_0"),
    ],
    fail: [flink(), flink({ configurationType: "CUSTOM", checkpointingEnabled: false }), flink({ configurationType: "CUSTOM" })],
  },
  "secret-rotation": {
    pass: [
      secret("rotated"),
      rotation("rotated"),
      secret("exempt", { "rotated-by": "deployment: bump keepers.generation in components/data/cache.ts - docs/runbooks/rotate-secrets.md" }),
      secret("by-hand", { "rotated-by": "operator: put-secret-value when the vendor issues a new key - docs/runbooks/rotate-secrets.md" }),
    ],
    fail: [
      // No rotation; a rotation switched off; a schedule without a rotator; an empty exemption; one that names
      // nobody and no runbook; one without a runbook; one whose runbook is outside docs/runbooks/.
      secret("bare"),
      secret("off"),
      rotation("off", { rotationEnabled: false, rotationRules: undefined }),
      secret("no-rotator"),
      rotation("no-rotator", { rotationLambdaArn: undefined }),
      secret("blank", { "rotated-by": " " }),
      secret("vague", { "rotated-by": "someone rotates it" }),
      secret("no-runbook", { "rotated-by": "deployment: redeploy" }),
      secret("elsewhere", { "rotated-by": "operator: see the wiki - wiki/rotate.md" }),
    ],
    refused: [0, 1, 3, 5, 6, 7, 8],
  },
  "prod-neptune-multi-az": {
    pass: [neptune("n1"), neptuneInstance("n1", "us-east-1a"), neptuneInstance("n1", "us-east-1b"), neptune("n2", { availabilityZones: ["us-east-1a", "us-east-1b"] }), neptuneInstance("n2", "us-east-1a"), neptuneInstance("n2", "us-east-1c")],
    fail: [
      // One AZ twice; no subnet group; availabilityZones of one.
      neptune("n1"),
      neptuneInstance("n1", "us-east-1a"),
      neptuneInstance("n1", "us-east-1a"),
      neptune("n2", { neptuneSubnetGroupName: undefined }),
      neptuneInstance("n2", "us-east-1a"),
      neptuneInstance("n2", "us-east-1b"),
      neptune("n3", { availabilityZones: ["us-east-1a"] }),
      neptuneInstance("n3", "us-east-1a"),
      neptuneInstance("n3", "us-east-1b"),
    ],
    refused: [0, 3, 6],
  },
};
