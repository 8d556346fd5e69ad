/**
 * A database-only stack: a VPC and the platform's data layer (Aurora PostgreSQL Serverless v2,
 * Redis, the S3 buckets, customer-managed KMS keys), from two entry points of the package.
 * Everything not spelled out takes the component's default (components/REFERENCE.md).
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

// Nothing in this stack calls out to the internet: no NAT gateway to pay for.
const network = new Network("network", { cidr: config.require("cidr"), natGateways: "none" }, { providers: [awsProvider, awsxProvider] });

// The escape hatch: Data does not expose the RDS Data API, so a Pulumi transform turns it on for
// the cluster Data creates. A component's transforms reach every resource under it
// (https://www.pulumi.com/docs/iac/concepts/options/transforms/); the Data API needs Aurora
// PostgreSQL 16.1 or later (https://docs.aws.amazon.com/AmazonRDS/latest/AuroraUserGuide/data-api.html).
const enableDataApi: pulumi.ResourceTransform = (args) =>
  args.type === "aws:rds/cluster:Cluster" ? { props: { ...args.props, enableHttpEndpoint: true }, opts: args.opts } : undefined;

const data = new Data(
  "data",
  {
    aurora: {
      engineVersion: "16.6",
      instanceClass: "db.serverless",
      serverless: { minAcu: 0.5, maxAcu: 2 },
      databaseName: "reporting",
      masterUsername: "reporting_admin",
      // Enhanced monitoring off: Performance Insights (7 days, free) is enough for reporting.
      monitoringIntervalSeconds: 0,
    },
    redis: { engineVersion: "7.1", nodeType: "cache.t4g.micro" },
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
