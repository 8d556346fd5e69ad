import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { policyDocument, serviceTrustPolicy } from "../lib/aws";
import { rotatedBy } from "../lib/rotation";
import { AuroraGlobalArgs, AuroraPlacement } from "./auroraArgs";
import { ArgsProblems } from "../lib/validate";
import { ResolvedAuroraArgs, auroraProblems, withAuroraDefaults } from "./defaults";

export * from "./auroraArgs";

/**
 * Aurora PostgreSQL: a Global Database with a writer + readers in the primary region and a
 * read-only secondary cluster in another region, or a single regional cluster. Encrypted with
 * customer keys, TLS forced, IAM auth on, logs exported, backups and protection per args.
 */
export class AuroraGlobal extends pulumi.ComponentResource {
  readonly writerEndpoint: pulumi.Output<string>;
  readonly readerEndpoint: pulumi.Output<string>;
  readonly secondaryReaderEndpoint?: pulumi.Output<string>;
  readonly port: pulumi.Output<number>;
  /** ARN of the Secrets Manager secret holding the master credentials. */
  readonly masterSecretArn: pulumi.Output<string>;
  readonly globalClusterId?: pulumi.Output<string>;
  /**
   * The global database's writer endpoint: it always resolves to the current primary cluster's
   * writer, so services that use it follow a switchover or failover with no redeploy
   * (https://docs.aws.amazon.com/AmazonRDS/latest/AuroraUserGuide/aurora-global-database-connecting.html).
   */
  readonly globalWriterEndpoint?: pulumi.Output<string>;
  /** Endpoint of the RDS Proxy, when there is one. */
  readonly proxyEndpoint?: pulumi.Output<string>;
  readonly clusterIdentifier: pulumi.Output<string>;
  /** Identifier of the secondary-region cluster (it reports the global RPO lag). */
  readonly secondaryClusterIdentifier?: pulumi.Output<string>;
  /** ARN of the secondary-region cluster (the failover's target). */
  readonly secondaryClusterArn?: pulumi.Output<string>;
  readonly clusterArn: pulumi.Output<string>;
  /**
   * IAM actions the data sources this component calls need at plan time beyond ReadOnlyAccess
   * (a preview runs them with the preview role): `secretsmanager:GetRandomPassword` for a global
   * database's generated master password, else none.
   */
  readonly planTimeActions: string[];

