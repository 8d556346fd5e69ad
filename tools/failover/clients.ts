/**
 * The real clients, built for a night when a region may be gone: each SDK client has a connection
 * timeout, a request timeout and few attempts, so a call to a black-holed endpoint fails in seconds
 * instead of hanging (`requestHandler` options of @smithy/node-http-handler,
 * https://docs.aws.amazon.com/sdk-for-javascript/v3/developer-guide/node-configuring-maxsockets.html;
 * `maxAttempts`, https://docs.aws.amazon.com/sdkref/latest/guide/feature-retry-behavior.html).
 */
import { ApplicationAutoScalingClient } from "@aws-sdk/client-application-auto-scaling";
import { CloudWatchClient } from "@aws-sdk/client-cloudwatch";
import { ECSClient } from "@aws-sdk/client-ecs";
import { ElastiCacheClient } from "@aws-sdk/client-elasticache";
import { RDSClient } from "@aws-sdk/client-rds";
import { SchedulerClient } from "@aws-sdk/client-scheduler";
import { realClock } from "./clock";
import { Deps } from "./types";

/** Per attempt: 3 s to connect, 10 s for an answer; 2 attempts (one retry; 1 for the three moving commands). A lost region costs at most ~30 s a call. */
export const CLIENT_LIMITS = { connectionTimeout: 3_000, requestTimeout: 10_000, maxAttempts: 2 } as const;

export function awsDeps(cloudflareToken: string, log: (line: string) => void): Deps {
  const cache = new Map<string, unknown>();
  const config = (region: string, maxAttempts: number = CLIENT_LIMITS.maxAttempts) => ({
    region,
    maxAttempts,
    // Without throwOnRequestTimeout node-http-handler 4.x only logs a warning when requestTimeout passes
    // (https://github.com/smithy-lang/smithy-typescript/blob/main/packages/node-http-handler/src/set-request-timeout.ts).
    requestHandler: { connectionTimeout: CLIENT_LIMITS.connectionTimeout, requestTimeout: CLIENT_LIMITS.requestTimeout, throwOnRequestTimeout: true },
  });
  const client = <T>(kind: string, region: string, make: () => T): T => {
    const key = `${kind}/${region}`;
    if (!cache.has(key)) cache.set(key, make());
    return cache.get(key) as T;
  };
  return {
    rds: (region) => client("rds", region, () => new RDSClient(config(region))),
    // A retried Switchover/FailoverGlobalCluster whose first attempt reached AWS starts a second move: one attempt, then re-read FailoverState (steps.ts).
    rdsOnce: (region) => client("rds-once", region, () => new RDSClient(config(region, 1))),
    ecs: (region) => client("ecs", region, () => new ECSClient(config(region))),
    elasticache: (region) => client("elasticache", region, () => new ElastiCacheClient(config(region))),
    // A retried FailoverGlobalReplicationGroup could promote twice: one attempt, then the datastore is read again (sessions.ts).
    elasticacheOnce: (region) => client("elasticache-once", region, () => new ElastiCacheClient(config(region, 1))),
    autoscaling: (region) => client("autoscaling", region, () => new ApplicationAutoScalingClient(config(region))),
    scheduler: (region) => client("scheduler", region, () => new SchedulerClient(config(region))),
    cloudwatch: (region) => client("cloudwatch", region, () => new CloudWatchClient(config(region))),
    // Cloudflare and the health check: 15 s per request unless the step's own signal ends it sooner.
    fetch: (url, init) => fetch(url, { ...init, signal: init?.signal ? AbortSignal.any([init.signal, AbortSignal.timeout(15_000)]) : AbortSignal.timeout(15_000) }),
    cloudflareToken,
    ...realClock,
    log,
  };
}
