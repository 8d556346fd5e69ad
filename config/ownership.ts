/**
 * Shared zones, accounts and repositories: what exists once however many stacks use it, and which
 * stack owns it. A stack reads only its own config, so the rules across stacks run where all the
 * committed `Pulumi.<stack>.yaml` files are visible (the offline plan, `tools/ci/stacks.ts`, the
 * tests); each rule names the key to change.
 *
 * - A Cloudflare zone has one set of zone settings, one entry-point ruleset per phase and one bot
 *   management configuration (https://developers.cloudflare.com/ruleset-engine/about/phases/):
 *   `platform:dns.ownsZone` says which stack manages them; the others add only their records and
 *   load balancers.
 * - An AWS account has one IAM OIDC provider per issuer URL
 *   (https://docs.aws.amazon.com/IAM/latest/UserGuide/id_roles_providers_create_oidc.html) and one
 *   Datadog AWS integration per Datadog organisation
 *   (https://docs.datadoghq.com/integrations/amazon_web_services/): `platform:ci.createOidcProvider`
 *   and `platform:observability.datadog.awsIntegration` say which stack of the account
 *   (`platform:awsAccountId`) creates them.
 * - The repository's packages are published from one CodeArtifact (`publish-components.yml`):
 *   `platform:ci.publish` is set in one stack of the repository.
 */
import { z } from "zod";
import { ConfigProblem, NAMESPACE } from "./problems";
import { record, str } from "./raw";

/** `platform:awsAccountId`: the 12-digit AWS account the stack deploys into. */
export const awsAccountId = z.union([z.string(), z.number().transform(String)]).pipe(
  z.string().regex(/^\d{12}$/, { error: "expected a 12-digit AWS account id, quoted (e.g. \"111111111111\")" }),
);

/** What one stack claims to own, read from its raw config (defaults as the schema has them). */
export interface Claims {
  stack: string;
  zoneId?: string;
  ownsZone: boolean;
  awsAccountId?: string;
  oidcProvider: boolean;
  datadogIntegration: boolean;
  repository?: string;
  publish: boolean;
}

/** Pulumi hands objects to the program as JSON text; a stack file read offline may give either. */
function object(value: unknown): Record<string, unknown> {
  if (typeof value !== "string") return record(value);
  try {
    return record(JSON.parse(value));
  } catch {
    return {};
  }
}

/** A boolean config value as configBoolean reads it; anything else counts as the default. */
function flag(value: unknown, fallback: boolean): boolean {
  if (value === true || value === "true") return true;
  if (value === false || value === "false") return false;
  return fallback;
}

/** The claims of a stack's config (`{ "platform:dns": ..., ... }`), or undefined for another project's. */
export function claimsOf(stack: string, raw: Record<string, unknown>): Claims | undefined {
  if (raw[`${NAMESPACE}:environment`] === undefined) return undefined;
  const dns = object(raw[`${NAMESPACE}:dns`]);
  const ci = object(raw[`${NAMESPACE}:ci`]);
  const datadog = record(object(raw[`${NAMESPACE}:observability`]).datadog);
  const account = raw[`${NAMESPACE}:awsAccountId`];
  return {
    stack,
    zoneId: str(dns.zoneId),
    ownsZone: flag(dns.ownsZone, true),
    awsAccountId: typeof account === "number" ? String(account) : str(account),
    oidcProvider: flag(ci.createOidcProvider, true),
    datadogIntegration: flag(datadog.awsIntegration, true),
    repository: str(ci.repository),
    publish: ci.publish !== undefined,
  };
}

interface Singleton {
  key: string;
  what: string;
  /** The scope the singleton is unique in, or undefined when the stack does not say. */
  scope: (c: Claims) => string | undefined;
  owns: (c: Claims) => boolean;
  /** What the stack that does not own it gets instead. */
  otherwise: string;
}

const SINGLETONS: Singleton[] = [
  {
    key: "dns.ownsZone",
    what: "the zone-wide settings, rulesets and bot management of Cloudflare zone",
    scope: (c) => c.zoneId,
    owns: (c) => c.ownsZone,
    otherwise: "false adds only this stack's records and load balancers",
  },
  {
    key: "ci.createOidcProvider",
    what: "the GitHub OIDC provider of AWS account",
    scope: (c) => c.awsAccountId,
    owns: (c) => c.oidcProvider,
    otherwise: "false trusts the provider the owner creates",
  },
  {
    key: "observability.datadog.awsIntegration",
    what: "the Datadog AWS integration of AWS account",
    scope: (c) => c.awsAccountId,
    owns: (c) => c.datadogIntegration,
    otherwise: "false relies on the owner's integration for the account's metrics",
  },
  {
    key: "ci.publish",
    what: "package publishing (publish-components.yml) of repository",
    scope: (c) => c.repository,
    owns: (c) => c.publish,
    otherwise: "leave it out in every other stack",
  },
];

/**
 * Problems with `self`'s claims given the other stacks it can see: one per singleton that another
 * stack in the same zone, account or repository already owns. Keys are `self`'s.
 */
export function ownershipProblems(self: Claims, others: Claims[]): ConfigProblem[] {
  const problems: ConfigProblem[] = [];
  for (const s of SINGLETONS) {
    const scope = s.scope(self);
    if (scope === undefined || !s.owns(self)) continue;
    const rivals = others.filter((o) => o.stack !== self.stack && s.scope(o) === scope && s.owns(o)).map((o) => o.stack);
    if (rivals.length) {
      problems.push({
        key: `${NAMESPACE}:${s.key}`,
        message: `stack${rivals.length > 1 ? "s" : ""} ${rivals.join(", ")} already own${rivals.length > 1 ? "" : "s"} ${s.what} ${scope}: exactly one stack may (${s.otherwise})`,
      });
    }
  }
  return problems;
}
