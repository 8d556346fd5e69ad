import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { awsContext } from "../lib/aws";
import { customerKey, logsKeyStatement } from "../lib/kms";
import { AuroraGlobal, AuroraGlobalArgs } from "./aurora";
import { Backups } from "./backup";
import { Cache, CacheArgs } from "./cache";
import { Storage } from "./storage";

export { AuroraGlobal } from "./aurora";
export { Backups } from "./backup";
export { Cache } from "./cache";
export { Storage } from "./storage";

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
  /** Deletion protection, final snapshots, Pulumi protect and retain-on-delete on stateful resources. */
  protect: boolean;
  /** Aurora settings (placement, keys and protection are filled in by this component). */
  aurora: AuroraSettings;
  /** Redis settings (placement, key and protection are filled in by this component). */
  redis: CacheSettings;
  /** Daily Aurora backups with AWS Backup, copied to the secondary region (needs `secondary`). Default: none. */
  backup?: BackupSettings;
  /** Days ALB access logs (and log records Datadog refused) are kept, 1–3650. Example: `90`. */
  accessLogRetentionDays: number;
  /** The distribution serving the media bucket (see Storage); may resolve after Data is built. */
  mediaDistributionArn?: pulumi.Input<string>;
  /** Third-party secrets (API keys) to create empty, KMS-encrypted; operators set their values. */
  appSecrets: string[];
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
   * Makes the secondary region a warm standby: its own Redis (in `cacheSecurityGroupId`, with
   * `redisReplicas` replicas) and replicas of the application and database secrets, encrypted
   * with that region's key. Default: the secondary region holds the database only.
   */
  standby?: StandbyPlacement;
}

/** Where a warm standby's Redis goes. */
export interface StandbyPlacement {
  /** Security group of the standby's Redis (its Network's `cache`). */
  cacheSecurityGroupId: pulumi.Input<string>;
  /** Replicas of the standby's Redis besides its primary, 0–5. */
  redisReplicas: number;
}

/** Aurora settings; placement, keys and protection are Data's. */
export interface AuroraSettings extends Omit<AuroraGlobalArgs, "ctx" | "primary" | "secondary" | "protect" | "proxy" | "masterSecretReplica"> {
  /** Readers of the secondary-region cluster, 0–15 (with `secondary`). */
  secondaryReaders: number;
  /** Put an RDS Proxy (TLS and IAM auth required) in front of the writer; not with `secondary`'s standby. */
  rdsProxy: boolean;
}

/** Redis settings; placement, key and protection are Data's. */
// eslint-disable-next-line @typescript-eslint/no-empty-object-type
export interface CacheSettings extends Omit<CacheArgs, "subnetIds" | "availabilityZones" | "securityGroupId" | "kmsKeyArn" | "protect"> {}

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
  /** AWS Backup schedule expression (UTC). Example: `"cron(0 5 * * ? *)"`. */
  schedule: string;
}

/** What the warm-standby region's services read: its cache, its copies of the secrets, its key. */
export interface StandbyData {
  /** The standby region's Redis. */
  cache: CacheOutputs;
  /** Secret name -> ARN in the standby region (replicas; `redis` is the standby cache's own). */
  secretArns: Record<string, pulumi.Output<string>>;
  /** The standby region's customer key. */
  kmsKeyArn: pulumi.Output<string>;
}

// Data exposes its children's outputs through these plain interfaces rather than as the child
// components, so Pulumi's schema analyzer can describe Data to other languages (README "Reuse the
// components"); each field keeps the doc comment of the child's property.
/* eslint-disable @typescript-eslint/no-empty-object-type */
/** The Aurora cluster(s): endpoints, identifiers and the master secret. */
export interface AuroraOutputs
  extends Pick<AuroraGlobal, "writerEndpoint" | "readerEndpoint" | "secondaryReaderEndpoint" | "port" | "masterSecretArn" | "globalClusterId" | "globalWriterEndpoint" | "proxyEndpoint" | "clusterIdentifier" | "secondaryClusterIdentifier" | "secondaryClusterArn" | "clusterArn" | "planTimeActions"> {}
