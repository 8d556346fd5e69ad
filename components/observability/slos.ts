import * as pulumi from "@pulumi/pulumi";
import { scope } from "./monitors";
import { Priority } from "./types";

/** Good/total events of a service's availability SLO: requests its targets did not answer with 5xx. */
export function availabilityQuery(targetGroupArnSuffixes: pulumi.Input<string>[]): { numerator: pulumi.Output<string>; denominator: pulumi.Output<string> } {
  const tg = scope("targetgroup", targetGroupArnSuffixes);
  const total = pulumi.interpolate`sum:aws.applicationelb.request_count${tg}.as_count()`;
  return { numerator: pulumi.interpolate`${total} - sum:aws.applicationelb.httpcode_target_5xx${tg}.as_count()`, denominator: total };
}

/** Warning level of an SLO: halfway between the target and 100%, so it warns before the target is missed. */
export function sloWarning(target: number): number {
  return Math.round((target + (100 - target) / 2) * 1000) / 1000;
}

/**
 * Multi-window burn-rate alerts (Google SRE workbook): fast burn pages (2% of a 30-day budget in an
 * hour), slow burn tickets (5% in six hours).
 */
export const BURN_RATES: { key: string; long: string; short: string; rate: number; priority: Priority }[] = [
  { key: "fast-burn", long: "1h", short: "5m", rate: 14.4, priority: 2 },
  { key: "slow-burn", long: "6h", short: "30m", rate: 6, priority: 3 },
];

export function burnRateQuery(sloId: pulumi.Input<string>, timeframe: string, b: (typeof BURN_RATES)[number]): pulumi.Output<string> {
  return pulumi.interpolate`burn_rate("${sloId}").over("${timeframe}").long_window("${b.long}").short_window("${b.short}") > ${b.rate}`;
}
