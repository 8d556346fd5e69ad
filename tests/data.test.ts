import { strict as assert } from "assert";
import * as path from "path";
import { formatProblems, validateConfig } from "../config/validate";
import { evaluateStack } from "../tools/plan/evaluate";
import { GraphQuery } from "../tools/plan/query";
import { loadStackConfig } from "../tools/plan/stackConfig";
import { early } from "./support/early";
import { stack } from "./support/stacks";

const CLUSTER = "aws:rds/cluster:Cluster";
const INSTANCE = "aws:rds/clusterInstance:ClusterInstance";
const GLOBAL = "aws:rds/globalCluster:GlobalCluster";
const KEY = "aws:kms/key:Key";

describe("Data component: Aurora", () => {
  describe("prod (Global Database)", () => {
    it("has one encrypted, protected global cluster for aurora-postgresql", async () => {
      const q = await stack("prod");
      const [global] = q.ofType(GLOBAL);
      assert.equal(q.ofType(GLOBAL).length, 1);
      assert.equal(global.inputs.engine, "aurora-postgresql");
      assert.equal(global.inputs.engineVersion, "16.6");
      assert.equal(global.inputs.storageEncrypted, true);
      assert.equal(global.inputs.deletionProtection, true);
      assert.equal(global.options.protect, true);
    });

    it("puts the primary cluster in the primary region and the secondary in the secondary region, both joined to it", async () => {
      const q = await stack("prod");
      const global = q.ofType(GLOBAL)[0];
      const primary = q.named(CLUSTER, "data-aurora-primary");
      const secondary = q.named(CLUSTER, "data-aurora-secondary");
      assert.equal(q.providerOf(primary)?.name, "primary");
      assert.equal(primary.region, "us-east-1");
      assert.equal(q.providerOf(secondary)?.name, "secondary");
      assert.equal(secondary.region, "us-west-2");
      assert.equal(primary.inputs.globalClusterIdentifier, global.id);
      assert.equal(secondary.inputs.globalClusterIdentifier, global.id);
    });

    it("runs a writer and 2 readers in 3 distinct AZs, preferring a same-region reader on failover", async () => {
      const q = await stack("prod");
      const primary = q.named(CLUSTER, "data-aurora-primary");
      const instances = q.ofType(INSTANCE, (i) => i.inputs.clusterIdentifier === primary.id);
      assert.equal(instances.length, 3);
      assert.deepEqual(instances.map((i) => i.inputs.availabilityZone).sort(), ["us-east-1a", "us-east-1b", "us-east-1c"]);
      const writer = q.named(INSTANCE, "data-aurora-primary-writer");
      assert.equal(writer.inputs.promotionTier, 0);
      for (const reader of instances.filter((i) => i !== writer)) assert.equal(reader.inputs.promotionTier, 1);
      for (const i of instances) {
        assert.equal(i.inputs.instanceClass, "db.r6g.large");
        assert.equal(i.inputs.publiclyAccessible, false);
      }
    });

    it("gives the secondary 2 readers in its own AZs, no master credentials, and creates it after the writer", async () => {
      const q = await stack("prod");
      const secondary = q.named(CLUSTER, "data-aurora-secondary");
      const readers = q.ofType(INSTANCE, (i) => i.inputs.clusterIdentifier === secondary.id);
      assert.equal(readers.length, 2);
      assert.deepEqual(readers.map((r) => r.inputs.availabilityZone).sort(), ["us-west-2a", "us-west-2b"]);
      assert.ok(readers.every((r) => r.region === "us-west-2"));
      for (const field of ["masterUsername", "masterPassword", "masterPasswordWo", "manageMasterUserPassword", "databaseName"]) {
        assert.equal(secondary.inputs[field], undefined, `secondary must not set ${field}`);
      }
      assert.deepEqual(secondary.options.dependsOn, [q.named(INSTANCE, "data-aurora-primary-writer").urn]);
      assert.deepEqual(secondary.options.ignoreChanges, ["replicationSourceIdentifier", "globalClusterIdentifier"]);
    });

    it("encrypts each cluster and Performance Insights with a rotating customer key of its own region", async () => {
      const q = await stack("prod");
      for (const name of ["data-aurora-primary", "data-aurora-secondary"]) {
        const cluster = q.named(CLUSTER, name);
        assert.equal(cluster.inputs.storageEncrypted, true);
        const key = q.byIdOrArn(cluster.inputs.kmsKeyId)!;
        assert.equal(key.type, KEY);
        assert.equal(key.region, cluster.region);
        assert.equal(key.inputs.enableKeyRotation, true);
        for (const i of q.ofType(INSTANCE, (x) => x.inputs.clusterIdentifier === cluster.id)) {
          assert.equal(i.inputs.performanceInsightsEnabled, true);
          assert.equal(i.inputs.performanceInsightsKmsKeyId, key.arn);
        }
      }
    });

    it("forces TLS, exports the postgresql log and turns on IAM auth in both regions", async () => {
      const q = await stack("prod");
      for (const name of ["data-aurora-primary", "data-aurora-secondary"]) {
        const cluster = q.named(CLUSTER, name);
        const group = q.ofType("aws:rds/clusterParameterGroup:ClusterParameterGroup", (g) => g.name === name)[0];
        assert.equal(cluster.inputs.dbClusterParameterGroupName, group.id);
        assert.equal(group.inputs.family, "aurora-postgresql16");
        assert.ok((group.inputs.parameters as { name: string; value: string }[]).some((p) => p.name === "rds.force_ssl" && p.value === "1"));
        assert.deepEqual(cluster.inputs.enabledCloudwatchLogsExports, ["postgresql"]);
        assert.equal(cluster.inputs.iamDatabaseAuthenticationEnabled, true);
      }
    });

    it("protects the data: deletion protection, final snapshots, protect and retain-on-delete, 14-day backups", async () => {
      const q = await stack("prod");
      for (const cluster of q.ofType(CLUSTER)) {
        assert.equal(cluster.inputs.deletionProtection, true, cluster.name);
        assert.equal(cluster.inputs.skipFinalSnapshot, false, cluster.name);
        assert.ok(cluster.inputs.finalSnapshotIdentifier, cluster.name);
        assert.equal(cluster.options.protect, true, cluster.name);
        assert.equal(cluster.options.retainOnDelete, true, cluster.name);
        assert.ok((cluster.inputs.backupRetentionPeriod as number) >= 14);
        assert.equal(cluster.inputs.copyTagsToSnapshot, true);
      }
    });

    it("keeps the master password in our own KMS-encrypted secret, written once (RDS cannot manage it in a global database)", async () => {
      const q = await stack("prod");
      const primary = q.named(CLUSTER, "data-aurora-primary");
      assert.equal(primary.inputs.manageMasterUserPassword, undefined);
      assert.equal(primary.inputs.masterPasswordWo, "[secret]");
      assert.equal(primary.inputs.masterPasswordWoVersion, 1);
      const secret = q.named("aws:secretsmanager/secret:Secret", "data-aurora-master");
      assert.equal(q.byIdOrArn(secret.inputs.kmsKeyId)?.type, KEY);
      const version = q.named("aws:secretsmanager/secretVersion:SecretVersion", "data-aurora-master");
      assert.equal(version.inputs.secretStringWo, "[secret]");
      assert.equal(q.graph.outputs.databaseSecretArn, secret.arn);
    });

    it("places both clusters in isolated subnets behind the db security group of their region", async () => {
      const q = await stack("prod");
      for (const [clusterName, networkName] of [["data-aurora-primary", "network"], ["data-aurora-secondary", "network-secondary"]]) {
        const cluster = q.named(CLUSTER, clusterName);
        const vpc = q.named("awsx:ec2:Vpc", `${networkName}-vpc`);
        const subnets = q.ofType("aws:rds/subnetGroup:SubnetGroup", (g) => g.name === clusterName)[0];
        assert.deepEqual(subnets.inputs.subnetIds, vpc.outputs!.isolatedSubnetIds);
        const [sg] = cluster.inputs.vpcSecurityGroupIds as string[];
        assert.equal((q.byIdOrArn(sg)?.inputs.tags as Record<string, string>).tier, "db");
        assert.equal(q.byIdOrArn(sg)?.parent, q.named("platform:network:Network", networkName).urn);
      }
    });
  });

  describe("RDS Proxy (a global database without a standby region)", () => {
    // A proxy follows its own cluster, so validation refuses it with platform:standby (see config/standby.ts).
    let proxied: Promise<GraphQuery> | undefined;
    const proxiedProd = () => {
      proxied ??= early(async () => {
        const aurora = JSON.parse(loadStackConfig(path.resolve(__dirname, ".."), "prod").config["platform:aurora"]);
        // Prod requires a standby, so this global database without one is a staging-strict copy of prod.
        const result = await evaluateStack({ stack: "prod", overrides: { "platform:environment": "staging", "platform:standby": null, "platform:aurora": { ...aurora, rdsProxy: true } } });
        if (!result.ok) throw new Error(result.message);
        return new GraphQuery(result.graph);
      });
      return proxied;
    };
    void proxiedProd(); // start it while the other specs run

    it("fronts the writer with TLS and IAM auth required, from the private subnets behind the proxy group", async () => {
      const q = await proxiedProd();
      const [proxy] = q.ofType("aws:rds/proxy:Proxy");
      assert.equal(proxy.inputs.engineFamily, "POSTGRESQL");
      assert.equal(proxy.inputs.requireTls, true);
      const [auth] = proxy.inputs.auths as { iamAuth: string; secretArn: string }[];
      assert.equal(auth.iamAuth, "REQUIRED");
      assert.equal(auth.secretArn, q.named("aws:secretsmanager/secret:Secret", "data-aurora-master").arn);
      assert.deepEqual(proxy.inputs.vpcSubnetIds, q.named("awsx:ec2:Vpc", "network-vpc").outputs!.privateSubnetIds);
      const [sg] = proxy.inputs.vpcSecurityGroupIds as string[];
      assert.equal((q.byIdOrArn(sg)?.inputs.tags as Record<string, string>).tier, "proxy");
      const [target] = q.ofType("aws:rds/proxyTarget:ProxyTarget");
      assert.equal(target.inputs.dbClusterIdentifier, q.named(CLUSTER, "data-aurora-primary").id);
    });

    it("reads only the master secret, and decrypts only through Secrets Manager", async () => {
      const q = await proxiedProd();
      const [proxy] = q.ofType("aws:rds/proxy:Proxy");
      const role = q.byIdOrArn(proxy.inputs.roleArn)!;
      const policy = q.ofType("aws:iam/rolePolicy:RolePolicy", (p) => p.inputs.role === role.id)[0];
      const [read, decrypt] = JSON.parse(String(policy.inputs.policy)).Statement;
      assert.deepEqual([read.Action, read.Resource], ["secretsmanager:GetSecretValue", q.named("aws:secretsmanager/secret:Secret", "data-aurora-master").arn]);
      assert.deepEqual([decrypt.Action, decrypt.Resource], ["kms:Decrypt", q.named(KEY, "data-primary").arn]);
      assert.deepEqual(decrypt.Condition, { StringEquals: { "kms:ViaService": "secretsmanager.us-east-1.amazonaws.com" } });
    });

    it("is off in dev: no proxy and no proxy security group", async () => {
      const q = await stack("dev");
      assert.equal(q.ofType("aws:rds/proxy:Proxy").length, 0);
      assert.equal(q.ofType("aws:ec2/securityGroup:SecurityGroup", (g) => (g.inputs.tags as Record<string, string>).tier === "proxy").length, 0);
    });
  });

  describe("dev", () => {
    it("runs one unprotected Serverless v2 instance, no global cluster, no secondary", async () => {
      const q = await stack("dev");
      assert.equal(q.ofType(GLOBAL).length, 0);
      const clusters = q.ofType(CLUSTER);
      assert.deepEqual(clusters.map((c) => c.name), ["data-aurora-primary"]);
      const [cluster] = clusters;
      assert.deepEqual(cluster.inputs.serverlessv2ScalingConfiguration, { minCapacity: 0.5, maxCapacity: 4 });
      assert.equal(cluster.inputs.deletionProtection, false);
      assert.equal(cluster.inputs.skipFinalSnapshot, true);
      assert.equal(cluster.options.protect, false);
      const instances = q.ofType(INSTANCE);
      assert.equal(instances.length, 1);
      assert.equal(instances[0].inputs.instanceClass, "db.serverless");
      assert.equal(q.ofType("pulumi:providers:aws").length, 1);
    });

    it("lets RDS manage the master password in Secrets Manager with our key", async () => {
      const q = await stack("dev");
      const cluster = q.named(CLUSTER, "data-aurora-primary");
      assert.equal(cluster.inputs.manageMasterUserPassword, true);
      assert.equal(q.byIdOrArn(cluster.inputs.masterUserSecretKmsKeyId)?.type, KEY);
      assert.match(String(q.graph.outputs.databaseSecretArn), /^arn:aws:secretsmanager:us-east-1:123456789012:secret:rds!cluster-/);
    });
  });

  describe("config rejections", () => {
    const prod = () => loadStackConfig(path.resolve(__dirname, ".."), "prod").config as Record<string, unknown>;
    const withAurora = (fields: Record<string, unknown>, extra: Record<string, unknown> = {}) => {
      const base = prod();
      return { ...base, ...extra, "platform:aurora": { ...JSON.parse(String(base["platform:aurora"])), ...fields } };
    };
    const rejects = (config: Record<string, unknown>, key: string, message: RegExp) => {
      const r = validateConfig(config);
      assert.equal(r.ok, false, `expected a rejection on ${key}`);
      if (!r.ok) assert.ok(r.problems.some((p) => p.key === key && message.test(p.message)), formatProblems(r.problems));
    };

    it("rejects a burstable class with a secondary region", () =>
      rejects(withAurora({ instanceClass: "db.t4g.medium" }), "platform:aurora.instanceClass", /does not support burstable db\.t4g\.medium/));
    it("rejects reader counts out of 0..15", () => {
      rejects(withAurora({ readers: 16 }), "platform:aurora.readers", /from 0 to 15/);
      rejects(withAurora({ secondaryReaders: -1 }), "platform:aurora.secondaryReaders", /from 0 to 15/);
    });
    it("requires writer + 2 readers and a 14-day retention in prod", () => {
      rejects(withAurora({ readers: 1 }), "platform:aurora.readers", /2 or more in prod/);
      rejects(withAurora({ backupRetentionDays: 7 }), "platform:aurora.backupRetentionDays", /14 or more in prod/);
    });
    it("requires an engine version", () => rejects(withAurora({ engineVersion: undefined }), "platform:aurora.engineVersion", /is required/));
    it("rejects an inverted ACU range and a Serverless class without one", () => {
      const dev = loadStackConfig(path.resolve(__dirname, ".."), "dev").config as Record<string, unknown>;
      const aurora = JSON.parse(String(dev["platform:aurora"]));
      rejects({ ...dev, "platform:aurora": { ...aurora, serverless: { minAcu: 8, maxAcu: 4 } } }, "platform:aurora.serverless.minAcu", /at most maxAcu/);
      rejects({ ...dev, "platform:aurora": { ...aurora, serverless: undefined } }, "platform:aurora.serverless", /is required with instanceClass db.serverless/);
    });
    it("rejects a maintenance window that overlaps the backup window, across midnight too", () => {
      rejects(withAurora({ backupWindow: "03:00-04:00", maintenanceWindow: "wed:03:30-wed:04:30" }), "platform:aurora.maintenanceWindow", /does not overlap/);
      rejects(withAurora({ backupWindow: "23:30-00:30", maintenanceWindow: "mon:00:00-mon:01:00" }), "platform:aurora.maintenanceWindow", /does not overlap/);
      assert.ok(validateConfig(withAurora({ backupWindow: "03:00-04:00", maintenanceWindow: "sun:04:00-sun:05:00" })).ok);
    });
  });
});
