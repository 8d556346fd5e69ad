/**
 * Resource `transforms` the way the engine runs them. A program's transforms are callbacks the
 * SDK registers with the engine; the engine calls them for the resource that names them and for
 * every descendant, the resource's own first and then each ancestor's up the tree
 * (https://www.pulumi.com/docs/iac/concepts/options/transforms/). The mock monitor never calls
 * them, so without this the offline plan would show a child as the component built it, not as
 * the consumer's transform left it. Properties and the protect, retainOnDelete and ignoreChanges
 * options are carried back; the other options a transform may change are not modelled.
 */
import * as resproto from "@pulumi/pulumi/proto/resource_pb";
import { getCallbacks } from "@pulumi/pulumi/runtime/settings";

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
type Invoke = (bytes: Uint8Array) => Promise<resproto.TransformResponse>;

export class TransformRunner {
  /** Each registered resource's own transform tokens and parent, by URN. */
  private readonly nodes = new Map<string, { parent: string; tokens: string[] }>();

  /** Remembers what a resource registered, so its descendants run its transforms. */
  registered(urn: string, req: TransformableRequest): void {
    this.nodes.set(urn, { parent: req.getParent(), tokens: req.getTransformsList().map((c) => c.getToken()) });
  }

  /** Runs the transforms that apply to `req` (own, then each ancestor's) and writes their result into it. */
  async apply(req: TransformableRequest): Promise<void> {
    const tokens = [...req.getTransformsList().map((c) => c.getToken())];
    for (let urn = req.getParent(); urn; urn = this.nodes.get(urn)?.parent ?? "") tokens.push(...(this.nodes.get(urn)?.tokens ?? []));
    if (!tokens.length) return;
    // The SDK's callback server keeps each transform by token; the engine would reach it over gRPC.
    const callbacks = (getCallbacks() as unknown as { _callbacks: Map<string, Invoke> })._callbacks;
    let properties = req.getObject();
    for (const token of tokens) {
      const invoke = callbacks.get(token);
      if (!invoke) throw new Error(`offline plan: transform ${token} of ${req.getType()} "${req.getName()}" is not registered with the SDK`);
      const request = new resproto.TransformRequest()
        .setType(req.getType())
        .setName(req.getName())
        .setCustom(req.getCustom())
        .setParent(req.getParent())
        .setProperties(properties as never)
        .setOptions(new resproto.TransformResourceOptions());
      const response = await invoke(request.serializeBinary());
      properties = response.getProperties();
      const opts = response.getOptions();
      if (opts) {
        if (opts.getProtect()) req.setProtect(true);
        if (opts.getRetainOnDelete()) req.setRetainondelete(true);
        if (opts.getIgnoreChangesList().length) req.setIgnorechangesList(opts.getIgnoreChangesList());
      }
    }
    req.setObject(properties);
  }
}
