import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { Statement, awsContext, policyDocument, serviceTrustPolicy } from "../lib/aws";

/** Where the media bucket's server access logs land in the access-logs bucket. */
export const MEDIA_ACCESS_LOG_PREFIX = "s3/media/";


export interface StorageArgs {
  /** Customer key for the media bucket. */
  kmsKeyArn: pulumi.Input<string>;
  /** Days ALB access logs (and log deliveries that failed to reach Datadog) are kept. */
  accessLogRetentionDays: number;
  /** Retain the buckets (and their data) if they are removed from the program. */
  protect: boolean;
  /** The CloudFront distribution that serves the media bucket (origin access control); nothing else may read it. */
  mediaDistributionArn?: pulumi.Input<string>;
  /**
   * A second region that runs the application: an access-logs bucket there (ALB logs land in the
   * ALB's region), a log-backup bucket for its Firehose, and a replica of the media bucket
   * encrypted with that region's key, which CloudFront falls back to. Default none.
   */
  secondRegion?: {
    /** AWS provider of the second region. */
    provider: pulumi.ProviderResource;
    /** That region's customer key (the media replica and log backup there). */
    kmsKeyArn: pulumi.Input<string>;
  };
}

/**
 * The program's S3 buckets. Every bucket blocks public access, enforces bucket-owner ownership,
 * is encrypted, versioned, cleans up after itself, and denies requests that are not TLS.
 * - media: static web resources and media, served by one CloudFront distribution through origin
 *   access control (the only reader its policy allows); encrypted with our KMS key.
 * - access logs: ALB access logs (`alb/`) and the media bucket's S3 server access logs (`s3/media/`).
 *   Both deliveries only support SSE-S3 on the target bucket, so it uses AES256 rather than our key
 *   (https://docs.aws.amazon.com/AmazonS3/latest/userguide/enable-server-access-logging.html).
 * - log backup: log records Firehose could not deliver to Datadog; encrypted with our key.
 */
/** Where logs go: a bucket's name and ARN, ordered after its policy. */
export interface LogTarget {
  bucket: pulumi.Output<string>;
  arn: pulumi.Output<string>;
}

export class Storage extends pulumi.ComponentResource {
  readonly mediaBucket: aws.s3.Bucket;
  readonly accessLogsBucket: aws.s3.Bucket;
  /**
   * The access-logs bucket's name and ARN, resolved once its policy exists: pass these, not the
   * bucket's own, to what writes logs into it. ELB and CloudWatch Logs check they may write when
   * logging is turned on, and the engine orders a resource only after what its inputs came from.
   */
  readonly accessLogsTarget: LogTarget;
  /** The second region's, likewise. */
  readonly secondaryAccessLogsTarget?: LogTarget;
  readonly logBackupBucket: aws.s3.Bucket;
  /** The second region's access-logs bucket (ALB logs must land in the ALB's region). */
  readonly secondaryAccessLogsBucket?: aws.s3.Bucket;
  /** The second region's copy of the media bucket (S3 replication, deletes included). */
  readonly mediaReplicaBucket?: aws.s3.Bucket;
  /** The second region's bucket for log records its Firehose could not deliver (a stream writes to its own region). */
  readonly secondaryLogBackupBucket?: aws.s3.Bucket;
  private readonly versioning = new Map<string, aws.s3.BucketVersioning>();
  private readonly policies = new Map<string, aws.s3.BucketPolicy>();

  constructor(name: string, args: StorageArgs, opts?: pulumi.ComponentResourceOptions) {
    super("platform:data:Storage", name, {}, opts);
    const distribution = args.mediaDistributionArn;
    const cloudFrontReads = (bucketArn: pulumi.Output<string>): Statement[] =>
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
        : [];
    this.mediaBucket = this.bucket(`${name}-media`, { kmsKeyArn: args.kmsKeyArn, protect: args.protect, expireCurrentAfterDays: undefined, grants: cloudFrontReads });
    if (args.secondRegion) {
      this.mediaReplicaBucket = this.bucket(`${name}-media-replica`, {
        kmsKeyArn: args.secondRegion.kmsKeyArn,
        protect: args.protect,
        expireCurrentAfterDays: undefined,
        grants: cloudFrontReads,
        provider: args.secondRegion.provider,
      });
      this.replicateMedia(name, args.kmsKeyArn, args.secondRegion);
    }

    const account = aws.getCallerIdentityOutput({}, { parent: this }).accountId;
    this.logBackupBucket = this.bucket(`${name}-log-backup`, {
      kmsKeyArn: args.kmsKeyArn,
      protect: args.protect,
      expireCurrentAfterDays: args.accessLogRetentionDays,
    });
    this.accessLogsBucket = this.accessLogs(`${name}-access-logs`, args, { sources: [this.mediaBucket.arn, this.logBackupBucket.arn], account, cloudFront: true });
    this.accessLogsTarget = this.afterPolicy(`${name}-access-logs`, this.accessLogsBucket);
    // Who read or wrote which object: S3 server access logs of every bucket, partitioned by day.
    this.serverAccessLogs(`${name}-media`, this.mediaBucket, this.accessLogsBucket, MEDIA_ACCESS_LOG_PREFIX);
    this.serverAccessLogs(`${name}-log-backup`, this.logBackupBucket, this.accessLogsBucket, "s3/log-backup/");
    if (args.secondRegion) {
      this.secondaryLogBackupBucket = this.bucket(`${name}-log-backup-secondary`, {
        kmsKeyArn: args.secondRegion.kmsKeyArn,
        protect: args.protect,
        expireCurrentAfterDays: args.accessLogRetentionDays,
        provider: args.secondRegion.provider,
      });
      const sources = [this.mediaReplicaBucket!.arn, this.secondaryLogBackupBucket.arn];
      this.secondaryAccessLogsBucket = this.accessLogs(`${name}-access-logs-secondary`, args, { sources, account, cloudFront: false }, args.secondRegion.provider);
      this.secondaryAccessLogsTarget = this.afterPolicy(`${name}-access-logs-secondary`, this.secondaryAccessLogsBucket);
      this.serverAccessLogs(`${name}-media-replica`, this.mediaReplicaBucket!, this.secondaryAccessLogsBucket, "s3/media-replica/", args.secondRegion.provider);
      this.serverAccessLogs(`${name}-log-backup-secondary`, this.secondaryLogBackupBucket, this.secondaryAccessLogsBucket, "s3/log-backup/", args.secondRegion.provider);
    }
    this.registerOutputs({ mediaBucket: this.mediaBucket.bucket, accessLogsBucket: this.accessLogsBucket.bucket });
  }

