/**
 * The offline plan's graph: what `npm run plan -- --json <file>` writes and what the tests and the
 * policy runner read. Documented in tools/plan/README.md ("The plan graph"); change both together.
 */
export interface PlanGraph {
  stack: string;
  project: string;
  resources: PlanResource[];
  /** Stack outputs, secrets shown as "[secret]". */
  outputs: Record<string, unknown>;
  /** Data sources (invokes) the program called, once per token and provider: a preview calls each with the previewing role. */
  invokes?: PlanInvoke[];
}

export interface PlanInvoke {
  /** Pulumi function token, e.g. `aws:secretsmanager/getRandomPassword:getRandomPassword`. */
  token: string;
  /** URN of the explicit provider it was called with. */
  provider?: string;
  /** The provider's region, when it has one. */
  region?: string;
  /** How many times the program called it with that provider. */
  count: number;
}

export interface PlanResource {
  urn: string;
  /** Pulumi type token, e.g. `aws:rds/cluster:Cluster` or `platform:network:Network`. */
  type: string;
  /** Logical name. */
  name: string;
  /** Mock physical id (custom resources): what other resources' inputs reference. */
  id?: string;
  /** Mock ARN, when the resource has one. */
  arn?: string;
  /** URN of the parent resource; undefined for children of the stack itself. */
  parent?: string;
  /** URN of the provider that manages it (custom resources and remote components). */
  provider?: string;
  /** AWS region it lives in (its own `region` input, else its provider's), when it has one. */
  region?: string;
  /** `custom` cloud resource, `component` (ours), `remote` (a provider-side component such as awsx), or `provider`. */
  kind: "custom" | "component" | "remote" | "provider";
  /** Inputs as the program sent them, secrets shown as "[secret]". */
  inputs: Record<string, unknown>;
  /** Outputs the mocks supplied, for remote components only (their children are invisible offline). */
  outputs?: Record<string, unknown>;
  options: ResourceOptionsRecord;
}

export interface ResourceOptionsRecord {
  protect: boolean;
  retainOnDelete: boolean;
  /** Explicit `dependsOn` only (not the dependencies implied by inputs). */
  dependsOn: string[];
  ignoreChanges: string[];
  deleteBeforeReplace: boolean;
  replaceOnChanges: string[];
  additionalSecretOutputs: string[];
  deletedWith?: string;
  /** URNs this resource may have had in an earlier deployment (own aliases and those inherited from its parents). */
  aliases: string[];
  /**
   * The dependencies the SDK sends with the registration per input property (the URNs of the
   * resources whose outputs that input was built from): with `dependsOn`, everything the engine
   * orders this resource after. Empty properties are left out.
   */
  propertyDependencies: Record<string, string[]>;
}

/** What an evaluation produced: a graph, a config rejection, or a program error. */
export type Evaluation =
  | {
      ok: true;
      graph: PlanGraph;
      /** In a worker: which of its evaluations this was (1 = a fresh process). */
      run?: number;
    }
  | {
      ok: false;
      kind: "config";
      problems: { key: string; message: string }[];
      message: string;
      /** Resources registered before the rejection: 0 proves validation ran first. */
      registered: number;
    }
  | { ok: false; kind: "stack"; message: string }
  | { ok: false; kind: "error"; message: string };
