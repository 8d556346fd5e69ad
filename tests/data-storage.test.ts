import { strict as assert } from "assert";
import * as path from "path";
import { formatProblems, validateConfig } from "../config/validate";
import { GraphQuery } from "../tools/plan/query";
import { loadStackConfig } from "../tools/plan/stackConfig";
import { STACKS, stack } from "./support/stacks";

const REDIS = "aws:elasticache/replicationGroup:ReplicationGroup";
const ROOT = path.resolve(__dirname, "..");
/** A committed stack's config value (the expectations follow its file, not its name). */
const configOf = (name: string, key: string): Record<string, unknown> | undefined => {
  const text = loadStackConfig(ROOT, name).config[`platform:${key}`];
  return text === undefined ? undefined : (JSON.parse(text) as Record<string, unknown>);
};
const hasStandby = (name: string) => configOf(name, "standby") !== undefined;
const BUCKET = "aws:s3/bucket:Bucket";

/** The resource of `type` that configures bucket `bucketId` (S3 settings are separate resources). */
function bucketSetting(q: GraphQuery, type: string, bucketId: string | undefined) {
  const found = q.ofType(type, (r) => r.inputs.bucket === bucketId);
  assert.equal(found.length, 1, `expected one ${type} for bucket ${bucketId}`);
  return found[0].inputs;
}

describe("Data component: Redis", () => {
  it("prod: primary + 2 replicas in 3 AZs with automatic failover and multi-AZ", async () => {
    const q = await stack("prod");
    const [redis] = q.ofType(REDIS);
    assert.equal(redis.inputs.numCacheClusters, 3);
    assert.deepEqual(redis.inputs.preferredCacheClusterAzs, ["us-east-1a", "us-east-1b", "us-east-1c"]);
    assert.equal(redis.inputs.automaticFailoverEnabled, true);
    assert.equal(redis.inputs.multiAzEnabled, true);
    assert.equal(redis.inputs.snapshotRetentionLimit, 7);
    assert.ok(redis.inputs.finalSnapshotIdentifier);
    assert.equal(redis.options.protect, true);
  });

  it("dev: one node, no failover, no snapshots, unprotected", async () => {
    const q = await stack("dev");
    const [redis] = q.ofType(REDIS);
    assert.equal(redis.inputs.numCacheClusters, 1);
    assert.equal(redis.inputs.automaticFailoverEnabled, false);
    assert.equal(redis.inputs.snapshotRetentionLimit, 0);
    assert.equal(redis.options.protect, false);
  });

  for (const name of STACKS) {
    it(`${name}: encrypted at rest with our key and in transit, token-authenticated, in isolated subnets behind the cache group`, async () => {
      const q = await stack(name);
      const [redis] = q.ofType(REDIS);
      assert.equal(redis.inputs.atRestEncryptionEnabled, true);
      assert.equal(q.byIdOrArn(redis.inputs.kmsKeyId)?.type, "aws:kms/key:Key");
      assert.equal(redis.inputs.transitEncryptionEnabled, true);
      assert.equal(redis.inputs.transitEncryptionMode, "required");
      assert.equal(redis.inputs.authToken, "[secret]");
      const subnets = q.byIdOrArn(redis.inputs.subnetGroupName)!;
      assert.deepEqual(subnets.inputs.subnetIds, q.named("awsx:ec2:Vpc", "network-vpc").outputs!.isolatedSubnetIds);
      const [sg] = redis.inputs.securityGroupIds as string[];
      assert.equal((q.byIdOrArn(sg)?.inputs.tags as Record<string, string>).tier, "cache");
      const secret = q.named("aws:secretsmanager/secret:Secret", "data-redis-auth");
      assert.equal(q.byIdOrArn(secret.inputs.kmsKeyId)?.type, "aws:kms/key:Key");
      assert.equal(q.graph.outputs.redisAuthSecretArn, secret.arn);
    });

    it(`${name}: ships the slow log to an encrypted CloudWatch group with retention`, async () => {
      const q = await stack(name);
      const [redis] = q.ofType(REDIS);
      const [delivery] = redis.inputs.logDeliveryConfigurations as { destination: string; logType: string }[];
      assert.equal(delivery.logType, "slow-log");
      const group = q.byIdOrArn(delivery.destination)!;
      assert.equal(group.type, "aws:cloudwatch/logGroup:LogGroup");
      assert.ok(group.inputs.kmsKeyId);
      // CloudWatch Logs may only encrypt with a key whose policy admits it.
      const key = q.byIdOrArn(group.inputs.kmsKeyId)!;
      assert.match(String(key.inputs.policy), /"Service":"logs\.us-east-1\.amazonaws\.com"|"Service": "logs\.us-east-1\.amazonaws\.com"/);
      assert.equal(group.inputs.retentionInDays, configOf(name, "redis")!.slowLogRetentionDays ?? 30);
    });
  }
});

