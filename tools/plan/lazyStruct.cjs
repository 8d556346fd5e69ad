/**
 * Offline, a `google.protobuf.Struct` made from plain data is kept as that data until something
 * reads it as a protobuf message (`lazyStructs`). Under the mock runtime the SDK and its mock
 * monitor are in one process and never serialize a message: each registration turns its inputs into
 * a Struct (@pulumi/pulumi runtime/resource.js, `Struct.fromJavaScript`) that the mock monitor turns
 * straight back (runtime/mocks.js, `deserializeProperties` -> `toJavaScript`), and its state the
 * other way. The prod plan makes 1,739 of them and builds none: building each value as a protobuf
 * message was 0.05 to 0.09 s of the plan (`npm run bench`, "the lazy Struct").
 *
 * What a Struct gives back is decided by google-protobuf's own code (google/protobuf/struct_pb.js,
 * at VERIFIED below), and the lazy one gives the same:
 * - `fromJavaScript` walks an object with `for...in` and an array by index, reading each value once,
 *   and keeps strings, numbers, booleans and null; `goog.typeOf` sends an `instanceof Array` to a
 *   list and any other `instanceof Object` to a struct, and throws on anything else. Only a tree of
 *   exactly these, its objects' prototype Object.prototype and its arrays' Array.prototype, every key an
 *   own data property (no getter, nothing inherited, no hole, no own `__proto__`) and no Proxy, is
 *   kept; the walk reads no getter and calls no trap, so whatever else (a class instance, undefined,
 *   a function) goes to the original exactly as if the lazy one were not there.
 * - `toJavaScript` returns new values on each call, an object's keys in sorted order (jspb.Map
 *   iterates its keys sorted): the lazy one returns a fresh copy of the kept tree, sorted.
 * - Every other way in reads the message's fields, and builds them first from the kept tree with the
 *   original conversion: `getFieldsMap` (through which `serializeBinary`, `toObject` and
 *   `toJavaScript` of a built one go), `toArray` (jspb's `g`, through which a parent message's
 *   `toArray`, `toString`, `cloneMessage` and `equals`, and its own `cloneMessage`, reach it) and
 *   `toString`.
 * - `jspb.Message.setWrapperField` (`req.setObject(struct)`) is let through without building: the
 *   parent keeps the Struct itself, which its getters and the reads above return. Only the parent's
 *   raw array (`jspb.Message.getField`, or a message made from it) sees the Struct empty until it is
 *   built and synced; neither the SDK nor the plan reads a message that way.
 * Known differences, all outside what the SDK does: with Object.prototype polluted jspb's own loops
 * fail (the original throws when a Struct is made), and a lazy Struct made before the pollution and
 * first read as protobuf during it fails on that read instead; a Struct frozen (`Object.freeze`)
 * before it is built cannot be built, as jspb adds its fields to the object; a tree thousands of
 * levels deep, past the original's recursion, converts (the SDK's own serialization stops at about
 * 750). Outside VERIFIED the original stays (correct, only slower), and the canary says so.
 * tests/lazy-struct.test.ts checks each against the original, on the installed google-protobuf.
 */
"use strict";
const { isProxy } = require("util").types;
const { compare } = require("./sdkInternals.cjs");

/** The google-protobuf releases this was verified on: `from` inclusive, `below` exclusive. */
const VERIFIED = { from: "3.21.0", below: "3.22.0" };

/** Each kept Struct's plain data, until it is built. */
const kept = new WeakMap();
/** The Struct being set into a parent by setWrapperField (a synchronous call), if any. */
let setting;

/** `v` as `Struct.fromJavaScript(v).toJavaScript()` would give it back, or NOT_PLAIN. */
const NOT_PLAIN = Symbol("not plain");
const dataOf = (v, k) => {
  const d = Object.getOwnPropertyDescriptor(v, k);
  return d !== undefined && "value" in d ? d.value : NOT_PLAIN;
};
function plain(v) {
  switch (typeof v) {
    case "string":
    case "number":
    case "boolean":
      return v;
    case "object": {
      if (v === null) return null;
      if (isProxy(v)) return NOT_PLAIN;
      const proto = Object.getPrototypeOf(v);
      if (proto === Array.prototype) {
        const out = [];
        for (let i = 0; i < v.length; i++) {
          const x = plain(dataOf(v, i));
          if (x === NOT_PLAIN) return NOT_PLAIN;
          out.push(x);
        }
        return out;
      }
      if (proto !== Object.prototype) return NOT_PLAIN;
      const entries = [];
      for (const k in v) {
        const x = k === "__proto__" ? NOT_PLAIN : plain(dataOf(v, k));
        if (x === NOT_PLAIN) return NOT_PLAIN;
        entries.push([k, x]);
      }
      entries.sort((a, b) => (a[0] < b[0] ? -1 : 1));
      const out = {};
      for (const [k, x] of entries) out[k] = x;
      return out;
    }
    default:
      return NOT_PLAIN;
  }
}

