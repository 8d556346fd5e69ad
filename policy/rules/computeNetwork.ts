import { PolicyResource, ReportViolation } from "@pulumi/policy";
import { exemptionSchema, isReason, stackExemptions } from "./exemptions";
import { Props, Rule, idsOf, ofType, resourceRule, stackRule } from "./lib";

const ASG = "aws:autoscaling/group:Group";
const short = (type: string) => type.split(":").pop();
const list = (v: unknown): unknown[] => (Array.isArray(v) ? v : []);

/**
 * Whether a group's instances are judged by its load balancer: `healthCheckType` is a
 * comma-separated list of EC2, ELB, VPC_LATTICE and EBS
 * (https://docs.aws.amazon.com/autoscaling/ec2/APIReference/API_CreateAutoScalingGroup.html).
 */
const elbChecked = (p: Props) => String(p.healthCheckType ?? "EC2").split(",").map((t) => t.trim()).includes("ELB");
/** Traffic-source types that are load balancers (the API's default type is elbv2). */
const LB_TRAFFIC = ["elb", "elbv2", undefined];

/**
 * Auto Scaling groups behind a load balancer (targetGroupArns, loadBalancers, load-balancer
 * trafficSources, or an Attachment / TrafficSourceAttachment naming the group) use its health
 * checks, so an instance that stops serving is replaced; with ELB checks the grace period is set and
 * not 0, or instances are killed while they boot. cdk-nag AS2 refuses an unset one too (the provider
 * would default it to 300 s); the platform runs no Auto Scaling group, so the stricter reading costs nothing.
 * checkov CKV2_AWS_15 (graph check AutoScallingEnabledELB.yaml), FSBP AutoScaling.1 (prowler
 * autoscaling_group_elb_health_check_enabled), cdk-nag AS2 (AutoScalingGroupHealthCheck.ts), read 2026-12-01.
 */
function lbHealthChecks(resources: PolicyResource[], report: ReportViolation): void {
  const attached = new Set<unknown>([
    ...ofType(resources, "aws:autoscaling/attachment:Attachment").map((a) => a.props.autoscalingGroupName),
    ...ofType(resources, "aws:autoscaling/trafficSourceAttachment:TrafficSourceAttachment")
      .filter((a) => LB_TRAFFIC.includes((a.props.trafficSource as Props | undefined)?.type as string | undefined))
      .map((a) => a.props.autoscalingGroupName),
  ]);
  for (const g of ofType(resources, ASG)) {
    const p = g.props;
    const behind =
      list(p.targetGroupArns).length > 0 ||
      list(p.loadBalancers).length > 0 ||
      list(p.trafficSources).some((t) => LB_TRAFFIC.includes((t as Props).type as string | undefined)) ||
      idsOf(g).some((n) => attached.has(n));
    if (behind && !elbChecked(p)) report(`Group ${g.name} is behind a load balancer but healthCheckType is ${JSON.stringify(p.healthCheckType ?? "EC2")}: include "ELB"`, g.urn);
    if (elbChecked(p) && (p.healthCheckGracePeriod === undefined || p.healthCheckGracePeriod === 0))
      report(`Group ${g.name}: set healthCheckGracePeriod (seconds, not 0) with ELB health checks, or instances are replaced before they boot`, g.urn);
  }
}

/** The scaling events AS3 wants notified (cdk-nag AutoScalingGroupScalingNotifications.ts, read 2026-12-01). */
export const SCALING_EVENTS = [
  "autoscaling:EC2_INSTANCE_LAUNCH",
  "autoscaling:EC2_INSTANCE_LAUNCH_ERROR",
  "autoscaling:EC2_INSTANCE_TERMINATE",
  "autoscaling:EC2_INSTANCE_TERMINATE_ERROR",
];

/** Every Auto Scaling group is named by Notification resources that together send all four scaling events. cdk-nag AS3. */
function scalingNotifications(resources: PolicyResource[], report: ReportViolation): void {
  const sent = new Map<unknown, Set<unknown>>();
  for (const n of ofType(resources, "aws:autoscaling/notification:Notification"))
    for (const group of list(n.props.groupNames)) sent.set(group, new Set([...(sent.get(group) ?? []), ...list(n.props.notifications)]));
  for (const g of ofType(resources, ASG)) {
    const have = new Set(idsOf(g).flatMap((name) => [...(sent.get(name) ?? [])]));
    const missing = SCALING_EVENTS.filter((e) => !have.has(e));
    if (missing.length) report(`Group ${g.name} has no aws.autoscaling.Notification for ${missing.join(", ")}`, g.urn);
  }
}

