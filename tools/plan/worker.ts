import { createHash } from "crypto";
/**
 * Runs one stack of the real program under the Pulumi mock runtime, in its own process (the SDK
 * keeps global state, so one process evaluates exactly one stack). Started by evaluate.ts.
 */
import * as path from "path";
import * as pulumi from "@pulumi/pulumi";
import { Evaluation, PlanGraph, PlanResource } from "./graph";
import { PlatformMocks } from "./mocks";
import { cheapPromiseStacks } from "./promiseStacks";
import { DisabledDefaults, disabledDefaults, packageOf, providerProblem } from "./providers";
import { AliasSpecLike, inheritedAliasUrns, ownAliasUrns, parseUrn } from "./aliases";
import { CREDENTIALS } from "../../config";
import { StackConfig, StackNotFoundError, applyOverrides, loadStackConfig } from "./stackConfig";

export interface EvaluateRequest {
  /** Folder with Pulumi.yaml and index.ts. */
  projectDir: string;
  stack: string;
  /** Folder with the Pulumi.<stack>.yaml files (Pulumi's stackConfigDir); defaults to projectDir. */
  configDir?: string;
  /** Config keys to set on top of the stack file, as `pulumi config set` would (whole-key replace). */
  overrides?: Record<string, unknown>;
}

const SECRET_SIG_KEY = "4dabf18193072939515e22adb298388d";

/** The mocks of this process's evaluation, for error reporting. */
let currentMocks: PlatformMocks | undefined;

async function evaluate(req: EvaluateRequest): Promise<Evaluation> {
  let stackConfig;
  try {
    stackConfig = applyOverrides(loadStackConfig(req.projectDir, req.stack, req.configDir), req.overrides ?? {});
  } catch (err) {
    if (err instanceof StackNotFoundError) return { ok: false, kind: "stack", message: err.message };
    throw err;
  }
  const { project, stack, config, secretKeys } = withOfflineCredentials(stackConfig);
  pulumi.runtime.setAllConfig(config, secretKeys);
  const disabled = disabledDefaults(config);
  cheapPromiseStacks();
  const mocks = new PlatformMocks(stack, disabled);
  await pulumi.runtime.setMocks(mocks, project, stack, false);
  currentMocks = mocks;
  const recorder = new Recorder(mocks, disabled);
  recorder.attach(pulumi.runtime.getMonitor() as unknown as MonitorLike);

  let outputs: Record<string, unknown>;
  try {
    // The program is loaded the way the Pulumi Node.js host loads it: require() of the main module.
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const program = async () => ({ ...require(path.join(req.projectDir, "index.ts")) });
    outputs = (await pulumi.runtime.runInPulumiStack(program)) ?? {};
  } catch (err) {
    const e = err as { name?: string; problems?: { key: string; message: string }[]; message: string };
    if (e.name === "ConfigError" && e.problems) {
      return { ok: false, kind: "config", problems: e.problems, message: e.message, registered: recorder.count };
    }
    throw err;
  }
  // Drain registrations that no stack output depends on (the mock monitor has nothing to close).
  await pulumi.runtime.disconnect();
  if (recorder.errors.length) throw recorder.errors[0];
  const providerProblems = [...recorder.providerProblems, ...mocks.providerProblems];
  if (providerProblems.length) {
    return { ok: false, kind: "error", message: `The engine would refuse ${providerProblems.length} registration(s):\n${providerProblems.map((p) => `  - ${p}`).join("\n")}` };
  }
  return { ok: true, graph: recorder.graph(project, stack, sanitize(outputs) as Record<string, unknown>) };
}

/**
 * Offline there are no real credentials: each one the stack file does not set gets its example
 * value, as a secret, so the plan shows the resources a configured deploy creates. Real deploys
 * fail before creating anything when a required credential is missing (config/index.ts).
 */
function withOfflineCredentials(c: StackConfig): StackConfig {
  const config = { ...c.config };
  const secretKeys = [...c.secretKeys];
  for (const { key, example } of Object.values(CREDENTIALS)) {
    if (config[key] !== undefined) continue;
    config[key] = example;
    secretKeys.push(key);
  }
  return { ...c, config, secretKeys };
}

function toJavaScript(struct: unknown): unknown {
  return (struct as { toJavaScript?: () => unknown }).toJavaScript?.();
}

