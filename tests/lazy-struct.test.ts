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
import { early } from "./support/early";

type Outcomes = Record<string, string>;
interface Report {
  eager: Outcomes;
  lazy: Outcomes;
  other: Record<string, { eager: string; lazy: string; kept: boolean }>;
  getters: Record<"eager" | "lazy", { calls: string; back: string }>;
  reads: Record<string, Record<"eager" | "lazy", Outcomes>>;
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

  it("anything else, or anything the original refuses, takes the original's path and outcome", async () => {
    const r = await probe;
    for (const [name, o] of Object.entries(r.other)) {
      assert.equal(o.lazy, o.eager, name);
      assert.equal(o.kept, false, `${name} is not kept`);
    }
    for (const refused of ["undefinedValue", "functionValue", "hole", "bigint", "symbol", "buffer"]) assert.equal(r.other[refused].eager, "throws: Unexpected struct type.", refused);
  });

  it("getters run once each, in the original's order", async () => {
    const r = await probe;
    assert.deepEqual(r.getters.lazy, r.getters.eager);
    assert.equal(r.getters.eager.calls, "b,a,c");
  });

  it("every protobuf read builds it first: binary, toObject, toString, clone, and a parent request's binary, text, array and clone", async () => {
    const r = await probe;
    for (const [name, { eager, lazy }] of Object.entries(r.reads)) {
      assert.equal(Object.keys(lazy).length, 9);
      for (const read of Object.keys(eager)) assert.equal(lazy[read], eager[read], `${name}: ${read}`);
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