/** A fresh copy of a tree `plain` returned (own keys only: a prototype changed since adds none). */
function copy(v) {
  if (typeof v !== "object" || v === null) return v;
  if (Array.isArray(v)) return v.map(copy);
  const out = {};
  for (const k of Object.keys(v)) out[k] = copy(v[k]);
  return out;
}

/** Why the installed google-protobuf is not one this was verified on, or undefined. */
function protobufVersionProblem(version = require("google-protobuf/package.json").version) {
  if (compare(version, VERIFIED.from) >= 0 && compare(version, VERIFIED.below) < 0) return undefined;
  return (
    `google-protobuf ${version} is installed; tools/plan/lazyStruct.cjs was verified on >=${VERIFIED.from} <${VERIFIED.below}, ` +
    "so the plan's Structs stay eager. Run `npx mocha tests/lazy-struct.test.ts`, mend what it names, then move VERIFIED."
  );
}

/** Installs the lazy Struct, once; not when PLAN_EAGER_STRUCTS is set or outside VERIFIED. True when it is installed. */
function lazyStructs() {
  if (process.env.PLAN_EAGER_STRUCTS || protobufVersionProblem()) return false;
  const jspb = require("google-protobuf");
  const { Struct, Value } = require("google-protobuf/google/protobuf/struct_pb");
  if (Struct.fromJavaScript.lazy) return true;
  const original = {
    fromJavaScript: Struct.fromJavaScript,
    getFieldsMap: Struct.prototype.getFieldsMap,
    toJavaScript: Struct.prototype.toJavaScript,
    g: jspb.Message.prototype.g,
    toString: jspb.Message.prototype.toString,
    setWrapperField: jspb.Message.setWrapperField,
  };
  // While > 0, Struct.fromJavaScript is the original's (a build, or a fallback, converting nested values).
  let eager = 0;
  const withEager = (fn) => {
    eager++;
    try {
      return fn();
    } finally {
      eager--;
    }
  };
  const build = (struct) => {
    const data = kept.get(struct);
    if (data === undefined) return;
    withEager(() => {
      const map = original.getFieldsMap.call(struct);
      for (const k of Object.keys(data)) map.set(k, Value.fromJavaScript(data[k]));
    });
    kept.delete(struct); // only once built: a build that throws throws again on the next read
  };
  const isPlainObject = (obj) => typeof obj === "object" && obj !== null && !isProxy(obj) && Object.getPrototypeOf(obj) === Object.prototype;
  Struct.fromJavaScript = Object.assign(
    function fromJavaScript(obj) {
      const data = eager || !isPlainObject(obj) ? NOT_PLAIN : plain(obj);
      if (data === NOT_PLAIN) return withEager(() => original.fromJavaScript(obj));
      const struct = new Struct();
      kept.set(struct, data);
      return struct;
    },
    { lazy: true },
  );
  Struct.prototype.toJavaScript = function toJavaScript() {
    const data = kept.get(this);
    return data === undefined ? original.toJavaScript.call(this) : copy(data);
  };
  Struct.prototype.getFieldsMap = function getFieldsMap(noLazyCreate) {
    build(this);
    return original.getFieldsMap.call(this, noLazyCreate);
  };
  Struct.prototype.g = Struct.prototype.toArray = function toArray() {
    if (this !== setting) build(this);
    return original.g.call(this);
  };
  Struct.prototype.toString = function toString() {
    build(this);
    return original.toString.call(this);
  };
  jspb.Message.setWrapperField = function setWrapperField(msg, field, value) {
    if (!value || !kept.has(value)) return original.setWrapperField(msg, field, value);
    setting = value;
    try {
      return original.setWrapperField(msg, field, value);
    } finally {
      setting = undefined;
    }
  };
  return true;
}

/** True while `struct` holds its plain data and has not been built (for the canary). */
const isKept = (struct) => kept.has(struct);

module.exports = { VERIFIED, lazyStructs, isKept, protobufVersionProblem };
