/**
 * A database-only stack: a VPC and the platform's data layer (Aurora PostgreSQL Serverless v2,
 * Redis, the S3 buckets, customer-managed KMS keys), from two entry points of the package.
 */
import * as aws from "@pulumi/aws";
import * as awsx from "@pulumi/awsx";
import * as pulumi from "@pulumi/pulumi";
import * as random from "@pulumi/random";
import { Data } from "@platform/components/data";
import { Network } from "@platform/components/network";

const config = new pulumi.Config();
const region = new pulumi.Config("aws").require("region");
const tags = { env: pulumi.getStack(), project: pulumi.getProject(), "managed-by": "pulumi" };

// Default providers are disabled (Pulumi.yaml): each package gets an explicit one.
const awsProvider = new aws.Provider("aws", { region: region as aws.Region, defaultTags: { tags } });
const awsxProvider = new awsx.Provider("awsx", {});
const randomProvider = new random.Provider("random", {});

const network = new Network(
  "network",
  {
    cidr: config.require("cidr"),
    azCount: 2,
    layout: "full",
    // Nothing in this stack calls out to the internet: no NAT gateway to pay for.
    natGateways: "none",
    interfaceEndpoints: false,
    flowLogRetentionDays: 30,
  },
  { providers: [awsProvider, awsxProvider] },
);

// The escape hatch: Data does not expose the RDS Data API, so a Pulumi transform turns it on for
// the cluster Data creates. A component's transforms reach every resource under it
// (https://www.pulumi.com/docs/iac/concepts/options/transforms/); the Data API needs Aurora
// PostgreSQL 16.1 or later (https://docs.aws.amazon.com/AmazonRDS/latest/AuroraUserGuide/data-api.html).
const enableDataApi: pulumi.ResourceTransform = (args) =>
  args.type === "aws:rds/cluster:Cluster" ? { props: { ...args.props, enableHttpEndpoint: true }, opts: args.opts } : undefined;

const data = new Data(
  "data",
  {
    protect: false,
    aurora: {
      engineVersion: "16.6",
      instanceClass: "db.serverless",
      serverless: { minAcu: 0.5, maxAcu: 2 },
      readers: 0,
      secondaryReaders: 0,
      rdsProxy: false,
      databaseName: "reporting",
      masterUsername: "reporting_admin",
      backupRetentionDays: 7,
      backupWindow: "03:00-04:00",
      maintenanceWindow: "sun:05:00-sun:06:00",
      performanceInsightsRetentionDays: 7,
      monitoringIntervalSeconds: 0,
    },
    redis: { engineVersion: "7.1", nodeType: "cache.t4g.micro", replicas: 0, snapshotRetentionDays: 1, parameters: {}, slowLogRetentionDays: 7 },
    accessLogRetentionDays: 30,
    appSecrets: config.requireObject<string[]>("secrets"),
    primary: {
      isolatedSubnetIds: network.isolatedSubnetIds,
      availabilityZones: network.availabilityZones,
      dbSecurityGroupId: network.securityGroupIds.db,
      cacheSecurityGroupId: network.securityGroupIds.cache!,
      privateSubnetIds: network.privateSubnetIds,
    },
  },
  { providers: [awsProvider, randomProvider], transforms: [enableDataApi] },
);

export const vpcId = network.vpcId;
export const databaseEndpoint = data.aurora.writerEndpoint;
export const databaseSecretArn = data.secretArns.database;
export const redisEndpoint = data.cache.primaryEndpoint;
