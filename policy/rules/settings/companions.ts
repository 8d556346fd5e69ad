import { PolicyResource } from "@pulumi/policy";
import { Props, Rule, ofType, stackRule } from "../lib";
import { Expect, oneOf, present, rowProblem } from "./engine";

/**
 * Settings that live in a companion resource: every resource of `of` needs one of `types` that
 * names it in `refers` (by id, name or bucket), and that companion must satisfy `path`/`expect`
 * as a settings row would.
 */
export interface Companion {
  of: string;
  types: string[];
  refers: string;
  path: string;
  expect: Expect;
  why: string;
  /** The companion may be absent (the service's default complies); when present it must comply. */
  optional?: boolean;
}

const names = (r: PolicyResource) => [r.props.id, r.props.bucket, r.props.name, r.props.arn].filter((v) => v !== undefined);

/** A stack rule enforcing its companions. */
export function companionRule(name: string, description: string, companions: Companion[]): Rule & { companions: Companion[] } {
  return {
    ...stackRule(name, description, (resources, report) => {
      for (const c of companions) {
        const candidates = c.types.flatMap((t) => ofType(resources, t));
        for (const owner of ofType(resources, c.of)) {
          const mine = candidates.filter((x) => names(owner).includes(x.props[c.refers]));
          const problems = mine.map((m) => rowProblem({ type: m.type, path: c.path, expect: c.expect }, m.props as Props));
          if (mine.length === 0 && c.optional) continue;
          if (mine.length === 0) report(`${c.of.split(":").pop()} ${owner.name} has no ${c.types[0].split(":").pop()} (${c.why})`, owner.urn);
          else if (problems.every((p) => p !== undefined)) report(`${c.of.split(":").pop()} ${owner.name}: ${c.types[0].split(":").pop()} ${problems[0]} (${c.why})`, owner.urn);
        }
      }
    }),
    companions,
  };
}

const BUCKET = "aws:s3/bucket:Bucket";

/**
 * S3 buckets: versioning on, ACLs left disabled (BucketOwnerEnforced), a lifecycle that is enabled.
 * Peer lists of 2026-12-01: checkov CKV_AWS_21, CKV2_AWS_61, 65; FSBP S3.10, S3.12, S3.13, S3.14.
 */
export const S3_BUCKET: Companion[] = [
  { of: BUCKET, types: ["aws:s3/bucketVersioning:BucketVersioning", "aws:s3/bucketVersioningV2:BucketVersioningV2"], refers: "bucket", path: "versioningConfiguration.status", expect: oneOf("Enabled"), why: "an overwritten or deleted object cannot be recovered" },
  // New buckets have ACLs disabled since April 2023 (https://aws.amazon.com/about-aws/whats-new/2022/12/amazon-s3-automatically-enable-block-public-access-disable-access-control-lists-buckets-april-2023/):
  // ownership controls may be absent, but must not turn ACLs back on.
  { of: BUCKET, types: ["aws:s3/bucketOwnershipControls:BucketOwnershipControls"], refers: "bucket", path: "rule.objectOwnership", expect: oneOf("BucketOwnerEnforced"), why: "ACLs stay a second, unaudited way to grant access", optional: true },
  { of: BUCKET, types: ["aws:s3/bucketLifecycleConfiguration:BucketLifecycleConfiguration", "aws:s3/bucketLifecycleConfigurationV2:BucketLifecycleConfigurationV2"], refers: "bucket", path: "rules[].status", expect: oneOf("Enabled"), why: "versions and logs would be kept, and paid for, forever" },
];

/**
 * Logging kept in a resource of its own: Redshift audit logging (moved out of the cluster in
 * provider v6), Network Firewall logging. Peer lists of 2026-12-01: checkov CKV_AWS_71,
 * CKV2_AWS_63; FSBP Redshift.4, NetworkFirewall.2; cdk-nag RS5.
 */
export const LOGGING_COMPANIONS: Companion[] = [
  { of: "aws:redshift/cluster:Cluster", types: ["aws:redshift/logging:Logging"], refers: "clusterIdentifier", path: "logDestinationType", expect: oneOf("s3", "cloudwatch"), why: "connections and queries would leave no audit trail" },
  { of: "aws:networkfirewall/firewall:Firewall", types: ["aws:networkfirewall/loggingConfiguration:LoggingConfiguration"], refers: "firewallArn", path: "loggingConfiguration.logDestinationConfigs", expect: present, why: "dropped and alerted flows would leave no record" },
];

/** ECR repositories expire old images. FSBP ECR.3, read 2026-12-01. */
export const ECR_LIFECYCLE: Companion[] = [
  { of: "aws:ecr/repository:Repository", types: ["aws:ecr/lifecyclePolicy:LifecyclePolicy"], refers: "repository", path: "policy", expect: present, why: "every pushed image would be kept, and paid for, forever" },
];
