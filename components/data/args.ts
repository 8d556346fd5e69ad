import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import type { AuroraGlobal } from "./aurora";
import { AuroraGlobalArgs } from "./auroraArgs";
import type { Cache, CacheArgs } from "./cache";
import type { Storage } from "./storage";

/** Subnets, AZs and the database security group of one region's network. */
export interface DataPlacement {
  /** Isolated subnets (no route to the internet), one per AZ: Aurora's and Redis's subnet groups. */
  isolatedSubnetIds: pulumi.Input<string[]>;
  /** The AZs of those subnets, in order: Redis puts its primary in the first. */
  availabilityZones: pulumi.Input<string[]>;
  /** Security group of the database (Network's `db`). */
  dbSecurityGroupId: pulumi.Input<string>;
}

export interface DataArgs {
  /** Deletion protection, final snapshots, Pulumi protect and retain-on-delete on stateful resources. @default false */
  protect?: boolean;
  /** Aurora settings (placement, keys and protection are filled in by this component). */
  aurora: AuroraSettings;
  /** Redis settings (placement, key and protection are filled in by this component). */
  redis: CacheSettings;
  /** Daily Aurora backups with AWS Backup, copied to the secondary region (needs `secondary`). Default: none. */
  backup?: BackupSettings;
  /** Days ALB access logs (and log records Datadog refused) are kept, 1–3650. @default 90 */
  accessLogRetentionDays?: number;
  /** The distribution serving the media bucket (see Storage); may resolve after Data is built. */
  mediaDistributionArn?: pulumi.Input<string>;
  /** Third-party secrets (API keys) to create empty, KMS-encrypted; operators set their values. Names: a-z, 0-9, `-`. Example: `["stripe"]`. @default [] */
  appSecrets?: string[];
  /** Where the primary region's stores go (its Network's outputs). */
  primary: PrimaryPlacement;
  /** The secondary region of the Global Database: its provider and its network's isolated tier. Default: a regional cluster. */
  secondary?: SecondaryPlacement;
}

/** The Global Database's secondary region. */
export interface SecondaryPlacement extends DataPlacement {
  /** AWS provider of the secondary region. */
  provider: aws.Provider;
  /**
   * The secondary region runs the application too: it gets a Redis of its own (in
   * `cacheSecurityGroupId`), replicas of the application and database secrets, and buckets,
   * encrypted with that region's key. Default: the secondary region holds the database only.
   */
  application?: ApplicationPlacement;
}

/** Where a second application region's Redis goes, and how it relates to the first's. */
export interface ApplicationPlacement {
  /** Security group of the region's Redis (its Network's `cache`). */
  cacheSecurityGroupId: pulumi.Input<string>;
  /** Replicas of the region's Redis besides its primary, 0–5. */
  redisReplicas: number;
  /**
   * Join both regions' Redis in an ElastiCache Global Datastore, so sessions and counters survive
   * a region failover (node type, version and encryption must suit one: config/standby.ts checks).
   * False: each region keeps a Redis of its own.
   * @default false
   */
  globalDatastore?: boolean;
}

/** Aurora settings; placement, keys and protection are Data's. */
export interface AuroraSettings extends Omit<AuroraGlobalArgs, "ctx" | "primary" | "secondary" | "protect" | "proxy" | "masterSecretReplica"> {
  /** Readers of the secondary-region cluster, 0–15 (with `secondary`). @default 0 */
  secondaryReaders?: number;
  /** Put an RDS Proxy (TLS and IAM auth required) in front of the writer; not with `secondary.application` (a proxy follows its own cluster). @default false */
  rdsProxy?: boolean;
}

/** Redis settings; placement, key and protection are Data's. */
// eslint-disable-next-line @typescript-eslint/no-empty-object-type
export interface CacheSettings extends Omit<CacheArgs, "subnetIds" | "availabilityZones" | "securityGroupId" | "kmsKeyArn" | "protect" | "globalMember"> {}

