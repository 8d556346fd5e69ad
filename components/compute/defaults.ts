/**
 * Compute's defaults, one place each: the `@default` of every optional field of ComputeArgs and
 * the types it uses is applied here, and the program's config schema (config/compute.ts) takes
 * the same constants as its zod defaults.
 */
import { Defaulted, withDefaults } from "../lib/defaults";
import { ComputeArgs, ProcessorState, ScheduleState } from "./args";
import { CiSettings, ComputeSettings, ContainerAccess, DataEndpoints, MigrationSettings, QueueProcessor, QueueSpec, ScheduleSpec, ServiceSpec, StateBackend, TaskSize } from "./types";

/** What a container gets when its spec says nothing: no environment, secrets, queues or events. */
export const CONTAINER_DEFAULTS = { environment: {}, secrets: {}, sendsTo: [], publishesEvents: false } satisfies Required<ContainerAccess>;
/** The smallest Fargate size. */
export const TASK_SIZE_DEFAULTS = { cpu: 256, memory: 512 } satisfies Required<TaskSize>;
export const SERVICE_DEFAULTS = {
  ...CONTAINER_DEFAULTS,
  ...TASK_SIZE_DEFAULTS,
  paths: ["/*"],
  healthCheckPath: "/health",
  migrationGate: true,
  readOnlyRootFilesystem: true,
} satisfies Partial<ServiceSpec>;
export const PROCESSOR_DEFAULTS = { ...CONTAINER_DEFAULTS, ...TASK_SIZE_DEFAULTS, minTasks: 0, messagesPerTask: 100 } satisfies Partial<QueueProcessor>;
export const QUEUE_DEFAULTS = { maxReceiveCount: 5, retentionDays: 4, events: [] } satisfies Partial<QueueSpec>;
export const SCHEDULE_DEFAULTS = { timezone: "UTC", flexibleWindowMinutes: 0, retries: 2 } satisfies Partial<ScheduleSpec>;
export const MIGRATION_DEFAULTS = { ...TASK_SIZE_DEFAULTS, command: ["npm", "run", "migrate"], secrets: {} } satisfies Partial<MigrationSettings>;
export const SETTINGS_DEFAULTS = { capacity: "onDemand", bakeTimeMinutes: 10, exec: false, logRetentionDays: 30, keepImages: 30 } satisfies Partial<ComputeSettings>;
export const ENDPOINT_DEFAULTS = { databasePort: 5432, redisHost: "" } satisfies Partial<DataEndpoints>;
export const COMPUTE_DEFAULTS = {
  protect: false,
  queues: [],
  schedules: [],
  secrets: { arns: {}, kmsKeyArns: [] },
  processors: "running",
  schedulesState: "ENABLED",
  runMigrations: true,
} satisfies Partial<ComputeArgs>;
export const CI_DEFAULTS = { applicationRepositories: [], branch: "main", createOidcProvider: true } satisfies Partial<CiSettings>;
export const STATE_BACKEND_DEFAULTS = { secretsKeyAlias: "alias/pulumi-secrets" } satisfies Partial<StateBackend>;

export type ResolvedService = Defaulted<ServiceSpec, typeof SERVICE_DEFAULTS>;
export type ResolvedProcessor = Defaulted<QueueProcessor, typeof PROCESSOR_DEFAULTS>;
export type ResolvedQueue = Omit<Defaulted<QueueSpec, typeof QUEUE_DEFAULTS>, "processor"> & { processor: ResolvedProcessor };
export type ResolvedSchedule = Defaulted<ScheduleSpec, typeof SCHEDULE_DEFAULTS>;
export type ResolvedMigrations = Defaulted<MigrationSettings, typeof MIGRATION_DEFAULTS>;
export type ResolvedSettings = Omit<Defaulted<ComputeSettings, typeof SETTINGS_DEFAULTS>, "migrations"> & { migrations: ResolvedMigrations };
export type ResolvedEndpoints = Required<DataEndpoints>;
export type ResolvedComputeArgs = Omit<Defaulted<ComputeArgs, typeof COMPUTE_DEFAULTS>, "settings" | "services" | "queues" | "schedules" | "endpoints" | "processors" | "schedulesState"> & {
  settings: ResolvedSettings;
  services: ResolvedService[];
  queues: ResolvedQueue[];
  schedules: ResolvedSchedule[];
  endpoints: ResolvedEndpoints;
  processors: ProcessorState;
  schedulesState: ScheduleState;
};
export type ResolvedCi = Omit<Defaulted<CiSettings, typeof CI_DEFAULTS>, "state"> & { state?: Defaulted<StateBackend, typeof STATE_BACKEND_DEFAULTS> };

/** ComputeArgs with every default filled in. */
export function withComputeDefaults(args: ComputeArgs): ResolvedComputeArgs {
  const top = withDefaults(args, COMPUTE_DEFAULTS);
  const settings = withDefaults(args.settings, SETTINGS_DEFAULTS);
  const endpoints = withDefaults(args.endpoints, ENDPOINT_DEFAULTS);
  return {
    ...top,
    settings: { ...settings, migrations: withDefaults(settings.migrations, MIGRATION_DEFAULTS) },
    services: args.services.map((s) => withDefaults(s, SERVICE_DEFAULTS)),
    queues: top.queues.map((q) => ({ ...withDefaults(q, QUEUE_DEFAULTS), processor: withDefaults(q.processor, PROCESSOR_DEFAULTS) })),
    schedules: top.schedules.map((s) => withDefaults(s, SCHEDULE_DEFAULTS)),
    endpoints: { ...endpoints, databaseReaderHost: endpoints.databaseReaderHost ?? endpoints.databaseHost },
  };
}

/** CiSettings with every default filled in. */
export function withCiDefaults(ci: CiSettings): ResolvedCi {
  const resolved = withDefaults(ci, CI_DEFAULTS);
  return { ...resolved, state: resolved.state && withDefaults(resolved.state, STATE_BACKEND_DEFAULTS) };
}
