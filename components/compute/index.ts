import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { awsContext, serviceTrustPolicy } from "../lib/aws";
import { customerKey, logsKeyStatement } from "../lib/kms";
import { ecsCluster } from "./cluster";
import { JobProcessor, eventBus, workQueue } from "./jobs";
import { loadBalancer } from "./loadBalancer";
import { Migrations } from "./migrations";
import { DeployTargets } from "./delivery";
import { imageRepositories } from "./registries";
import { routes } from "./routing";
import { Schedules } from "./schedules";
import { Service } from "./service";
import { TaskPlatform } from "./task";
import { ComputeArgs, QueueOutputs, ServiceLogGroup, ServiceOutputs } from "./args";
import { withComputeDefaults } from "./defaults";
import { albAccessLogsBucket } from "./accessLogs";
import { checkComputeArgs } from "./validate";

export { TEST_LISTENER_PORT } from "./loadBalancer";
export { ALB_ACCESS_LOG_DAYS } from "./accessLogs";
export { TLS_POLICY } from "./loadBalancer";
export { backlogSteps } from "./jobs";
export { GATE_RUNTIME, gateBundle } from "./migrations";
export { CATCH_ALL_PRIORITY, routes } from "./routing";
export { DELIVERY_DEFAULTS, Delivery, DeliveryArgs, DeployTargets } from "./delivery";
export * from "./types";
export * from "./args";
export * from "./defaults";
export * from "./validate";

/**
 * The application platform: ECS cluster, ALB with path routing, one blue/green service per
 * config entry gated by the migration task, queues with job processors, the event bus,
 * schedules and image registries. Account-wide delivery (CodeArtifact, GitHub Actions access) is
 * `Delivery`, built once for all regions.
 */
export class Compute extends pulumi.ComponentResource {
  readonly clusterName: pulumi.Output<string>;
  readonly clusterArn: pulumi.Output<string>;
  readonly albDnsName: pulumi.Output<string>;
  readonly albZoneId: pulumi.Output<string>;
  readonly albArnSuffix: pulumi.Output<string>;
  readonly services: ServiceOutputs[];
  readonly queues: QueueOutputs[];
  readonly eventBusName: pulumi.Output<string>;
  readonly scheduleGroupName?: pulumi.Output<string>;
  /** The role EventBridge Scheduler runs tasks with (passed again when a schedule is updated). */
  readonly schedulerRoleArn?: pulumi.Output<string>;
  readonly schedulesDeadLetterQueueName?: pulumi.Output<string>;
  readonly repositoryUrls: Record<string, pulumi.Output<string>>;
  readonly migrationTaskFamily: pulumi.Output<string>;
  readonly migrationGateLogGroupName: pulumi.Output<string>;
  /** Every log group code on the platform writes to, by the service it belongs to (for log shipping). */
  readonly logGroups: ServiceLogGroup[];
  /** The region's customer key (task logs, queues, registries); Delivery encrypts CodeArtifact with the primary's. */
  readonly kmsKeyArn: pulumi.Output<string>;
  /** What application pipelines deploy here (for Delivery's roles). */
  readonly deployTargets: DeployTargets;

