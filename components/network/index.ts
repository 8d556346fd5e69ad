import * as aws from "@pulumi/aws";
// The awsx submodule, not the package root: the root also loads awsx's classic components,
// 55 ms of every plan and `pulumi up` for a Vpc (measured with require(), 2026-11-27).
import * as awsxEc2 from "@pulumi/awsx/ec2";
import * as pulumi from "@pulumi/pulumi";
import { AwsContext, awsContext, policyDocument, serviceTrustPolicy } from "../lib/aws";
import { customerKey, logsKeyStatement } from "../lib/kms";
import { isAnywhere, parseCidr } from "../lib/cidr";
import { NetworkArgs, SecurityGroupIds } from "./args";
import { ResolvedNetworkArgs, checkNetworkArgs, withNetworkDefaults } from "./defaults";

export * from "./args";
export * from "./defaults";
export { PeeredVpc, VpcPeering, VpcPeeringArgs } from "./peering";

export const POSTGRES_PORT = 5432;
export const REDIS_PORT = 6379;
const HTTPS = 443;
const HTTP = 80;

/** Interface endpoints the private subnets need so image pulls, logs and secrets stay off the NAT. */
export const INTERFACE_ENDPOINTS = ["ecr.api", "ecr.dkr", "logs", "secretsmanager", "kms", "sts", "sqs"] as const;

/**
 * A VPC over N AZs with public / private / isolated tiers, NAT per the chosen strategy, security
 * groups chained by group id (never by CIDR), VPC endpoints and flow logs. Region comes from the
 * provider passed in `opts`, so the same component builds the secondary region's VPC.
 */
export class Network extends pulumi.ComponentResource {
  readonly vpcId: pulumi.Output<string>;
  readonly vpcCidr: string;
  readonly availabilityZones: pulumi.Output<string[]>;
  readonly publicSubnetIds: pulumi.Output<string[]>;
  readonly privateSubnetIds: pulumi.Output<string[]>;
  readonly isolatedSubnetIds: pulumi.Output<string[]>;
  readonly securityGroupIds: SecurityGroupIds;
  /** Every route table of the VPC (one per subnet), e.g. for a peering's routes. */
  readonly routeTableIds: pulumi.Output<string[]>;
  /** How many route tables there are (tiers × AZs), known before they exist. */
  readonly routeTableCount: number;

  constructor(name: string, args: NetworkArgs, opts?: pulumi.ComponentResourceOptions) {
    super("platform:network:Network", name, {}, opts);
    checkNetworkArgs(`Network ${name}`, args);
    const resolved = withNetworkDefaults(args);
    const full = resolved.layout === "full";
    const parent = { parent: this };
    const ctx = awsContext(this);

    const vpc = new awsxEc2.Vpc(
      `${name}-vpc`,
      {
        cidrBlock: resolved.cidr,
        numberOfAvailabilityZones: resolved.azCount,
        enableDnsHostnames: true,
        enableDnsSupport: true,
        subnetStrategy: "Auto",
        subnetSpecs: full
          ? resolved.isolatedFirst
            ? [ISOLATED, PUBLIC, PRIVATE]
            : [PUBLIC, PRIVATE, ISOLATED]
          : [ISOLATED],
        natGateways: { strategy: NAT_STRATEGY[resolved.natGateways] },
      },
      // A remote component only receives providers passed to it explicitly, not its parent's: the
      // engine needs its own package's (awsx) provider, and awsx hands the aws one to its children.
      // `provider` is the component's own (the SDK warns when it also sits in `providers`).
      { parent: this, provider: inheritedProviders(this, "awsx")[0], providers: inheritedProviders(this, "aws") },
    );

    this.vpcId = vpc.vpcId;
    this.vpcCidr = resolved.cidr;
    this.availabilityZones = aws
      .getAvailabilityZonesOutput({ state: "available" }, parent)
      .names.apply((names) => names.slice(0, resolved.azCount));
    this.publicSubnetIds = vpc.publicSubnetIds;
    this.privateSubnetIds = vpc.privateSubnetIds;
    this.isolatedSubnetIds = vpc.isolatedSubnetIds;
    this.routeTableIds = vpc.routeTables.apply((tables) => pulumi.all(tables.map((t) => t.id)));
    this.routeTableCount = (full ? 3 : 1) * resolved.azCount;

    this.securityGroupIds = this.securityGroups(name, resolved, vpc);
    this.endpoints(name, resolved, vpc, ctx);
    this.flowLogs(name, resolved, vpc.vpcId, ctx);

    this.registerOutputs({
      vpcId: this.vpcId,
      availabilityZones: this.availabilityZones,
      publicSubnetIds: this.publicSubnetIds,
      privateSubnetIds: this.privateSubnetIds,
      isolatedSubnetIds: this.isolatedSubnetIds,
    });
  }

