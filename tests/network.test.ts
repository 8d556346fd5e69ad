import { strict as assert } from "assert";
import { overlaps, parseCidr } from "@platform/components/cidr";
import { TEST_LISTENER_PORT } from "@platform/components/compute";
import { INTERFACE_ENDPOINTS, POSTGRES_PORT, REDIS_PORT } from "@platform/components/network";
import { PlanResource } from "../tools/plan/graph";
import { GraphQuery } from "../tools/plan/query";
import { CLOUDFLARE_IPV4, CLOUDFLARE_IPV6 } from "../tools/plan/mocks";
import { PRIMARY_REGION, STANDBY_REGION, primaryRegion, stack } from "./support/stacks";

const SG = "aws:ec2/securityGroup:SecurityGroup";
const INGRESS = "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule";
const EGRESS = "aws:vpc/securityGroupEgressRule:SecurityGroupEgressRule";

/** A rule in words: "<group> <- <source> tcp/<port>" with tiers named by their group. */
function describeRule(q: GraphQuery, rule: PlanResource): string {
  const tier = (id: unknown) => (q.byIdOrArn(id)?.inputs.tags as Record<string, string> | undefined)?.tier ?? String(id);
  const i = rule.inputs;
  const peer = i.referencedSecurityGroupId
    ? `sg:${tier(i.referencedSecurityGroupId)}`
    : i.prefixListId
      ? `pl:${(q.byIdOrArn(i.prefixListId)?.inputs.addressFamily as string) ?? "?"}`
      : `cidr:${i.cidrIpv4 ?? i.cidrIpv6}`;
  const arrow = rule.type === INGRESS ? "<-" : "->";
  return `${tier(i.securityGroupId)} ${arrow} ${peer} ${i.ipProtocol}/${i.fromPort}`;
}

function rules(q: GraphQuery): string[] {
  return [...q.ofType(INGRESS), ...q.ofType(EGRESS)].map((r) => describeRule(q, r)).sort();
}

/**
 * Tier-to-tier traffic must be allowed by source group id. A rule whose peer is a CIDR inside the
 * VPC would let anything in that range through; this returns the offenders.
 */
/**
 * Rules by private CIDR inside one VPC (tiers must reference groups). A block of another VPC is a
 * peered region's, which a rule cannot reference by group across regions (tests/reachability.test.ts).
 */
function cidrRulesBetweenTiers(q: GraphQuery): string[] {
  const own = (region?: string) => q.ofType("awsx:ec2:Vpc", (v) => v.region === region).map((v) => parseCidr(String(v.inputs.cidrBlock))!);
  return [...q.ofType(INGRESS), ...q.ofType(EGRESS)]
    .filter((r) => {
      const cidr = String(r.inputs.cidrIpv4 ?? "");
      if (!/^10\.|^172\.(1[6-9]|2\d|3[01])\.|^192\.168\./.test(cidr)) return false;
      const block = parseCidr(cidr);
      return !block || own(r.region).some((v) => overlaps(v, block));
    })
    .map((r) => r.name);
}

/** A region's rules with the peered region's block named `peer`, to compare two regions' rules. */
const withPeer = (list: string[]) => list.map((r) => r.replace(/cidr:10\.3[01]\.0\.0\/16/, "cidr:peer"));

