/**
 * Resource `transforms` the way the engine runs them. A program's transforms are callbacks the
 * SDK registers with the engine; the engine calls them for the resource that names them and for
 * every descendant, the resource's own first and then each ancestor's up the tree
 * (https://www.pulumi.com/docs/iac/concepts/options/transforms/). The mock monitor never calls
 * them, so without this the offline plan would show a child as the component built it, not as
 * the consumer's transform left it. Properties and the protect, retainOnDelete and ignoreChanges
 * options are carried back; the other options a transform may change are not modelled.
 *
 * The SDK hands the mock monitor each transform function with its token through the monitor's
 * public `recordTransformCallback` (runtime/mocks.d.ts, pulumi/pulumi#24415); properties cross as
 * the SDK's callback server passes them (runtime/callbacks.js): deserialized for the transform,
 * serialized back from its result.
 */
import * as pulumi from "@pulumi/pulumi";

interface CallbackRef {
  getToken(): string;
}
/** The slice of a RegisterResourceRequest a transform reads and writes. */
export interface TransformableRequest {
  getType(): string;
  getName(): string;
  getParent(): string;
  getCustom(): boolean;
  getObject(): unknown;
  setObject(value: unknown): void;
  getTransformsList(): CallbackRef[];
  setProtect(value: boolean): void;
  setRetainondelete(value: boolean): void;
  setIgnorechangesList(value: string[]): void;
}
/** The mock monitor's public hook for transform functions. */
export interface TransformRecorder {
  recordTransformCallback(token: string, transform: pulumi.ResourceTransform): void;
}

export class TransformRunner {
  /** Each registered resource's own transform tokens and parent, by URN. */
  private readonly nodes = new Map<string, { parent: string; tokens: string[] }>();
  /** Every transform the SDK registered, by token. */
  private readonly functions = new Map<string, pulumi.ResourceTransform>();

  /** Keeps every transform the SDK hands `monitor`, and still hands it on. */
  attach(monitor: TransformRecorder): void {
    const original = monitor.recordTransformCallback.bind(monitor);
    monitor.recordTransformCallback = (token, transform) => {
      this.functions.set(token, transform);
      original(token, transform);
    };
  }

  /** Remembers what a resource registered, so its descendants run its transforms. */
  registered(urn: string, req: TransformableRequest): void {
    this.nodes.set(urn, { parent: req.getParent(), tokens: req.getTransformsList().map((c) => c.getToken()) });
  }

  /** Runs the transforms that apply to `req` (own, then each ancestor's) and writes their result into it. */
  async apply(req: TransformableRequest): Promise<void> {
    const tokens = [...req.getTransformsList().map((c) => c.getToken())];
    for (let urn = req.getParent(); urn; urn = this.nodes.get(urn)?.parent ?? "") tokens.push(...(this.nodes.get(urn)?.tokens ?? []));
    if (!tokens.length) return;
    const struct = req.getObject() as { constructor: { fromJavaScript(value: unknown): unknown } };
    let props = pulumi.runtime.deserializeProperties(struct as never) as pulumi.Inputs;
    for (const token of tokens) {
      const transform = this.functions.get(token);
      if (!transform) throw new Error(`offline plan: transform ${token} of ${req.getType()} "${req.getName()}" is not registered with the SDK`);
      const result = await transform({ type: req.getType(), name: req.getName(), custom: req.getCustom(), props, opts: {} });
      if (!result) continue;
      props = result.props;
      if (result.opts.protect) req.setProtect(true);
      if (result.opts.retainOnDelete) req.setRetainondelete(true);
      if (result.opts.ignoreChanges?.length) req.setIgnorechangesList(result.opts.ignoreChanges);
    }
    req.setObject(struct.constructor.fromJavaScript(await pulumi.runtime.serializeProperties("props", props)));
  }
}
