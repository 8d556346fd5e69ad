/**
 * Rules that read a service's own document (a JSON string the service parses) or a nested
 * settings list, one resource at a time. Values a preview does not know yet are never refused
 * (serviceKnown.ts). Peer sources, read 2026-12-01 at the commits policy/coverage/*.json name:
 * checkov checkov/terraform/checks/resource/aws/<File>.py (03d5fdad), cdk-nag
 * src/rules/<service>/<Rule>.ts (ca6d1b54), Prowler prowler/providers/aws/services/<check> (3e000faa).
 */
import { Props, Rule, resourceRule } from "./lib";
import { Known, UNKNOWN, entry, jsonDocument, list, named, read, truthy } from "./serviceKnown";

/** Problems with a document, or nothing when it is not known yet (a preview) or complies. */
function judge(what: string, value: Known<unknown>, check: (doc: Props) => string[]): string[] {
  const doc = jsonDocument(value);
  if (doc === UNKNOWN) return [];
  if (doc === "absent") return check({});
  return "invalid" in doc ? [`${what} ${doc.invalid}`] : check(doc.doc);
}

/** A finding unless the value is `ok` or not known yet. */
const need = (value: Known<unknown>, ok: (v: unknown) => boolean, message: string) => (value === UNKNOWN || ok(value) ? [] : [message]);
const set = (v: unknown) => v !== undefined && v !== null && v !== "";

/**
 * EMR security configuration (`configuration`, the JSON of `aws emr create-security-configuration`:
 * https://docs.aws.amazon.com/emr/latest/ManagementGuide/emr-create-security-configuration.html).
 * At rest: EnableAtRestEncryption with a local-disk key provider (cdk-nag EMRLocalDiskEncryption:
 * EncryptionKeyProviderType set; checkov EMRClusterConfEncryptsLocalDisk, CKV_AWS_349), EBS
 * volumes too (EMRClusterConfEncryptsEBS, CKV_AWS_350: EnableEbsEncryption), S3 with SSE-KMS
 * (EMRClusterIsEncryptedKMS, CKV_AWS_171, passes only when "SSE-KMS" appears). In transit:
 * EnableInTransitEncryption with a TLS certificate provider (cdk-nag EMREncryptionInTransit,
 * checkov EMRClusterConfEncryptsInTransit, CKV_AWS_351).
 */
const EMR_PATH = "EncryptionConfiguration";
function emrConfiguration(doc: Props): string[] {
  const at = (p: string) => read(doc, `${EMR_PATH}.${p}`);
  const local = "AtRestEncryptionConfiguration.LocalDiskEncryptionConfiguration";
  return [
    ...need(at("EnableAtRestEncryption"), (v) => v === true, `configuration: ${EMR_PATH}.EnableAtRestEncryption must be true`),
    ...need(at(`${local}.EncryptionKeyProviderType`), set, `configuration: ${EMR_PATH}.${local}.EncryptionKeyProviderType must be set (local disks encrypted)`),
    ...need(at(`${local}.EnableEbsEncryption`), (v) => v === true, `configuration: ${EMR_PATH}.${local}.EnableEbsEncryption must be true`),
    ...need(at("AtRestEncryptionConfiguration.S3EncryptionConfiguration.EncryptionMode"), (v) => v === "SSE-KMS", `configuration: ${EMR_PATH}.AtRestEncryptionConfiguration.S3EncryptionConfiguration.EncryptionMode must be "SSE-KMS"`),
    ...need(at("EnableInTransitEncryption"), (v) => v === true, `configuration: ${EMR_PATH}.EnableInTransitEncryption must be true`),
    ...need(at("InTransitEncryptionConfiguration.TLSCertificateConfiguration.CertificateProviderType"), set, `configuration: ${EMR_PATH}.InTransitEncryptionConfiguration.TLSCertificateConfiguration.CertificateProviderType must be set`),
  ];
}

