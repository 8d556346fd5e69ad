/**
 * Rules where a resource is judged by the service document or settings group it names: EMR
 * clusters and their security configuration and subnet, Glue jobs and crawlers and their
 * security configuration, Redshift clusters and Postgres databases and their parameter groups.
 * Each rule indexes the referenced type once per stack; references a preview does not know yet
 * are not refused (serviceKnown.ts). Peer sources as in serviceDocuments.ts (read 2026-12-01).
 */
import { PolicyResource, ReportViolation } from "@pulumi/policy";
import { Rule, ofType, stackRule } from "./lib";
import { Known, UNKNOWN, entry, list, named, read } from "./serviceKnown";

/** The stack's resources of `type` by name and by id (a program passes either as the reference). */
function byName(resources: PolicyResource[], type: string): Map<unknown, PolicyResource> {
  const index = new Map<unknown, PolicyResource>();
  for (const r of ofType(resources, type)) for (const key of [read(r.props, "name"), read(r.props, "id")]) if (typeof key === "string") index.set(key, r);
  return index;
}

/**
 * What a reference at `path` resolves to: the referenced resource, or why it cannot be judged
 * (a message), or {@link UNKNOWN} when the preview does not know the reference yet.
 */
function referenced(r: PolicyResource, path: string, index: Map<unknown, PolicyResource>, what: string): Known<PolicyResource | string> {
  const ref = read(r.props, path);
  if (ref === UNKNOWN) return UNKNOWN;
  if (ref === undefined || ref === "") return `${path} is not set: it must name ${what}`;
  return index.get(ref) ?? `${path} names ${String(ref)}, which is not ${what} of this stack, so what it sets cannot be checked`;
}

/** Reports each problem of a resource against it. */
const reportAll = (report: ReportViolation, r: PolicyResource, problems: string[]) => problems.forEach((m) => report(m, r.urn));

/** Problems of a parameter group's entries: each [name, accepts, expected] it must set. */
function parameters(group: PolicyResource, wanted: [string, (v: unknown) => boolean, string][]): string[] {
  const entries = list(group.props, "parameters");
  return wanted.flatMap(([name, ok, expected]) => {
    const result = entry(entries, named(name), ok);
    return result === UNKNOWN || result === "ok" ? [] : [`parameter group ${group.name}: ${name} must be ${expected}${result === "missing" ? " (it is not set)" : `, not ${JSON.stringify(result.wrong)}`}`];
  });
}

/**
 * Postgres query logging: checkov PostgresRDSHasQueryLoggingEnabled (CKV2_AWS_27, aurora-postgresql
 * clusters) and PostgresDBHasQueryLoggingEnabled (CKV2_AWS_30, postgres instances) require the
 * parameter group the database uses to set log_statement and log_min_duration_statement. This
 * rule also refuses the values that turn them off (none, -1:
 * https://www.postgresql.org/docs/current/runtime-config-logging.html).
 */
const QUERY_LOGGING: [string, (v: unknown) => boolean, string][] = [
  ["log_statement", (v) => ["ddl", "mod", "all"].includes(String(v)), '"ddl" (or "mod", "all")'],
  ["log_min_duration_statement", (v) => Number(v) >= 0, "a duration in milliseconds (0 or more; -1 turns it off)"],
];
const POSTGRES: [type: string, engine: string, path: string, groupType: string][] = [
  ["aws:rds/cluster:Cluster", "aurora-postgresql", "dbClusterParameterGroupName", "aws:rds/clusterParameterGroup:ClusterParameterGroup"],
  ["aws:rds/instance:Instance", "postgres", "parameterGroupName", "aws:rds/parameterGroup:ParameterGroup"],
];

