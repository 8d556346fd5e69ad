/**
 * What platform:edge asks of the zone's Cloudflare plan: every feature the plan lacks, keyed by
 * the setting that asks for it (relative to platform:), naming the least plan that has it.
 */
import { CloudflarePlan, PLAN_LIMITS, PLAN_SOURCE, PlanLimits, leastPlan } from "@platform/components/edge/plans";
import { list, record, str } from "./raw";

/** Features the zone's plan does not have, each with the key that asks for it and the least plan that has it. */
export function edgePlanProblems(edge: Record<string, unknown>): [string, string][] {
  const plan = edge.plan as CloudflarePlan;
  if (!(typeof plan === "string" && plan in PLAN_LIMITS)) return [];
  const limits = PLAN_LIMITS[plan];
  const out: [string, string][] = [];
  const refuse = (key: string, feature: string, has: (l: PlanLimits) => boolean) =>
    out.push([key, `${feature} needs the ${leastPlan(has)} plan or above; platform:edge.plan is ${plan} (${PLAN_SOURCE})`]);
  const waf = record(edge.waf);
  if (!limits.fullManagedRulesets) {
    for (const key of ["owaspSensitivity", "owaspAction"]) {
      if (waf[key] !== undefined) refuse(`edge.waf.${key}`, "the OWASP Core Ruleset", (l) => l.fullManagedRulesets);
    }
  }
  if (waf.owaspAction === "log" && !limits.logAction) refuse("edge.waf.owaspAction", "the log action", (l) => l.logAction);
  const custom = list(waf.customRules);
  if (custom.length > limits.customRules) out.push(["edge.waf.customRules", `expected at most ${limits.customRules} custom rules on the ${plan} plan, got ${custom.length} (${PLAN_SOURCE})`]);
  custom.forEach((r, i) => {
    const rule = record(r);
    if (rule.action === "log" && !limits.logAction) refuse(`edge.waf.customRules[${i}].action`, "the log action", (l) => l.logAction);
    if (/\bmatches\b|~/.test(str(rule.expression) ?? "") && !limits.regex) refuse(`edge.waf.customRules[${i}].expression`, "a regular expression (matches)", (l) => l.regex);
  });
  const limitsList = list(edge.rateLimits);
  if (limitsList.length > limits.rateLimitRules) {
    out.push(["edge.rateLimits", `expected at most ${limits.rateLimitRules} rate-limiting rule(s) on the ${plan} plan, got ${limitsList.length} (${PLAN_SOURCE})`]);
  }
  limitsList.forEach((r, i) => {
    const rule = record(r);
    const period = Number(rule.periodSeconds);
    const timeout = Number(rule.mitigationTimeoutSeconds);
    if (period > limits.maxRateLimitPeriod) refuse(`edge.rateLimits[${i}].periodSeconds`, `a ${period}-second counting period`, (l) => l.maxRateLimitPeriod >= period);
    if (timeout > limits.maxMitigationTimeout) refuse(`edge.rateLimits[${i}].mitigationTimeoutSeconds`, `a ${timeout}-second mitigation timeout`, (l) => l.maxMitigationTimeout >= timeout);
    if (rule.mitigationTimeoutSeconds !== undefined && timeout === 0 && !limits.actWhileOverLimit) refuse(`edge.rateLimits[${i}].mitigationTimeoutSeconds`, "acting only while over the limit (a mitigation timeout of 0)", (l) => l.actWhileOverLimit);
    if (rule.methods !== undefined && !limits.rateLimitOnMethod) refuse(`edge.rateLimits[${i}].methods`, "a rate-limiting rule on the request method", (l) => l.rateLimitOnMethod);
  });
  if (list(edge.addOns).includes("botManagement") && plan !== "enterprise") {
    out.push(["edge.addOns", `Bot Management is an Enterprise add-on; platform:edge.plan is ${plan} (https://developers.cloudflare.com/bots/plans/bm-subscription/)`]);
  }
  return out;
}