/**
 * DMS task settings (`replicationTaskSettings`, https://docs.aws.amazon.com/dms/latest/userguide/CHAP_Tasks.CustomizingTasks.TaskSettings.Logging.html):
 * Logging.EnableLogging with SOURCE_CAPTURE and SOURCE_UNLOAD (FSBP DMS.8) and TARGET_APPLY and
 * TARGET_LOAD (DMS.7) at LOGGER_SEVERITY_DEFAULT or more detailed (Prowler
 * dms_replication_task_{source,target}_logging_enabled). Unset settings mean logging off.
 */
const DMS_COMPONENTS = ["SOURCE_CAPTURE", "SOURCE_UNLOAD", "TARGET_APPLY", "TARGET_LOAD"];
const DMS_SEVERITIES = ["LOGGER_SEVERITY_DEFAULT", "LOGGER_SEVERITY_DEBUG", "LOGGER_SEVERITY_DETAILED_DEBUG"];
function dmsLogging(doc: Props): string[] {
  const enabled = read(doc, "Logging.EnableLogging");
  if (enabled === UNKNOWN) return [];
  if (enabled !== true) return ["replicationTaskSettings: Logging.EnableLogging must be true"];
  const components = list(doc, "Logging.LogComponents");
  if (components === UNKNOWN) return [];
  const logged = components.filter((c) => DMS_SEVERITIES.includes(String(read(c, "Severity")))).map((c) => read(c, "Id"));
  const lacking = DMS_COMPONENTS.filter((id) => !logged.includes(id));
  return lacking.length ? [`replicationTaskSettings: Logging.LogComponents must log ${lacking.join(", ")} at ${DMS_SEVERITIES[0]} or more detailed`] : [];
}

/**
 * Session Manager preferences (an SSM document of type Session, such as SSM-SessionManagerRunShell:
 * https://docs.aws.amazon.com/systems-manager/latest/userguide/getting-started-create-preferences-cli.html).
 * checkov SSMSessionManagerDocumentEncryption (CKV_AWS_112): inputs.kmsKeyId set, the session
 * data encrypted; SSMSessionManagerDocumentLogging (CKV_AWS_113): logs to S3 with
 * s3EncryptionEnabled or to CloudWatch Logs with cloudWatchEncryptionEnabled. checkov passes a
 * document without inputs; this rule refuses it (no inputs: no key, no logs).
 */
function sessionPreferences(doc: Props): string[] {
  const inputs = read(doc, "inputs");
  if (inputs === UNKNOWN) return [];
  const s3 = [read(inputs, "s3BucketName"), read(inputs, "s3EncryptionEnabled")];
  const cw = [read(inputs, "cloudWatchLogGroupName"), read(inputs, "cloudWatchEncryptionEnabled")];
  const logs = [...s3, ...cw].includes(UNKNOWN) || (set(s3[0]) && truthy(s3[1])) || (set(cw[0]) && truthy(cw[1]));
  return [
    ...need(read(inputs, "kmsKeyId"), set, "content: inputs.kmsKeyId must name the KMS key that encrypts session data"),
    ...(logs ? [] : ["content: inputs must log sessions encrypted: s3BucketName with s3EncryptionEnabled true, or cloudWatchLogGroupName with cloudWatchEncryptionEnabled true"]),
  ];
}

/** Actions that keep a stateless default from passing packets uninspected (FSBP NetworkFirewall.4/.5, Prowler networkfirewall_policy_default_action_*). */
const FIREWALL_DEFAULTS = ["aws:drop", "aws:forward_to_sfe"];

/**
 * Classic ELB SSL negotiation policies (checkov ELBPolicyUsesSecureProtocols, CKV_AWS_213): no
 * SSLv3, TLS 1.0 or 1.1, and no predefined policy that allows them. checkov refuses any non-empty
 * value of a Protocol-* attribute, "false" included (Python truthiness on the string); this rule
 * refuses "true", the value that turns the protocol on.
 */
