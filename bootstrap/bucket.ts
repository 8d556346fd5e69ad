import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";

interface Side {
  provider: aws.Provider;
  region: string;
  /** The key the bucket encrypts with (the multi-Region key, or its replica). */
  kmsKeyArn: pulumi.Input<string>;
}

export interface ReplicatedBucketArgs {
  bucketName: string;
  primary: Side;
  replica: Side;
  protect: boolean;
  account: pulumi.Input<string>;
  partition: pulumi.Input<string>;
}

/**
 * One private bucket: public access blocked, owner-enforced, versioned, TLS only, old versions
 * kept `keepDays`. Encrypted with `kmsKeyArn`, or SSE-S3 without one (S3 server access logs can
 * only be delivered to SSE-S3 buckets: https://docs.aws.amazon.com/AmazonS3/latest/userguide/enable-server-access-logging.html).
 * `grants` adds statements to its policy.
 */
function privateBucket(
  name: string,
  bucketName: string,
  side: { provider: aws.Provider; kmsKeyArn?: pulumi.Input<string> },
  protect: boolean,
  extra: { keepDays: number; expireDays?: number; grants?: (arn: pulumi.Output<string>) => Record<string, unknown>[] } = { keepDays: 90 },
): { bucket: aws.s3.Bucket; versioning: aws.s3.BucketVersioning } {
  const o = { provider: side.provider };
  const bucket = new aws.s3.Bucket(name, { bucket: bucketName, forceDestroy: false }, { ...o, protect, retainOnDelete: protect });
  const ref = { bucket: bucket.id };
  const block = new aws.s3.BucketPublicAccessBlock(name, { ...ref, blockPublicAcls: true, blockPublicPolicy: true, ignorePublicAcls: true, restrictPublicBuckets: true }, o);
  new aws.s3.BucketOwnershipControls(name, { ...ref, rule: { objectOwnership: "BucketOwnerEnforced" } }, o);
  const versioning = new aws.s3.BucketVersioning(name, { ...ref, versioningConfiguration: { status: "Enabled" } }, o);
  new aws.s3.BucketServerSideEncryptionConfiguration(
    name,
    {
      ...ref,
      rules: [
        side.kmsKeyArn
          ? { applyServerSideEncryptionByDefault: { sseAlgorithm: "aws:kms", kmsMasterKeyId: side.kmsKeyArn }, bucketKeyEnabled: true }
          : { applyServerSideEncryptionByDefault: { sseAlgorithm: "AES256" } },
      ],
    },
    o,
  );
  // Every `pulumi up` writes a new checkpoint version: keep old ones a while to roll a state back.
  new aws.s3.BucketLifecycleConfiguration(
    name,
    {
      ...ref,
      rules: [
        {
          id: "housekeeping",
          status: "Enabled",
          filter: {},
          noncurrentVersionExpiration: { noncurrentDays: extra.keepDays },
          abortIncompleteMultipartUpload: { daysAfterInitiation: 7 },
          ...(extra.expireDays ? { expiration: { days: extra.expireDays } } : {}),
        },
      ],
    },
    o,
  );
  new aws.s3.BucketPolicy(
    name,
    {
      ...ref,
      policy: pulumi.jsonStringify({
        Version: "2012-10-17",
        Statement: [
          {
            Sid: "DenyInsecureTransport",
            Effect: "Deny",
            Principal: "*",
            Action: "s3:*",
            Resource: [bucket.arn, pulumi.interpolate`${bucket.arn}/*`],
            Condition: { Bool: { "aws:SecureTransport": "false" } },
          },
          ...(extra.grants?.(bucket.arn) ?? []),
        ],
      }),
    },
    { ...o, dependsOn: [block] },
  );
  return { bucket, versioning };
}

/**
 * The state bucket and its replica in another region, with S3 Replication Time Control (99.99% of
 * objects within 15 minutes, https://docs.aws.amazon.com/AmazonS3/latest/userguide/replication-time-control.html),
 * deletes replicated too, each copy encrypted with its region's key. The replication role reads the
 * source's versions and writes the replica only, through S3 in each region
 * (https://docs.aws.amazon.com/AmazonS3/latest/userguide/replication-config-for-kms-objects.html).
 */