  constructor(name: string, args: ComputeArgs, opts?: pulumi.ComponentResourceOptions) {
    super("platform:compute:Compute", name, {}, opts);
    checkComputeArgs(`Compute ${name}`, args);
    const resolved = withComputeDefaults(args);
    const parent = { parent: this };
    const ctx = awsContext(this);
    const { settings, prefix } = resolved;

    const key = customerKey(
      `${name}-key`,
      {
        description: `${prefix}: task logs, queues, event bus, registries, ECS Exec`,
        ctx,
        statements: [
          logsKeyStatement(ctx),
          {
            sid: "EventBridgeEncrypt",
            effect: "Allow",
            principals: [{ type: "Service", identifiers: ["events.amazonaws.com"] }],
            actions: ["kms:GenerateDataKey", "kms:Decrypt", "kms:DescribeKey"],
            resources: ["*"],
            conditions: [{ test: "StringEquals", variable: "aws:SourceAccount", values: [ctx.accountId] }],
          },
        ],
      },
      { parent: this, protect: resolved.protect },
    );

    const cluster = ecsCluster(this, prefix, { capacity: settings.capacity, kmsKeyArn: key.arn, logRetentionDays: settings.logRetentionDays });
    const lb = loadBalancer(this, prefix, {
      publicSubnetIds: resolved.network.publicSubnetIds,
      securityGroupId: resolved.network.albSecurityGroupId,
      certificateArn: resolved.certificateArn,
      accessLogsBucket: resolved.accessLogsBucket ?? albAccessLogsBucket(this, `${name}-alb-access-logs`, resolved.protect),
      deletionProtection: resolved.protect,
    });

    const images = [
      ...resolved.services.map((s) => s.image ?? s.name),
      ...resolved.queues.map((q) => q.processor.image),
      settings.migrations.image,
    ];
    const repositories = imageRepositories(this, prefix, images, { kmsKeyArn: key.arn, keep: settings.keepImages, protect: resolved.protect });

    const bus = eventBus(this, prefix, key.arn);
    const queues = resolved.queues.map((spec) => workQueue(this, prefix, spec, { kmsKeyArn: key.arn, bus, ctx }));

    const platform: TaskPlatform = {
      ctx,
      clusterName: cluster.cluster.name,
      secretArns: resolved.secrets.arns,
      secretKeyArns: resolved.secrets.kmsKeyArns,
      kmsKeyArn: key.arn,
      logRetentionDays: settings.logRetentionDays,
      queues: Object.fromEntries(queues.map((q) => [q.spec.name, { arn: q.queue.arn, url: q.queue.url }])),
      eventBus: { arn: bus.arn, name: bus.name },
      environment: {
        DATABASE_HOST: pulumi.output(resolved.endpoints.databaseHost),
        DATABASE_READER_HOST: pulumi.output(resolved.endpoints.databaseReaderHost),
        DATABASE_PORT: pulumi.output(resolved.endpoints.databasePort).apply(String),
        DATABASE_NAME: resolved.endpoints.databaseName,
        REDIS_HOST: pulumi.output(resolved.endpoints.redisHost),
        EVENT_BUS_NAME: bus.name,
        PLATFORM_ENVIRONMENT: resolved.environment,
      },
      exec: { logGroupArn: cluster.execLogGroup.arn },
    };
    const placement = { cluster, subnetIds: resolved.network.privateSubnetIds, securityGroupId: resolved.network.appSecurityGroupId };

    const migrations = new Migrations(
      `${name}-migrations`,
      {
        ...settings.migrations,
        repository: repositories[settings.migrations.image],
        imageTag: settings.imageTag,
        platform,
        ...placement,
        logRetentionDays: settings.logRetentionDays,
        kmsKeyArn: key.arn,
        ctx,
      },
      parent,
    );

    // Lets ECS move target groups and listener rules during blue/green deployments.
    const infrastructureRole = new aws.iam.Role(`${name}-ecs-infrastructure`, { assumeRolePolicy: serviceTrustPolicy(this, "ecs.amazonaws.com", ctx) }, parent);
    new aws.iam.RolePolicyAttachment(
      `${name}-ecs-infrastructure`,
      { role: infrastructureRole.name, policyArn: pulumi.interpolate`arn:${ctx.partition}:iam::aws:policy/AmazonECSInfrastructureRolePolicyForLoadBalancers` },
      parent,
    );

    const byService = new Map(routes(resolved.services).map((r) => [r.service, r]));
    const services = resolved.services.map((spec) => {
      const active = spec.scaling ?? settings.scaling;
      const bounds = { ...active, minTasks: resolved.serviceMinTasks?.[spec.name] ?? active.minTasks };
      return new Service(
        `${name}-${spec.name}`,
        {
          spec,
          platform,
          repository: repositories[spec.image ?? spec.name],
          imageTag: settings.imageTag,
          cluster,
          vpcId: resolved.network.vpcId,
          subnetIds: placement.subnetIds,
          securityGroupId: placement.securityGroupId,
          route: byService.get(spec.name)!,
          listeners: { productionArn: lb.https.arn, testArn: lb.test.arn },
          loadBalancerArnSuffix: lb.alb.arnSuffix,
          infrastructureRoleArn: infrastructureRole.arn,
          bakeTimeMinutes: settings.bakeTimeMinutes,
          minTasks: bounds.minTasks,
          maxTasks: bounds.maxTasks,
          exec: settings.exec,
          migrationGate: spec.migrationGate && resolved.runMigrations ? { functionArn: migrations.gate.arn, roleArn: migrations.hookRole.arn } : undefined,
          tags: resolved.serviceTags,
        },
        parent,
      );
    });

    const processors = queues.map(
      (queue) =>
        new JobProcessor(
          `${name}-${queue.spec.name}-worker`,
          {
            queue,
            platform,
            repository: repositories[queue.spec.processor.image],
            imageTag: settings.imageTag,
            ...placement,
            bounds: resolved.processors === "scaledToZero" ? { min: 0, max: 0 } : undefined,
          },
          parent,
        ),
    );

    let schedules: Schedules | undefined;
    if (resolved.schedules.length) {
      schedules = new Schedules(
        `${prefix}-schedules`,
        {
          schedules: resolved.schedules,
          tasks: Object.fromEntries(resolved.services.map((spec, i) => [spec.name, { task: services[i].task, container: spec.name }])),
          ...placement,
          kmsKeyArn: key.arn,
          ctx,
          state: resolved.schedulesState,
        },
        parent,
      );
    }
    if (resolved.replicateImagesTo?.length) {
      // One registry-wide rule: every image pushed here is copied to the standby's repositories of
      // the same name (created there by that region's Compute, immutable and KMS-encrypted).
      // https://docs.aws.amazon.com/AmazonECR/latest/userguide/replication.html
      new aws.ecr.ReplicationConfiguration(
        `${name}-image-replication`,
        { replicationConfiguration: { rules: [{ destinations: resolved.replicateImagesTo.map((region) => ({ region, registryId: ctx.accountId })) }] } },
        parent,
      );
    }

    this.clusterName = cluster.cluster.name;
    this.clusterArn = cluster.cluster.arn;
    this.albDnsName = lb.alb.dnsName;
    this.albZoneId = lb.alb.zoneId;
    this.albArnSuffix = lb.alb.arnSuffix;
    this.services = resolved.services.map((spec, i) => ({
      name: spec.name,
      public: true,
      serviceName: services[i].service.name,
      logGroupName: services[i].task.logGroup.name,
      targetGroupArnSuffixes: [services[i].targetGroups.blue.arnSuffix, services[i].targetGroups.green.arnSuffix],
    }));
    this.queues = queues.map((q, i) => ({
      name: q.spec.name,
      queueName: q.queue.name,
      queueArn: q.queue.arn,
      deadLetterQueueName: q.deadLetter.name,
      deadLetterQueueArn: q.deadLetter.arn,
      processorServiceName: processors[i].service.name,
      logGroupName: processors[i].task.logGroup.name,
    }));
    this.eventBusName = bus.name;
    this.scheduleGroupName = schedules?.group.name;
    this.schedulerRoleArn = schedules?.role.arn;
    this.schedulesDeadLetterQueueName = schedules?.deadLetter.name;
    this.repositoryUrls = Object.fromEntries(Object.entries(repositories).map(([image, r]) => [image, r.url]));
    this.migrationTaskFamily = migrations.task.definition.family;
    this.migrationGateLogGroupName = migrations.gate.loggingConfig.apply((c) => c.logGroup ?? "");
    this.logGroups = [
      ...this.services.map((s) => ({ service: s.name, name: s.logGroupName })),
      ...this.queues.map((q) => ({ service: `${q.name}-processor`, name: q.logGroupName })),
      { service: "migrations", name: migrations.task.logGroup.name },
      { service: "migration-gate", name: this.migrationGateLogGroupName },
      { service: "ecs-exec", name: cluster.execLogGroup.name },
    ];
    this.kmsKeyArn = key.arn;
    this.deployTargets = {
      region: ctx.region,
      clusterArn: cluster.cluster.arn,
      clusterName: cluster.cluster.name,
      repositoryArns: Object.values(repositories).map((r) => r.arn),
      taskRoleArns: [...services.map((s) => s.task), ...processors.map((p) => p.task), migrations.task].flatMap((t) => [t.executionRole.arn, t.taskRole.arn]),
      runnableFamilyArns: [migrations.task.familyArn],
    };
    this.registerOutputs({ clusterName: this.clusterName, albDnsName: this.albDnsName, eventBusName: this.eventBusName });
  }
}
