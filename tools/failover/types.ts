/**
 * The failover's vocabulary: what the steps touch (`Deps`: clients per region, Cloudflare, a clock),
 * what they move (`Plan`), and what a step is (`Step`: a read-only `done()` over the live state and
 * a `run()` that changes it).
 */
import type { ApplicationAutoScalingClient } from "@aws-sdk/client-application-auto-scaling";
import type { CloudWatchClient } from "@aws-sdk/client-cloudwatch";
import type { ECSClient } from "@aws-sdk/client-ecs";
import type { ElastiCacheClient } from "@aws-sdk/client-elasticache";
import type { RDSClient } from "@aws-sdk/client-rds";
import type { SchedulerClient } from "@aws-sdk/client-scheduler";
import type { FailoverOutputs } from "./outputs";

export type Mode = "planned" | "unplanned" | "failback";

/** Everything the steps touch: clients per region, Cloudflare, and time (injected, so drills run instantly). */
export interface Deps {
  rds(region: string): RDSClient;
  /** RDS for SwitchoverGlobalCluster and FailoverGlobalCluster only: one attempt, never re-sent by the SDK. */
  rdsOnce(region: string): RDSClient;
  ecs(region: string): ECSClient;
  elasticache(region: string): ElastiCacheClient;
  /** ElastiCache for FailoverGlobalReplicationGroup only: one attempt, never re-sent by the SDK. */
  elasticacheOnce(region: string): ElastiCacheClient;
  autoscaling(region: string): ApplicationAutoScalingClient;
  scheduler(region: string): SchedulerClient;
  cloudwatch(region: string): CloudWatchClient;
  /** `fetch` for Cloudflare's API and the health check. */
  fetch: typeof fetch;
  cloudflareToken: string;
  now(): number;
  /** Waits `ms` on this clock; rejects when `signal` aborts first. */
  sleep(ms: number, signal?: AbortSignal): Promise<void>;
  /** A signal that aborts `ms` from now on this clock (a step's timeout). */
  deadline(ms: number): AbortSignal;
  log(line: string): void;
  /** The running step's timeout; every call and wait of the step gives up when it aborts (set by run.ts). */
  signal?: AbortSignal;
  /** When that signal aborts (this clock's ms), so a wait longer than what is left is not started (set by run.ts). */
  deadlineAt?: number;
}

export interface Plan {
  outputs: FailoverOutputs;
  mode: Mode;
  /** Region the platform moves to, and the one it leaves. */
  to: string;
  from: string;
  /** Planned switchover refuses a lag above this (ms). */
  maxLagMs: number;
  /** Unplanned only: fail over although the old primary still answers (its writers are stopped first). */
  forceWhilePrimaryAnswers?: boolean;
}

/**
 * What the live state says of a step: not done, done, or done as far as it can be with lines a
 * person must still do (e.g. the lost region's schedules), which makes the step `partial`.
 */
export type Done = boolean | { todo: string[] };

export interface Step {
  name: string;
  timeoutMs: number;
  /** Read-only: whether the live state already has this step's result. */
  done(): Promise<Done>;
  /** Makes the change and waits for it; returns the to-do lines it could not do itself. */
  run(): Promise<string[] | void>;
  /** What a person would do by hand if this step cannot finish (the error's own advice comes first). */
  byHand: string;
}

export class StepError extends Error {
  constructor(
    message: string,
    /** Advice built from what went wrong (e.g. "the switchover is still in progress: do not send another"). */
    readonly next?: string,
  ) {
    super(message);
  }
}
