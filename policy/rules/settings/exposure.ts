import { Row, is, not, oneOf, present } from "./engine";

const PUBLIC_ACLS = ["public-read", "public-read-write", "authenticated-read"];

/**
 * Round two (peer lists of 2026-12-01): checkov CKV_AWS_20, 57, 59, 123, 137, 154, 164, 205, 291, 302, 303, 306,
 * 309, 321, 323, 331, 370, 375, 390, 392, CKV2_AWS_43, 66, 70; FSBP S3.2, S3.3, S3.19, SSM.4, RDS.1, EC2.23,
 * EMR.2, OpenSearch.2, ES.2, Redshift.7, SageMaker.2, SageMaker.5, ElastiCache.7, APIGateway.8; cdk-nag AEC1,
 * OS1, RS2, SM1, APIG4.
 */
const EXPOSURE_ROUND_TWO: Row[] = [
  ...["aws:s3/bucketAcl:BucketAcl", "aws:s3/bucketAclV2:BucketAclV2", "aws:s3/bucket:Bucket", "aws:s3/bucketV2:BucketV2"].flatMap((type) =>
    PUBLIC_ACLS.map((acl): Row => ({ type, path: "acl", expect: not(acl), why: "a canned ACL that grants the world" })),
  ),
  ...["blockPublicAcls", "blockPublicPolicy", "ignorePublicAcls", "restrictPublicBuckets"].map((k): Row => ({ type: "aws:s3/accessPoint:AccessPoint", path: `publicAccessBlockConfiguration.${k}`, expect: oneOf(true, undefined) })),
  { type: "aws:rds/snapshot:Snapshot", path: "sharedAccounts[]", expect: not("all"), why: "a snapshot shared with all is restorable by anyone" },
  { type: "aws:rds/clusterSnapshot:ClusterSnapshot", path: "sharedAccounts[]", expect: not("all"), why: "a snapshot shared with all is restorable by anyone" },
  // `permissions` is a map with Terraform's keys: https://registry.terraform.io/providers/hashicorp/aws/latest/docs/resources/ssm_document#permissions
  { type: "aws:ssm/document:Document", path: "permissions.account_ids", expect: not("All"), why: "a document shared with All is public" },
  { type: "aws:ec2/amiLaunchPermission:AmiLaunchPermission", path: "group", expect: not("all"), why: "the AMI would be launchable by every account" },
  { type: "aws:transfer/server:Server", path: "endpointType", expect: oneOf("VPC", "VPC_ENDPOINT"), why: "the default endpoint is public" },
  { type: "aws:msk/cluster:Cluster", path: "brokerNodeGroupInfo.connectivityInfo.publicAccess.type", expect: oneOf("DISABLED", undefined) },
  { type: "aws:mwaa/environment:Environment", path: "webserverAccessMode", expect: is("PRIVATE_ONLY"), why: "the Airflow UI is public otherwise" },
  { type: "aws:emr/blockPublicAccessConfiguration:BlockPublicAccessConfiguration", path: "blockPublicSecurityGroupRules", expect: is(true) },
  { type: "aws:sagemaker/notebookInstance:NotebookInstance", path: "subnetId", expect: present, why: "without a subnet the notebook runs outside the VPC" },
  { type: "aws:sagemaker/model:Model", path: "enableNetworkIsolation", expect: is(true) },
  { type: "aws:opensearch/domain:Domain", path: "vpcOptions.subnetIds", expect: present, why: "a domain outside a VPC has a public endpoint" },
  { type: "aws:elasticsearch/domain:Domain", path: "vpcOptions.subnetIds", expect: present, why: "a domain outside a VPC has a public endpoint" },
  { type: "aws:redshift/cluster:Cluster", path: "clusterSubnetGroupName", expect: present, why: "a cluster outside a VPC subnet group" },
  { type: "aws:redshift/cluster:Cluster", path: "enhancedVpcRouting", expect: is(true), why: "COPY and UNLOAD traffic would leave the VPC" },
  { type: "aws:elasticache/cluster:Cluster", path: "subnetGroupName", expect: present, why: "a cache outside the platform's subnets" },
  { type: "aws:elasticache/cluster:Cluster", path: "subnetGroupName", expect: not("default"), why: "the default subnet group spans the default VPC" },
  { type: "aws:elasticache/replicationGroup:ReplicationGroup", path: "subnetGroupName", expect: not("default"), why: "the default subnet group spans the default VPC" },
  { type: "aws:rds/instance:Instance", path: "dbSubnetGroupName", expect: present, why: "without a subnet group the instance lands in the default VPC" },
  { type: "aws:ec2/vpcEndpointService:VpcEndpointService", path: "acceptanceRequired", expect: is(true), why: "any account could connect without approval" },
  { type: "aws:ec2transitgateway/transitGateway:TransitGateway", path: "autoAcceptSharedAttachments", expect: oneOf("disable", undefined) },
  { type: "aws:lambda/functionUrl:FunctionUrl", path: "cors.allowOrigins[]", expect: not("*"), why: "any site could call the function from a visitor's browser" },
  ...["aws:opensearch/domain:Domain", "aws:elasticsearch/domain:Domain"].map((type): Row => ({ type, path: "advancedSecurityOptions.enabled", expect: is(true), why: "fine-grained access control: without it, network access is all access" })),
  { type: "aws:apigatewayv2/route:Route", path: "authorizationType", expect: oneOf("AWS_IAM", "CUSTOM", "JWT"), why: "routes default to NONE" },
  { type: "aws:apigateway/method:Method", path: "authorization", expect: oneOf("AWS_IAM", "CUSTOM", "COGNITO_USER_POOLS"), why: "NONE lets anyone call the method" },
  // checkov CKV_AWS_248 (ElasticsearchDefaultSG.py: vpc_options.security_group_ids must be set, else the domain gets the
  // VPC's default group), read 2026-12-01; a group that is the default one is data-messaging's search-domain-default-sg.
  ...["aws:opensearch/domain:Domain", "aws:elasticsearch/domain:Domain"].map((type): Row => ({ type, path: "vpcOptions.securityGroupIds[]", expect: present, nonEmpty: true, why: "without its own security group the domain gets the VPC's default group" })),
];

