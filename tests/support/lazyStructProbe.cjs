/**
 * Run by tests/lazy-struct.test.ts in a fresh node, so the original google-protobuf Struct is
 * still there: the same values through the original and through the lazy Struct
 * (tools/plan/lazyStruct.cjs), and what a mock registration does with the lazy ones. Prints one
 * JSON report.
 */
"use strict";
const pulumi = require("@pulumi/pulumi");
const jspb = require("google-protobuf");
const { Struct, Value } = require("google-protobuf/google/protobuf/struct_pb");
const resproto = require("@pulumi/pulumi/proto/resource_pb");
const { lazyStructs, isKept } = require("../../tools/plan/lazyStruct.cjs");

/** A value's text with its key order, and -0, NaN and the infinities told apart. */
const text = (v) => JSON.stringify(v, (_, x) => (typeof x === "number" && (!Number.isFinite(x) || Object.is(x, -0)) ? `number:${Object.is(x, -0) ? "-0" : x}` : x));
const outcome = (fn) => {
  try {
    return text(fn());
  } catch (err) {
    return `throws: ${err.message}`;
  }
};
const hex = (bytes) => Buffer.from(bytes).toString("hex");

const SIG = "4dabf18193072939515e22adb298388d";
const deep = (n) => (n === 0 ? { leaf: [n] } : { [`level${n}`]: deep(n - 1), n });
const PLAIN = {
  nested: { b: 1, a: { z: [1, "x", null, { y: true, 10: 2, 2: 3 }], c: -0 }, 9: "n", _: NaN, low: -Infinity, high: Infinity },
  empty: {},
  containers: { o: {}, l: [], s: "", f: false, zero: 0, lists: [[], [[1]], [{}]] },
  keys: { é: 1, Z: 2, a: 3, 日本: ["ß"], "": "empty key", "a b": 4, "01": 5, 1: 6 },
  secret: { password: { [SIG]: "1b47061264138c4ac30d75fd1eb44270", value: "hunter2" } },
  deep: deep(40),
};
class Point {
  constructor() {
    this.x = 1;
  }
  get y() {
    return 2;
  }
}
const inherits = Object.create({ inherited: 1 });
inherits.own = 2;
/** Each getter's name, as it runs, for the cases below. */
let calls = [];
const getter = (name, value) => ({
  get() {
    calls.push(name);
    return value;
  },
  enumerable: true,
});
/**
 * Outside the kept kinds, or invalid: each must come out (or fail) exactly as the original makes
 * it, with its getters run as often and in the same order (`calls`).
 */
const OTHER = {
  instance: () => ({ p: new Point() }),
  date: () => ({ d: new Date(0) }),
  buffer: () => ({ b: Buffer.from("hi") }),
  nullPrototype: () => ({ o: Object.assign(Object.create(null), { a: 1 }) }),
  inheritedKey: () => inherits,
  ownProtoKey: () => JSON.parse('{"a":1,"__proto__":{"x":1,"y":[2]}}'),
  nestedProtoKey: () => ({ n: JSON.parse('{"__proto__":{"x":1}}') }),
  undefinedValue: () => ({ a: 1, b: undefined }),
  functionValue: () => ({ f() {} }),
  hole: () => ({ l: [1, , 3] }), // eslint-disable-line no-sparse-arrays
  arrayLike: () => ({ l: Object.assign(Object.create(Array.prototype), { length: 1.5 }) }),
  bigint: () => ({ n: 1n }),
  symbol: () => ({ s: Symbol("s") }),
  array: () => [1, 2],
  string: () => "text",
  nullValue: () => null,
  getters: () => Object.defineProperties({}, { b: getter("b", 1), a: getter("a", Object.defineProperty({}, "c", getter("c", [2]))) }),
  getterThenDate: () => Object.defineProperties({}, { a: getter("a", 1), b: { value: new Date(0), enumerable: true } }),
  getterDeepDate: () => Object.defineProperty({}, "a", getter("a", Object.defineProperty({}, "b", getter("b", { c: new Date(0) })))),
  accessorIndex: () => ({ l: Object.defineProperty([1, 2], 0, getter("0", 5)) }),
  proxy: () => ({ p: new Proxy({ a: 1 }, { get: (t, k) => (k === "a" ? 2 : t[k]) }) }),
  topProxy: () => new Proxy({ a: 1 }, { get: (t, k) => (k === "a" ? 3 : t[k]) }),
};
const otherOutcome = (make) => {
  calls = [];
  const got = outcome(() => Struct.fromJavaScript(make()).toJavaScript());
  return `${got} calls:${calls.join(",")}`;
};

/**
 * Object.prototype polluted between making a Struct and reading it back. (A protobuf read in that
 * window is not compared: jspb's own for...in loops fail on a polluted prototype, and a lazy
 * Struct's build would run in the window where the original's ran before it.)
 */
function pollutedLater() {
  const s = Struct.fromJavaScript({ a: { b: 1 }, l: [{ c: 2 }] });
  Object.prototype.late = 1;
  try {
    return outcome(() => s.toJavaScript());
  } finally {
    delete Object.prototype.late;
  }
}
/** Object.prototype polluted when the Struct is made. */
function pollutedFirst() {
  Object.prototype.early = 1;
  try {
    return outcome(() => Struct.fromJavaScript({ a: { b: 1 } }).toJavaScript());
  } finally {
    delete Object.prototype.early;
  }
}
/** A Struct made non-extensible can still be set into a request and serialized with it. */
function frozen() {
  return outcome(() => hex(new resproto.RegisterResourceRequest().setObject(Object.preventExtensions(Struct.fromJavaScript({ a: 1 }))).serializeBinary()));
}

