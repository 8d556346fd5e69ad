import * as aws from "@pulumi/aws";
import * as cloudflare from "@pulumi/cloudflare";
import * as datadog from "@pulumi/datadog";
import * as pulumi from "@pulumi/pulumi";
import * as random from "@pulumi/random";
import { loadConfig } from "./config";
import { Delivery } from "@platform/components/compute";
import { Data } from "@platform/components/data";
import { Edge } from "@platform/components/edge";
import { Observability } from "@platform/components/observability";
import { datadogApiUrl } from "./config/observability";
import { defaultTags } from "./program/tags";
import { stackBudget } from "./program/budget";
import { failoverWiring } from "./program/failover";
import { planRegions, regionCertificate, regionCompute, regionNetwork } from "./program/region";

// The only place that reads stack config: everything below receives typed values.
const cfg = loadConfig();

const tags = defaultTags({ environment: cfg.environment, project: cfg.project, extra: cfg.tags });
// One composition per region (program/region.ts): the primary, and in prod the secondary, which is
// a complete warm standby when platform:standby is set and holds only the database otherwise.
const regions = planRegions(cfg, tags);
const primaryRegion = regions[0];
const secondaryRegion = regions.find((r) => r.role === "secondary");
const primary = primaryRegion.providers.aws;
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
const networks = regions.map((r) => regionNetwork(cfg, r, cloudflareRanges));
const network = networks[0];
const secondaryNetwork = secondaryRegion && networks[1];

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
    secondary: secondaryRegion &&
      secondaryNetwork && {
        provider: secondaryRegion.providers.aws,
        isolatedSubnetIds: secondaryNetwork.isolatedSubnetIds,
        availabilityZones: secondaryNetwork.availabilityZones,
        dbSecurityGroupId: secondaryNetwork.securityGroupIds.db,
        standby: cfg.standby && { cacheSecurityGroupId: secondaryNetwork.securityGroupIds.cache!, redisReplicas: cfg.standby.redisReplicas },
      },
  },
  { providers: [primary, randomProvider] },
);

