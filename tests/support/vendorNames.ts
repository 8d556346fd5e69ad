import { PlanGraph, PlanResource } from "../../tools/plan/graph";

/**
 * The names a vendor shows and keeps unique (AWS, Cloudflare, Datadog, Opsgenie) that a stack's
 * graph sets explicitly; auto-named resources get a random suffix, so they cannot collide. A name
 * unique only inside a container (an ECS service in its cluster, a schedule in its group, a
 * CodeArtifact repository in its domain, a log stream or subscription filter in its log group, a
 * Cloudflare record or ruleset in its zone, an inline policy in its role) is qualified by the
 * container, whose own name carries the stack.
 */
const OWN_NAME: Record<string, string[]> = {
  "*": ["name", "namePrefix"],
  "aws:s3/bucket:Bucket": ["bucket", "bucketPrefix"],
  "aws:codeartifact/domain:Domain": ["domain"],
  "aws:codeartifact/repository:Repository": ["repository"],
  "aws:ecs/taskDefinition:TaskDefinition": ["family"],
  "aws:rds/globalCluster:GlobalCluster": ["globalClusterIdentifier"],
  "aws:rds/cluster:Cluster": ["clusterIdentifier"],
  "aws:elasticache/replicationGroup:ReplicationGroup": ["replicationGroupId"],
  "aws:kinesis/firehoseDeliveryStream:FirehoseDeliveryStream": ["name"],
};

const CONTAINER: Record<string, string> = {
  "aws:ecs/service:Service": "cluster",
  "aws:scheduler/schedule:Schedule": "groupName",
  "aws:codeartifact/repository:Repository": "domain",
  "aws:cloudwatch/logStream:LogStream": "logGroupName",
  "aws:cloudwatch/logSubscriptionFilter:LogSubscriptionFilter": "logGroup",
  "aws:iam/rolePolicy:RolePolicy": "role",
  "cloudflare:index/dnsRecord:DnsRecord": "zoneId",
  "cloudflare:index/ruleset:Ruleset": "zoneId",
};

/** `<type> <container>/<name>` for each vendor-visible name the resource sets. */
export function namesOf(r: PlanResource): string[] {
  if (r.kind !== "custom") return [];
  const fields = [...OWN_NAME["*"], ...(OWN_NAME[r.type] ?? [])];
  const values = fields.map((f) => r.inputs[f]).filter((v): v is string => typeof v === "string" && v !== "");
  // A Datadog dashboard's title is inside its JSON.
  if (r.type === "datadog:index/dashboardJson:DashboardJson" && typeof r.inputs.dashboard === "string") {
    values.push(String((JSON.parse(r.inputs.dashboard) as { title?: string }).title));
  }
  const container = CONTAINER[r.type] ? `${String(r.inputs[CONTAINER[r.type]])}/` : "";
  return [...new Set(values)].map((v) => `${r.type} ${container}${v}`);
}

/** Every vendor-visible name of a graph, with the URN that sets it. */
export function vendorNames(graph: PlanGraph): Map<string, string> {
  const names = new Map<string, string>();
  for (const r of graph.resources) for (const n of namesOf(r)) names.set(n, r.urn);
  return names;
}

/** Names two graphs share, as `<name> (<urn in a>, <urn in b>)`. */
export function sharedNames(a: PlanGraph, b: PlanGraph): string[] {
  const left = vendorNames(a);
  return [...vendorNames(b)].filter(([n]) => left.has(n)).map(([n, urn]) => `${n} (${left.get(n)}, ${urn})`);
}
