/**
 * Limits the components need to be safe, stated once: each component checks its args against
 * them before it creates anything (one error listing every problem, each naming the arg), and the
 * program's config schema (config/*.ts) reuses the same functions and constants, so a stack's
 * config reports the same fact under its key name.
 */
import { isPrivateIpv4, parseCidr } from "./cidr";

/** Why a value is wrong (completing "<arg>: …"), or undefined when it is fine. */
export type Check<T> = (value: T) => string | undefined;

/** The args' problems, collected so one error lists them all. */
export class ArgsProblems {
  private readonly problems: string[] = [];

  constructor(private readonly component: string) {}

  /** Records `arg: problem` when `check` finds one (an undefined value is left to the type's default). */
  check<T>(arg: string, value: T | undefined, check: Check<T>): void {
    if (value === undefined) return;
    const problem = check(value);
    if (problem) this.problems.push(`${arg}: ${problem}`);
  }

  /** Records a problem the caller found itself. */
  add(arg: string, problem: string): void {
    this.problems.push(`${arg}: ${problem}`);
  }

  /** Throws one error listing every problem; returns when there is none. */
  throwIfAny(): void {
    if (!this.problems.length) return;
    throw new Error(`${this.component}: invalid args (${this.problems.length}):\n${this.problems.map((p) => `  - ${p}`).join("\n")}`);
  }
}

/** A whole number from `min` to `max`. */
export function wholeNumber(min: number, max: number): Check<number> {
  return (n) => (Number.isInteger(n) && n >= min && n <= max ? undefined : `expected a whole number from ${min} to ${max}, got ${JSON.stringify(n)}`);
}

/** Text matching `pattern`; `expected` says what that is. */
export function matching(pattern: RegExp, expected: string): Check<string> {
  return (text) => (typeof text === "string" && pattern.test(text) ? undefined : `${expected}, got ${JSON.stringify(text)}`);
}

/** One of `allowed`; `what` names them. */
export function oneOf<T>(allowed: readonly T[], what: string): Check<T> {
  return (v) => (allowed.includes(v) ? undefined : `expected one of the ${what}: ${allowed.join(", ")}, got ${JSON.stringify(v)}`);
}

/** Container ports the tasks may listen on (the `app` security group opens exactly these from the ALB). */
export const CONTAINER_PORT = { min: 1024, max: 65535 } as const;
/** Task counts of a service or processor. */
export const TASK_COUNT = { min: 0, max: 100 } as const;

/** Lower-case DNS-safe names used in resource names (services, queues, schedules, images). */
export const RESOURCE_NAME = /^[a-z][a-z0-9-]{0,30}[a-z0-9]$/;
export const RESOURCE_NAME_EXPECTED = "expected 2-32 characters of a-z, 0-9 and '-', starting with a letter";
export const resourceNameProblem: Check<string> = matching(RESOURCE_NAME, RESOURCE_NAME_EXPECTED);

/** Target groups are named `<service>-green-<7 random>` within the ALB's 32 characters. */
export const SERVICE_NAME_MAX = 18;
export const serviceNameProblem: Check<string> = (name) =>
  resourceNameProblem(name) ?? (name.length <= SERVICE_NAME_MAX ? undefined : `expected at most ${SERVICE_NAME_MAX} characters (target group names are limited to 32)`);

/** Memory (MiB) Fargate accepts for each CPU size (https://docs.aws.amazon.com/AmazonECS/latest/developerguide/fargate-tasks-services.html, read 2026-12-01). */
export const FARGATE_SIZES: Record<number, number[]> = {
  256: [512, 1024, 2048],
  512: range(1024, 4096, 1024),
  1024: range(2048, 8192, 1024),
  2048: range(4096, 16384, 1024),
  4096: range(8192, 30720, 1024),
  8192: range(16384, 61440, 4096),
  16384: range(32768, 122880, 8192),
};

function range(from: number, to: number, step: number): number[] {
  return Array.from({ length: (to - from) / step + 1 }, (_, i) => from + i * step);
}

export const FARGATE_CPU_EXPECTED = `expected a Fargate CPU size: ${Object.keys(FARGATE_SIZES).join(", ")}`;
export const fargateCpuProblem: Check<number> = (cpu) => (cpu in FARGATE_SIZES ? undefined : `${FARGATE_CPU_EXPECTED}, got ${JSON.stringify(cpu)}`);

/** Why `memory` is not a size Fargate offers with `cpu` (undefined for an unknown cpu: fargateCpuProblem says so). */
export function fargateMemoryProblem(cpu: number, memory: number): string | undefined {
  const allowed = FARGATE_SIZES[cpu];
  if (!allowed || allowed.includes(memory)) return undefined;
  const sizes = allowed.length <= 3 ? allowed.join(", ") : `${allowed[0]} to ${allowed[allowed.length - 1]} in steps of ${allowed[1] - allowed[0]}`;
  return `expected a memory size Fargate offers with cpu ${cpu}: ${sizes}, got ${memory}`;
}

/** Retention values CloudWatch Logs accepts (https://docs.aws.amazon.com/AmazonCloudWatchLogs/latest/APIReference/API_PutRetentionPolicy.html). */
export const LOG_RETENTION_DAYS = [
  1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653,
] as const;
export const logRetentionProblem: Check<number> = (n) =>
  (LOG_RETENTION_DAYS as readonly number[]).includes(n) ? undefined : `expected one of the CloudWatch Logs retention values: ${LOG_RETENTION_DAYS.join(", ")}`;

/** A VPC block: canonical IPv4, inside RFC 1918, between /16 and /20 so 3 tiers x 6 AZs fit. */
export const VPC_PREFIX = { min: 16, max: 20 } as const;
/**
 * A range allowed to reach a public listener: a CIDR block of `family`, and never the whole
 * address space (the ALB is reached through Cloudflare's ranges only; ARCHITECTURE.md).
 */
export const ingressCidrProblem = (family: "ipv4" | "ipv6"): Check<string> => (text) => {
  const cidr = parseCidr(text);
  if (!cidr || cidr.kind !== family) return `expected an ${family === "ipv4" ? "IPv4" : "IPv6"} CIDR block, got ${JSON.stringify(text)}`;
  if (cidr.prefix === 0) return `expected a range narrower than the whole address space (the ALB is reached through the edge's ranges only), got ${text}`;
  return undefined;
};

export const vpcCidrProblem: Check<string> = (text) => {
  const cidr = parseCidr(text);
  if (!cidr || cidr.kind !== "ipv4") return `expected an IPv4 CIDR block such as 10.20.0.0/16, got ${JSON.stringify(text)}`;
  if (!isPrivateIpv4(cidr)) return `expected a private range (10.0.0.0/8, 172.16.0.0/12 or 192.168.0.0/16), got ${text}`;
  if (cidr.prefix < VPC_PREFIX.min || cidr.prefix > VPC_PREFIX.max) return `expected a prefix length from /${VPC_PREFIX.min} to /${VPC_PREFIX.max}, got /${cidr.prefix}`;
  return undefined;
};
