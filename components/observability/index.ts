import * as datadog from "@pulumi/datadog";
import * as pulumi from "@pulumi/pulumi";
import { DATADOG_SITES, ObservabilitySettings, datadogLogIntakeUrl } from "./settings";
import { awsContext } from "../lib/aws";
import { customerKey, logsKeyStatement } from "../lib/kms";
import { LastResortAlarms } from "./alarms";
import { dashboardDefinition } from "./dashboard";
import { DatadogIntegration } from "./integration";
import { LogShipping } from "./logs";
import { MonitorSpec, monitorSpecs, standbyMonitorSpecs } from "./monitors";
import { Routing, datadogPriority, notificationMessage } from "./routing";
import { BURN_RATES, availabilityQuery, burnRateQuery, sloWarning } from "./slos";
import { ManagedSecrets, ObservabilityArgs } from "./args";

export { monitorSpecs } from "./monitors";
export { splitPermissions } from "./integration";
export { MANAGED_POLICY_LIMIT } from "./integration";
export { DATADOG_METRICS, metricsInQuery } from "./metricCatalog";
export * from "./settings";
export type { WatchedStack } from "./types";
export * from "./args";

/**
 * Datadog watching the platform, and CloudWatch behind it: the AWS integration, logs through
 * Firehose, monitors and SLOs generated from the stack's content, one dashboard, paging through
 * Opsgenie in prod, and last-resort CloudWatch alarms that page without Datadog.
 * Takes providers for AWS (primary) and Datadog from its options.
 */
export class Observability extends pulumi.ComponentResource {
  /** Monitor resource name suffix -> Datadog monitor id. */
  readonly monitorIds: Record<string, pulumi.Output<string>>;
  readonly dashboardUrl: pulumi.Output<string>;
  readonly logStreamName: pulumi.Output<string>;
  /** Secrets whose values this component writes, and the key they are encrypted with (a refresh reads them). */
  readonly managedSecrets: ManagedSecrets;

