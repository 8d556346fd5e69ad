/**
 * Credentials the program needs as values (not only for a provider's own login), each a Pulumi
 * secret (`pulumi config set --secret <key>`) or, when unset, the environment variable. `example`
 * is what the offline plan stands in for the value, since it has neither. Plain data with no
 * imports, so the offline plan reads it without building the config schemas a second time.
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
