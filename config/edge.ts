import { z } from "zod";
import { pathPattern } from "./compute";
import { configBoolean, hostname, intInRange, resourceName, strictObject } from "./fields";
import { CLOUDFLARE_ADD_ONS, CLOUDFLARE_PLANS } from "@platform/components/edge/plans";
import {
  EDGE_CACHE_DEFAULTS,
  EDGE_DEFAULTS,
  EDGE_FAILOVER_DEFAULTS,
  EDGE_TTL_SECONDS,
  EDGE_WAF_DEFAULTS,
  HEALTH_CHECK_INTERVAL_SECONDS,
  HSTS_DEFAULTS,
  HSTS_MAX_AGE_SECONDS,
  RATE_LIMIT_DEFAULTS,
} from "@platform/components/edge";

/**
 * Config of the Cloudflare edge. Which values a zone accepts depends on its plan (`plan`,
 * `addOns`): validation refuses what the plan lacks (components/edge/plans.ts has the limits).
 */

/** Six months, the least HSTS preload lists and scanners accept (the Edge component's limit). */
export const HSTS_MIN_SECONDS = HSTS_MAX_AGE_SECONDS.min;
/** Rate-limit periods Cloudflare offers (10 s on every plan; longer ones on paid plans). */
export const RATE_LIMIT_PERIODS = [10, 60, 120, 300, 600, 3600] as const;
/** Mitigation timeouts Cloudflare offers (0 = only while over the limit: Enterprise). */
export const MITIGATION_TIMEOUTS = [0, 10, 60, 120, 300, 600, 3600, 86400] as const;

const oneOf = <T extends readonly number[]>(values: T, what: string) =>
  z.union([z.number(), z.string().regex(/^\d+$/).transform(Number)]).pipe(
    z.number().refine((n) => (values as readonly number[]).includes(n), { error: `expected one of the ${what} Cloudflare offers: ${values.join(", ")}` }),
  );

export const rateLimitSchema = strictObject({
  /** Rule name, unique in the zone (it names the rule in Security Events). */
  name: resourceName,
  /** Exact request path the limit counts, e.g. /auth/login. */
  path: z.string().regex(/^\/[\w./-]*$/, { error: "expected an exact path such as /auth/login" }),
  /** Count only these methods (rules on the request method need the business plan or above); all methods when absent. */
  methods: z.array(z.enum(["GET", "POST", "PUT", "PATCH", "DELETE"])).min(1).optional(),
  /** Requests one client (IP, per Cloudflare data centre) may make per period. */
  requests: intInRange(1, 1_000_000),
  /** Counting period: 10, 60, 120, 300, 600 or 3600 seconds, as far as the plan allows (free: 10). */
  periodSeconds: oneOf(RATE_LIMIT_PERIODS, "periods"),
  /** How long a client that went over stays blocked: 0, 10, 60, 120, 300, 600, 3600 or 86400 seconds, as far as the plan allows (0: Enterprise). */
  mitigationTimeoutSeconds: oneOf(MITIGATION_TIMEOUTS, "mitigation timeouts"),
  /** What happens once a client is over the limit: `block`, or a `managed_challenge` it can pass. */
  action: z.enum(["block", "managed_challenge"]).default(RATE_LIMIT_DEFAULTS.action),
});

export const customRuleSchema = strictObject({
  /** What the rule is for; it shows in Security Events. */
  description: z.string().min(1, { error: "expected a description (it shows in Security Events)" }),
  /** A Cloudflare Rules language expression, e.g. (ip.src.country in {"KP"}). */
  expression: z.string().min(3, { error: "expected a Rules language expression" }),
  /** What Cloudflare does with a matching request (`log` needs Enterprise). */
  action: z.enum(["block", "managed_challenge", "js_challenge", "log"]),
});

