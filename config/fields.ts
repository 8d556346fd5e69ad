import { z } from "zod";
import { isPrivateIpv4, parseCidr } from "@platform/components/cidr";
import { AWS_REGIONS } from "./regions";

/**
 * Building blocks shared by the config sections. Every message here completes the sentence
 * "platform:<key>: ..." and says what was expected.
 */

/** An object that rejects unknown keys, naming the keys it does accept. */
export function strictObject<T extends z.ZodRawShape>(shape: T) {
  return z.strictObject(shape, {
    error: (issue) =>
      issue.code === "unrecognized_keys" ? `allowed keys: ${Object.keys(shape).join(", ")}` : undefined,
  });
}

/**
 * Top-level Pulumi config values arrive as strings ("true", "3"); values nested in objects keep
 * their YAML types. These accept both so `pulumi config set platform:protect true` works.
 */
export const configBoolean = z.union([
  z.boolean(),
  z.enum(["true", "false"]).transform((v) => v === "true"),
]);

export function intInRange(min: number, max: number) {
  return z
    .union([z.number(), z.string().regex(/^-?\d+$/).transform(Number)])
    .pipe(
      z
        .number()
        .int({ error: `expected a whole number from ${min} to ${max}` })
        .min(min, { error: `expected a whole number from ${min} to ${max}` })
        .max(max, { error: `expected a whole number from ${min} to ${max}` }),
    );
}

export const awsRegion = z.enum(AWS_REGIONS, {
  error: (issue) => `expected an AWS region name such as us-east-1 or eu-west-1, got ${JSON.stringify(issue.input)}`,
});

/** An IPv4 VPC block: canonical, inside RFC 1918, between /16 and /20 so 3 tiers x 6 AZs fit. */
export const vpcCidr = z.string().superRefine((text, ctx) => {
  const cidr = parseCidr(text);
  if (!cidr || cidr.kind !== "ipv4") {
    ctx.addIssue({ code: "custom", message: `expected an IPv4 CIDR block such as 10.20.0.0/16, got ${JSON.stringify(text)}` });
  } else if (!isPrivateIpv4(cidr)) {
    ctx.addIssue({ code: "custom", message: `expected a private range (10.0.0.0/8, 172.16.0.0/12 or 192.168.0.0/16), got ${text}` });
  } else if (cidr.prefix < 16 || cidr.prefix > 20) {
    ctx.addIssue({ code: "custom", message: `expected a prefix length from /16 to /20, got /${cidr.prefix}` });
  }
});

/** Retention values CloudWatch Logs accepts. */
export const LOG_RETENTION_DAYS = [
  1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653,
] as const;

export const logRetentionDays = z.union([z.number(), z.string().regex(/^\d+$/).transform(Number)]).pipe(
  z.number().refine((n) => (LOG_RETENTION_DAYS as readonly number[]).includes(n), {
    error: `expected one of the CloudWatch Logs retention values: ${LOG_RETENTION_DAYS.join(", ")}`,
  }),
);

/** Lower-case DNS-safe name used in resource names (services, queues, schedules). */
export const resourceName = z
  .string()
  .regex(/^[a-z][a-z0-9-]{0,30}[a-z0-9]$/, { error: "expected 2-32 characters of a-z, 0-9 and '-', starting with a letter" });

export const tagMap = z.record(
  z.string().regex(/^[\w.:/=+@ -]{1,128}$/, { error: "expected a tag key of 1-128 letters, digits or _.:/=+@- " }),
  z.string().max(256, { error: "expected a tag value of at most 256 characters" }),
);

/** A lower-case DNS name with at least two labels, e.g. example.com. */
export const hostname = z
  .string()
  .regex(/^(?=.{4,253}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$/, { error: "expected a lower-case domain name such as example.com" });
