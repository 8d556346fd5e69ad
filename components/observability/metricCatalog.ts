/**
 * Every Datadog metric a monitor, SLO or dashboard of this component queries, with the page that
 * publishes it. A query naming anything else fails `npm test` (tests/datadog-metrics.test.ts):
 * Datadog accepts a query on a metric that never reports, and the monitor then sits in "no data".
 *
 * Datadog renders the English metric tables of its AWS integration pages from a private
 * repository; the translated pages in DataDog/documentation carry the same tables with the names
 * untranslated, and that is what was checked offline (2026-11-26). `verified`: found in that
 * table; `unverified`: not found offline, named by Datadog's snake-case rule for the CloudWatch
 * metric. docs/platform.md, "Observability" lists the unverified ones for a check after the first deploy.
 */
export interface MetricSource {
  /** The public page that lists the metric. */
  page: string;
  status: "verified" | "unverified";
  /** Where it was checked offline, or why it could not be. */
  checked: string;
}

const ELB = {
  page: "https://docs.datadoghq.com/integrations/amazon_elb/#metrics",
  status: "verified",
  checked: "DataDog/documentation content/es/integrations/amazon_elb.md metric table, 2026-11-26",
} as const;
const ECS = {
  page: "https://docs.datadoghq.com/integrations/amazon_ecs/#metrics",
  status: "verified",
  checked: "DataDog/documentation content/es/integrations/amazon_ecs.md metric table, 2026-11-26",
} as const;
const RDS = {
  page: "https://docs.datadoghq.com/integrations/amazon_rds/#metrics",
  status: "verified",
  checked: "DataDog/documentation content/es/integrations/amazon_rds.md (commit 51a3398) metric table, 2026-11-26",
} as const;
const ELASTICACHE = {
  page: "https://docs.datadoghq.com/integrations/amazon_elasticache/#metrics",
  status: "verified",
  checked: "DataDog/documentation content/es/integrations/amazon_elasticache.md metric table, 2026-11-26",
} as const;
const SQS = {
  page: "https://docs.datadoghq.com/integrations/amazon_sqs/#metrics",
  status: "unverified",
  checked:
    "the page's table is rendered from Datadog's private integrations repository and no copy was reachable offline; the name is CloudWatch's AWS/SQS metric in Datadog's snake case (https://docs.aws.amazon.com/AWSSimpleQueueService/latest/SQSDeveloperGuide/sqs-available-cloudwatch-metrics.html)",
} as const;

export const DATADOG_METRICS: Record<string, MetricSource> = {
  "aws.applicationelb.client_tlsnegotiation_error_count": ELB,
  "aws.applicationelb.httpcode_elb_5xx": ELB,
  "aws.applicationelb.httpcode_target_5xx": ELB,
  "aws.applicationelb.rejected_connection_count": ELB,
  "aws.applicationelb.request_count": ELB,
  "aws.applicationelb.target_response_time.average": ELB,
  "aws.applicationelb.target_response_time.p95": ELB,
  "aws.applicationelb.target_response_time.p99": ELB,
  "aws.applicationelb.un_healthy_host_count": ELB,
  "aws.ecs.service.cpuutilization": ECS,
  "aws.ecs.service.desired": ECS,
  "aws.ecs.service.memory_utilization": ECS,
  "aws.ecs.service.running": ECS,
  "aws.rds.aurora_replica_lag": RDS,
  "aws.rds.cpuutilization": RDS,
  "aws.rds.database_connections": RDS,
  "aws.rds.freeable_memory": RDS,
  "aws.elasticache.cache_hits": ELASTICACHE,
  "aws.elasticache.database_memory_usage_percentage": ELASTICACHE,
  "aws.elasticache.engine_cpuutilization": ELASTICACHE,
  "aws.elasticache.evictions": ELASTICACHE,
  "aws.sqs.approximate_age_of_oldest_message": SQS,
  "aws.sqs.approximate_number_of_messages_not_visible": SQS,
  "aws.sqs.approximate_number_of_messages_visible": SQS,
};

/**
 * Metric names in a Datadog query: an identifier directly followed by its `{scope}`
 * (`avg:aws.rds.cpuutilization{...}`); `by {tag}` and functions never stand right before a brace.
 */
export function metricsInQuery(query: string): string[] {
  return [...query.matchAll(/([A-Za-z][\w.]*)\{/g)].map((m) => m[1]);
}