/** Where a resource's zones come from: AZ names, and subnet ids (resolved to their AZs when the stack has them). */
const ZONED: Record<string, { label: string; zones: (p: Props) => unknown[]; subnets: (p: Props) => unknown[] }> = {
  [ASG]: { label: "availabilityZones / vpcZoneIdentifiers", zones: (p) => list(p.availabilityZones), subnets: (p) => list(p.vpcZoneIdentifiers) },
  "aws:elb/loadBalancer:LoadBalancer": { label: "availabilityZones / subnets", zones: (p) => list(p.availabilityZones), subnets: (p) => list(p.subnets) },
  ...Object.fromEntries(
    ["aws:lb/loadBalancer:LoadBalancer", "aws:alb/loadBalancer:LoadBalancer"].map((type) => [
      type,
      { label: "subnets / subnetMappings", zones: () => [], subnets: (p: Props) => [...list(p.subnets), ...list(p.subnetMappings).map((m) => (m as Props).subnetId)] },
    ]),
  ),
};

/**
 * Auto Scaling groups and load balancers (classic, application, network, gateway) span two or
 * more AZs, so one zone's outage leaves capacity. Subnets of the stack count by their AZ; a subnet
 * the stack does not hold (or not yet known) counts as one zone. A resource that names neither
 * list (unknown before its VPC exists) is not judged. FSBP AutoScaling.2, ELB.10, ELB.13 (prowler
 * autoscaling_group_multiple_az, elb_is_in_multiple_az, elbv2_is_in_multiple_az: 2 AZs), read 2026-12-01.
 */
function spansZones(resources: PolicyResource[], report: ReportViolation): void {
  const subnetZone = new Map<unknown, unknown>();
  for (const s of ofType(resources, "aws:ec2/subnet:Subnet")) subnetZone.set(s.props.id, s.props.availabilityZone ?? s.props.availabilityZoneId);
  for (const v of ofType(resources, "awsx:ec2:Vpc")) for (const s of list(v.props.subnets) as Props[]) subnetZone.set(s.id, s.availabilityZone);
  for (const r of resources) {
    const how = ZONED[r.type];
    if (!how) continue;
    const zones = how.zones(r.props);
    const subnets = how.subnets(r.props);
    if (zones.length === 0 && subnets.length === 0) continue;
    const distinct = new Set<unknown>(zones);
    subnets.forEach((s, i) => distinct.add(subnetZone.get(s) ?? `subnet ${i}`));
    if (distinct.size < 2) report(`${short(r.type)} ${r.name} spans ${distinct.size} Availability Zone(s) (${how.label}): give it 2 or more`, r.urn);
  }
}

/** The IPv4 range of a CIDR block as two numbers, or undefined for IPv6 and malformed blocks. */
function range(cidr: string): [number, number] | undefined {
  const m = /^(\d+)\.(\d+)\.(\d+)\.(\d+)\/(\d+)$/.exec(cidr);
  if (!m) return undefined;
  const start = m.slice(1, 5).reduce((acc, o) => acc * 256 + Number(o), 0);
  const size = 2 ** (32 - Number(m[5]));
  return [start - (start % size), start - (start % size) + size - 1];
}
const within = (inner: string, outer: string) => {
  const [a, b] = [range(inner), range(outer)];
  return a !== undefined && b !== undefined && a[0] >= b[0] && a[1] <= b[1];
};

/** Routes to a peering connection: standalone routes and the inline routes of (default) route tables. */
function peeringRoutes(resources: PolicyResource[]): { owner: PolicyResource; pcx: unknown; cidrs: string[] }[] {
  const routes: { owner: PolicyResource; pcx: unknown; cidrs: string[] }[] = [];
  const cidrs = (...v: unknown[]) => v.filter((c): c is string => typeof c === "string" && c !== "");
  for (const r of ofType(resources, "aws:ec2/route:Route"))
    if (r.props.vpcPeeringConnectionId) routes.push({ owner: r, pcx: r.props.vpcPeeringConnectionId, cidrs: cidrs(r.props.destinationCidrBlock, r.props.destinationIpv6CidrBlock) });
  for (const t of [...ofType(resources, "aws:ec2/routeTable:RouteTable"), ...ofType(resources, "aws:ec2/defaultRouteTable:DefaultRouteTable")])
    for (const route of list(t.props.routes) as Props[]) if (route.vpcPeeringConnectionId) routes.push({ owner: t, pcx: route.vpcPeeringConnectionId, cidrs: cidrs(route.cidrBlock, route.ipv6CidrBlock) });
  return routes;
}

