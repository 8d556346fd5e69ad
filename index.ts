import * as aws from "@pulumi/aws";
import * as random from "@pulumi/random";
import { loadConfig } from "./config";
import { Data } from "./components/data";
import { Network } from "./components/network";
import { defaultTags } from "./lib/tags";
import { splitByFamily } from "./config/cidr";

// The only place that reads stack config: everything below receives typed values.
const cfg = loadConfig();

const tags = defaultTags({ environment: cfg.environment, project: cfg.project, extra: cfg.tags });
const primary = new aws.Provider("primary", { region: cfg.region, defaultTags: { tags } });
// Default providers are disabled (Pulumi.yaml), so every package gets an explicit one.
const randomProvider = new random.Provider("random", {});

const network = new Network(
  "network",
  {
    cidr: cfg.network.cidr,
    azCount: cfg.network.azCount,
    layout: "full",
    natGateways: cfg.network.natGateways,
    interfaceEndpoints: cfg.network.vpcEndpoints,
    flowLogRetentionDays: cfg.network.flowLogRetentionDays,
    albIngressCidrs: splitByFamily(cfg.edgeCidrs),
    appPorts: cfg.services.map((s) => s.port),
    databaseProxy: cfg.aurora.rdsProxy,
  },
  { providers: [primary] },
);

// The Aurora secondary region: its own provider (same default tags) and an isolated-only VPC.
const secondary = cfg.secondaryRegion
  ? (() => {
      const provider = new aws.Provider("secondary", { region: cfg.secondaryRegion, defaultTags: { tags } });
      const net = new Network(
        "network-secondary",
        {
          cidr: cfg.network.secondaryCidr!,
          azCount: cfg.network.azCount,
          layout: "isolatedOnly",
          natGateways: "none",
          interfaceEndpoints: false,
          flowLogRetentionDays: cfg.network.flowLogRetentionDays,
        },
        { providers: [provider] },
      );
      return { provider, network: net };
    })()
  : undefined;

const data = new Data(
  "data",
  {
    protect: cfg.protect,
    aurora: cfg.aurora,
    redis: cfg.redis,
    backup: cfg.backup,
    accessLogRetentionDays: cfg.storage.accessLogRetentionDays,
    primary: {
      cacheSecurityGroupId: network.securityGroupIds.cache!,
      privateSubnetIds: network.privateSubnetIds,
      proxySecurityGroupId: network.securityGroupIds.proxy,
      isolatedSubnetIds: network.isolatedSubnetIds,
      availabilityZones: network.availabilityZones,
      dbSecurityGroupId: network.securityGroupIds.db,
    },
    secondary: secondary && {
      provider: secondary.provider,
      isolatedSubnetIds: secondary.network.isolatedSubnetIds,
      availabilityZones: secondary.network.availabilityZones,
      dbSecurityGroupId: secondary.network.securityGroupIds.db,
    },
  },
  { providers: [primary, randomProvider] },
);

export const environment = cfg.environment;
export const region = cfg.region;
export const vpcId = network.vpcId;
export const availabilityZones = network.availabilityZones;
export const privateSubnetIds = network.privateSubnetIds;
export const isolatedSubnetIds = network.isolatedSubnetIds;
export const databaseWriterEndpoint = data.aurora.writerEndpoint;
export const databaseReaderEndpoint = data.aurora.readerEndpoint;
export const databaseSecondaryReaderEndpoint = data.aurora.secondaryReaderEndpoint;
export const databasePort = data.aurora.port;
export const databaseProxyEndpoint = data.aurora.proxyEndpoint;
export const databaseSecretArn = data.aurora.masterSecretArn;
export const globalClusterId = data.aurora.globalClusterId;
export const redisPrimaryEndpoint = data.cache.primaryEndpoint;
export const redisAuthSecretArn = data.cache.authSecretArn;
export const mediaBucket = data.storage.mediaBucket.bucket;
export const accessLogsBucket = data.storage.accessLogsBucket.bucket;
