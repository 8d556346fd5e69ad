/**
 * What platform:edge asks of the zone's Cloudflare plan: every feature the plan lacks, keyed by
 * the setting that asks for it (relative to platform:), naming the least plan that has it.
 */
import { CloudflarePlan, PlanAsk, planProblems } from "@platform/components/edge/plans";
import { list, record } from "./raw";

/**
 * Features the zone's plan does not have, each with the key that asks for it (relative to
 * platform:) and the least plan that has it: Edge's own check (components/edge/plans.ts), on the
 * raw section, so a wrong type elsewhere in it is the schema's problem, not a crash here.
 */
export function edgePlanProblems(edge: Record<string, unknown>): [string, string][] {
  const waf = record(edge.waf);
  const ask: PlanAsk = {
    plan: edge.plan as CloudflarePlan,
    addOns: list(edge.addOns).map(String),
    waf: { ...waf, customRules: list(waf.customRules).map(record) },
    rateLimits: list(edge.rateLimits).map(record),
  };
  return planProblems(ask, "platform:edge.plan").map(([key, message]) => [`edge.${key}`, message]);
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
