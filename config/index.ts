import * as pulumi from "@pulumi/pulumi";
import { ConfigError, NAMESPACE, validateConfig } from "./validate";
import { PlatformConfig } from "./schema";

export * from "./schema";
export { ConfigError, ConfigProblem, formatProblems, validateConfig } from "./validate";

/** The validated stack config plus the names Pulumi knows the stack by. */
export interface StackSettings extends PlatformConfig {
  project: string;
  stack: string;
  /**
   * Provider credentials set as Pulumi secrets (`pulumi config set --secret cloudflare:apiToken`);
   * when unset, each provider reads its environment variable (CLOUDFLARE_API_TOKEN, ...).
   */
  credentials: { cloudflareApiToken?: pulumi.Output<string> };
}

/**
 * Reads and validates the whole `platform:` namespace. Throws a {@link ConfigError} listing every
 * problem before the program registers a single resource. This module (called from index.ts) is the
 * only code that reads stack config; components receive typed args.
 */
export function loadConfig(): StackSettings {
  const all = pulumi.runtime.allConfig();
  const raw = Object.fromEntries(Object.entries(all).filter(([key]) => key.startsWith(`${NAMESPACE}:`)));
  const result = validateConfig(raw);
  if (!result.ok) throw new ConfigError(result.problems);
  const secret = (key: string) => (all[key] === undefined ? undefined : pulumi.secret(all[key]));
  return {
    ...result.config,
    project: pulumi.getProject(),
    stack: pulumi.getStack(),
    credentials: { cloudflareApiToken: secret("cloudflare:apiToken") },
  };
}
