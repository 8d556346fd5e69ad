/**
 * What each Cloudflare plan lets a zone do, for the features the edge uses. A feature the plan
 * lacks is refused by Cloudflare's API at deploy time; config validation refuses it first
 * (config/validate.ts), naming the key and the plan it needs. Read from Cloudflare's docs on
 * 2026-11-26; each limit names its page.
 */

/** Constants and a type of their values: the shape Pulumi's schema analyzer turns into an enum. */
export const CloudflarePlan = { Free: "free", Pro: "pro", Business: "business", Enterprise: "enterprise" } as const;
export type CloudflarePlan = (typeof CloudflarePlan)[keyof typeof CloudflarePlan];
export const CLOUDFLARE_PLANS = Object.values(CloudflarePlan) as [CloudflarePlan, ...CloudflarePlan[]];

/**
 * Paid add-ons a zone may have. `loadBalancing` is sold on every plan
 * (https://developers.cloudflare.com/load-balancing/get-started/enable-load-balancing/);
 * `botManagement` is an Enterprise add-on (https://developers.cloudflare.com/bots/plans/bm-subscription/).
 */
export const CloudflareAddOn = { LoadBalancing: "loadBalancing", BotManagement: "botManagement" } as const;
export type CloudflareAddOn = (typeof CloudflareAddOn)[keyof typeof CloudflareAddOn];
export const CLOUDFLARE_ADD_ONS = Object.values(CloudflareAddOn) as [CloudflareAddOn, ...CloudflareAddOn[]];

export interface PlanLimits {
  /**
   * Cloudflare Managed Ruleset and OWASP Core Ruleset; without them only the Cloudflare Free
   * Managed Ruleset (https://developers.cloudflare.com/waf/managed-rules/#availability).
   */
  fullManagedRulesets: boolean;
  /**
   * The Log action, in custom rules and rule overrides: Enterprise only
   * (https://developers.cloudflare.com/ruleset-engine/rules-language/actions/,
   * https://developers.cloudflare.com/waf/custom-rules/#availability).
   */
  logAction: boolean;
  /** Custom rules per zone, and whether `matches` (regex) is allowed (https://developers.cloudflare.com/waf/custom-rules/#availability). */
  customRules: number;
  regex: boolean;
  /** Rate limiting rules (https://developers.cloudflare.com/waf/rate-limiting-rules/#availability). */
  rateLimitRules: number;
  /** Longest counting period and mitigation timeout, in seconds (same page). */
  maxRateLimitPeriod: number;
  maxMitigationTimeout: number;
  /** `http.request.method` in a rate-limiting rule's expression: Business and above (same page). */
  rateLimitOnMethod: boolean;
  /** Act only while a client is over the rate (mitigation timeout 0, "throttle"): Enterprise (same page). */
  actWhileOverLimit: boolean;
  /**
   * Bot protection the plan has: Bot Fight Mode on Free; Super Bot Fight Mode on Pro (definitely
   * automated) and Business/Enterprise (also likely automated)
   * (https://developers.cloudflare.com/bots/get-started/bot-fight-mode/,
   * https://developers.cloudflare.com/bots/get-started/super-bot-fight-mode/).
   */
  bots: "fightMode" | "superBotFightMode";
}

export const PLAN_LIMITS: Record<CloudflarePlan, PlanLimits> = {
  free: { fullManagedRulesets: false, logAction: false, customRules: 5, regex: false, rateLimitRules: 1, maxRateLimitPeriod: 10, maxMitigationTimeout: 10, rateLimitOnMethod: false, actWhileOverLimit: false, bots: "fightMode" },
  pro: { fullManagedRulesets: true, logAction: false, customRules: 20, regex: false, rateLimitRules: 2, maxRateLimitPeriod: 60, maxMitigationTimeout: 3600, rateLimitOnMethod: false, actWhileOverLimit: false, bots: "superBotFightMode" },
  business: { fullManagedRulesets: true, logAction: false, customRules: 100, regex: true, rateLimitRules: 5, maxRateLimitPeriod: 600, maxMitigationTimeout: 86400, rateLimitOnMethod: true, actWhileOverLimit: false, bots: "superBotFightMode" },
  enterprise: { fullManagedRulesets: true, logAction: true, customRules: 1000, regex: true, rateLimitRules: 100, maxRateLimitPeriod: 65535, maxMitigationTimeout: 86400, rateLimitOnMethod: true, actWhileOverLimit: true, bots: "superBotFightMode" },
};

/** The least plan that has a feature, for error messages ("needs the business plan or above"). */
export function leastPlan(has: (limits: PlanLimits) => boolean): CloudflarePlan | undefined {
  return CLOUDFLARE_PLANS.find((p) => has(PLAN_LIMITS[p]));
}

/** Where the limits come from, for error messages. */
export const PLAN_SOURCE = "components/edge/plans.ts (Cloudflare's plan availability tables, read 2026-11-26)";
