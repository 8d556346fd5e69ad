import { z } from "zod";
import { intInRange, strictObject } from "./fields";

/**
 * `platform:usage`: the usage the cost estimate assumes (traffic, log volume, stored data), over
 * the environment's defaults in policy/cost/usage.ts; each group merges field by field. Example:
 * `{ logGbPerGroup: 2, aurora: { storageGb: 50 } }`.
 */
const amount = (max: number) => z.number({ error: "expected a number" }).min(0, { error: "expected 0 or more" }).max(max, { error: `expected at most ${max}` });
export const usageSchema = strictObject({
  /** Average tasks above each service's scaling floor. */
  tasksAboveFloor: amount(100).optional(),
  /** Ingested per CloudWatch log group (and shipped to Datadog) */
  logGbPerGroup: amount(100000).optional(),
  /** Processed per NAT gateway. */
  natGbPerGateway: amount(1000000).optional(),
  /** Average load-balancer capacity units per ALB. */
  albLcu: amount(10000).optional(),
  /** Per cluster: stored GB, I/O (Aurora Standard), backup beyond the free amount, writes replicated to each secondary. */
  aurora: strictObject({
    /** GB stored per cluster. */
    storageGb: amount(131072).optional(),
    /** Millions of I/O requests a month per cluster (Aurora Standard bills them). */
    ioMillions: amount(1e7).optional(),
    /** GB of backups beyond the free amount (the cluster's size). */
    backupGbBeyondFree: amount(1e6).optional(),
    /** Millions of writes a month replicated to each secondary cluster (Global Database). */
    replicatedWriteIoMillions: amount(1e7).optional(),
  }).optional(),
  /** Stored GB. */
  s3: strictObject({
    /** GB in the media bucket (and its replica). */
    mediaGb: amount(1e7).optional(),
    /** GB in each other bucket (access logs, log backup). */
    otherGbPerBucket: amount(1e7).optional(),
  }).optional(),
  /** CloudFront transfer, requests and access-log GB a month. */
  cdn: strictObject({
    /** GB CloudFront transfers to viewers a month. */
    gb: amount(1e7).optional(),
    /** Millions of CloudFront requests a month. */
    millionRequests: amount(1e6).optional(),
    /** GB of CloudFront access logs a month (standard logging v2). */
    logGb: amount(1e6).optional(),
  }).optional(),
  /** Per work queue (3 requests each) */
  queueMillionMessages: amount(1e6).optional(),
  /** Custom events on the platform bus. */
  eventMillions: amount(1e6).optional(),
  /** Each scheduled run of a service's task. */
  scheduledTaskMinutes: amount(1440).optional(),
  /** Images per ECR repository. */
  ecrGbPerRepository: amount(10000).optional(),
  /** Packages in CodeArtifact. */
  codeArtifactGb: amount(10000).optional(),
  /** Per Lambda function (the migration gate) */
  lambdaInvocations: amount(1e9).optional(),
  /** Share of shipped log events indexed, events per GB, custom metrics. */
  datadog: strictObject({
    /** Share (0–1) of shipped log events Datadog indexes. */
    indexedShare: amount(1).optional(),
    /** Log events per GB shipped. */
    eventsPerGb: amount(1e8).optional(),
    /** Custom metrics billed a month. */
    customMetrics: amount(1e6).optional(),
  }).optional(),
}).default({});

/**
 * AWS Budgets allows five notifications per budget (unverified; the quotas page,
 * https://docs.aws.amazon.com/cost-management/latest/userguide/budgets-limits.html, was not read
 * in this session): each threshold gets an ACTUAL and a FORECASTED one, so at most two thresholds.
 */
export const MAX_BUDGET_THRESHOLDS = 2;

/** `platform:budget`: the stack's monthly AWS budget, where it alerts, and the plan's cost gate. */
export const budgetSchema = strictObject({
  /** Monthly AWS spend in USD the stack should stay within (the plan warns and the policy gate refuses above it). */
  monthlyUsd: z.number({ error: "expected a monthly amount in USD" }).positive({ error: "expected a positive amount in USD" }),
  /** Percentages of the budget that alert, on actual and on forecast spend (at most two: a budget has five notifications). */
  thresholds: z
    .array(intInRange(1, 1000))
    .min(1)
    .max(MAX_BUDGET_THRESHOLDS, { error: `expected at most ${MAX_BUDGET_THRESHOLDS} thresholds: each sends an actual and a forecast notification, and a budget has five at most` })
    .default([80, 100]),
  /** Email addresses the notifications go to (at most 10). */
  recipients: z.array(z.email({ error: "expected an email address" })).min(1, { error: "expected at least one recipient" }).max(10),
});
