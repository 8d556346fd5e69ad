/** The stack's content with every name resolved, as the dashboard shows it. */
export interface DashboardContent {
  title: string;
  albArnSuffix: string;
  clusterName: string;
  services: { name: string; serviceName: string; targetGroups: string[] }[];
  queues: { name: string; queueName: string; deadLetterQueueName: string; processorServiceName: string }[];
  /** Every region's Aurora cluster, the main region's first. */
  auroraClusters: { region: string; clusterIdentifier: string }[];
  redis: { replicationGroupId: string };
  slos: { service: string; id: string }[];
  /** The main region (ECS metrics are scoped by it: names repeat across regions). */
  region: string;
  /** The other application regions: their ALB, services and Redis. */
  otherRegions: { region: string; albArnSuffix: string; clusterName: string; services: { name: string; serviceName: string }[]; redis: { replicationGroupId: string } }[];
}

interface Widget {
  definition: Record<string, unknown>;
}

const tags = (key: string, values: string[]) => `{${values.map((v) => `${key}:${v.toLowerCase()}`).join(" OR ")}}`;

function timeseries(title: string, queries: Record<string, string>, displayType: "line" | "bars" = "line"): Widget {
  return {
    definition: {
      type: "timeseries",
      title,
      requests: Object.entries(queries).map(([alias, q]) => ({ q, display_type: displayType, metadata: [{ expression: q, alias_name: alias }] })),
    },
  };
}

function group(title: string, widgets: Widget[]): Widget {
  return { definition: { type: "group", title, layout_type: "ordered", widgets } };
}

/**
 * One dashboard per environment, from the stack's content: edge/ALB traffic, a group per service,
 * queues and jobs, Aurora in each region with replication lag, Redis, and the SLOs.
 */
