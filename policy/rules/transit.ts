import { PolicyResource } from "@pulumi/policy";
import { Props, Rule, ofType, resourceRule, statements, stackRule } from "./lib";

/** ALB security policies that allow only TLS 1.2 and 1.3. */
export const TLS12_POLICY = /^ELBSecurityPolicy-(TLS13-1-[23]-|TLS-1-2-|FS-1-2-)/;

const deniesInsecureTransport = (doc: unknown) =>
  statements(doc).some((s) => s.Effect === "Deny" && s.Condition?.Bool?.["aws:SecureTransport"]?.includes("false"));

/** Every resource of `type` has a policy (of `policyType`, naming it in `key`) that denies non-TLS requests. */
function tlsOnly(resources: PolicyResource[], type: string, policyType: string, key: string, ref: (r: PolicyResource) => unknown[]) {
  const policies = ofType(resources, policyType);
  return ofType(resources, type).filter((r) => !policies.some((p) => ref(r).includes(p.props[key]) && deniesInsecureTransport(p.props.policy)));
}

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
  resourceRule("aurora-force-ssl", "Aurora PostgreSQL cluster parameter groups force SSL.", ["aws:rds/clusterParameterGroup:ClusterParameterGroup"], (p) => {
    if (!String(p.family ?? "").startsWith("aurora-postgresql")) return;
    const params = (p.parameters as Props[] | undefined) ?? [];
    return params.some((x) => x.name === "rds.force_ssl" && String(x.value) === "1") ? undefined : "parameter group must set rds.force_ssl = 1";
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
];
