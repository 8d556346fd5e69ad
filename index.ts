import * as aws from "@pulumi/aws";
import * as cloudflare from "@pulumi/cloudflare";
import * as datadog from "@pulumi/datadog";
import * as pulumi from "@pulumi/pulumi";
import * as random from "@pulumi/random";
import { loadConfig } from "./config";
import { Delivery } from "@platform/components/compute";
import { Data } from "@platform/components/data";
import { Edge, ValidatedCertificate } from "@platform/components/edge";
import { Observability } from "@platform/components/observability";
import { datadogApiUrl } from "./config/observability";
import { defaultTags } from "./program/tags";
import { stackBudget } from "./program/budget";
import { failoverWiring } from "./program/failover";
import { planRegions, regionCertificate, regionCompute, regionNetwork, regionPeering, regionalName } from "./program/region";
import { observedRegions, primaryPlacement, regionApplications, secondaryPlacement } from "./program/regionParts";

// The only place that reads stack config: everything below receives typed values.
const cfg = loadConfig();

const tags = defaultTags({ environment: cfg.environment, project: cfg.project, extra: cfg.tags });
// One composition per region (program/region.ts), built from the region list: the primary, and in
// prod the secondary, a complete warm copy when platform:standby is set and the database only
// otherwise. platform:activeRegion says which serves.
const regions = planRegions(cfg, tags);
const [home] = regions;
const primary = home.providers.aws;
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
const usEast1 = cfg.region === "us-east-1" ? primary : new aws.Provider("us-east-1", { region: "us-east-1", allowedAccountIds: [cfg.awsAccountId], defaultTags: { tags } });

// The origin accepts Cloudflare's published ranges only, as Cloudflare publishes them.
const cloudflareRanges = cloudflare.getIpRangesOutput({}, { provider: cloudflareProvider });
const networks = regions.map((r) => regionNetwork(cfg, r, cloudflareRanges, regions));
// Each application region's services reach the writer wherever it is (program/region.ts).
regionPeering(cfg, regions, networks);
const [network] = networks;

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
    primary: primaryPlacement(home, network),
    secondary: regions[1] && secondaryPlacement(cfg, regions[1], networks[1]),
  },
  { providers: [primary, randomProvider] },
);

// Each application region: its ALB certificate (validated through the zone) and its Compute.
// Services write through the global writer endpoint where there is one (it follows a switchover,
// and the peering makes it reachable from every region); each region reads from its own readers,
// cache and copies of the secrets.
const shared = { prefix, environment: cfg.environment, protect: cfg.protect, settings: cfg.compute, services: cfg.services, queues: cfg.queues, schedules: cfg.schedules };
const databaseHost = data.aurora.globalWriterEndpoint ?? data.aurora.proxyEndpoint ?? data.aurora.writerEndpoint;
const databaseFields = { databasePort: data.aurora.port, databaseName: cfg.aurora.databaseName };
const apps = regionApplications(regions, networks, data.regions);
let firstCertificate: ValidatedCertificate | undefined;
const computes = apps.map(({ plan, network: net, data: d, app }) => {
  const certificate = regionCertificate(cfg, plan, cloudflareProvider, firstCertificate);
  firstCertificate ??= certificate;
  return regionCompute(cfg, plan, net, {
    ...shared,
    certificateArn: certificate.arn,
    // After the bucket's policy (RegionalApplicationData): ELB checks it may write when access logs are turned on.
    accessLogsBucket: app.accessLogsBucket.bucket,
    secrets: { arns: app.secretArns, kmsKeyArns: [d.kmsKeyArn] },
    endpoints: { ...databaseFields, databaseHost, databaseReaderHost: d.aurora.readerEndpoint, redisHost: app.cache.primaryEndpoint },
    // The home registry copies every image to the other application regions' (deploy-service.yml pushes there too).
    replicateImagesTo: plan === home && apps.length > 1 ? apps.slice(1).map((a) => a.plan.region) : undefined,
  });
});
const [compute] = computes;
const serving = computes[apps.findIndex((a) => a.plan.active)] ?? compute;

