import { SCALING_EVENTS } from "../../policy/rules/computeNetwork";
import { DocCase, Ref } from "./policyDocumentCases";

/**
 * Passing and failing cases of the compute and network rules (policy/rules/computeNetwork.ts),
 * shared by tests/policy.test.ts (a hand-built graph) and tests/policy-compute-network.test.ts (a
 * Pulumi program through the plan harness). `{ $ref: "x" }` is the id (or `output`) of the case
 * resource whose `ref` is x; `refused` lists the failing resources a stack rule must report.
 */
const of = (ref: string, output?: string) => ({ $ref: ref, ...(output ? { output } : {}) }) as Ref;
const ASG = "aws:autoscaling/group:Group";
const asg = (inputs: Record<string, unknown>, ref?: string): DocCase => ({ type: ASG, ref, inputs: { minSize: 1, maxSize: 4, launchTemplate: { id: "lt-1", version: "$Latest" }, ...inputs } });
const mixed = (overrides: Record<string, unknown>[]) => ({ mixedInstancesPolicy: { launchTemplate: { launchTemplateSpecification: { launchTemplateId: "lt-1" }, overrides } } });
const notification = (group: string, notifications: string[]): DocCase => ({
  type: "aws:autoscaling/notification:Notification",
  inputs: { groupNames: [of(group, "name")], notifications, topicArn: "arn:aws:sns:us-east-1:123456789012:scaling" },
});
const subnet = (ref: string, availabilityZone: string): DocCase => ({ type: "aws:ec2/subnet:Subnet", ref, inputs: { vpcId: "vpc-1", cidrBlock: "10.0.0.0/24", availabilityZone } });
const alb = (inputs: Record<string, unknown>): DocCase => ({ type: "aws:lb/loadBalancer:LoadBalancer", inputs: { loadBalancerType: "application", ...inputs } });
const clb = (inputs: Record<string, unknown>): DocCase => ({
  type: "aws:elb/loadBalancer:LoadBalancer",
  inputs: { listeners: [{ instancePort: 80, instanceProtocol: "http", lbPort: 80, lbProtocol: "http" }], ...inputs },
});
const nodeGroup = (remoteAccess?: Record<string, unknown>): DocCase => ({
  type: "aws:eks/nodeGroup:NodeGroup",
  inputs: { clusterName: "c", nodeRoleArn: "arn:aws:iam::123456789012:role/nodes", subnetIds: ["subnet-1"], scalingConfig: { desiredSize: 2, maxSize: 3, minSize: 2 }, ...(remoteAccess ? { remoteAccess } : {}) },
});
const project = (image: string, tags?: Record<string, string>): DocCase => ({
  type: "aws:codebuild/project:Project",
  inputs: {
    serviceRole: "arn:aws:iam::123456789012:role/build",
    artifacts: { type: "NO_ARTIFACTS" },
    source: { type: "NO_SOURCE", buildspec: "version: 0.2" },
    environment: { computeType: "BUILD_GENERAL1_SMALL", image, type: "LINUX_CONTAINER" },
    ...(tags ? { tags } : {}),
  },
});
const fn = (inputs: Record<string, unknown> = {}): DocCase => ({ type: "aws:lambda/function:Function", inputs: { role: "arn:aws:iam::123456789012:role/fn", runtime: "nodejs24.x", handler: "index.handler", ...inputs } });
const vpc = (ref: string, cidrBlock: string): DocCase => ({ type: "aws:ec2/vpc:Vpc", ref, inputs: { cidrBlock } });
const peered: DocCase[] = [vpc("v1", "10.30.0.0/16"), vpc("v2", "10.31.0.0/16"), { type: "aws:ec2/vpcPeeringConnection:VpcPeeringConnection", ref: "p", inputs: { vpcId: of("v1"), peerVpcId: of("v2") } }];
const route = (inputs: Record<string, unknown>): DocCase => ({ type: "aws:ec2/route:Route", inputs: { routeTableId: "rtb-1", ...inputs } });

