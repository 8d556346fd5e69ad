/** Tags every AWS provider puts on every resource it manages (ARCHITECTURE.md, Conventions). */
export function defaultTags(args: { environment: string; project: string; extra?: Record<string, string> }): Record<string, string> {
  return {
    ...args.extra,
    env: args.environment,
    project: args.project,
    "managed-by": "pulumi",
  };
}
