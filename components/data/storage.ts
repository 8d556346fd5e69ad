import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { Statement, policyDocument } from "../../lib/aws";

export interface StorageArgs {
  /** Customer key for the media bucket. */
  kmsKeyArn: pulumi.Input<string>;
  /** Days ALB access logs (and log deliveries that failed to reach Datadog) are kept. */
  accessLogRetentionDays: number;
  /** Retain the buckets (and their data) if they are removed from the program. */
  protect: boolean;
  /** The CloudFront distribution that serves the media bucket (origin access control); nothing else may read it. */
  mediaDistributionArn?: pulumi.Input<string>;
}

/**
 * The program's S3 buckets. Every bucket blocks public access, enforces bucket-owner ownership,
 * is encrypted, versioned, cleans up after itself, and denies requests that are not TLS.
 * - media: static web resources and media, served by one CloudFront distribution through origin
 *   access control (the only reader its policy allows); encrypted with our KMS key.
 * - access logs: ALB access logs. ALB log delivery only supports SSE-S3, so this bucket uses
 *   AES256 rather than our key.
 * - log backup: log records Firehose could not deliver to Datadog; encrypted with our key.
 */
export class Storage extends pulumi.ComponentResource {
  readonly mediaBucket: aws.s3.Bucket;
  readonly accessLogsBucket: aws.s3.Bucket;
  readonly logBackupBucket: aws.s3.Bucket;

  constructor(name: string, args: StorageArgs, opts?: pulumi.ComponentResourceOptions) {
    super("platform:data:Storage", name, {}, opts);
    const distribution = args.mediaDistributionArn;
    this.mediaBucket = this.bucket(`${name}-media`, {
      kmsKeyArn: args.kmsKeyArn,
      protect: args.protect,
      expireCurrentAfterDays: undefined,
      grants: (bucketArn) =>
        distribution
          ? [
              {
                sid: "CloudFrontReadsMedia",
                effect: "Allow",
                principals: [{ type: "Service", identifiers: ["cloudfront.amazonaws.com"] }],
                actions: ["s3:GetObject"],
                resources: [pulumi.interpolate`${bucketArn}/*`],
                conditions: [{ test: "StringEquals", variable: "AWS:SourceArn", values: [distribution] }],
              },
            ]
          : [],
    });

    const elbAccount = aws.elb.getServiceAccountOutput({}, { parent: this });
    this.accessLogsBucket = this.bucket(`${name}-access-logs`, {
      protect: args.protect,
      expireCurrentAfterDays: args.accessLogRetentionDays,
      grants: (bucketArn) => [
        {
          sid: "AlbLogDelivery",
          effect: "Allow",
          principals: [{ type: "AWS", identifiers: [elbAccount.arn] }],
          actions: ["s3:PutObject"],
          resources: [pulumi.interpolate`${bucketArn}/alb/*`],
        },
      ],
    });
    this.logBackupBucket = this.bucket(`${name}-log-backup`, {
      kmsKeyArn: args.kmsKeyArn,
      protect: args.protect,
      expireCurrentAfterDays: args.accessLogRetentionDays,
    });
    this.registerOutputs({ mediaBucket: this.mediaBucket.bucket, accessLogsBucket: this.accessLogsBucket.bucket });
  }

  private bucket(
    name: string,
    opts: {
      kmsKeyArn?: pulumi.Input<string>;
      protect: boolean;
      expireCurrentAfterDays?: number;
      grants?: (bucketArn: pulumi.Output<string>) => Statement[];
    },
  ): aws.s3.Bucket {
    const o = { parent: this };
    const bucket = new aws.s3.Bucket(name, { forceDestroy: !opts.protect }, { ...o, protect: opts.protect, retainOnDelete: opts.protect });
    const ref = { bucket: bucket.id };
    const block = new aws.s3.BucketPublicAccessBlock(name, { ...ref, blockPublicAcls: true, blockPublicPolicy: true, ignorePublicAcls: true, restrictPublicBuckets: true }, o);
    new aws.s3.BucketOwnershipControls(name, { ...ref, rule: { objectOwnership: "BucketOwnerEnforced" } }, o);
    new aws.s3.BucketVersioning(name, { ...ref, versioningConfiguration: { status: "Enabled" } }, o);
    new aws.s3.BucketServerSideEncryptionConfiguration(
      name,
      {
        ...ref,
        rules: [
          opts.kmsKeyArn
            ? { applyServerSideEncryptionByDefault: { sseAlgorithm: "aws:kms", kmsMasterKeyId: opts.kmsKeyArn }, bucketKeyEnabled: true }
            : { applyServerSideEncryptionByDefault: { sseAlgorithm: "AES256" } },
        ],
      },
      o,
    );
    new aws.s3.BucketLifecycleConfiguration(
      name,
      {
        ...ref,
        rules: [
          {
            id: "housekeeping",
            status: "Enabled",
            filter: {},
            noncurrentVersionExpiration: { noncurrentDays: 30 },
            abortIncompleteMultipartUpload: { daysAfterInitiation: 7 },
            ...(opts.expireCurrentAfterDays ? { expiration: { days: opts.expireCurrentAfterDays } } : {}),
          },
        ],
      },
      o,
    );
    new aws.s3.BucketPolicy(
      name,
      {
        ...ref,
        policy: policyDocument(this, [
          {
            sid: "DenyInsecureTransport",
            effect: "Deny",
            principals: [{ type: "*", identifiers: ["*"] }],
            actions: ["s3:*"],
            resources: [bucket.arn, pulumi.interpolate`${bucket.arn}/*`],
            conditions: [{ test: "Bool", variable: "aws:SecureTransport", values: ["false"] }],
          },
          ...(opts.grants?.(bucket.arn) ?? []),
        ]),
      },
      // The public-access block must exist first, or a policy naming an outside account is refused.
      { ...o, dependsOn: [block] },
    );
    return bucket;
  }
}