  /** Tiered groups: edge -> alb -> app -> db/cache, each hop allowed by source group id only. */
  private securityGroups(name: string, args: ResolvedNetworkArgs, vpc: awsxEc2.Vpc): SecurityGroupIds {
    const vpcId = vpc.vpcId;
    const group = (tier: string, description: string) =>
      new aws.ec2.SecurityGroup(`${name}-${tier}`, { vpcId, description, tags: { Name: `${name}-${tier}`, tier } }, { parent: this });
    const ingress = (rule: string, sg: aws.ec2.SecurityGroup, rest: Omit<aws.vpc.SecurityGroupIngressRuleArgs, "securityGroupId">) =>
      new aws.vpc.SecurityGroupIngressRule(`${name}-${rule}`, { securityGroupId: sg.id, ...rest }, { parent: this });
    const egress = (rule: string, sg: aws.ec2.SecurityGroup, rest: Omit<aws.vpc.SecurityGroupEgressRuleArgs, "securityGroupId">) =>
      new aws.vpc.SecurityGroupEgressRule(`${name}-${rule}`, { securityGroupId: sg.id, ...rest }, { parent: this });
    const tcp = (port: number) => ({ ipProtocol: "tcp", fromPort: port, toPort: port });

    const db = group("db", "Aurora PostgreSQL: 5432 from the app tier only");
    if (args.layout === "isolatedOnly") {
      return { db: db.id };
    }

    const alb = group("alb", "Public ALB: HTTPS (and the HTTP redirect) from the edge only");
    const app = group("app", "ECS tasks: service ports from the ALB only");
    const cache = group("cache", "ElastiCache Redis: 6379 from the app tier only");

    // Edge -> ALB through managed prefix lists, so the edge's published ranges (an Output from the
    // edge provider) can change without replacing a rule. Each list reference counts as
    // maxEntries rules against the group's quota (60 per family): 2 ports x 20 IPv4 fits.
    const families = [
      { family: "IPv4", cidrs: args.albIngressCidrs?.ipv4 ?? [], maxEntries: 20 },
      { family: "IPv6", cidrs: args.albIngressCidrs?.ipv6 ?? [], maxEntries: 10 },
    ] as const;
    for (const { family, cidrs, maxEntries } of families) {
      const list = new aws.ec2.ManagedPrefixList(
        `${name}-edge-${family.toLowerCase()}`,
        {
          addressFamily: family,
          maxEntries,
          entries: pulumi.output(cidrs).apply((blocks) => edgeEntries(name, family, blocks, maxEntries)),
        },
        { parent: this },
      );
      for (const port of [HTTPS, HTTP]) {
        ingress(`alb-in-${port}-${family.toLowerCase()}`, alb, { ...tcp(port), prefixListId: list.id, description: `edge ${family} ranges` });
      }
    }

    if (args.albTestPort !== undefined && args.natGateways !== "none") {
      const nat = new aws.ec2.ManagedPrefixList(
        `${name}-nat`,
        {
          addressFamily: "IPv4",
          maxEntries: args.natGateways === "perAz" ? args.azCount : 1,
          entries: vpc.eips.apply((eips) => eips.map((eip) => ({ cidr: pulumi.interpolate`${eip.publicIp}/32`, description: "NAT gateway" }))),
        },
        { parent: this },
      );
      ingress(`alb-in-test`, alb, { ...tcp(args.albTestPort), prefixListId: nat.id, description: "blue/green test listener, from this VPC's NAT only" });
    }

    // ALB -> app, app -> data stores: referenced by group id on both sides.
    for (const port of [...new Set(args.appPorts ?? [])].sort((a, b) => a - b)) {
      egress(`alb-out-app-${port}`, alb, { ...tcp(port), referencedSecurityGroupId: app.id, description: "to services" });
      ingress(`app-in-alb-${port}`, app, { ...tcp(port), referencedSecurityGroupId: alb.id, description: "from the ALB" });
    }
    egress(`app-out-db`, app, { ...tcp(POSTGRES_PORT), referencedSecurityGroupId: db.id, description: "to Aurora" });
    ingress(`db-in-app`, db, { ...tcp(POSTGRES_PORT), referencedSecurityGroupId: app.id, description: "from services" });
    egress(`app-out-cache`, app, { ...tcp(REDIS_PORT), referencedSecurityGroupId: cache.id, description: "to Redis" });
    ingress(`cache-in-app`, cache, { ...tcp(REDIS_PORT), referencedSecurityGroupId: app.id, description: "from services" });
    // A peered region's services reach this database, and these services the peer's, by block:
    // across regions a rule cannot name the peer's group (see VpcPeering).
    for (const peer of args.peerAppCidrs ?? []) {
      const key = peer.replace(/[./]/g, "-");
      ingress(`db-in-peer-${key}`, db, { ...tcp(POSTGRES_PORT), cidrIpv4: peer, description: "from a peered region's services" });
      egress(`app-out-peer-db-${key}`, app, { ...tcp(POSTGRES_PORT), cidrIpv4: peer, description: "to a peered region's Aurora writer" });
    }
    // Services call AWS APIs and third-party APIs (news, LLM providers) over HTTPS through the NAT.
    egress(`app-out-https`, app, { ...tcp(HTTPS), cidrIpv4: "0.0.0.0/0", description: "HTTPS to AWS and third-party APIs" });

    const ids: SecurityGroupIds = { alb: alb.id, app: app.id, db: db.id, cache: cache.id };
    if (args.databaseProxy) {
      const proxy = group("proxy", "RDS Proxy: 5432 from the app tier, to Aurora");
      egress(`app-out-proxy`, app, { ...tcp(POSTGRES_PORT), referencedSecurityGroupId: proxy.id, description: "to the RDS Proxy" });
      ingress(`proxy-in-app`, proxy, { ...tcp(POSTGRES_PORT), referencedSecurityGroupId: app.id, description: "from services" });
      egress(`proxy-out-db`, proxy, { ...tcp(POSTGRES_PORT), referencedSecurityGroupId: db.id, description: "to Aurora" });
      ingress(`db-in-proxy`, db, { ...tcp(POSTGRES_PORT), referencedSecurityGroupId: proxy.id, description: "from the RDS Proxy" });
      egress(`proxy-out-https`, proxy, { ...tcp(HTTPS), cidrIpv4: "0.0.0.0/0", description: "Secrets Manager and KMS (endpoint or NAT)" });
      ids.proxy = proxy.id;
    }
    if (args.interfaceEndpoints) {
      const endpoints = group("endpoints", "VPC interface endpoints: HTTPS from the app tier");
      ingress(`endpoints-in-app`, endpoints, { ...tcp(HTTPS), referencedSecurityGroupId: app.id, description: "from services" });
      ids.endpoints = endpoints.id;
    }
    return ids;
  }

