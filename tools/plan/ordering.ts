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

/** Each policy-checked reference whose resource is not ordered after the target bucket's policy. */
export function orderingProblems(graph: PlanGraph): string[] {
  const q = new GraphQuery(graph);
  const problems: string[] = [];
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
