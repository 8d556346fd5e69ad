/**
 * Observability's limits, checked on its args before anything is created (one error lists every
 * problem, each naming the arg). config/observability.ts reuses the same constants.
 */
import { ArgsProblems, logRetentionProblem, wholeNumber } from "../lib/validate";
import type { ObservabilityArgs } from "./args";
import { AURORA_CONNECTIONS, LATENCY_P95_MS, QUEUE_AGE_SECONDS, percentProblem } from "./settings";

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
