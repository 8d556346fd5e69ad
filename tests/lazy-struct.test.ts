/**
 * The canary of tools/plan/lazyStruct.cjs: the lazy Struct gives back, byte for byte, what the
 * installed google-protobuf's Struct gives, by every way the SDK, jspb or a parent message reads
 * it; and under the SDK's mock monitor a registration's structs are never built. The probe
 * (support/lazyStructProbe.cjs) runs both in a fresh node, the original first.
 */
import { strict as assert } from "assert";
import { execFile } from "child_process";
import * as path from "path";
import { promisify } from "util";
import { PROJECT_DIR } from "../tools/plan/evaluate";
import { VERIFIED, protobufVersionProblem } from "../tools/plan/lazyStruct.cjs";
import { early } from "./support/early";

type Outcomes = Record<string, string>;
interface Report {
  eager: Outcomes;
  lazy: Outcomes;
  other: Record<string, { eager: string; lazy: string; kept: boolean }>;
  polluted: Record<"eager" | "lazy", { later: string; first: string }>;
  frozen: Record<"eager" | "lazy", string>;
  reads: Record<string, Record<"eager" | "lazy", Outcomes> & { keptBeforeRead: boolean }>;
  installed: boolean;
  kept: { made: boolean; freshCopies: boolean; afterSetObject: boolean; equalsEager: boolean; afterGetFieldsMap: boolean; editVisible: string };
  installedOnce: boolean;
  registration: { seen: { request: boolean[]; response: boolean[] }; state: string; expected: string };
}

const PROBE = path.join(__dirname, "support", "lazyStructProbe.cjs");
const probe = early(async (): Promise<Report> => JSON.parse((await promisify(execFile)(process.execPath, [PROBE], { cwd: PROJECT_DIR })).stdout));

describe("the lazy Struct (tools/plan/lazyStruct.cjs): the canary against google-protobuf", () => {
  it("the SDK and the plan share the google-protobuf that is patched", () => {
    const fromSdk = require.resolve("google-protobuf", { paths: [path.dirname(require.resolve("@pulumi/pulumi/proto/resource_pb"))] });
    const fromPlan = require.resolve("google-protobuf", { paths: [path.join(PROJECT_DIR, "tools", "plan")] });
    assert.equal(fromSdk, fromPlan);
  });

  it("plain data comes back as the original gives it: values, -0, NaN, infinities, key order, nesting", async () => {
    const r = await probe;
    assert.ok(Object.keys(r.eager).length >= 6);
    for (const name of Object.keys(r.eager)) assert.equal(r.lazy[name], r.eager[name], name);
    assert.match(r.eager.nested, /^\{"9":"n","_":"number:NaN","a":\{"c":"number:-0","z":\[1,"x",null,\{"2":3,"10":2,"y":true\}\]\},"b":1,"high":"number:Infinity"/, "the original sorts keys");
  });

  it("anything else, or anything the original refuses, takes the original's path and outcome, its getters run as often", async () => {
    const r = await probe;
    for (const [name, o] of Object.entries(r.other)) {
      assert.equal(o.lazy, o.eager, name);
      assert.equal(o.kept, false, `${name} is not kept`);
    }
    for (const refused of ["undefinedValue", "functionValue", "hole", "bigint", "symbol", "buffer", "arrayLike"]) assert.match(r.other[refused].eager, /^throws: Unexpected struct type\. calls:$/, refused);
    assert.equal(r.other.getters.eager, '{"a":{"c":[2]},"b":1} calls:b,a,c', "for...in order, depth first, each once");
    assert.equal(r.other.getterThenDate.eager, '{"a":1,"b":{}} calls:a');
    assert.equal(r.other.ownProtoKey.eager, '{"a":1} calls:', "an own __proto__ key is read as the prototype's");
    assert.equal(r.other.proxy.eager, '{"p":{"a":2}} calls:', "a Proxy is read through its traps");
  });

  it("Object.prototype polluted before or after a Struct is made: as the original", async () => {
    const { polluted } = await probe;
    assert.deepEqual(polluted.lazy, polluted.eager);
    assert.equal(polluted.eager.later, '{"a":{"b":1},"l":[{"c":2}]}', "the original adds no inherited key");
    assert.match(polluted.eager.first, /^throws: /, "the original fails on a prototype polluted when the Struct is made");
  });

  it("a Struct made non-extensible can still be set into a request: the lazy one keeps nothing on the object", async () => {
    const { frozen } = await probe;
    assert.equal(frozen.lazy, frozen.eager);
    assert.doesNotMatch(frozen.eager, /throws/);
  });

  it("every protobuf read of a Struct not yet built builds it first: binary, toObject, toString, clone, equals, and a parent request's binary, object, text, array and clone", async () => {
    const r = await probe;
    for (const [name, { eager, lazy, keptBeforeRead }] of Object.entries(r.reads)) {
      assert.ok(keptBeforeRead, `${name} is kept until read`);
      assert.equal(Object.keys(lazy).length, 11);
      for (const read of Object.keys(eager)) assert.equal(lazy[read], eager[read], `${name}: ${read}`);
    }
  });

  it("installed on the google-protobuf it was verified on; another release keeps the original, and says what to do", async () => {
    assert.equal(protobufVersionProblem(), undefined);
    assert.ok((await probe).installed);
    for (const outside of ["3.20.9", VERIFIED.below, "4.0.3"]) {
      assert.match(protobufVersionProblem(outside) ?? "", new RegExp(`google-protobuf ${outside.replace(/\./g, "\\.")} is installed.*stay eager.*tests/lazy-struct\\.test\\.ts`));
    }
  });

  it("kept until read as protobuf: toJavaScript hands out fresh copies, setObject keeps it, getFieldsMap builds it and edits show", async () => {
    const { kept, installedOnce } = await probe;
    assert.ok(installedOnce, "installed once");
    assert.ok(kept.made && kept.freshCopies && kept.afterSetObject, JSON.stringify(kept));
    assert.ok(kept.equalsEager, "jspb.Message.equals against the original");
    assert.equal(kept.afterGetFieldsMap, false);
    assert.equal(kept.editVisible, '{"a":1,"added":"by hand"}');
  });

  it("a registration under the mock monitor never builds its structs, and its outputs are the mock's state", async () => {
    const { registration } = await probe;
    assert.deepEqual(registration.seen, { request: [true], response: [true] });
    assert.deepEqual(JSON.parse(registration.state), JSON.parse(registration.expected));
  });
});