export function dashboardDefinition(c: DashboardContent): Record<string, unknown> {
  const lb = tags("loadbalancer", [c.albArnSuffix]);
  const widgets: Widget[] = [
    group("Edge and load balancer", [
      timeseries("Requests", { requests: `sum:aws.applicationelb.request_count${lb}.as_count()` }, "bars"),
      timeseries("5xx by origin", {
        "ALB 5xx": `sum:aws.applicationelb.httpcode_elb_5xx${lb}.as_count()`,
        "target 5xx": `sum:aws.applicationelb.httpcode_target_5xx${lb}.as_count()`,
      }, "bars"),
      timeseries("Rejected and TLS errors", {
        rejected: `sum:aws.applicationelb.rejected_connection_count${lb}.as_count()`,
        "TLS negotiation errors": `sum:aws.applicationelb.client_tlsnegotiation_error_count${lb}.as_count()`,
      }, "bars"),
    ]),
  ];
  if (c.slos.length) {
    widgets.push(group("SLOs", c.slos.map((s) => ({ definition: { type: "slo", title: `${s.service} availability`, slo_id: s.id, view_type: "detail", time_windows: ["7d", "30d"], show_error_budget: true } }))));
  }
  for (const s of c.services) {
    const tg = tags("targetgroup", s.targetGroups);
    const ecs = `{clustername:${c.clusterName.toLowerCase()},servicename:${s.serviceName.toLowerCase()},region:${c.region}}`;
    widgets.push(
      group(`Service: ${s.name}`, [
        timeseries("Requests and 5xx", { requests: `sum:aws.applicationelb.request_count${tg}.as_count()`, "5xx": `sum:aws.applicationelb.httpcode_target_5xx${tg}.as_count()` }, "bars"),
        timeseries("Latency p95 / p99 (s)", { p95: `max:aws.applicationelb.target_response_time.p95${tg}`, p99: `max:aws.applicationelb.target_response_time.p99${tg}` }),
        timeseries("Tasks running / desired", { running: `max:aws.ecs.service.running${ecs}`, desired: `max:aws.ecs.service.desired${ecs}` }),
        timeseries("CPU / memory (%)", { cpu: `avg:aws.ecs.service.cpuutilization${ecs}`, memory: `avg:aws.ecs.service.memory_utilization${ecs}` }),
      ]),
    );
  }
  if (c.queues.length) {
    widgets.push(
      group(
        "Queues and jobs",
        c.queues.flatMap((q) => [
          timeseries(`${q.name}: visible / in flight`, {
            visible: `max:aws.sqs.approximate_number_of_messages_visible${tags("queuename", [q.queueName])}`,
            "in flight": `max:aws.sqs.approximate_number_of_messages_not_visible${tags("queuename", [q.queueName])}`,
            "dead letters": `max:aws.sqs.approximate_number_of_messages_visible${tags("queuename", [q.deadLetterQueueName])}`,
          }),
          timeseries(`${q.name}: oldest message (s) and processors`, {
            "oldest (s)": `max:aws.sqs.approximate_age_of_oldest_message${tags("queuename", [q.queueName])}`,
            processors: `max:aws.ecs.service.running{clustername:${c.clusterName.toLowerCase()},servicename:${q.processorServiceName.toLowerCase()},region:${c.region}}`,
          }),
        ]),
      ),
    );
  }
  const clusters = c.auroraClusters.map((k) => ({ region: k.region, id: k.clusterIdentifier }));
  widgets.push(
    group("Aurora", [
      ...clusters.map((k) =>
        timeseries(`${k.region}: CPU (%) by instance`, { cpu: `avg:aws.rds.cpuutilization${tags("dbclusteridentifier", [k.id])} by {dbinstanceidentifier}` }),
      ),
      timeseries("Connections by instance", { connections: `max:aws.rds.database_connections${tags("dbclusteridentifier", clusters.map((k) => k.id))} by {dbinstanceidentifier}` }),
      timeseries("Reader lag (ms)", { lag: `max:aws.rds.aurora_replica_lag${tags("dbclusteridentifier", clusters.map((k) => k.id))} by {dbinstanceidentifier}` }),
      // The global RPO lag is not in Datadog's published metrics: it is a CloudWatch alarm (alarms.ts).
    ]),
  );
  const redis = tags("replication_group", [c.redis.replicationGroupId]);
  widgets.push(
    group("Redis", [
      timeseries("Engine CPU (%)", { cpu: `max:aws.elasticache.engine_cpuutilization${redis} by {cacheclusterid}` }),
      timeseries("Memory (%)", { memory: `max:aws.elasticache.database_memory_usage_percentage${redis} by {cacheclusterid}` }),
      timeseries("Evictions and hits", { evictions: `sum:aws.elasticache.evictions${redis}.as_count()`, hits: `sum:aws.elasticache.cache_hits${redis}.as_count()` }, "bars"),
    ]),
  );
  for (const other of c.otherRegions) widgets.push(regionGroup(other));
  return { title: c.title, description: "Generated by the platform program from the stack's content; edits here are overwritten by `pulumi up`.", layout_type: "ordered", reflow_type: "auto", widgets };
}

/** Another region at a glance: its ALB's traffic and errors, each service's tasks, its Redis. */
function regionGroup(s: DashboardContent["otherRegions"][number]): Widget {
  const lb = tags("loadbalancer", [s.albArnSuffix]);
  const ecs = (service: string) => `{clustername:${s.clusterName.toLowerCase()},servicename:${service.toLowerCase()},region:${s.region}}`;
  return group(`Region ${s.region}`, [
    timeseries("Requests and 5xx (a region that stands by gets traffic only after a failover)", {
      requests: `sum:aws.applicationelb.request_count${lb}.as_count()`,
      "target 5xx": `sum:aws.applicationelb.httpcode_target_5xx${lb}.as_count()`,
    }, "bars"),
    timeseries("Tasks running by service", Object.fromEntries(s.services.map((svc) => [svc.name, `max:aws.ecs.service.running${ecs(svc.serviceName)}`]))),
    timeseries("Redis engine CPU (%)", { cpu: `max:aws.elasticache.engine_cpuutilization${tags("replication_group", [s.redis.replicationGroupId])} by {cacheclusterid}` }),
  ]);
}