/** Redis: endpoints, port, replication group and auth-token secret. */
export interface CacheOutputs extends Pick<Cache, "primaryEndpoint" | "readerEndpoint" | "port" | "replicationGroupId" | "authSecretArn"> {}
/** The S3 buckets. */
export interface StorageOutputs
  extends Pick<Storage, "mediaBucket" | "accessLogsBucket" | "accessLogsTarget" | "standbyAccessLogsTarget" | "logBackupBucket" | "standbyAccessLogsBucket" | "mediaReplicaBucket" | "standbyLogBackupBucket"> {}
/* eslint-enable @typescript-eslint/no-empty-object-type */

/**
 * The stateful layer: customer-managed KMS keys in each region, the Aurora PostgreSQL (Global)
 * Database, Redis, the S3 buckets and AWS Backup.
 */
export class Data extends pulumi.ComponentResource {
  /** The Aurora cluster(s). */
  readonly aurora: AuroraOutputs;
  /** The primary region's Redis. */
  readonly cache: CacheOutputs;
  /** The S3 buckets. */
  readonly storage: StorageOutputs;
  /** Customer key of the primary region, for other encrypted data (secrets, queues, logs). */
  readonly kmsKeyArn: pulumi.Output<string>;
  /** Secret name -> ARN: `database` (master credentials), `redis` (auth token) and each app secret. */
  readonly secretArns: Record<string, pulumi.Output<string>>;
  /** Secrets whose values this program writes (`SecretVersion`s): a refresh reads them back. */
  readonly managedSecretArns: pulumi.Output<string>[];
  /** The warm-standby region's data, when `secondary.standby` is set. */
  readonly standby?: StandbyData;

