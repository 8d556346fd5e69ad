/**
 * `@platform/components`: the platform's five Pulumi components. Each also has its own entry
 * point (`@platform/components/network`, `/data`, `/compute`, `/edge`, `/observability`) that
 * loads only the SDKs it needs; this barrel is what the component provider (PulumiPlugin.yaml)
 * serves to other languages.
 */
export { Network } from "./network";
export type { NetworkArgs } from "./network";
export { Data } from "./data";
export type { DataArgs } from "./data";
export { Compute, Delivery } from "./compute";
export type { ComputeArgs, DeliveryArgs } from "./compute";
export { Edge } from "./edge";
export type { EdgeArgs } from "./edge";
export { Observability } from "./observability";
export type { ObservabilityArgs } from "./observability";
