import * as aws from "@pulumi/aws";
import { loadConfig } from "./config";
import { Network } from "./components/network";
import { defaultTags } from "./lib/tags";
import { splitByFamily } from "./config/cidr";

// The only place that reads stack config: everything below receives typed values.
const cfg = loadConfig();

const tags = defaultTags({ environment: cfg.environment, project: cfg.project, extra: cfg.tags });
const primary = new aws.Provider("primary", { region: cfg.region, defaultTags: { tags } });

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
  },
  { providers: [primary] },
);

export const environment = cfg.environment;
export const region = cfg.region;
export const vpcId = network.vpcId;
export const availabilityZones = network.availabilityZones;
export const privateSubnetIds = network.privateSubnetIds;
export const isolatedSubnetIds = network.isolatedSubnetIds;