export const edgeSchema = strictObject({
  /** The zone's Cloudflare plan: it picks the managed rulesets and bot protection; validation refuses any setting the plan lacks, naming the plan it needs (docs/platform.md, "Edge"). */
  plan: z.enum(CLOUDFLARE_PLANS),
  /** Paid add-ons of the zone (load balancing on any plan; bot management with Enterprise). */
  addOns: z.array(z.enum(CLOUDFLARE_ADD_ONS)).default(EDGE_DEFAULTS.addOns),
  /** Public hosts, each once, proxied to the ALB as CNAMEs (names inside platform:dns.domain; the apex is allowed). */
  hosts: z.array(hostname).min(1, { error: "expected at least one public host" }),
  /** Host of the media CloudFront distribution; left out, the Edge component serves it at media.<domain> (EdgeArgs.mediaHost). */
  mediaHost: hostname.optional(),
  /** HSTS on Cloudflare and CloudFront, subdomains included. */
  hsts: strictObject({
    /** Seconds browsers remember to reach every host over HTTPS only. */
    maxAgeSeconds: intInRange(HSTS_MAX_AGE_SECONDS.min, HSTS_MAX_AGE_SECONDS.max).default(HSTS_DEFAULTS.maxAgeSeconds),
    /** Ask browsers to preload (hard to undo: only when every subdomain is HTTPS for good). */
    preload: configBoolean.default(HSTS_DEFAULTS.preload),
  }).default(HSTS_DEFAULTS),
  /** OWASP anomaly threshold 60/40/25 (pro and above; `log` needs Enterprise); custom rules in order. */
  waf: strictObject({
    /** OWASP Core Ruleset (pro plan and above) anomaly-score threshold: low 60, medium 40 (default), high 25. */
    owaspSensitivity: z.enum(["low", "medium", "high"]).optional(),
    /** What the OWASP ruleset does over the threshold: block (default), managed_challenge, or log (Enterprise). */
    owaspAction: z.enum(["block", "managed_challenge", "log"]).optional(),
    /** Custom firewall rules, in order. */
    customRules: z.array(customRuleSchema).default(EDGE_WAF_DEFAULTS.customRules),
  }).default(EDGE_WAF_DEFAULTS),
  /** Zone-wide rate-limiting rules: the zone owner's stack (platform:dns.ownsZone) needs at least the login limit; the others set none. */
  rateLimits: z.array(rateLimitSchema).default(EDGE_DEFAULTS.rateLimits),
  /** Bot protection: Bot Fight Mode on free zones, Super Bot Fight Mode on paid ones. */
  botFightMode: configBoolean.default(EDGE_DEFAULTS.botFightMode),
  /** Region failover through Cloudflare Load Balancing (with platform:standby): each host gets a load balancer, the serving region's pool first, the other on failure. */
  failover: strictObject({
    /** Path each region's ALB must answer 2xx on for Cloudflare to send it traffic. */
    healthPath: z.string().regex(/^\/[\w./-]*$/, { error: "expected a path such as /api/health" }).default(EDGE_FAILOVER_DEFAULTS.healthPath),
    /** Seconds between health checks: 60 on every Load Balancing subscription; shorter ones depend on it (unverified). */
    intervalSeconds: intInRange(HEALTH_CHECK_INTERVAL_SECONDS.min, HEALTH_CHECK_INTERVAL_SECONDS.max).default(EDGE_FAILOVER_DEFAULTS.intervalSeconds),
    /** Addresses Cloudflare emails when a region's pool changes health (e.g. Opsgenie's email integration). */
    notifyEmails: z.array(z.email({ error: "expected an email address" })).default(EDGE_FAILOVER_DEFAULTS.notifyEmails),
  }).default(EDGE_FAILOVER_DEFAULTS),
  /** Immutable assets cached at the edge; every service path except `/*` bypasses the cache. */
  cache: strictObject({
    /** Immutable assets cached at the edge for `staticEdgeTtlSeconds`. */
    staticPaths: z.array(pathPattern).default(EDGE_CACHE_DEFAULTS.staticPaths),
    /** Seconds Cloudflare keeps a static asset at the edge. */
    staticEdgeTtlSeconds: intInRange(EDGE_TTL_SECONDS.min, EDGE_TTL_SECONDS.max).default(EDGE_CACHE_DEFAULTS.staticEdgeTtlSeconds),
  }).default(EDGE_CACHE_DEFAULTS),
});