const edge = new Edge(
  "edge",
  {
    zoneId: cfg.dns.zoneId,
    domain: cfg.dns.domain,
    // One stack per zone owns its settings and rulesets (config/ownership.ts).
    manageZone: cfg.dns.ownsZone,
    plan: cfg.edge.plan,
    addOns: cfg.edge.addOns,
    hosts: cfg.edge.hosts,
    // Left out, Edge serves media at media.<domain> (EdgeArgs.mediaHost).
    mediaHost: cfg.edge.mediaHost,
    hsts: cfg.edge.hsts,
    waf: cfg.edge.waf,
    rateLimits: cfg.edge.rateLimits,
    botFightMode: cfg.edge.botFightMode,
    cache: cfg.edge.cache,
    dynamicPaths: cfg.services.flatMap((s) => s.paths).filter((p) => p !== "/*"),
    // Behind the load balancers (which take precedence), the hosts' records name the serving ALB.
    albDnsName: serving.albDnsName,
    media: { bucketRegionalDomainName: data.storage.mediaBucket.bucketRegionalDomainName, replicaBucketRegionalDomainName: data.storage.mediaReplicaBucket?.bucketRegionalDomainName },
    certificateProvider: usEast1,
    // After the bucket's policy: the log delivery checks it may write there.
    accessLogs: { bucketArn: data.storage.accessLogsTarget.arn },
    failover:
      computes.length > 1 && cfg.dns.accountId
        ? {
            accountId: cfg.dns.accountId,
            prefix,
            healthPath: cfg.edge.failover.healthPath,
            intervalSeconds: cfg.edge.failover.intervalSeconds,
            notifyEmails: cfg.edge.failover.notifyEmails,
            regions: apps.map((a, i) => ({ region: a.plan.region, albDnsName: computes[i].albDnsName })),
            activeRegion: cfg.activeRegion ?? cfg.region,
          }
        : undefined,
  },
  { providers: [primary, cloudflareProvider] },
);
resolveMediaDistributionArn(edge.mediaDistributionArn);

const observability = new Observability(
  "observability",
  {
    prefix,
    environment: cfg.environment,
    stackName: cfg.stack,
    protect: cfg.protect,
    settings: cfg.observability,
    regions: observedRegions(regions, data.regions, apps, computes),
    logRetentionDays: cfg.compute.logRetentionDays,
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
    // Each stack deploys from the GitHub environment named after it (docs/environments.md).
    environment: cfg.stack,
    protect: cfg.protect,
    ci: cfg.ci,
    kmsKeyArn: compute.kmsKeyArn,
    // Pipelines push each release to every application region's registry (deploy-service.yml).
    regions: computes.map((c) => c.deployTargets),
    previousParent: compute.urn,
  },
  { providers: [primary] },
);
// Previews refresh the secret versions the program writes: the preview role may read those alone.
delivery.ci.grantPreviewRead("data", { secretArns: data.managedSecretArns, kmsKeyArns: data.regions.map((r) => r.kmsKeyArn) });
delivery.ci.grantPreviewRead("observability", observability.managedSecrets);
// Previews run every data source: the preview role may call what they need beyond ReadOnlyAccess.
if (data.aurora.planTimeActions.length) delivery.ci.grantPreviewActions("data", data.aurora.planTimeActions);

// The stack's monthly AWS budget and its alerts (platform:budget).
stackBudget(cfg, prefix, primary);

export const environment = cfg.environment;
/** What `npm run cost` needs besides the resources: the usage overrides and the zone's plan (docs/cost.md). */
export const costModel = { environment: cfg.environment, usage: cfg.usage, cloudflarePlan: cfg.edge.plan, budgetUsd: cfg.budget?.monthlyUsd };
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
export const globalWriterEndpoint = data.aurora.globalWriterEndpoint;
/** The region that serves (platform:activeRegion), for deploy-service.yml and the runbooks. */
export const activeRegion = cfg.activeRegion ?? cfg.region;
/** Every application region, home first: what deploy-service.yml releases to, and whether the region serves (it alone runs the migration). */
export const applicationRegions = apps.map((a, i) => ({
  region: a.plan.region,
  active: a.plan.active,
  clusterName: computes[i].clusterName,
  albDnsName: computes[i].albDnsName,
  redisPrimaryEndpoint: a.app.cache.primaryEndpoint,
  scheduleGroupName: computes[i].scheduleGroupName,
  migrationTaskFamily: computes[i].migrationTaskFamily,
  /** Task-definition family prefix of the region's services (`<family prefix><service>`). */
  taskFamilyPrefix: `${prefix}-${regionalName(a.plan.role, "compute")}-`,
}));
export const globalDatastoreId = data.globalDatastoreId;
export const albDnsName = compute.albDnsName;
export const eventBusName = compute.eventBusName;
export const imageRepositories = compute.repositoryUrls;
export const migrationTaskFamily = compute.migrationTaskFamily;
// The failover command's output and the role its workflow assumes (program/failover.ts).
const regionFailover = failoverWiring(cfg, { data, regions: apps.map((a, i) => ({ plan: a.plan, compute: computes[i], data: a.data })), edge, delivery });
/** What `npm run failover` reads (tools/failover/outputs.ts is its schema). */
export const failover = regionFailover?.outputs;
export const ciRoleArns = {
  preview: delivery.ci.previewRole.arn,
  deploy: delivery.ci.deployRole.arn,
  application: delivery.ci.applicationRole.arn,
  ...(delivery.publishRole ? { publish: delivery.publishRole.arn } : {}),
  ...(regionFailover ? { failover: regionFailover.role.arn } : {}),
};
export const mediaDomainName = edge.mediaDomainName;
export const datadogDashboardUrl = observability.dashboardUrl;
export const logDeliveryStream = observability.logStreamName;
