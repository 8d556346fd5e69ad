import * as datadog from "@pulumi/datadog";
import * as pulumi from "@pulumi/pulumi";
import { DATADOG_SITES, ResolvedObservabilitySettings, datadogLogIntakeUrl, withSettingsDefaults } from "./settings";
import { Defaulted, withDefaults } from "../lib/defaults";
import { checkObservabilityArgs } from "./validate";
import { awsContext } from "../lib/aws";
import { customerKey, logsKeyStatement } from "../lib/kms";
import { LastResortAlarms } from "./alarms";
import { dashboardDefinition } from "./dashboard";
import { DatadogIntegration } from "./integration";
import { LogShipping } from "./logs";
import { MonitorSpec, essentialMonitorSpecs, monitorSpecs } from "./monitors";
import { Routing, datadogPriority, notificationMessage } from "./routing";
import { BURN_RATES, availabilityQuery, burnRateQuery, sloWarning } from "./slos";
import { ManagedSecrets, OBSERVABILITY_DEFAULTS, OBSERVED_REGION_DEFAULTS, ObservabilityArgs, ObservedRegion } from "./args";

export { monitorSpecs } from "./monitors";
export { splitPermissions } from "./integration";
export { DATADOG_WRITES_LEFT_OUT, MANAGED_POLICY_LIMIT } from "./integration";
export { DATADOG_METRICS, metricsInQuery } from "./metricCatalog";
export * from "./settings";
export type { WatchedStack } from "./types";
export * from "./args";
export { checkObservabilityArgs } from "./validate";

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
    checkObservabilityArgs(`Observability ${name}`, args);
    const resolved = withDefaults(args, OBSERVABILITY_DEFAULTS);
    const o = { parent: this };
    const { environment } = resolved;
    const settings = withSettingsDefaults(args.settings);
    // Names carry the stack (tags keep the environment): two stacks never share a name.
    const label = resolved.stackName ?? environment;
    const baseTags = [`env:${environment}`, "team:platform", "managed-by:pulumi"];
    const [home] = resolved.regions;
    const main = resolved.regions.filter((r) => r.application?.monitors === "all");
    if (main.length !== 1) throw new Error(`${name}: exactly one region must have application.monitors "all", got ${main.length}`);
    const { stack } = main[0].application!;

    if (settings.datadog.awsIntegration) new DatadogIntegration(
      `${name}-datadog`,
      {
        roleName: `${resolved.prefix}-datadog-integration`,
        datadogAwsAccount: DATADOG_SITES[settings.datadog.site].awsAccount,
        regions: resolved.regions.map((r) => r.region),
        namespaces: settings.datadog.namespaces,
        tagFilters: settings.datadog.tagFilters,
        accountTags: [`env:${environment}`],
      },
      o,
    );

    // Each region ships its own logs: a subscription filter reaches only a stream of its region.
    const shipping = resolved.regions.filter((r) => r.application).map((r) => this.logShipping(name, resolved, r, settings, r === home ? undefined : r.provider));
    const logs = shipping[0].logs;

    const routing: Routing = { channel: settings.paging.channel };
    // Monitors name the Opsgenie handle, which Datadog accepts once the service object exists.
    const afterPaging: pulumi.Resource[] = [];
    if (settings.paging.opsgenie) {
      if (!resolved.credentials.opsgenieApiKey) throw new Error(`${name}: paging.opsgenie is set but no Opsgenie API key was given`);
      afterPaging.push(
        new datadog.opsgenie.ServiceObject(
          `${name}-opsgenie`,
          { name: settings.paging.opsgenie.service, region: settings.paging.opsgenie.region, opsgenieApiKey: resolved.credentials.opsgenieApiKey },
          o,
        ),
      );
      routing.page = `@opsgenie-${settings.paging.opsgenie.service}`;
    }

    const monitor = (spec: MonitorSpec, type: string, region = stack.region) =>
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
    for (const r of resolved.regions) {
      if (!r.application) continue;
      const specs = r.application.monitors === "all" ? monitorSpecs(r.application.stack, settings.thresholds) : essentialMonitorSpecs(r.application.stack, settings.thresholds);
      for (const spec of specs) {
        if (monitorIds[spec.key]) throw new Error(`${name}: two regions would create monitor ${spec.key}`);
        monitorIds[spec.key] = monitor(spec, "query alert", r.region).id;
      }
    }

    const slos = stack.services
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

    const others = resolved.regions.filter((r) => r.application?.monitors === "essential");
    const dashboard = new datadog.DashboardJson(
      `${name}-dashboard`,
      {
        dashboard: pulumi
          .output({
            title: `${resolved.prefix} (${label})`,
            albArnSuffix: stack.albArnSuffix,
            clusterName: stack.clusterName,
            services: stack.services.map((s) => ({ name: s.name, serviceName: s.serviceName, targetGroups: s.targetGroupArnSuffixes })),
            queues: stack.queues.map((q) => ({ name: q.name, queueName: q.queueName, deadLetterQueueName: q.deadLetterQueueName, processorServiceName: q.processorServiceName })),
            auroraClusters: resolved.regions.map((r) => ({ region: r.region, clusterIdentifier: r.auroraClusterIdentifier })),
            redis: stack.redis,
            slos,
            region: stack.region,
            otherRegions: others.map(({ application: a }) => ({
              region: a!.stack.region,
              albArnSuffix: a!.stack.albArnSuffix,
              clusterName: a!.stack.clusterName,
              services: a!.stack.services.map((s) => ({ name: s.name, serviceName: s.serviceName })),
              redis: a!.stack.redis,
            })),
          })
          .apply((content) => JSON.stringify(dashboardDefinition(content))),
      },
      o,
    );

    new LastResortAlarms(
      `${name}-alarms`,
      {
        // Only a paging environment subscribes the pager: dev alarms stay in CloudWatch.
        endpoint: settings.paging.opsgenie ? resolved.credentials.opsgenieCloudwatchEndpoint : undefined,
        protect: resolved.protect,
        deliveryLogRetentionDays: resolved.logRetentionDays,
        albFiveXxPerFiveMinutes: 100,
        regions: resolved.regions.map((r) => ({
          provider: r === home ? undefined : r.provider,
          nameSuffix: r.nameSuffix,
          application: r.application && {
            albArnSuffix: r.application.stack.albArnSuffix,
            deadLetterQueues: [
              ...r.application.stack.queues.map((q) => ({ name: q.name, queueName: q.deadLetterQueueName })),
              ...(r.application.stack.schedulesDeadLetterQueueName ? [{ name: "schedules", queueName: r.application.stack.schedulesDeadLetterQueueName }] : []),
            ],
          },
          // Only a Global Database has a replication lag to alarm on.
          replicationLag: resolved.regions.length > 1 ? { region: r.region, clusterIdentifier: r.auroraClusterIdentifier, pages: r.pageOnReplicationLag ?? OBSERVED_REGION_DEFAULTS.pageOnReplicationLag } : undefined,
        })),
      },
      o,
    );

    this.monitorIds = monitorIds;
    this.dashboardUrl = dashboard.url.apply((u) => u ?? "");
    this.logStreamName = logs.streamName;
    this.managedSecrets = { secretArns: shipping.map((x) => x.logs.apiKeySecretArn), kmsKeyArns: shipping.map((x) => x.key.arn) };
    this.registerOutputs({ dashboardUrl: this.dashboardUrl, logStreamName: this.logStreamName });
  }

  /** A region's log shipping to Datadog, through a Firehose stream of its own region with its own key. */
  private logShipping(name: string, args: Defaulted<ObservabilityArgs, typeof OBSERVABILITY_DEFAULTS>, r: ObservedRegion, settings: ResolvedObservabilitySettings, provider: ObservedRegion["provider"]) {
    const o = { parent: this, ...(provider ? { provider } : {}) };
    const ctx = awsContext(this, provider);
    const key = customerKey(`${name}-logs${r.nameSuffix}`, { description: `${name}: log shipping to Datadog${r.nameSuffix ? ` (${r.region})` : ""}`, ctx, statements: [logsKeyStatement(ctx)] }, { ...o, protect: args.protect });
    const logs = new LogShipping(
      `${name}-logs${r.nameSuffix}`,
      {
        intakeUrl: datadogLogIntakeUrl(settings.datadog.site),
        apiKey: args.credentials.datadogApiKey,
        logGroups: r.application!.logGroups,
        backupBucketArn: r.application!.logBackup.bucketArn,
        backupKmsKeyArn: r.application!.logBackup.kmsKeyArn,
        kmsKeyArn: key.arn,
        logRetentionDays: args.logRetentionDays,
        attributes: { env: args.environment, source: "aws", ...(r.nameSuffix ? { region: r.region } : {}) },
      },
      { parent: this, ...(provider ? { providers: [provider] } : {}) },
    );
    return { key, logs };
  }
}
