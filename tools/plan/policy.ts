import * as fs from "fs";
import * as path from "path";
import { EnforcementLevel, PolicyResource, ResourceValidationArgs, ResourceValidationPolicy, StackValidationPolicy } from "@pulumi/policy";
import { Rule, policies } from "../../policy/rules";
import { PlanGraph, PlanResource } from "./graph";

/** Pack config as `pulumi preview --policy-pack-config <file>` takes it: rule name -> settings. */
export type PackConfig = Record<string, EnforcementLevel | ({ enforcementLevel?: EnforcementLevel } & Record<string, unknown>)>;

export interface PolicyViolation {
  policy: string;
  enforcementLevel: EnforcementLevel;
  /** The resource the violation is about (stack rules may report one or none). */
  urn?: string;
  message: string;
}

export interface PolicyReport {
  /** Rules that ran (disabled ones excluded). */
  rules: number;
  violations: PolicyViolation[];
  mandatory: number;
}

/** A stack without its pack config: the pack would run with every rule's defaults (dev's strictness). */
export class PolicyConfigMissingError extends Error {
  constructor(readonly stack: string, readonly file: string) {
    super(
      `Stack "${stack}" has no policy config: expected ${file}. Every stack has its own (the workflows pass it to the policy pack); ` +
        `copy the one of a stack of the same platform:environment and adjust it (docs/environments.md).`,
    );
    this.name = "PolicyConfigMissingError";
  }
}

/** Where a stack's pack config is. */
export function packConfigFile(projectDir: string, stack: string): string {
  return path.join(projectDir, "policy", "config", `${stack}.json`);
}

/**
 * The rules that take `environment` (prodOnly's) and that a pack config leaves undecided for a
 * stack stricter than dev. The schema's default is dev, which turns a prod-only rule off without a
 * word, so each must be decided: "prod" to apply it, the stack's own environment to say it does
 * not, or the rule disabled outright. Any other value (`dev` in prod, a misspelling) is undecided.
 */
export function unsetEnvironments(config: PackConfig, environment: string, rules: Rule[] = policies): string[] {
  if (environment === "dev") return [];
  const takes = (r: Rule) => (r.configSchema?.properties as Record<string, unknown> | undefined)?.environment !== undefined;
  const decided = (r: Rule) => {
    const own = config[r.name];
    if (own === "disabled") return true;
    if (typeof own !== "object" || own === null) return false;
    return own.enforcementLevel === "disabled" || own.environment === "prod" || own.environment === environment;
  };
  return rules.filter((r) => takes(r) && !decided(r)).map((r) => r.name);
}

/** The line that names them, for `npm run plan` and tools/ci/stacks.ts. */
export function unsetEnvironmentsProblem(file: string, environment: string, unset: string[]): string {
  const verb = unset.length === 1 ? "takes" : "take";
  return (
    `${file}: ${unset.join(", ")} ${verb} "environment", and this ${environment} stack's file leaves it unset or sets it to ${environment === "prod" ? 'something other than "prod"' : `neither "prod" nor "${environment}"`}; ` +
    `the default (dev) turns a prod-only rule off. ` +
    (environment === "prod" ? `Set "environment": "prod" for each.` : `Set "environment": "prod" to apply it, or "${environment}" to decide it does not apply.`)
  );
}

/** The pack config for a stack: `policy/config/<stack>.json`, which must exist ({@link PolicyConfigMissingError}). */
export function packConfigFor(projectDir: string, stack: string): PackConfig {
  const file = packConfigFile(projectDir, stack);
  if (!fs.existsSync(file)) throw new PolicyConfigMissingError(stack, path.relative(process.cwd(), file) || file);
  return JSON.parse(fs.readFileSync(file, "utf8")) as PackConfig;
}

/** What `notApplicable` throws: not an Error, so the skip of a rule per resource captures no stack. */
class NotApplicable {
  constructor(readonly reason?: string) {}
}

function settingsOf(config: PackConfig, rule: Rule): { level: EnforcementLevel; values: Record<string, unknown> } {
  const own = config[rule.name];
  const { enforcementLevel, ...values } = typeof own === "string" ? { enforcementLevel: own } : (own ?? {});
  // Like the engine: schema defaults, then the pack config's values.
  const defaults = Object.fromEntries(Object.entries(rule.configSchema?.properties ?? {}).flatMap(([k, s]) => ("default" in s ? [[k, s.default]] : [])));
  return { level: enforcementLevel ?? rule.enforcementLevel ?? "advisory", values: { ...defaults, ...values } };
}

/** Type check the engine does: the class's `__pulumiType` against the resource's type. */
function isTypeOf(type: string, cls: unknown): boolean {
  return (cls as { __pulumiType?: string }).__pulumiType === type;
}

/**
 * Runs the pack's rules against an offline graph the way the Pulumi engine runs a policy pack:
 * every resource through each resource rule, then the whole stack through each stack rule, with
 * the validation arguments the engine builds (props, urn, name, options, provider, isType/asType,
 * getConfig with schema defaults, notApplicable).
 */
