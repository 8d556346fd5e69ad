import * as cloudflare from "@pulumi/cloudflare";

/** Cloudflare rule lists built from config; pure, so their expressions are unit-tested. */

type Rule = cloudflare.types.input.RulesetRule;

/** Ids of the managed rulesets Cloudflare publishes (the same in every account). */
export const CLOUDFLARE_MANAGED_RULESET = "efb7b8c949ac4650a09736fc376e9aee";
export const OWASP_CORE_RULESET = "4814384a9e5d4991b9815dcfc25d2f1f";
/** The ruleset free zones get instead (https://developers.cloudflare.com/waf/managed-rules/). */
export const FREE_MANAGED_RULESET = "77454fe2d30c4220b5701f6fdfb893ba";
/** The OWASP ruleset's anomaly-score rule, where the threshold and action are set. */
export const OWASP_SCORE_RULE = "6179ae15870a4bb7b2d480d4843b323c";
/** Anomaly-score thresholds per sensitivity (Cloudflare's low/medium/high). */
export const OWASP_THRESHOLDS = { low: 60, medium: 40, high: 25 } as const;

/** What a custom WAF rule does on a match; `log` needs Enterprise. */
export const CustomRuleAction = { Block: "block", ManagedChallenge: "managed_challenge", JsChallenge: "js_challenge", Log: "log" } as const;
export type CustomRuleAction = (typeof CustomRuleAction)[keyof typeof CustomRuleAction];

/** What a rate-limiting rule does over its limit. */
export const RateLimitAction = { Block: "block", ManagedChallenge: "managed_challenge" } as const;
export type RateLimitAction = (typeof RateLimitAction)[keyof typeof RateLimitAction];

/** OWASP anomaly-score sensitivity: the threshold is 60 (low), 40 (medium) or 25 (high). */
export const OwaspSensitivity = { Low: "low", Medium: "medium", High: "high" } as const;
export type OwaspSensitivity = (typeof OwaspSensitivity)[keyof typeof OwaspSensitivity];

/** What OWASP does over the threshold; `log` needs Enterprise. */
export const OwaspAction = { Block: "block", ManagedChallenge: "managed_challenge", Log: "log" } as const;
export type OwaspAction = (typeof OwaspAction)[keyof typeof OwaspAction];

export interface CustomRule {
  /** What the rule is for, shown in the Cloudflare dashboard. */
  description: string;
  /** A Cloudflare Rules language expression. Example: `'(ip.src.country eq "XX")'`. */
  expression: string;
  /** What a match does; `log` needs Enterprise. */
  action: CustomRuleAction;
}

export interface RateLimit {
  /** Rule name (lowercase, digits, hyphens). Example: `"login"`. */
  name: string;
  /** Path the rule counts requests to (exact path). Example: `"/auth/login"`. */
  path: string;
  /** Count only these methods (business plan and above); every method when absent. */
  methods?: string[];
  /** Requests per client per period before the rule acts. Example: `10`. */
  requests: number;
  /** Counting period in seconds; the plan decides which periods are allowed (free: 10). */
  periodSeconds: number;
  /** Seconds the action lasts once triggered; the plan decides which are allowed (free: 10). */
  mitigationTimeoutSeconds: number;
  /** `block` or `managed_challenge` once over the limit. @default "block" */
  action?: RateLimitAction;
}

/** WAF settings; the OWASP ones apply on pro plans and above. */
export const WAF_DEFAULTS = { owaspSensitivity: "medium", owaspAction: "block" } as const satisfies Required<WafSettings>;
export const RATE_LIMIT_DEFAULTS = { action: "block" } as const satisfies Partial<RateLimit>;

export interface WafSettings {
  /** OWASP anomaly-score threshold: `low` 60, `medium` 40, `high` 25. @default "medium" */
  owaspSensitivity?: OwaspSensitivity;
  /** What OWASP does over the threshold; `log` needs Enterprise. @default "block" */
  owaspAction?: OwaspAction;
}

/**
 * The managed rulesets the zone's plan has: the Cloudflare Managed Ruleset and the OWASP Core
 * Ruleset on paid plans, the Cloudflare Free Managed Ruleset on free zones.
 */
export function managedWafRules(waf: WafSettings, fullRulesets: boolean): Rule[] {
  if (!fullRulesets) {
    return [{ description: "Cloudflare Free Managed Ruleset", expression: "true", action: "execute", actionParameters: { id: FREE_MANAGED_RULESET } }];
  }
  const sensitivity = waf.owaspSensitivity ?? WAF_DEFAULTS.owaspSensitivity;
  const action = waf.owaspAction ?? WAF_DEFAULTS.owaspAction;
  return [
    { description: "Cloudflare Managed Ruleset", expression: "true", action: "execute", actionParameters: { id: CLOUDFLARE_MANAGED_RULESET } },
    {
      description: `OWASP Core Ruleset (${sensitivity} sensitivity, ${action})`,
      expression: "true",
      action: "execute",
      actionParameters: {
        id: OWASP_CORE_RULESET,
        overrides: { rules: [{ id: OWASP_SCORE_RULE, action, scoreThreshold: OWASP_THRESHOLDS[sensitivity] }] },
      },
    },
  ];
}

export function customWafRules(rules: CustomRule[]): Rule[] {
  return rules.map((r) => ({ description: r.description, expression: r.expression, action: r.action }));
}

/** Per-IP limits; Cloudflare counts per data centre, so `cf.colo.id` must be a characteristic. */
export function rateLimitRules(limits: RateLimit[]): Rule[] {
  return limits.map((l) => ({
    description: `${l.name}: ${l.requests} ${l.methods ? `${l.methods.join("/")} ` : ""}requests per ${l.periodSeconds}s per IP on ${l.path}`,
    expression: l.methods
      ? `(http.request.uri.path eq ${quote(l.path)} and http.request.method in {${l.methods.map(quote).join(" ")}})`
      : `(http.request.uri.path eq ${quote(l.path)})`,
    action: l.action ?? RATE_LIMIT_DEFAULTS.action,
    ratelimit: {
      characteristics: ["ip.src", "cf.colo.id"],
      period: l.periodSeconds,
      requestsPerPeriod: l.requests,
      mitigationTimeout: l.mitigationTimeoutSeconds,
    },
  }));
}

/** Bypass the dynamic services' paths; cache immutable assets at the edge for a long time. */
export function cacheRules(cache: { staticPaths: string[]; staticEdgeTtlSeconds: number; dynamicPaths: string[] }): Rule[] {
  const rules: Rule[] = [];
  if (cache.dynamicPaths.length) {
    rules.push({
      description: "Never cache the APIs and auth",
      expression: anyPrefix(cache.dynamicPaths),
      action: "set_cache_settings",
      actionParameters: { cache: false },
    });
  }
  if (cache.staticPaths.length) {
    rules.push({
      description: "Immutable static assets",
      expression: anyPrefix(cache.staticPaths),
      action: "set_cache_settings",
      actionParameters: {
        cache: true,
        edgeTtl: { mode: "override_origin", default: cache.staticEdgeTtlSeconds },
        browserTtl: { mode: "respect_origin" },
      },
    });
  }
  return rules;
}

/** `/api/*` patterns as one `starts_with(...) or ...` expression. */
export function anyPrefix(patterns: string[]): string {
  return patterns.map((p) => `starts_with(http.request.uri.path, ${quote(p.slice(0, -1))})`).join(" or ");
}

function quote(value: string): string {
  return JSON.stringify(value);
}
