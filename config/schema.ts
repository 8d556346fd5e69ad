import { z } from "zod";
import {
  awsRegion,
  configBoolean,
  ingressCidr,
  intInRange,
  logRetentionDays,
  resourceName,
  strictObject,
  tagMap,
  vpcCidr,
} from "./fields";

/** Environments the program knows how to shape; anything else is a typo. */
export const ENVIRONMENTS = ["dev", "staging", "prod"] as const;
export type Environment = (typeof ENVIRONMENTS)[number];

export const networkSchema = strictObject({
  /** Primary VPC block. */
  cidr: vpcCidr,
  /** Availability zones to spread subnets over (prod: 3 or more). */
  azCount: intInRange(2, 6),
  /** `single` NAT gateway (dev) or one per AZ (prod). */
  natGateways: z.enum(["single", "perAz"]),
  /** Interface endpoints for ECR, Logs, Secrets Manager, KMS, STS, SQS (the S3 gateway endpoint is always on). */
  vpcEndpoints: configBoolean.default(false),
  /** Retention of the VPC flow-log group. */
  flowLogRetentionDays: logRetentionDays.default(30),
  /** VPC block in the secondary region (needed with platform:secondaryRegion, must not overlap cidr). */
  secondaryCidr: vpcCidr.optional(),
});

export const serviceSchema = strictObject({
  name: resourceName,
  /** Container port the service listens on (the `app` security group opens exactly these from the ALB). */
  port: intInRange(1024, 65535),
});

/**
 * Every key the program reads, under the `platform:` namespace. Adding a key here is the only
 * way to make the program accept it; unknown keys are rejected so typos never pass silently.
 */
export const sections = {
  /** Environment this stack is (dev, staging or prod); drives the invariants below, nothing hidden. */
  environment: z.enum(ENVIRONMENTS),
  /** Primary AWS region. */
  region: awsRegion,
  /** Region of the Aurora Global Database secondary cluster (prod). */
  secondaryRegion: awsRegion.optional(),
  /** Deletion protection, Pulumi `protect`, retain-on-delete and final snapshots on stateful resources. */
  protect: configBoolean.default(false),
  /** Extra tags added to every provider's defaultTags (env, project and managed-by are always set). */
  tags: tagMap.default({}),
  network: networkSchema,
  /** Ranges allowed to reach the ALB on 80/443 (Cloudflare's published ranges). */
  edgeCidrs: z
    .array(ingressCidr)
    .min(1, { error: "expected at least one range" })
    .refine((l) => l.filter((c) => !c.includes(":")).length <= 20 && l.filter((c) => c.includes(":")).length <= 10, {
      error: "expected at most 20 IPv4 and 10 IPv6 ranges (the size of the ALB's prefix lists)",
    }),
  services: z.array(serviceSchema).min(1, { error: "expected at least one service" }),
};

export type Sections = typeof sections;
export type PlatformConfig = { [K in keyof Sections]: z.output<Sections[K]> };
export type NetworkConfig = PlatformConfig["network"];
export type ServiceConfig = PlatformConfig["services"][number];

/** One-line descriptions of each key, for error messages and the README's config reference. */
export const SECTION_DOCS: Record<keyof Sections, string> = {
  environment: `one of ${ENVIRONMENTS.join(", ")}`,
  region: "primary AWS region, e.g. us-east-1",
  secondaryRegion: "AWS region of the Aurora secondary cluster; prod only",
  protect: "true to protect stateful resources (required in prod)",
  tags: "extra tags for every AWS resource",
  network: "VPC, subnets, NAT, endpoints and flow logs",
  edgeCidrs: "ranges allowed to reach the ALB (the edge's published ranges)",
  services: "the ECS services behind the ALB",
};
