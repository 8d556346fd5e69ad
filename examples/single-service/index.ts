/**
 * One public service on ECS Fargate behind an HTTPS ALB in a new VPC, from two entry points of
 * the package. The database is the team's own (a host name), so the service reads no platform
 * secrets; the ALB's access-log bucket and the certificate are this stack's and config's.
 */
import * as aws from "@pulumi/aws";
import * as awsx from "@pulumi/awsx";
import * as pulumi from "@pulumi/pulumi";
import { Compute, TEST_LISTENER_PORT } from "@platform/components/compute";
import { Network } from "@platform/components/network";

const config = new pulumi.Config();
const region = new pulumi.Config("aws").require("region");
const prefix = `${pulumi.getProject()}-${pulumi.getStack()}`;
const tags = { env: pulumi.getStack(), project: pulumi.getProject(), "managed-by": "pulumi" };

// Default providers are disabled (Pulumi.yaml): each package gets an explicit one.
const awsProvider = new aws.Provider("aws", { region: region as aws.Region, defaultTags: { tags } });
const awsxProvider = new awsx.Provider("awsx", {});

const service = {
  name: "web",
  port: 8080,
  paths: ["/*"],
  cpu: 256,
  memory: 512,
  healthCheckPath: "/health",
  environment: { LOG_LEVEL: "info" },
  secrets: {},
  sendsTo: [],
  publishesEvents: false,
  migrationGate: false,
  readOnlyRootFilesystem: true,
};

const network = new Network(
  "network",
  {
    cidr: config.require("cidr"),
    azCount: 2,
    layout: "full",
    natGateways: "single",
    interfaceEndpoints: false,
    flowLogRetentionDays: 30,
    // Network admits the ALB only from specific ranges, never 0.0.0.0/0 (the platform puts
    // Cloudflare in front); this example's users come through the office VPN.
    albIngressCidrs: { ipv4: config.requireObject<string[]>("allowedIpv4Cidrs"), ipv6: [] },
    appPorts: [service.port],
    albTestPort: TEST_LISTENER_PORT,
  },
  { providers: [awsProvider, awsxProvider] },
);

// The ALB's access logs (Compute writes them under `alb/`): a private, TLS-only bucket the
// region's Elastic Load Balancing account may write to. ALB log delivery supports SSE-S3 only
// (https://docs.aws.amazon.com/elasticloadbalancing/latest/application/enable-access-logging.html).
const inRegion = { provider: awsProvider };
const accessLogs = new aws.s3.Bucket("alb-access-logs", { forceDestroy: true }, inRegion);
const publicAccess = new aws.s3.BucketPublicAccessBlock(
  "alb-access-logs",
  { bucket: accessLogs.id, blockPublicAcls: true, blockPublicPolicy: true, ignorePublicAcls: true, restrictPublicBuckets: true },
  inRegion,
);
new aws.s3.BucketServerSideEncryptionConfiguration("alb-access-logs", { bucket: accessLogs.id, rules: [{ applyServerSideEncryptionByDefault: { sseAlgorithm: "AES256" } }] }, inRegion);
// Parts of failed multipart uploads are dropped after 7 days too (the pack's s3-abort-incomplete-uploads, checkov CKV_AWS_300).
new aws.s3.BucketLifecycleConfiguration(
  "alb-access-logs",
  { bucket: accessLogs.id, rules: [{ id: "expire", status: "Enabled", filter: {}, expiration: { days: 30 }, abortIncompleteMultipartUpload: { daysAfterInitiation: 7 } }] },
  inRegion,
);
// Versioned, as the policy pack's s3-bucket-configuration requires of every bucket (Security Hub S3.14).
new aws.s3.BucketVersioning("alb-access-logs", { bucket: accessLogs.id, versioningConfiguration: { status: "Enabled" } }, inRegion);
const elbAccount = aws.elb.getServiceAccountOutput({}, inRegion);
new aws.s3.BucketPolicy(
  "alb-access-logs",
  {
    bucket: accessLogs.id,
    policy: pulumi.jsonStringify({
      Version: "2012-10-17",
      Statement: [
        { Sid: "DenyInsecureTransport", Effect: "Deny", Principal: "*", Action: "s3:*", Resource: [accessLogs.arn, pulumi.interpolate`${accessLogs.arn}/*`], Condition: { Bool: { "aws:SecureTransport": "false" } } },
        { Sid: "AlbLogDelivery", Effect: "Allow", Principal: { AWS: elbAccount.arn }, Action: "s3:PutObject", Resource: pulumi.interpolate`${accessLogs.arn}/alb/*` },
      ],
    }),
  },
  { ...inRegion, dependsOn: [publicAccess] },
);

const compute = new Compute(
  "compute",
  {
    prefix,
    environment: pulumi.getStack(),
    protect: false,
    settings: {
      imageTag: config.require("imageTag"),
      capacity: "spot",
      scaling: { minTasks: 1, maxTasks: 3 },
      bakeTimeMinutes: 0,
      exec: false,
      logRetentionDays: 30,
      keepImages: 10,
      migrations: { image: "web", command: ["npm", "run", "migrate"], cpu: 256, memory: 512, secrets: {} },
    },
    services: [service],
    queues: [],
    schedules: [],
    network: {
      vpcId: network.vpcId,
      publicSubnetIds: network.publicSubnetIds,
      privateSubnetIds: network.privateSubnetIds,
      albSecurityGroupId: network.securityGroupIds.alb!,
      appSecurityGroupId: network.securityGroupIds.app!,
    },
    certificateArn: config.require("certificateArn"),
    accessLogsBucket: accessLogs.bucket,
    secrets: { arns: {}, kmsKeyArns: [] },
    endpoints: { databaseHost: config.require("databaseHost"), databaseReaderHost: config.require("databaseHost"), databasePort: 5432, databaseName: "reporting", redisHost: "" },
  },
  { providers: [awsProvider] },
);

export const albDnsName = compute.albDnsName;
export const clusterName = compute.clusterName;
export const serviceNames = compute.services.map((s) => s.serviceName);
