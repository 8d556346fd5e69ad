import * as ipaddr from "ipaddr.js";

/** A parsed IPv4 or IPv6 CIDR block. */
export interface Cidr {
  kind: "ipv4" | "ipv6";
  address: ipaddr.IPv4 | ipaddr.IPv6;
  prefix: number;
}

/** Parses `a.b.c.d/n` or an IPv6 CIDR; undefined when the text is not a canonical network block. */
export function parseCidr(text: string): Cidr | undefined {
  if (typeof text !== "string" || !text.includes("/")) return undefined;
  let parsed: [ipaddr.IPv4 | ipaddr.IPv6, number];
  try {
    parsed = ipaddr.parseCIDR(text);
  } catch {
    return undefined;
  }
  const [address, prefix] = parsed;
  const kind = address.kind();
  // Reject blocks with host bits set (10.0.0.1/16): AWS normalises them silently, which hides typos.
  const network =
    kind === "ipv4"
      ? ipaddr.IPv4.networkAddressFromCIDR(text)
      : ipaddr.IPv6.networkAddressFromCIDR(text);
  if (network.toString() !== address.toString()) return undefined;
  if (kind === "ipv4" && !ipaddr.IPv4.isValidFourPartDecimal(text.split("/")[0])) return undefined;
  return { kind, address, prefix };
}

/** True for blocks inside RFC 1918 space (10/8, 172.16/12, 192.168/16). */
export function isPrivateIpv4(cidr: Cidr): boolean {
  return cidr.kind === "ipv4" && cidr.address.range() === "private";
}

/** True when two blocks of the same family share at least one address. */
export function overlaps(a: Cidr, b: Cidr): boolean {
  if (a.kind !== b.kind) return false;
  const shorter = a.prefix <= b.prefix ? a : b;
  const longer = shorter === a ? b : a;
  return longer.address.match([shorter.address, shorter.prefix] as never);
}

/** True when the block is "the whole internet" for its family. */
export function isAnywhere(cidr: Cidr): boolean {
  return cidr.prefix === 0;
}