/** Resources judged with what they reference. */
export const serviceReferenceRules: Rule[] = [
  /**
   * checkov EMRClusterHasSecurityConfiguration (CKV2_AWS_55) and cdk-nag EMRLocalDiskEncryption /
   * EMREncryptionInTransit (EMR4, EMR5: the configuration must be one of the stack's; its
   * encryption is emr-security-configuration's); checkov EMRClusterKerberosAttributes (CKV_AWS_114:
   * a realm); cdk-nag EMRAuthEC2KeyPairOrKerberos (EMR6); FSBP EMR.1 (Prowler
   * emr_cluster_master_nodes_no_public_ip): the primary node's subnet must not map public IPs, and
   * a cluster without a subnet launches into the default VPC, whose subnets do
   * (https://docs.aws.amazon.com/vpc/latest/userguide/default-vpc.html).
   */
  stackRule("emr-cluster-security", "EMR clusters use one of the stack's security configurations, authenticate with Kerberos (with a realm) or a key pair, and give their primary node no public IP.", (resources, report) => {
    const configurations = byName(resources, "aws:emr/securityConfiguration:SecurityConfiguration");
    const subnets = new Map(ofType(resources, "aws:ec2/subnet:Subnet").map((s) => [read(s.props, "id"), s]));
    for (const c of ofType(resources, "aws:emr/cluster:Cluster")) {
      const problems: string[] = [];
      const configuration = referenced(c, "securityConfiguration", configurations, "an aws.emr.SecurityConfiguration");
      if (typeof configuration === "string") problems.push(configuration);
      const kerberos = read(c.props, "kerberosAttributes");
      const realm = read(c.props, "kerberosAttributes.realm");
      const keyName = read(c.props, "ec2Attributes.keyName");
      if (kerberos && realm !== UNKNOWN && !realm) problems.push("kerberosAttributes.realm must be set");
      if (kerberos === undefined && keyName !== UNKNOWN && !keyName) problems.push("the cluster must authenticate with kerberosAttributes or an ec2Attributes.keyName");
      const subnetIds = [read(c.props, "ec2Attributes.subnetId"), ...[list(c.props, "ec2Attributes.subnetIds")].flat()].filter((s) => s !== undefined);
      if (!subnetIds.length) problems.push("ec2Attributes.subnetId must place the cluster in a private subnet (without one it launches into the default VPC, whose subnets give public IPs)");
      for (const id of subnetIds) {
        const subnet = id === UNKNOWN ? undefined : subnets.get(id);
        if (subnet && read(subnet.props, "mapPublicIpOnLaunch") === true) problems.push(`subnet ${subnet.name} sets mapPublicIpOnLaunch, so the primary node gets a public IP`);
      }
      reportAll(report, c, problems);
    }
  }),
  /**
   * checkov GlueSecurityConfigurationEnabled (CKV_AWS_195: jobs, crawlers, dev endpoints name one);
   * cdk-nag GlueEncryptedCloudWatchLogs (GL1: a crawler's or job's configuration has
   * cloudwatchEncryptionMode SSE-KMS) and GlueJobBookmarkEncrypted (GL3: a job's has
   * jobBookmarksEncryptionMode CSE-KMS), the configuration one of the stack's.
   */
  stackRule("glue-security-configuration", "Glue jobs, crawlers and dev endpoints use one of the stack's security configurations, which encrypts CloudWatch logs (and a job's bookmarks) with KMS.", (resources, report) => {
    const configurations = byName(resources, "aws:glue/securityConfiguration:SecurityConfiguration");
    const kinds: [string, string[]][] = [
      ["aws:glue/job:Job", ["cloudwatchEncryption.cloudwatchEncryptionMode=SSE-KMS", "jobBookmarksEncryption.jobBookmarksEncryptionMode=CSE-KMS"]],
      ["aws:glue/crawler:Crawler", ["cloudwatchEncryption.cloudwatchEncryptionMode=SSE-KMS"]],
      ["aws:glue/devEndpoint:DevEndpoint", []],
    ];
    for (const [type, wanted] of kinds) {
      for (const r of ofType(resources, type)) {
        const configuration = referenced(r, "securityConfiguration", configurations, "an aws.glue.SecurityConfiguration");
        if (configuration === UNKNOWN) continue;
        if (typeof configuration === "string") {
          // A dev endpoint only has to name one (checkov); whether it is the stack's is for jobs and crawlers (cdk-nag).
          if (wanted.length || !read(r.props, "securityConfiguration")) report(configuration, r.urn);
          continue;
        }
        const problems = wanted.flatMap((w) => {
          const [path, value] = w.split("=");
          const actual = read(configuration.props, `encryptionConfiguration.${path}`);
          return actual === UNKNOWN || actual === value ? [] : [`security configuration ${configuration.name}: encryptionConfiguration.${path} must be "${value}", not ${JSON.stringify(actual ?? "unset")}`];
        });
        reportAll(report, r, problems);
      }
    }
  }),
  // cdk-nag RedshiftClusterUserActivityLogging (RS11): the cluster's parameter group (one of the stack's) sets enable_user_activity_logging true.
  stackRule("redshift-user-activity-logging", "Redshift clusters use one of the stack's parameter groups, which turns user activity logging on.", (resources, report) => {
    const groups = byName(resources, "aws:redshift/parameterGroup:ParameterGroup");
    for (const c of ofType(resources, "aws:redshift/cluster:Cluster")) {
      const group = referenced(c, "clusterParameterGroupName", groups, "an aws.redshift.ParameterGroup");
      if (group === UNKNOWN) continue;
      reportAll(report, c, typeof group === "string" ? [group] : parameters(group, [["enable_user_activity_logging", (v) => String(v).toLowerCase() === "true", '"true"']]));
    }
  }),
  stackRule("postgres-query-logging", "Aurora PostgreSQL clusters and PostgreSQL instances use one of the stack's parameter groups, which logs DDL statements and slow queries.", (resources, report) => {
    for (const [type, engine, path, groupType] of POSTGRES) {
      const groups = byName(resources, groupType);
      for (const db of ofType(resources, type)) {
        if (read(db.props, "engine") !== engine) continue;
        const group = referenced(db, path, groups, `an aws.rds.${groupType.split(":").pop()}`);
        if (group === UNKNOWN) continue;
        reportAll(report, db, typeof group === "string" ? [group] : parameters(group, QUERY_LOGGING));
      }
    }
  }),
];
