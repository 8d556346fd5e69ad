/**
 * Where config hands a section to a component as its args, the two shapes are checked against
 * each other at compile time, both ways: every field config produces is one the args take (no
 * config key the component ignores), and every arg that is required (has no default) is one
 * config sets. `npm run typecheck` fails on drift, naming the fields, e.g.
 * `Type '{ configOnly: "vpcEndpoints"; argsOnly: never; }' does not satisfy the constraint 'true'`.
 * Value types are checked too (config's output must be assignable to the args).
 * index.ts and program/region.ts pass these sections on as they are.
 */
import { z } from "zod";
import type { CiSettings, ComputeSettings, MigrationSettings, PackagePublishing, QueueProcessor, QueueSpec, ScheduleSpec, ServiceSpec, StateBackend, TaskBounds } from "@platform/components/compute";
import type { AuroraSettings, BackupSettings, CacheSettings, ServerlessCapacity } from "@platform/components/data";
import type { CustomRule, EdgeCache, EdgeWaf, Hsts, RateLimit } from "@platform/components/edge";
import type { NetworkArgs } from "@platform/components/network";
import type { DatadogSettings, MonitorThresholds, ObservabilitySettings, PagingSettings, SloSettings } from "@platform/components/observability/settings";
import { ciSchema, computeSchema, processorSchema, queueSchema, scheduleSchema, serviceSchema } from "./compute";
import { customRuleSchema, edgeSchema, rateLimitSchema } from "./edge";
import { observabilitySchema } from "./observability";
import { auroraSchema, backupSchema, networkSchema, redisSchema } from "./schema";

/** Keys of `T` a value must have. */
type RequiredKeys<T> = { [K in keyof T]-?: object extends Pick<T, K> ? never : K }[keyof T];

/**
 * `true` when `Config` (a zod output) maps onto `Args` both ways and its values fit; otherwise
 * the fields that drifted: `configOnly` (config sets, the args do not take), `argsOnly` (the args
 * require, config never sets), or `notAssignable`.
 */
export type MapsOnto<Config, Args> = [Exclude<keyof Config, keyof Args>, Exclude<RequiredKeys<Args>, keyof Config>] extends [never, never]
  ? Config extends Args
    ? true
    : { notAssignable: { [K in keyof Config & keyof Args]: Config[K] extends Args[K] ? never : K }[keyof Config & keyof Args] }
  : { configOnly: Exclude<keyof Config, keyof Args>; argsOnly: Exclude<RequiredKeys<Args>, keyof Config> };

/** Compiles only when its type argument is `true`. */
function holds<T extends true>(): T | undefined {
  return undefined;
}

type Out<S extends z.ZodType> = z.output<S>;
type Element<T> = T extends readonly (infer E)[] ? E : never;
type Present<T> = Exclude<T, undefined>;
/** `T` with its keys renamed per `R` (config key -> arg name). */
type Renamed<T, R extends Partial<Record<keyof T, string>>> = { [K in keyof T as K extends keyof R ? (R[K] extends string ? R[K] : K) : K]: T[K] };

type Compute = Out<typeof computeSchema>;
type Service = Out<typeof serviceSchema>;
type Queue = Out<typeof queueSchema>;
type Ci = Out<typeof ciSchema>;
type Aurora = Out<typeof auroraSchema>;
type Edge = Out<typeof edgeSchema>;
type Observability = Out<typeof observabilitySchema>;

/** The checks: each one a section (or a part of one) and the args type it becomes. */
export const ARGS_CONTRACT = [
  // platform:network -> NetworkArgs (program/region.ts renames vpcEndpoints; secondaryCidr is the second region's cidr).
  holds<MapsOnto<Renamed<Omit<Out<typeof networkSchema>, "secondaryCidr">, { vpcEndpoints: "interfaceEndpoints" }>, NetworkArgs>>(),
  // platform:compute, services, queues, schedules, ci -> Compute's and Delivery's args.
  holds<MapsOnto<Compute, ComputeSettings>>(),
  holds<MapsOnto<Compute["scaling"], TaskBounds>>(),
  holds<MapsOnto<Compute["migrations"], MigrationSettings>>(),
  holds<MapsOnto<Service, ServiceSpec>>(),
  holds<MapsOnto<Queue, QueueSpec>>(),
  holds<MapsOnto<Out<typeof processorSchema>, QueueProcessor>>(),
  holds<MapsOnto<Out<typeof scheduleSchema>, ScheduleSpec>>(),
  holds<MapsOnto<Ci, CiSettings>>(),
  holds<MapsOnto<Present<Ci["state"]>, StateBackend>>(),
  holds<MapsOnto<Present<Ci["publish"]>, PackagePublishing>>(),
  // platform:aurora, redis, backup -> Data's settings.
  holds<MapsOnto<Aurora, AuroraSettings>>(),
  holds<MapsOnto<Present<Aurora["serverless"]>, ServerlessCapacity>>(),
  holds<MapsOnto<Out<typeof redisSchema>, CacheSettings>>(),
  holds<MapsOnto<Out<typeof backupSchema>, BackupSettings>>(),
  // platform:edge's parts -> Edge's args (index.ts passes each on).
  holds<MapsOnto<Edge["hsts"], Hsts>>(),
  holds<MapsOnto<Edge["waf"], EdgeWaf>>(),
  holds<MapsOnto<Edge["cache"], EdgeCache>>(),
  holds<MapsOnto<Element<Edge["rateLimits"]>, RateLimit>>(),
  holds<MapsOnto<Out<typeof rateLimitSchema>, RateLimit>>(),
  holds<MapsOnto<Out<typeof customRuleSchema>, CustomRule>>(),
  // platform:observability -> ObservabilitySettings.
  holds<MapsOnto<Observability, ObservabilitySettings>>(),
  holds<MapsOnto<Observability["datadog"], DatadogSettings>>(),
  holds<MapsOnto<Observability["paging"], PagingSettings>>(),
  holds<MapsOnto<Observability["slo"], SloSettings>>(),
  holds<MapsOnto<Observability["thresholds"], MonitorThresholds>>(),
];
