/**
 * Network's defaults and limits, one place each: the `@default` of every optional field of
 * NetworkArgs is applied in withNetworkDefaults, and checkNetworkArgs refuses args outside the
 * limits before anything is created (config/schema.ts reuses the same constants and checks).
 */
import { Defaulted, withDefaults } from "../lib/defaults";
import { ArgsProblems, CONTAINER_PORT, ingressCidrProblem, logRetentionProblem, vpcCidrProblem, wholeNumber } from "../lib/validate";
import { NetworkArgs } from "./args";

export const NETWORK_DEFAULTS = {
  azCount: 2,
  layout: "full",
  isolatedFirst: false,
  natGateways: "single",
  interfaceEndpoints: false,
  flowLogRetentionDays: 30,
  protect: false,
  appPorts: [],
  databaseProxy: false,
  peerAppCidrs: [],
} satisfies Partial<NetworkArgs>;

/** Availability zones a VPC spreads over: at least 2 (ALB), at most 6 (the /20 block's 3 tiers x 6 AZs). */
export const AZ_COUNT = { min: 2, max: 6 } as const;

export type ResolvedNetworkArgs = Defaulted<NetworkArgs, typeof NETWORK_DEFAULTS>;

/** NetworkArgs with every default filled in (an isolatedOnly VPC has no NAT gateway). */
export function withNetworkDefaults(args: NetworkArgs): ResolvedNetworkArgs {
  return withDefaults(args, { ...NETWORK_DEFAULTS, natGateways: args.layout === "isolatedOnly" ? "none" : NETWORK_DEFAULTS.natGateways });
}

/** Throws one error naming every arg outside Network's limits; `component` leads the message. */
export function checkNetworkArgs(component: string, args: NetworkArgs): void {
  const p = new ArgsProblems(component);
  p.check("cidr", args.cidr, vpcCidrProblem);
  p.check("azCount", args.azCount, wholeNumber(AZ_COUNT.min, AZ_COUNT.max));
  p.check("flowLogRetentionDays", args.flowLogRetentionDays, logRetentionProblem);
  if (args.layout === "isolatedOnly" && args.natGateways !== undefined && args.natGateways !== "none") {
    p.add("natGateways", `the isolatedOnly layout has no private subnets, so natGateways must be "none", got ${JSON.stringify(args.natGateways)}`);
  }
  (args.appPorts ?? []).forEach((port, i) => p.check(`appPorts[${i}]`, port, wholeNumber(CONTAINER_PORT.min, CONTAINER_PORT.max)));
  p.check("albTestPort", args.albTestPort, wholeNumber(CONTAINER_PORT.min, CONTAINER_PORT.max));
  (args.peerAppCidrs ?? []).forEach((cidr, i) => p.check(`peerAppCidrs[${i}]`, cidr, vpcCidrProblem));
  // Ranges known when the component is built (an Output, such as Cloudflare's published list, is judged by the policy pack's security-group rules).
  for (const family of ["ipv4", "ipv6"] as const) {
    const ranges = args.albIngressCidrs?.[family];
    if (Array.isArray(ranges)) ranges.forEach((cidr, i) => typeof cidr === "string" && p.check(`albIngressCidrs.${family}[${i}]`, cidr, ingressCidrProblem(family)));
  }
  p.throwIfAny();
}