const OLD_PROTOCOLS = ["Protocol-SSLv3", "Protocol-TLSv1", "Protocol-TLSv1.1"];
const OLD_POLICIES = ["ELBSecurityPolicy-2016-08", "ELBSecurityPolicy-TLS-1-1-2017-01", "ELBSecurityPolicy-2015-05", "ELBSecurityPolicy-2015-03", "ELBSecurityPolicy-2015-02", "ELBSecurityPolicy-TLS-1-0-2015-04", "ELBSecurityPolicy-2014-10", "ELBSecurityPolicy-Default", "ELBSecurityPolicy-2014-01"];

/**
 * Elastic Beanstalk option settings (`settings[]`: namespace, name, value; options from
 * https://docs.aws.amazon.com/elasticbeanstalk/latest/dg/command-options-general.html).
 * cdk-nag ElasticBeanstalkVPCSpecified (EB1), ElasticBeanstalkEC2InstanceLogsToS3 (EB4); Prowler
 * elasticbeanstalk_environment_enhanced_health_reporting (FSBP ElasticBeanstalk.1) and
 * _cloudwatch_logging_enabled (ElasticBeanstalk.3). checkov ElasticBeanstalkUseEnhancedHealthChecks
 * (CKV_AWS_312) looks for HealthStreamingEnabled under aws:elasticbeanstalk:healthreporting:system,
 * where AWS documents no such option; it is read where AWS documents it, streaming enhanced health
 * to CloudWatch Logs (aws:elasticbeanstalk:cloudwatch:logs:health,
 * https://docs.aws.amazon.com/elasticbeanstalk/latest/dg/AWSHowTo.cloudwatchlogs.envhealth.html).
 */
const BEANSTALK: [namespace: string, name: string, ok: (v: unknown) => boolean, expected: string][] = [
  ["aws:ec2:vpc", "VPCId", set, "a VPC id"],
  ["aws:elasticbeanstalk:healthreporting:system", "SystemType", (v) => v === "enhanced", '"enhanced"'],
  ["aws:elasticbeanstalk:cloudwatch:logs:health", "HealthStreamingEnabled", truthy, '"true"'],
  ["aws:elasticbeanstalk:hostmanager", "LogPublicationControl", truthy, '"true"'],
  ["aws:elasticbeanstalk:cloudwatch:logs", "StreamLogs", truthy, '"true"'],
];

/** Problems an `entry` result means, or none. */
const entryProblem = (result: ReturnType<typeof entry>, what: string, expected: string) =>
  result === UNKNOWN || result === "ok" ? [] : [`${what} must be ${expected}${result === "missing" ? " (it is not set)" : `, not ${JSON.stringify(result.wrong)}`}`];

