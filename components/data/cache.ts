import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import * as random from "@pulumi/random";
import { rotatedBy } from "../lib/rotation";
import { ArgsProblems } from "../lib/validate";
import { cacheProblems, withCacheDefaults } from "./defaults";

export interface CacheArgs {
  /** Redis OSS 7.x (transit encryption `required` and the auth token need 7). Example: `"7.1"`. */
  engineVersion: string;
  /** ElastiCache node type. Example: `"cache.t4g.small"`. */
  nodeType: string;
  /** Replicas besides the primary, 0–5; with 1 or more, automatic failover and multi-AZ are on. @default 0 */
  replicas?: number;
  /** Days of daily snapshots kept, 0–35 (0: none). @default 1 */
  snapshotRetentionDays?: number;
  /** Extra cache parameters. Example: `{ "maxmemory-policy": "volatile-lru" }`. @default {} */
  parameters?: Record<string, string>;
  /** Days the slow-log group keeps events (a CloudWatch Logs retention value, `LOG_RETENTION_DAYS`). @default 30 */
  slowLogRetentionDays?: number;
  /** Isolated subnets, one per AZ. */
  subnetIds: pulumi.Input<string[]>;
  /** AZs in order: the primary goes to the first, each replica to the next. */
  availabilityZones: pulumi.Input<string[]>;
  /** Security group of the replication group (Network's `cache`). */
  securityGroupId: pulumi.Input<string>;
  /** Customer key for data at rest, the auth-token secret and the slow-log group. */
  kmsKeyArn: pulumi.Input<string>;
  /** Final snapshot, Pulumi protect and retain-on-delete. @default false */
  protect?: boolean;
  /**
   * Join a Global Datastore as its secondary member: engine, version, node type and parameters
   * come from the Global Datastore (the provider may not be given them, nor `numNodeGroups`), the
   * data from its primary. `authToken` is the primary's, so one token opens every member.
   * Default: a replication group of its own.
   */
  globalMember?: GlobalMember;
}

/** A replication group's membership of a Global Datastore. */
export interface GlobalMember {
  /** Full id of the Global Datastore (its resource id). */
  globalReplicationGroupId: pulumi.Input<string>;
  /** The primary's auth token (secret). */
  authToken: pulumi.Input<string>;
}

/**
 * ElastiCache Redis OSS replication group: encrypted at rest (our key) and in transit, an auth
 * token kept in Secrets Manager, replicas in other AZs with automatic failover, slow log to
 * CloudWatch.
 */
export class Cache extends pulumi.ComponentResource {
  readonly primaryEndpoint: pulumi.Output<string>;
  readonly readerEndpoint: pulumi.Output<string>;
  readonly port: number = 6379;
  /** Replication group id (Datadog tags ElastiCache metrics with it as `replication_group`). */
  readonly replicationGroupId: pulumi.Output<string>;
  /** Secrets Manager secret holding `{ "authToken": ... }`. */
  readonly authSecretArn: pulumi.Output<string>;
  /** The auth token (secret), for a Global Datastore member of this group. */
  readonly authToken: pulumi.Output<string>;

  constructor(name: string, args: CacheArgs, opts?: pulumi.ComponentResourceOptions) {
    super("platform:data:Cache", name, {}, opts);
    const problems = new ArgsProblems(`Cache ${name}`);
    cacheProblems(problems, "", args);
    problems.throwIfAny();
    const resolved = withCacheDefaults(args);
    const o = { parent: this };
    const major = resolved.engineVersion.split(".")[0];
    const subnets = new aws.elasticache.SubnetGroup(name, { subnetIds: resolved.subnetIds, description: `${name} isolated subnets` }, o);
    const member = resolved.globalMember;
    const parameters = member ? undefined : new aws.elasticache.ParameterGroup(
      name,
      { family: `redis${major}`, description: `${name} parameters`, parameters: Object.entries(resolved.parameters).map(([n, value]) => ({ name: n, value })) },
      o,
    );
    // Generated once and kept (encrypted) in state; change `keepers.generation` to rotate. A
    // Global Datastore member keeps the primary's token in a secret of its own region.
    const token = member ? pulumi.secret(pulumi.output(member.authToken)) : new random.RandomPassword(`${name}-auth`, { length: 64, special: false, keepers: { generation: "1" } }, o).result;
    this.authToken = token;
    // The token is the replication group's authToken too, so only a deployment can change both: no rotation Lambda.
    const rotation = rotatedBy("deployment: replace the auth RandomPassword - docs/runbooks/rotate-secrets.md");
    const secret = new aws.secretsmanager.Secret(`${name}-auth`, { description: `${name} Redis auth token`, kmsKeyId: resolved.kmsKeyArn, tags: rotation }, o);
    new aws.secretsmanager.SecretVersion(`${name}-auth`, { secretId: secret.id, secretString: pulumi.jsonStringify({ authToken: token }) }, o);
    const slowLog = new aws.cloudwatch.LogGroup(`${name}-slow-log`, { retentionInDays: resolved.slowLogRetentionDays, kmsKeyId: resolved.kmsKeyArn }, o);

    const ha = resolved.replicas > 0;
    const group = new aws.elasticache.ReplicationGroup(
      name,
      {
        description: member ? `${name} (Global Datastore member)` : `${name} (Redis OSS ${resolved.engineVersion})`,
        ...(member
          ? { globalReplicationGroupId: member.globalReplicationGroupId }
          : { engine: "redis", engineVersion: resolved.engineVersion, nodeType: resolved.nodeType, parameterGroupName: parameters!.name }),
        numCacheClusters: 1 + resolved.replicas,
        preferredCacheClusterAzs: pulumi.output(resolved.availabilityZones).apply((azs) => Array.from({ length: 1 + resolved.replicas }, (_, i) => azs[i % azs.length])),
        automaticFailoverEnabled: ha,
        multiAzEnabled: ha,
        port: this.port,
        subnetGroupName: subnets.name,
        securityGroupIds: [resolved.securityGroupId],
        // A member is encrypted with its own region's key; whether ElastiCache wants the encryption
        // flags and the token repeated on a member, or takes them from the datastore, is unverified
        // offline (the provider's docs forbid only engine, version, node type and numNodeGroups).
        atRestEncryptionEnabled: true,
        kmsKeyId: resolved.kmsKeyArn,
        transitEncryptionEnabled: true,
        transitEncryptionMode: "required",
        authToken: token,
        snapshotRetentionLimit: resolved.snapshotRetentionDays,
        snapshotWindow: "04:00-05:00",
        maintenanceWindow: "sun:06:00-sun:07:00",
        autoMinorVersionUpgrade: true,
        ...(resolved.protect ? { finalSnapshotIdentifier: `${name}-final` } : {}),
        logDeliveryConfigurations: [{ destination: slowLog.name, destinationType: "cloudwatch-logs", logFormat: "json", logType: "slow-log" }],
      },
      // After a Global Datastore failover the group that was primary is a member: the provider reports
      // its membership, which this program did not set and must not undo.
      { ...o, protect: resolved.protect, retainOnDelete: resolved.protect, ignoreChanges: member ? [] : ["globalReplicationGroupId"] },
    );
    this.primaryEndpoint = group.primaryEndpointAddress;
    this.readerEndpoint = group.readerEndpointAddress;
    this.authSecretArn = secret.arn;
    this.replicationGroupId = group.id;
    this.registerOutputs({ primaryEndpoint: this.primaryEndpoint, authSecretArn: this.authSecretArn });
  }
}