/**
 * Routes to a VPC peering connection carry only the peer's addresses: never all traffic
 * (0.0.0.0/0, ::/0: checkov CKV2_AWS_44, graph check VPCPeeringRouteTableOverlyPermissive.yaml, read
 * 2026-12-01), and when the stack holds the connection and its VPCs, an IPv4 destination lies inside
 * one of the two VPCs' blocks (a broader one sends other networks' traffic to the peer).
 */
function peeringScoped(resources: PolicyResource[], report: ReportViolation): void {
  const blocks = new Map<unknown, string[]>();
  const add = (vpc: unknown, cidr: unknown) => typeof cidr === "string" && blocks.set(vpc, [...(blocks.get(vpc) ?? []), cidr]);
  for (const v of ofType(resources, "aws:ec2/vpc:Vpc")) add(v.props.id, v.props.cidrBlock);
  for (const v of ofType(resources, "awsx:ec2:Vpc")) add(v.props.vpcId, v.props.cidrBlock ?? (v.props.vpc as Props | undefined)?.cidrBlock);
  for (const a of ofType(resources, "aws:ec2/vpcIpv4CidrBlockAssociation:VpcIpv4CidrBlockAssociation")) add(a.props.vpcId, a.props.cidrBlock);
  const vpcsOf = new Map<unknown, unknown[]>();
  for (const c of ofType(resources, "aws:ec2/vpcPeeringConnection:VpcPeeringConnection")) vpcsOf.set(c.props.id, [c.props.vpcId, c.props.peerVpcId]);
  for (const a of ofType(resources, "aws:ec2/vpcPeeringConnectionAccepter:VpcPeeringConnectionAccepter")) vpcsOf.set(a.props.id, vpcsOf.get(a.props.vpcPeeringConnectionId) ?? []);
  for (const { owner, pcx, cidrs } of peeringRoutes(resources)) {
    const allowed = (vpcsOf.get(pcx) ?? []).flatMap((v) => blocks.get(v) ?? []);
    for (const cidr of cidrs) {
      if (cidr === "0.0.0.0/0" || cidr === "::/0") report(`${short(owner.type)} ${owner.name} routes all traffic (${cidr}) to peering connection ${String(pcx)}: route the peer VPC's block only`, owner.urn);
      else if (range(cidr) && allowed.length > 0 && !allowed.some((b) => within(cidr, b)))
        report(`${short(owner.type)} ${owner.name} routes ${cidr} to peering connection ${String(pcx)}, wider than the peered VPCs' blocks (${allowed.join(", ")})`, owner.urn);
    }
  }
}

/** Tag with which a CodeBuild project states why it builds on its own image (cdk-nag's suppression with a reason). */
export const CUSTOM_BUILD_IMAGE_TAG = "custom-build-image";


/**
 * Compute and network rules that read lists, related resources or config: Auto Scaling groups
 * (launch templates, mixed instance types, load-balancer health checks, scaling notifications),
 * zones spanned by groups and load balancers, EKS node-group SSH, CodeBuild images, Lambda code
 * signing, peering routes. Peer lists of 2026-12-01: checkov CKV_AWS_100, 272, 315, CKV2_AWS_15, 44;
 * cdk-nag AS2, AS3, CB5; FSBP AutoScaling.1, 2, 6, 9, ELB.10, ELB.13.
 */
