import { z } from "zod";
import { LOG_RETENTION_DAYS, RESOURCE_NAME, RESOURCE_NAME_EXPECTED, logRetentionProblem, vpcCidrProblem } from "@platform/components/validate";
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

/** An IPv4 VPC block: canonical, inside RFC 1918, between /16 and /20 so 3 tiers x 6 AZs fit (Network checks the same). */
export const vpcCidr = z.string().superRefine((text, ctx) => {
  const problem = vpcCidrProblem(text);
  if (problem) ctx.addIssue({ code: "custom", message: problem });
});

/** Retention values CloudWatch Logs accepts (the components check the same list). */
export { LOG_RETENTION_DAYS };

export const logRetentionDays = z.union([z.number(), z.string().regex(/^\d+$/).transform(Number)]).pipe(
  z.number().refine((n) => logRetentionProblem(n) === undefined, { error: logRetentionProblem(0) }),
);

/** Lower-case DNS-safe name used in resource names (services, queues, schedules). */
export const resourceName = z.string().regex(RESOURCE_NAME, { error: RESOURCE_NAME_EXPECTED });

export const tagMap = z.record(
  z.string().regex(/^[\w.:/=+@ -]{1,128}$/, { error: "expected a tag key of 1-128 letters, digits or _.:/=+@- " }),
  z.string().max(256, { error: "expected a tag value of at most 256 characters" }),
);

/** A lower-case DNS name with at least two labels, e.g. example.com. */
export const hostname = z
  .string()
  .regex(/^(?=.{4,253}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$/, { error: "expected a lower-case domain name such as example.com" });