/** Documents and settings lists of individual services. */
export const serviceDocumentRules: Rule[] = [
  resourceRule("emr-security-configuration", "EMR security configurations encrypt local disks, EBS volumes and S3 data (SSE-KMS) at rest, and traffic in transit.", ["aws:emr/securityConfiguration:SecurityConfiguration"], (p) =>
    judge("configuration", read(p, "configuration"), emrConfiguration),
  ),
  resourceRule("dms-task-logging", "DMS replication tasks log their source capture and unload and their target apply and load.", ["aws:dms/replicationTask:ReplicationTask"], (p) =>
    judge("replicationTaskSettings", read(p, "replicationTaskSettings"), dmsLogging),
  ),
  resourceRule("ssm-session-encryption", "Session Manager preferences encrypt session data with a KMS key and write encrypted session logs.", ["aws:ssm/document:Document"], (p) => {
    if (read(p, "documentType") !== "Session") return;
    const format = read(p, "documentFormat");
    if (format === UNKNOWN) return;
    // No YAML parser is a dependency of the pack: a YAML document cannot be proven encrypted.
    if (format !== undefined && format !== "JSON") return `documentFormat ${String(format)}: write Session preferences as JSON so their encryption can be checked`;
    return judge("content", read(p, "content"), sessionPreferences);
  }),
  resourceRule("network-firewall-policy", "Network Firewall policies have rule groups and drop or inspect the packets no stateless rule matches, fragmented or not.", ["aws:networkfirewall/firewallPolicy:FirewallPolicy"], (p) => {
    const groups = [list(p, "firewallPolicy.statelessRuleGroupReferences"), list(p, "firewallPolicy.statefulRuleGroupReferences")];
    const actions = (key: string, what: string) => {
      const a = list(p, `firewallPolicy.${key}`);
      return a === UNKNOWN || a.includes(UNKNOWN) || a.some((x) => FIREWALL_DEFAULTS.includes(String(x))) ? [] : [`firewallPolicy.${key} must include ${FIREWALL_DEFAULTS.join(" or ")} (${what})`];
    };
    return [
      ...(groups.includes(UNKNOWN) || groups.some((g) => Array.isArray(g) && g.length > 0) ? [] : ["firewallPolicy must reference at least one stateless or stateful rule group (FSBP NetworkFirewall.3)"]),
      ...actions("statelessDefaultActions", "full packets, FSBP NetworkFirewall.4"),
      ...actions("statelessFragmentDefaultActions", "fragmented packets, FSBP NetworkFirewall.5"),
    ];
  }),
  // FSBP NetworkFirewall.6 (https://docs.aws.amazon.com/securityhub/latest/userguide/networkfirewall-controls.html#networkfirewall-6): a stateless rule group with no rules.
  resourceRule("network-firewall-stateless-rules", "Stateless Network Firewall rule groups have rules.", ["aws:networkfirewall/ruleGroup:RuleGroup"], (p) => {
    if (read(p, "type") !== "STATELESS") return;
    const rules = list(p, "ruleGroup.rulesSource.statelessRulesAndCustomActions.statelessRules");
    return rules === UNKNOWN || rules.length > 0 ? undefined : "ruleGroup.rulesSource.statelessRulesAndCustomActions.statelessRules must hold at least one rule";
  }),
  resourceRule("elb-policy-secure-protocols", "Classic load balancer SSL negotiation policies allow neither SSLv3 nor TLS 1.0/1.1.", ["aws:elb/loadBalancerPolicy:LoadBalancerPolicy"], (p) => {
    const attributes = list(p, "policyAttributes");
    if (attributes === UNKNOWN) return;
    // An `entry` result that is an object is a value the predicate refused.
    const refused = (name: string, ok: (v: unknown) => boolean) => typeof entry(attributes, named(name), ok) === "object";
    return [
      ...OLD_PROTOCOLS.filter((name) => refused(name, (v) => !truthy(v))).map((name) => `policyAttributes: ${name} must not be "true" (TLS 1.2 only)`),
      ...(refused("Reference-Security-Policy", (v) => !OLD_POLICIES.includes(String(v))) ? ["policyAttributes: Reference-Security-Policy must not allow SSLv3 or TLS 1.0/1.1: use ELBSecurityPolicy-TLS-1-2-2017-01"] : []),
    ];
  }),
  resourceRule("beanstalk-environment-settings", "Elastic Beanstalk environments run in a VPC, report enhanced health to CloudWatch, and publish instance logs to S3 and CloudWatch Logs.", ["aws:elasticbeanstalk/environment:Environment"], (p) => {
    const settings = list(p, "settings");
    return BEANSTALK.flatMap(([namespace, name, ok, expected]) =>
      entryProblem(entry(settings, (e) => (read(e, "namespace") === UNKNOWN || read(e, "name") === UNKNOWN ? UNKNOWN : read(e, "namespace") === namespace && read(e, "name") === name), ok), `settings: ${namespace} ${name}`, expected),
    );
  }),
  // checkov DocDBAuditLogs (CKV_AWS_104): audit_logs contains enabled, ddl or all (https://docs.aws.amazon.com/documentdb/latest/developerguide/event-auditing.html).
  resourceRule("docdb-audit-logs", "DocumentDB cluster parameter groups turn audit logging on.", ["aws:docdb/clusterParameterGroup:ClusterParameterGroup"], (p) =>
    entryProblem(entry(list(p, "parameters"), named("audit_logs"), (v) => ["enabled", "ddl", "all"].some((x) => String(v).split(",").map((t) => t.trim()).includes(x))), "parameters: audit_logs", 'one that includes "ddl", "all" or "enabled"'),
  ),
];
