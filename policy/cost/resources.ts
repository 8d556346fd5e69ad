/**
 * What each AWS resource type costs a month, as dimensions (quantity × a price-file entry), and
 * which types cost nothing of their own. A type in neither list is reported as unpriced, and a
 * test fails on one the platform creates.
 */
import { HOURS_PER_MONTH, Usage } from "./usage";
import type { Vendor } from "./prices";

/** A resource as the plan graph or the policy engine sees it. */
export interface CostResource {
  urn: string;
  type: string;
  name: string;
  id?: string;
  region?: string;
  props: Record<string, unknown>;
}

export interface Dimension {
  /** What is counted, e.g. "on-demand vCPU-hours". */
  name: string;
  quantity: number;
  vendor: Vendor;
  /** Key in pricing/<vendor>.json. */
  price: string;
  /** Multiplies the price (e.g. Spot's share of it). Default 1. */
  factor?: number;
  /** The assumption behind the quantity, printed next to it. */
  assumption?: string;
}

export interface Context {
  usage: Usage;
  /** Resources of a type in a region (every region when `region` is undefined). */
  of(type: string, region?: string): CostResource[];
  /** Price of a key (for derived factors such as the Spot discount); undefined when missing. */
  price(vendor: Vendor, key: string): number | undefined;
}

/** A priced type that costs nothing in this configuration, and why (the report lists it as free). */
export interface FreeHere {
  free: string;
}
/** A handler that returns no dimension and no reason is reported as unpriced: nothing drops out silently. */
type Handler = (r: CostResource, ctx: Context) => Dimension[] | FreeHere;
const num = (v: unknown, fallback = 0): number => (v === undefined || v === null || v === "" || Number.isNaN(Number(v)) ? fallback : Number(v));
const list = (v: unknown): unknown[] => (Array.isArray(v) ? v : []);
const aws = (name: string, quantity: number, price: string, assumption?: string, factor?: number): Dimension => ({ name, quantity, vendor: "aws", price, assumption, factor });

/** Task size of the task definition an ARN (`task-definition/<family>:<rev>`) names. */
function taskSize(arn: unknown, region: string | undefined, ctx: Context): { vcpu: number; gb: number } | undefined {
  const family = /task-definition\/([^:]+)/.exec(String(arn ?? ""))?.[1];
  const def = ctx.of("aws:ecs/taskDefinition:TaskDefinition", region).find((d) => d.props.family === family);
  return def ? { vcpu: num(def.props.cpu) / 1024, gb: num(def.props.memory) / 1024 } : undefined;
}

/** On-demand and Spot tasks of a service running `tasks`, by its capacity-provider strategy (base first, then weights). */
export function capacitySplit(tasks: number, strategy: unknown): { onDemand: number; spot: number } {
  const items = list(strategy) as { capacityProvider?: string; base?: number; weight?: number }[];
  if (!items.length) return { onDemand: tasks, spot: 0 };
  const od = items.find((i) => i.capacityProvider === "FARGATE");
  const spot = items.find((i) => i.capacityProvider === "FARGATE_SPOT");
  const base = Math.min(tasks, num(od?.base) + num(spot?.base));
  const odBase = Math.min(tasks, num(od?.base));
  const rest = tasks - base;
  const weights = num(od?.weight) + num(spot?.weight);
  const odRest = weights ? (rest * num(od?.weight)) / weights : 0;
  return { onDemand: odBase + odRest, spot: tasks - odBase - odRest };
}

function fargate(label: string, tasks: { onDemand: number; spot: number }, size: { vcpu: number; gb: number }, hours: number, assumption: string, ctx: Context): Dimension[] {
  const spotShare = 1 - (ctx.price("aws", "fargate.spotDiscount") ?? 0);
  const out: Dimension[] = [];
  if (tasks.onDemand) out.push(aws(`${label} vCPU-hours (on-demand)`, tasks.onDemand * size.vcpu * hours, "fargate.vcpuHour", assumption), aws(`${label} GB-hours (on-demand)`, tasks.onDemand * size.gb * hours, "fargate.gbHour"));
  if (tasks.spot) out.push(aws(`${label} vCPU-hours (Spot)`, tasks.spot * size.vcpu * hours, "fargate.vcpuHour", assumption, spotShare), aws(`${label} GB-hours (Spot)`, tasks.spot * size.gb * hours, "fargate.gbHour", undefined, spotShare));
  return out;
}

