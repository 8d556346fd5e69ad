import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { ObservabilitySettings } from "./settings";
import { WatchedStack } from "./types";

/** Observability's own defaults (its settings take settings.ts's). */
export const OBSERVABILITY_DEFAULTS = { protect: false, logRetentionDays: 30 } satisfies Partial<ObservabilityArgs>;
/** A region's defaults. */
export const OBSERVED_REGION_DEFAULTS = { pageOnReplicationLag: false } satisfies Partial<ObservedRegion>;

export interface ObservabilityArgs {
  /** `<project>-<stack>`: names and the dashboard title. */
  prefix: string;
  /** Environment name: the `env` tag of monitors, SLOs and the dashboard. Example: `"prod"`. */
  environment: string;
  /**
   * The stack's name, in every name Datadog shows (`[staging] api: …`), so stacks sharing a
   * Datadog organisation never share a monitor, SLO or dashboard name. Default: `environment`.
   * Example: `"staging"`.
   */
  stackName?: string;
  /** Pulumi-protect the KMS keys (losing one loses what it encrypted). @default false */
  protect?: boolean;
  /** Datadog site and namespaces, paging, SLO targets and monitor thresholds. */
  settings: ObservabilitySettings;
  /**
   * Every region the platform runs in; the first is the component's own (its AWS provider comes
   * from the component's options). Each gets its own log shipping, paging topic and last-resort
   * alarms; what a region gets does not depend on which region serves.
   */
  regions: ObservedRegion[];
  /** Days the Firehose error log group and the paging topics' delivery-status log groups keep events (a CloudWatch Logs retention value, `LOG_RETENTION_DAYS`). @default 30 */
  logRetentionDays?: number;
  /** Secrets Observability writes (into Secrets Manager) or hands to Datadog and CloudWatch. */
  credentials: ObservabilityCredentials;
}

/** One region as Observability watches it. */
export interface ObservedRegion {
  /** AWS region. Example: `"us-west-2"`. */
  region: string;
  /** The region's AWS provider. Default: the component's own (the first region). */
  provider?: aws.Provider;
  /**
   * Appended to the names of this region's resources (paging topic, alarms, log shipping) so that two
   * regions never share a name: `""` for the first region. Example: `"-secondary"`.
   */
  nameSuffix: string;
  /** Identifier of this region's Aurora cluster. */
  auroraClusterIdentifier: pulumi.Input<string>;
  /**
   * Page when this cluster's `AuroraGlobalDBRPOLag` stays above 5 s: on for the cluster that is the
   * Global Database's secondary (only a secondary reports it). With two regions or more each
   * cluster has the alarm; this turns its actions on.
   * @default false
   */
  pageOnReplicationLag?: boolean;
  /** The application the region runs; absent for a region that holds only a copy of the database. */
  application?: ObservedApplication;
}

/** Which monitors a region gets: `all`, or the `essential` ones of a region that may stand by. */
export const MonitorSet = { All: "all", Essential: "essential" } as const;
export type MonitorSet = (typeof MonitorSet)[keyof typeof MonitorSet];

/** A region's application platform, as Observability watches it. */
export interface ObservedApplication {
  /** What the region runs: monitors and dashboard widgets are generated from it. */
  stack: WatchedStack;
  /**
   * `all`: every monitor, the SLOs and the dashboard's main groups (one region only); `essential`:
   * each service's 5xx rate, tasks below desired and unhealthy targets, keyed and titled with the
   * region, and one dashboard group.
   */
  monitors: MonitorSet;
  /** Log groups shipped to Datadog from this region, by the service each belongs to. */
  logGroups: ShippedLogGroup[];
  /** Where this region's Firehose keeps what Datadog did not accept, and that bucket's key. */
  logBackup: LogBackup;
}

/** Secrets whose values Observability writes, and their keys (for a preview role's read grant). */
export interface ManagedSecrets {
  /** ARNs of the secrets. */
  secretArns: pulumi.Output<string>[];
  /** Keys they are encrypted with. */
  kmsKeyArns: pulumi.Output<string>[];
}

/** A CloudWatch log group shipped to Datadog. */
export interface ShippedLogGroup {
  /** Service the logs belong to: Datadog's `service` tag. */
  service: string;
  /** Log group name. */
  name: pulumi.Input<string>;
}

/** A bucket for log records Datadog refused. */
export interface LogBackup {
  /** ARN of the bucket. */
  bucketArn: pulumi.Input<string>;
  /** Key the bucket encrypts with (Firehose encrypts through S3). */
  kmsKeyArn: pulumi.Input<string>;
}

/** Credentials Observability needs. */
export interface ObservabilityCredentials {
  /** Datadog API key: Firehose's log delivery authenticates with it. */
  datadogApiKey: pulumi.Input<string>;
  /** The Opsgenie key of Datadog's Opsgenie integration (prod). Default: no Opsgenie paging. */
  opsgenieApiKey?: pulumi.Input<string>;
  /** Opsgenie's CloudWatch integration endpoint, the last-resort alarms' subscriber (prod). Default: none. */
  opsgenieCloudwatchEndpoint?: pulumi.Input<string>;
}