/**
 * Network exposure through settings: public IPs on instances, launch templates and subnets,
 * databases, brokers and notebooks reachable from the internet, public-access blocks turned off
 * (buckets, the account, EBS snapshots, AMIs), public Lambda URLs and EKS endpoints. World-open
 * security-group ingress on any port and family, inline or standalone, is ../exposure.ts's
 * no-public-ingress. checkov CKV_AWS_88, 130, 17, 87, 89, 69, 53-56, 258, 39; cdk-nag S2, RS8,
 * SM3, EKS1, read 2026-11-27 (cdk-nag ids corrected 2026-12-01 against its pack: EC29 is
 * termination protection, RDS2 storage encryption, and there is no DMS1).
 */
export const EXPOSURE: Row[] = [
  { type: "aws:ec2/instance:Instance", path: "associatePublicIpAddress", expect: not(true) },
  { type: "aws:ec2/launchTemplate:LaunchTemplate", path: "networkInterfaces[].associatePublicIpAddress", expect: not("true") },
  { type: "aws:ec2/launchConfiguration:LaunchConfiguration", path: "associatePublicIpAddress", expect: not(true) },
  { type: "aws:ec2/spotInstanceRequest:SpotInstanceRequest", path: "associatePublicIpAddress", expect: not(true) },
  { type: "aws:ec2/defaultSubnet:DefaultSubnet", path: "mapPublicIpOnLaunch", expect: is(false), why: "default subnets give instances public IPs unless told otherwise" },
  { type: "aws:ec2/subnet:Subnet", path: "mapPublicIpOnLaunch", expect: not(true), why: "instances there get public IPs by default" },
  { type: "aws:rds/instance:Instance", path: "publiclyAccessible", expect: not(true) },
  { type: "aws:rds/clusterInstance:ClusterInstance", path: "publiclyAccessible", expect: not(true) },
  { type: "aws:neptune/clusterInstance:ClusterInstance", path: "publiclyAccessible", expect: not(true) },
  { type: "aws:rds/shardGroup:ShardGroup", path: "publiclyAccessible", expect: not(true) },
  { type: "aws:redshiftserverless/workgroup:Workgroup", path: "publiclyAccessible", expect: not(true) },
  { type: "aws:timestreaminfluxdb/dbCluster:DbCluster", path: "publiclyAccessible", expect: not(true) },
  { type: "aws:timestreaminfluxdb/dbInstance:DbInstance", path: "publiclyAccessible", expect: not(true) },
  { type: "aws:lightsail/database:Database", path: "publiclyAccessible", expect: not(true) },
  { type: "aws:m2/environment:Environment", path: "publiclyAccessible", expect: not(true) },
  { type: "aws:dms/instanceProfile:InstanceProfile", path: "publiclyAccessible", expect: is(false), why: "DMS defaults to public" },
  { type: "aws:redshift/cluster:Cluster", path: "publiclyAccessible", expect: is(false), why: "Redshift clusters were public unless told otherwise" },
  { type: "aws:dms/replicationInstance:ReplicationInstance", path: "publiclyAccessible", expect: is(false), why: "DMS replication instances default to public" },
  { type: "aws:mq/broker:Broker", path: "publiclyAccessible", expect: not(true) },
  { type: "aws:sagemaker/notebookInstance:NotebookInstance", path: "directInternetAccess", expect: is("Disabled") },
  { type: "aws:eks/cluster:Cluster", path: "vpcConfig.endpointPublicAccess", expect: is(false), why: "the EKS API endpoint is public by default" },
  { type: "aws:lambda/functionUrl:FunctionUrl", path: "authorizationType", expect: is("AWS_IAM") },
  { type: "aws:lambda/permission:Permission", path: "principal", expect: not("*"), why: "name the invoking service or account" },
  ...["blockPublicAcls", "blockPublicPolicy", "ignorePublicAcls", "restrictPublicBuckets"].flatMap((path): Row[] => [
    { type: "aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock", path, expect: is(true) },
    { type: "aws:s3/accountPublicAccessBlock:AccountPublicAccessBlock", path, expect: is(true) },
  ]),
  { type: "aws:ebs/snapshotBlockPublicAccess:SnapshotBlockPublicAccess", path: "state", expect: is("block-all-sharing") },
  { type: "aws:ec2/imageBlockPublicAccess:ImageBlockPublicAccess", path: "state", expect: is("block-new-sharing") },
  ...EXPOSURE_ROUND_TWO,
];
