/**
 * What Observability needs to know about the Datadog organisation and the paging policy. Plain
 * data with no Pulumi import, so a program can validate its own config against it cheaply
 * (`@platform/components/observability/settings`).
 */
import { withDefaults } from "../lib/defaults";

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

/** Collect only resources with one of these tags, in one namespace. */
export interface TagFilter {
  /** CloudWatch namespace. Example: `"AWS/EC2"`. */
  namespace: string;
  /** `key:value` tags, any of which admits a resource. Example: `["env:prod"]`. */
  tags: string[];
}

/** The Datadog site as a Pulumi schema enum (constants and a type of their values). */
export const DatadogSiteName = { US1: "US1", US3: "US3", US5: "US5", EU1: "EU1", AP1: "AP1", AP2: "AP2", US1_FED: "US1_FED" } as const;
export type DatadogSiteName = (typeof DatadogSiteName)[keyof typeof DatadogSiteName];

/** Opsgenie region of the account. */
export const OpsgenieRegion = { US: "us", EU: "eu" } as const;
export type OpsgenieRegion = (typeof OpsgenieRegion)[keyof typeof OpsgenieRegion];

/** SLO window. */
export const SloTimeframe = { SevenDays: "7d", ThirtyDays: "30d", NinetyDays: "90d" } as const;
export type SloTimeframe = (typeof SloTimeframe)[keyof typeof SloTimeframe];

/** Datadog, paging, SLO and threshold settings of one stack. */
export interface ObservabilitySettings {
  /** The Datadog organisation and what its AWS integration collects. */
  datadog: DatadogSettings;
  /** Who hears about what: a chat channel, and Opsgenie for pages. @default {} */
  paging?: PagingSettings;
  /** Availability SLOs of the public services (each field has its default). @default {} */
  slo?: SloSettings;
  /** Absolute thresholds for the monitors that need one (each field has its default). @default {} */
  thresholds?: MonitorThresholds;
}

/** The Datadog organisation and what its AWS integration collects. */
export interface DatadogSettings {
  /** Datadog site of the organisation. Example: `"US1"`. */
  site: DatadogSiteName;
  /** CloudWatch namespaces the integration collects (`AWS/<Service>`); everything else is excluded. Default: `DEFAULT_NAMESPACES`, what the platform runs on. */
  namespaces?: string[];
  /** Per-namespace tag filters: only resources with one of these tags are collected. @default [] */
  tagFilters?: TagFilter[];
  /**
   * Create the AWS account's Datadog integration (its role and Datadog's account entry). Datadog
   * takes one per AWS account and organisation, so stacks sharing an account leave it to one of
   * them (false): their metrics arrive through it.
   * @default true
   */
  awsIntegration?: boolean;
}

/** Who hears about what. */
export interface PagingSettings {
  /** Datadog handle that gets non-paging notifications, e.g. `@slack-platform-dev`. Default: none. */
  channel?: string;
  /** Opsgenie service Datadog pages (prod). Default: no paging. */
  opsgenie?: OpsgenieSettings;
}

/** The Opsgenie service Datadog pages. */
export interface OpsgenieSettings {
  /** Opsgenie service name. Example: `"platform"`. */
  service: string;
  /** Opsgenie region of the account: `us` or `eu`. Example: `"eu"`. */
  region: OpsgenieRegion;
}

/** Availability SLOs of the public services. */
export interface SloSettings {
  /** Availability target (percent, strictly between 0 and 100) of each public service. @default 99.9 */
  target?: number;
  /** Per-service targets that differ from `target`, by service name. Example: `{ auth: 99.95 }`. @default {} */
  overrides?: Record<string, number>;
  /** SLO window: `7d`, `30d` or `90d`. @default "30d" */
  timeframe?: SloTimeframe;
}

/** Absolute thresholds for the monitors that need one. */
export interface MonitorThresholds {
  /** p95 target response time per service, milliseconds (50–60000). @default 1000 */
  latencyP95Ms?: number;
  /** 5xx share of requests per service, percent (strictly between 0 and 100). @default 5 */
  errorRatePercent?: number;
  /** Aurora connections per instance, 10–100000. @default 500 */
  auroraConnections?: number;
  /** Age of the oldest message in a work queue, seconds (60–1209600). @default 900 */
  queueAgeSeconds?: number;
}

/** Limits of the thresholds (Observability checks them; config/observability.ts reuses them). */
/** p95 latency targets a monitor may have, milliseconds. */
export const LATENCY_P95_MS = { min: 50, max: 60000 } as const;
/** Aurora connections per instance a monitor may alert on. */
export const AURORA_CONNECTIONS = { min: 10, max: 100000 } as const;
/** Queue ages a monitor may alert on, seconds (SQS keeps messages at most 14 days). */
export const QUEUE_AGE_SECONDS = { min: 60, max: 1209600 } as const;
/** Why `n` is not a percentage strictly between 0 and 100 (an SLO target or an error rate). */
export function percentProblem(n: number): string | undefined {
  return n > 0 && n < 100 ? undefined : `expected a percentage strictly between 0 and 100, got ${JSON.stringify(n)}`;
}

/** Defaults of the settings, applied once by withSettingsDefaults (config/observability.ts takes the same constants). */
export const DATADOG_DEFAULTS = { namespaces: DEFAULT_NAMESPACES, tagFilters: [], awsIntegration: true } satisfies Partial<DatadogSettings>;
export const SLO_DEFAULTS = { target: 99.9, overrides: {}, timeframe: "30d" } satisfies Required<SloSettings>;
export const THRESHOLD_DEFAULTS = { latencyP95Ms: 1000, errorRatePercent: 5, auroraConnections: 500, queueAgeSeconds: 900 } satisfies Required<MonitorThresholds>;
export const OBSERVABILITY_SETTINGS_DEFAULTS = { paging: {}, slo: {}, thresholds: {} } satisfies Partial<ObservabilitySettings>;

/** ObservabilitySettings once every default is filled in. */
export interface ResolvedObservabilitySettings {
  datadog: Required<DatadogSettings>;
  paging: PagingSettings;
  slo: Required<SloSettings>;
  thresholds: Required<MonitorThresholds>;
}

/** The settings with every default filled in. */
export function withSettingsDefaults(s: ObservabilitySettings): ResolvedObservabilitySettings {
  return {
    datadog: withDefaults(s.datadog, DATADOG_DEFAULTS),
    paging: s.paging ?? OBSERVABILITY_SETTINGS_DEFAULTS.paging,
    slo: withDefaults<SloSettings, typeof SLO_DEFAULTS>(s.slo ?? OBSERVABILITY_SETTINGS_DEFAULTS.slo, SLO_DEFAULTS),
    thresholds: withDefaults<MonitorThresholds, typeof THRESHOLD_DEFAULTS>(s.thresholds ?? OBSERVABILITY_SETTINGS_DEFAULTS.thresholds, THRESHOLD_DEFAULTS),
  };
}
