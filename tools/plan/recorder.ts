/**
 * The recorder behind the offline plan: wraps the SDK's mock monitor so every registration is
 * recorded with its parent, provider, region, options and aliases, and checked for the explicit
 * provider the engine would demand. Secrets and assets are sanitized on the way in.
 */
import { createHash } from "crypto";
import * as pulumi from "@pulumi/pulumi";
import { AliasSpecLike, inheritedAliasUrns, ownAliasUrns, parseUrn } from "./aliases";
import { PlanGraph, PlanResource } from "./graph";
import { PlatformMocks } from "./mocks";
import { DisabledDefaults, packageOf, providerProblem } from "./providers";
import { setMockUrns } from "./sdkInternals.cjs";
import { TransformRecorder, TransformRunner, TransformableRequest } from "./transforms";

const SECRET_SIG_KEY = "4dabf18193072939515e22adb298388d";

function toJavaScript(struct: unknown): unknown {
  return (struct as { toJavaScript?: () => unknown }).toJavaScript?.();
}

/**
 * A registration's request and response structs are each converted to JavaScript three times
 * (by the mock monitor or the SDK, then twice here); the conversions build new values and never
 * change the struct's, so the first one's result is kept on the struct.
 */
function convertOnce(struct: unknown): void {
  const s = struct as { toJavaScript?: () => unknown } | undefined;
  if (!s?.toJavaScript) return;
  const js = s.toJavaScript();
  s.toJavaScript = () => js;
}

/** The slice of the SDK's mock monitor that the recorder wraps. */
export interface MonitorLike extends TransformRecorder {
  registerResource(req: RegisterRequest, cb: (err: Error | null, resp?: RegisterResponse) => void): void;
}
interface RegisterRequest extends TransformableRequest {
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
  getPropertydependenciesMap(): { forEach(cb: (deps: { getUrnsList(): string[] }, key: string) => void): void };
}
interface RegisterResponse {
  getUrn(): string;
  getId(): string;
  getObject(): unknown;
}

/** Records every registration with its inputs and options, as the engine would see them. */
export class Recorder {
  readonly errors: Error[] = [];
  /** Registrations the engine would refuse for want of an explicit provider of their package. */
  readonly providerProblems: string[] = [];
  private readonly resources: PlanResource[] = [];
  /** A remote component's provider of its own package, by URN (the mocks see its aws provider instead). */
  private readonly remoteProviders = new Map<string, string>();
  /** Every URN each registered resource may have had (own and inherited aliases), as the engine resolves them. */
  private readonly aliasesByUrn = new Map<string, string[]>();
  private stackUrn?: string;
  private readonly transforms = new TransformRunner();

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
    setMockUrns(monitor, (parent, type, name) => {
      const chain = parent ? parent.split("::")[2] : "";
      const qualified = chain && chain !== "pulumi:pulumi:Stack" ? `${chain}$${type}` : type;
      return `urn:pulumi:${pulumi.getStack()}::${pulumi.getProject()}::${qualified}::${name}`;
    });
    this.transforms.attach(monitor);
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
      const register = () =>
        original(req, (err, resp) => {
          if (err) this.errors.push(err);
          else if (resp) {
            convertOnce(resp.getObject());
            if (req.getRemote() && own) this.remoteProviders.set(resp.getUrn(), own);
            this.transforms.registered(resp.getUrn(), req);
            this.record(req, resp);
          }
          cb(err, resp);
        });
      // The engine runs the transforms of the resource and its ancestors before it registers it.
      this.transforms.apply(req).then(() => {
        convertOnce(req.getObject());
        register();
      }, (err: Error) => {
        this.errors.push(err);
        cb(err);
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
    const propertyDependencies: Record<string, string[]> = {};
    req.getPropertydependenciesMap().forEach((deps, key) => {
      const urns = deps.getUrnsList();
      urns.forEach((u) => implied.add(u));
      if (urns.length) propertyDependencies[key] = [...new Set(urns.map((u) => this.engineUrn(u)))].sort();
    });
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
        propertyDependencies: Object.fromEntries(Object.entries(propertyDependencies).sort(([a], [b]) => a.localeCompare(b))),
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
    return { stack, project, resources, outputs, invokes: this.mocks.invokes };
  }
}

/** The engine leaves the root stack out of its children's type chain; the mock monitor does not. */
function normalizeUrn(urn: string): string {
  return urn.replace("::pulumi:pulumi:Stack$", "::");
}

/** Plain JSON: secrets become "[secret]", resources become their URN. */
export function sanitize(value: unknown, wire?: unknown): unknown {
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
