/**
 * What Observability needs to know about the Datadog organisation and the paging policy. Plain
 * data with no Pulumi import, so a program can validate its own config against it cheaply
 * (`@platform/components/observability/settings`).
 */

/**
 * Datadog sites: where the provider talks to (API), where Firehose delivers logs, and the AWS
 * account Datadog assumes our integration role from (GovCloud's differs).
 * Source: https://docs.datadoghq.com/getting_started/site/ and the AWS integration's trust
 * policy (https://docs.datadoghq.com/integrations/guide/aws-manual-setup/), read 2026-11.
 */
export const DATADOG_SITES = {
  US1: { host: "datadoghq.com", awsAccount: "464622532012" },
  US3: { host: "us3.datadoghq.com", awsAccount: "464622532012" },
  US5: { host: "us5.datadoghq.com", awsAccount: "464622532012" },
  EU1: { host: "datadoghq.eu", awsAccount: "464622532012" },
  AP1: { host: "ap1.datadoghq.com", awsAccount: "464622532012" },
  AP2: { host: "ap2.datadoghq.com", awsAccount: "464622532012" },
  US1_FED: { host: "ddog-gov.com", awsAccount: "065115117704" },
} as const;
export type DatadogSite = keyof typeof DATADOG_SITES;

/** Base URL of the Datadog API for a site (the provider's `apiUrl`). */
export function datadogApiUrl(site: DatadogSite): string {
  return `https://api.${DATADOG_SITES[site].host}/`;
}

/** Datadog's Amazon Data Firehose log intake for a site. */
export function datadogLogIntakeUrl(site: DatadogSite): string {
  return `https://aws-kinesis-http-intake.logs.${DATADOG_SITES[site].host}/v1/input`;
}

/** CloudWatch namespaces Datadog collects by default: what this platform runs on. */
export const DEFAULT_NAMESPACES = [
  "AWS/ApplicationELB",
  "AWS/ECS",
  "AWS/RDS",
  "AWS/ElastiCache",
  "AWS/SQS",
  "AWS/Events",
  "AWS/Lambda",
  "AWS/Firehose",
  "AWS/NATGateway",
  "AWS/CloudFront",
  "AWS/S3",
];

/** Datadog, paging, SLO and threshold settings of one stack. */
export interface ObservabilitySettings {
  datadog: {
    /** Datadog site of the organisation. Example: `"US1"`. */
    site: DatadogSite;
    /** CloudWatch namespaces the integration collects; everything else is excluded. Default (in config): {@link DEFAULT_NAMESPACES}. */
    namespaces: string[];
    /** Per-namespace tag filters: only resources with one of these tags are collected. Default: none. */
    tagFilters: { namespace: string; tags: string[] }[];
  };
  paging: {
    /** Datadog handle that gets non-paging notifications, e.g. `@slack-platform-dev`. Default: none. */
    channel?: string;
    /** Opsgenie service Datadog pages (prod), and the Opsgenie region of the account. Default: no paging. */
    opsgenie?: { service: string; region: "us" | "eu" };
  };
  slo: {
    /** Availability target (percent, strictly between 0 and 100) of each public service. Example: `99.9`. */
    target: number;
    /** Per-service targets that differ from `target`. */
    overrides: Record<string, number>;
    timeframe: "7d" | "30d" | "90d";
  };
  /** Absolute thresholds for the monitors that need one. */
  thresholds: {
    /** p95 target response time per service, milliseconds (50–60000). */
    latencyP95Ms: number;
    /** 5xx share of requests per service, percent. */
    errorRatePercent: number;
    /** Aurora connections per instance. */
    auroraConnections: number;
    /** Age of the oldest message in a work queue, seconds. */
    queueAgeSeconds: number;
  };
}
