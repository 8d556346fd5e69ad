/**
 * How the program pairs each region's parts (its plan, network, share of Data and Compute), and
 * what Observability watches in each: one list built from the regions, no region special-cased.
 */
import { Compute } from "@platform/components/compute";
import { PrimaryPlacement, RegionalApplicationData, RegionalData, SecondaryPlacement } from "@platform/components/data";
import { Network } from "@platform/components/network";
import { ObservedRegion } from "@platform/components/observability";
import { StackSettings } from "../config";
import { RegionPlan, requireGroup } from "./region";

/** Where Data puts the home region's stores: its network's isolated and private tiers and groups. */
export function primaryPlacement(r: RegionPlan, network: Network): PrimaryPlacement {
  return {
    cacheSecurityGroupId: requireGroup(network.securityGroupIds.cache, r, "cache"),
    privateSubnetIds: network.privateSubnetIds,
    proxySecurityGroupId: network.securityGroupIds.proxy,
    isolatedSubnetIds: network.isolatedSubnetIds,
    availabilityZones: network.availabilityZones,
    dbSecurityGroupId: network.securityGroupIds.db,
  };
}

/** Where Data puts the second region's stores; its Redis, secrets and buckets only where it runs the application. */
export function secondaryPlacement(cfg: StackSettings, r: RegionPlan, network: Network): SecondaryPlacement {
  const standby = cfg.standby;
  return {
    provider: r.providers.aws,
    isolatedSubnetIds: network.isolatedSubnetIds,
    availabilityZones: network.availabilityZones,
    dbSecurityGroupId: network.securityGroupIds.db,
    application:
      r.application && standby
        ? { cacheSecurityGroupId: requireGroup(network.securityGroupIds.cache, r, "cache"), redisReplicas: standby.redisReplicas, globalDatastore: standby.redisGlobalDatastore }
        : undefined,
  };
}

/** An application region's parts. */
export interface ApplicationRegion {
  plan: RegionPlan;
  network: Network;
  data: RegionalData;
  app: RegionalApplicationData;
}

/** The regions that run the application, home first, each with its network and its share of Data. */
export function regionApplications(regions: RegionPlan[], networks: Network[], data: RegionalData[]): ApplicationRegion[] {
  return regions.flatMap((plan, i) => {
    if (!plan.application) return [];
    const d = data[i];
    if (!d?.application) throw new Error(`region ${plan.region} runs the application but Data gave it no cache, secrets or buckets`);
    return [{ plan, network: networks[i], data: d, app: d.application }];
  });
}

/** Suffix of a region's resource names in Observability: none for the home region, the slot otherwise. */
const suffix = (r: RegionPlan) => (r.role === "primary" ? "" : `-${r.role}`);

/**
 * Every region as Observability watches it. The home region gets every monitor (their names stay
 * whatever serves); each cluster's RPO-lag alarm pages while that cluster is the Global Database's
 * secondary, i.e. its region does not serve.
 */
export function observedRegions(regions: RegionPlan[], data: RegionalData[], apps: ApplicationRegion[], computes: Compute[]): ObservedRegion[] {
  return regions.map((r, i) => {
    const at = apps.findIndex((a) => a.plan === r);
    const c = computes[at];
    const a = apps[at];
    return {
      region: r.region,
      provider: r.providers.aws,
      nameSuffix: suffix(r),
      auroraClusterIdentifier: data[i].aurora.clusterIdentifier,
      pageOnReplicationLag: !r.active,
      application: c && {
        stack: {
          region: r.region,
          clusterName: c.clusterName,
          albArnSuffix: c.albArnSuffix,
          services: c.services,
          queues: c.queues,
          schedulesDeadLetterQueueName: c.schedulesDeadLetterQueueName,
          aurora: { clusterIdentifier: data[i].aurora.clusterIdentifier },
          redis: { replicationGroupId: a.app.cache.replicationGroupId },
        },
        monitors: r.role === "primary" ? ("all" as const) : ("essential" as const),
        logGroups: c.logGroups,
        logBackup: { bucketArn: a.app.logBackupBucket.arn, kmsKeyArn: a.data.kmsKeyArn },
      },
    };
  });
}
