import { Row, atLeast, is, oneOf } from "./engine";

/**
 * Backups and recovery in every environment: automated backups kept, point-in-time recovery,
 * tags copied to snapshots (so a restore keeps its owner and cost tags), Aurora MySQL's backtrack.
 * Peer lists of 2026-12-01: checkov CKV_AWS_28, 133, 313, 326, 343, 360-362, CKV2_AWS_60;
 * FSBP DynamoDB.2, RDS.11, RDS.14, RDS.16, RDS.17, DocumentDB.2, Neptune.5, Neptune.8,
 * Redshift.3; cdk-nag DDB3, RDS13, RDS14, DOC4, N3, RS10. Seven days is FSBP's default for
 * DocumentDB.2 and Neptune.5.
 */
export const RESILIENCE: Row[] = [
  { type: "aws:dynamodb/table:Table", path: "pointInTimeRecovery.enabled", expect: is(true) },
  { type: "aws:dynamodb/tableReplica:TableReplica", path: "pointInTimeRecovery", expect: is(true) },
  { type: "aws:keyspaces/table:Table", path: "pointInTimeRecovery.status", expect: is("ENABLED") },
  { type: "aws:docdb/elasticCluster:ElasticCluster", path: "backupRetentionPeriod", expect: atLeast(7) },
  { type: "aws:rds/instance:Instance", path: "backupRetentionPeriod", expect: atLeast(1), why: "0 turns automated backups off" },
  { type: "aws:docdb/cluster:Cluster", path: "backupRetentionPeriod", expect: atLeast(7) },
  { type: "aws:neptune/cluster:Cluster", path: "backupRetentionPeriod", expect: atLeast(7) },
  { type: "aws:redshift/cluster:Cluster", path: "automatedSnapshotRetentionPeriod", expect: atLeast(1), why: "0 turns automated snapshots off" },
  { type: "aws:rds/cluster:Cluster", path: "copyTagsToSnapshot", expect: is(true) },
  { type: "aws:rds/instance:Instance", path: "copyTagsToSnapshot", expect: is(true) },
  { type: "aws:neptune/cluster:Cluster", path: "copyTagsToSnapshot", expect: is(true) },
  // Backtrack exists for Aurora MySQL only: https://docs.aws.amazon.com/AmazonRDS/latest/AuroraUserGuide/AuroraMySQL.Managing.Backtrack.html
  { type: "aws:rds/cluster:Cluster", path: "backtrackWindow", expect: atLeast(1), when: { engine: "aurora-mysql" } },
];

/**
 * Prod only (pack config `environment: prod`): deletion protection on every kind that has it,
 * multi-AZ for single-instance databases, search domains with three dedicated masters over
 * zones. Aurora's own are prod-aurora-*; load balancers' is prod-lb-deletion-protection.
 * Peer lists of 2026-12-01: checkov CKV_AWS_157, 172, 293, 318, 344, CKV2_AWS_58, 59; FSBP RDS.5,
 * RDS.8, DocumentDB.5, Neptune.4, DynamoDB.6, NetworkFirewall.9, ES.6, ES.7, OpenSearch.6;
 * cdk-nag RDS3, RDS10, EC29, OS4, OS7.
 */
export const PROD_RESILIENCE: Row[] = [
  // Redis backups are prod's: dev's cache is disposable (Pulumi.dev.yaml redis.snapshotRetentionDays 0;
  // config/crossChecks.ts requires 1 or more in prod). checkov CKV_AWS_134, FSBP ElastiCache.1.
  { type: "aws:elasticache/replicationGroup:ReplicationGroup", path: "snapshotRetentionLimit", expect: atLeast(1), why: "0 turns Redis backups off" },
  { type: "aws:elasticache/cluster:Cluster", path: "snapshotRetentionLimit", expect: atLeast(1), when: { engine: "redis" }, why: "0 turns Redis backups off" },
  { type: "aws:elasticache/serverlessCache:ServerlessCache", path: "snapshotRetentionLimit", expect: atLeast(1), why: "0 turns backups off" },
  { type: "aws:memorydb/cluster:Cluster", path: "snapshotRetentionLimit", expect: atLeast(1), why: "0 turns backups off" },
  { type: "aws:rds/instance:Instance", path: "deletionProtection", expect: is(true) },
  { type: "aws:rds/instance:Instance", path: "multiAz", expect: is(true), why: "a single-AZ instance is down while its AZ is" },
  { type: "aws:docdb/cluster:Cluster", path: "deletionProtection", expect: is(true) },
  { type: "aws:neptune/cluster:Cluster", path: "deletionProtection", expect: is(true) },
  { type: "aws:dynamodb/table:Table", path: "deletionProtectionEnabled", expect: is(true) },
  { type: "aws:dynamodb/tableReplica:TableReplica", path: "deletionProtectionEnabled", expect: is(true) },
  { type: "aws:dsql/cluster:Cluster", path: "deletionProtectionEnabled", expect: is(true) },
  { type: "aws:docdb/globalCluster:GlobalCluster", path: "deletionProtection", expect: is(true) },
  { type: "aws:neptune/globalCluster:GlobalCluster", path: "deletionProtection", expect: is(true) },
  { type: "aws:neptunegraph/graph:Graph", path: "deletionProtection", expect: oneOf(true, undefined) },
  { type: "aws:eks/cluster:Cluster", path: "deletionProtection", expect: is(true) },
  { type: "aws:cognito/userPool:UserPool", path: "deletionProtection", expect: is("ACTIVE"), why: "deleting a user pool deletes every user's identity" },
  { type: "aws:verifiedpermissions/policyStore:PolicyStore", path: "deletionProtection", expect: is("ENABLED") },
  { type: "aws:qldb/ledger:Ledger", path: "deletionProtection", expect: oneOf(true, undefined) },
  { type: "aws:networkfirewall/firewall:Firewall", path: "deleteProtection", expect: is(true) },
  { type: "aws:ec2/instance:Instance", path: "disableApiTermination", expect: is(true) },
  { type: "aws:sagemaker/endpointConfiguration:EndpointConfiguration", path: "productionVariants[].initialInstanceCount", expect: atLeast(2), why: "one instance is one AZ" },
  ...["aws:opensearch/domain:Domain", "aws:elasticsearch/domain:Domain"].flatMap((type): Row[] => [
    { type, path: "clusterConfig.dedicatedMasterEnabled", expect: is(true) },
    { type, path: "clusterConfig.dedicatedMasterCount", expect: atLeast(3) },
    { type, path: "clusterConfig.instanceCount", expect: atLeast(3) },
    { type, path: "clusterConfig.zoneAwarenessEnabled", expect: is(true) },
  ]),
];
