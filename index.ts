import * as aws from "@pulumi/aws";
import * as awsx from "@pulumi/awsx";
import * as cloudflare from "@pulumi/cloudflare";
import * as datadog from "@pulumi/datadog";
import * as pulumi from "@pulumi/pulumi";
import * as random from "@pulumi/random";
import { loadConfig } from "./config";
import { Compute, Delivery, TEST_LISTENER_PORT } from "./components/compute";
import { Data } from "./components/data";
import { Edge, ValidatedCertificate } from "./components/edge";
import { Network } from "./components/network";
import { Observability } from "./components/observability";
import { datadogApiUrl } from "./config/observability";
import { defaultTags } from "./lib/tags";

// The only place that reads stack config: everything below receives typed values.
const cfg = loadConfig();

const tags = defaultTags({ environment: cfg.environment, project: cfg.project, extra: cfg.tags });
const primary = new aws.Provider("primary", { region: cfg.region, defaultTags: { tags } });
// awsx components are remote: the engine hands them the provider of their own package from the
// providers map, so each region needs an awsx provider next to its aws one (pulumi/pulumi-awsx#930).
// The awsx provider has no settings; its children take the region from the aws provider beside it.
const primaryAwsx = new awsx.Provider("awsx-primary", {});
// Default providers are disabled (Pulumi.yaml), so every package gets an explicit one.
const randomProvider = new random.Provider("random", {});
const cloudflareProvider = new cloudflare.Provider("cloudflare", { apiToken: cfg.credentials.cloudflareApiToken });
const datadogProvider = new datadog.Provider("datadog", {
  apiKey: cfg.credentials.datadogApiKey,
  appKey: cfg.credentials.datadogAppKey,
  apiUrl: datadogApiUrl(cfg.observability.datadog.site),
});
const prefix = `${cfg.project}-${cfg.stack}`;
// CloudFront only takes certificates from us-east-1: a third AWS provider with the same tags.
const usEast1 = cfg.region === "us-east-1" ? primary : new aws.Provider("us-east-1", { region: "us-east-1", defaultTags: { tags } });

// The origin accepts Cloudflare's published ranges only, as Cloudflare publishes them.
const cloudflareRanges = cloudflare.getIpRangesOutput({}, { provider: cloudflareProvider });

const network = new Network(
  "network",
  {
    cidr: cfg.network.cidr,
    azCount: cfg.network.azCount,
    layout: "full",
    natGateways: cfg.network.natGateways,
    interfaceEndpoints: cfg.network.vpcEndpoints,
    flowLogRetentionDays: cfg.network.flowLogRetentionDays,
    protect: cfg.protect,
    albIngressCidrs: { ipv4: cloudflareRanges.ipv4Cidrs, ipv6: cloudflareRanges.ipv6Cidrs },
    appPorts: cfg.services.map((s) => s.port),
    databaseProxy: cfg.aurora.rdsProxy,
    albTestPort: TEST_LISTENER_PORT,
  },
  { providers: [primary, primaryAwsx] },
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
          protect: cfg.protect,
        },
        { providers: [provider, new awsx.Provider("awsx-secondary", {})] },
      );
      return { provider, network: net };
    })()
  : undefined;

// The media bucket admits only the edge's CloudFront distribution, which needs the bucket first:
// the bucket policy takes the distribution's ARN once the edge has created it.
const [mediaDistributionArn, resolveMediaDistributionArn] = pulumi.deferredOutput<string>();