  constructor(name: string, args: AuroraGlobalArgs, opts?: pulumi.ComponentResourceOptions) {
    super("platform:data:AuroraGlobal", name, {}, opts);
    const problems = new ArgsProblems(`AuroraGlobal ${name}`);
    auroraProblems(problems, "", args);
    problems.throwIfAny();
    const resolved = withAuroraDefaults(args);
    const family = `aurora-postgresql${resolved.engineVersion.split(".")[0]}`;
    const stateful: pulumi.CustomResourceOptions = { parent: this, protect: resolved.protect, retainOnDelete: resolved.protect };

    const monitoringRole =
      resolved.monitoringIntervalSeconds > 0
        ? new aws.iam.Role(
            `${name}-monitoring`,
            {
              assumeRolePolicy: serviceTrustPolicy(this, "monitoring.rds.amazonaws.com", resolved.ctx),
              managedPolicyArns: [pulumi.interpolate`arn:${resolved.ctx.partition}:iam::aws:policy/service-role/AmazonRDSEnhancedMonitoringRole`],
            },
            { parent: this },
          )
        : undefined;

    const global = resolved.secondary
      ? new aws.rds.GlobalCluster(
          `${name}-global`,
          {
            globalClusterIdentifier: `${pulumi.getProject()}-${pulumi.getStack()}`,
            engine: "aurora-postgresql",
            engineVersion: resolved.engineVersion,
            databaseName: resolved.databaseName,
            storageEncrypted: true,
            deletionProtection: resolved.protect,
          },
          stateful,
        )
      : undefined;

    // RDS cannot manage the master password of a cluster in a global database, so that case keeps
    // its own secret: a generated password written once (write-only, never read back), rotated by
    // bumping masterPasswordVersion below. GetRandomPassword runs on every preview and up (a data
    // source), which keeps the password out of the state; ReadOnlyAccess does not grant it
    // (planTimeActions), and each run's new value changes nothing while the version stays.
    const masterPasswordVersion = 1;
    let masterSecretArn: pulumi.Output<string> | undefined;
    let password: pulumi.Output<string> | undefined;
    this.planTimeActions = global ? ["secretsmanager:GetRandomPassword"] : [];
    if (global) {
      const secret = new aws.secretsmanager.Secret(
        `${name}-master`,
        {
          description: `Master credentials of the ${name} Aurora global database`,
          kmsKeyId: resolved.primary.kmsKeyArn,
          recoveryWindowInDays: 30,
          replicas: resolved.masterSecretReplica ? [resolved.masterSecretReplica] : undefined,
          // No rotation Lambda: a new password would reach the secret but not masterPasswordWo, and the next up would set the old one back.
          tags: rotatedBy("deployment: bump masterPasswordVersion in components/data/aurora.ts - docs/runbooks/rotate-secrets.md"),
        },
        stateful,
      );
      password = pulumi.secret(
        aws.secretsmanager.getRandomPasswordOutput({ passwordLength: 40, excludePunctuation: true }, { parent: this }).randomPassword,
      );
      new aws.secretsmanager.SecretVersion(
        `${name}-master`,
        {
          secretId: secret.id,
          secretStringWo: pulumi.jsonStringify({ username: resolved.masterUsername, password }),
          secretStringWoVersion: masterPasswordVersion,
        },
        { parent: this },
      );
      masterSecretArn = secret.arn;
    }

    const regional = (region: "primary" | "secondary", placement: AuroraPlacement, provider?: aws.Provider) => {
      const o: pulumi.CustomResourceOptions = { parent: this, ...(provider ? { provider } : {}) };
      const subnetGroup = new aws.rds.SubnetGroup(`${name}-${region}`, { subnetIds: placement.subnetIds, description: `${name} ${region} isolated subnets` }, o);
      const parameters = new aws.rds.ClusterParameterGroup(
        `${name}-${region}`,
        {
          family,
          description: `${name}: TLS only, slow-query and connection logging`,
          parameters: [
            { name: "rds.force_ssl", value: "1" },
            { name: "log_min_duration_statement", value: "1000" },
            // Schema changes (CREATE, ALTER, DROP) go to the log, the audit trail CIS PostgreSQL 3.1.25
            // recommends (https://www.tenable.com/audits/items/CIS_PostgreSQL_15_v1.2.0_L1_OS_Linux_PostgreSQLDB.audit:fe27b5f82dfcf3d41e67ecae5552edb2);
            // "mod"/"all" would log every write or statement with its literal values (customer data,
            // https://www.postgresql.org/docs/current/runtime-config-logging.html#GUC-LOG-STATEMENT).
            // Same in every environment: DDL is rare, so its log volume is negligible. The description
            // is unchanged on purpose: changing it replaces the group.
            { name: "log_statement", value: "ddl" },
            { name: "log_connections", value: "1" },
            { name: "log_disconnections", value: "1" },
            { name: "log_lock_waits", value: "1" },
          ],
        },
        o,
      );
      return { subnetGroup, parameters, o };
    };

    const common = (placement: AuroraPlacement) => ({
      engine: "aurora-postgresql",
      engineVersion: resolved.engineVersion,
      storageEncrypted: true,
      kmsKeyId: placement.kmsKeyArn,
      vpcSecurityGroupIds: placement.securityGroupIds,
      iamDatabaseAuthenticationEnabled: true,
      backupRetentionPeriod: resolved.backupRetentionDays,
      preferredBackupWindow: resolved.backupWindow,
      preferredMaintenanceWindow: resolved.maintenanceWindow,
      copyTagsToSnapshot: true,
      deletionProtection: resolved.protect,
      skipFinalSnapshot: !resolved.protect,
      enabledCloudwatchLogsExports: ["postgresql"],
      ...(resolved.serverless ? { serverlessv2ScalingConfiguration: { minCapacity: resolved.serverless.minAcu, maxCapacity: resolved.serverless.maxAcu } } : {}),
    });

    const primary = regional("primary", resolved.primary);
    const cluster = new aws.rds.Cluster(
      `${name}-primary`,
      {
        ...common(resolved.primary),
        globalClusterIdentifier: global?.id,
        databaseName: resolved.databaseName,
        masterUsername: resolved.masterUsername,
        ...(password
          ? { masterPasswordWo: password, masterPasswordWoVersion: masterPasswordVersion }
          : { manageMasterUserPassword: true, masterUserSecretKmsKeyId: resolved.primary.kmsKeyArn }),
        dbSubnetGroupName: primary.subnetGroup.name,
        dbClusterParameterGroupName: primary.parameters.name,
        ...(resolved.protect ? { finalSnapshotIdentifier: `${name}-primary-final` } : {}),
      },
      { ...stateful, ignoreChanges: global ? ["globalClusterIdentifier"] : [] },
    );
    const writer = this.instances(name, "primary", cluster, resolved.primary, 1 + resolved.readers, resolved, primary.o, monitoringRole)[0];

    if (resolved.secondary && global) {
      const s = resolved.secondary;
      const secondary = regional("secondary", s, s.provider);
      // Joins the global cluster as a read-only replica: no master credentials, no database name.
      const replica = new aws.rds.Cluster(
        `${name}-secondary`,
        {
          ...common(s),
          globalClusterIdentifier: global.id,
          dbSubnetGroupName: secondary.subnetGroup.name,
          dbClusterParameterGroupName: secondary.parameters.name,
          ...(resolved.protect ? { finalSnapshotIdentifier: `${name}-secondary-final` } : {}),
        },
        { ...stateful, provider: s.provider, dependsOn: [writer], ignoreChanges: ["replicationSourceIdentifier", "globalClusterIdentifier"] },
      );
      this.instances(name, "secondary", replica, s, s.readers, resolved, secondary.o, monitoringRole, 1);
      this.secondaryReaderEndpoint = replica.readerEndpoint;
      this.secondaryClusterIdentifier = replica.clusterIdentifier;
      this.secondaryClusterArn = replica.arn;
    }

    this.masterSecretArn = masterSecretArn ?? cluster.masterUserSecrets.apply((s) => s[0]?.secretArn ?? "");
    this.writerEndpoint = cluster.endpoint;
    this.readerEndpoint = cluster.readerEndpoint;
    this.port = cluster.port;
    this.clusterIdentifier = cluster.clusterIdentifier;
    this.clusterArn = cluster.arn;
    this.globalClusterId = global?.id;
    this.globalWriterEndpoint = global?.endpoint;
    if (resolved.proxy) this.proxyEndpoint = this.databaseProxy(name, resolved, cluster, resolved.proxy);
    this.registerOutputs({ writerEndpoint: this.writerEndpoint, readerEndpoint: this.readerEndpoint, port: this.port });
  }