/**
 * Public suffixes of two labels under which a three-label name is a registrable domain of its own
 * (a short list of the common ones from https://publicsuffix.org/list/; a name under a suffix
 * missing here reads as a subdomain zone, and the message says how to go on).
 */
const TWO_LABEL_SUFFIXES = new Set([
  "co.uk", "org.uk", "ac.uk", "gov.uk", "me.uk", "com.au", "net.au", "org.au", "co.nz", "org.nz", "co.jp", "ne.jp", "or.jp",
  "com.br", "com.cn", "com.hk", "com.sg", "com.mx", "com.tr", "co.in", "co.za", "co.kr", "com.tw", "com.ar", "co.il",
]);

/**
 * A Cloudflare zone for a subdomain (`dev.example.com` beside an `example.com` zone) needs the
 * account's Subdomain Support entitlement, an Enterprise feature: the provider's Zone docs
 * ("you must first have Subdomain Support entitlement", node_modules/@pulumi/cloudflare/zone.d.ts)
 * and https://developers.cloudflare.com/dns/zone-setups/subdomain-setup/. Refused on other plans.
 */
/** The registrable domain a host belongs to (its zone's apex when the zone is not a subdomain zone). */
export function registrableDomain(host: string): string {
  const labels = host.split(".");
  const keep = labels.length >= 3 && TWO_LABEL_SUFFIXES.has(labels.slice(-2).join(".")) ? 3 : 2;
  return labels.slice(-keep).join(".");
}

/**
 * Cloudflare's Universal SSL certificate covers a zone's apex and its first-level subdomains only
 * (https://developers.cloudflare.com/ssl/edge-certificates/universal-ssl/limitations/#hostname-coverage):
 * a proxied host deeper than that (app.staging.example.com) gets no edge certificate unless the zone
 * buys Advanced Certificate Manager, which this program does not manage, so browsers fail the TLS
 * handshake (and HSTS leaves no way past it). The zone here is the registrable domain, or the
 * stack's own domain when it owns a subdomain zone (Enterprise).
 */
export function edgeCertificateProblems(hosts: unknown[], domain: string | undefined, ownsZone: boolean, plan: unknown): [string, string][] {
  const out: [string, string][] = [];
  hosts.forEach((h, i) => {
    if (typeof h !== "string" || !domain) return;
    const zone = ownsZone && plan === "enterprise" ? domain : registrableDomain(domain);
    const depth = h === zone ? 0 : h.endsWith(`.${zone}`) ? h.slice(0, -zone.length - 1).split(".").length : 0;
    if (depth > 1) {
      const first = `${h.slice(0, -zone.length - 1).split(".").join("-")}.${zone}`;
      out.push([`edge.hosts[${i}]`, `expected a host at most one level below the zone ${zone}: Cloudflare's Universal SSL certificate does not cover ${h} (https://developers.cloudflare.com/ssl/edge-certificates/universal-ssl/limitations/#hostname-coverage); use a first-level name such as ${first}, with platform:dns.domain the zone's apex`]);
    }
  });
  return out;
}

export function zoneSetupProblems(domain: string | undefined, plan: unknown): [string, string][] {
  if (!domain || plan === "enterprise" || typeof plan !== "string") return [];
  const labels = domain.split(".");
  const registrable = labels.length <= 2 || (labels.length === 3 && TWO_LABEL_SUFFIXES.has(labels.slice(1).join(".")));
  if (registrable) return [];
  const parent = labels.slice(1).join(".");
  return [
    [
      "dns.domain",
      `expected a registered domain as the zone: ${domain} is a subdomain of ${parent}, and a subdomain zone needs Cloudflare's Subdomain Support (Enterprise; https://developers.cloudflare.com/dns/zone-setups/subdomain-setup/); platform:edge.plan is ${plan}. Give the stack a domain of its own (e.g. ${labels[labels.length - 2]}-${labels[0]}.${labels[labels.length - 1]}) or an Enterprise zone`,
    ],
  ];
}
