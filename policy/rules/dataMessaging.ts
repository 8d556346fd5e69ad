import { PolicyResource } from "@pulumi/policy";
import { Props, Rule, idsOf, isWildcardPrincipal, ofType, prodOnly, resourceRule, stackRule, statements } from "./lib";

/**
 * Tag on a secret that no rotation schedule rotates, its value saying how it is rotated instead
 * (components/lib/rotation.ts rotatedBy() puts it on the platform's secrets; docs/runbooks/rotate-secrets.md).
 */
export const ROTATED_BY_TAG = "rotated-by";
/**
 * What a `rotated-by` value says: who rotates (`deployment`, a redeploy replaces the value; `operator`,
 * a person follows the runbook), how, and the runbook under docs/runbooks/ that says so, e.g.
 * `deployment: replace the auth RandomPassword - docs/runbooks/rotate-secrets.md`. That the runbook
 * exists is checked by tests/policy-data-messaging.test.ts (the pack cannot read the repository).
 */
export const ROTATED_BY_VALUE = /^(deployment|operator): \S.*\S - (docs\/runbooks\/[\w.-]+\.md)$/;
/** The runbook a `rotated-by` value names, or undefined when the value is not of ROTATED_BY_VALUE's form. */
export const rotationRunbook = (value: unknown): string | undefined => (typeof value === "string" ? ROTATED_BY_VALUE.exec(value)?.[2] : undefined);

const TOPIC = "aws:sns/topic:Topic";
const SECRET = "aws:secretsmanager/secret:Secret";
const SEARCH_DOMAINS = ["aws:opensearch/domain:Domain", "aws:elasticsearch/domain:Domain"];
const tagsOf = (r: PolicyResource) => (r.props.tags as Record<string, unknown> | undefined) ?? {};

/** A statement that denies sns:Publish to everyone over plain HTTP (cdk-nag's SNSTopicSSLPublishOnly reads the same). */
const deniesPlainPublish = (doc: unknown) =>
  statements(doc).some(
    (s) =>
      s.Effect === "Deny" &&
      isWildcardPrincipal(s.Principal) &&
      s.Action.some((a) => ["sns:publish", "sns:*", "*"].includes(a.toLowerCase())) &&
      s.Condition?.Bool?.["aws:SecureTransport"]?.includes("false"),
  );

/**
 * Subscription protocol → the topic inputs that log its delivery status. SNS logs delivery status
 * for these five only (https://docs.aws.amazon.com/sns/latest/dg/sns-topic-attributes.html, read
 * 2026-12-01); email and SMS deliveries have none.
 */
const FEEDBACK: Record<string, string> = { http: "http", https: "http", sqs: "sqs", lambda: "lambda", firehose: "firehose", application: "application" };

/** A Lambda-rotated (or externally rotated) schedule that is on: cdk-nag's isMatchingRotationSchedule. */
const rotates = (r: PolicyResource) => {
  const rules = r.props.rotationRules as Props | undefined;
  const schedule = rules?.automaticallyAfterDays !== undefined || rules?.scheduleExpression !== undefined;
  const rotator = r.props.rotationLambdaArn !== undefined || r.props.externalSecretRotationRoleArn !== undefined;
  return r.props.rotationEnabled !== false && schedule && rotator;
};