  private endpoints(name: string, args: ResolvedNetworkArgs, vpc: awsxEc2.Vpc, ctx: AwsContext): void {
    const region = ctx.region;
    // The S3 gateway endpoint is free and keeps ECR layer downloads and backups off the NAT.
    new aws.ec2.VpcEndpoint(
      `${name}-s3`,
      {
        vpcId: vpc.vpcId,
        serviceName: pulumi.interpolate`com.amazonaws.${region}.s3`,
        vpcEndpointType: "Gateway",
        routeTableIds: vpc.routeTables.apply((tables) => tables.map((t) => t.id)),
      },
      { parent: this },
    );
    if (!args.interfaceEndpoints || !this.securityGroupIds.endpoints) return;
    for (const service of INTERFACE_ENDPOINTS) {
      new aws.ec2.VpcEndpoint(
        `${name}-${service.replace(".", "-")}`,
        {
          vpcId: vpc.vpcId,
          serviceName: pulumi.interpolate`com.amazonaws.${region}.${service}`,
          vpcEndpointType: "Interface",
          privateDnsEnabled: true,
          subnetIds: vpc.privateSubnetIds,
          securityGroupIds: [this.securityGroupIds.endpoints],
        },
        { parent: this },
      );
    }
  }

  /** All traffic metadata to an encrypted CloudWatch log group through a role scoped to that group. */
  private flowLogs(name: string, args: ResolvedNetworkArgs, vpcId: pulumi.Output<string>, ctx: AwsContext): void {
    const parent = { parent: this };
    const key = customerKey(`${name}-flow-logs`, { description: `${name} VPC flow logs`, ctx, statements: [logsKeyStatement(ctx)] }, { ...parent, protect: args.protect });
    const logGroup = new aws.cloudwatch.LogGroup(
      `${name}-flow-logs`,
      { retentionInDays: args.flowLogRetentionDays, kmsKeyId: key.arn },
      parent,
    );
    const role = new aws.iam.Role(`${name}-flow-logs`, { assumeRolePolicy: serviceTrustPolicy(this, "vpc-flow-logs.amazonaws.com", ctx) }, parent);
    new aws.iam.RolePolicy(
      `${name}-flow-logs`,
      {
        role: role.id,
        policy: policyDocument(this, [
          {
            effect: "Allow",
            actions: ["logs:CreateLogStream", "logs:PutLogEvents", "logs:DescribeLogStreams"],
            resources: [logGroup.arn, pulumi.interpolate`${logGroup.arn}:*`],
          },
        ]),
      },
      parent,
    );
    new aws.ec2.FlowLog(
      `${name}-flow-logs`,
      {
        vpcId,
        trafficType: "ALL",
        logDestinationType: "cloud-watch-logs",
        logDestination: logGroup.arn,
        iamRoleArn: role.arn,
        maxAggregationInterval: 60,
      },
      parent,
    );
  }
}