export const COMPUTE_NETWORK_CASES: Record<string, { pass: DocCase[]; fail: DocCase[]; refused?: number[] }> = {
  "asg-launch-template": {
    pass: [asg({}), asg({ launchTemplate: undefined, ...mixed([{ instanceType: "m7g.large" }]) })],
    fail: [asg({ launchTemplate: undefined, launchConfiguration: "lc-1" })],
  },
  "asg-mixed-instance-types": {
    pass: [asg(mixed([{ instanceType: "m7g.large" }, { instanceType: "m6g.large" }])), asg(mixed([{ instanceRequirements: { vcpuCount: { min: 2 }, memoryMib: { min: 4096 } } }]))],
    fail: [asg({}), asg(mixed([{ instanceType: "m7g.large" }, { instanceType: "m7g.large" }]))],
  },
  "asg-lb-health-checks": {
    pass: [
      asg({ targetGroupArns: ["arn:aws:elasticloadbalancing:us-east-1:123456789012:targetgroup/web/1"], healthCheckType: "ELB", healthCheckGracePeriod: 300 }),
      asg({ name: "attached", healthCheckType: "EC2,ELB", healthCheckGracePeriod: 120 }, "attached"),
      { type: "aws:autoscaling/attachment:Attachment", inputs: { autoscalingGroupName: of("attached", "name"), lbTargetGroupArn: "arn:aws:elasticloadbalancing:us-east-1:123456789012:targetgroup/web/2" } },
      asg({ healthCheckType: "EC2" }),
    ],
    fail: [
      asg({ targetGroupArns: ["arn:aws:elasticloadbalancing:us-east-1:123456789012:targetgroup/web/1"] }),
      asg({ loadBalancers: ["classic"], healthCheckType: "ELB", healthCheckGracePeriod: 0 }),
      asg({ name: "attached", healthCheckType: "EC2" }, "attached"),
      { type: "aws:autoscaling/attachment:Attachment", inputs: { autoscalingGroupName: of("attached", "name"), elb: "classic" } },
      // ELB checks with the grace period unset (cdk-nag AS2 refuses it).
      asg({ targetGroupArns: ["arn:aws:elasticloadbalancing:us-east-1:123456789012:targetgroup/web/1"], healthCheckType: "ELB" }),
    ],
    refused: [0, 1, 2, 4],
  },
  "asg-scaling-notifications": {
    pass: [asg({ name: "g" }, "g"), notification("g", SCALING_EVENTS.slice(0, 2)), notification("g", SCALING_EVENTS.slice(2))],
    fail: [asg({ name: "g" }, "g"), notification("g", SCALING_EVENTS.slice(0, 2)), asg({ name: "silent" })],
    refused: [0, 2],
  },
  "spans-availability-zones": {
    pass: [
      subnet("a", "us-east-1a"),
      subnet("b", "us-east-1b"),
      asg({ vpcZoneIdentifiers: [of("a"), of("b")] }),
      alb({ subnets: [of("a"), of("b")] }),
      alb({ subnetMappings: [{ subnetId: of("a") }, { subnetId: of("b") }] }),
      clb({ availabilityZones: ["us-east-1a", "us-east-1b"] }),
    ],
    fail: [
      subnet("a", "us-east-1a"),
      subnet("a2", "us-east-1a"),
      asg({ vpcZoneIdentifiers: [of("a"), of("a2")] }),
      alb({ subnetMappings: [{ subnetId: of("a") }] }),
      clb({ availabilityZones: ["us-east-1a"] }),
      asg({ availabilityZones: ["us-east-1a"] }),
    ],
    refused: [2, 3, 4, 5],
  },
  "eks-node-ssh-scoped": {
    pass: [nodeGroup(), nodeGroup({ ec2SshKey: "ops", sourceSecurityGroupIds: ["sg-1"] })],
    fail: [nodeGroup({ ec2SshKey: "ops" })],
  },
  "codebuild-managed-image": {
    pass: [project("aws/codebuild/amazonlinux-aarch64-standard:3.0"), project("123456789012.dkr.ecr.us-east-1.amazonaws.com/builder:1", { "custom-build-image": "needs the vendor's toolchain" })],
    fail: [project("123456789012.dkr.ecr.us-east-1.amazonaws.com/builder:1")],
  },
  "lambda-code-signing": {
    pass: [fn({ codeSigningConfigArn: "arn:aws:lambda:us-east-1:123456789012:code-signing-config:csc-0123456789abcdef0" })],
    fail: [fn()],
  },
  "peering-routes-scoped": {
    pass: [
      ...peered,
      route({ destinationCidrBlock: "10.31.0.0/16", vpcPeeringConnectionId: of("p") }),
      { type: "aws:ec2/routeTable:RouteTable", inputs: { vpcId: of("v1"), routes: [{ cidrBlock: "10.31.8.0/24", vpcPeeringConnectionId: of("p") }] } },
      route({ destinationCidrBlock: "0.0.0.0/0", gatewayId: "igw-1" }),
    ],
    fail: [
      ...peered,
      route({ destinationCidrBlock: "0.0.0.0/0", vpcPeeringConnectionId: of("p") }),
      route({ destinationCidrBlock: "10.0.0.0/8", vpcPeeringConnectionId: of("p") }),
      { type: "aws:ec2/routeTable:RouteTable", inputs: { vpcId: of("v1"), routes: [{ ipv6CidrBlock: "::/0", vpcPeeringConnectionId: of("p") }] } },
    ],
    refused: [3, 4, 5],
  },
};
