/**
 * What each Cloudflare plan lets a zone do, for the features the edge uses. A feature the plan
 * lacks is refused by Cloudflare's API at deploy time; `planProblems` refuses it first, in Edge
 * (checkEdgeArgs) and in config validation (config/edgePlan.ts), naming the setting and the plan
 * it needs. Read from Cloudflare's docs on 2026-11-26; each limit names its page.
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

/** What Edge's args ask of the plan (the shape of EdgeArgs' plan, waf, rateLimits and addOns; config passes its raw section). */
export interface PlanAsk {
  plan: CloudflarePlan;
  addOns?: readonly string[];
  waf?: { owaspSensitivity?: unknown; owaspAction?: unknown; customRules?: readonly { action?: unknown; expression?: unknown }[] };
  rateLimits?: readonly { periodSeconds?: unknown; mitigationTimeoutSeconds?: unknown; methods?: unknown }[];
}

/**
 * Every feature `ask` uses that its plan lacks: [setting, message], the setting as a path of the
 * args (`waf.customRules[2].action`), the message naming the least plan that has it. `planKey` is
 * how the message names the plan setting (`plan` for Edge, `platform:edge.plan` for config).
 * An unknown plan asks nothing here (its own check names it).
 */
export function planProblems(ask: PlanAsk, planKey = "plan"): [string, string][] {
  const plan = ask.plan;
  if (!(typeof plan === "string" && plan in PLAN_LIMITS)) return [];
  const limits = PLAN_LIMITS[plan];
  const out: [string, string][] = [];
  const refuse = (key: string, feature: string, has: (l: PlanLimits) => boolean) => out.push([key, `${feature} needs the ${leastPlan(has)} plan or above; ${planKey} is ${plan} (${PLAN_SOURCE})`]);
  const waf = ask.waf ?? {};
  if (!limits.fullManagedRulesets) {
    for (const key of ["owaspSensitivity", "owaspAction"] as const) if (waf[key] !== undefined) refuse(`waf.${key}`, "the OWASP Core Ruleset", (l) => l.fullManagedRulesets);
  }
  if (waf.owaspAction === "log" && !limits.logAction) refuse("waf.owaspAction", "the log action", (l) => l.logAction);
  const custom = Array.isArray(waf.customRules) ? waf.customRules : [];
  if (custom.length > limits.customRules) out.push(["waf.customRules", `expected at most ${limits.customRules} custom rules on the ${plan} plan, got ${custom.length} (${PLAN_SOURCE})`]);
  custom.forEach((rule, i) => {
    if (rule?.action === "log" && !limits.logAction) refuse(`waf.customRules[${i}].action`, "the log action", (l) => l.logAction);
    if (/\bmatches\b|~/.test(typeof rule?.expression === "string" ? rule.expression : "") && !limits.regex) refuse(`waf.customRules[${i}].expression`, "a regular expression (matches)", (l) => l.regex);
  });
  const rates = Array.isArray(ask.rateLimits) ? ask.rateLimits : [];
  if (rates.length > limits.rateLimitRules) out.push(["rateLimits", `expected at most ${limits.rateLimitRules} rate-limiting rule(s) on the ${plan} plan, got ${rates.length} (${PLAN_SOURCE})`]);
  rates.forEach((rule, i) => {
    const period = Number(rule?.periodSeconds);
    const timeout = Number(rule?.mitigationTimeoutSeconds);
    if (period > limits.maxRateLimitPeriod) refuse(`rateLimits[${i}].periodSeconds`, `a ${period}-second counting period`, (l) => l.maxRateLimitPeriod >= period);
    if (timeout > limits.maxMitigationTimeout) refuse(`rateLimits[${i}].mitigationTimeoutSeconds`, `a ${timeout}-second mitigation timeout`, (l) => l.maxMitigationTimeout >= timeout);
    if (rule?.mitigationTimeoutSeconds !== undefined && timeout === 0 && !limits.actWhileOverLimit) refuse(`rateLimits[${i}].mitigationTimeoutSeconds`, "acting only while over the limit (a mitigation timeout of 0)", (l) => l.actWhileOverLimit);
    if (rule?.methods !== undefined && !limits.rateLimitOnMethod) refuse(`rateLimits[${i}].methods`, "a rate-limiting rule on the request method", (l) => l.rateLimitOnMethod);
  });
  if ((ask.addOns ?? []).includes("botManagement") && plan !== "enterprise") {
    out.push(["addOns", `Bot Management is an Enterprise add-on; ${planKey} is ${plan} (https://developers.cloudflare.com/bots/plans/bm-subscription/)`]);
  }
  return out;
}
