/**
 * Observability's limits, checked on its args before anything is created (one error lists every
 * problem, each naming the arg). config/observability.ts reuses the same constants.
 */
import { ArgsProblems, logRetentionProblem, wholeNumber } from "../lib/validate";
import { ObservabilityArgs } from "./args";

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

/** Throws one error naming every arg of `args` outside Observability's limits. */
export function checkObservabilityArgs(component: string, args: ObservabilityArgs): void {
  const p = new ArgsProblems(component);
  if (!args.regions.length) p.add("regions", "expected at least one region");
  p.check("logRetentionDays", args.logRetentionDays, logRetentionProblem);
  const { slo, thresholds: t } = args.settings;
  p.check("settings.slo.target", slo?.target, percentProblem);
  for (const [service, target] of Object.entries(slo?.overrides ?? {})) p.check(`settings.slo.overrides.${service}`, target, percentProblem);
  p.check("settings.thresholds.latencyP95Ms", t?.latencyP95Ms, wholeNumber(LATENCY_P95_MS.min, LATENCY_P95_MS.max));
  p.check("settings.thresholds.errorRatePercent", t?.errorRatePercent, percentProblem);
  p.check("settings.thresholds.auroraConnections", t?.auroraConnections, wholeNumber(AURORA_CONNECTIONS.min, AURORA_CONNECTIONS.max));
  p.check("settings.thresholds.queueAgeSeconds", t?.queueAgeSeconds, wholeNumber(QUEUE_AGE_SECONDS.min, QUEUE_AGE_SECONDS.max));
  p.throwIfAny();
}