  constructor(name: string, args: DataArgs, opts?: pulumi.ComponentResourceOptions) {
    super("platform:data:Data", name, {}, opts);
    const ctx = awsContext(this);
    const keyOpts = { parent: this, protect: args.protect };
    // CloudFront reads the KMS-encrypted media objects. The key cannot name the distribution (the
    // distribution needs the bucket, which needs the key), so it names this account's distributions;
    // the bucket policy then admits the one distribution.
    const cloudFront = {
      sid: "CloudFrontDecryptsMedia",
      effect: "Allow",
      principals: [{ type: "Service", identifiers: ["cloudfront.amazonaws.com"] }],
      actions: ["kms:Decrypt"],
      resources: ["*"],
      conditions: [{ test: "ArnLike", variable: "AWS:SourceArn", values: [pulumi.interpolate`arn:${ctx.partition}:cloudfront::${ctx.accountId}:distribution/*`] }],
    };
    const key = customerKey(
      `${name}-primary`,
      { description: `${name}: Aurora, Performance Insights, secrets, media and Redis slow logs (primary region)`, ctx, statements: [logsKeyStatement(ctx), ...(args.mediaDistributionArn ? [cloudFront] : [])] },
      keyOpts,
    );

    const { secondaryReaders, rdsProxy, ...aurora } = args.aurora;
    if (rdsProxy && !args.primary.proxySecurityGroupId) throw new Error(`Data ${name}: aurora.rdsProxy needs primary.proxySecurityGroupId`);
    let secondary: AuroraGlobalArgs["secondary"];
    let secondaryKeyArn: pulumi.Output<string> | undefined;
    const secondaryCtx = args.secondary ? awsContext(this, args.secondary.provider) : undefined;
    if (args.secondary) {
      const s = args.secondary;
      const secondaryKey = customerKey(
        `${name}-secondary`,
        // With a standby, CloudWatch Logs there encrypts the standby Redis slow log with this key.
        // With a standby, CloudFront reads the media replica (encrypted with this key) when the primary fails.
        { description: `${name}: Aurora secondary cluster`, ctx: secondaryCtx!, statements: s.standby ? [logsKeyStatement(secondaryCtx!), ...(args.mediaDistributionArn ? [cloudFront] : [])] : [] },
        { ...keyOpts, provider: s.provider },
      );
      secondaryKeyArn = secondaryKey.arn;
      secondary = {
        provider: s.provider,
        readers: secondaryReaders,
        subnetIds: s.isolatedSubnetIds,
        securityGroupIds: [s.dbSecurityGroupId],
        availabilityZones: s.availabilityZones,
        kmsKeyArn: secondaryKey.arn,
      };
    }

    this.aurora = new AuroraGlobal(
      `${name}-aurora`,
      {
        ...aurora,
        protect: args.protect,
        ctx,
        primary: {
          subnetIds: args.primary.isolatedSubnetIds,
          securityGroupIds: [args.primary.dbSecurityGroupId],
          availabilityZones: args.primary.availabilityZones,
          kmsKeyArn: key.arn,
        },
        secondary,
        masterSecretReplica: args.secondary?.standby ? { region: secondaryCtx!.region, kmsKeyId: secondaryKeyArn! } : undefined,
        proxy: rdsProxy ? { subnetIds: args.primary.privateSubnetIds, securityGroupId: args.primary.proxySecurityGroupId! } : undefined,
      },
      { parent: this },
    );
    this.cache = new Cache(
      `${name}-redis`,
      {
        ...args.redis,
        subnetIds: args.primary.isolatedSubnetIds,
        availabilityZones: args.primary.availabilityZones,
        securityGroupId: args.primary.cacheSecurityGroupId,
        kmsKeyArn: key.arn,
        protect: args.protect,
      },
      { parent: this },
    );
    this.storage = new Storage(
      `${name}-storage`,
      {
        kmsKeyArn: key.arn,
        accessLogRetentionDays: args.accessLogRetentionDays,
        protect: args.protect,
        mediaDistributionArn: args.mediaDistributionArn,
        standby: args.secondary?.standby ? { provider: args.secondary.provider, kmsKeyArn: secondaryKeyArn! } : undefined,
      },
      { parent: this },
    );
    if (args.backup) {
      if (!args.secondary || !secondaryKeyArn) throw new Error(`Data ${name}: backups are copied to the secondary region, so they need args.secondary`);
      new Backups(
        `${name}-backup`,
        {
          ...args.backup,
          resourceArns: [this.aurora.clusterArn],
          kmsKeyArn: key.arn,
          copyTo: { provider: args.secondary.provider, kmsKeyArn: secondaryKeyArn },
          ctx,
        },
        { parent: this },
      );
    }
    this.secretArns = { database: this.aurora.masterSecretArn, redis: this.cache.authSecretArn };
    // RDS writes the master secret itself unless the cluster is global (then this program does).
    this.managedSecretArns = [this.cache.authSecretArn, ...(args.secondary ? [this.aurora.masterSecretArn] : [])];
    // With a standby, every secret its services read is replicated there, under its key.
    const replicaTo = args.secondary?.standby ? [{ region: secondaryCtx!.region, kmsKeyId: secondaryKeyArn! }] : undefined;
    for (const secretName of args.appSecrets) {
      const secret = new aws.secretsmanager.Secret(
        `${name}-${secretName}`,
        {
          namePrefix: `${pulumi.getProject()}-${pulumi.getStack()}/${secretName}-`,
          description: `${secretName}: set the value with aws secretsmanager put-secret-value (README, "Rotating secrets")`,
          kmsKeyId: key.arn,
          recoveryWindowInDays: args.protect ? 30 : 7,
          replicas: replicaTo,
        },
        { parent: this, protect: args.protect },
      );
      this.secretArns[secretName] = secret.arn;
    }
    this.kmsKeyArn = key.arn;
    if (args.secondary?.standby && secondaryKeyArn && secondaryCtx) {
      const s = args.secondary;
      // Not a Global Datastore: a cache is rebuilt from the database, so the standby keeps its own,
      // smaller replication group instead of a cross-region replica (README "Regions" says why).
      const cache = new Cache(
        `${name}-redis-secondary`,
        {
          ...args.redis,
          replicas: s.standby!.redisReplicas,
          subnetIds: s.isolatedSubnetIds,
          availabilityZones: s.availabilityZones,
          securityGroupId: s.standby!.cacheSecurityGroupId,
          kmsKeyArn: secondaryKeyArn,
          protect: args.protect,
        },
        { parent: this, providers: [s.provider] },
      );
      // A replica keeps its secret's name and suffix; only the region in its ARN differs.
      const inStandby = (arn: pulumi.Output<string>) => pulumi.all([arn, ctx.region, secondaryCtx.region]).apply(([a, from, to]) => a.replace(`:${from}:`, `:${to}:`));
      const secretArns: Record<string, pulumi.Output<string>> = { redis: cache.authSecretArn };
      for (const [secretName, arn] of Object.entries(this.secretArns)) if (secretName !== "redis") secretArns[secretName] = inStandby(arn);
      this.standby = { cache, secretArns, kmsKeyArn: secondaryKeyArn };
      this.managedSecretArns.push(cache.authSecretArn);
    }
    this.registerOutputs({ kmsKeyArn: this.kmsKeyArn });
  }
}