  constructor(name: string, args: ObservabilityArgs, opts?: pulumi.ComponentResourceOptions) {
    super("platform:observability:Observability", name, {}, opts);
    const o = { parent: this };
    const ctx = awsContext(this);
    const { settings, environment } = args;
    // Names carry the stack (tags keep the environment): two stacks never share a name.
    const label = args.stackName ?? environment;
    const baseTags = [`env:${environment}`, "team:platform", "managed-by:pulumi"];
    const secondary = args.stack.aurora.secondary;
    if (secondary && !args.secondaryProvider) throw new Error(`${name}: stack.aurora.secondary needs secondaryProvider (its alarm lives in ${secondary.region})`);

    if (settings.datadog.awsIntegration ?? true) new DatadogIntegration(
      `${name}-datadog`,
      {
        roleName: `${args.prefix}-datadog-integration`,
        datadogAwsAccount: DATADOG_SITES[settings.datadog.site].awsAccount,
        regions: [args.region, ...(secondary ? [secondary.region] : [])],
        namespaces: settings.datadog.namespaces,
        tagFilters: settings.datadog.tagFilters,
        accountTags: [`env:${environment}`],
      },
      o,
    );

    const key = customerKey(`${name}-logs`, { description: `${name}: log shipping to Datadog`, ctx, statements: [logsKeyStatement(ctx)] }, { ...o, protect: args.protect });
    const logs = new LogShipping(
      `${name}-logs`,
      {
        intakeUrl: datadogLogIntakeUrl(settings.datadog.site),
        apiKey: args.credentials.datadogApiKey,
        logGroups: args.logGroups,
        backupBucketArn: args.logBackup.bucketArn,
        backupKmsKeyArn: args.logBackup.kmsKeyArn,
        kmsKeyArn: key.arn,
        logRetentionDays: args.logRetentionDays,
        attributes: { env: environment, source: "aws" },
      },
      o,
    );

    // The standby region ships its own logs (a subscription filter reaches only a stream of its region).
    const standbyLogs = args.standby && this.standbyLogShipping(name, args, args.standby, settings);

    const routing: Routing = { channel: settings.paging.channel };
    // Monitors name the Opsgenie handle, which Datadog accepts once the service object exists.
    const afterPaging: pulumi.Resource[] = [];
    if (settings.paging.opsgenie) {
      if (!args.credentials.opsgenieApiKey) throw new Error(`${name}: paging.opsgenie is set but no Opsgenie API key was given`);
      afterPaging.push(
        new datadog.opsgenie.ServiceObject(
          `${name}-opsgenie`,
          { name: settings.paging.opsgenie.service, region: settings.paging.opsgenie.region, opsgenieApiKey: args.credentials.opsgenieApiKey },
          o,
        ),
      );
      routing.page = `@opsgenie-${settings.paging.opsgenie.service}`;
    }

    const monitor = (spec: MonitorSpec, type: string, region = args.region) =>
      new datadog.Monitor(
        `${name}-${spec.key}`,
        {
          name: `[${label}] ${spec.title}`,
          type,
          query: spec.query,
          message: notificationMessage({ title: spec.title, environment: label, priority: spec.priority, hint: spec.hint, routing }),
          priority: datadogPriority(spec.priority),
          tags: [...baseTags, `service:${spec.service}`, `signal:${spec.signal}`, `region:${region}`],
          monitorThresholds: {
            critical: String(spec.thresholds.critical),
            ...(spec.thresholds.warning !== undefined ? { warning: String(spec.thresholds.warning) } : {}),
            ...(spec.thresholds.criticalRecovery !== undefined ? { criticalRecovery: String(spec.thresholds.criticalRecovery) } : {}),
            ...(spec.thresholds.warningRecovery !== undefined ? { warningRecovery: String(spec.thresholds.warningRecovery) } : {}),
          },
          ...(spec.windows ? { monitorThresholdWindows: { triggerWindow: spec.windows.trigger, recoveryWindow: spec.windows.recovery } } : {}),
          ...(spec.noDataMinutes ? { notifyNoData: true, noDataTimeframe: spec.noDataMinutes } : { notifyNoData: false }),
          // CloudWatch metrics arrive in Datadog minutes late: evaluate complete data only.
          evaluationDelay: type === "query alert" ? 900 : undefined,
          requireFullWindow: false,
          includeTags: true,
          renotifyInterval: spec.priority <= 2 ? 60 : 0,
        },
        { ...o, dependsOn: afterPaging },
      );

    const monitorIds: Record<string, pulumi.Output<string>> = {};
    for (const spec of monitorSpecs(args.stack, settings.thresholds)) monitorIds[spec.key] = monitor(spec, "query alert").id;
    if (args.standby) {
      for (const spec of standbyMonitorSpecs(args.standby.stack, settings.thresholds)) monitorIds[spec.key] = monitor(spec, "query alert", args.standby.stack.region).id;
    }

    const slos = args.stack.services
      .filter((s) => s.public)
      .map((s) => {
        const target = settings.slo.overrides[s.name] ?? settings.slo.target;
        const slo = new datadog.ServiceLevelObjective(
          `${name}-${s.name}-availability`,
          {
            name: `[${label}] ${s.name} availability`,
            description: `Share of ${s.name}'s requests its tasks did not answer with a 5xx, at the ALB.`,
            type: "metric",
            query: availabilityQuery(s.targetGroupArnSuffixes),
            thresholds: [{ timeframe: settings.slo.timeframe, target, warning: sloWarning(target) }],
            timeframe: settings.slo.timeframe,
            targetThreshold: target,
            warningThreshold: sloWarning(target),
            tags: [...baseTags, `service:${s.name}`],
          },
          o,
        );
        for (const b of BURN_RATES) {
          const spec: MonitorSpec = {
            key: `${s.name}-slo-${b.key}`,
            title: `${s.name}: availability error budget burning ${b.rate}x too fast`,
            service: s.name,
            signal: "slo",
            query: burnRateQuery(slo.id, settings.slo.timeframe, b),
            priority: b.priority,
            thresholds: { critical: b.rate },
            hint: `the ${s.name} 5xx-rate monitor and the service's dashboard group`,
          };
          monitorIds[spec.key] = monitor(spec, "slo alert").id;
        }
        return { service: s.name, id: slo.id };
      });

    const dashboard = new datadog.DashboardJson(
      `${name}-dashboard`,
      {
        dashboard: pulumi
          .output({
            title: `${args.prefix} (${label})`,
            albArnSuffix: args.stack.albArnSuffix,
            clusterName: args.stack.clusterName,
            services: args.stack.services.map((s) => ({ name: s.name, serviceName: s.serviceName, targetGroups: s.targetGroupArnSuffixes })),
            queues: args.stack.queues.map((q) => ({ name: q.name, queueName: q.queueName, deadLetterQueueName: q.deadLetterQueueName, processorServiceName: q.processorServiceName })),
            aurora: { region: args.region, clusterIdentifier: args.stack.aurora.clusterIdentifier, secondary },
            redis: args.stack.redis,
            slos,
            region: args.region,
            standby: args.standby && {
              region: args.standby.stack.region,
              albArnSuffix: args.standby.stack.albArnSuffix,
              clusterName: args.standby.stack.clusterName,
              services: args.standby.stack.services.map((s) => ({ name: s.name, serviceName: s.serviceName })),
              redis: args.standby.stack.redis,
            },
          })
          .apply((content) => JSON.stringify(dashboardDefinition(content))),
      },
      o,
    );

    new LastResortAlarms(
      `${name}-alarms`,
      {
        // Only a paging environment subscribes the pager: dev alarms stay in CloudWatch.
        endpoint: settings.paging.opsgenie ? args.credentials.opsgenieCloudwatchEndpoint : undefined,
        protect: args.protect,
        albArnSuffix: args.stack.albArnSuffix,
        albFiveXxPerFiveMinutes: 100,
        deadLetterQueues: [
          ...args.stack.queues.map((q) => ({ name: q.name, queueName: q.deadLetterQueueName })),
          ...(args.stack.schedulesDeadLetterQueueName ? [{ name: "schedules", queueName: args.stack.schedulesDeadLetterQueueName }] : []),
        ],
        secondary: secondary && {
          provider: args.secondaryProvider!,
          clusterIdentifier: secondary.clusterIdentifier,
          standby: args.standby && {
            albArnSuffix: args.standby.stack.albArnSuffix,
            deadLetterQueues: [
              ...args.standby.stack.queues.map((q) => ({ name: q.name, queueName: q.deadLetterQueueName })),
              ...(args.standby.stack.schedulesDeadLetterQueueName ? [{ name: "schedules", queueName: args.standby.stack.schedulesDeadLetterQueueName }] : []),
            ],
          },
        },
      },
      o,
    );

    this.monitorIds = monitorIds;
    this.dashboardUrl = dashboard.url.apply((u) => u ?? "");
    this.logStreamName = logs.streamName;
    this.managedSecrets = {
      secretArns: [logs.apiKeySecretArn, ...(standbyLogs ? [standbyLogs.logs.apiKeySecretArn] : [])],
      kmsKeyArns: [key.arn, ...(standbyLogs ? [standbyLogs.key.arn] : [])],
    };
    this.registerOutputs({ dashboardUrl: this.dashboardUrl, logStreamName: this.logStreamName });
  }

  private standbyLogShipping(name: string, args: ObservabilityArgs, standby: NonNullable<ObservabilityArgs["standby"]>, settings: ObservabilitySettings) {
    if (!args.secondaryProvider) throw new Error(`${name}: standby needs secondaryProvider (its logs are shipped from its region)`);
    const o = { parent: this, provider: args.secondaryProvider };
    const ctx = awsContext(this, args.secondaryProvider);
    const key = customerKey(`${name}-logs-secondary`, { description: `${name}: log shipping to Datadog (standby region)`, ctx, statements: [logsKeyStatement(ctx)] }, { ...o, protect: args.protect });
    const logs = new LogShipping(
      `${name}-logs-secondary`,
      {
        intakeUrl: datadogLogIntakeUrl(settings.datadog.site),
        apiKey: args.credentials.datadogApiKey,
        logGroups: standby.logGroups,
        backupBucketArn: standby.logBackup.bucketArn,
        backupKmsKeyArn: standby.logBackup.kmsKeyArn,
        kmsKeyArn: key.arn,
        logRetentionDays: args.logRetentionDays,
        attributes: { env: args.environment, source: "aws", region: standby.stack.region },
      },
      { parent: this, providers: [args.secondaryProvider] },
    );
    return { key, logs };
  }
}
