import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";

/** Days the ALB's own access-log bucket keeps logs when Compute creates it (Data's access-logs bucket keeps 90 too). */
export const ALB_ACCESS_LOG_DAYS = 90;

/**
 * The ALB's access-log bucket, for a Compute given none: private, TLS-only, versioned, expiring
 * after ALB_ACCESS_LOG_DAYS, writable under `alb/` by the region's Elastic Load Balancing account
 * only. ALB log delivery supports SSE-S3 alone
 * (https://docs.aws.amazon.com/elasticloadbalancing/latest/application/enable-access-logging.html).
 * Resolves to the bucket's name once its policy exists: ELB checks it may write when logging is
 * turned on.
 */
export function albAccessLogsBucket(parent: pulumi.Resource, name: string, protect: boolean): pulumi.Output<string> {
  const opts = { parent };
  const bucket = new aws.s3.Bucket(name, { forceDestroy: !protect }, { ...opts, protect, retainOnDelete: protect });
  const publicAccess = new aws.s3.BucketPublicAccessBlock(
    name,
    { bucket: bucket.id, blockPublicAcls: true, blockPublicPolicy: true, ignorePublicAcls: true, restrictPublicBuckets: true },
    opts,
  );
  new aws.s3.BucketServerSideEncryptionConfiguration(name, { bucket: bucket.id, rules: [{ applyServerSideEncryptionByDefault: { sseAlgorithm: "AES256" } }] }, opts);
  new aws.s3.BucketVersioning(name, { bucket: bucket.id, versioningConfiguration: { status: "Enabled" } }, opts);
  new aws.s3.BucketLifecycleConfiguration(
    name,
    {
      bucket: bucket.id,
      // Parts of failed multipart uploads go after 7 days too (the pack's s3-abort-incomplete-uploads, checkov CKV_AWS_300).
      rules: [{ id: "expire", status: "Enabled", filter: {}, expiration: { days: ALB_ACCESS_LOG_DAYS }, noncurrentVersionExpiration: { noncurrentDays: 7 }, abortIncompleteMultipartUpload: { daysAfterInitiation: 7 } }],
    },
    opts,
  );
  const elbAccount = aws.elb.getServiceAccountOutput({}, opts);
  const policy = new aws.s3.BucketPolicy(
    name,
    {
      bucket: bucket.id,
      policy: pulumi.jsonStringify({
        Version: "2012-10-17",
        Statement: [
          { Sid: "DenyInsecureTransport", Effect: "Deny", Principal: "*", Action: "s3:*", Resource: [bucket.arn, pulumi.interpolate`${bucket.arn}/*`], Condition: { Bool: { "aws:SecureTransport": "false" } } },
          { Sid: "AlbLogDelivery", Effect: "Allow", Principal: { AWS: elbAccount.arn }, Action: "s3:PutObject", Resource: pulumi.interpolate`${bucket.arn}/alb/*` },
        ],
      }),
    },
    { ...opts, dependsOn: [publicAccess] },
  );
  return pulumi.all([bucket.bucket, policy.id]).apply(([b]) => b);
}
