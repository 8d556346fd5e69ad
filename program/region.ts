/**
 * One region's composition: its providers, its network and (for an application region) its ALB
 * certificate and Compute. The program builds it once per region (index.ts) from the region list
 * and `platform:activeRegion`; the account-wide and global parts (Data, Delivery, Edge,
 * Observability) take every region's outputs.
 *
 * A region has a slot and a role. The slot (`primary` for platform:region, `secondary` for
 * platform:secondaryRegion) is its identity: resource names, URNs, the provider's `region-role`
 * tag. The role (does it serve?) is `platform:activeRegion` and only ever changes inputs that AWS
 * and Cloudflare update in place; tests/active-region.test.ts flips it and proves that.
 */
import * as aws from "@pulumi/aws";
// Only the provider class: the package root also loads awsx's classic components (see Network).
import { Provider as AwsxProvider } from "@pulumi/awsx/provider";
import * as cloudflare from "@pulumi/cloudflare";
import * as pulumi from "@pulumi/pulumi";
import { Compute, ComputeArgs, TEST_LISTENER_PORT } from "@platform/components/compute";
import { ValidatedCertificate } from "@platform/components/edge";
import { Network, VpcPeering } from "@platform/components/network";
import { StackSettings } from "../config";

export type RegionRole = "primary" | "secondary";

/** Default tag naming the slot of a resource's region (policy/rules/lib.ts reads it). */
export const REGION_ROLE_TAG = "region-role";

/** Tag on each ECS service: `active` in platform:activeRegion, `standby` elsewhere (policy/rules/lib.ts reads it). */
export const SERVING_TAG = "region-serving";

/**
 * Groups the warm-standby region's composition. A child's URN carries its ancestors' types, not
 * their names, so a second copy of the regional resources needs a parent of its own to keep URNs
 * unique. The primary's resources stay where a deployed stack has them, at the top level.
 */
export class Region extends pulumi.ComponentResource {
  constructor(name: string, region: string, opts?: pulumi.ComponentResourceOptions) {
    super("platform:region:Region", name, { region }, opts);
    this.registerOutputs({ region });
  }
}

export interface RegionPlan {
  role: RegionRole;
  region: string;
  /** An application region (ALB, services); false for a data-only secondary region. */
  application: boolean;
  /** The region serves (platform:activeRegion, default platform:region). */
  active: boolean;
  providers: { aws: aws.Provider; awsx: AwsxProvider };
  /** Parent of the region's resources (the standby's Region); the primary's have none. */
  parent?: Region;
}

/** Logical name of a region's copy of `base`: the primary keeps the names a deployed stack has. */
export function regionalName(role: RegionRole, base: string): string {
  return role === "primary" ? base : `${base}-${role}`;
}

/**
 * The regions of a stack: the primary, and the secondary when there is one. Each has its own
 * aws provider (with the stack's default tags) and an awsx provider: awsx components are remote,
 * so the engine hands them the provider of their own package (pulumi/pulumi-awsx#930).
 */
export function planRegions(cfg: StackSettings, tags: Record<string, string>): RegionPlan[] {
  const providers = (role: RegionRole, region: string) => ({
    // `region-role` tags every resource with its region's role: cost by region, and the policy
    // pack tells a standby's resources (scaled down by design) from the primary's.
    // allowedAccountIds: the provider refuses credentials of any other account, so a stack's
    // config can never deploy into another stack's account (platform:awsAccountId). Adding it
    // updates the provider in place: its DiffConfig replaces resources only when the region
    // changes (pulumi/pulumi-aws#4000), and the pull request's preview guard would catch a replace.
    aws: new aws.Provider(role, { region, allowedAccountIds: [cfg.awsAccountId], defaultTags: { tags: { ...tags, [REGION_ROLE_TAG]: role } } }),
    awsx: new AwsxProvider(`awsx-${role}`, {}),
  });
  const active = cfg.activeRegion ?? cfg.region;
  const plans: RegionPlan[] = [{ role: "primary", region: cfg.region, application: true, active: active === cfg.region, providers: providers("primary", cfg.region) }];
  if (cfg.secondaryRegion) {
    const standby = cfg.standby !== undefined;
    plans.push({
      role: "secondary",
      region: cfg.secondaryRegion,
      application: standby,
      active: active === cfg.secondaryRegion,
      providers: providers("secondary", cfg.secondaryRegion),
      parent: standby ? new Region("secondary", cfg.secondaryRegion) : undefined,
    });
  }
  return plans;
}

/** The VPC block of a region's network. */
export function regionCidr(cfg: StackSettings, r: RegionPlan): string {
  if (r.role === "primary") return cfg.network.cidr;
  // Validation requires it with platform:secondaryRegion (config/crossChecks.ts).
  if (!cfg.network.secondaryCidr) throw new Error(`region ${r.region}: platform:network.secondaryCidr is not set`);
  return cfg.network.secondaryCidr;
}

/**
 * The region's VPC: the full layout for an application region, isolated subnets only otherwise.
 * With two application regions, each one's services may reach the other's database through the
 * peering (regionPeering): the global writer endpoint resolves to the writer's private address in
 * whichever region holds it.
 */
