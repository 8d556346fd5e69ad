import { PolicyResource } from "@pulumi/policy";
import { Props, Rule, ofType, resourceRule, statements, stackRule } from "./lib";
import { SERVICE_RULES } from "./services";

/** ALB security policies that allow only TLS 1.2 and 1.3. */
export const TLS12_POLICY = /^ELBSecurityPolicy-(TLS13-1-[23]-|TLS-1-2-|FS-1-2-)/;

const deniesInsecureTransport = (doc: unknown) =>
  statements(doc).some((s) => s.Effect === "Deny" && s.Condition?.Bool?.["aws:SecureTransport"]?.includes("false"));

/** Every resource of `type` has a policy (of `policyType`, naming it in `key`) that denies non-TLS requests. */
function tlsOnly(resources: PolicyResource[], type: string, policyType: string, key: string, ref: (r: PolicyResource) => unknown[]) {
  const policies = ofType(resources, policyType);
  return ofType(resources, type).filter((r) => !policies.some((p) => ref(r).includes(p.props[key]) && deniesInsecureTransport(p.props.policy)));
}

/**
 * Per parameter-group type: engine family prefix, the parameter that forces TLS, accepted values
 * (RDS and Aurora: https://docs.aws.amazon.com/AmazonRDS/latest/UserGuide/PostgreSQL.Concepts.General.SSL.html
 * and the MySQL equivalent; DocumentDB `tls`; Redshift `require_ssl`), read 2026-11-27.
 */
const FORCE_TLS: Record<string, [string, string, string[]][]> = {
  "aws:rds/clusterParameterGroup:ClusterParameterGroup": [["aurora-postgresql", "rds.force_ssl", ["1"]], ["aurora-mysql", "require_secure_transport", ["on", "1"]]],
  "aws:rds/parameterGroup:ParameterGroup": [["postgres", "rds.force_ssl", ["1"]], ["mysql", "require_secure_transport", ["1", "on"]], ["mariadb", "require_secure_transport", ["1", "on"]], ["sqlserver", "rds.force_ssl", ["1"]]],
  "aws:docdb/clusterParameterGroup:ClusterParameterGroup": [["docdb", "tls", ["enabled"]]],
  "aws:redshift/parameterGroup:ParameterGroup": [["redshift", "require_ssl", ["true"]]],
};

/** Encryption in transit. */
export const transitRules: Rule[] = [
  resourceRule("redis-transit-encryption", "ElastiCache replication groups require TLS.", ["aws:elasticache/replicationGroup:ReplicationGroup"], (p) =>
    p.transitEncryptionEnabled === true && (p.transitEncryptionMode === undefined || p.transitEncryptionMode === "required")
      ? undefined
      : "replication group must set transitEncryptionEnabled with transitEncryptionMode required",
  ),
  resourceRule("alb-https-tls12", "HTTPS listeners use a security policy that allows TLS 1.2 and newer only.", ["aws:lb/listener:Listener"], (p) =>
    p.protocol === "HTTPS" && !TLS12_POLICY.test(String(p.sslPolicy ?? "")) ? `HTTPS listener uses ${String(p.sslPolicy ?? "the default policy")}; use ELBSecurityPolicy-TLS13-1-2-2021-06` : undefined,
  ),
  resourceRule("alb-http-redirects", "Plain HTTP listeners only redirect to HTTPS.", ["aws:lb/listener:Listener"], (p) => {
    if (p.protocol !== "HTTP") return;
    const actions = (p.defaultActions as Props[] | undefined) ?? [];
    const ok = actions.length > 0 && actions.every((a) => a.type === "redirect" && (a.redirect as Props | undefined)?.protocol === "HTTPS");
    return ok ? undefined : "HTTP listener must only redirect to HTTPS";
  }),
  resourceRule("db-force-tls", "Database parameter groups of every engine refuse connections without TLS.", Object.keys(FORCE_TLS), (p, args) => {
    const rule = FORCE_TLS[args.type].find(([family]) => String(p.family ?? "").startsWith(family));
    if (!rule) return;
    const [, name, values] = rule;
    const params = (p.parameters as Props[] | undefined) ?? [];
    return params.some((x) => x.name === name && values.includes(String(x.value).toLowerCase())) ? undefined : `parameter group must set ${name} = ${values[0]}`;
  }),
  stackRule("s3-tls-only", "Every S3 bucket has a policy that denies requests without TLS.", (resources, report) => {
    for (const b of tlsOnly(resources, "aws:s3/bucket:Bucket", "aws:s3/bucketPolicy:BucketPolicy", "bucket", (r) => [r.props.id, r.props.bucket])) {
      report("bucket has no policy denying aws:SecureTransport false", b.urn);
    }
  }),
  stackRule("sqs-tls-only", "Every SQS queue has a policy that denies requests without TLS.", (resources, report) => {
    for (const q of tlsOnly(resources, "aws:sqs/queue:Queue", "aws:sqs/queuePolicy:QueuePolicy", "queueUrl", (r) => [r.props.url, r.props.id])) {
      report("queue has no policy denying aws:SecureTransport false", q.urn);
    }
  }),
  // Classic load balancer SSL policies (services.ts).
  ...SERVICE_RULES.transit,
];
