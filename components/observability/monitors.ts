import * as pulumi from "@pulumi/pulumi";
import { MonitorThresholds } from "./settings";
import { Priority, WatchedStack } from "./types";

type Thresholds = Required<MonitorThresholds>;

/** One Datadog monitor, before routing: what it watches, when it fires and how loudly. */
export interface MonitorSpec {
  /** Stable, unique resource-name suffix, e.g. `api-5xx-rate`. */
  key: string;
  title: string;
  /** `service:` tag: the service it belongs to (aurora, redis, ... for shared parts). */
  service: string;
  /** `signal:` tag: what kind of check it is. */
  signal: string;
  query: pulumi.Output<string>;
  priority: Priority;
  /** Same unit as the query; `critical` is the number the query compares against. */
  thresholds: { critical: number; warning?: number; criticalRecovery?: number; warningRecovery?: number };
  /** Anomaly monitors: how long the anomaly must last before alerting and before recovering. */
  windows?: { trigger: string; recovery: string };
  /** Alert after this many minutes without data (for signals whose silence means trouble). */
  noDataMinutes?: number;
  /** What to look at first, for the notification text. */
  hint: string;
}

/** Lower case, as Datadog stores tag values. */
const lower = (v: pulumi.Input<string>) => pulumi.output(v).apply((s) => s.toLowerCase());

/** `{key:a}` or `{key:a OR key:b}` for one or more tag values. */
export function scope(key: string, values: pulumi.Input<string>[]): pulumi.Output<string> {
  return pulumi.all(values.map(lower)).apply((vs) => `{${vs.map((v) => `${key}:${v}`).join(" OR ")}}`);
}

/** An ECS service's metrics: the same cluster and service names exist in every region, so the region is in the scope. */
function ecsScope(cluster: pulumi.Input<string>, service: pulumi.Input<string>, region: string): pulumi.Output<string> {
  return pulumi.interpolate`{clustername:${lower(cluster)},servicename:${lower(service)},region:${region}}`;
}

/**
 * Datadog anomaly query over `metric` (already scoped): the agile algorithm with weekly seasonality,
 * 3 bounds, alerting when the last 30 minutes leave the band.
 */
export function anomalyQuery(metric: pulumi.Input<string>, direction: "both" | "above" | "below", countDefaultZero: boolean): pulumi.Output<string> {
  const zero = countDefaultZero ? ", count_default_zero='true'" : "";
  return pulumi.interpolate`avg(last_4h):anomalies(${metric}, 'agile', 3, direction='${direction}', interval=300, alert_window='last_30m'${zero}, seasonality='weekly', timezone='utc') >= 1`;
}
const ANOMALY = { thresholds: { critical: 1, criticalRecovery: 0 }, windows: { trigger: "last_30m", recovery: "last_30m" } };

/** The signals that matter in a region watched for the essentials (one that stands by serves no traffic until a failover). */
export const ESSENTIAL_SIGNALS = ["errors", "capacity", "health"];

/**
 * A region's essential monitors: each service's 5xx rate, tasks below desired and unhealthy
 * targets, keyed and titled with the region so they sit beside the main region's.
 */
export function essentialMonitorSpecs(stack: WatchedStack, t: Thresholds): MonitorSpec[] {
  return monitorSpecs(stack, t)
    .filter((m) => ESSENTIAL_SIGNALS.includes(m.signal) && stack.services.some((s) => m.key.startsWith(`${s.name}-`)))
    .map((m) => ({ ...m, key: `${stack.region}-${m.key}`, title: `(${stack.region}) ${m.title}` }));
}