  /** RDS Proxy with TLS and IAM auth required, reading the master secret through a scoped role. */
  private databaseProxy(name: string, args: ResolvedAuroraArgs, cluster: aws.rds.Cluster, placement: NonNullable<AuroraGlobalArgs["proxy"]>): pulumi.Output<string> {
    const o = { parent: this };
    const role = new aws.iam.Role(`${name}-proxy`, { assumeRolePolicy: serviceTrustPolicy(this, "rds.amazonaws.com", args.ctx) }, o);
    new aws.iam.RolePolicy(
      `${name}-proxy`,
      {
        role: role.id,
        policy: policyDocument(this, [
          { sid: "ReadMasterSecret", effect: "Allow", actions: ["secretsmanager:GetSecretValue"], resources: [this.masterSecretArn] },
          {
            sid: "DecryptThroughSecretsManager",
            effect: "Allow",
            actions: ["kms:Decrypt"],
            resources: [args.primary.kmsKeyArn],
            conditions: [{ test: "StringEquals", variable: "kms:ViaService", values: [pulumi.interpolate`secretsmanager.${args.ctx.region}.amazonaws.com`] }],
          },
        ]),
      },
      o,
    );
    const proxy = new aws.rds.Proxy(
      `${name}-proxy`,
      {
        engineFamily: "POSTGRESQL",
        requireTls: true,
        idleClientTimeout: 1800,
        roleArn: role.arn,
        vpcSubnetIds: placement.subnetIds,
        vpcSecurityGroupIds: [placement.securityGroupId],
        auths: [{ authScheme: "SECRETS", iamAuth: "REQUIRED", secretArn: this.masterSecretArn, clientPasswordAuthType: "POSTGRES_SCRAM_SHA_256" }],
      },
      o,
    );
    const targets = new aws.rds.ProxyDefaultTargetGroup(
      `${name}-proxy`,
      { dbProxyName: proxy.name, connectionPoolConfig: { maxConnectionsPercent: 90, connectionBorrowTimeout: 120 } },
      o,
    );
    new aws.rds.ProxyTarget(`${name}-proxy`, { dbProxyName: proxy.name, targetGroupName: targets.name, dbClusterIdentifier: cluster.clusterIdentifier }, o);
    return proxy.endpoint;
  }

