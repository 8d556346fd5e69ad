/**
 * Compute's limits, checked on its args before anything is created: one error lists every
 * problem, each naming the arg. config/compute.ts states the same limits through the same
 * constants (components/lib/validate.ts), so a stack reports them under its config keys first.
 */
import {
  ArgsProblems,
  CONTAINER_PORT,
  TASK_COUNT,
  fargateCpuProblem,
  fargateMemoryProblem,
  logRetentionProblem,
  resourceNameProblem,
  serviceNameProblem,
  wholeNumber,
} from "../lib/validate";
import { ComputeArgs } from "./args";
import { TaskBounds, TaskSize } from "./types";

/** Minutes a deployment may bake, and a schedule may start late. */
export const BAKE_TIME_MINUTES = { min: 0, max: 1440 } as const;
/** Releases kept per ECR repository (an ECR lifecycle rule's count). */
export const KEEP_IMAGES = { min: 1, max: 1000 } as const;
/** Receives before a message moves to the DLQ (SQS maxReceiveCount). */
export const MAX_RECEIVE_COUNT = { min: 1, max: 1000 } as const;
/** Days SQS keeps a message (its retention period: 60 s to 14 days). */
export const QUEUE_RETENTION_DAYS = { min: 1, max: 14 } as const;
/** Seconds one message may take: the visibility timeout (timeout + 60) stays within SQS's 12 hours. */
export const MESSAGE_TIMEOUT_SECONDS = { min: 1, max: 43200 - 60 } as const;
/** Minutes of an EventBridge Scheduler flexible time window. */
export const FLEXIBLE_WINDOW_MINUTES = { min: 0, max: 1440 } as const;
/** Retries of an EventBridge Scheduler target (its MaximumRetryAttempts). */
export const SCHEDULE_RETRIES = { min: 0, max: 185 } as const;
/** ALB path patterns one service may have (one rule condition takes five values). */
export const SERVICE_PATHS_MAX = 5;

const inRange = (r: { min: number; max: number }) => wholeNumber(r.min, r.max);

function checkSize(p: ArgsProblems, at: string, size: TaskSize): void {
  p.check(`${at}.cpu`, size.cpu, fargateCpuProblem);
  if (size.cpu !== undefined && size.memory !== undefined) {
    const problem = fargateMemoryProblem(size.cpu, size.memory);
    if (problem) p.add(`${at}.memory`, problem);
  }
}

function checkBounds(p: ArgsProblems, at: string, min: number | undefined, max: number): void {
  p.check(`${at}.minTasks`, min, inRange(TASK_COUNT));
  p.check(`${at}.maxTasks`, max, wholeNumber(1, TASK_COUNT.max));
  if (min !== undefined && min > max) p.add(`${at}.maxTasks`, `expected at least minTasks (${min}), got ${max}`);
}

const checkTaskBounds = (p: ArgsProblems, at: string, b: TaskBounds) => checkBounds(p, at, b.minTasks, b.maxTasks);

/** Throws one error naming every arg of `args` outside Compute's limits; `component` leads the message. */
export function checkComputeArgs(component: string, args: ComputeArgs): void {
  const p = new ArgsProblems(component);
  const s = args.settings;
  checkTaskBounds(p, "settings.scaling", s.scaling);
  p.check("settings.bakeTimeMinutes", s.bakeTimeMinutes, inRange(BAKE_TIME_MINUTES));
  p.check("settings.logRetentionDays", s.logRetentionDays, logRetentionProblem);
  p.check("settings.keepImages", s.keepImages, inRange(KEEP_IMAGES));
  p.check("settings.migrations.image", s.migrations.image, resourceNameProblem);
  checkSize(p, "settings.migrations", s.migrations);
  if (!args.services.length) p.add("services", "expected at least one service");
  const names = new Set<string>();
  args.services.forEach((svc, i) => {
    const at = `services[${i}]`;
    p.check(`${at}.name`, svc.name, serviceNameProblem);
    if (names.has(svc.name)) p.add(`${at}.name`, `expected a unique service name, got ${JSON.stringify(svc.name)} again`);
    names.add(svc.name);
    p.check(`${at}.port`, svc.port, inRange(CONTAINER_PORT));
    p.check(`${at}.image`, svc.image, resourceNameProblem);
    if (svc.paths && (svc.paths.length < 1 || svc.paths.length > SERVICE_PATHS_MAX)) p.add(`${at}.paths`, `expected 1 to ${SERVICE_PATHS_MAX} path patterns, got ${svc.paths.length}`);
    checkSize(p, at, svc);
    if (svc.scaling) checkTaskBounds(p, `${at}.scaling`, svc.scaling);
  });
  (args.queues ?? []).forEach((q, i) => {
    const at = `queues[${i}]`;
    p.check(`${at}.name`, q.name, resourceNameProblem);
    p.check(`${at}.maxReceiveCount`, q.maxReceiveCount, inRange(MAX_RECEIVE_COUNT));
    p.check(`${at}.retentionDays`, q.retentionDays, inRange(QUEUE_RETENTION_DAYS));
    p.check(`${at}.processor.image`, q.processor.image, resourceNameProblem);
    checkSize(p, `${at}.processor`, q.processor);
    checkBounds(p, `${at}.processor`, q.processor.minTasks, q.processor.maxTasks);
    p.check(`${at}.processor.timeoutSeconds`, q.processor.timeoutSeconds, inRange(MESSAGE_TIMEOUT_SECONDS));
  });
  (args.schedules ?? []).forEach((sch, i) => {
    const at = `schedules[${i}]`;
    p.check(`${at}.name`, sch.name, resourceNameProblem);
    p.check(`${at}.flexibleWindowMinutes`, sch.flexibleWindowMinutes, inRange(FLEXIBLE_WINDOW_MINUTES));
    p.check(`${at}.retries`, sch.retries, inRange(SCHEDULE_RETRIES));
    if (!names.has(sch.service)) p.add(`${at}.service`, `expected one of the services (${[...names].join(", ")}), got ${JSON.stringify(sch.service)}`);
  });
  for (const [service, min] of Object.entries(args.serviceMinTasks ?? {})) {
    p.check(`serviceMinTasks.${service}`, min, inRange(TASK_COUNT));
  }
  p.throwIfAny();
}