/** Where the primary region's stores go. */
export interface PrimaryPlacement extends DataPlacement {
  /** Security group of Redis (Network's `cache`). */
  cacheSecurityGroupId: pulumi.Input<string>;
  /** Private subnets of the RDS Proxy, needed when `aurora.rdsProxy` is on. */
  privateSubnetIds: pulumi.Input<string[]>;
  /** Security group of the RDS Proxy (Network's `proxy`), with `aurora.rdsProxy`. Default: none. */
  proxySecurityGroupId?: pulumi.Input<string>;
}

/** AWS Backup of Aurora. */
export interface BackupSettings {
  /** Days each daily recovery point is kept, in the primary vault and its copy, 35–3650. */
  retentionDays: number;
  /** AWS Backup schedule expression (UTC), `cron(...)`. @default "cron(0 5 * * ? *)" */
  schedule?: string;
}

/** One region's share of the stateful layer: its key, its Aurora cluster and, where it runs the application, its Redis, secrets and buckets. */
export interface RegionalData {
  /** The region's customer key. */
  kmsKeyArn: pulumi.Output<string>;
  /** The region's Aurora cluster. */
  aurora: RegionalCluster;
  /** What the region's services read and write; absent for a region that holds only the database. */
  application?: RegionalApplicationData;
}

/** One region's Aurora cluster. */
export interface RegionalCluster {
  /** Its cluster identifier (CloudWatch's DBClusterIdentifier). */
  clusterIdentifier: pulumi.Output<string>;
  /** Its ARN (a switchover's or failover's target). */
  clusterArn: pulumi.Output<string>;
  /** Its reader endpoint: the region's services read there. */
  readerEndpoint: pulumi.Output<string>;
}

/** A bucket by name and ARN. */
export interface BucketRef {
  /** Bucket name. */
  bucket: pulumi.Output<string>;
  /** Bucket ARN. */
  arn: pulumi.Output<string>;
}

/** What one region's services use: its Redis, its copies of the secrets, its buckets. */
export interface RegionalApplicationData {
  /** The region's Redis (a Global Datastore member where there is one). */
  cache: CacheOutputs;
  /** Secret name -> ARN in this region (replicas elsewhere than the first; `redis` is this region's cache's own). */
  secretArns: Record<string, pulumi.Output<string>>;
  /**
   * Bucket for this region's ALB access logs (they must land in the ALB's region), resolved once its
   * bucket policy exists: ELB checks it may write when access logs are turned on.
   */
  accessLogsBucket: BucketRef;
  /** Bucket for the log records this region's Firehose could not deliver. */
  logBackupBucket: BucketRef;
}

// Data exposes its children's outputs through these plain interfaces rather than as the child
// components, so Pulumi's schema analyzer can describe Data to other languages (docs/reuse.md, "Reuse the
// components"); each field keeps the doc comment of the child's property.
/* eslint-disable @typescript-eslint/no-empty-object-type */
/** The Aurora cluster(s): endpoints, identifiers and the master secret. */
export interface AuroraOutputs
  extends Pick<AuroraGlobal, "writerEndpoint" | "readerEndpoint" | "secondaryReaderEndpoint" | "port" | "masterSecretArn" | "globalClusterId" | "globalWriterEndpoint" | "proxyEndpoint" | "clusterIdentifier" | "secondaryClusterIdentifier" | "secondaryClusterArn" | "clusterArn" | "planTimeActions"> {}
/** Redis: endpoints, port, replication group and auth-token secret. */
export interface CacheOutputs extends Pick<Cache, "primaryEndpoint" | "readerEndpoint" | "port" | "replicationGroupId" | "authSecretArn"> {}
/** The S3 buckets. */
export interface StorageOutputs
  extends Pick<Storage, "mediaBucket" | "accessLogsBucket" | "accessLogsTarget" | "secondaryAccessLogsTarget" | "logBackupBucket" | "secondaryAccessLogsBucket" | "mediaReplicaBucket" | "secondaryLogBackupBucket"> {}
/* eslint-enable @typescript-eslint/no-empty-object-type */
