import { PolicyResource } from "@pulumi/policy";
import { Props, Rule, ofType, prodOnly, regionOf, regionRole, resourceRule, stackRule, standsBy } from "./lib";

/** Resources whose loss loses data: Pulumi must refuse to delete them in prod. */
export const STATEFUL_TYPES = [
  "aws:rds/cluster:Cluster",
  "aws:rds/globalCluster:GlobalCluster",
  "aws:elasticache/replicationGroup:ReplicationGroup",
  "aws:s3/bucket:Bucket",
  "aws:backup/vault:Vault",
  "aws:kms/key:Key",
  "aws:ecr/repository:Repository",
];

/** Data stores AWS Backup must select in prod (the peers' "in a backup plan" checks). */
export const BACKED_UP_TYPES = ["aws:rds/cluster:Cluster", "aws:rds/instance:Instance", "aws:efs/fileSystem:FileSystem", "aws:dynamodb/table:Table", "aws:ebs/volume:Volume", "aws:docdb/cluster:Cluster", "aws:neptune/cluster:Cluster"];

/** Members of the global cluster: clusters that name it. */
function members(resources: PolicyResource[], global: PolicyResource): PolicyResource[] {
  return ofType(resources, "aws:rds/cluster:Cluster").filter((c) => c.props.globalClusterIdentifier !== undefined && [global.props.id, global.props.globalClusterIdentifier].includes(c.props.globalClusterIdentifier));
}

