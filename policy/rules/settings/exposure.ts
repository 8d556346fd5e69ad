import { Row, is, not } from "./engine";

/**
 * Network exposure through settings: public IPs on instances, launch templates and subnets,
 * databases, brokers and notebooks reachable from the internet, public-access blocks turned off
 * (buckets, the account, EBS snapshots, AMIs), public Lambda URLs and EKS endpoints. World-open
 * security-group ingress on any port and family, inline or standalone, is ../exposure.ts's
 * no-public-ingress. checkov CKV_AWS_88, 130, 17, 87, 89, 69, 53-56, 258, 39; cdk-nag EC29,
 * RDS2, RS2, DMS1, S2, read 2026-11-27.
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
];
