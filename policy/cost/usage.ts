/**
 * Usage assumptions: what the plan cannot know (traffic, log volume, stored data), per environment,
 * overridden per stack by `platform:usage`. Every figure the cost report prints next to what it
 * drives. A month is 730 hours.
 */
export const HOURS_PER_MONTH = 730;

export interface Usage {
  /** Services and processors run at their scaling floor all month; this adds average tasks above it, per service. */
  tasksAboveFloor: number;
  /** GB ingested per CloudWatch log group per month. */
  logGbPerGroup: number;
  /** GB each NAT gateway processes per month. */
  natGbPerGateway: number;
  /** Average load-balancer capacity units per ALB. */
  albLcu: number;
  /** Aurora: data stored (GB, each cluster), I/O requests (millions a month, Aurora Standard), backup beyond the free amount (GB), writes replicated to each secondary region (millions of I/Os). */
  aurora: { storageGb: number; ioMillions: number; backupGbBeyondFree: number; replicatedWriteIoMillions: number };
  /** S3: the media bucket's data, every other bucket's (GB). */
  s3: { mediaGb: number; otherGbPerBucket: number };
  /** CloudFront: GB to the internet, millions of requests, and GB of access logs a month. */
  cdn: { gb: number; millionRequests: number; logGb: number };
  /** Millions of messages per work queue a month (each costs three requests: send, receive, delete). */
  queueMillionMessages: number;
  /** Millions of custom events on the platform bus a month. */
  eventMillions: number;
  /** Minutes a scheduled task runs each time. */
  scheduledTaskMinutes: number;
  /** GB of images per ECR repository; GB of packages in CodeArtifact. */
  ecrGbPerRepository: number;
  codeArtifactGb: number;
  /** Invocations of each Lambda function a month (the migration gate: a few per deploy). */
  lambdaInvocations: number;
  /** Datadog: share of log events indexed, events per GB, custom metrics. */
  datadog: { indexedShare: number; eventsPerGb: number; customMetrics: number };
}

const DEV: Usage = {
  tasksAboveFloor: 0,
  logGbPerGroup: 0.5,
  natGbPerGateway: 20,
  albLcu: 1,
  aurora: { storageGb: 10, ioMillions: 5, backupGbBeyondFree: 0, replicatedWriteIoMillions: 0 },
  s3: { mediaGb: 5, otherGbPerBucket: 1 },
  cdn: { gb: 10, millionRequests: 0.5, logGb: 0.25 },
  queueMillionMessages: 0.1,
  eventMillions: 0.1,
  scheduledTaskMinutes: 2,
  ecrGbPerRepository: 2,
  codeArtifactGb: 1,
  lambdaInvocations: 100,
  datadog: { indexedShare: 0.5, eventsPerGb: 1_000_000, customMetrics: 0 },
};

const PROD: Usage = {
  tasksAboveFloor: 1,
  logGbPerGroup: 5,
  natGbPerGateway: 200,
  albLcu: 5,
  aurora: { storageGb: 200, ioMillions: 500, backupGbBeyondFree: 100, replicatedWriteIoMillions: 100 },
  s3: { mediaGb: 500, otherGbPerBucket: 50 },
  cdn: { gb: 2000, millionRequests: 50, logGb: 25 },
  queueMillionMessages: 5,
  eventMillions: 5,
  scheduledTaskMinutes: 2,
  ecrGbPerRepository: 5,
  codeArtifactGb: 5,
  lambdaInvocations: 300,
  datadog: { indexedShare: 0.3, eventsPerGb: 1_000_000, customMetrics: 100 },
};

/** Defaults by environment (`staging` takes dev's). */
export const DEFAULT_USAGE: Record<string, Usage> = { dev: DEV, staging: DEV, prod: PROD };

export type UsageOverride = { [K in keyof Usage]?: Usage[K] extends object ? Partial<Usage[K]> : Usage[K] };

/** The environment's defaults with a stack's overrides on top (nested groups merge field by field). */
export function resolveUsage(environment: string, override: UsageOverride = {}): Usage {
  const base = DEFAULT_USAGE[environment] ?? DEV;
  const out: Record<string, unknown> = { ...base };
  for (const [k, v] of Object.entries(override)) {
    const current = (base as unknown as Record<string, unknown>)[k];
    out[k] = v !== null && typeof v === "object" && typeof current === "object" ? { ...(current as object), ...v } : v;
  }
  return out as unknown as Usage;
}
