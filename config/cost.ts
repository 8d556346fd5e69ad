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
  aurora: strictObject({ storageGb: amount(131072).optional(), ioMillions: amount(1e7).optional(), backupGbBeyondFree: amount(1e6).optional(), replicatedWriteIoMillions: amount(1e7).optional() }).optional(),
  /** Stored GB. */
  s3: strictObject({ mediaGb: amount(1e7).optional(), otherGbPerBucket: amount(1e7).optional() }).optional(),
  /** CloudFront transfer, requests and access-log GB a month. */
  cdn: strictObject({ gb: amount(1e7).optional(), millionRequests: amount(1e6).optional(), logGb: amount(1e6).optional() }).optional(),
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
  datadog: strictObject({ indexedShare: amount(1).optional(), eventsPerGb: amount(1e8).optional(), customMetrics: amount(1e6).optional() }).optional(),
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
  /** Percentages of the budget that alert, on actual and on forecast spend. */
  thresholds: z
    .array(intInRange(1, 1000))
    .min(1)
    .max(MAX_BUDGET_THRESHOLDS, { error: `expected at most ${MAX_BUDGET_THRESHOLDS} thresholds: each sends an actual and a forecast notification, and a budget has five at most` })
    .default([80, 100]),
  /** Email addresses the notifications go to (at most 10). */
  recipients: z.array(z.email({ error: "expected an email address" })).min(1, { error: "expected at least one recipient" }).max(10),
});
