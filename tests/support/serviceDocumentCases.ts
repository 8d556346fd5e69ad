/**
 * Passing and failing cases of the rules in policy/rules/serviceDocuments.ts and
 * serviceReferences.ts, for tests/policy-service-documents.test.ts. `{ $ref, output }` stands for
 * an output of the case resource whose `ref` is `$ref` (tests/support/policyFixtures.ts).
 * `unknown` names, per rule, the failing case (by index) and the input that a preview would not
 * know yet: with that input unknown, the rule must refuse nothing for it.
 */
import { DocCase, Ref } from "./policyDocumentCases";

export type ServiceCase = { pass: DocCase[]; fail: DocCase[]; refused?: number[]; unknown: { index: number; input: string } };

const of = (ref: string, output?: string) => ({ $ref: ref, ...(output ? { output } : {}) }) as Ref;
const KEY = "arn:aws:kms:us-east-1:123456789012:key/00000000-0000-0000-0000-000000000000";

const emrConfiguration = (over: { atRest?: boolean; ebs?: boolean; s3?: string; transit?: boolean } = {}) =>
  JSON.stringify({
    EncryptionConfiguration: {
      EnableAtRestEncryption: over.atRest ?? true,
      EnableInTransitEncryption: over.transit ?? true,
      AtRestEncryptionConfiguration: {
        S3EncryptionConfiguration: { EncryptionMode: over.s3 ?? "SSE-KMS", AwsKmsKey: KEY },
        LocalDiskEncryptionConfiguration: { EncryptionKeyProviderType: "AwsKms", AwsKmsKey: KEY, EnableEbsEncryption: over.ebs ?? true },
      },
      InTransitEncryptionConfiguration: { TLSCertificateConfiguration: { CertificateProviderType: "PEM", S3Object: "s3://certs/emr.zip" } },
    },
  });
const emrSecurity = (ref: string, configuration = emrConfiguration()): DocCase => ({ type: "aws:emr/securityConfiguration:SecurityConfiguration", ref, inputs: { configuration } });
const subnet = (ref: string, mapPublicIpOnLaunch: boolean): DocCase => ({ type: "aws:ec2/subnet:Subnet", ref, inputs: { vpcId: "vpc-1", cidrBlock: "10.0.1.0/24", mapPublicIpOnLaunch } });
const emrCluster = (inputs: Record<string, unknown>): DocCase => ({
  type: "aws:emr/cluster:Cluster",
  inputs: { releaseLabel: "emr-7.5.0", serviceRole: "emr-service", ...inputs },
});
const ec2 = (extra: Record<string, unknown>) => ({ instanceProfile: "emr-instances", subnetId: of("private"), ...extra });

const dmsSettings = (enable: boolean, ids: string[]) =>
  JSON.stringify({ Logging: { EnableLogging: enable, LogComponents: ids.map((Id) => ({ Id, Severity: "LOGGER_SEVERITY_DEFAULT" })) } });
const dmsTask = (replicationTaskSettings?: string): DocCase => ({
  type: "aws:dms/replicationTask:ReplicationTask",
  inputs: { migrationType: "full-load-and-cdc", replicationInstanceArn: "arn:aws:dms:us-east-1:123456789012:rep:ri", replicationTaskId: "task", sourceEndpointArn: "arn:aws:dms:us-east-1:123456789012:endpoint:src", targetEndpointArn: "arn:aws:dms:us-east-1:123456789012:endpoint:dst", tableMappings: '{"rules":[]}', ...(replicationTaskSettings ? { replicationTaskSettings } : {}) },
});
const ALL_COMPONENTS = ["SOURCE_CAPTURE", "SOURCE_UNLOAD", "TARGET_APPLY", "TARGET_LOAD"];

const session = (inputs: Record<string, unknown> | undefined, documentFormat?: string): DocCase => ({
  type: "aws:ssm/document:Document",
  inputs: { documentType: "Session", ...(documentFormat ? { documentFormat } : {}), content: JSON.stringify({ schemaVersion: "1.0", description: "Session preferences", sessionType: "Standard_Stream", ...(inputs ? { inputs } : {}) }) },
});

