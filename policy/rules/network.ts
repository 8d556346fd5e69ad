import { Props, Rule, resourceRule } from "./lib";
import { SERVICE_RULES } from "./services";

const ANYWHERE = ["0.0.0.0/0", "::/0"];
/** FTP data and control, SSH, RDP: the ports checkov (CKV_AWS_229-232) and FSBP EC2.21 refuse from anywhere. */
export const ADMIN_PORTS = [20, 21, 22, 3389];

/** One network ACL entry, from a NetworkAclRule or a (default) network ACL's inline list. */
interface AclEntry {
  ingress: boolean;
  allow: boolean;
  cidrs: string[];
  from: number;
  to: number;
}

const allPorts = (protocol: unknown) => ["-1", "all"].includes(String(protocol).toLowerCase());
function entry(p: Props, ingress: boolean, action: unknown): AclEntry {
  const every = allPorts(p.protocol);
  return {
    ingress,
    allow: String(action).toLowerCase() === "allow",
    cidrs: [p.cidrBlock, p.ipv6CidrBlock].filter((c): c is string => typeof c === "string"),
    from: every ? 0 : Number(p.fromPort ?? 0),
    to: every ? 65535 : Number(p.toPort ?? p.fromPort ?? 65535),
  };
}

/** Entries of each type that holds network ACL rules. */
const ACL_ENTRIES: Record<string, (p: Props) => AclEntry[]> = {
  "aws:ec2/networkAclRule:NetworkAclRule": (p) => [entry(p, p.egress !== true, p.ruleAction)],
  "aws:ec2/networkAcl:NetworkAcl": (p) => ((p.ingress as Props[] | undefined) ?? []).map((i) => entry(i, true, i.action)),
  "aws:ec2/defaultNetworkAcl:DefaultNetworkAcl": (p) => ((p.ingress as Props[] | undefined) ?? []).map((i) => entry(i, true, i.action)),
};

/** Types whose description is what an operator reads when deciding whether a rule may go. */
const DESCRIBED = ["aws:ec2/securityGroup:SecurityGroup", "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule", "aws:vpc/securityGroupEgressRule:SecurityGroupEgressRule", "aws:ec2/securityGroupRule:SecurityGroupRule"];

/**
 * Network rules that read documents and rule resources: network ACL entries (standalone, inline,
 * the default ACL's) that allow admin ports or every port from anywhere; a managed default
 * security group keeps no rules; no default VPC under management; security groups and their rules
 * say what they are for; a service's permission to invoke a function names its source. Peer lists
 * of 2026-12-01: checkov CKV_AWS_23, 148, 229-232, 352, 364, CKV2_AWS_12; FSBP EC2.2, EC2.21;
 * cdk-nag EC27. Network ACL order is not modelled: an allow from anywhere is refused even below a deny.
 */
export const networkRules: Rule[] = [
  resourceRule("nacl-no-open-admin-ports", `No network ACL allows ingress from anywhere on every port or on ${ADMIN_PORTS.join(", ")}.`, Object.keys(ACL_ENTRIES), (p, args) =>
    ACL_ENTRIES[args.type](p)
      .filter((e) => e.ingress && e.allow && e.cidrs.some((c) => ANYWHERE.includes(c)))
      .flatMap((e) => {
        if (e.from === 0 && e.to === 65535) return [`network ACL allows every port from anywhere`];
        return ADMIN_PORTS.filter((port) => e.from <= port && port <= e.to).map((port) => `network ACL allows port ${port} from anywhere; reach instances through SSM Session Manager`);
      }),
  ),
  resourceRule("default-sg-closed", "A managed default security group has no ingress or egress rules.", ["aws:ec2/defaultSecurityGroup:DefaultSecurityGroup"], (p) =>
    ((p.ingress as unknown[] | undefined) ?? []).length + ((p.egress as unknown[] | undefined) ?? []).length > 0
      ? "the default security group must allow nothing: resources land in it when no group is named"
      : undefined,
  ),
  resourceRule("no-default-vpc", "The default VPC is not brought under management (the platform builds its own VPCs).", ["aws:ec2/defaultVpc:DefaultVpc"], () =>
    "aws.ec2.DefaultVpc adopts the default VPC, whose subnets are public by default; use the network component's VPC",
  ),
  resourceRule("resource-descriptions", "Security groups and their rules carry a description.", DESCRIBED, (p) =>
    typeof p.description === "string" && p.description.trim().length > 0 ? undefined : "set description: what the group or rule is for, so it can be reviewed and removed",
  ),
  resourceRule("lambda-permission-scoped", "A permission that lets an AWS service invoke a function names the source (sourceArn or sourceAccount).", ["aws:lambda/permission:Permission"], (p) =>
    /\.amazonaws\.com$/.test(String(p.principal ?? "")) && p.sourceArn === undefined && p.sourceAccount === undefined
      ? `${String(p.principal)} may invoke the function from any account's resources; set sourceArn (or sourceAccount)`
      : undefined,
  ),
  // Network Firewall policies and rule groups, EMR clusters (services.ts).
  ...SERVICE_RULES.network,
];