export function replicatedBucket(name: string, args: ReplicatedBucketArgs): { bucket: aws.s3.Bucket; replica: aws.s3.Bucket } {
  const source = privateBucket(name, args.bucketName, args.primary, args.protect);
  const target = privateBucket(`${name}-replica`, `${args.bucketName}-replica`, args.replica, args.protect);
  accessLogs(`${name}-logs`, `${args.bucketName}-logs`, source.bucket, args.primary, args);
  accessLogs(`${name}-replica-logs`, `${args.bucketName}-replica-logs`, target.bucket, args.replica, args);
  const o = { provider: args.primary.provider };
  const role = new aws.iam.Role(
    `${name}-replication`,
    {
      assumeRolePolicy: pulumi.jsonStringify({
        Version: "2012-10-17",
        Statement: [{ Effect: "Allow", Principal: { Service: "s3.amazonaws.com" }, Action: "sts:AssumeRole", Condition: { StringEquals: { "aws:SourceAccount": args.account } } }],
      }),
    },
    o,
  );
  new aws.iam.RolePolicy(
    `${name}-replication`,
    {
      role: role.id,
      policy: pulumi.jsonStringify({
        Version: "2012-10-17",
        Statement: [
          { Sid: "ReadReplicationConfiguration", Effect: "Allow", Action: ["s3:GetReplicationConfiguration", "s3:ListBucket"], Resource: source.bucket.arn },
          { Sid: "ReadSourceVersions", Effect: "Allow", Action: ["s3:GetObjectVersionForReplication", "s3:GetObjectVersionAcl", "s3:GetObjectVersionTagging"], Resource: pulumi.interpolate`${source.bucket.arn}/*` },
          { Sid: "WriteReplica", Effect: "Allow", Action: ["s3:ReplicateObject", "s3:ReplicateDelete", "s3:ReplicateTags"], Resource: pulumi.interpolate`${target.bucket.arn}/*` },
          { Sid: "DecryptSource", Effect: "Allow", Action: "kms:Decrypt", Resource: args.primary.kmsKeyArn, Condition: { StringEquals: { "kms:ViaService": `s3.${args.primary.region}.amazonaws.com` } } },
          { Sid: "EncryptReplica", Effect: "Allow", Action: ["kms:Encrypt", "kms:GenerateDataKey"], Resource: args.replica.kmsKeyArn, Condition: { StringEquals: { "kms:ViaService": `s3.${args.replica.region}.amazonaws.com` } } },
        ],
      }),
    },
    o,
  );
  new aws.s3.BucketReplicationConfig(
    `${name}-replication`,
    {
      bucket: source.bucket.id,
      role: role.arn,
      rules: [
        {
          id: "state-to-replica",
          status: "Enabled",
          filter: {},
          deleteMarkerReplication: { status: "Enabled" },
          sourceSelectionCriteria: { sseKmsEncryptedObjects: { status: "Enabled" } },
          destination: {
            bucket: target.bucket.arn,
            storageClass: "STANDARD",
            encryptionConfiguration: { replicaKmsKeyId: args.replica.kmsKeyArn },
            replicationTime: { status: "Enabled", time: { minutes: 15 } },
            metrics: { status: "Enabled", eventThreshold: { minutes: 15 } },
          },
        },
      ],
    },
    // S3 refuses replication until both buckets are versioned.
    { ...o, dependsOn: [source.versioning, target.versioning] },
  );
  return { bucket: source.bucket, replica: target.bucket };
}

/** Who read or wrote the state: S3 server access logs of `source` into a bucket of its region, kept a year. */
function accessLogs(name: string, bucketName: string, source: aws.s3.Bucket, side: Side, args: ReplicatedBucketArgs): void {
  const logs = privateBucket(name, bucketName, { provider: side.provider }, args.protect, {
    keepDays: 30,
    expireDays: 365,
    grants: (arn) => [
      {
        Sid: "S3ServerAccessLogs",
        Effect: "Allow",
        Principal: { Service: "logging.s3.amazonaws.com" },
        Action: "s3:PutObject",
        Resource: pulumi.interpolate`${arn}/*`,
        Condition: { ArnLike: { "aws:SourceArn": source.arn }, StringEquals: { "aws:SourceAccount": args.account } },
      },
    ],
  });
  new aws.s3.BucketLogging(
    name,
    { bucket: source.id, targetBucket: logs.bucket.id, targetPrefix: "s3/", targetObjectKeyFormat: { partitionedPrefix: { partitionDateSource: "EventTime" } } },
    { provider: side.provider },
  );
}