/** Data stores, queues and topics, secrets: the second round's document and relation rules (peer lists of 2026-12-01). */
export const dataMessagingRules: Rule[] = [
  // cdk-nag SNS3 (src/rules/sns/SNSTopicSSLPublishOnly.ts): a topic policy denies sns:Publish to "*" when
  // aws:SecureTransport is false. cdk-nag lets a KMS-encrypted topic pass; encryption at rest does not
  // stop a publisher sending over plain HTTP, so this rule asks it of every topic.
  stackRule("sns-tls-only", "Every SNS topic has a policy that denies publishing without TLS.", (resources, report) => {
    const policies = ofType(resources, "aws:sns/topicPolicy:TopicPolicy");
    for (const t of ofType(resources, TOPIC)) {
      const own = deniesPlainPublish(t.props.policy);
      // A TopicPolicy's `arn` input is its topic's ARN (sns/topicPolicy.d.ts).
      const attached = (p: PolicyResource) => idsOf(t).includes(p.props.arn);
      if (!own && !policies.some((p) => attached(p) && deniesPlainPublish(p.props.policy))) {
        report(`topic ${t.name} has no policy (its own or an aws.sns.TopicPolicy) denying sns:Publish to "*" when aws:SecureTransport is false`, t.urn);
      }
    }
  }),
  // FSBP SNS.2 (AWS Config sns-topic-message-delivery-notification-enabled: a failure-feedback role is set).
  // Stricter where the stack says where the topic delivers: each loggable protocol its subscriptions use.
  stackRule("sns-delivery-status-logging", "SNS topics log failed deliveries for every protocol they deliver to.", (resources, report) => {
    const subscriptions = ofType(resources, "aws:sns/topicSubscription:TopicSubscription");
    for (const t of ofType(resources, TOPIC)) {
      const used = new Set(subscriptions.filter((s) => idsOf(t).includes(s.props.topic)).map((s) => FEEDBACK[String(s.props.protocol)]).filter(Boolean));
      const logged = new Set(Object.values(FEEDBACK).filter((p) => t.props[`${p}FailureFeedbackRoleArn`] !== undefined));
      if (used.size === 0 && logged.size === 0) report(`topic ${t.name} logs no delivery status: set the *FailureFeedbackRoleArn of the protocol it delivers to (httpFailureFeedbackRoleArn, sqsFailureFeedbackRoleArn, ...)`, t.urn);
      for (const p of [...used].filter((x) => !logged.has(x))) report(`topic ${t.name} delivers over ${p} but ${p}FailureFeedbackRoleArn is not set: failed deliveries would leave no log`, t.urn);
    }
  }),
  // checkov CKV_AWS_300 (S3AbortIncompleteUploads.py): an enabled rule with abort_incomplete_multipart_upload
  // whose filter is empty (the whole bucket); a filtered rule does not count.
  resourceRule(
    "s3-abort-incomplete-uploads",
    "S3 lifecycle configurations abort incomplete multipart uploads for the whole bucket.",
    ["aws:s3/bucketLifecycleConfiguration:BucketLifecycleConfiguration", "aws:s3/bucketLifecycleConfigurationV2:BucketLifecycleConfigurationV2"],
    (p) => {
      const narrows = (f: Props | undefined) => {
        const inner = { ...(f ?? {}), ...((f?.and as Props | undefined) ?? {}) };
        return ["prefix", "objectSizeGreaterThan", "objectSizeLessThan", "tag", "tags"].some((k) => inner[k] !== undefined && inner[k] !== "" && inner[k] !== 0);
      };
      const rules = (p.rules as Props[] | undefined) ?? [];
      const whole = rules.some((r) => r.status === "Enabled" && (r.abortIncompleteMultipartUpload as Props | undefined)?.daysAfterInitiation !== undefined && !narrows(r.filter as Props | undefined) && !r.prefix);
      return whole ? undefined : "no enabled rule with an empty filter sets abortIncompleteMultipartUpload.daysAfterInitiation: parts of failed uploads are kept, and paid for, forever";
    },
  ),
  // checkov CKV_AWS_248 (ElasticsearchDefaultSG.py) refuses a domain without security groups (exposure-settings);
  // this refuses one that names its VPC's default group.
  stackRule("search-domain-default-sg", "Search domains do not use a VPC's default security group.", (resources, report) => {
    const defaults = new Set([
      ...ofType(resources, "aws:ec2/vpc:Vpc").map((v) => v.props.defaultSecurityGroupId),
      // awsx's Vpc outputs its aws.ec2.Vpc as `vpc`, default group included (known after creation).
      ...ofType(resources, "awsx:ec2:Vpc").map((v) => (v.props.vpc as Props | undefined)?.defaultSecurityGroupId),
      ...ofType(resources, "aws:ec2/defaultSecurityGroup:DefaultSecurityGroup").map((g) => g.props.id),
    ].filter((v) => v !== undefined));
    if (defaults.size === 0) return;
    for (const d of resources.filter((r) => SEARCH_DOMAINS.includes(r.type))) {
      const groups = ((d.props.vpcOptions as Props | undefined)?.securityGroupIds as unknown[] | undefined) ?? [];
      if (groups.some((g) => defaults.has(g))) report(`domain ${d.name}: vpcOptions.securityGroupIds names the VPC's default security group; give the domain a group of its own`, d.urn);
    }
  }),
  // cdk-nag KDA3 (KinesisDataAnalyticsFlinkCheckpointing.ts): a Flink application has a checkpoint configuration,
  // and a CUSTOM one enables checkpointing (DEFAULT has it on).
  resourceRule("flink-checkpointing", "Managed Flink applications checkpoint their state.", ["aws:kinesisanalyticsv2/application:Application"], (p) => {
    if (!String(p.runtimeEnvironment ?? "").toUpperCase().startsWith("FLINK")) return;
    const c = ((p.applicationConfiguration as Props | undefined)?.flinkApplicationConfiguration as Props | undefined)?.checkpointConfiguration as Props | undefined;
    if (!c) return "applicationConfiguration.flinkApplicationConfiguration.checkpointConfiguration is not set: a restarted application loses its state";
    return c.configurationType === "CUSTOM" && c.checkpointingEnabled !== true ? "checkpointConfiguration is CUSTOM without checkpointingEnabled true: a restarted application loses its state" : undefined;
  }),
  // checkov CKV2_AWS_57 (graph check SecretsAreRotated.yaml: a secret connected to a secret rotation), cdk-nag SMG4
  // (SecretsManagerRotationEnabled.ts: a rotation schedule with a Lambda and a schedule), FSBP SecretsManager.1 ask for
  // a rotation Lambda; this platform rotates by redeploy or by an operator's runbook (a deviation in the coverage
  // matrix), so this rule asks each secret for a rotation or a stated, runbook-backed path in its `rotated-by` tag.
  stackRule("secret-rotation", `Every Secrets Manager secret has a rotation schedule, or says in its ${ROTATED_BY_TAG} tag who rotates it (deployment or operator), how, and the runbook under docs/runbooks/.`, (resources, report) => {
    const rotations = ofType(resources, "aws:secretsmanager/secretRotation:SecretRotation").filter(rotates);
    for (const s of ofType(resources, SECRET)) {
      if (rotations.some((r) => idsOf(s).includes(r.props.secretId))) continue;
      const stated = tagsOf(s)[ROTATED_BY_TAG];
      if (stated === undefined) report(`secret ${s.name} has no aws.secretsmanager.SecretRotation (with rotationRules and a rotation Lambda) and no ${ROTATED_BY_TAG} tag saying how it is rotated`, s.urn);
      else if (!rotationRunbook(stated))
        report(`secret ${s.name}: ${ROTATED_BY_TAG} ${JSON.stringify(stated)} must read "deployment: <how> - docs/runbooks/<runbook>.md" or "operator: <how> - docs/runbooks/<runbook>.md"`, s.urn);
    }
  }),
  // cdk-nag N1 (NeptuneClusterMultiAZ.ts: a subnet group, and availabilityZones unset or two or more); FSBP Neptune.9
  // (prowler neptune_cluster_multi_az: the cluster has a replica in another AZ). Prod only, like prod-aurora-multi-az.
  prodOnly(
    stackRule("prod-neptune-multi-az", "Prod Neptune clusters have a subnet group and 2 or more instances in distinct AZs.", (resources, report) => {
      const instances = ofType(resources, "aws:neptune/clusterInstance:ClusterInstance");
      for (const c of ofType(resources, "aws:neptune/cluster:Cluster")) {
        const mine = instances.filter((i) => [c.props.id, c.props.clusterIdentifier].includes(i.props.clusterIdentifier));
        const azs = new Set(mine.map((i) => i.props.availabilityZone).filter((az) => az !== undefined));
        const zones = c.props.availabilityZones as unknown[] | undefined;
        if (c.props.neptuneSubnetGroupName === undefined) report(`cluster ${c.name} has no neptuneSubnetGroupName: it lands in the default VPC's subnets`, c.urn);
        if (zones !== undefined && zones.length < 2) report(`cluster ${c.name}: availabilityZones names ${zones.length} AZ; a multi-AZ cluster needs 2 or more`, c.urn);
        if (mine.length < 2 || azs.size < 2) report(`cluster ${c.name} has ${mine.length} instance(s) over ${azs.size} named AZ(s); prod needs 2+ with distinct availabilityZone`, c.urn);
      }
    }),
  ),
];

/** Which of docs/policy.md's categories each rule is listed under (tools/plan/policyDocs.ts). */
export const DATA_MESSAGING_CATEGORIES: Record<string, string[]> = {
  "Encryption in transit": ["sns-tls-only"],
  "Network exposure": ["search-domain-default-sg"],
  Identity: ["secret-rotation"],
  Logging: ["sns-delivery-status-logging"],
  Resilience: ["flink-checkpointing", "prod-neptune-multi-az"],
  "Operations and observability": ["s3-abort-incomplete-uploads"],
};