const firewallPolicy = (policy: Record<string, unknown>): DocCase => ({
  type: "aws:networkfirewall/firewallPolicy:FirewallPolicy",
  inputs: { firewallPolicy: { statelessDefaultActions: ["aws:forward_to_sfe"], statelessFragmentDefaultActions: ["aws:drop"], statefulRuleGroupReferences: [{ resourceArn: "arn:aws:network-firewall:us-east-1:123456789012:stateful-rulegroup/egress" }], ...policy } },
});
const statelessRule = { priority: 1, ruleDefinition: { actions: ["aws:drop"], matchAttributes: { sources: [{ addressDefinition: "0.0.0.0/0" }] } } };
const ruleGroup = (type: string, statelessRules: unknown[]): DocCase => ({
  type: "aws:networkfirewall/ruleGroup:RuleGroup",
  inputs: { type, capacity: 10, ruleGroup: { rulesSource: type === "STATELESS" ? { statelessRulesAndCustomActions: { statelessRules } } : { rulesString: 'pass tls any any -> any any (msg:"tls"; sid:1;)' } } },
});

const elbPolicy = (policyAttributes: Record<string, string>[]): DocCase => ({
  type: "aws:elb/loadBalancerPolicy:LoadBalancerPolicy",
  inputs: { loadBalancerName: "legacy", policyName: "tls", policyTypeName: "SSLNegotiationPolicyType", policyAttributes },
});

const BEANSTALK_GOOD: [string, string, string][] = [
  ["aws:ec2:vpc", "VPCId", "vpc-1"],
  ["aws:elasticbeanstalk:healthreporting:system", "SystemType", "enhanced"],
  ["aws:elasticbeanstalk:cloudwatch:logs:health", "HealthStreamingEnabled", "true"],
  ["aws:elasticbeanstalk:hostmanager", "LogPublicationControl", "true"],
  ["aws:elasticbeanstalk:cloudwatch:logs", "StreamLogs", "true"],
];
const beanstalk = (settings: [string, string, string][]): DocCase => ({
  type: "aws:elasticbeanstalk/environment:Environment",
  inputs: { application: "app", solutionStackName: "64bit Amazon Linux 2023 v4.3.0 running Docker", settings: settings.map(([namespace, name, value]) => ({ namespace, name, value })) },
});
const without = (name: string) => BEANSTALK_GOOD.filter(([, n]) => n !== name);

const params = (entries: Record<string, string>) => Object.entries(entries).map(([name, value]) => ({ name, value }));
const docdbGroup = (entries: Record<string, string>): DocCase => ({ type: "aws:docdb/clusterParameterGroup:ClusterParameterGroup", inputs: { family: "docdb5.0", parameters: params(entries) } });

const glueSecurity = (ref: string, cloudwatch: string, bookmarks: string): DocCase => ({
  type: "aws:glue/securityConfiguration:SecurityConfiguration",
  ref,
  inputs: { encryptionConfiguration: { cloudwatchEncryption: { cloudwatchEncryptionMode: cloudwatch, kmsKeyArn: KEY }, jobBookmarksEncryption: { jobBookmarksEncryptionMode: bookmarks, kmsKeyArn: KEY }, s3Encryption: { s3EncryptionMode: "SSE-KMS", kmsKeyArn: KEY } } },
});
const glueJob = (securityConfiguration?: unknown): DocCase => ({ type: "aws:glue/job:Job", inputs: { roleArn: "arn:aws:iam::123456789012:role/glue", command: { scriptLocation: "s3://scripts/job.py" }, ...(securityConfiguration ? { securityConfiguration } : {}) } });
const glueCrawler = (securityConfiguration?: unknown): DocCase => ({ type: "aws:glue/crawler:Crawler", inputs: { databaseName: "db", role: "glue", s3Targets: [{ path: "s3://data/" }], ...(securityConfiguration ? { securityConfiguration } : {}) } });
const devEndpoint = (securityConfiguration?: unknown): DocCase => ({ type: "aws:glue/devEndpoint:DevEndpoint", inputs: { roleArn: "arn:aws:iam::123456789012:role/glue", ...(securityConfiguration ? { securityConfiguration } : {}) } });

const redshiftGroup = (ref: string, logging: string): DocCase => ({ type: "aws:redshift/parameterGroup:ParameterGroup", ref, inputs: { family: "redshift-2.0", parameters: params({ require_ssl: "true", enable_user_activity_logging: logging }) } });
const redshift = (clusterParameterGroupName?: unknown): DocCase => ({ type: "aws:redshift/cluster:Cluster", inputs: { clusterIdentifier: "warehouse", nodeType: "ra3.xlplus", ...(clusterParameterGroupName ? { clusterParameterGroupName } : {}) } });

