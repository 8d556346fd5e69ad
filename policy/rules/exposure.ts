import { PolicyResource } from "@pulumi/policy";
import { Props, Rule, isWildcardPrincipal, ofType, resourceRule, stackRule, statements } from "./lib";

const ANYWHERE = ["0.0.0.0/0", "::/0"];

/** One ingress permission, from an inline rule, a SecurityGroupRule or a SecurityGroupIngressRule. */
interface Ingress {
  resource: PolicyResource;
  groupId: unknown;
  from: number;
  to: number;
  cidrs: string[];
}

function ingressOf(resources: PolicyResource[]): Ingress[] {
  const out: Ingress[] = [];
  const range = (p: Props): [number, number] =>
    String(p.ipProtocol ?? p.protocol) === "-1" ? [0, 65535] : [Number(p.fromPort ?? 0), Number(p.toPort ?? p.fromPort ?? 65535)];
  for (const r of resources) {
    const p = r.props;
    if (r.type === "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule") {
      out.push({ resource: r, groupId: p.securityGroupId, from: range(p)[0], to: range(p)[1], cidrs: [p.cidrIpv4, p.cidrIpv6].filter((c): c is string => typeof c === "string") });
    } else if (r.type === "aws:ec2/securityGroupRule:SecurityGroupRule" && p.type === "ingress") {
      out.push({ resource: r, groupId: p.securityGroupId, from: range(p)[0], to: range(p)[1], cidrs: [...((p.cidrBlocks as string[]) ?? []), ...((p.ipv6CidrBlocks as string[]) ?? [])] });
    } else if (r.type === "aws:ec2/securityGroup:SecurityGroup") {
      for (const i of (p.ingress as Props[] | undefined) ?? []) {
        out.push({ resource: r, groupId: p.id, from: range(i)[0], to: range(i)[1], cidrs: [...((i.cidrBlocks as string[]) ?? []), ...((i.ipv6CidrBlocks as string[]) ?? [])] });
      }
    }
  }
  return out;
}

/** Isolated subnets: what awsx VPCs report as isolated, or subnets tagged SubnetType=Isolated. */
function isolatedSubnets(resources: PolicyResource[]): Set<unknown> | undefined {
  const ids = [
    ...ofType(resources, "awsx:ec2:Vpc").flatMap((v) => (v.props.isolatedSubnetIds as unknown[] | undefined) ?? []),
    ...ofType(resources, "aws:ec2/subnet:Subnet").filter((s) => (s.props.tags as Props | undefined)?.SubnetType === "Isolated").map((s) => s.props.id),
  ];
  return ids.length ? new Set(ids) : undefined;
}

/** Resource policies: types and the property that holds the document. */
export const RESOURCE_POLICIES: Record<string, string> = {
  "aws:s3/bucketPolicy:BucketPolicy": "policy",
  "aws:sqs/queuePolicy:QueuePolicy": "policy",
  "aws:sns/topicPolicy:TopicPolicy": "policy",
  "aws:kms/key:Key": "policy",
  "aws:secretsmanager/secretPolicy:SecretPolicy": "policy",
  "aws:ecr/repositoryPolicy:RepositoryPolicy": "policy",
  "aws:cloudwatch/eventBusPolicy:EventBusPolicy": "policy",
  "aws:codeartifact/domainPermissions:DomainPermissions": "policyDocument",
  "aws:codeartifact/repositoryPermissionsPolicy:RepositoryPermissionsPolicy": "policyDocument",
  "aws:iam/role:Role": "assumeRolePolicy",
  "aws:efs/fileSystemPolicy:FileSystemPolicy": "policy",
  "aws:backup/vaultPolicy:VaultPolicy": "policy",
  "aws:glacier/vault:Vault": "accessPolicy",
  "aws:opensearch/domainPolicy:DomainPolicy": "accessPolicies",
  "aws:opensearch/domain:Domain": "accessPolicies",
  "aws:elasticsearch/domainPolicy:DomainPolicy": "accessPolicies",
  "aws:apigateway/restApiPolicy:RestApiPolicy": "policy",
  "aws:cloudwatch/logResourcePolicy:LogResourcePolicy": "policyDocument",
  "aws:kinesis/resourcePolicy:ResourcePolicy": "policy",
  "aws:dynamodb/resourcePolicy:ResourcePolicy": "policy",
  "aws:s3control/accessPointPolicy:AccessPointPolicy": "policy",
  "aws:lambda/layerVersionPermission:LayerVersionPermission": "policy",
  "aws:ecr/registryPolicy:RegistryPolicy": "policy",
  "aws:sns/topic:Topic": "policy",
  "aws:sqs/queue:Queue": "policy",
  "aws:secretsmanager/secret:Secret": "policy",
  "aws:s3/bucket:Bucket": "policy",
};

