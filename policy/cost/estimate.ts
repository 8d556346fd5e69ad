/**
 * The monthly cost of a stack from its resources: each priced resource's dimensions times the
 * price files' entries, subtotals per component, region and vendor, and every type that has no
 * price, as free (with why) or unpriced. Nothing is left out silently.
 */
import { PriceBook, PriceEntry, Vendor } from "./prices";
import { CostResource, Context, Dimension, FREE, PRICED, isStructural } from "./resources";
import { Usage } from "./usage";

export interface PricedDimension extends Dimension {
  unit: string;
  unitUsd: number;
  monthly: number;
  unverified: boolean;
}

export interface LineItem {
  urn: string;
  type: string;
  name: string;
  region: string;
  component: string;
  vendor: Vendor;
  monthly: number;
  dimensions: PricedDimension[];
}

export interface CostReport {
  stack: string;
  currency: "USD";
  total: number;
  byComponent: Record<string, number>;
  byRegion: Record<string, number>;
  byVendor: Record<Vendor, number>;
  resources: LineItem[];
  /** Types present that cost nothing of their own. */
  free: string[];
  /** Every resource that is free (by its type, or in its configuration): with `resources`, each billing resource of the input. */
  freeUrns: string[];
  /** Types (or a type's dimension) present with no price: their cost is not in the total. */
  unpriced: string[];
  /** Why each free or unpriced type is so. */
  reasons: Record<string, string>;
  /** Price-file keys used whose figure is not confirmed on the vendor's page (or was for another region). */
  unverifiedPrices: string[];
  /** Regions with resources that no price file covers, and whose prices they were given instead. */
  borrowedPrices: Record<string, string>;
  assumptions: Usage & { cloudflarePlan?: string; hoursPerMonth: number };
}

export interface EstimateInput {
  stack: string;
  resources: CostResource[];
  usage: Usage;
  prices: PriceBook;
  /** The zone's Cloudflare plan (stack output `costModel.cloudflarePlan`). */
  cloudflarePlan?: string;
}

/** The top-level component a resource belongs to, from its URN (`platform:data:Data$...` → `data`); a region's wrapper is skipped. */
export function componentOf(urn: string): string {
  const chain = (urn.split("::")[2] ?? "").split("$").filter((t) => t !== "platform:region:Region");
  const top = chain.length > 1 ? chain[0] : undefined;
  return top?.startsWith("platform:") ? top.split(":")[1] : "(program)";
}

const round = (n: number) => Math.round(n * 100) / 100;

export function estimate(input: EstimateInput): CostReport {
  const { prices, usage } = input;
  const byTypeRegion = new Map<string, CostResource[]>();
  for (const r of input.resources) {
    for (const key of [`${r.type}|${r.region ?? ""}`, `${r.type}|*`]) byTypeRegion.set(key, [...(byTypeRegion.get(key) ?? []), r]);
  }
  const ctx: Context = {
    usage,
    of: (type, region) => byTypeRegion.get(`${type}|${region === undefined ? "*" : region}`) ?? [],
    price: (vendor, key) => prices[vendor].prices[key]?.usd,
  };
  const items: LineItem[] = [];
  const free = new Map<string, string>();
  const freeUrns: string[] = [];
  const unpriced = new Map<string, string>();
  const unverified = new Set<string>();

  const borrowed = new Map<string, Set<Vendor>>();
  const price = (d: Dimension, type: string, region?: string): PricedDimension | undefined => {
    const entry: PriceEntry | undefined = prices[d.vendor].prices[d.price];
    if (!entry) {
      unpriced.set(`${type} (${d.name})`, `no entry ${d.price} in pricing/${d.vendor}.json`);
      return undefined;
    }
    // A price file lists the regions its figures are for; elsewhere they are another region's, and say so.
    const covered = !prices[d.vendor].regions || !region || region === "global" || prices[d.vendor].regions!.includes(region);
    if (!covered) borrowed.set(region!, new Set([...(borrowed.get(region!) ?? []), d.vendor]));
    if (entry.unverified || !covered) unverified.add(`${d.vendor}:${d.price}`);
    const monthly = d.quantity * entry.usd * (d.factor ?? 1);
    return { ...d, unit: entry.unit, unitUsd: entry.usd, monthly, unverified: !!entry.unverified || !covered };
  };

  for (const r of input.resources) {
    const handler = PRICED[r.type];
    if (!handler) {
      if (isStructural(r.type)) continue;
      if (FREE[r.type]) {
        free.set(r.type, FREE[r.type]);
        freeUrns.push(r.urn);
      } else unpriced.set(r.type, "neither priced nor declared free (policy/cost/resources.ts)");
      continue;
    }
    const out = handler(r, ctx);
    if (!Array.isArray(out)) {
      free.set(`${r.type} (${out.free.split(/[:(]/)[0].trim()})`, out.free);
      freeUrns.push(r.urn);
      continue;
    }
    if (!out.length) unpriced.set(r.type, "its price rule gave no quantity for this configuration (policy/cost/resources.ts)");
    const dims = out.flatMap((d) => price(d, r.type, r.region) ?? []);
    if (!dims.length) continue;
    items.push({
      urn: r.urn,
      type: r.type,
      name: r.name,
      region: r.region ?? "global",
      component: componentOf(r.urn),
      vendor: dims[0].vendor,
      monthly: dims.reduce((s, d) => s + d.monthly, 0),
      dimensions: dims,
    });
  }
  if (input.cloudflarePlan) {
    const d = price({ name: `${input.cloudflarePlan} plan`, quantity: 1, vendor: "cloudflare", price: `plan.${input.cloudflarePlan}` }, "cloudflare:zone plan");
    if (d) items.push({ urn: "cloudflare:zone-plan", type: "cloudflare:zone plan", name: "zone plan", region: "global", component: "edge", vendor: "cloudflare", monthly: d.monthly, dimensions: [d] });
  }

  const sum = (key: (i: LineItem) => string) =>
    Object.fromEntries(
      [...new Set(items.map(key))].sort().map((k) => [k, round(items.filter((i) => key(i) === k).reduce((s, i) => s + i.monthly, 0))]),
    );
  const byVendor = { aws: 0, cloudflare: 0, datadog: 0, ...sum((i) => i.vendor) } as Record<Vendor, number>;
  return {
    stack: input.stack,
    currency: "USD",
    total: round(items.reduce((s, i) => s + i.monthly, 0)),
    byComponent: sum((i) => i.component),
    byRegion: sum((i) => i.region),
    byVendor,
    resources: items.map((i) => ({ ...i, monthly: round(i.monthly) })),
    free: [...free.keys()].sort(),
    freeUrns: freeUrns.sort(),
    unpriced: [...unpriced.keys()].sort(),
    reasons: Object.fromEntries([...free, ...unpriced].sort()),
    unverifiedPrices: [...unverified].sort(),
    borrowedPrices: Object.fromEntries(
      [...borrowed].sort().map(([region, vendors]) => [region, [...vendors].sort().map((v) => `pricing/${v}.json (${prices[v].regions!.join(", ")})`).join(", ")]),
    ),
    assumptions: { ...usage, cloudflarePlan: input.cloudflarePlan, hoursPerMonth: 730 },
  };
}