describe("Data component: S3 buckets", () => {
  for (const name of STACKS) {
    it(`${name}: every bucket blocks public access, enforces ownership, is versioned, encrypted and denies plain HTTP`, async () => {
      const q = await stack(name);
      const buckets = q.ofType(BUCKET);
      // media, ALB access logs, and log records Firehose could not deliver to Datadog; with a
      // standby, its ALB's access logs (they must land in its own region).
      const expected = ["data-storage-access-logs", "data-storage-log-backup", "data-storage-media", ...(hasStandby(name) ? ["data-storage-access-logs-secondary", "data-storage-log-backup-secondary", "data-storage-media-replica"] : [])];
      assert.deepEqual(buckets.map((b) => b.name).sort(), expected.sort());
      for (const b of buckets) {
        const block = bucketSetting(q, "aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock", b.id);
        assert.deepEqual([block.blockPublicAcls, block.blockPublicPolicy, block.ignorePublicAcls, block.restrictPublicBuckets], [true, true, true, true]);
        assert.equal((bucketSetting(q, "aws:s3/bucketOwnershipControls:BucketOwnershipControls", b.id).rule as { objectOwnership: string }).objectOwnership, "BucketOwnerEnforced");
        assert.deepEqual(bucketSetting(q, "aws:s3/bucketVersioning:BucketVersioning", b.id).versioningConfiguration, { status: "Enabled" });
        const [rule] = bucketSetting(q, "aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration", b.id).rules as {
          applyServerSideEncryptionByDefault: { sseAlgorithm: string };
        }[];
        assert.ok(["aws:kms", "AES256"].includes(rule.applyServerSideEncryptionByDefault.sseAlgorithm));
        const policy = JSON.parse(String(bucketSetting(q, "aws:s3/bucketPolicy:BucketPolicy", b.id).policy));
        const deny = policy.Statement.find((s: { Sid: string }) => s.Sid === "DenyInsecureTransport");
        assert.deepEqual(deny.Condition, { Bool: { "aws:SecureTransport": "false" } });
        assert.equal(deny.Effect, "Deny");
        assert.ok(policy.Statement.every((s: { Effect: string; Principal: unknown }) => s.Effect === "Deny" || s.Principal !== "*"), "no Allow to everyone");
        const [life] = bucketSetting(q, "aws:s3/bucketLifecycleConfiguration:BucketLifecycleConfiguration", b.id).rules as Record<string, unknown>[];
        assert.deepEqual(life.noncurrentVersionExpiration, { noncurrentDays: 30 });
        assert.deepEqual(life.abortIncompleteMultipartUpload, { daysAfterInitiation: 7 });
      }
    });
  }

  it("encrypts media with our key and lets only the ELB log-delivery account write ALB logs (SSE-S3, as ALB requires)", async () => {
    const q = await stack("prod");
    const media = q.named(BUCKET, "data-storage-media");
    const [mediaRule] = bucketSetting(q, "aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration", media.id).rules as {
      applyServerSideEncryptionByDefault: { sseAlgorithm: string; kmsMasterKeyId: string };
    }[];
    assert.equal(mediaRule.applyServerSideEncryptionByDefault.sseAlgorithm, "aws:kms");
    assert.equal(q.byIdOrArn(mediaRule.applyServerSideEncryptionByDefault.kmsMasterKeyId)?.type, "aws:kms/key:Key");

    const logs = q.named(BUCKET, "data-storage-access-logs");
    const policy = JSON.parse(String(bucketSetting(q, "aws:s3/bucketPolicy:BucketPolicy", logs.id).policy));
    const grant = policy.Statement.find((s: { Sid: string }) => s.Sid === "AlbLogDelivery");
    assert.deepEqual(grant.Principal, { AWS: "arn:aws:iam::127311923021:root" });
    assert.equal(grant.Action, "s3:PutObject");
    assert.equal(grant.Resource, `${logs.arn}/alb/*`);
    const [life] = bucketSetting(q, "aws:s3/bucketLifecycleConfiguration:BucketLifecycleConfiguration", logs.id).rules as Record<string, unknown>[];
    assert.deepEqual(life.expiration, { days: 90 });
  });

  for (const name of STACKS) {
    it(`${name}: every bucket logs its requests to its region's access-logs bucket (SSE-S3), which only S3's logging service for those buckets may write`, async () => {
      const q = await stack(name);
      const byName = (n: string) => q.named(BUCKET, n);
      const pairs: [string, string, string][] = [
        ["data-storage-media", "data-storage-access-logs", "s3/media/"],
        ["data-storage-log-backup", "data-storage-access-logs", "s3/log-backup/"],
        ...(hasStandby(name)
          ? ([
              ["data-storage-media-replica", "data-storage-access-logs-secondary", "s3/media-replica/"],
              ["data-storage-log-backup-secondary", "data-storage-access-logs-secondary", "s3/log-backup/"],
            ] as [string, string, string][])
          : []),
      ];
      for (const [source, target, prefix] of pairs) {
        const logging = bucketSetting(q, "aws:s3/bucketLogging:BucketLogging", byName(source).id);
        assert.deepEqual(logging, { bucket: byName(source).id, targetBucket: byName(target).id, targetPrefix: prefix, targetObjectKeyFormat: { partitionedPrefix: { partitionDateSource: "EventTime" } } });
        assert.equal(byName(source).region, byName(target).region, "server access logs go to a bucket in the same region");
      }
      for (const target of [...new Set(pairs.map((p) => p[1]))]) {
        const logs = byName(target);
        const [rule] = bucketSetting(q, "aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration", logs.id).rules as { applyServerSideEncryptionByDefault: { sseAlgorithm: string } }[];
        assert.equal(rule.applyServerSideEncryptionByDefault.sseAlgorithm, "AES256", "server access logs cannot be delivered to an SSE-KMS bucket");
        const policy = JSON.parse(String(bucketSetting(q, "aws:s3/bucketPolicy:BucketPolicy", logs.id).policy));
        const grant = policy.Statement.find((st: { Sid: string }) => st.Sid === "S3ServerAccessLogs");
        const sources = pairs.filter((p) => p[1] === target).map((p) => byName(p[0]).arn).sort();
        assert.deepEqual(
          { principal: grant.Principal, action: grant.Action, resource: grant.Resource, condition: grant.Condition },
          {
            principal: { Service: "logging.s3.amazonaws.com" },
            action: "s3:PutObject",
            resource: `${logs.arn}/s3/*`,
            condition: { ArnLike: { "aws:SourceArn": [...sources].sort() }, StringEquals: { "aws:SourceAccount": "123456789012" } },
          },
        );
        // An access-logs bucket does not log into itself.
        assert.equal(q.ofType("aws:s3/bucketLogging:BucketLogging", (l) => l.inputs.bucket === logs.id).length, 0);
      }
    });

    it(`${name}: the media distribution writes its access logs (CloudFront standard logging v2) to the access-logs bucket, from us-east-1`, async () => {
      const q = await stack(name);
      const distribution = q.ofType("aws:cloudfront/distribution:Distribution")[0];
      const source = q.named("aws:cloudwatch/logDeliverySource:LogDeliverySource", "edge-media-logs");
      assert.deepEqual([source.inputs.logType, source.inputs.resourceArn, source.region], ["ACCESS_LOGS", distribution.arn, "us-east-1"]);
      const destination = q.named("aws:cloudwatch/logDeliveryDestination:LogDeliveryDestination", "edge-media-logs");
      assert.equal((destination.inputs.deliveryDestinationConfiguration as { destinationResourceArn: string }).destinationResourceArn, q.named(BUCKET, "data-storage-access-logs").arn);
      const delivery = q.named("aws:cloudwatch/logDelivery:LogDelivery", "edge-media-logs");
      assert.equal(delivery.inputs.deliveryDestinationArn, destination.arn);
      // AWS prepends AWSLogs/<account>/CloudFront/ to the suffix path on create and drops it on an update: the path is set once.
      assert.deepEqual(delivery.options.ignoreChanges, ["s3DeliveryConfigurations"]);
      const logs = q.named(BUCKET, "data-storage-access-logs");
      const grant = JSON.parse(String(bucketSetting(q, "aws:s3/bucketPolicy:BucketPolicy", logs.id).policy)).Statement.find((st: { Sid: string }) => st.Sid === "CloudFrontAccessLogs");
      assert.deepEqual(grant.Principal, { Service: "delivery.logs.amazonaws.com" });
      assert.deepEqual(grant.Condition.ArnLike, { "aws:SourceArn": "arn:aws:logs:us-east-1:123456789012:delivery-source:*" });
    });
  }

  it("retains the buckets in prod and lets dev tear them down", async () => {
    for (const b of (await stack("prod")).ofType(BUCKET)) assert.deepEqual([b.options.protect, b.options.retainOnDelete, b.inputs.forceDestroy], [true, true, false]);
    for (const b of (await stack("dev")).ofType(BUCKET)) assert.deepEqual([b.options.protect, b.inputs.forceDestroy], [false, true]);
  });
});

