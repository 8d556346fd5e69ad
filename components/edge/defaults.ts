/**
 * Edge's defaults and limits, one place each: every `@default` of EdgeArgs and the types it uses
 * is applied in withEdgeDefaults (the rule builders in rules.ts apply the rules' own), and
 * checkEdgeArgs refuses args outside the limits before anything is created. config/edge.ts takes
 * the same constants for its zod defaults and limits.
 */
import { Defaulted, withDefaults } from "../lib/defaults";
import { ArgsProblems, wholeNumber } from "../lib/validate";
import { planProblems } from "./plans";
import type { EdgeArgs, EdgeCache, EdgeFailover, EdgeWaf, Hsts } from "./index";

/** HSTS max-age: six months (the least preload lists and scanners accept) to two years. */
export const HSTS_MAX_AGE_SECONDS = { min: 15768000, max: 63072000 } as const;
/** Seconds Cloudflare may keep a static asset at the edge. */
export const EDGE_TTL_SECONDS = { min: 60, max: 31536000 } as const;
/** Seconds between Cloudflare Load Balancing health checks. */
export const HEALTH_CHECK_INTERVAL_SECONDS = { min: 10, max: 3600 } as const;

export const HSTS_DEFAULTS = { maxAgeSeconds: 31536000, preload: false } satisfies Required<Hsts>;
export const EDGE_CACHE_DEFAULTS = { staticPaths: ["/_next/static/*"], staticEdgeTtlSeconds: 31536000 } satisfies Required<EdgeCache>;
export const EDGE_WAF_DEFAULTS = { customRules: [] } satisfies Partial<EdgeWaf>;
export const EDGE_FAILOVER_DEFAULTS = { healthPath: "/api/health", intervalSeconds: 60, notifyEmails: [] } satisfies Partial<EdgeFailover>;
export const EDGE_DEFAULTS = { addOns: [], manageZone: true, hsts: {}, waf: {}, rateLimits: [], botFightMode: true, cache: {}, dynamicPaths: [] } satisfies Partial<EdgeArgs>;

export type ResolvedEdgeArgs = Omit<Defaulted<EdgeArgs, typeof EDGE_DEFAULTS>, "hsts" | "waf" | "cache" | "failover" | "mediaHost"> & {
  mediaHost: string;
  hsts: Required<Hsts>;
  waf: Defaulted<EdgeWaf, typeof EDGE_WAF_DEFAULTS>;
  cache: Required<EdgeCache>;
  failover?: Defaulted<EdgeFailover, typeof EDGE_FAILOVER_DEFAULTS>;
};

/** EdgeArgs with every default filled in. */
export function withEdgeDefaults(args: EdgeArgs): ResolvedEdgeArgs {
  const top = withDefaults(args, EDGE_DEFAULTS);
  return {
    ...top,
    mediaHost: args.mediaHost ?? `media.${args.domain}`,
    hsts: withDefaults(top.hsts, HSTS_DEFAULTS),
    waf: withDefaults(top.waf, EDGE_WAF_DEFAULTS),
    cache: withDefaults(top.cache, EDGE_CACHE_DEFAULTS),
    failover: args.failover && withDefaults(args.failover, EDGE_FAILOVER_DEFAULTS),
  };
}

/** Throws one error naming every arg of `args` outside Edge's limits. */
export function checkEdgeArgs(component: string, args: EdgeArgs): void {
  const p = new ArgsProblems(component);
  if (!args.hosts.length) p.add("hosts", "expected at least one public host");
  args.hosts.forEach((host, i) => {
    if (host !== args.domain && !host.endsWith(`.${args.domain}`)) p.add(`hosts[${i}]`, `expected ${args.domain} or a name under it, got ${JSON.stringify(host)}`);
  });
  p.check("hsts.maxAgeSeconds", args.hsts?.maxAgeSeconds, wholeNumber(HSTS_MAX_AGE_SECONDS.min, HSTS_MAX_AGE_SECONDS.max));
  p.check("cache.staticEdgeTtlSeconds", args.cache?.staticEdgeTtlSeconds, wholeNumber(EDGE_TTL_SECONDS.min, EDGE_TTL_SECONDS.max));
  p.check("failover.intervalSeconds", args.failover?.intervalSeconds, wholeNumber(HEALTH_CHECK_INTERVAL_SECONDS.min, HEALTH_CHECK_INTERVAL_SECONDS.max));
  // What the zone's plan allows (Cloudflare's API would refuse the rest at deploy time).
  for (const [key, message] of planProblems(args)) p.add(key, message);
  p.throwIfAny();
}