/** Running tasks of an ECS service: its scaling floor (or desired count) plus the usage assumption. */
export function serviceTasks(r: CostResource, ctx: Context): number {
  const target = ctx.of("aws:appautoscaling/target:Target", r.region).find((t) => String(t.props.resourceId ?? "").endsWith(`/${r.props.name}`));
  const floor = target ? num(target.props.minCapacity) : num(r.props.desiredCount);
  // A service scaled to zero (a standby's processors) stays there.
  return floor === 0 ? 0 : floor + ctx.usage.tasksAboveFloor;
}

/** Runs a month of a Scheduler expression (`rate(n unit)`, a daily or hourly `cron`, `at`). */
export function runsPerMonth(expression: string): number {
  const rate = /^rate\((\d+) (minute|minutes|hour|hours|day|days)\)$/.exec(expression);
  if (rate) return (HOURS_PER_MONTH * 60) / (Number(rate[1]) * { minute: 1, minutes: 1, hour: 60, hours: 60, day: 1440, days: 1440 }[rate[2]]!);
  const cron = /^cron\((\S+) (\S+) (\S+) (\S+) (\S+)(?: (\S+))?\)$/.exec(expression);
  if (cron) {
    const [, minute, hour, dom, , dow] = cron;
    const perHour = minute === "*" ? 60 : minute.split(",").length;
    const hours = hour === "*" ? 24 : hour.split(",").length;
    const days = dom === "*" || dom === "?" ? (dow === "*" || dow === "?" ? HOURS_PER_MONTH / 24 : (dow.split(",").length * 52) / 12) : dom.split(",").length;
    return perHour * hours * days;
  }
  return expression.startsWith("at(") ? 1 : 0;
}

const NODE_COUNT = (p: Record<string, unknown>) => (p.numCacheClusters !== undefined ? num(p.numCacheClusters) : num(p.numNodeGroups, 1) * (1 + num(p.replicasPerNodeGroup)));

