/**
 * One region's composition: its providers, its network and (for an application region) its ALB
 * certificate and Compute. The program builds it once per region (index.ts); the account-wide
 * and global parts (Data, Delivery, Edge, Observability) take every region's outputs.
 */
import * as aws from "@pulumi/aws";
// Only the provider class: the package root also loads awsx's classic components (see Network).
import { Provider as AwsxProvider } from "@pulumi/awsx/provider";
import * as cloudflare from "@pulumi/cloudflare";
import * as pulumi from "@pulumi/pulumi";
import { Compute, ComputeArgs, TEST_LISTENER_PORT } from "@platform/components/compute";
import { ValidatedCertificate } from "@platform/components/edge";
import { Network } from "@platform/components/network";
import { StackSettings } from "../config";

export type RegionRole = "primary" | "secondary";

/** Default tag naming the role of a resource's region (policy/rules/lib.ts reads it). */
export const REGION_ROLE_TAG = "region-role";

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
    aws: new aws.Provider(role, { region, defaultTags: { tags: { ...tags, [REGION_ROLE_TAG]: role } } }),
    awsx: new AwsxProvider(`awsx-${role}`, {}),
  });
  const plans: RegionPlan[] = [{ role: "primary", region: cfg.region, application: true, providers: providers("primary", cfg.region) }];
  if (cfg.secondaryRegion) {
    const standby = cfg.standby !== undefined;
    plans.push({
      role: "secondary",
      region: cfg.secondaryRegion,
      application: standby,
      providers: providers("secondary", cfg.secondaryRegion),
      parent: standby ? new Region("secondary", cfg.secondaryRegion) : undefined,
    });
  }
  return plans;
}

/** The region's VPC: the full layout for an application region, isolated subnets only otherwise. */
export function regionNetwork(cfg: StackSettings, r: RegionPlan, cloudflareRanges: { ipv4Cidrs: pulumi.Output<string[]>; ipv6Cidrs: pulumi.Output<string[]> }): Network {
  const primary = r.role === "primary";
  const name = regionalName(r.role, "network");
  const application = r.application
    ? {
        albIngressCidrs: { ipv4: cloudflareRanges.ipv4Cidrs, ipv6: cloudflareRanges.ipv6Cidrs },
        appPorts: cfg.services.map((s) => s.port),
        databaseProxy: primary && cfg.aurora.rdsProxy,
        albTestPort: TEST_LISTENER_PORT,
      }
    : {};
  return new Network(
    name,
    {
      cidr: primary ? cfg.network.cidr : cfg.network.secondaryCidr!,
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

/** The region's application platform; `shared` is what every region's Compute takes alike. */
export function regionCompute(
  cfg: StackSettings,
  r: RegionPlan,
  network: Network,
  shared: Omit<ComputeArgs, "network" | "standby">,
): Compute {
  const standby = r.role === "secondary" && cfg.standby;
  return new Compute(
    regionalName(r.role, "compute"),
    {
      ...shared,
      network: {
        vpcId: network.vpcId,
        publicSubnetIds: network.publicSubnetIds,
        privateSubnetIds: network.privateSubnetIds,
        albSecurityGroupId: network.securityGroupIds.alb!,
        appSecurityGroupId: network.securityGroupIds.app!,
      },
      standby: standby
        ? {
            serviceMinTasks: Object.fromEntries(cfg.services.map((s) => [s.name, standby.services[s.name]?.minTasks ?? standby.minTasks])),
            processors: standby.processors,
          }
        : undefined,
    },
    { providers: [r.providers.aws], parent: r.parent },
  );
}
