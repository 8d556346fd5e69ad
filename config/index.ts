import * as pulumi from "@pulumi/pulumi";
import { ConfigError, ConfigProblem, NAMESPACE, validateConfig } from "./validate";
import { PlatformConfig } from "./schema";
import { CREDENTIALS } from "./credentials";

export * from "./schema";
export { ConfigError, ConfigProblem, formatProblems, validateConfig } from "./validate";

export { CREDENTIALS } from "./credentials";
export type CredentialName = keyof typeof CREDENTIALS;
export type Credentials = Partial<Record<CredentialName, pulumi.Output<string>>>;

/** The validated stack config plus the names Pulumi knows the stack by. */
export interface StackSettings extends PlatformConfig {
  project: string;
  stack: string;
  credentials: Credentials;
}

/** Credentials this config cannot deploy without, by name. */
export function requiredCredentials(config: PlatformConfig): CredentialName[] {
  return ["datadogApiKey", ...(config.observability.paging.opsgenie ? (["opsgenieApiKey", "opsgenieCloudwatchEndpoint"] as const) : [])];
}

/** One problem per required credential that is neither set as config nor in the environment. */
export function credentialProblems(config: PlatformConfig, present: (name: CredentialName) => boolean): ConfigProblem[] {
  return requiredCredentials(config)
    .filter((name) => !present(name))
    .map((name) => {
      const c = CREDENTIALS[name];
      const env = c.env ? `, or ${c.env} in the environment` : "";
      return { key: c.key, message: `is required: set it with \`pulumi config set --secret ${c.key} <value>\`${env}` };
    });
}

/**
 * Reads and validates the whole `platform:` namespace and the credentials it needs. Throws a
 * {@link ConfigError} listing every problem before the program registers a single resource. This
 * module (called from index.ts) is the only code that reads stack config or the environment;
 * components receive typed args.
 */
export function loadConfig(): StackSettings {
  const all = pulumi.runtime.allConfig();
  const raw = Object.fromEntries(Object.entries(all).filter(([key]) => key.startsWith(`${NAMESPACE}:`)));
  const result = validateConfig(raw);
  if (!result.ok) throw new ConfigError(result.problems);
  const value = (name: CredentialName): string | undefined => {
    const c = CREDENTIALS[name];
    return all[c.key] ?? (c.env ? process.env[c.env] : undefined) ?? undefined;
  };
  const missing = credentialProblems(result.config, (name) => Boolean(value(name)));
  if (missing.length) throw new ConfigError(missing);
  const credentials: Credentials = {};
  for (const name of Object.keys(CREDENTIALS) as CredentialName[]) {
    const v = value(name);
    if (v) credentials[name] = pulumi.secret(v);
  }
  return { ...result.config, project: pulumi.getProject(), stack: pulumi.getStack(), credentials };
}