// Each application region: its ALB certificate (validated through the zone) and its Compute.
// Services write through the global writer endpoint where there is one, so a switchover needs no
// redeploy; each region reads from its own readers, cache and copies of the secrets.
const albCertificate = regionCertificate(cfg, primaryRegion, cloudflareProvider);
const shared = { prefix, environment: cfg.environment, protect: cfg.protect, settings: cfg.compute, services: cfg.services, queues: cfg.queues, schedules: cfg.schedules };
const databaseHost = data.aurora.globalWriterEndpoint ?? data.aurora.proxyEndpoint ?? data.aurora.writerEndpoint;
const databaseFields = { databasePort: data.aurora.port, databaseName: cfg.aurora.databaseName };
const compute = regionCompute(cfg, primaryRegion, network, {
  ...shared,
  certificateArn: albCertificate.arn,
  // After the bucket's policy: ELB checks it may write when access logs are turned on.
  accessLogsBucket: data.storage.accessLogsTarget.bucket,
  secrets: { arns: data.secretArns, kmsKeyArns: [data.kmsKeyArn] },
  endpoints: { ...databaseFields, databaseHost, databaseReaderHost: data.aurora.readerEndpoint, redisHost: data.cache.primaryEndpoint },
  replicateImagesTo: cfg.standby && cfg.secondaryRegion ? [cfg.secondaryRegion] : undefined,
});
const standbyCompute =
  secondaryRegion?.application && secondaryNetwork && data.standby
    ? regionCompute(cfg, secondaryRegion, secondaryNetwork, {
        ...shared,
        certificateArn: regionCertificate(cfg, secondaryRegion, cloudflareProvider, albCertificate).arn,
        accessLogsBucket: data.storage.standbyAccessLogsTarget!.bucket,
        secrets: { arns: data.standby.secretArns, kmsKeyArns: [data.standby.kmsKeyArn] },
        endpoints: { ...databaseFields, databaseHost, databaseReaderHost: data.aurora.secondaryReaderEndpoint!, redisHost: data.standby.cache.primaryEndpoint },
      })
    : undefined;

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
    mediaHost: cfg.edge.mediaHost ?? `media.${cfg.dns.domain}`,
    hsts: cfg.edge.hsts,
    waf: cfg.edge.waf,
    rateLimits: cfg.edge.rateLimits,
    botFightMode: cfg.edge.botFightMode,
    cache: cfg.edge.cache,
    dynamicPaths: cfg.services.flatMap((s) => s.paths).filter((p) => p !== "/*"),
    albDnsName: compute.albDnsName,
    media: { bucketRegionalDomainName: data.storage.mediaBucket.bucketRegionalDomainName, replicaBucketRegionalDomainName: data.storage.mediaReplicaBucket?.bucketRegionalDomainName },
    certificateProvider: usEast1,
    accessLogs: { bucketArn: data.storage.accessLogsTarget.arn },
    failover: standbyCompute && {
      accountId: cfg.dns.accountId!,
      prefix,
      healthPath: cfg.edge.failover.healthPath,
      intervalSeconds: cfg.edge.failover.intervalSeconds,
      notifyEmails: cfg.edge.failover.notifyEmails,
      regions: [
        { region: cfg.region, albDnsName: compute.albDnsName },
        { region: cfg.secondaryRegion!, albDnsName: standbyCompute.albDnsName },
      ],
    },
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
    region: cfg.region,
    stack: {
      region: cfg.region,
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
    secondaryProvider: secondaryRegion?.providers.aws,
    standby: standbyCompute &&
      data.standby && {
        stack: {
          region: cfg.secondaryRegion!,
          clusterName: standbyCompute.clusterName,
          albArnSuffix: standbyCompute.albArnSuffix,
          services: standbyCompute.services,
          queues: standbyCompute.queues,
          schedulesDeadLetterQueueName: standbyCompute.schedulesDeadLetterQueueName,
          aurora: { clusterIdentifier: data.aurora.secondaryClusterIdentifier! },
          redis: { replicationGroupId: data.standby.cache.replicationGroupId },
        },
        logGroups: standbyCompute.logGroups,
        logBackup: { bucketArn: data.storage.standbyLogBackupBucket!.arn, kmsKeyArn: data.standby.kmsKeyArn },
      },
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
    // Each stack deploys from the GitHub environment named after it (README "Adding an environment").
    environment: cfg.stack,
    protect: cfg.protect,
    ci: cfg.ci,
    kmsKeyArn: compute.kmsKeyArn,
    // Pipelines push images to the primary's registry only; the standby's repositories get replicas.
    regions: [compute.deployTargets, ...(standbyCompute ? [{ ...standbyCompute.deployTargets, repositoryArns: [], replicaRepositoryArns: standbyCompute.deployTargets.repositoryArns }] : [])],
    previousParent: compute.urn,
  },
  { providers: [primary] },
);
// Previews refresh the secret versions the program writes: the preview role may read those alone.
delivery.ci.grantPreviewRead("data", { secretArns: data.managedSecretArns, kmsKeyArns: [data.kmsKeyArn, ...(data.standby ? [data.standby.kmsKeyArn] : [])] });
delivery.ci.grantPreviewRead("observability", observability.managedSecrets);
// Previews run every data source: the preview role may call what they need beyond ReadOnlyAccess.
if (data.aurora.planTimeActions.length) delivery.ci.grantPreviewActions("data", data.aurora.planTimeActions);

// The stack's monthly AWS budget and its alerts (platform:budget).
stackBudget(cfg, prefix, primary);

export const environment = cfg.environment;
/** What `npm run cost` needs besides the resources: the usage overrides and the zone's plan (README "Cost"). */
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
/** The warm-standby region, for the runbooks and deploy-service.yml. */
export const standby = standbyCompute && {
  region: cfg.secondaryRegion,
  clusterName: standbyCompute.clusterName,
  albDnsName: standbyCompute.albDnsName,
  redisPrimaryEndpoint: data.standby?.cache.primaryEndpoint,
  scheduleGroupName: standbyCompute.scheduleGroupName,
  /** Tasks each service runs once the standby serves traffic (platform:standby.services[].failoverMinTasks, else its primary minimum). */
  failoverCapacity: Object.fromEntries(
    cfg.services.map((s) => [s.name, cfg.standby?.services[s.name]?.failoverMinTasks ?? (s.scaling ?? cfg.compute.scaling).minTasks]),
  ),
};
export const albDnsName = compute.albDnsName;
export const eventBusName = compute.eventBusName;
export const imageRepositories = compute.repositoryUrls;
export const migrationTaskFamily = compute.migrationTaskFamily;
// The failover command's output and the role its workflow assumes (program/failover.ts).
const regionFailover = failoverWiring(cfg, { data, compute, standbyCompute, edge, delivery });
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