const pgClusterGroup = (ref: string, entries: Record<string, string>): DocCase => ({ type: "aws:rds/clusterParameterGroup:ClusterParameterGroup", ref, inputs: { family: "aurora-postgresql16", parameters: params({ "rds.force_ssl": "1", ...entries }) } });
const pgGroup = (ref: string, entries: Record<string, string>): DocCase => ({ type: "aws:rds/parameterGroup:ParameterGroup", ref, inputs: { family: "postgres16", parameters: params({ "rds.force_ssl": "1", ...entries }) } });
const aurora = (engine: string, dbClusterParameterGroupName?: unknown): DocCase => ({ type: "aws:rds/cluster:Cluster", inputs: { engine, ...(dbClusterParameterGroupName ? { dbClusterParameterGroupName } : {}) } });
const pgInstance = (parameterGroupName?: unknown): DocCase => ({ type: "aws:rds/instance:Instance", inputs: { engine: "postgres", instanceClass: "db.t4g.micro", ...(parameterGroupName ? { parameterGroupName } : {}) } });
const LOGGED = { log_statement: "ddl", log_min_duration_statement: "1000" };

export const SERVICE_CASES: Record<string, ServiceCase> = {
  "emr-security-configuration": {
    pass: [emrSecurity("ok")],
    fail: [emrSecurity("a", emrConfiguration({ atRest: false })), emrSecurity("b", emrConfiguration({ ebs: false })), emrSecurity("c", emrConfiguration({ s3: "SSE-S3" })), emrSecurity("d", emrConfiguration({ transit: false })), emrSecurity("e", "{not json")],
    unknown: { index: 0, input: "configuration" },
  },
  "emr-cluster-security": {
    pass: [
      subnet("private", false),
      emrSecurity("sec"),
      emrCluster({ securityConfiguration: of("sec", "name"), ec2Attributes: ec2({ keyName: "ops" }) }),
      emrCluster({ securityConfiguration: of("sec", "name"), ec2Attributes: ec2({}), kerberosAttributes: { realm: "EC2.INTERNAL", kdcAdminPassword: "kdc-password" } }),
    ],
    fail: [
      subnet("private", false),
      subnet("public", true),
      emrSecurity("sec"),
      emrCluster({ ec2Attributes: ec2({ keyName: "ops" }) }),
      emrCluster({ securityConfiguration: "made-elsewhere", ec2Attributes: ec2({ keyName: "ops" }) }),
      emrCluster({ securityConfiguration: of("sec", "name"), ec2Attributes: ec2({}) }),
      emrCluster({ securityConfiguration: of("sec", "name"), ec2Attributes: ec2({}), kerberosAttributes: { realm: "", kdcAdminPassword: "kdc-password" } }),
      emrCluster({ securityConfiguration: of("sec", "name"), ec2Attributes: ec2({ keyName: "ops", subnetId: of("public") }) }),
      emrCluster({ securityConfiguration: of("sec", "name"), ec2Attributes: { instanceProfile: "emr-instances", keyName: "ops" } }),
    ],
    refused: [3, 4, 5, 6, 7, 8],
    unknown: { index: 4, input: "securityConfiguration" },
  },
  "dms-task-logging": {
    pass: [dmsTask(dmsSettings(true, ALL_COMPONENTS))],
    fail: [dmsTask(), dmsTask(dmsSettings(false, ALL_COMPONENTS)), dmsTask(dmsSettings(true, ["SOURCE_CAPTURE", "SOURCE_UNLOAD"])), dmsTask(dmsSettings(true, ["TARGET_APPLY", "TARGET_LOAD"]))],
    unknown: { index: 1, input: "replicationTaskSettings" },
  },
  "ssm-session-encryption": {
    pass: [
      session({ kmsKeyId: "alias/sessions", s3BucketName: "session-logs", s3EncryptionEnabled: true }),
      session({ kmsKeyId: "alias/sessions", cloudWatchLogGroupName: "/ssm/sessions", cloudWatchEncryptionEnabled: true }),
      { type: "aws:ssm/document:Document", inputs: { documentType: "Command", content: JSON.stringify({ schemaVersion: "2.2", mainSteps: [] }) } },
    ],
    fail: [
      session({ s3BucketName: "session-logs", s3EncryptionEnabled: true }),
      session({ kmsKeyId: "alias/sessions", s3BucketName: "session-logs", s3EncryptionEnabled: false }),
      session({ kmsKeyId: "alias/sessions" }),
      session(undefined),
      session({ kmsKeyId: "alias/sessions", cloudWatchLogGroupName: "/ssm/sessions", cloudWatchEncryptionEnabled: true }, "YAML"),
    ],
    unknown: { index: 0, input: "content" },
  },
  "network-firewall-policy": {
    pass: [firewallPolicy({}), firewallPolicy({ statefulRuleGroupReferences: [], statelessRuleGroupReferences: [{ priority: 1, resourceArn: "arn:aws:network-firewall:us-east-1:123456789012:stateless-rulegroup/x" }], statelessDefaultActions: ["aws:drop"] })],
    fail: [firewallPolicy({ statefulRuleGroupReferences: [] }), firewallPolicy({ statelessDefaultActions: ["aws:pass"] }), firewallPolicy({ statelessFragmentDefaultActions: ["aws:pass"] })],
    unknown: { index: 1, input: "firewallPolicy" },
  },
  "network-firewall-stateless-rules": {
    pass: [ruleGroup("STATELESS", [statelessRule]), ruleGroup("STATEFUL", [])],
    fail: [ruleGroup("STATELESS", [])],
    unknown: { index: 0, input: "ruleGroup" },
  },
  "elb-policy-secure-protocols": {
    pass: [elbPolicy([{ name: "Reference-Security-Policy", value: "ELBSecurityPolicy-TLS-1-2-2017-01" }]), elbPolicy([{ name: "Protocol-TLSv1.2", value: "true" }, { name: "Protocol-TLSv1", value: "false" }])],
    fail: [elbPolicy([{ name: "Protocol-TLSv1.2", value: "true" }, { name: "Protocol-TLSv1.1", value: "true" }]), elbPolicy([{ name: "Protocol-SSLv3", value: "true" }]), elbPolicy([{ name: "Reference-Security-Policy", value: "ELBSecurityPolicy-2016-08" }])],
    unknown: { index: 0, input: "policyAttributes" },
  },
  "beanstalk-environment-settings": {
    pass: [beanstalk(BEANSTALK_GOOD)],
    fail: [beanstalk(without("VPCId")), beanstalk([...without("SystemType"), ["aws:elasticbeanstalk:healthreporting:system", "SystemType", "basic"]]), beanstalk(without("HealthStreamingEnabled")), beanstalk(without("LogPublicationControl")), beanstalk(without("StreamLogs"))],
    unknown: { index: 0, input: "settings" },
  },
  "docdb-audit-logs": {
    pass: [docdbGroup({ tls: "enabled", audit_logs: "ddl" }), docdbGroup({ audit_logs: "dml,ddl" }), docdbGroup({ audit_logs: "enabled" })],
    fail: [docdbGroup({ tls: "enabled" }), docdbGroup({ audit_logs: "disabled" }), docdbGroup({ audit_logs: "dml" })],
    unknown: { index: 0, input: "parameters" },
  },
  "glue-security-configuration": {
    pass: [glueSecurity("sec", "SSE-KMS", "CSE-KMS"), glueJob(of("sec", "name")), glueCrawler(of("sec", "name")), devEndpoint("made-elsewhere")],
    fail: [
      glueSecurity("weak", "DISABLED", "DISABLED"),
      glueSecurity("logs-only", "SSE-KMS", "DISABLED"),
      glueJob(),
      glueCrawler(),
      devEndpoint(),
      glueJob(of("weak", "name")),
      glueCrawler(of("weak", "name")),
      glueJob(of("logs-only", "name")),
      glueJob("made-elsewhere"),
    ],
    refused: [2, 3, 4, 5, 6, 7, 8],
    unknown: { index: 2, input: "securityConfiguration" },
  },
  "redshift-user-activity-logging": {
    pass: [redshiftGroup("logged", "true"), redshift(of("logged", "name"))],
    fail: [redshiftGroup("quiet", "false"), redshift(), redshift(of("quiet", "name")), redshift("made-elsewhere")],
    refused: [1, 2, 3],
    unknown: { index: 1, input: "clusterParameterGroupName" },
  },
  "postgres-query-logging": {
    pass: [pgClusterGroup("cg", LOGGED), aurora("aurora-postgresql", of("cg", "name")), aurora("aurora-mysql"), pgGroup("ig", { log_statement: "mod", log_min_duration_statement: "0" }), pgInstance(of("ig", "name"))],
    fail: [
      pgClusterGroup("slow-only", { log_min_duration_statement: "1000" }),
      pgClusterGroup("off", { log_statement: "none", log_min_duration_statement: "-1" }),
      pgGroup("ig", { log_statement: "ddl" }),
      aurora("aurora-postgresql"),
      aurora("aurora-postgresql", of("slow-only", "name")),
      aurora("aurora-postgresql", of("off", "name")),
      pgInstance(of("ig", "name")),
      pgInstance(),
      pgClusterGroup("no-slow-queries", { log_statement: "ddl", log_min_duration_statement: "-1" }),
      aurora("aurora-postgresql", of("no-slow-queries", "name")),
    ],
    refused: [3, 4, 5, 6, 7, 9],
    unknown: { index: 3, input: "dbClusterParameterGroupName" },
  },
};