/** What may be reached, and from where. */
export const exposureRules: Rule[] = [
  stackRule("no-public-ingress", "No security group admits 0.0.0.0/0 or ::/0, except a load balancer's group on 80 and 443.", (resources, report) => {
    const albGroups = new Set(ofType(resources, "aws:lb/loadBalancer:LoadBalancer").flatMap((lb) => (lb.props.securityGroups as unknown[] | undefined) ?? []));
    for (const i of ingressOf(resources)) {
      if (!i.cidrs.some((c) => ANYWHERE.includes(c))) continue;
      const webOnly = (i.from === 80 && i.to === 80) || (i.from === 443 && i.to === 443);
      if (!(webOnly && albGroups.has(i.groupId))) report(`ingress from anywhere on ports ${i.from}-${i.to}; only a load balancer's group may take 80/443 from anywhere`, i.resource.urn);
    }
  }),
  stackRule("no-ssh-rdp", "No security group opens SSH (22) or RDP (3389), from anywhere or anyone.", (resources, report) => {
    for (const i of ingressOf(resources)) {
      for (const port of [22, 3389]) if (i.from <= port && port <= i.to) report(`ingress covers port ${port}; use ECS Exec or SSM Session Manager instead`, i.resource.urn);
    }
  }),
  resourceRule("db-not-public", "Aurora instances are not publicly accessible.", ["aws:rds/clusterInstance:ClusterInstance", "aws:rds/instance:Instance"], (p) =>
    p.publiclyAccessible === true ? "database instance must not be publicly accessible" : undefined,
  ),
  stackRule("data-in-isolated-subnets", "Database and cache subnet groups use isolated subnets only (no route to the internet).", (resources, report, args) => {
    const isolated = isolatedSubnets(resources);
    if (!isolated) args.notApplicable("no isolated subnets known in this stack");
    for (const g of [...ofType(resources, "aws:rds/subnetGroup:SubnetGroup"), ...ofType(resources, "aws:elasticache/subnetGroup:SubnetGroup")]) {
      const outside = ((g.props.subnetIds as unknown[] | undefined) ?? []).filter((s) => !isolated!.has(s));
      if (outside.length) report(`subnet group uses subnets that are not isolated: ${outside.join(", ")}`, g.urn);
    }
  }),
  stackRule("s3-public-access-blocked", "Every S3 bucket blocks all public access.", (resources, report) => {
    const blocks = ofType(resources, "aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock").filter((b) =>
      ["blockPublicAcls", "blockPublicPolicy", "ignorePublicAcls", "restrictPublicBuckets"].every((k) => b.props[k] === true),
    );
    for (const b of ofType(resources, "aws:s3/bucket:Bucket")) {
      if (!blocks.some((x) => x.props.bucket === b.props.id || x.props.bucket === b.props.bucket)) report("bucket has no public access block with all four settings on", b.urn);
    }
  }),
  resourceRule("ecs-no-public-ip", "ECS services and scheduled tasks run without public IPs.", ["aws:ecs/service:Service", "aws:scheduler/schedule:Schedule"], (p) => {
    const net =
      (p.networkConfiguration as Props | undefined) ??
      (((p.target as Props | undefined)?.ecsParameters as Props | undefined)?.networkConfiguration as Props | undefined);
    return net?.assignPublicIp === true ? "tasks must not get public IPs (they run in private subnets behind NAT)" : undefined;
  }),
  resourceRule("no-wildcard-principal", "Resource policies grant nothing to the wildcard principal.", Object.keys(RESOURCE_POLICIES), (p, args) =>
    statements(p[RESOURCE_POLICIES[args.type]])
      .filter((s) => s.Effect === "Allow" && isWildcardPrincipal(s.Principal))
      .map((s) => `statement ${s.Sid ?? "(no sid)"} allows ${s.Action.join(", ")} to any principal`),
  ),
];