export async function runPolicies(graph: PlanGraph, config: PackConfig = {}, rules: Rule[] = policies): Promise<PolicyReport> {
  const byUrn = new Map<string, PlanResource>(graph.resources.map((r) => [r.urn, r]));
  const propsOf = (r: PlanResource) => ({ ...r.inputs, ...(r.outputs ?? {}), ...(r.id !== undefined ? { id: r.id } : {}), ...(r.arn !== undefined ? { arn: r.arn } : {}), urn: r.urn });
  const providerOf = (r: PlanResource) => {
    const p = r.provider ? byUrn.get(r.provider) : undefined;
    return p ? { type: p.type, props: propsOf(p), urn: p.urn, name: p.name } : undefined;
  };
  const optionsOf = (r: PlanResource) => ({
    protect: r.options.protect === true,
    ignoreChanges: r.options.ignoreChanges ?? [],
    deleteBeforeReplace: r.options.deleteBeforeReplace,
    aliases: [],
    customTimeouts: { createSeconds: 0, updateSeconds: 0, deleteSeconds: 0 },
    additionalSecretOutputs: r.options.additionalSecretOutputs ?? [],
    parent: r.parent,
  });

  const cache = new Map<string, PolicyResource>();
  const policyResource = (r: PlanResource): PolicyResource => {
    const known = cache.get(r.urn);
    if (known) return known;
    const props = propsOf(r);
    const resource: PolicyResource = {
      type: r.type,
      props,
      urn: r.urn,
      name: r.name,
      opts: optionsOf(r),
      provider: providerOf(r),
      dependencies: [],
      propertyDependencies: {},
      isType: (cls) => isTypeOf(r.type, cls),
      asType: ((cls: unknown) => (isTypeOf(r.type, cls) ? props : undefined)) as PolicyResource["asType"],
    };
    cache.set(r.urn, resource);
    const parent = r.parent ? byUrn.get(r.parent) : undefined;
    if (parent) resource.parent = policyResource(parent);
    resource.dependencies = (r.options.dependsOn ?? []).map((u) => byUrn.get(u)).filter((d): d is PlanResource => d !== undefined).map(policyResource);
    return resource;
  };
  const resources = graph.resources.filter((r) => r.kind !== "provider");
  const all = graph.resources.map(policyResource);

  // Each resource's validation arguments, built once and shared by the rules, which run one at a
  // time: `getConfig` answers the running rule's values.
  let ruleValues: Record<string, unknown> = {};
  const argsByUrn = new Map<string, ResourceValidationArgs>();
  const argsOf = (r: PlanResource): ResourceValidationArgs => {
    let args = argsByUrn.get(r.urn);
    if (args) return args;
    const pr = policyResource(r);
    args = {
      type: r.type,
      props: pr.props,
      urn: r.urn,
      name: r.name,
      opts: pr.opts,
      provider: pr.provider,
      stackTags: new Map(),
      isType: pr.isType,
      asType: pr.asType as ResourceValidationArgs["asType"],
      getConfig: <T extends object>() => ruleValues as T,
      notApplicable,
    };
    argsByUrn.set(r.urn, args);
    return args;
  };
  const violations: PolicyViolation[] = [];
  let ran = 0;
  const notApplicable = (reason?: string): never => {
    throw new NotApplicable(reason);
  };
  for (const rule of rules) {
    const { level, values } = settingsOf(config, rule);
    if (level === "disabled") continue;
    ran++;
    const enforcementLevel: EnforcementLevel = level === "remediate" ? "mandatory" : level;
    const reporter = (fallbackUrn?: string) => (message: string, urn?: string) => violations.push({ policy: rule.name, enforcementLevel, urn: urn ?? fallbackUrn, message });
    try {
      if ("validateStack" in rule) {
        await (rule as StackValidationPolicy).validateStack({ resources: all, stackTags: new Map(), getConfig: <T extends object>() => values as T, notApplicable }, reporter());
        continue;
      }
      const validations = [(rule as ResourceValidationPolicy).validateResource ?? []].flat();
      const types = "types" in rule && rule.types ? new Set(rule.types) : undefined;
      ruleValues = values;
      for (const r of resources) {
        // A rule that names its types returns at once for the others (policy/rules/lib.ts).
        if (types && !types.has(r.type)) continue;
        const args = argsOf(r);
        for (const validate of validations) {
          try {
            const pending: unknown = validate(args, reporter(r.urn));
            if (typeof (pending as PromiseLike<void> | undefined)?.then === "function") await pending;
          } catch (err) {
            if (!(err instanceof NotApplicable)) throw err;
          }
        }
      }
    } catch (err) {
      if (!(err instanceof NotApplicable)) throw new Error(`policy ${rule.name} failed: ${(err as Error).message}`, { cause: err });
    }
  }
  return { rules: ran, violations, mandatory: violations.filter((v) => v.enforcementLevel === "mandatory").length };
}

/** The report as `npm run plan` prints it. */
export function renderPolicyReport(report: PolicyReport, graph: PlanGraph): string {
  const nameOf = (urn?: string) => (urn ? `${graph.resources.find((r) => r.urn === urn)?.type ?? ""} ${urn.split("::").pop()}` : "(stack)");
  const lines = [`Policies: ${report.rules} rules, ${report.violations.length} violation(s), ${report.mandatory} mandatory`];
  for (const v of report.violations) lines.push(`  ${v.enforcementLevel === "mandatory" ? "✗" : "!"} [${v.enforcementLevel}] ${v.policy}  ${nameOf(v.urn)}\n      ${v.message}`);
  return lines.join("\n");
}