/** The slice of the SDK's mock monitor that the recorder wraps. */
interface MonitorLike {
  newUrn(parent: string, type: string, name: string): string;
  registerResource(req: RegisterRequest, cb: (err: Error | null, resp?: RegisterResponse) => void): void;
}
interface RegisterRequest {
  getType(): string;
  getName(): string;
  getParent(): string;
  getCustom(): boolean;
  getRemote(): boolean;
  getProvider(): string;
  setProvider(ref: string): void;
  getProvidersMap(): { get(key: string): string | undefined };
  getObject(): unknown;
  getProtect(): boolean | undefined;
  getRetainondelete(): boolean | undefined;
  getDependenciesList(): string[];
  getIgnorechangesList(): string[];
  getDeletebeforereplace(): boolean;
  getReplaceonchangesList(): string[];
  getAdditionalsecretoutputsList(): string[];
  getDeletedwith(): string;
  getAliasesList(): {
    getUrn(): string;
    getSpec(): { getName(): string; getType(): string; getStack(): string; getProject(): string; getParenturn(): string; getNoparent(): boolean } | undefined;
  }[];
  getPropertydependenciesMap(): { forEach(cb: (deps: { getUrnsList(): string[] }) => void): void };
}
interface RegisterResponse {
  getUrn(): string;
  getId(): string;
  getObject(): unknown;
}

/** Records every registration with its inputs and options, as the engine would see them. */
class Recorder {
  readonly errors: Error[] = [];
  /** Registrations the engine would refuse for want of an explicit provider of their package. */
  readonly providerProblems: string[] = [];
  private readonly resources: PlanResource[] = [];
  /** A remote component's provider of its own package, by URN (the mocks see its aws provider instead). */
  private readonly remoteProviders = new Map<string, string>();
  /** Every URN each registered resource may have had (own and inherited aliases), as the engine resolves them. */
  private readonly aliasesByUrn = new Map<string, string[]>();
  private stackUrn?: string;

  constructor(
    private readonly mocks: PlatformMocks,
    private readonly disabled: DisabledDefaults,
  ) {}

  /** Resources registered so far (the stack itself excluded). */
  get count(): number {
    return this.resources.length;
  }

  attach(monitor: MonitorLike): void {
    // The mock monitor builds a child's URN from its parent's last type only; the engine uses the
    // parent's full qualified type (`generateURN`), and two copies of a component would collide.
    monitor.newUrn = (parent, type, name) => {
      const chain = parent ? parent.split("::")[2] : "";
      const qualified = chain && chain !== "pulumi:pulumi:Stack" ? `${chain}$${type}` : type;
      return `urn:pulumi:${pulumi.getStack()}::${pulumi.getProject()}::${qualified}::${name}`;
    };
    const original = monitor.registerResource.bind(monitor);
    monitor.registerResource = (req, cb) => {
      const type = req.getType();
      // The engine takes a remote component's provider from the providers map, by its own package.
      const own = req.getRemote() ? req.getProvidersMap().get(packageOf(type)) : req.getProvider();
      if (req.getCustom() || req.getRemote()) {
        const problem = providerProblem(type, `${type} "${req.getName()}"`, own || undefined, this.disabled);
        if (problem) this.providerProblems.push(problem);
      }
      // The mock monitor hands the mocks only the provider field: for a remote component, its aws
      // provider (where its children would live), so the mocks can answer for the right region.
      if (req.getRemote()) {
        const aws = req.getProvidersMap().get("aws");
        if (aws) req.setProvider(aws);
      }
      return original(req, (err, resp) => {
        if (err) this.errors.push(err);
        else if (resp) {
          if (req.getRemote() && own) this.remoteProviders.set(resp.getUrn(), own);
          this.record(req, resp);
        }
        cb(err, resp);
      });
    };
  }

  private record(req: RegisterRequest, resp: RegisterResponse): void {
    const type = req.getType();
    const urn = resp.getUrn();
    if (type === "pulumi:pulumi:Stack") {
      this.stackUrn = urn;
      return;
    }
    const remote = req.getRemote();
    const inputs = pulumi.runtime.deserializeProperties(req.getObject() as never) as Record<string, unknown>;
    const state = pulumi.runtime.deserializeProperties(resp.getObject() as never) as Record<string, unknown>;
    const kind: PlanResource["kind"] = type.startsWith("pulumi:providers:")
      ? "provider"
      : req.getCustom()
        ? "custom"
        : remote
          ? "remote"
          : "component";
    const regionRef = kind === "custom" || kind === "remote" ? req.getProvider() : undefined;
    const providerRef = kind === "remote" ? this.remoteProviders.get(urn) : regionRef;
    const region = kind === "provider" ? (inputs.region as string | undefined) : kind === "component" ? undefined : this.mocks.regionOf(regionRef || undefined, inputs);
    // The SDK sends explicit dependsOn and the dependencies implied by inputs in one list.
    const implied = new Set<string>();
    req.getPropertydependenciesMap().forEach((deps) => deps.getUrnsList().forEach((u) => implied.add(u)));
    const parentUrn = req.getParent() && req.getParent() !== this.stackUrn ? normalizeUrn(req.getParent()) : undefined;
    const engineUrn = normalizeUrn(urn);
    const aliases = this.aliasesOf(engineUrn, parentUrn, req);
    this.resources.push({
      urn: engineUrn,
      type,
      name: req.getName(),
      ...(kind === "custom" ? { id: resp.getId(), ...(typeof state.arn === "string" ? { arn: state.arn } : {}) } : {}),
      parent: parentUrn,
      provider: providerRef ? this.engineUrn(providerRef.slice(0, providerRef.lastIndexOf("::"))) : undefined,
      region,
      kind,
      inputs: sanitize(inputs, toJavaScript(req.getObject())) as Record<string, unknown>,
      ...(kind === "remote" ? { outputs: sanitize(state) as Record<string, unknown> } : {}),
      options: {
        protect: req.getProtect() ?? false,
        retainOnDelete: req.getRetainondelete() ?? false,
        dependsOn: req.getDependenciesList().filter((u) => !implied.has(u)).map((u) => this.engineUrn(u)),
        ignoreChanges: req.getIgnorechangesList(),
        deleteBeforeReplace: req.getDeletebeforereplace(),
        replaceOnChanges: req.getReplaceonchangesList(),
        additionalSecretOutputs: req.getAdditionalsecretoutputsList(),
        ...(req.getDeletedwith() ? { deletedWith: this.engineUrn(req.getDeletedwith()) } : {}),
        aliases,
      },
    });
  }