export const PRICED: Record<string, Handler> = {
  "aws:ecs/service:Service": (r, ctx) => {
    const size = taskSize(r.props.taskDefinition, r.region, ctx);
    const tasks = serviceTasks(r, ctx);
    if (!tasks) return { free: "scaled to zero (no running task)" };
    if (!size) return [];
    return fargate("task", capacitySplit(tasks, r.props.capacityProviderStrategies), size, HOURS_PER_MONTH, `${tasks} task(s) all month (scaling floor + ${ctx.usage.tasksAboveFloor})`, ctx);
  },
  "aws:scheduler/schedule:Schedule": (r, ctx) => {
    if (r.props.state === "DISABLED") return { free: "disabled (a standby's schedules run nothing)" };
    const runs = runsPerMonth(String(r.props.scheduleExpression));
    const target = (r.props.target ?? {}) as { ecsParameters?: { taskDefinitionArn?: string } };
    const size = taskSize(target.ecsParameters?.taskDefinitionArn, r.region, ctx);
    const invocations = aws("invocations (millions; 14 million a month are free account-wide)", runs / 1e6, "scheduler.millionInvocations", `${Math.round(runs)} run(s) a month from ${r.props.scheduleExpression}`);
    const hours = (runs * ctx.usage.scheduledTaskMinutes) / 60;
    return [invocations, ...(size ? fargate("scheduled task", { onDemand: 1, spot: 0 }, size, hours, `${ctx.usage.scheduledTaskMinutes} min a run`, ctx) : [])];
  },
  "aws:rds/clusterInstance:ClusterInstance": (r, ctx) => {
    const cls = String(r.props.instanceClass);
    const clusters = ctx.of("aws:rds/cluster:Cluster", r.region);
    const cluster = clusters.find((c) => c.id === r.props.clusterIdentifier) ?? (clusters.length === 1 ? clusters[0] : undefined);
    // I/O-Optimized clusters pay more for compute and nothing for I/O.
    const premium = cluster?.props.storageType === "aurora-iopt1" ? 1 + (ctx.price("aws", "aurora.ioOptimizedComputePremium") ?? 0) : undefined;
    if (cls !== "db.serverless") return [aws(`${cls} instance-hours`, HOURS_PER_MONTH, `aurora.instanceHour.${cls}`, premium ? "I/O-Optimized" : undefined, premium)];
    const min = num((cluster?.props.serverlessv2ScalingConfiguration as { minCapacity?: number } | undefined)?.minCapacity, 0.5);
    return [aws("Serverless v2 ACU-hours", min * HOURS_PER_MONTH, "aurora.acuHour", `the configured minimum, ${min} ACU, all month`, premium)];
  },
  "aws:rds/cluster:Cluster": (r, ctx) => {
    const a = ctx.usage.aurora;
    const optimized = r.props.storageType === "aurora-iopt1";
    return [
      aws("storage GB-months", a.storageGb, optimized ? "aurora.ioOptimizedStorageGbMonth" : "aurora.storageGbMonth", `${a.storageGb} GB stored`),
      ...(optimized ? [] : [aws("I/O requests (millions)", a.ioMillions, "aurora.ioMillion", `${a.ioMillions} million a month (Aurora Standard)`)]),
      aws("backup GB-months beyond the free amount", a.backupGbBeyondFree, "aurora.backupGbMonth"),
    ];
  },
  "aws:rds/globalCluster:GlobalCluster": (_r, ctx) => {
    const secondaries = Math.max(0, ctx.of("aws:rds/cluster:Cluster").filter((c) => c.props.globalClusterIdentifier).length - 1);
    return [aws("replicated write I/Os (millions)", ctx.usage.aurora.replicatedWriteIoMillions * secondaries, "aurora.replicatedWriteIoMillion", `${ctx.usage.aurora.replicatedWriteIoMillions} million to each of ${secondaries} secondary region(s)`)];
  },
  "aws:rds/proxy:Proxy": () => [aws("vCPU-hours of the instances behind it", 2 * HOURS_PER_MONTH, "rdsProxy.vcpuHour", "2 vCPUs (a large instance class or the 8-ACU minimum of Serverless v2 is not modelled)")],
  "aws:elasticache/replicationGroup:ReplicationGroup": (r, ctx) => {
    // A Global Datastore member takes its node type from the datastore, i.e. from its primary.
    const nodeType = r.props.nodeType ?? globalPrimary(r, ctx)?.props.nodeType;
    return [aws(`${nodeType} node-hours`, NODE_COUNT(r.props) * HOURS_PER_MONTH, `elasticache.nodeHour.${nodeType}`, `${NODE_COUNT(r.props)} node(s)${r.props.nodeType ? "" : " (Global Datastore member, the primary's node type)"}`)];
  },
  "awsx:ec2:Vpc": (r, ctx) => {
    const strategy = (r.props.natGateways as { strategy?: string } | undefined)?.strategy ?? "Single";
    const azs = num(r.props.numberOfAvailabilityZones, list(r.props.availabilityZoneNames).length || 2);
    const nats = strategy === "None" ? 0 : strategy === "OnePerAz" ? azs : 1;
    if (!nats) return { free: "no NAT gateway (a VPC and its subnets cost nothing)" };
    return [aws("NAT gateway-hours", nats * HOURS_PER_MONTH, "nat.hour", `${nats} NAT gateway(s)`), aws("NAT GB processed", nats * ctx.usage.natGbPerGateway, "nat.gb", `${ctx.usage.natGbPerGateway} GB per gateway`)];
  },
  "aws:ec2/vpcEndpoint:VpcEndpoint": (r) =>
    r.props.vpcEndpointType === "Interface"
      ? [aws("endpoint AZ-hours", list(r.props.subnetIds).length * HOURS_PER_MONTH, "vpcEndpoint.azHour", `${list(r.props.subnetIds).length} AZ(s)`)]
      : r.props.vpcEndpointType === "Gateway"
        ? // "There is no additional charge for using gateway endpoints" (https://docs.aws.amazon.com/vpc/latest/privatelink/gateway-endpoints.html#gateway-endpoint-pricing).
          { free: "gateway endpoint (S3, DynamoDB): no hourly or data charge" }
        : [],
  "aws:lb/loadBalancer:LoadBalancer": (_r, ctx) => [aws("ALB-hours", HOURS_PER_MONTH, "alb.hour"), aws("LCU-hours", ctx.usage.albLcu * HOURS_PER_MONTH, "alb.lcuHour", `${ctx.usage.albLcu} LCU on average`)],
  "aws:kms/key:Key": () => [aws("key-months", 1, "kms.keyMonth")],
  "aws:secretsmanager/secret:Secret": (r) => [aws("secret-months (with replicas)", 1 + list(r.props.replicas).length, "secretsManager.secretMonth")],
  "aws:cloudwatch/logGroup:LogGroup": (r, ctx) => {
    const gb = ctx.usage.logGbPerGroup;
    const retentionMonths = Math.min(12, num(r.props.retentionInDays, 365) / 30);
    return [aws("GB ingested", gb, "logs.ingestGb", `${gb} GB a month`), aws("GB-months stored", gb * retentionMonths, "logs.storageGbMonth", `${retentionMonths.toFixed(1)} months kept`)];
  },
  "aws:cloudwatch/metricAlarm:MetricAlarm": () => [aws("alarm-months", 1, "cloudwatch.alarmMonth")],
  "aws:kinesis/firehoseDeliveryStream:FirehoseDeliveryStream": (r, ctx) => {
    const groups = ctx.of("aws:cloudwatch/logSubscriptionFilter:LogSubscriptionFilter", r.region).length;
    const streams = ctx.of(r.type, r.region).length || 1;
    const gb = (groups * ctx.usage.logGbPerGroup) / streams;
    return [aws("GB ingested", gb, "firehose.gb", `${groups} subscribed log group(s) × ${ctx.usage.logGbPerGroup} GB`)];
  },
  "aws:sqs/queue:Queue": (r, ctx) => (/-dlq$/.test(String(r.props.name ?? r.name)) ? { free: "dead-letter queue: only failed messages, within the free million requests (assumption)" } : [aws("requests (millions)", ctx.usage.queueMillionMessages * 3, "sqs.millionRequests", `${ctx.usage.queueMillionMessages} million messages × 3 requests`)]),
  "aws:cloudwatch/eventBus:EventBus": (_r, ctx) => [aws("custom events (millions)", ctx.usage.eventMillions, "eventbridge.millionEvents")],
  "aws:s3/bucket:Bucket": (r, ctx) => {
    const media = /-media(-replica)?$/.test(r.name);
    const gb = media ? ctx.usage.s3.mediaGb : ctx.usage.s3.otherGbPerBucket;
    return [aws("GB-months stored", gb, "s3.storageGbMonth", media ? "media" : "logs and backups")];
  },
  "aws:cloudfront/distribution:Distribution": (_r, ctx) => [aws("GB to the internet", ctx.usage.cdn.gb, "cloudfront.gb"), aws("HTTPS requests (millions)", ctx.usage.cdn.millionRequests, "cloudfront.millionRequests")],
  "aws:backup/plan:Plan": (r, ctx) => {
    const copies = list(r.props.rules).flatMap((rule) => list((rule as { copyActions?: unknown[] }).copyActions)).length;
    const gb = ctx.usage.aurora.storageGb;
    return [aws("vault GB-months (primary and copies)", gb * (1 + copies), "backup.auroraGbMonth", `${gb} GB in the primary vault and ${copies} cop(ies)`), aws("GB copied across regions", gb * copies, "backup.crossRegionGb")];
  },
  "aws:cloudwatch/logDelivery:LogDelivery": (_r, ctx) => [aws("GB of access logs delivered", ctx.usage.cdn.logGb, "logs.vendedS3Gb", `${ctx.usage.cdn.logGb} GB a month`)],
  "aws:ecr/repository:Repository": (_r, ctx) => [aws("GB-months stored", ctx.usage.ecrGbPerRepository, "ecr.storageGbMonth")],
  "aws:codeartifact/domain:Domain": (_r, ctx) => [aws("GB-months stored", ctx.usage.codeArtifactGb, "codeartifact.storageGbMonth")],
  "aws:lambda/function:Function": (r, ctx) => {
    const n = ctx.usage.lambdaInvocations;
    return [aws("requests (millions)", n / 1e6, "lambda.millionRequests"), aws("GB-seconds (1 s a run)", (n * num(r.props.memorySize, 128)) / 1024, "lambda.gbSecond", `${n} invocation(s)`)];
  },
  "cloudflare:index/loadBalancerPool:LoadBalancerPool": (r, ctx) => {
    const pools = ctx.of(r.type).sort((a, b) => a.urn.localeCompare(b.urn));
    const before = pools.slice(0, pools.findIndex((p) => p.urn === r.urn)).reduce((n, p) => n + list(p.props.origins).length, 0);
    const mine = list(r.props.origins).length;
    // The subscription includes two origins; each origin beyond them is charged.
    const extra = Math.max(0, before + mine - 2) - Math.max(0, before - 2);
    if (pools[0]?.urn !== r.urn && !extra) return { free: "its origins are within the subscription's two (priced on the first pool)" };
    return [
      ...(pools[0]?.urn === r.urn ? [{ name: "Load Balancing subscription", quantity: 1, vendor: "cloudflare" as const, price: "loadBalancing.base" }] : []),
      ...(extra ? [{ name: "origins beyond the two included", quantity: extra, vendor: "cloudflare" as const, price: "loadBalancing.extraOrigin" }] : []),
    ];
  },
  "datadog:aws/integrationAccount:IntegrationAccount": (_r, ctx) => {
    const tasks = ctx.of("aws:ecs/service:Service").reduce((n, s) => n + serviceTasks(s, ctx), 0);
    const gb = ctx.of("aws:cloudwatch/logSubscriptionFilter:LogSubscriptionFilter").length * ctx.usage.logGbPerGroup;
    const d = ctx.usage.datadog;
    return [
      { name: "monitored Fargate tasks", quantity: tasks, vendor: "datadog", price: "fargateTaskMonth", assumption: "every running task" },
      { name: "log GB ingested", quantity: gb, vendor: "datadog", price: "logs.ingestGb", assumption: "every shipped log group" },
      { name: "indexed log events (millions)", quantity: (gb * d.eventsPerGb * d.indexedShare) / 1e6, vendor: "datadog", price: "logs.indexedMillionEvents", assumption: `${d.indexedShare * 100}% of ${d.eventsPerGb / 1e6} million events per GB` },
      { name: "custom metrics", quantity: d.customMetrics, vendor: "datadog", price: "customMetricMonth" },
    ];
  },
};