/** Every monitor the stack needs, generated from its content: a new service or queue needs no code. */
export function monitorSpecs(stack: WatchedStack, t: Thresholds): MonitorSpec[] {
  const specs: MonitorSpec[] = [];
  for (const s of stack.services) {
    const tg = scope("targetgroup", s.targetGroupArnSuffixes);
    const ecs = ecsScope(stack.clusterName, s.serviceName, stack.region);
    const requests = pulumi.interpolate`sum:aws.applicationelb.request_count${tg}.as_count()`;
    specs.push(
      {
        key: `${s.name}-5xx-rate`,
        title: `${s.name}: 5xx responses above ${t.errorRatePercent}% of requests`,
        service: s.name,
        signal: "errors",
        query: pulumi.interpolate`sum(last_10m):(sum:aws.applicationelb.httpcode_target_5xx${tg}.as_count() / ${requests}) * 100 > ${t.errorRatePercent}`,
        priority: 2,
        thresholds: { critical: t.errorRatePercent, warning: t.errorRatePercent / 2, criticalRecovery: t.errorRatePercent * 0.8, warningRecovery: t.errorRatePercent * 0.4 },
        hint: "recent deployments (ECS blue/green), the service's logs, and Aurora/Redis health",
      },
      {
        key: `${s.name}-latency-p95`,
        title: `${s.name}: p95 latency above ${t.latencyP95Ms} ms`,
        service: s.name,
        signal: "latency",
        query: pulumi.interpolate`avg(last_15m):max:aws.applicationelb.target_response_time.p95${tg} > ${t.latencyP95Ms / 1000}`,
        priority: 3,
        thresholds: { critical: t.latencyP95Ms / 1000, warning: (t.latencyP95Ms * 0.75) / 1000, criticalRecovery: (t.latencyP95Ms * 0.8) / 1000 },
        hint: "CPU/memory of the service, Aurora connections and CPU, Redis latency",
      },
      {
        key: `${s.name}-tasks-below-desired`,
        title: `${s.name}: fewer tasks running than desired`,
        service: s.name,
        signal: "capacity",
        query: pulumi.interpolate`max(last_15m):max:aws.ecs.service.desired${ecs} - max:aws.ecs.service.running${ecs} >= 1`,
        priority: 2,
        thresholds: { critical: 1 },
        noDataMinutes: 30,
        hint: "stopped tasks in the ECS console (exit codes, image pulls, secrets), and Fargate capacity",
      },
      ...(
        [
          ["cpu", "CPU", "cpuutilization", "whether autoscaling is at its maximum (platform:services[].scaling.maxTasks)"],
          ["memory", "memory", "memory_utilization", "a leak after the last deployment, or a task size too small for the load"],
        ] as const
      ).map(([key, label, metric, hint]): MonitorSpec => ({
        key: `${s.name}-${key}`,
        title: `${s.name}: ${label} above 90%`,
        service: s.name,
        signal: "saturation",
        query: pulumi.interpolate`avg(last_15m):avg:aws.ecs.service.${metric}${ecs} > 90`,
        priority: 3,
        thresholds: { critical: 90, warning: 80, criticalRecovery: 85, warningRecovery: 70 },
        hint,
      })),
      {
        key: `${s.name}-unhealthy-targets`,
        title: `${s.name}: unhealthy ALB targets`,
        service: s.name,
        signal: "health",
        query: pulumi.interpolate`max(last_10m):max:aws.applicationelb.un_healthy_host_count${tg} >= 1`,
        priority: 2,
        thresholds: { critical: 1 },
        hint: "the target group's health-check reason in the EC2 console and the service's logs",
      },
    );
    if (s.public) {
      specs.push(
        {
          key: `${s.name}-requests-anomaly`,
          title: `${s.name}: request rate outside its usual weekly pattern`,
          service: s.name,
          signal: "anomaly",
          query: anomalyQuery(requests, "both", true),
          priority: 3,
          ...ANOMALY,
          hint: "Cloudflare analytics (an attack, a bot, a broken client release or a routing change)",
        },
        {
          key: `${s.name}-latency-anomaly`,
          title: `${s.name}: latency above its usual weekly pattern`,
          service: s.name,
          signal: "anomaly",
          query: anomalyQuery(pulumi.interpolate`avg:aws.applicationelb.target_response_time.average${tg}`, "above", false),
          priority: 4,
          ...ANOMALY,
          hint: "slow queries (Performance Insights) and dependencies the service calls",
        },
      );
    }
  }

  for (const q of stack.queues) {
    specs.push(
      {
        key: `${q.name}-oldest-message`,
        title: `${q.name}: oldest message older than ${t.queueAgeSeconds} s`,
        service: q.name,
        signal: "backlog",
        query: pulumi.interpolate`max(last_15m):max:aws.sqs.approximate_age_of_oldest_message${scope("queuename", [q.queueName])} > ${t.queueAgeSeconds}`,
        priority: 3,
        thresholds: { critical: t.queueAgeSeconds, warning: t.queueAgeSeconds / 2, criticalRecovery: t.queueAgeSeconds * 0.8 },
        hint: "the processor's running tasks and logs; scaling follows the backlog up to maxTasks",
      },
      {
        key: `${q.name}-dlq`,
        title: `${q.name}: messages in the dead-letter queue`,
        service: q.name,
        signal: "dead-letter",
        query: pulumi.interpolate`max(last_5m):max:aws.sqs.approximate_number_of_messages_visible${scope("queuename", [q.deadLetterQueueName])} > 0`,
        priority: 2,
        thresholds: { critical: 0 },
        hint: "the failed messages (README: redriving a dead-letter queue) and the processor's logs",
      },
      {
        key: `${q.name}-processor-tasks-below-desired`,
        title: `${q.name}: fewer processor tasks running than desired`,
        service: q.name,
        signal: "capacity",
        query: pulumi.interpolate`max(last_15m):max:aws.ecs.service.desired${ecsScope(stack.clusterName, q.processorServiceName, stack.region)} - max:aws.ecs.service.running${ecsScope(stack.clusterName, q.processorServiceName, stack.region)} >= 1`,
        priority: 3,
        thresholds: { critical: 1 },
        hint: "stopped processor tasks in the ECS console",
      },
    );
  }

  if (stack.schedulesDeadLetterQueueName) {
    specs.push({
      key: "schedules-failed-invocations",
      title: "scheduler: invocations that failed after all retries",
      service: "scheduler",
      signal: "dead-letter",
      query: pulumi.interpolate`max(last_5m):max:aws.sqs.approximate_number_of_messages_visible${scope("queuename", [stack.schedulesDeadLetterQueueName])} > 0`,
      priority: 3,
      thresholds: { critical: 0 },
      hint: "the message in the schedules DLQ names the schedule and the error (RunTask permissions, capacity)",
    });
  }

  const db = scope("dbclusteridentifier", [stack.aurora.clusterIdentifier]);
  specs.push(
    {
      key: "aurora-cpu",
      title: "aurora: instance CPU above 90%",
      service: "aurora",
      signal: "saturation",
      query: pulumi.interpolate`avg(last_15m):avg:aws.rds.cpuutilization${db} by {dbinstanceidentifier} > 90`,
      priority: 2,
      thresholds: { critical: 90, warning: 80, criticalRecovery: 85, warningRecovery: 70 },
      hint: "Performance Insights top SQL; a reader can take read traffic",
    },
    {
      key: "aurora-freeable-memory",
      title: "aurora: instance freeable memory below 256 MiB",
      service: "aurora",
      signal: "saturation",
      query: pulumi.interpolate`avg(last_15m):min:aws.rds.freeable_memory${db} by {dbinstanceidentifier} < 268435456`,
      priority: 2,
      thresholds: { critical: 268435456, warning: 536870912, criticalRecovery: 402653184 },
      hint: "connections (each one costs memory) and the instance class",
    },
    {
      key: "aurora-connections",
      title: `aurora: more than ${t.auroraConnections} connections on an instance`,
      service: "aurora",
      signal: "saturation",
      query: pulumi.interpolate`avg(last_10m):max:aws.rds.database_connections${db} by {dbinstanceidentifier} > ${t.auroraConnections}`,
      priority: 3,
      thresholds: { critical: t.auroraConnections, warning: Math.round(t.auroraConnections * 0.8), criticalRecovery: Math.round(t.auroraConnections * 0.9) },
      hint: "task counts times pool sizes; RDS Proxy (platform:aurora.rdsProxy) pools them",
    },
    {
      key: "aurora-replica-lag",
      title: "aurora: reader lag above 2 s",
      service: "aurora",
      signal: "replication",
      query: pulumi.interpolate`avg(last_10m):max:aws.rds.aurora_replica_lag${db} by {dbinstanceidentifier} > 2000`,
      priority: 3,
      thresholds: { critical: 2000, warning: 1000, criticalRecovery: 1500 },
      hint: "write bursts on the writer, and long queries on the lagging reader",
    },
  );
  // The global database's RPO lag has no metric in Datadog's published RDS list
  // (metricCatalog.ts): the last-resort CloudWatch alarm on AuroraGlobalDBRPOLag guards it (alarms.ts).

  const cache = scope("replication_group", [stack.redis.replicationGroupId]);
  specs.push(
    {
      key: "redis-cpu",
      title: "redis: engine CPU above 90%",
      service: "redis",
      signal: "saturation",
      query: pulumi.interpolate`avg(last_15m):max:aws.elasticache.engine_cpuutilization${cache} by {cacheclusterid} > 90`,
      priority: 2,
      thresholds: { critical: 90, warning: 75, criticalRecovery: 80, warningRecovery: 65 },
      hint: "slow log (CloudWatch) for expensive commands; the node type",
    },
    {
      key: "redis-memory",
      title: "redis: memory above 90%",
      service: "redis",
      signal: "saturation",
      query: pulumi.interpolate`avg(last_15m):max:aws.elasticache.database_memory_usage_percentage${cache} by {cacheclusterid} > 90`,
      priority: 2,
      thresholds: { critical: 90, warning: 80, criticalRecovery: 85, warningRecovery: 75 },
      hint: "keys without TTL; maxmemory-policy (platform:redis.parameters)",
    },
    {
      key: "redis-evictions",
      title: "redis: keys evicted",
      service: "redis",
      signal: "saturation",
      query: pulumi.interpolate`sum(last_15m):sum:aws.elasticache.evictions${cache}.as_count() > 1000`,
      priority: 3,
      thresholds: { critical: 1000, warning: 100 },
      hint: "memory usage; evictions mean the cache no longer holds the working set",
    },
  );
  return specs;
}
