import { z } from "zod";
import {
  AURORA_CONNECTIONS,
  DATADOG_DEFAULTS,
  DATADOG_SITES,
  DatadogSite,
  LATENCY_P95_MS,
  ObservabilitySettings,
  QUEUE_AGE_SECONDS,
  SLO_DEFAULTS,
  THRESHOLD_DEFAULTS,
} from "@platform/components/observability/settings";
import { configBoolean, intInRange, resourceName, strictObject } from "./fields";

export { DATADOG_SITES, DatadogSite, datadogApiUrl, datadogLogIntakeUrl } from "@platform/components/observability/settings";

/** An SLO target in percent: strictly between 0 and 100 (100% leaves no error budget). */
export const sloTarget = z.number().gt(0, { error: "expected an SLO target above 0 (percent)" }).lt(100, {
  error: "expected an SLO target below 100 (percent): 100% leaves no error budget to alert on",
});

export const observabilitySchema = strictObject({
  /** Site: `US1`, `US3`, `US5`, `EU1`, `AP1`, `AP2`, `US1_FED`; CloudWatch namespaces collected (default: what the platform runs on); `[{ namespace, tags }]` filters; `awsIntegration` (default `true`): `false` when another stack in `awsAccountId` owns the account's Datadog AWS integration (Datadog takes one per account) */
  datadog: strictObject({
    /** Datadog site of the organisation: US1, US3, US5, EU1, AP1, AP2 or US1_FED. */
    site: z.enum(Object.keys(DATADOG_SITES) as [DatadogSite, ...DatadogSite[]]),
    /** CloudWatch namespaces the integration collects (everything else is excluded). */
    namespaces: z
      .array(z.string().regex(/^AWS\/[A-Za-z0-9]+$/, { error: "expected a CloudWatch namespace such as AWS/ECS" }))
      .min(1)
      .default(DATADOG_DEFAULTS.namespaces),
    /**
     * Create the AWS account's Datadog integration (one per account and Datadog organisation):
     * false when another stack in platform:awsAccountId owns it (config/ownership.ts). Default true.
     */
    awsIntegration: configBoolean.default(DATADOG_DEFAULTS.awsIntegration),
    /** Per-namespace tag filters: only resources with one of these tags are collected. */
    tagFilters: z
      .array(
        strictObject({
          /** CloudWatch namespace, e.g. AWS/EC2. */
          namespace: z.string().regex(/^AWS\/[A-Za-z0-9]+$/),
          /** `key:value` tags, any of which admits a resource, e.g. env:prod. */
          tags: z.array(z.string().min(1)).min(1),
        }),
      )
      .default(DATADOG_DEFAULTS.tagFilters),
  }),
  /** `opsgenie` is required in prod, allowed in any stack; `channel` gets warnings (and, without Opsgenie, alerts) */
  paging: strictObject({
    /** Datadog handle that gets non-paging notifications, e.g. @slack-platform-dev (none when unset). */
    channel: z.string().regex(/^@[\w.-]+$/, { error: "expected a Datadog notification handle such as @slack-platform-dev" }).optional(),
    /** Opsgenie service Datadog pages (prod only), and the Opsgenie region of the account. */
    opsgenie: strictObject({
      /** Opsgenie service Datadog pages, e.g. platform-prod. */
      service: resourceName,
      /** Opsgenie region of the account: us or eu. */
      region: z.enum(["us", "eu"]),
    }).optional(),
  }),
  /** Availability SLO of each public service; `overrides` keyed by service name; `7d`, `30d` (default), `90d`. */
  slo: strictObject({
    /** Availability target (percent) of each public service. */
    target: sloTarget.default(SLO_DEFAULTS.target),
    /** Per-service targets that differ from `target`. */
    overrides: z.record(z.string(), sloTarget).default(SLO_DEFAULTS.overrides),
    /** SLO window: 7d, 30d or 90d. */
    timeframe: z.enum(["7d", "30d", "90d"]).default(SLO_DEFAULTS.timeframe),
  }).default(SLO_DEFAULTS),
  /** Absolute thresholds for the monitors that need one. */
  thresholds: strictObject({
    /** p95 target response time per service, milliseconds. */
    latencyP95Ms: intInRange(LATENCY_P95_MS.min, LATENCY_P95_MS.max).default(THRESHOLD_DEFAULTS.latencyP95Ms),
    /** 5xx share of requests per service, percent. */
    errorRatePercent: z.number().gt(0).lt(100).default(THRESHOLD_DEFAULTS.errorRatePercent),
    /** Aurora connections per instance. */
    auroraConnections: intInRange(AURORA_CONNECTIONS.min, AURORA_CONNECTIONS.max).default(THRESHOLD_DEFAULTS.auroraConnections),
    /** Age of the oldest message in a work queue, seconds. */
    queueAgeSeconds: intInRange(QUEUE_AGE_SECONDS.min, QUEUE_AGE_SECONDS.max).default(THRESHOLD_DEFAULTS.queueAgeSeconds),
  }).default(THRESHOLD_DEFAULTS),
});

/** Config maps onto the package's settings type, both ways: config/argsContract.ts fails to compile if the two drift apart. */
export type { ObservabilitySettings };
