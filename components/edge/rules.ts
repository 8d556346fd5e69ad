import * as cloudflare from "@pulumi/cloudflare";

/** Cloudflare rule lists built from config; pure, so their expressions are unit-tested. */

type Rule = cloudflare.types.input.RulesetRule;

/** Ids of the managed rulesets Cloudflare publishes (the same in every account). */
export const CLOUDFLARE_MANAGED_RULESET = "efb7b8c949ac4650a09736fc376e9aee";
export const OWASP_CORE_RULESET = "4814384a9e5d4991b9815dcfc25d2f1f";
/** The OWASP ruleset's anomaly-score rule, where the threshold and action are set. */
export const OWASP_SCORE_RULE = "6179ae15870a4bb7b2d480d4843b323c";
/** Anomaly-score thresholds per sensitivity (Cloudflare's low/medium/high). */
export const OWASP_THRESHOLDS = { low: 60, medium: 40, high: 25 } as const;

export interface CustomRule {
  description: string;
  expression: string;
  action: "block" | "managed_challenge" | "js_challenge" | "log";
}

export interface RateLimit {
  name: string;
  path: string;
  methods: string[];
  requests: number;
  periodSeconds: number;
  mitigationTimeoutSeconds: number;
  action: "block" | "managed_challenge";
}

export function managedWafRules(waf: { owaspSensitivity: keyof typeof OWASP_THRESHOLDS; owaspAction: string }): Rule[] {
  return [
    { description: "Cloudflare Managed Ruleset", expression: "true", action: "execute", actionParameters: { id: CLOUDFLARE_MANAGED_RULESET } },
    {
      description: `OWASP Core Ruleset (${waf.owaspSensitivity} sensitivity, ${waf.owaspAction})`,
      expression: "true",
      action: "execute",
      actionParameters: {
        id: OWASP_CORE_RULESET,
        overrides: { rules: [{ id: OWASP_SCORE_RULE, action: waf.owaspAction, scoreThreshold: OWASP_THRESHOLDS[waf.owaspSensitivity] }] },
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
    description: `${l.name}: ${l.requests} ${l.methods.join("/")} per ${l.periodSeconds}s per IP on ${l.path}`,
    expression: `(http.request.uri.path eq ${quote(l.path)} and http.request.method in {${l.methods.map(quote).join(" ")}})`,
    action: l.action,
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
