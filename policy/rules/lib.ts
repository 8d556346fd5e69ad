import { PolicyResource, ReportViolation, ResourceValidationArgs, ResourceValidationPolicy, StackValidationArgs, StackValidationPolicy } from "@pulumi/policy";

/**
 * A rule of the pack. A resource rule that judges only some types names them in `types`: the
 * offline runner (tools/plan/policy.ts) then calls it for those alone; the engine calls it for
 * every resource, and it returns at once for the others.
 */
export type Rule = (ResourceValidationPolicy & { types?: readonly string[] }) | StackValidationPolicy;
export type Props = Record<string, unknown>;
/** What a check returns: nothing when the resource complies, otherwise one message per problem. */
export type Findings = string | string[] | undefined | void;

/** Environments the pack knows; rules that differ by environment read it from pack config. */
export const ENVIRONMENTS = ["dev", "staging", "prod"];
const environmentSchema = { properties: { environment: { type: "string" as const, enum: ENVIRONMENTS, default: "dev" } } };

function report(findings: Findings, reportViolation: ReportViolation, urn?: string): void {
  for (const message of [findings ?? []].flat()) reportViolation(message, urn);
}

/** A rule over resources of the given types (Pulumi type tokens such as `aws:s3/bucket:Bucket`). */
export function resourceRule(
  name: string,
  description: string,
  types: string[],
  check: (props: Props, args: ResourceValidationArgs) => Findings,
): ResourceValidationPolicy & { types: readonly string[] } {
  return {
    name,
    description,
    enforcementLevel: "mandatory",
    types,
    validateResource: (args, reportViolation) => {
      if (!types.includes(args.type)) return;
      report(check(args.props, args), reportViolation);
    },
  };
}

/**
 * The role of the region a resource is deployed in (`primary` or `secondary`), from its provider's
 * `region-role` default tag (program/region.ts); undefined when the provider does not say.
 */
export function regionRole(args: { provider?: { props: Record<string, unknown> } }): string | undefined {
  return providerDefaultTags(args)["region-role"];
}

/** The tags a resource's provider adds to it (`defaultTags.tags`); provider config reaches policies as the engine passes it, objects as JSON text. */
export function providerDefaultTags(args: { provider?: { props: Record<string, unknown> } }): Record<string, string> {
  const raw = args.provider?.props.defaultTags;
  const defaults = (typeof raw === "string" ? JSON.parse(raw) : raw) as { tags?: Record<string, string> } | undefined;
  return defaults?.tags ?? {};
}

/**
 * Whether an ECS service stands by (`region-serving: standby`, program/region.ts): its region is not
 * `platform:activeRegion`, so it keeps the standby's smaller floor.
 */
export function standsBy(props: Record<string, unknown>): boolean {
  return (props.tags as Record<string, string> | undefined)?.["region-serving"] === "standby";
}

/** A rule over the whole stack; `check` reports each violation against the resource it concerns. */
export function stackRule(
  name: string,
  description: string,
  check: (resources: PolicyResource[], reportViolation: ReportViolation, args: StackValidationArgs) => void | Promise<void>,
): StackValidationPolicy {
  return { name, description, enforcementLevel: "mandatory", validateStack: (args, reportViolation) => check(args.resources, reportViolation, args) };
}

/** Restricts a rule to prod stacks: pack config `{ "<rule>": { "environment": "prod" } }` turns it on. */
export function prodOnly<R extends Rule>(rule: R): R {
  const applies = (env: { environment?: string }) => env.environment === "prod";
  if ("validateStack" in rule) {
    const inner = rule.validateStack;
    return { ...rule, configSchema: environmentSchema, validateStack: (args, rv) => (applies(args.getConfig()) ? inner(args, rv) : args.notApplicable("prod only")) };
  }
  const inner = (rule as ResourceValidationPolicy).validateResource as (a: ResourceValidationArgs, r: ReportViolation) => void;
  return {
    ...rule,
    configSchema: environmentSchema,
    validateResource: (args: ResourceValidationArgs, rv: ReportViolation) => (applies(args.getConfig()) ? inner(args, rv) : args.notApplicable("prod only")),
  };
}

/** One IAM statement with every list field normalised to an array. */
export interface Statement {
  Sid?: string;
  Effect: string;
  Action: string[];
  NotAction: string[];
  Resource: string[];
  Principal?: "*" | Record<string, string[]>;
  Condition?: Record<string, Record<string, string[]>>;
}

const list = (v: unknown): string[] => (v === undefined ? [] : Array.isArray(v) ? v.map(String) : [String(v)]);