  private engineUrn(urn: string): string {
    return normalizeUrn(urn);
  }

  private aliasesOf(urn: string, parentUrn: string | undefined, req: RegisterRequest): string[] {
    const self = parseUrn(urn);
    const specs: AliasSpecLike[] = req.getAliasesList().map((a) => {
      const spec = a.getSpec();
      if (!spec) return { urn: normalizeUrn(a.getUrn()) };
      const parent = spec.getParenturn();
      return { name: spec.getName(), type: spec.getType(), stack: spec.getStack(), project: spec.getProject(), parentUrn: parent ? this.engineUrn(parent) : undefined, noParent: spec.getNoparent() };
    });
    const own = ownAliasUrns(self, parentUrn, specs);
    const inherited = parentUrn ? inheritedAliasUrns(self, parentUrn, this.aliasesByUrn.get(parentUrn) ?? []) : [];
    const all = [...new Set([...own, ...inherited])].filter((a) => a !== urn);
    this.aliasesByUrn.set(urn, all);
    return all;
  }

  graph(project: string, stack: string, outputs: Record<string, unknown>): PlanGraph {
    const resources = [...this.resources].sort((a, b) => a.urn.localeCompare(b.urn));
    return { stack, project, resources, outputs };
  }
}

/** The engine leaves the root stack out of its children's type chain; the mock monitor does not. */
function normalizeUrn(urn: string): string {
  return urn.replace("::pulumi:pulumi:Stack$", "::");
}

/** Plain JSON: secrets become "[secret]", resources become their URN. */
function sanitize(value: unknown, wire?: unknown): unknown {
  const w = (wire && typeof wire === "object" ? wire : {}) as Record<string, unknown>;
  if (Array.isArray(value)) return value.map((v, i) => sanitize(v, (w as unknown as unknown[])[i]));
  if (value && typeof value === "object") {
    const o = value as Record<string, unknown>;
    if (o[SECRET_SIG_KEY] !== undefined) return "[secret]";
    if (pulumi.Resource.isInstance(o)) return `[resource ${(o as unknown as { __name?: string }).__name ?? ""}]`;
    // An asset archive's contents resolve asynchronously once deserialized; the wire form has them.
    if (w[SECRET_SIG_KEY] === ARCHIVE_SIG) return { archive: describeAssets(w.assets) };
    return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined).map(([k, v]) => [k, sanitize(v, w[k])]));
  }
  return value;
}

/** Pulumi's signature values for archives and text assets on the wire. */
const ARCHIVE_SIG = "0def7320c3a5731c473e5ecbe6d01bc7";

/** Each file of an archive by name: its size and sha256 (the content itself would swamp the graph). */
function describeAssets(assets: unknown): Record<string, unknown> {
  return Object.fromEntries(
    Object.entries((assets ?? {}) as Record<string, { text?: string; path?: string }>).map(([name, a]) => [
      name,
      typeof a.text === "string"
        ? { bytes: Buffer.byteLength(a.text), sha256: createHash("sha256").update(a.text).digest("hex") }
        : { path: a.path },
    ]),
  );
}

/** Child-process entry: one request in over IPC, one Evaluation out, then exit. */
if (require.main === module) {
  process.on("unhandledRejection", (reason) => {
    send({ ok: false, kind: "error", message: describe(reason) });
  });
  process.once("message", (req: EvaluateRequest) => {
    evaluate(req).then(send, (err) => send({ ok: false, kind: "error", message: describe(err) }));
  });
}

let sent = false;
function send(result: Evaluation): void {
  if (sent) return;
  sent = true;
  process.send!(result, () => process.exit(0));
}

function describe(err: unknown): string {
  // A failed invoke loses the mock's message on its way through the SDK: show the mock's own first.
  if (currentMocks?.errors.length) return `offline plan: ${currentMocks.errors[0]}\n(surfaced as: ${err instanceof Error ? err.message : String(err)})`;
  return err instanceof Error ? (err.stack ?? err.message) : String(err);
}