export const computeNetworkRules: Rule[] = [
  // checkov AutoScalingLaunchTemplate.py and prowler autoscaling_group_using_ec2_launch_template: a launch
  // template, directly or in a mixed instances policy. Launch configurations get no instance types
  // released after 2022-12-31: https://docs.aws.amazon.com/autoscaling/ec2/userguide/launch-configurations.html
  resourceRule("asg-launch-template", "Auto Scaling groups launch from a launch template, not a launch configuration.", [ASG], (p) =>
    p.launchTemplate || (p.mixedInstancesPolicy as Props | undefined)?.launchTemplate
      ? undefined
      : "set launchTemplate (or mixedInstancesPolicy.launchTemplate): launch configurations miss newer instance types and IMDS settings",
  ),
  // prowler autoscaling_group_multiple_instance_types: two or more types (or attribute-based selection, which
  // picks many); the zones are spans-availability-zones'.
  resourceRule("asg-mixed-instance-types", "Auto Scaling groups can launch more than one instance type (mixed instances policy).", [ASG], (p) => {
    const overrides = list(((p.mixedInstancesPolicy as Props | undefined)?.launchTemplate as Props | undefined)?.overrides) as Props[];
    const types = new Set(overrides.map((o) => o.instanceType).filter((t) => t !== undefined));
    return types.size >= 2 || overrides.some((o) => o.instanceRequirements)
      ? undefined
      : `mixedInstancesPolicy.launchTemplate.overrides names ${types.size} instance type(s): give 2 or more (or instanceRequirements) so one type's shortage in a zone does not stop scaling`;
  }),
  stackRule("asg-lb-health-checks", "Auto Scaling groups behind a load balancer use its health checks (ELB), with a grace period.", lbHealthChecks),
  stackRule("asg-scaling-notifications", `Every Auto Scaling group notifies ${SCALING_EVENTS.map((e) => e.split(":")[1]).join(", ")}.`, scalingNotifications),
  stackRule("spans-availability-zones", "Auto Scaling groups and load balancers span two or more Availability Zones.", spansZones),
  // checkov EKSNodeGroupRemoteAccess.py: an SSH key without source security groups opens port 22 to 0.0.0.0/0
  // (https://docs.aws.amazon.com/eks/latest/APIReference/API_RemoteAccessConfig.html).
  resourceRule("eks-node-ssh-scoped", "EKS node groups with an SSH key name the security groups that may use it.", ["aws:eks/nodeGroup:NodeGroup"], (p) => {
    const remote = p.remoteAccess as Props | undefined;
    return remote?.ec2SshKey && list(remote.sourceSecurityGroupIds).length === 0
      ? "remoteAccess.ec2SshKey without remoteAccess.sourceSecurityGroupIds opens SSH to 0.0.0.0/0: name the source security groups (or reach nodes through SSM)"
      : undefined;
  }),
  // cdk-nag CodeBuildProjectManagedImages.ts: the image starts with aws/codebuild/ (CodeBuild's curated images,
  // patched by AWS: https://docs.aws.amazon.com/codebuild/latest/userguide/build-env-ref-available.html).
  resourceRule("codebuild-managed-image", `CodeBuild projects build on a CodeBuild-provided image (aws/codebuild/...), or say why not in the ${CUSTOM_BUILD_IMAGE_TAG} tag.`, ["aws:codebuild/project:Project"], (p) => {
    const image = (p.environment as Props | undefined)?.image;
    if (typeof image !== "string" || image.startsWith("aws/codebuild/")) return undefined;
    if (isReason((p.tags as Props | undefined)?.[CUSTOM_BUILD_IMAGE_TAG])) return undefined;
    return `environment.image ${JSON.stringify(image)} is not a CodeBuild-provided image (aws/codebuild/...): use one, or tag the project ${CUSTOM_BUILD_IMAGE_TAG} with the reason`;
  }),
  // checkov LambdaCodeSigningConfigured.py: codeSigningConfigArn is set. A function may be let through by
  // pack config (`unsigned`: URN pattern -> reason, ./exemptions.ts), the reviewed record of a deviation.
  // A stack rule, called once per preview: a stale entry is only seen against the whole stack.
  {
    ...stackRule("lambda-code-signing", "Lambda functions validate code signing (codeSigningConfigArn), unless the pack config's `unsigned` names them by URN with a reason.", (resources, report, args) => {
      const functions = ofType(resources, "aws:lambda/function:Function");
      const unsigned = stackExemptions("lambda-code-signing.unsigned", args.getConfig<{ unsigned?: unknown }>().unsigned, functions, report);
      for (const f of functions.filter((x) => !x.props.codeSigningConfigArn && !unsigned(x.urn)))
        report(`function ${f.name}: set codeSigningConfigArn (an aws.lambda.CodeSigningConfig with a signing profile) so only signed code deploys, or record the deviation in the pack config's lambda-code-signing.unsigned`, f.urn);
    }),
    configSchema: { properties: { unsigned: exemptionSchema("URN pattern of a function deployed unsigned -> why") } },
  },
  stackRule("peering-routes-scoped", "Routes to a VPC peering connection carry only the peered VPCs' blocks, never all traffic.", peeringScoped),
];
