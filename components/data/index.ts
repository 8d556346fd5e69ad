import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { awsContext } from "../lib/aws";
import { customerKey, logsKeyStatement } from "../lib/kms";
import { rotatedBy } from "../lib/rotation";
import { AuroraGlobal, AuroraGlobalArgs } from "./aurora";
import { ApplicationPlacement, AuroraOutputs, CacheOutputs, DataArgs, RegionalApplicationData, RegionalData, StorageOutputs } from "./args";
import { Backups } from "./backup";
import { Cache } from "./cache";
import { Storage } from "./storage";
import { APPLICATION_PLACEMENT_DEFAULTS, ResolvedDataArgs, checkDataArgs, withDataDefaults } from "./defaults";

export { AuroraGlobal } from "./aurora";
export type { AuroraGlobalArgs, AuroraPlacement, ServerlessCapacity } from "./auroraArgs";
export { Backups } from "./backup";
export { Cache } from "./cache";
export { Storage } from "./storage";
export * from "./args";
export * from "./defaults";

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
  /** Each region's share, the primary's first: its key, cluster and, where it runs the application, cache, secrets and buckets. */
  readonly regions: RegionalData[];
  /** The Global Datastore joining both regions' Redis, when `secondary.application.globalDatastore` is set. */
  readonly globalDatastoreId?: pulumi.Output<string>;

  constructor(name: string, args: DataArgs, opts?: pulumi.ComponentResourceOptions) {
    super("platform:data:Data", name, {}, opts);
    checkDataArgs(`Data ${name}`, args);
    const resolved = withDataDefaults(args);
    const ctx = awsContext(this);
    const keyOpts = { parent: this, protect: resolved.protect };
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
      { description: `${name}: Aurora, Performance Insights, secrets, media and Redis slow logs (primary region)`, ctx, statements: [logsKeyStatement(ctx), ...(resolved.mediaDistributionArn ? [cloudFront] : [])] },
      keyOpts,
    );

    const { secondaryReaders, rdsProxy, ...aurora } = resolved.aurora;
    if (rdsProxy && !resolved.primary.proxySecurityGroupId) throw new Error(`Data ${name}: aurora.rdsProxy needs primary.proxySecurityGroupId`);
    let secondary: AuroraGlobalArgs["secondary"];
    let secondaryKeyArn: pulumi.Output<string> | undefined;
    const secondaryCtx = resolved.secondary ? awsContext(this, resolved.secondary.provider) : undefined;
    const secondApp = resolved.secondary?.application;
    if (resolved.secondary) {
      const s = resolved.secondary;
      const secondaryKey = customerKey(
        `${name}-secondary`,
        // Where the region runs the application, CloudWatch Logs there encrypts its Redis slow log
        // with this key, and CloudFront reads the media replica (encrypted with it) when the primary fails.
        { description: `${name}: Aurora secondary cluster`, ctx: secondaryCtx!, statements: secondApp ? [logsKeyStatement(secondaryCtx!), ...(resolved.mediaDistributionArn ? [cloudFront] : [])] : [] },
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
        protect: resolved.protect,
        ctx,
        primary: {
          subnetIds: resolved.primary.isolatedSubnetIds,
          securityGroupIds: [resolved.primary.dbSecurityGroupId],
          availabilityZones: resolved.primary.availabilityZones,
          kmsKeyArn: key.arn,
        },
        secondary,
        masterSecretReplica: secondApp ? { region: secondaryCtx!.region, kmsKeyId: secondaryKeyArn! } : undefined,
        proxy: rdsProxy ? { subnetIds: resolved.primary.privateSubnetIds, securityGroupId: resolved.primary.proxySecurityGroupId! } : undefined,
      },
      { parent: this },
    );
    this.cache = new Cache(
      `${name}-redis`,
      {
        ...resolved.redis,
        subnetIds: resolved.primary.isolatedSubnetIds,
        availabilityZones: resolved.primary.availabilityZones,
        securityGroupId: resolved.primary.cacheSecurityGroupId,
        kmsKeyArn: key.arn,
        protect: resolved.protect,
      },
      { parent: this },
    );
    this.storage = new Storage(
      `${name}-storage`,
      {
        kmsKeyArn: key.arn,
        accessLogRetentionDays: resolved.accessLogRetentionDays,
        protect: resolved.protect,
        mediaDistributionArn: resolved.mediaDistributionArn,
        secondRegion: secondApp ? { provider: resolved.secondary!.provider, kmsKeyArn: secondaryKeyArn! } : undefined,
      },
      { parent: this },
    );
    if (resolved.backup) {
      if (!resolved.secondary || !secondaryKeyArn) throw new Error(`Data ${name}: backups are copied to the secondary region, so they need resolved.secondary`);
      new Backups(
        `${name}-backup`,
        {
          ...resolved.backup,
          resourceArns: [this.aurora.clusterArn],
          kmsKeyArn: key.arn,
          copyTo: { provider: resolved.secondary.provider, kmsKeyArn: secondaryKeyArn },
          ctx,
        },
        { parent: this },
      );
    }
    this.secretArns = { database: this.aurora.masterSecretArn, redis: this.cache.authSecretArn };
    // RDS writes the master secret itself unless the cluster is global (then this program does).
    this.managedSecretArns = [this.cache.authSecretArn, ...(resolved.secondary ? [this.aurora.masterSecretArn] : [])];
    // Where the second region runs the application, every secret its services read is replicated there, under its key.
    const replicaTo = secondApp ? [{ region: secondaryCtx!.region, kmsKeyId: secondaryKeyArn! }] : undefined;
    for (const secretName of resolved.appSecrets) {
      const secret = new aws.secretsmanager.Secret(
        `${name}-${secretName}`,
        {
          namePrefix: `${pulumi.getProject()}-${pulumi.getStack()}/${secretName}-`,
          description: `${secretName}: set the value with aws secretsmanager put-secret-value (README, "Rotating secrets")`,
          kmsKeyId: key.arn,
          recoveryWindowInDays: resolved.protect ? 30 : 7,
          replicas: replicaTo,
          // Third parties issue these keys; no rotation Lambda can mint a new one.
          tags: rotatedBy("operator: put-secret-value when the vendor issues a new key - docs/runbooks/rotate-secrets.md"),
        },
        { parent: this, protect: resolved.protect },
      );
      this.secretArns[secretName] = secret.arn;
    }
    this.kmsKeyArn = key.arn;
    const storage = this.storage;
    const first: RegionalData = {
      kmsKeyArn: key.arn,
      aurora: { clusterIdentifier: this.aurora.clusterIdentifier, clusterArn: this.aurora.clusterArn, readerEndpoint: this.aurora.readerEndpoint },
      application: { cache: this.cache, secretArns: this.secretArns, accessLogsBucket: storage.accessLogsTarget, logBackupBucket: storage.logBackupBucket },
    };
    this.regions = [first];
    if (resolved.secondary && secondaryKeyArn && secondaryCtx && this.aurora.secondaryClusterIdentifier && this.aurora.secondaryClusterArn && this.aurora.secondaryReaderEndpoint) {
      const aurora = { clusterIdentifier: this.aurora.secondaryClusterIdentifier, clusterArn: this.aurora.secondaryClusterArn, readerEndpoint: this.aurora.secondaryReaderEndpoint };
      const second = secondApp && this.secondRegionApplication(name, resolved, secondApp, { ctx, secondaryCtx, secondaryKeyArn });
      this.regions.push({ kmsKeyArn: secondaryKeyArn, aurora, application: second?.data });
      this.globalDatastoreId = second?.globalDatastoreId;
    }
    this.registerOutputs({ kmsKeyArn: this.kmsKeyArn });
  }

  /**
   * The second application region's Redis (a Global Datastore member, or a group of its own) and
   * the ARNs of its secret replicas.
   */
  private secondRegionApplication(
    name: string,
    args: ResolvedDataArgs,
    app: ApplicationPlacement,
    keys: { ctx: ReturnType<typeof awsContext>; secondaryCtx: ReturnType<typeof awsContext>; secondaryKeyArn: pulumi.Output<string> },
  ): { data: RegionalApplicationData; globalDatastoreId?: pulumi.Output<string> } {
    const s = args.secondary!;
    // A Global Datastore replicates the primary's Redis to the second region in under a second
    // (https://docs.aws.amazon.com/AmazonElastiCache/latest/dg/Redis-Global-Datastore.html), so
    // sessions and rate-limit counters survive a failover. Once a failover has moved its primary,
    // the provider must not replace it to move the primary back: `primaryReplicationGroupId`
    // forces a new resource (registry.terraform.io/providers/hashicorp/aws, elasticache_global_replication_group).
    const global = (app.globalDatastore ?? APPLICATION_PLACEMENT_DEFAULTS.globalDatastore)
      ? new aws.elasticache.GlobalReplicationGroup(
          `${name}-redis-global`,
          {
            globalReplicationGroupIdSuffix: `${pulumi.getProject()}-${pulumi.getStack()}`,
            primaryReplicationGroupId: this.cache.replicationGroupId,
            globalReplicationGroupDescription: `${pulumi.getProject()}-${pulumi.getStack()}: sessions and counters in every region`,
          },
          { parent: this, protect: args.protect, retainOnDelete: args.protect, ignoreChanges: ["primaryReplicationGroupId"] },
        )
      : undefined;
    const primaryCache = this.cache as Cache;
    const cache = new Cache(
      `${name}-redis-secondary`,
      {
        ...args.redis,
        replicas: app.redisReplicas,
        subnetIds: s.isolatedSubnetIds,
        availabilityZones: s.availabilityZones,
        securityGroupId: app.cacheSecurityGroupId,
        kmsKeyArn: keys.secondaryKeyArn,
        protect: args.protect,
        // The resource's id is the Global Datastore's full id (AWS prefixes the suffix), the one a
        // member names (the provider imports it by that id; see the resource's docs).
        globalMember: global && { globalReplicationGroupId: global.id, authToken: primaryCache.authToken },
      },
      { parent: this, providers: [s.provider] },
    );
    // A replica keeps its secret's name and suffix; only the region in its ARN differs.
    const inSecond = (arn: pulumi.Output<string>) => pulumi.all([arn, keys.ctx.region, keys.secondaryCtx.region]).apply(([a, from, to]) => a.replace(`:${from}:`, `:${to}:`));
    const secretArns: Record<string, pulumi.Output<string>> = { redis: cache.authSecretArn };
    for (const [secretName, arn] of Object.entries(this.secretArns)) if (secretName !== "redis") secretArns[secretName] = inSecond(arn);
    this.managedSecretArns.push(cache.authSecretArn);
    const storage = this.storage as Storage;
    if (!storage.secondaryAccessLogsTarget || !storage.secondaryLogBackupBucket) throw new Error(`Data ${name}: the second application region has no buckets`);
    return {
      data: { cache, secretArns, accessLogsBucket: storage.secondaryAccessLogsTarget, logBackupBucket: storage.secondaryLogBackupBucket },
      globalDatastoreId: global?.id,
    };
  }
}