/** Prod survives the loss of an AZ (and, for data, of a region). Each is pack config `environment: prod`. */
export const resilienceRules: Rule[] = [
  prodOnly(
    stackRule("prod-aurora-multi-az", "Prod Aurora clusters run 2 or more instances in distinct AZs.", (resources, report) => {
      for (const c of ofType(resources, "aws:rds/cluster:Cluster")) {
        const instances = ofType(resources, "aws:rds/clusterInstance:ClusterInstance").filter((i) => i.props.clusterIdentifier === c.props.id || i.props.clusterIdentifier === c.props.clusterIdentifier);
        const azs = new Set(instances.map((i) => i.props.availabilityZone));
        if (instances.length < 2 || azs.size < 2) report(`cluster has ${instances.length} instance(s) over ${azs.size} AZ(s); prod needs 2+ in distinct AZs`, c.urn);
      }
    }),
  ),
  prodOnly(resourceRule("prod-aurora-deletion-protection", "Prod Aurora clusters have deletion protection.", ["aws:rds/cluster:Cluster", "aws:rds/globalCluster:GlobalCluster"], (p) =>
    p.deletionProtection === true ? undefined : "deletionProtection must be true in prod",
  )),
  prodOnly(resourceRule("prod-aurora-backup-retention", "Prod Aurora clusters keep automated backups 14 days or more.", ["aws:rds/cluster:Cluster"], (p) =>
    Number(p.backupRetentionPeriod ?? 1) >= 14 ? undefined : `backupRetentionPeriod is ${String(p.backupRetentionPeriod ?? 1)}; prod needs 14 or more`,
  )),
  prodOnly(
    stackRule("prod-aurora-global-secondary", "Prod Aurora is a Global Database with a secondary cluster.", (resources, report) => {
      const globals = ofType(resources, "aws:rds/globalCluster:GlobalCluster");
      const primary = ofType(resources, "aws:rds/cluster:Cluster");
      if (globals.length === 0) {
        for (const c of primary) report("prod Aurora must be a Global Database with a secondary region", c.urn);
        return;
      }
      for (const g of globals) if (members(resources, g).length < 2) report("global cluster has no secondary member", g.urn);
    }),
  ),
  prodOnly(resourceRule("prod-redis-failover", "Prod Redis fails over automatically across AZs.", ["aws:elasticache/replicationGroup:ReplicationGroup"], (p) =>
    p.automaticFailoverEnabled === true && p.multiAzEnabled === true && Number(p.numCacheClusters ?? 1) >= 2 ? undefined : "prod Redis needs automaticFailoverEnabled, multiAzEnabled and 2 or more nodes",
  )),
  // Services behind the load balancer only: job processors scale to zero on an empty queue by design.
  // The services of the region that stands by (tag region-serving: standby) keep at least one task: warm, not cold.
  prodOnly(
    resourceRule("prod-ecs-min-tasks", "Prod ECS services behind the load balancer run 2 or more tasks (1 or more in the warm-standby region).", ["aws:ecs/service:Service"], (p) => {
      const least = standsBy(p) ? 1 : 2;
      const tasks = Number(p.desiredCount ?? 1);
      return ((p.loadBalancers as unknown[] | undefined) ?? []).length > 0 && tasks < least ? `desiredCount is ${tasks}; prod services need ${least} or more here` : undefined;
    }),
  ),
  prodOnly(
    stackRule("prod-nat-per-az", "Prod VPCs with private subnets have one NAT gateway per AZ.", (resources, report) => {
      for (const v of ofType(resources, "awsx:ec2:Vpc")) {
        const hasPrivate = ((v.props.subnetSpecs as { type?: string }[] | undefined) ?? []).some((s) => s.type === "Private");
        if (!hasPrivate) continue;
        // Before deploy the VPC shows its strategy (an input); after, the gateways it made (an output).
        const nat = v.props.natGateways;
        if (Array.isArray(nat)) {
          const azs = Number(v.props.numberOfAvailabilityZones ?? 0);
          if (nat.length < azs) report(`${nat.length} NAT gateway(s) for ${azs} AZs; prod needs one per AZ`, v.urn);
          continue;
        }
        const strategy = (nat as { strategy?: string } | undefined)?.strategy;
        if (strategy !== "OnePerAz") report(`NAT strategy is ${strategy ?? "Single (the default)"}; prod needs OnePerAz`, v.urn);
      }
      const nats = ofType(resources, "aws:ec2/natGateway:NatGateway");
      const publicSubnets = new Set(nats.map((n) => n.props.subnetId));
      if (nats.length > 0 && publicSubnets.size < nats.length) report("two NAT gateways share a subnet", nats[0].urn);
    }),
  ),
  // The standby region's data are replicas of the primary's (Aurora Global Database): the primary's backups cover them.
  prodOnly(
    stackRule("prod-backup-coverage", "Prod data stores (databases, file systems, tables, volumes) in the primary region are in an AWS Backup selection.", (resources, report) => {
      const selections = ofType(resources, "aws:backup/selection:Selection");
      const byArn = new Set(selections.flatMap((s) => (s.props.resources as unknown[] | undefined) ?? []));
      const byTag = selections.flatMap((s) => (s.props.selectionTags as Props[] | undefined) ?? []);
      const tagged = (r: PolicyResource) => byTag.some((t) => (r.props.tags as Props | undefined)?.[String(t.key)] === t.value);
      for (const r of resources.filter((x) => BACKED_UP_TYPES.includes(x.type) && regionRole(x) !== "secondary")) {
        if (!byArn.has("*") && !byArn.has(r.props.arn) && !tagged(r)) report(`${r.type.split(":").pop()} ${r.name} is in no AWS Backup selection`, r.urn);
      }
    }),
  ),
  prodOnly(resourceRule("prod-protect-stateful", "Prod stateful resources are Pulumi-protected.", STATEFUL_TYPES, (_p, args) =>
    args.opts.protect ? undefined : `${args.type.split(":")[2]} must have protect: true in prod`,
  )),
  stackRule("aurora-secondary-other-region", "A Global Database's clusters live in different regions.", (resources, report) => {
    for (const g of ofType(resources, "aws:rds/globalCluster:GlobalCluster")) {
      const regions = members(resources, g).map(regionOf);
      if (regions.some((r) => r === undefined)) continue;
      if (new Set(regions).size !== regions.length) report(`global cluster members share a region (${regions.join(", ")}); the secondary must be elsewhere`, g.urn);
    }
  }),
  prodOnly(
    stackRule("prod-standby-region", "Prod runs every load-balanced service in a warm-standby region as well (region-role secondary).", (resources, report) => {
      const services = ofType(resources, "aws:ecs/service:Service").filter((r) => ((r.props.loadBalancers as unknown[] | undefined) ?? []).length > 0);
      const names = (role: string) => new Set(services.filter((r) => (regionRole(r) ?? "primary") === role).map((r) => String(r.props.name)));
      const standby = names("secondary");
      for (const r of services.filter((x) => (regionRole(x) ?? "primary") === "primary")) {
        if (!standby.has(String(r.props.name))) report(`service ${String(r.props.name)} has no copy in the standby region: a region failure would leave it down`, r.urn);
      }
    }),
  ),
  prodOnly(
    stackRule("prod-media-replication", "Prod replicates S3 objects and deletes to another region, and CloudFront fails over to the replica.", (resources, report) => {
      const replicating = ofType(resources, "aws:s3/bucketReplicationConfig:BucketReplicationConfig").some((c) =>
        ((c.props.rules as Props[] | undefined) ?? []).some(
          (r) => r.status === "Enabled" && (r.deleteMarkerReplication as Props | undefined)?.status === "Enabled" && ((r.destination as Props | undefined)?.encryptionConfiguration as Props | undefined)?.replicaKmsKeyId,
        ),
      );
      for (const d of ofType(resources, "aws:cloudfront/distribution:Distribution")) {
        if (!replicating) report("no bucket replicates to another region (status, delete markers and the replica's KMS key enabled)", d.urn);
        const groups = (d.props.originGroups as { members?: unknown[] }[] | undefined) ?? [];
        if (!groups.some((g) => (g.members ?? []).length >= 2)) report("distribution has no origin group that fails over to a replica", d.urn);
      }
    }),
  ),
  prodOnly(
    stackRule("prod-alb-edge-only", "Every region's ALB takes ingress only from prefix lists (the edge's published ranges), never from CIDRs or other groups.", (resources, report) => {
      const albGroups = new Set(ofType(resources, "aws:lb/loadBalancer:LoadBalancer").flatMap((lb) => (lb.props.securityGroups as string[] | undefined) ?? []));
      for (const rule of ofType(resources, "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule")) {
        // Group ids are unknown in a first preview; the rule judges what it can see.
        if (!albGroups.has(String(rule.props.securityGroupId))) continue;
        if (!rule.props.prefixListId || rule.props.cidrIpv4 || rule.props.cidrIpv6 || rule.props.referencedSecurityGroupId) {
          report("ALB ingress must come from a prefix list of the edge's ranges only", rule.urn);
        }
      }
    }),
  ),
];
