import { Props, Rule, resourceRule } from "./lib";
import { SERVICE_RULES } from "./services";

const needs = (ok: unknown, message: string) => (ok ? undefined : message);
/** A customer-managed key: an ARN or id of a key we own, not an `alias/aws/...` AWS-managed key. */
const customerKey = (v: unknown) => typeof v === "string" && v.length > 0 && !/alias\/aws\//.test(v);

/** Encryption at rest, with customer-managed KMS keys. */
export const encryptionRules: Rule[] = [
  resourceRule("aurora-encrypted-cmk", "Aurora clusters are encrypted with a customer-managed KMS key.", ["aws:rds/cluster:Cluster"], (p) =>
    needs(p.storageEncrypted === true && customerKey(p.kmsKeyId), "Aurora cluster must set storageEncrypted and a customer-managed kmsKeyId"),
  ),
  resourceRule("performance-insights-cmk", "Performance Insights data is encrypted with a customer-managed KMS key.", ["aws:rds/clusterInstance:ClusterInstance", "aws:rds/cluster:Cluster"], (p) =>
    p.performanceInsightsEnabled === true ? needs(customerKey(p.performanceInsightsKmsKeyId), "Performance Insights is on without a customer-managed performanceInsightsKmsKeyId") : undefined,
  ),
  resourceRule("redis-encrypted-cmk", "ElastiCache replication groups are encrypted at rest with a customer-managed KMS key.", ["aws:elasticache/replicationGroup:ReplicationGroup"], (p) =>
    needs(p.atRestEncryptionEnabled === true && customerKey(p.kmsKeyId), "replication group must set atRestEncryptionEnabled and a customer-managed kmsKeyId"),
  ),
  resourceRule("sqs-encrypted-cmk", "SQS queues are encrypted with a customer-managed KMS key.", ["aws:sqs/queue:Queue"], (p) =>
    needs(customerKey(p.kmsMasterKeyId), "queue must set kmsMasterKeyId to a customer-managed key (not SSE-SQS or alias/aws/sqs)"),
  ),
  resourceRule("sns-encrypted-cmk", "SNS topics are encrypted with a customer-managed KMS key.", ["aws:sns/topic:Topic"], (p) =>
    needs(customerKey(p.kmsMasterKeyId), "topic must set kmsMasterKeyId to a customer-managed key (CloudWatch alarms cannot use alias/aws/sns)"),
  ),
  resourceRule("log-group-encrypted-cmk", "CloudWatch log groups are encrypted with a customer-managed KMS key.", ["aws:cloudwatch/logGroup:LogGroup"], (p) =>
    needs(customerKey(p.kmsKeyId), "log group must set kmsKeyId"),
  ),
  resourceRule("ecr-encrypted-cmk", "ECR repositories are encrypted with a customer-managed KMS key.", ["aws:ecr/repository:Repository"], (p) => {
    const [c] = (p.encryptionConfigurations as Props[] | undefined) ?? [];
    return needs(c?.encryptionType === "KMS" && customerKey(c.kmsKey), "repository must use encryptionType KMS with a customer-managed kmsKey");
  }),
  resourceRule("secret-encrypted-cmk", "Secrets Manager secrets are encrypted with a customer-managed KMS key.", ["aws:secretsmanager/secret:Secret"], (p) =>
    needs(customerKey(p.kmsKeyId), "secret must set kmsKeyId (the default aws/secretsmanager key cannot be shared or audited per use)"),
  ),
  resourceRule("backup-vault-encrypted-cmk", "AWS Backup vaults are encrypted with a customer-managed KMS key.", ["aws:backup/vault:Vault"], (p) =>
    needs(customerKey(p.kmsKeyArn), "backup vault must set kmsKeyArn"),
  ),
  resourceRule("firehose-encrypted-cmk", "Firehose delivery streams are encrypted with a customer-managed KMS key.", ["aws:kinesis/firehoseDeliveryStream:FirehoseDeliveryStream"], (p) => {
    const sse = p.serverSideEncryption as Props | undefined;
    return needs(sse?.enabled === true && sse.keyType === "CUSTOMER_MANAGED_CMK" && customerKey(sse.keyArn), "delivery stream must enable serverSideEncryption with a CUSTOMER_MANAGED_CMK");
  }),
  resourceRule("kms-key-rotation", "KMS keys rotate automatically.", ["aws:kms/key:Key"], (p) =>
    needs(p.enableKeyRotation === true, "KMS key must set enableKeyRotation"),
  ),
  // Documents of EMR, Glue and Session Manager (services.ts).
  ...SERVICE_RULES.encryption,
];
