import * as pulumi from "@pulumi/pulumi";

export interface NetworkArgs {
  /** IPv4 block of the VPC: canonical, private (RFC 1918), /16 to /20 so 3 tiers x 6 AZs fit. Example: `"10.20.0.0/16"`. */
  cidr: string;
  /** Number of availability zones, 2–6 (the first N of the region; prod: 3 or more). @default 2 */
  azCount?: number;
  /**
   * `full`: public, private and isolated subnets with the alb/app/db/cache security groups.
   * `isolatedOnly`: isolated subnets and the db security group, no NAT, no internet gateway use
   * (the Aurora secondary region).
   * @default "full"
   */
  layout?: NetworkLayout;
  /**
   * Allocate the isolated tier first in each AZ's address block. awsx allocates subnets in the
   * order of their specs (awsx/ec2/subnetDistributorNew.ts, `allocateSubnetCidrBlocks`), so a VPC
   * built `isolatedOnly` keeps its isolated subnets' addresses (and the database in them) when it
   * grows to the full layout. False: public, private, isolated.
   * @default false
   */
  isolatedFirst?: boolean;
  /** `single` NAT gateway, one `perAz`, or `none` (required for isolatedOnly, which defaults to it). @default "single" */
  natGateways?: NatGateways;
  /** Create the interface endpoints (`INTERFACE_ENDPOINTS`: ECR, logs, Secrets Manager, KMS, STS, SQS) (the S3 gateway endpoint is always created). @default false */
  interfaceEndpoints?: boolean;
  /** Retention of the flow-log group, in days (a CloudWatch Logs retention value, `LOG_RETENTION_DAYS`). @default 30 */
  flowLogRetentionDays?: number;
  /** Pulumi-protect the flow-log key (losing it loses the logs). @default false */
  protect?: boolean;
  /** Ranges allowed to reach the ALB on 80 and 443, by family (full layout only). */
  albIngressCidrs?: AlbIngressCidrs;
  /** Container ports, each 1024–65535, the ALB may reach in the `app` security group (full layout only). Example: `[8080]`. @default [] */
  appPorts?: number[];
  /**
   * Add a `proxy` group for an RDS Proxy in the private subnets (full layout only):
   * app -> proxy -> db on 5432, and HTTPS out so the proxy can read its secret.
   * @default false
   */
  databaseProxy?: boolean;
  /**
   * Port of the ALB's blue/green test listener (full layout only). Only this VPC may reach it:
   * tasks reach the internet-facing ALB through the NAT gateways, so the port is opened to the
   * NAT addresses alone. 1024–65535. Example: `TEST_LISTENER_PORT` of `@platform/components/compute`. Default: no test listener rule.
   */
  albTestPort?: number;
  /**
   * VPC blocks of peered regions (see `VpcPeering`; full layout only): their services may reach
   * this VPC's database on 5432, and this VPC's services theirs. Example: `["10.31.0.0/16"]`.
   * @default []
   */
  peerAppCidrs?: string[];
}

/** Security group ids by tier; only the groups of the chosen layout exist. */
export interface SecurityGroupIds {
  alb?: pulumi.Output<string>;
  app?: pulumi.Output<string>;
  db: pulumi.Output<string>;
  cache?: pulumi.Output<string>;
  endpoints?: pulumi.Output<string>;
  proxy?: pulumi.Output<string>;
}

/**
 * `full`: public, private and isolated tiers; `isolatedOnly`: the isolated tier alone. An object
 * of constants and a type of its values: the shape Pulumi's schema analyzer turns into an enum.
 */
export const NetworkLayout = { Full: "full", IsolatedOnly: "isolatedOnly" } as const;
export type NetworkLayout = (typeof NetworkLayout)[keyof typeof NetworkLayout];

/** `single` NAT gateway, one per AZ (`perAz`), or `none`. */
export const NatGateways = { Single: "single", PerAz: "perAz", None: "none" } as const;
export type NatGateways = (typeof NatGateways)[keyof typeof NatGateways];

/** Ranges allowed to reach the ALB, by family. */
export interface AlbIngressCidrs {
  /** IPv4 blocks, never 0.0.0.0/0 (e.g. Cloudflare's published ranges). */
  ipv4: pulumi.Input<string[]>;
  /** IPv6 blocks, never ::/0. */
  ipv6: pulumi.Input<string[]>;
}
