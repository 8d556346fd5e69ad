import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { ObservabilitySettings } from "./settings";
import { WatchedStack } from "./types";

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
  /** Pulumi-protect the KMS keys (losing one loses what it encrypted). */
  protect: boolean;
  /** Datadog site and namespaces, paging, SLO targets and monitor thresholds. */
  settings: ObservabilitySettings;
  /** AWS region of the primary stack (monitors filter on it). Example: `"us-east-1"`. */
  region: string;
  /** Everything the stack runs; monitors, SLOs and the dashboard follow it. */
  stack: WatchedStack;
  /** Provider of the Global Database's secondary region (with `stack.aurora.secondary`). */
  secondaryProvider?: aws.Provider;
  /**
   * The warm-standby region (the secondary region, with `secondaryProvider`): what runs there gets
   * the monitors that matter while it waits (5xx, tasks below desired, unhealthy targets), a group
   * on the dashboard, last-resort alarms for its ALB and dead letters, and its own log shipping.
   */
  standby?: WatchedStandby;
  /** Log groups shipped to Datadog, by the service each belongs to. */
  logGroups: ShippedLogGroup[];
  /** Days the Firehose error log group keeps events (a CloudWatch retention value). */
  logRetentionDays: number;
  /** Where Firehose keeps what Datadog did not accept, and that bucket's key. */
  logBackup: LogBackup;
  /** Secrets Observability writes (into Secrets Manager) or hands to Datadog and CloudWatch. */
  credentials: ObservabilityCredentials;
}

/** The warm-standby region, as Observability watches it. */
export interface WatchedStandby {
  /** What the standby region runs. */
  stack: WatchedStack;
  /** The standby's log groups shipped to Datadog. */
  logGroups: ShippedLogGroup[];
  /** The standby region's bucket for log records Datadog refused, and its key. */
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
