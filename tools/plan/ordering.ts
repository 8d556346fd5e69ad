/**
 * Ordering the engine cannot see: some vendors check, when a resource is created, that they may
 * write to another resource, which its policy allows. The engine orders a resource only after what
 * it depends on (its `dependsOn` and the resources its inputs came from), so a resource that names a
 * bucket but not the bucket's policy can be created first and fail with access denied on the first
 * `up`. The mocks never refuse; this reads the dependencies the plan recorded.
 */
import { PlanGraph, PlanResource } from "./graph";
import { GraphQuery } from "./query";

export interface PolicyCheckedReference {
  /** The resource type that names the target. */
  type: string;
  /** Input path of the reference (dots), to a bucket name or ARN. */
  input: string;
  /** What the vendor checks, and where it says so. */
  why: string;
}

/** References the vendor checks against the target bucket's policy at create time. */
export const POLICY_CHECKED: PolicyCheckedReference[] = [
  {
    type: "aws:lb/loadBalancer:LoadBalancer",
    input: "accessLogs.bucket",
    // "Access Denied for bucket: … Please check S3bucket permission" when access logs are enabled
    // before the bucket policy grants the ELB account.
    why: "ELB verifies it can write to the bucket when access logs are enabled (https://docs.aws.amazon.com/elasticloadbalancing/latest/application/enable-access-logging.html#access-log-create-bucket)",
  },
  {
    type: "aws:cloudwatch/logDeliveryDestination:LogDeliveryDestination",
    input: "deliveryDestinationConfiguration.destinationResourceArn",
    // The delivery (CreateDelivery) depends on the destination, so ordering the destination after the policy orders both.
    why: "CloudWatch Logs delivers only where the bucket policy lets delivery.logs.amazonaws.com write (https://docs.aws.amazon.com/AmazonCloudWatch/latest/logs/AWS-logs-infrastructure-V2-S3.html)",
  },
];

function at(inputs: Record<string, unknown>, path: string): unknown {
  return path.split(".").reduce<unknown>((v, k) => (v && typeof v === "object" ? (v as Record<string, unknown>)[k] : undefined), inputs);
}

/** Every URN `r` is ordered after: its explicit and its input dependencies, and theirs. */
export function orderedAfter(q: GraphQuery, r: PlanResource): Set<string> {
  const byUrn = new Map(q.resources.map((x) => [x.urn, x]));
  const seen = new Set<string>();
  const visit = (x: PlanResource) => {
    for (const u of [...x.options.dependsOn, ...Object.values(x.options.propertyDependencies ?? {}).flat()]) {
      if (seen.has(u)) continue;
      seen.add(u);
      const next = byUrn.get(u);
      if (next) visit(next);
    }
  };
  visit(r);
  return seen;
}

/**
 * A Cloudflare pool whose origin address is a DNS record of the plan must be ordered after that
 * record: the pool's monitor resolves the address at once (consecutiveDown 1 marks the pool down),
 * and with every pool down Cloudflare sends traffic to the fallback pool
 * (https://developers.cloudflare.com/load-balancing/understand-basics/health-details/).
 */
function originProblems(q: GraphQuery): string[] {
  const problems: string[] = [];
  for (const pool of q.ofType("cloudflare:index/loadBalancerPool:LoadBalancerPool")) {
    const after = orderedAfter(q, pool);
    for (const origin of (pool.inputs.origins ?? []) as { address?: string }[]) {
      const record = q.resources.find((r) => r.type === "cloudflare:index/dnsRecord:DnsRecord" && r.inputs.name === origin.address);
      if (record && !after.has(record.urn)) problems.push(`${pool.type} ${pool.name}: origin ${origin.address} is the DNS record ${record.name} but the pool does not depend on it`);
    }
  }
  return problems;
}

/** Each policy-checked reference whose resource is not ordered after the target bucket's policy, and each pool not after its origin's record. */
export function orderingProblems(graph: PlanGraph): string[] {
  const q = new GraphQuery(graph);
  const problems: string[] = originProblems(q);
  for (const rule of POLICY_CHECKED) {
    for (const r of q.ofType(rule.type)) {
      const ref = at(r.inputs, rule.input);
      if (ref === undefined) continue;
      const bucket = q.resources.find((b) => b.type === "aws:s3/bucket:Bucket" && (b.id === ref || b.arn === ref));
      if (!bucket) {
        problems.push(`${r.type} ${r.name}: ${rule.input} names no bucket of the plan (${String(ref)})`);
        continue;
      }
      const policies = q.ofType("aws:s3/bucketPolicy:BucketPolicy", (p) => p.inputs.bucket === bucket.id);
      const after = orderedAfter(q, r);
      if (!policies.length) problems.push(`${r.type} ${r.name}: bucket ${bucket.name} has no bucket policy to grant the write (${rule.why})`);
      for (const p of policies.filter((p) => !after.has(p.urn))) {
        problems.push(`${r.type} ${r.name}: ${rule.input} names bucket ${bucket.name} but does not depend on its policy ${p.name}: ${rule.why}`);
      }
    }
  }
  return problems;
}