describe("Network component", () => {
  describe("prod", () => {
    it("builds a VPC over 3 AZs with public, private and isolated tiers and one NAT per AZ", async () => {
      const q = await stack("prod");
      const vpc = q.named("awsx:ec2:Vpc", "network-vpc");
      assert.equal(vpc.inputs.cidrBlock, "10.30.0.0/16");
      assert.equal(vpc.inputs.numberOfAvailabilityZones, 3);
      assert.deepEqual((vpc.inputs.subnetSpecs as { type: string }[]).map((s) => s.type), ["Public", "Private", "Isolated"]);
      assert.deepEqual(vpc.inputs.natGateways, { strategy: "OnePerAz" });
      const out = vpc.outputs!;
      assert.equal((out.isolatedSubnetIds as string[]).length, 3);
      assert.equal((out.natGateways as unknown[]).length, 3);
      assert.deepEqual(q.graph.outputs.availabilityZones, ["us-east-1a", "us-east-1b", "us-east-1c"]);
    });

    it("creates the S3 gateway endpoint and every interface endpoint in the private subnets", async () => {
      const q = await stack("prod");
      const primaryNetwork = q.named("platform:network:Network", "network").urn;
      const endpoints = q.descendants(primaryNetwork).filter((r) => r.type === "aws:ec2/vpcEndpoint:VpcEndpoint");
      const byService = new Map(endpoints.map((e) => [String(e.inputs.serviceName).replace("com.amazonaws.us-east-1.", ""), e]));
      assert.deepEqual([...byService.keys()].sort(), ["s3", ...INTERFACE_ENDPOINTS].sort());
      assert.equal(byService.get("s3")!.inputs.vpcEndpointType, "Gateway");
      const vpc = q.named("awsx:ec2:Vpc", "network-vpc");
      for (const service of INTERFACE_ENDPOINTS) {
        const e = byService.get(service)!;
        assert.equal(e.inputs.vpcEndpointType, "Interface");
        assert.equal(e.inputs.privateDnsEnabled, true);
        assert.deepEqual(e.inputs.subnetIds, vpc.outputs!.privateSubnetIds);
        const [sg] = e.inputs.securityGroupIds as string[];
        assert.equal((q.byIdOrArn(sg)?.inputs.tags as Record<string, string>).tier, "endpoints");
      }
      assert.deepEqual(byService.get("s3")!.inputs.routeTableIds, (vpc.outputs!.routeTables as { id: string }[]).map((t) => t.id));
    });

    it("keeps flow logs for a year in a KMS-encrypted group, written by a role scoped to that group", async () => {
      const q = await stack("prod");
      const flow = q.named("aws:ec2/flowLog:FlowLog", "network-flow-logs");
      assert.equal(flow.inputs.trafficType, "ALL");
      const group = q.byIdOrArn(flow.inputs.logDestination)!;
      assert.equal(group.type, "aws:cloudwatch/logGroup:LogGroup");
      assert.equal(group.inputs.retentionInDays, 365);
      const key = q.byIdOrArn(group.inputs.kmsKeyId)!;
      assert.equal(key.type, "aws:kms/key:Key");
      assert.equal(key.inputs.enableKeyRotation, true);
      const keyPolicy = JSON.parse(String(key.inputs.policy));
      const logsStatement = keyPolicy.Statement.find((s: { Sid: string }) => s.Sid === "CloudWatchLogsEncrypt");
      assert.deepEqual(logsStatement.Principal, { Service: "logs.us-east-1.amazonaws.com" });

      const role = q.byIdOrArn(flow.inputs.iamRoleArn)!;
      const trust = JSON.parse(String(role.inputs.assumeRolePolicy)).Statement[0];
      assert.deepEqual(trust.Principal, { Service: "vpc-flow-logs.amazonaws.com" });
      assert.deepEqual(trust.Condition, { StringEquals: { "aws:SourceAccount": "123456789012" } });
      const policy = q.ofType("aws:iam/rolePolicy:RolePolicy", (p) => p.inputs.role === role.id)[0];
      const statement = JSON.parse(String(policy.inputs.policy)).Statement[0];
      assert.deepEqual(statement.Resource, [group.arn, `${group.arn}:*`].sort());
    });
  });

  describe("prod secondary region (the warm standby)", () => {
    it("grows the once isolated-only VPC to the full layout, isolated tier first so the database subnets keep their addresses", async () => {
      const q = await stack("prod");
      const net = q.named("platform:network:Network", "network-secondary");
      assert.equal(q.resources.find((r) => r.urn === net.parent)?.type, "platform:region:Region");
      assert.ok(net.options.aliases.includes("urn:pulumi:prod::platform::platform:network:Network::network-secondary"), "aliased to where a deployed stack has it");
      const inside = q.descendants(net.urn);
      const vpc = inside.find((r) => r.type === "awsx:ec2:Vpc")!;
      assert.equal(vpc.region, "us-west-2");
      assert.equal(vpc.inputs.cidrBlock, "10.31.0.0/16");
      // awsx allocates each AZ's block in spec order: Isolated first keeps 10.31.0.0/24 and the like.
      assert.deepEqual((vpc.inputs.subnetSpecs as { type: string }[]).map((s) => s.type), ["Isolated", "Public", "Private"]);
      assert.deepEqual(vpc.inputs.natGateways, { strategy: "OnePerAz" });
      const groups = inside.filter((r) => r.type === SG).map((g) => (g.inputs.tags as Record<string, string>).tier).sort();
      assert.deepEqual(groups, ["alb", "app", "cache", "db", "endpoints"]);
      assert.ok(inside.filter((r) => r.kind === "custom").every((r) => r.region === "us-west-2"));
    });

    it("has exactly the primary's tier-to-tier rules, its own prefix lists and its own NAT list", async () => {
      const q = await stack("prod");
      assert.deepEqual(withPeer(rules(q.inRegion(STANDBY_REGION))), withPeer(rules(q.inRegion(PRIMARY_REGION))));
      assert.deepEqual(cidrRulesBetweenTiers(q.inRegion(STANDBY_REGION)), []);
    });

    it("keeps the primary's order: a new tier never moves the primary's subnets", async () => {
      const vpc = (await stack("prod")).named("awsx:ec2:Vpc", "network-vpc");
      assert.deepEqual((vpc.inputs.subnetSpecs as { type: string }[]).map((s) => s.type), ["Public", "Private", "Isolated"]);
    });
  });

  describe("dev", () => {
    it("uses 2 AZs and a single NAT gateway", async () => {
      const q = await stack("dev");
      const vpc = q.named("awsx:ec2:Vpc", "network-vpc");
      assert.equal(vpc.inputs.numberOfAvailabilityZones, 2);
      assert.deepEqual(vpc.inputs.natGateways, { strategy: "Single" });
      assert.equal((vpc.outputs!.natGateways as unknown[]).length, 1);
    });

    it("has no interface endpoints (cost), only the free S3 gateway endpoint", async () => {
      const q = await stack("dev");
      const endpoints = q.ofType("aws:ec2/vpcEndpoint:VpcEndpoint");
      assert.deepEqual(endpoints.map((e) => e.inputs.vpcEndpointType), ["Gateway"]);
      assert.equal(q.ofType(SG).some((g) => (g.inputs.tags as Record<string, string>).tier === "endpoints"), false);
    });

    it("keeps flow logs for the configured 14 days", async () => {
      const q = await stack("dev");
      assert.equal(q.named("aws:cloudwatch/logGroup:LogGroup", "network-flow-logs").inputs.retentionInDays, 14);
    });
  });

  for (const name of ["dev", "prod"] as const) {
    describe(`security groups (${name})`, () => {
      it("allows exactly the tier-to-tier paths, each by source group id", async () => {
        const q = await primaryRegion(name);
        const expected = [
          "alb <- pl:IPv4 tcp/443",
          "alb <- pl:IPv4 tcp/80",
          "alb <- pl:IPv6 tcp/443",
          "alb <- pl:IPv6 tcp/80",
          // The blue/green test listener, from the NAT list only (see below).
          `alb <- pl:IPv4 tcp/${TEST_LISTENER_PORT}`,
          "alb -> sg:app tcp/3000",
          "alb -> sg:app tcp/8080",
          "app <- sg:alb tcp/3000",
          "app <- sg:alb tcp/8080",
          "app -> cidr:0.0.0.0/0 tcp/443",
          `app -> sg:cache tcp/${REDIS_PORT}`,
          `app -> sg:db tcp/${POSTGRES_PORT}`,
          `cache <- sg:app tcp/${REDIS_PORT}`,
          `db <- sg:app tcp/${POSTGRES_PORT}`,
          ...(name === "prod" ? ["endpoints <- sg:app tcp/443"] : []),
          // The peered standby's services reach this writer, and these the standby's, by block.
          ...(name === "prod" ? [`app -> cidr:10.31.0.0/16 tcp/${POSTGRES_PORT}`, `db <- cidr:10.31.0.0/16 tcp/${POSTGRES_PORT}`] : []),
        ].sort();
        assert.deepEqual(rules(q), expected);
      });

      it("uses no CIDR-based rules between tiers", async () => {
        assert.deepEqual(cidrRulesBetweenTiers(await primaryRegion(name)), []);
      });

      it("admits the edge only through prefix lists holding exactly the configured edge ranges", async () => {
        const q = await primaryRegion(name);
        const cidrs = (family: string) =>
          (q.ofType("aws:ec2/managedPrefixList:ManagedPrefixList", (p) => p.inputs.addressFamily === family && p.name.includes("-edge-"))[0].inputs.entries as { cidr: string }[]).map((e) => e.cidr);
        assert.deepEqual(cidrs("IPv4"), CLOUDFLARE_IPV4);
        assert.deepEqual(cidrs("IPv6"), CLOUDFLARE_IPV6);
        const open = q.ofType(INGRESS, (r) => r.inputs.cidrIpv4 === "0.0.0.0/0" || r.inputs.cidrIpv6 === "::/0");
        assert.deepEqual(open, []);
      });

      it("opens the test listener to this VPC's NAT addresses alone", async () => {
        const q = await primaryRegion(name);
        const [nat] = q.ofType("aws:ec2/managedPrefixList:ManagedPrefixList", (p) => p.name.endsWith("-nat"));
        const natCount = name === "prod" ? 3 : 1;
        assert.equal(nat.inputs.maxEntries, natCount);
        const entries = nat.inputs.entries as { cidr: string }[];
        assert.equal(entries.length, natCount);
        assert.ok(entries.every((e) => /^203\.0\.113\.\d+\/32$/.test(e.cidr)), JSON.stringify(entries));
        const testRules = q.ofType(INGRESS, (r) => r.inputs.fromPort === TEST_LISTENER_PORT);
        assert.deepEqual(testRules.map((r) => r.inputs.prefixListId), [nat.id]);
      });

      it("leaves the data tiers without any egress", async () => {
        const q = await primaryRegion(name);
        assert.ok(rules(q).every((r) => !/^(db|cache) ->/.test(r)));
      });
    });
  }

  describe("the tier-CIDR check itself", () => {
    it("flags a rule that opens a tier to a VPC range", async () => {
      const q = await stack("dev");
      const bad: PlanResource = { ...q.ofType(INGRESS)[0], name: "db-in-vpc", inputs: { ipProtocol: "tcp", fromPort: 5432, toPort: 5432, cidrIpv4: "10.20.0.0/16" } };
      const tampered = new GraphQuery({ ...q.graph, resources: [...q.resources, bad] });
      assert.deepEqual(cidrRulesBetweenTiers(tampered), ["db-in-vpc"]);
    });
  });
});