  /**
   * `count` instances pinned round-robin over the placement's AZs. The first primary instance is
   * the writer (promotion tier 0); readers get tier 1 so a same-region reader is promoted first.
   */
  private instances(
    name: string,
    region: string,
    cluster: aws.rds.Cluster,
    placement: AuroraPlacement,
    count: number,
    args: ResolvedAuroraArgs,
    o: pulumi.CustomResourceOptions,
    monitoringRole: aws.iam.Role | undefined,
    firstTier = 0,
  ): aws.rds.ClusterInstance[] {
    return Array.from({ length: count }, (_, i) => {
      const role = region === "primary" && i === 0 ? "writer" : `reader-${region === "primary" ? i : i + 1}`;
      return new aws.rds.ClusterInstance(
        `${name}-${region}-${role}`,
        {
          clusterIdentifier: cluster.id,
          engine: "aurora-postgresql",
          engineVersion: args.engineVersion,
          instanceClass: args.instanceClass,
          availabilityZone: pulumi.output(placement.availabilityZones).apply((azs) => azs[i % azs.length]),
          promotionTier: i === 0 ? firstTier : 1,
          publiclyAccessible: false,
          // Versions move only through code (platform:aurora.engineVersion, a reviewed PR). With
          // auto upgrades on, AWS would move each cluster in its own maintenance window: the next
          // `up` would then try to downgrade it and nightly drift would flag it, and a global
          // database whose regions differ in minor or patch version cannot switch over or fail
          // over (https://docs.aws.amazon.com/AmazonRDS/latest/AuroraUserGuide/aurora-global-database-upgrade.html).
          autoMinorVersionUpgrade: false,
          caCertIdentifier: "rds-ca-rsa2048-g1",
          performanceInsightsEnabled: true,
          performanceInsightsKmsKeyId: placement.kmsKeyArn,
          performanceInsightsRetentionPeriod: args.performanceInsightsRetentionDays,
          monitoringInterval: args.monitoringIntervalSeconds,
          monitoringRoleArn: monitoringRole?.arn,
        },
        { ...o, protect: args.protect },
      );
    });
  }
}