describe("Data component: AWS Backup", () => {
  it("prod: backs the primary cluster up daily for 35 days into a locked vault, copied to a locked vault in the secondary region", async () => {
    const q = await stack("prod");
    const [plan] = q.ofType("aws:backup/plan:Plan");
    const [rule] = plan.inputs.rules as { targetVaultName: string; schedule: string; lifecycle: { deleteAfter: number }; copyActions: { destinationVaultArn: string; lifecycle: { deleteAfter: number } }[] }[];
    assert.equal(rule.schedule, "cron(0 5 * * ? *)");
    assert.equal(rule.lifecycle.deleteAfter, 35);
    const vault = q.byIdOrArn(rule.targetVaultName)!;
    assert.equal(vault.region, "us-east-1");
    const copy = q.byIdOrArn(rule.copyActions[0].destinationVaultArn)!;
    assert.equal(copy.region, "us-west-2");
    assert.equal(rule.copyActions[0].lifecycle.deleteAfter, 35);
    for (const v of [vault, copy]) {
      assert.equal(q.byIdOrArn(v.inputs.kmsKeyArn)?.region, v.region, "each vault uses its own region's key");
      const lock = q.ofType("aws:backup/vaultLockConfiguration:VaultLockConfiguration", (l) => l.inputs.backupVaultName === v.id)[0];
      assert.equal(lock.inputs.minRetentionDays, 35);
      assert.equal(lock.region, v.region);
      assert.equal(v.options.protect, true);
    }
    const [selection] = q.ofType("aws:backup/selection:Selection");
    assert.deepEqual(selection.inputs.resources, [q.named("aws:rds/cluster:Cluster", "data-aurora-primary").arn]);
  });

  it("dev: no backup plan (automated RDS backups only)", async () => {
    assert.equal((await stack("dev")).ofType("aws:backup/plan:Plan").length, 0);
  });

  it("config: prod requires a backup plan, 2 Redis replicas, and a backup needs a secondary region", () => {
    const root = path.resolve(__dirname, "..");
    const prod = loadStackConfig(root, "prod").config as Record<string, unknown>;
    const dev = loadStackConfig(root, "dev").config as Record<string, unknown>;
    const problems = (c: Record<string, unknown>) => {
      const r = validateConfig(c);
      return r.ok ? "" : formatProblems(r.problems);
    };
    assert.match(problems({ ...prod, "platform:backup": undefined }), /platform:backup: is required in prod/);
    assert.match(problems({ ...prod, "platform:redis": { ...JSON.parse(String(prod["platform:redis"])), replicas: 1 } }), /platform:redis\.replicas: expected 2 or more in prod/);
    assert.match(problems({ ...dev, "platform:backup": { retentionDays: 35 } }), /platform:backup: needs platform:secondaryRegion/);
    assert.match(problems({ ...prod, "platform:backup": { retentionDays: 7 } }), /platform:backup\.retentionDays: expected a whole number from 35 to 3650/);
    assert.match(problems({ ...prod, "platform:redis": { ...JSON.parse(String(prod["platform:redis"])), engineVersion: "6.2" } }), /platform:redis\.engineVersion: expected Redis OSS 7\.x/);
  });
});