/** The providers this component inherited for the given packages, to hand on to remote components. */
function inheritedProviders(component: pulumi.ComponentResource, ...packages: string[]): pulumi.ProviderResource[] {
  return packages.map((pkg) => component.getProvider(`${pkg}::`)).filter((p): p is pulumi.ProviderResource => p !== undefined);
}

/**
 * Prefix-list entries for the edge's ranges. The ranges come from the edge provider at deploy
 * time, so they are checked here: never the whole internet, never more than the list holds.
 */
export function edgeEntries(network: string, family: "IPv4" | "IPv6", cidrs: string[], maxEntries: number): { cidr: string; description: string }[] {
  const open = cidrs.filter((c) => {
    const parsed = parseCidr(c);
    return !parsed || isAnywhere(parsed);
  });
  if (open.length) throw new Error(`Network ${network}: edge ${family} ranges must be specific CIDR blocks, got ${open.join(", ")}`);
  if (cidrs.length > maxEntries) throw new Error(`Network ${network}: ${cidrs.length} edge ${family} ranges exceed the prefix list's ${maxEntries} entries`);
  return cidrs.map((cidr) => ({ cidr, description: "edge" }));
}

const NAT_STRATEGY = { single: "Single", perAz: "OnePerAz", none: "None" } as const;
const PUBLIC = { type: "Public", cidrMask: 24 } as const;
const PRIVATE = { type: "Private", cidrMask: 22 } as const;
const ISOLATED = { type: "Isolated", cidrMask: 24 } as const;