/** Statements of each document text: several rules read the same policy documents. */
const parsedDocuments = new Map<string, Statement[]>();

/**
 * Statements of an IAM document given as JSON text or an object (nothing when it is not known
 * yet), normalized; shared between callers, so read them only.
 */
export function statements(doc: unknown): Statement[] {
  if (typeof doc !== "string") return normalizedStatements(doc);
  let known = parsedDocuments.get(doc);
  if (!known) parsedDocuments.set(doc, (known = normalizedStatements(doc)));
  return known;
}

function normalizedStatements(doc: unknown): Statement[] {
  let parsed: unknown = doc;
  if (typeof doc === "string") {
    try {
      parsed = JSON.parse(doc);
    } catch {
      return [];
    }
  }
  const raw = (parsed as { Statement?: unknown })?.Statement;
  return [raw ?? []].flat().map((s) => {
    const st = s as Record<string, unknown>;
    const principal = st.Principal;
    return {
      Sid: st.Sid as string | undefined,
      Effect: String(st.Effect),
      Action: list(st.Action),
      NotAction: list(st.NotAction),
      Resource: list(st.Resource),
      Principal:
        principal === "*" ? "*" : principal && typeof principal === "object" ? Object.fromEntries(Object.entries(principal).map(([k, v]) => [k, list(v)])) : undefined,
      Condition: conditionOf(st.Condition),
    };
  });
}

/**
 * A statement's Condition with every value a list, or undefined when it constrains nothing: `{}`,
 * or operators without keys (`{ "StringEquals": {} }`), grant what a statement without a Condition
 * grants (https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_condition.html:
 * a request is allowed when every condition key matches, and an empty block names none).
 */
function conditionOf(raw: unknown): Statement["Condition"] {
  if (!raw || typeof raw !== "object") return undefined;
  const operators = Object.entries(raw as Record<string, unknown>)
    .filter(([, m]) => m && typeof m === "object" && Object.keys(m).length > 0)
    .map(([op, m]) => [op, Object.fromEntries(Object.entries(m as Record<string, unknown>).map(([k, v]) => [k, list(v)]))] as const);
  return operators.length ? Object.fromEntries(operators) : undefined;
}

const escapeRegExp = (text: string) => text.replace(/[.+^${}()|[\]\\]/g, "\\$&");
/** Each pattern's expression, compiled once: a broad role names hundreds of patterns, each tried on every listed action. */
const matchers = new Map<string, RegExp>();

/**
 * IAM's wildcard matching, `*` any run of characters and `?` exactly one
 * (https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_action.html), compiled
 * once per pattern. Action names are case-insensitive in IAM, so is the match by default;
 * `caseSensitive` is for names that are not (Pulumi URNs and resource names).
 */
export function wildcard(pattern: string, caseSensitive = false): RegExp {
  const key = `${caseSensitive ? "s" : "i"}:${pattern}`;
  let re = matchers.get(key);
  if (!re) matchers.set(key, (re = new RegExp(`^${escapeRegExp(pattern).replace(/\*/g, ".*").replace(/\?/g, ".")}$`, caseSensitive ? "" : "i")));
  return re;
}

/** Whether an IAM action pattern (`iam:*`, `iam:Attach*`, `iam:Pass?ole`) matches an action. */
export const actionMatches = (pattern: string, action: string): boolean => wildcard(pattern).test(action);

/** True for the principal "*" in any of its spellings. */
export function isWildcardPrincipal(p: Statement["Principal"]): boolean {
  return p === "*" || (p !== undefined && Object.values(p).some((ids) => ids.includes("*")));
}

/** What other resources of the stack refer to a resource by: its id, ARN or name (those that are known). */
export const idsOf = (r: PolicyResource): unknown[] => [r.props.id, r.props.arn, r.props.name].filter((v) => v !== undefined);

/** Resources of one type. */
export const ofType = (resources: PolicyResource[], type: string) => resources.filter((r) => r.type === type);

/** The region a resource is managed in: its provider's region. */
export function regionOf(r: { provider?: { props: Props } }): string | undefined {
  const region = r.provider?.props?.region;
  return typeof region === "string" ? region : undefined;
}

/** ARNs of the queues other queues send failed messages to (their `redrivePolicy` targets). */
export function deadLetterTargets(resources: PolicyResource[]): Set<unknown> {
  return new Set(
    ofType(resources, "aws:sqs/queue:Queue").flatMap((q) => {
      try {
        return [JSON.parse(String(q.props.redrivePolicy ?? "{}")).deadLetterTargetArn];
      } catch {
        return [];
      }
    }),
  );
}
