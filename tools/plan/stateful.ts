/**
 * Resources whose replacement loses data or breaks what depends on them by identity. Shared by the
 * URN-continuity test (a moved one must carry an alias) and the CI guard on the real engine's
 * preview (tools/ci/previewGuard.ts: no replace or delete without an explicit label).
 */
export const STATEFUL_TYPES: readonly string[] = [
  "aws:rds/globalCluster:GlobalCluster",
  "aws:rds/cluster:Cluster",
  "aws:rds/clusterInstance:ClusterInstance",
  "aws:elasticache/replicationGroup:ReplicationGroup",
  "aws:s3/bucket:Bucket",
  "aws:kms/key:Key",
  "aws:secretsmanager/secret:Secret",
  "aws:backup/vault:Vault",
  "aws:ecr/repository:Repository",
  "aws:codeartifact/domain:Domain",
  "aws:codeartifact/repository:Repository",
  "aws:sqs/queue:Queue",
  "aws:cloudwatch/logGroup:LogGroup",
  "aws:iam/openIdConnectProvider:OpenIdConnectProvider",
];