  /**
   * S3 replication of every media object, version and delete marker to the second region's replica,
   * re-encrypted there with its key. The role may read only the media bucket's versions and write
   * only the replica's, decrypting and encrypting through S3 in each region
   * (https://docs.aws.amazon.com/AmazonS3/latest/userguide/replication-config-for-kms-objects.html).
   */
  private replicateMedia(name: string, sourceKeyArn: pulumi.Input<string>, second: NonNullable<StorageArgs["secondRegion"]>): void {
    const replicaKeyArn = second.kmsKeyArn;
    const o = { parent: this };
    const source = this.mediaBucket;
    const replica = this.mediaReplicaBucket!;
    const ctx = awsContext(this);
    const replicaRegion = awsContext(this, second.provider).region;
    const role = new aws.iam.Role(`${name}-media-replication`, { assumeRolePolicy: serviceTrustPolicy(this, "s3.amazonaws.com", ctx) }, o);
    new aws.iam.RolePolicy(
      `${name}-media-replication`,
      {
        role: role.id,
        policy: policyDocument(this, [
          { sid: "ReadReplicationConfiguration", effect: "Allow", actions: ["s3:GetReplicationConfiguration", "s3:ListBucket"], resources: [source.arn] },
          {
            sid: "ReadSourceVersions",
            effect: "Allow",
            actions: ["s3:GetObjectVersionForReplication", "s3:GetObjectVersionAcl", "s3:GetObjectVersionTagging"],
            resources: [pulumi.interpolate`${source.arn}/*`],
          },
          { sid: "WriteReplica", effect: "Allow", actions: ["s3:ReplicateObject", "s3:ReplicateDelete", "s3:ReplicateTags"], resources: [pulumi.interpolate`${replica.arn}/*`] },
          {
            sid: "DecryptSource",
            effect: "Allow",
            actions: ["kms:Decrypt"],
            resources: [sourceKeyArn],
            conditions: [{ test: "StringEquals", variable: "kms:ViaService", values: [pulumi.interpolate`s3.${ctx.region}.amazonaws.com`] }],
          },
          {
            sid: "EncryptReplica",
            effect: "Allow",
            actions: ["kms:Encrypt", "kms:GenerateDataKey"],
            resources: [replicaKeyArn],
            conditions: [{ test: "StringEquals", variable: "kms:ViaService", values: [pulumi.interpolate`s3.${replicaRegion}.amazonaws.com`] }],
          },
        ]),
      },
      o,
    );
    new aws.s3.BucketReplicationConfig(
      `${name}-media`,
      {
        bucket: source.id,
        role: role.arn,
        rules: [
          {
            id: "media-to-standby",
            status: "Enabled",
            filter: {},
            deleteMarkerReplication: { status: "Enabled" },
            sourceSelectionCriteria: { sseKmsEncryptedObjects: { status: "Enabled" } },
            destination: { bucket: replica.arn, storageClass: "STANDARD", encryptionConfiguration: { replicaKmsKeyId: replicaKeyArn } },
          },
        ],
      },
      // S3 refuses replication until both buckets are versioned.
      { ...o, dependsOn: [this.versioning.get(`${name}-media`)!, this.versioning.get(`${name}-media-replica`)!] },
    );
  }

  /** A bucket's name and ARN that carry its policy as a dependency (tools/plan/ordering.ts checks who needs it). */
  private afterPolicy(name: string, bucket: aws.s3.Bucket): LogTarget {
    const policy = this.policies.get(name)!;
    return {
      bucket: pulumi.all([bucket.bucket, policy.id]).apply(([b]) => b),
      arn: pulumi.all([bucket.arn, policy.id]).apply(([a]) => a),
    };
  }