export function regionNetwork(
  cfg: StackSettings,
  r: RegionPlan,
  cloudflareRanges: { ipv4Cidrs: pulumi.Output<string[]>; ipv6Cidrs: pulumi.Output<string[]> },
  peers: RegionPlan[],
): Network {
  const primary = r.role === "primary";
  const name = regionalName(r.role, "network");
  const application = r.application
    ? {
        albIngressCidrs: { ipv4: cloudflareRanges.ipv4Cidrs, ipv6: cloudflareRanges.ipv6Cidrs },
        appPorts: cfg.services.map((s) => s.port),
        databaseProxy: primary && cfg.aurora.rdsProxy,
        albTestPort: TEST_LISTENER_PORT,
        peerAppCidrs: peers.filter((p) => p !== r && p.application).map((p) => regionCidr(cfg, p)),
      }
    : {};
  return new Network(
    name,
    {
      cidr: regionCidr(cfg, r),
      azCount: cfg.network.azCount,
      layout: r.application ? "full" : "isolatedOnly",
      // The secondary VPC was isolated-only before it became a standby: its isolated subnets keep their addresses.
      isolatedFirst: !primary,
      natGateways: r.application ? cfg.network.natGateways : "none",
      interfaceEndpoints: r.application && cfg.network.vpcEndpoints,
      flowLogRetentionDays: cfg.network.flowLogRetentionDays,
      protect: cfg.protect,
      ...application,
    },
    {
      providers: [r.providers.aws, r.providers.awsx],
      parent: r.parent,
      // It was a child of the stack before the standby's Region existed.
      aliases: r.parent ? [{ parent: undefined }] : undefined,
    },
  );
}

/**
 * The ALB's certificate for the zone's domain and *.domain, in the region's ACM, validated through
 * the zone. A second region's certificate reuses the first's validation records.
 */
export function regionCertificate(cfg: StackSettings, r: RegionPlan, cloudflareProvider: cloudflare.Provider, first?: ValidatedCertificate): ValidatedCertificate {
  return new ValidatedCertificate(
    regionalName(r.role, "alb-certificate"),
    { domainName: cfg.dns.domain, wildcard: true, zoneId: cfg.dns.zoneId, sharesValidationWith: first },
    { providers: [r.providers.aws, cloudflareProvider], parent: r.parent },
  );
}

/**
 * The two application regions' VPCs peered, so that each region's services reach the Aurora writer
 * wherever it is (the global writer endpoint follows a switchover; its address is private to the
 * writer's VPC). Undefined with fewer than two application regions.
 */
export function regionPeering(cfg: StackSettings, regions: RegionPlan[], networks: Network[]): VpcPeering | undefined {
  const apps = regions.map((r, i) => ({ r, n: networks[i] })).filter((x) => x.r.application);
  if (apps.length < 2) return undefined;
  const [a, b] = apps;
  const side = (x: (typeof apps)[number]) => ({ vpcId: x.n.vpcId, cidr: regionCidr(cfg, x.r), routeTableIds: x.n.routeTableIds, routeTableCount: x.n.routeTableCount, region: x.r.region, provider: x.r.providers.aws });
  return new VpcPeering("network-peering", { requester: side(a), accepter: side(b) }, { providers: [a.r.providers.aws] });
}

/** What each region's Compute takes alike. */
export type SharedCompute = Omit<ComputeArgs, "network" | "serviceMinTasks" | "processors" | "schedulesState" | "runMigrations" | "serviceTags">;

/** Tasks each service keeps at least: production capacity where the region serves, `platform:standby` sizes where it stands by. */
export function serviceFloors(cfg: StackSettings, active: boolean): Record<string, number> {
  const standby = cfg.standby;
  return Object.fromEntries(
    cfg.services.map((s) => {
      const production = (s.scaling ?? cfg.compute.scaling).minTasks;
      if (!standby) return [s.name, production];
      return [s.name, active ? (standby.services[s.name]?.failoverMinTasks ?? production) : (standby.services[s.name]?.minTasks ?? standby.minTasks)];
    }),
  );
}

/**
 * The region's application platform. Its role becomes plain knobs here: the serving region runs
 * the clock, the processors, the migrations and production capacity; the other keeps its
 * schedules disabled, its processors per platform:standby.processors and standby floors.
 */
export function regionCompute(cfg: StackSettings, r: RegionPlan, network: Network, shared: SharedCompute): Compute {
  return new Compute(
    regionalName(r.role, "compute"),
    {
      ...shared,
      network: {
        vpcId: network.vpcId,
        publicSubnetIds: network.publicSubnetIds,
        privateSubnetIds: network.privateSubnetIds,
        albSecurityGroupId: requireGroup(network.securityGroupIds.alb, r, "alb"),
        appSecurityGroupId: requireGroup(network.securityGroupIds.app, r, "app"),
      },
      serviceMinTasks: serviceFloors(cfg, r.active),
      processors: r.active ? "running" : (cfg.standby?.processors ?? "running"),
      schedulesState: r.active ? "ENABLED" : "DISABLED",
      // A release migrates the database once, from the serving region (deploy-service.yml runs
      // its migration task); the other region's services take the release without the gate.
      runMigrations: r.active,
      serviceTags: cfg.standby ? { [SERVING_TAG]: r.active ? "active" : "standby" } : undefined,
    },
    { providers: [r.providers.aws], parent: r.parent },
  );
}

/** A security group an application region's network always has; a clear error if it does not. */
export function requireGroup(id: pulumi.Output<string> | undefined, r: RegionPlan, tier: string): pulumi.Output<string> {
  if (!id) throw new Error(`region ${r.region}: its network has no ${tier} security group (is it an application region?)`);
  return id;
}
