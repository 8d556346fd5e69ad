/**
 * The reviewed price files (pricing/<vendor>.json): one entry per priced unit, each with its unit,
 * its USD price, the vendor page it belongs to, where and when it was read, and `unverified` when
 * the figure could not be confirmed on the vendor's own page.
 */
import * as fs from "fs";
import * as path from "path";

export interface PriceEntry {
  unit: string;
  usd: number;
  /** The vendor's pricing page. */
  source: string;
  /** The page the figure was read from when it was not the vendor's own text. */
  readFrom?: string;
  /** Date it was read (YYYY-MM-DD), or null when no page was read for it. */
  read: string | null;
  unverified?: boolean;
  note?: string;
}

export const VENDORS = ["aws", "cloudflare", "datadog"] as const;
export type Vendor = (typeof VENDORS)[number];

export interface PriceFile {
  vendor: Vendor;
  currency: "USD";
  regions?: string[];
  note?: string;
  prices: Record<string, PriceEntry>;
}

export type PriceBook = Record<Vendor, PriceFile>;

/** pricing/ at the repository root, found upwards (the pack runs from policy/, the commands from a compiled bundle). */
export const PRICING_DIR = pricingDir(__dirname);
function pricingDir(from: string): string {
  for (let dir = from; path.dirname(dir) !== dir; dir = path.dirname(dir)) if (fs.existsSync(path.join(dir, "pricing", "aws.json"))) return path.join(dir, "pricing");
  return path.resolve(from, "..", "..", "pricing");
}

export function loadPriceBook(dir = PRICING_DIR): PriceBook {
  const book = {} as PriceBook;
  for (const vendor of VENDORS) {
    const file = JSON.parse(fs.readFileSync(path.join(dir, `${vendor}.json`), "utf8")) as PriceFile;
    if (file.vendor !== vendor || file.currency !== "USD") throw new Error(`pricing/${vendor}.json: expected vendor "${vendor}" and currency "USD"`);
    book[vendor] = file;
  }
  return book;
}

/** Why an entry cannot be used as it stands (empty when it can). */
export function entryProblems(key: string, e: PriceEntry): string[] {
  const problems: string[] = [];
  if (typeof e.usd !== "number" || !(e.usd >= 0)) problems.push(`${key}: usd must be a number ≥ 0`);
  if (!e.unit) problems.push(`${key}: no unit`);
  if (!/^https:\/\//.test(e.source ?? "")) problems.push(`${key}: source must be the vendor's https page`);
  if (e.read !== null && !/^\d{4}-\d{2}-\d{2}$/.test(String(e.read))) problems.push(`${key}: read must be a date or null`);
  if (e.read === null && !e.unverified && e.usd !== 0) problems.push(`${key}: a price no page was read for must be marked unverified`);
  if (e.readFrom && !e.unverified) problems.push(`${key}: a price read from another page than the vendor's must be marked unverified`);
  return problems;
}
