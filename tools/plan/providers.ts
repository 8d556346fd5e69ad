/**
 * What the Pulumi engine enforces about providers and the mock runtime does not: with
 * `pulumi:disable-default-providers` covering a package, every custom resource, remote component
 * and invoke of that package must name an explicit provider of that same package. The engine
 * refuses anything else ("Default provider for 'awsx' disabled. ... must use an explicit
 * provider", pulumi/pulumi-awsx#930; https://www.pulumi.com/docs/iac/concepts/resources/providers/#disabling-default-providers).
 * A remote component (awsx) takes its provider from the `providers` map by its own package: an
 * aws provider there does not count for it.
 */

/** Packages whose default providers are disabled, from the stack's config; `"*"` is every package. */
export type DisabledDefaults = "*" | ReadonlySet<string>;

export function disabledDefaults(config: Record<string, string>): DisabledDefaults {
  const raw = config["pulumi:disable-default-providers"];
  if (raw === undefined) return new Set();
  let list: unknown;
  try {
    list = JSON.parse(raw);
  } catch {
    list = raw.split(",");
  }
  const names = (Array.isArray(list) ? list : [list]).map((s) => String(s).trim()).filter(Boolean);
  return names.includes("*") ? "*" : new Set(names);
}

/** The package of a resource or function token: `awsx:ec2:Vpc` -> `awsx`. */
export function packageOf(token: string): string {
  return token.split(":")[0];
}

/** The package a provider reference (`urn::id`, or a provider URN) manages, or undefined for none. */
export function providerPackage(ref: string | undefined): string | undefined {
  if (!ref) return undefined;
  // urn:pulumi:<stack>::<project>::<type chain>::<name>[::<id>]; the last link of the chain is the type.
  const chain = ref.split("::")[2] ?? "";
  const type = chain.slice(chain.lastIndexOf("$") + 1);
  return type.startsWith("pulumi:providers:") ? type.slice("pulumi:providers:".length) : undefined;
}

/**
 * The engine's refusal for one registration or invoke, or undefined when it would go through.
 * `what` names it in the message (a resource's type and name, or an invoke's token).
 */
export function providerProblem(token: string, what: string, providerRef: string | undefined, disabled: DisabledDefaults): string | undefined {
  const pkg = packageOf(token);
  if (pkg === "pulumi") return undefined;
  if (disabled !== "*" && !disabled.has(pkg)) return undefined;
  const got = providerPackage(providerRef);
  if (got === pkg) return undefined;
  return got === undefined
    ? `${what} has no explicit ${pkg} provider, and default providers are disabled for ${pkg} (Pulumi.yaml pulumi:disable-default-providers): pass an explicit ${pkg} provider in its options`
    : `${what} names a ${got} provider, but its package is ${pkg}: the engine needs an explicit ${pkg} provider (default providers are disabled)`;
}