/** Every way a Struct or a message holding it is read, as text: each read on a Struct of its own, made by `make`. */
function reads(make) {
  const inRequest = () => {
    const req = new resproto.RegisterResourceRequest();
    req.setType("canary:index:Res");
    req.setObject(make());
    return req;
  };
  return {
    toJavaScript: text(make().toJavaScript()),
    serializeBinary: hex(make().serializeBinary()),
    toObject: text(make().toObject()),
    toString: String(make()),
    clone: text(make().cloneMessage().toJavaScript()),
    equals: String(jspb.Message.equals(make(), make())),
    parentBinary: hex(inRequest().serializeBinary()),
    parentObject: text(inRequest().toObject()),
    parentString: String(inRequest()),
    parentArray: text(inRequest().toArray()),
    parentClone: text(inRequest().cloneMessage().getObject().toJavaScript()),
  };
}

const fresh = (v) => JSON.parse(JSON.stringify(v));
const report = { eager: {}, lazy: {}, other: {}, polluted: {}, frozen: {}, reads: {}, kept: {} };
const originalFrom = Struct.fromJavaScript;
const READ = ["nested", "keys", "deep", "secret"];
for (const [name, v] of Object.entries(PLAIN)) report.eager[name] = text(Struct.fromJavaScript(v).toJavaScript());
for (const [name, make] of Object.entries(OTHER)) report.other[name] = { eager: otherOutcome(make) };
for (const name of READ) report.reads[name] = { eager: reads(() => Struct.fromJavaScript(fresh(PLAIN[name]))) };
report.polluted.eager = { later: pollutedLater(), first: pollutedFirst() };
report.frozen.eager = frozen();

report.installed = lazyStructs();
lazyStructs(); // installing twice changes nothing
report.installedOnce = Struct.fromJavaScript.lazy === true && Object.getPrototypeOf(Struct.fromJavaScript) === Function.prototype;
for (const [name, v] of Object.entries(PLAIN)) report.lazy[name] = text(Struct.fromJavaScript(v).toJavaScript());
for (const [name, make] of Object.entries(OTHER)) {
  report.other[name].lazy = otherOutcome(make);
  let kept = false;
  try {
    kept = isKept(Struct.fromJavaScript(make()));
  } catch {
    // refused, as by the original
  }
  report.other[name].kept = kept;
}
for (const name of READ) {
  report.reads[name].lazy = reads(() => Struct.fromJavaScript(fresh(PLAIN[name])));
  report.reads[name].keptBeforeRead = isKept(Struct.fromJavaScript(fresh(PLAIN[name])));
}
report.polluted.lazy = { later: pollutedLater(), first: pollutedFirst() };
report.frozen.lazy = frozen();

// Kept through toJavaScript and through being set into a request; built by the first protobuf read.
const s = Struct.fromJavaScript(fresh(PLAIN.nested));
report.kept.made = isKept(s);
const first = s.toJavaScript();
first.b = "changed";
report.kept.freshCopies = s.toJavaScript().b === 1;
new resproto.RegisterResourceRequest().setObject(s);
report.kept.afterSetObject = isKept(s);
report.kept.equalsEager = jspb.Message.equals(Struct.fromJavaScript(fresh(PLAIN.keys)), originalFrom(fresh(PLAIN.keys)));
const built = Struct.fromJavaScript({ a: 1 });
built.getFieldsMap().set("added", Value.fromJavaScript("by hand"));
report.kept.afterGetFieldsMap = isKept(built);
report.kept.editVisible = text(built.toJavaScript());

// A registration under the SDK's mock monitor: are its request's and response's structs still kept once the SDK has read them?
const inputs = { size: 3, tags: { team: "platform", env: "prod" }, rules: [{ port: 443, cidrs: ["10.0.0.0/16"] }], flag: false };
const seen = { request: [], response: [] };
// As in the plan: lean, the SDK does not print the response into a debug message (which would build it).
require("../../tools/plan/sdkInternals.cjs").leanDebugging();
pulumi.runtime
  .setMocks({ newResource: (a) => ({ id: `${a.name}-id`, state: { ...a.inputs, arn: `arn:aws:canary:::${a.name}` } }), call: () => ({}) }, "p", "s")
  .then(async () => {
    const monitor = pulumi.runtime.getMonitor();
    const register = monitor.registerResource.bind(monitor);
    monitor.registerResource = (req, cb) => {
      seen.request.push(req.getObject());
      register(req, (err, resp) => {
        if (resp) seen.response.push(resp.getObject());
        cb(err, resp);
      });
    };
    const res = new pulumi.CustomResource("canary:index:Res", "res", { ...inputs, arn: undefined });
    const state = await new Promise((resolve) => pulumi.all([res.id, res.size, res.tags, res.rules, res.flag, res.arn]).apply(resolve));
    await new Promise((resolve) => setTimeout(resolve, 10));
    report.registration = {
      seen: { request: seen.request.map(isKept), response: seen.response.map(isKept) },
      state: text(state),
      expected: text(["res-id", inputs.size, inputs.tags, inputs.rules, inputs.flag, "arn:aws:canary:::res"]),
    };
    console.log(JSON.stringify(report));
  });
