import * as pulumi from "@pulumi/pulumi";
import { ConfigError, ConfigProblem, NAMESPACE, validateConfig } from "./validate";
import { PlatformConfig } from "./schema";

export * from "./schema";
export { ConfigError, ConfigProblem, formatProblems, validateConfig } from "./validate";

/**
 * Credentials the program needs as values (not only for a provider's own login), each a Pulumi
 * secret (`pulumi config set --secret <key>`) or, when unset, the environment variable. `example`
 * is what the offline plan stands in for the value, since it has neither.
 */
export const CREDENTIALS = {
  /** Cloudflare API token; when unset the provider reads CLOUDFLARE_API_TOKEN itself. */
  cloudflareApiToken: { key: "cloudflare:apiToken", env: "", example: "offline-cloudflare-token" },
  /** Datadog API key: the provider's login and the Firehose log delivery key. */
  datadogApiKey: { key: "datadog:apiKey", env: "DD_API_KEY", example: "0123456789abcdef0123456789abcdef" },
  /** Datadog application key; when unset the provider reads DD_APP_KEY itself. */
  datadogAppKey: { key: "datadog:appKey", env: "", example: "0123456789abcdef0123456789abcdef01234567" },
  /** Opsgenie API key of the Datadog integration (prod). */
  opsgenieApiKey: { key: "opsgenie:apiKey", env: "OPSGENIE_API_KEY", example: "00000000-0000-0000-0000-000000000000" },
  /** HTTPS endpoint of Opsgenie's CloudWatch integration, with its key (prod). */
  opsgenieCloudwatchEndpoint: {
    key: "opsgenie:cloudwatchEndpoint",
    env: "OPSGENIE_CLOUDWATCH_ENDPOINT",
    example: "https://api.opsgenie.com/v1/json/cloudwatch?apiKey=00000000-0000-0000-0000-000000000000",
  },
} as const;
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