/** The primary replication group of the Global Datastore a member replication group belongs to. */
function globalPrimary(member: CostResource, ctx: Context): CostResource | undefined {
  const global = ctx.of("aws:elasticache/globalReplicationGroup:GlobalReplicationGroup").find((g) => g.id === member.props.globalReplicationGroupId);
  return global && ctx.of("aws:elasticache/replicationGroup:ReplicationGroup").find((g) => g.id === global.props.primaryReplicationGroupId);
}

/** Types that cost nothing of their own, and why. */
export const FREE: Record<string, string> = Object.fromEntries(
  Object.entries({
    "configuration with no charge": [
      "aws:acm/certificate:Certificate", "aws:acm/certificateValidation:CertificateValidation", "aws:appautoscaling/policy:Policy", "aws:appautoscaling/target:Target",
      "aws:backup/selection:Selection", "aws:backup/vault:Vault", "aws:backup/vaultLockConfiguration:VaultLockConfiguration",
      "aws:cloudfront/originAccessControl:OriginAccessControl", "aws:cloudfront/responseHeadersPolicy:ResponseHeadersPolicy",
      "aws:cloudwatch/eventRule:EventRule", "aws:cloudwatch/eventTarget:EventTarget", "aws:cloudwatch/logDeliverySource:LogDeliverySource", "aws:cloudwatch/logDeliveryDestination:LogDeliveryDestination", "aws:cloudwatch/logStream:LogStream", "aws:cloudwatch/logSubscriptionFilter:LogSubscriptionFilter",
      "aws:codeartifact/repository:Repository", "aws:ec2/managedPrefixList:ManagedPrefixList", "aws:ec2/securityGroup:SecurityGroup",
      "aws:ecr/lifecyclePolicy:LifecyclePolicy", "aws:ecs/cluster:Cluster", "aws:ecs/clusterCapacityProviders:ClusterCapacityProviders", "aws:ecs/taskDefinition:TaskDefinition",
      "aws:elasticache/parameterGroup:ParameterGroup", "aws:elasticache/subnetGroup:SubnetGroup",
      "aws:iam/openIdConnectProvider:OpenIdConnectProvider", "aws:iam/policy:Policy", "aws:iam/role:Role", "aws:iam/rolePolicy:RolePolicy", "aws:iam/rolePolicyAttachment:RolePolicyAttachment",
      "aws:kms/alias:Alias", "aws:lb/listener:Listener", "aws:lb/listenerRule:ListenerRule", "aws:lb/targetGroup:TargetGroup",
      "aws:rds/clusterParameterGroup:ClusterParameterGroup", "aws:rds/subnetGroup:SubnetGroup",
      "aws:s3/bucketLifecycleConfiguration:BucketLifecycleConfiguration", "aws:s3/bucketLogging:BucketLogging", "aws:s3/bucketOwnershipControls:BucketOwnershipControls",
      "aws:s3/bucketPolicy:BucketPolicy", "aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock", "aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration",
      "aws:s3/bucketVersioning:BucketVersioning", "aws:scheduler/scheduleGroup:ScheduleGroup", "aws:secretsmanager/secretVersion:SecretVersion",
      "aws:sns/topicPolicy:TopicPolicy", "aws:sns/topicSubscription:TopicSubscription", "aws:sqs/queuePolicy:QueuePolicy", "aws:sqs/redriveAllowPolicy:RedriveAllowPolicy",
      "aws:vpc/securityGroupEgressRule:SecurityGroupEgressRule", "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule", "aws:budgets/budget:Budget",
      "aws:ec2/route:Route", "aws:ec2/vpcPeeringConnectionAccepter:VpcPeeringConnectionAccepter",
      "random:index/randomPassword:RandomPassword",
    ],
    "priced as the logs it writes (its log group)": ["aws:ec2/flowLog:FlowLog"],
    "within the free tier at this volume (1 million publishes and the email deliveries a month)": ["aws:sns/topic:Topic"],
    "data transfer of replication is not priced (unverified volume)": ["aws:ecr/replicationConfiguration:ReplicationConfiguration", "aws:s3/bucketReplicationConfig:BucketReplicationConfig"],
    // A peering connection has no hourly charge; its cross-region traffic is billed per GB (https://aws.amazon.com/vpc/pricing/), volume unverified.
    "no hourly charge; cross-region data transfer not priced (unverified volume)": ["aws:ec2/vpcPeeringConnection:VpcPeeringConnection"],
    // The datastore itself is free; its members are priced as their nodes (https://aws.amazon.com/elasticache/pricing/, "Global Datastore").
    "no charge of its own: its members are priced as nodes; cross-region replication traffic not priced (unverified volume)": ["aws:elasticache/globalReplicationGroup:GlobalReplicationGroup"],
    "archived events are not priced (a few GB at most)": ["aws:cloudwatch/eventArchive:EventArchive"],
    "included in the zone's plan": [
      "cloudflare:index/botManagement:BotManagement", "cloudflare:index/dnsRecord:DnsRecord", "cloudflare:index/ruleset:Ruleset", "cloudflare:index/zoneSetting:ZoneSetting",
      "cloudflare:index/notificationPolicy:NotificationPolicy", "cloudflare:index/loadBalancer:LoadBalancer", "cloudflare:index/loadBalancerMonitor:LoadBalancerMonitor",
    ],
    "included in the Datadog subscription (priced on the integration account)": [
      "datadog:aws/integrationExternalId:IntegrationExternalId", "datadog:index/dashboardJson:DashboardJson", "datadog:index/monitor:Monitor",
      "datadog:index/serviceLevelObjective:ServiceLevelObjective", "datadog:opsgenie/serviceObject:ServiceObject",
    ],
  }).flatMap(([why, types]) => types.map((t) => [t, why])),
);

/** Not resources that bill: providers, components (their children bill). */
export function isStructural(type: string): boolean {
  return type.startsWith("pulumi:providers:") || /^platform:/.test(type);
}