  /** S3 server access logs of `source` into `target` under `prefix`, partitioned by day. */
  private serverAccessLogs(name: string, source: aws.s3.Bucket, target: aws.s3.Bucket, prefix: string, provider?: pulumi.ProviderResource): void {
    new aws.s3.BucketLogging(
      name,
      { bucket: source.id, targetBucket: target.id, targetPrefix: prefix, targetObjectKeyFormat: { partitionedPrefix: { partitionDateSource: "EventTime" } } },
      { parent: this, provider },
    );
  }

  /**
   * A bucket for ALB access logs (`alb/`, written by the region's Elastic Load Balancing account),
   * the S3 server access logs of `logs.sources` (`s3/...`) and, with `logs.cloudFront`, the media
   * distribution's access logs (CloudFront standard logging v2, delivered by CloudWatch Logs).
   */
  private accessLogs(
    name: string,
    args: StorageArgs,
    logs: { sources: pulumi.Output<string>[]; account: pulumi.Output<string>; cloudFront: boolean },
    provider?: pulumi.ProviderResource,
  ): aws.s3.Bucket {
    const elbAccount = aws.elb.getServiceAccountOutput({}, { parent: this, provider });
    const partition = aws.getPartitionOutput({}, { parent: this }).partition;
    return this.bucket(name, {
      protect: args.protect,
      expireCurrentAfterDays: args.accessLogRetentionDays,
      provider,
      grants: (bucketArn) => [
        {
          sid: "AlbLogDelivery",
          effect: "Allow",
          principals: [{ type: "AWS", identifiers: [elbAccount.arn] }],
          actions: ["s3:PutObject"],
          resources: [pulumi.interpolate`${bucketArn}/alb/*`],
        },
        {
          // S3's logging service, for this account's buckets named here only (AWS's recommended
          // bucket-policy grant; ACL grants do not work with BucketOwnerEnforced).
          sid: "S3ServerAccessLogs",
          effect: "Allow",
          principals: [{ type: "Service", identifiers: ["logging.s3.amazonaws.com"] }],
          actions: ["s3:PutObject"],
          resources: [pulumi.interpolate`${bucketArn}/s3/*`],
          conditions: [
            { test: "ArnLike", variable: "aws:SourceArn", values: logs.sources },
            { test: "StringEquals", variable: "aws:SourceAccount", values: [logs.account] },
          ],
        },
        ...(logs.cloudFront
          ? [
              {
                // CloudFront standard logging v2: CloudWatch Logs' delivery service writes for this
                // account's delivery sources in us-east-1, where CloudFront's live
                // (https://docs.aws.amazon.com/AmazonCloudWatch/latest/logs/AWS-logs-infrastructure-V2-S3.html;
                // the exact condition set is unverified offline). The whole bucket, not a prefix:
                // where the delivery's suffix path lands its objects is unverified too.
                sid: "CloudFrontAccessLogs",
                effect: "Allow",
                principals: [{ type: "Service", identifiers: ["delivery.logs.amazonaws.com"] }],
                actions: ["s3:PutObject"],
                resources: [pulumi.interpolate`${bucketArn}/*`],
                conditions: [
                  { test: "StringEquals", variable: "aws:SourceAccount", values: [logs.account] },
                  { test: "ArnLike", variable: "aws:SourceArn", values: [pulumi.interpolate`arn:${partition}:logs:us-east-1:${logs.account}:delivery-source:*`] },
                  { test: "StringEquals", variable: "s3:x-amz-acl", values: ["bucket-owner-full-control"] },
                ],
              },
            ]
          : []),
      ],
    });
  }

  private bucket(
    name: string,
    opts: {
      kmsKeyArn?: pulumi.Input<string>;
      protect: boolean;
      expireCurrentAfterDays?: number;
      grants?: (bucketArn: pulumi.Output<string>) => Statement[];
      /** Another region's provider than the component's. */
      provider?: pulumi.ProviderResource;
    },
  ): aws.s3.Bucket {
    const o = { parent: this, provider: opts.provider };
    const bucket = new aws.s3.Bucket(name, { forceDestroy: !opts.protect }, { ...o, protect: opts.protect, retainOnDelete: opts.protect });
    const ref = { bucket: bucket.id };
    const block = new aws.s3.BucketPublicAccessBlock(name, { ...ref, blockPublicAcls: true, blockPublicPolicy: true, ignorePublicAcls: true, restrictPublicBuckets: true }, o);
    new aws.s3.BucketOwnershipControls(name, { ...ref, rule: { objectOwnership: "BucketOwnerEnforced" } }, o);
    this.versioning.set(name, new aws.s3.BucketVersioning(name, { ...ref, versioningConfiguration: { status: "Enabled" } }, o));
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
    const policy = new aws.s3.BucketPolicy(
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
    this.policies.set(name, policy);
    return bucket;
  }
}
