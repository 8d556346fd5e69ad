import { PolicyResource } from "@pulumi/policy";
import { Rule, ofType, stackRule } from "../lib";
import { SERVICE_RULES } from "../services";

const BUCKET = "aws:s3/bucket:Bucket";
const BUCKET_LOGGING = ["aws:s3/bucketLogging:BucketLogging", "aws:s3/bucketLoggingV2:BucketLoggingV2"];
const VPCS = ["aws:ec2/vpc:Vpc", "awsx:ec2:Vpc"];
const DISTRIBUTION = "aws:cloudfront/distribution:Distribution";
const idOf = (r: PolicyResource) => r.props.id ?? r.props.bucket ?? r.props.vpcId;

/**
 * Logging that lives in another resource than the one it logs: S3 server access logs (a bucket
 * is a logging source, or the target the others log to), CloudFront access logs (legacy
 * `loggingConfig`, or a CloudWatch Logs delivery source for the distribution: standard logging
 * v2), VPC flow logs. checkov CKV_AWS_18, 86, CKV2_AWS_11; cdk-nag S1, CFR3, VPC7, read 2026-11-27.
 */
export const loggingRules: Rule[] = [
  stackRule("s3-access-logging", "Every S3 bucket writes server access logs to another bucket, or is a bucket logs are written to.", (resources, report) => {
    const logging = resources.filter((r) => BUCKET_LOGGING.includes(r.type));
    const sources = new Set(logging.map((l) => l.props.bucket));
    // The buckets logs are written to: S3 server access logs' targets and load balancers' log buckets.
    const lbLogs = resources.filter((r) => /^aws:(lb|alb|elb)\/loadBalancer:LoadBalancer$/.test(r.type)).map((r) => (r.props.accessLogs as { bucket?: unknown } | undefined)?.bucket);
    const targets = new Set([...logging.map((l) => l.props.targetBucket), ...lbLogs]);
    for (const b of ofType(resources, BUCKET)) {
      const id = idOf(b);
      if (!sources.has(id) && !targets.has(id) && !targets.has(b.props.bucket) && !sources.has(b.props.bucket)) report(`bucket ${b.name} has no server access logging (an aws.s3.BucketLogging to the access-logs bucket)`, b.urn);
    }
  }),
  stackRule("cdn-access-logs", "Every CloudFront distribution writes access logs (standard logging v2 or legacy).", (resources, report) => {
    const sources = ofType(resources, "aws:cloudwatch/logDeliverySource:LogDeliverySource").filter((s) => s.props.logType === "ACCESS_LOGS");
    for (const d of ofType(resources, DISTRIBUTION)) {
      const legacy = (d.props.loggingConfig as { bucket?: string } | undefined)?.bucket;
      const v2 = sources.some((s) => s.props.resourceArn === d.props.arn || (d.props.arn === undefined && sources.length > 0));
      if (!legacy && !v2) report(`distribution ${d.name} writes no access logs (an aws.cloudwatch.LogDeliverySource of type ACCESS_LOGS for it, with a delivery)`, d.urn);
    }
  }),
  stackRule("vpc-flow-logs", "Every VPC has flow logs.", (resources, report) => {
    const logged = new Set(ofType(resources, "aws:ec2/flowLog:FlowLog").map((f) => f.props.vpcId));
    for (const v of resources.filter((r) => VPCS.includes(r.type))) {
      if (!logged.has(v.type === "awsx:ec2:Vpc" ? v.props.vpcId : idOf(v))) report(`VPC ${v.name} has no flow log`, v.urn);
    }
  }),
  // DMS task settings, parameter groups, Beanstalk settings (services.ts).
  ...SERVICE_RULES.logging,
];
