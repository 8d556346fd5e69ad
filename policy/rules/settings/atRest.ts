import { Row, is, oneOf, present } from "./engine";

/**
 * Encryption at rest, for every storage kind the pinned @pulumi/aws can create with the setting
 * off: block volumes, file systems, databases and caches of every engine, streams, search, logs,
 * trails, notebooks, query results. Kinds AWS always encrypts (S3 since 2023, DynamoDB, FSx,
 * MemoryDB, ElastiCache Serverless) have no row; the CMK rules in ../encryption.ts add the
 * customer-key requirement for the kinds this platform uses.
 * Sources: checkov's AWS checks (CKV_AWS_3, 16, 17, 42, 84, 58, 43, 29, 64, 189...) and cdk-nag
 * AwsSolutions (EC26, EFS1, RDS2, DOC1, N1, RS1, OS1, ASC3), read 2026-11-27.
 */
export const AT_REST: Row[] = [
  { type: "aws:ebs/volume:Volume", path: "encrypted", expect: is(true) },
  { type: "aws:ebs/snapshotCopy:SnapshotCopy", path: "encrypted", expect: is(true) },
  { type: "aws:ebs/snapshotImport:SnapshotImport", path: "encrypted", expect: is(true) },
  { type: "aws:ec2/amiCopy:AmiCopy", path: "encrypted", expect: is(true) },
  { type: "aws:ebs/encryptionByDefault:EncryptionByDefault", path: "enabled", expect: is(true) },
  { type: "aws:ec2/instance:Instance", path: "rootBlockDevice.encrypted", expect: is(true) },
  { type: "aws:ec2/instance:Instance", path: "ebsBlockDevices[].encrypted", expect: is(true) },
  { type: "aws:ec2/launchTemplate:LaunchTemplate", path: "blockDeviceMappings[].ebs.encrypted", expect: is("true") },
  { type: "aws:ec2/launchConfiguration:LaunchConfiguration", path: "rootBlockDevice.encrypted", expect: is(true) },
  { type: "aws:ec2/launchConfiguration:LaunchConfiguration", path: "ebsBlockDevices[].encrypted", expect: is(true) },
  { type: "aws:efs/fileSystem:FileSystem", path: "encrypted", expect: is(true) },
  { type: "aws:rds/instance:Instance", path: "storageEncrypted", expect: is(true) },
  { type: "aws:rds/cluster:Cluster", path: "storageEncrypted", expect: is(true) },
  { type: "aws:rds/globalCluster:GlobalCluster", path: "storageEncrypted", expect: is(true) },
  { type: "aws:docdb/cluster:Cluster", path: "storageEncrypted", expect: is(true) },
  { type: "aws:docdb/globalCluster:GlobalCluster", path: "storageEncrypted", expect: is(true) },
  { type: "aws:neptune/cluster:Cluster", path: "storageEncrypted", expect: is(true) },
  { type: "aws:neptune/globalCluster:GlobalCluster", path: "storageEncrypted", expect: is(true) },
  { type: "aws:redshift/cluster:Cluster", path: "encrypted", expect: is(true) },
  { type: "aws:elasticache/replicationGroup:ReplicationGroup", path: "atRestEncryptionEnabled", expect: is(true) },
  { type: "aws:appsync/apiCache:ApiCache", path: "atRestEncryptionEnabled", expect: is(true) },
  { type: "aws:dax/cluster:Cluster", path: "serverSideEncryption.enabled", expect: is(true) },
  { type: "aws:kinesis/stream:Stream", path: "encryptionType", expect: is("KMS") },
  { type: "aws:kinesis/firehoseDeliveryStream:FirehoseDeliveryStream", path: "serverSideEncryption.enabled", expect: is(true), when: { destination: "http_endpoint" } },
  { type: "aws:opensearch/domain:Domain", path: "encryptAtRest.enabled", expect: is(true) },
  { type: "aws:elasticsearch/domain:Domain", path: "encryptAtRest.enabled", expect: is(true) },
  { type: "aws:msk/cluster:Cluster", path: "encryptionInfo.encryptionAtRestKmsKeyArn", expect: present },
  { type: "aws:sagemaker/notebookInstance:NotebookInstance", path: "kmsKeyId", expect: present },
  { type: "aws:sagemaker/domain:Domain", path: "kmsKeyId", expect: present },
  { type: "aws:cloudtrail/trail:Trail", path: "kmsKeyId", expect: present },
  { type: "aws:athena/workgroup:Workgroup", path: "configuration.resultConfiguration.encryptionConfiguration.encryptionOption", expect: oneOf("SSE_KMS", "CSE_KMS", "SSE_S3") },
  { type: "aws:glue/dataCatalogEncryptionSettings:DataCatalogEncryptionSettings", path: "dataCatalogEncryptionSettings.encryptionAtRest.catalogEncryptionMode", expect: oneOf("SSE-KMS", "SSE-KMS-WITH-SERVICE-ROLE") },
  { type: "aws:xray/encryptionConfig:EncryptionConfig", path: "type", expect: is("KMS") },
  { type: "aws:workspaces/workspace:Workspace", path: "rootVolumeEncryptionEnabled", expect: is(true) },
  { type: "aws:workspaces/workspace:Workspace", path: "userVolumeEncryptionEnabled", expect: is(true) },
  { type: "aws:codebuild/project:Project", path: "artifacts.encryptionDisabled", expect: oneOf(false, undefined) },
  { type: "aws:sns/topic:Topic", path: "kmsMasterKeyId", expect: present },
  { type: "aws:cloudwatch/logGroup:LogGroup", path: "kmsKeyId", expect: present },
  { type: "aws:secretsmanager/secret:Secret", path: "kmsKeyId", expect: present },
  { type: "aws:backup/vault:Vault", path: "kmsKeyArn", expect: present },
  { type: "aws:ecr/repository:Repository", path: "encryptionConfigurations[].encryptionType", expect: is("KMS") },
  // Round two (peer lists of 2026-12-01: checkov CKV_AWS_58, 77, 82, 98, 99, 311; FSBP EKS.3, CodeBuild.3, CodeBuild.7).
  { type: "aws:eks/cluster:Cluster", path: "encryptionConfig.provider.keyArn", expect: present, why: "Kubernetes secrets are stored unencrypted in etcd otherwise" },
  { type: "aws:sagemaker/endpointConfiguration:EndpointConfiguration", path: "kmsKeyArn", expect: present },
  { type: "aws:athena/database:Database", path: "encryptionConfiguration.encryptionOption", expect: oneOf("SSE_KMS", "CSE_KMS", "SSE_S3") },
  { type: "aws:athena/workgroup:Workgroup", path: "configuration.enforceWorkgroupConfiguration", expect: oneOf(true, undefined), why: "clients could otherwise turn result encryption off" },
  { type: "aws:glue/securityConfiguration:SecurityConfiguration", path: "encryptionConfiguration.s3Encryption.s3EncryptionMode", expect: oneOf("SSE-KMS", "SSE-S3") },
  { type: "aws:codebuild/project:Project", path: "logsConfig.s3Logs.encryptionDisabled", expect: oneOf(false, undefined) },
  { type: "aws:codebuild/reportGroup:ReportGroup", path: "exportConfig.s3Destination.encryptionDisabled", expect: oneOf(false, undefined) },
  // Cache encryption where caching is on: checkov CKV_AWS_308 (APIGatewayMethodSettingsCacheEncrypted.py fails
  // caching_enabled without cache_data_encrypted), FSBP APIGateway.5 (prowler apigateway_restapi_cache_encrypted), read 2026-12-01.
  { type: "aws:apigateway/methodSettings:MethodSettings", path: "settings.cacheDataEncrypted", expect: is(true), when: { "settings.cachingEnabled": true }, why: "cached responses would sit unencrypted in the stage's cache" },
];