const data = new Data(
  "data",
  {
    protect: cfg.protect,
    aurora: cfg.aurora,
    redis: cfg.redis,
    backup: cfg.backup,
    accessLogRetentionDays: cfg.storage.accessLogRetentionDays,
    appSecrets: cfg.secrets,
    mediaDistributionArn,
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

// The ALB's certificate (the domain and *.domain), validated through records in the Cloudflare zone.
const albCertificate = new ValidatedCertificate(
  "alb-certificate",
  { domainName: cfg.dns.domain, wildcard: true, zoneId: cfg.dns.zoneId },
  { providers: [primary, cloudflareProvider] },
);

const compute = new Compute(
  "compute",
  {
    prefix,
    environment: cfg.environment,
    protect: cfg.protect,
    settings: cfg.compute,
    services: cfg.services,
    queues: cfg.queues,
    schedules: cfg.schedules,
    network: {
      vpcId: network.vpcId,
      publicSubnetIds: network.publicSubnetIds,
      privateSubnetIds: network.privateSubnetIds,
      albSecurityGroupId: network.securityGroupIds.alb!,
      appSecurityGroupId: network.securityGroupIds.app!,
    },
    certificateArn: albCertificate.arn,
    accessLogsBucket: data.storage.accessLogsBucket.bucket,
    secrets: { arns: data.secretArns, kmsKeyArns: [data.kmsKeyArn] },
    endpoints: {
      databaseHost: data.aurora.proxyEndpoint ?? data.aurora.writerEndpoint,
      databaseReaderHost: data.aurora.readerEndpoint,
      databasePort: data.aurora.port,
      databaseName: cfg.aurora.databaseName,
      redisHost: data.cache.primaryEndpoint,
    },
  },
  { providers: [primary] },
);

const edge = new Edge(
  "edge",
  {
    zoneId: cfg.dns.zoneId,
    domain: cfg.dns.domain,
    plan: cfg.edge.plan,
    addOns: cfg.edge.addOns,
    hosts: cfg.edge.hosts,
    mediaHost: cfg.edge.mediaHost ?? `media.${cfg.dns.domain}`,
    hsts: cfg.edge.hsts,
    waf: cfg.edge.waf,
    rateLimits: cfg.edge.rateLimits,
    botFightMode: cfg.edge.botFightMode,
    cache: cfg.edge.cache,
    dynamicPaths: cfg.services.flatMap((s) => s.paths).filter((p) => p !== "/*"),
    albDnsName: compute.albDnsName,
    media: { bucketRegionalDomainName: data.storage.mediaBucket.bucketRegionalDomainName },
    certificateProvider: usEast1,
  },
  { providers: [primary, cloudflareProvider] },
);
resolveMediaDistributionArn(edge.mediaDistributionArn);

const observability = new Observability(
  "observability",
  {
    prefix,
    environment: cfg.environment,
    protect: cfg.protect,
    settings: cfg.observability,
    region: cfg.region,
    stack: {
      clusterName: compute.clusterName,
      albArnSuffix: compute.albArnSuffix,
      services: compute.services,
      queues: compute.queues,
      schedulesDeadLetterQueueName: compute.schedulesDeadLetterQueueName,
      aurora: {
        clusterIdentifier: data.aurora.clusterIdentifier,
        secondary: cfg.secondaryRegion && data.aurora.secondaryClusterIdentifier ? { region: cfg.secondaryRegion, clusterIdentifier: data.aurora.secondaryClusterIdentifier } : undefined,
      },
      redis: { replicationGroupId: data.cache.replicationGroupId },
    },
    secondaryProvider: secondary?.provider,
    logGroups: compute.logGroups,
    logRetentionDays: cfg.compute.logRetentionDays,
    logBackup: { bucketArn: data.storage.logBackupBucket.arn, kmsKeyArn: data.kmsKeyArn },
    credentials: {
      // loadConfig refuses a stack without it, so it is always set here.
      datadogApiKey: cfg.credentials.datadogApiKey!,
      opsgenieApiKey: cfg.credentials.opsgenieApiKey,
      opsgenieCloudwatchEndpoint: cfg.credentials.opsgenieCloudwatchEndpoint,
    },
  },
  { providers: [primary, datadogProvider] },
);

// Account-wide: CodeArtifact and GitHub Actions access over every region's services.
const delivery = new Delivery(
  "delivery",
  {
    prefix,
    environment: cfg.environment,
    protect: cfg.protect,
    ci: cfg.ci,
    kmsKeyArn: compute.kmsKeyArn,
    regions: [compute.deployTargets],
    previousParent: compute,
  },
  { providers: [primary] },
);
// Previews refresh the secret versions the program writes: the preview role may read those alone.
delivery.ci.grantPreviewRead("data", { secretArns: data.managedSecretArns, kmsKeyArns: [data.kmsKeyArn] });
delivery.ci.grantPreviewRead("observability", observability.managedSecrets);

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
export const clusterName = compute.clusterName;
export const albDnsName = compute.albDnsName;
export const eventBusName = compute.eventBusName;
export const imageRepositories = compute.repositoryUrls;
export const migrationTaskFamily = compute.migrationTaskFamily;
export const ciRoleArns = { preview: delivery.ci.previewRole.arn, deploy: delivery.ci.deployRole.arn, application: delivery.ci.applicationRole.arn };
export const mediaDomainName = edge.mediaDomainName;
export const datadogDashboardUrl = observability.dashboardUrl;
export const logDeliveryStream = observability.logStreamName;
