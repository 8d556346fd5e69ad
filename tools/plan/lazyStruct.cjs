/**
 * Offline, a `google.protobuf.Struct` made from plain data is kept as that data until something
 * reads it as a protobuf message (`lazyStructs`). Under the mock runtime the SDK and its mock
 * monitor are in one process and never serialize a message: each registration turns its inputs into
 * a Struct (@pulumi/pulumi runtime/resource.js, `Struct.fromJavaScript`) that the mock monitor turns
 * straight back (runtime/mocks.js, `deserializeProperties` -> `toJavaScript`), and its state the
 * other way. The prod plan makes 1,739 of them and materializes none: building each value as a
 * protobuf message is about 30 ms of the plan and a third of its allocation before GC.
 *
 * What a Struct gives back is decided by google-protobuf's own code (google/protobuf/struct_pb.js,
 * google-protobuf 3.21.x), and the lazy one gives the same:
 * - `fromJavaScript` walks an object with `for...in` and an array by index, and keeps strings,
 *   numbers, booleans and null; `goog.typeOf` sends an `instanceof Array` to a list and any other
 *   `instanceof Object` to a struct, and throws on anything else. Only a tree of exactly these kinds,
 *   its objects' prototype Object.prototype and its arrays' Array.prototype, is kept lazy, read in
 *   the same order (getters run as they would); anything else (a class instance, a hole, a
 *   function, undefined) goes to the original, which converts it or throws as before.
 * - `toJavaScript` returns new values on each call, an object's keys in sorted order (jspb.Map
 *   iterates its keys sorted): the lazy one returns a fresh copy of the kept tree, sorted.
 * - Every other way in reads the message's fields, and builds them first from the kept tree with the
 *   original conversion: `getFieldsMap` (through which `serializeBinary`, `toObject` and
 *   `toJavaScript` of a built one go), `toArray` (jspb's `g`, through which a parent message's
 *   `toArray`, `toString`, `cloneMessage` and `equals` reach it), `toString`, `cloneMessage`.
 * - The one exception is `jspb.Message.setWrapperField` (`req.setObject(struct)`), which takes the
 *   Struct's array by reference when it is set; it is let through without building, and the array
 *   is filled in place when the Struct is built, as jspb fills a map's array when it syncs.
 * tests/lazy-struct.test.ts checks each against the original, on the installed google-protobuf.
 */
"use strict";

const KEPT = Symbol("plan: the plain data this Struct was made from, not yet built");
const SETTING = Symbol("plan: being set into a parent message");

/** `v` as `Struct.fromJavaScript(v).toJavaScript()` would give it back, or NOT_PLAIN. */
const NOT_PLAIN = Symbol("not plain");
function plain(v) {
  switch (typeof v) {
    case "string":
    case "number":
    case "boolean":
      return v;
    case "object": {
      if (v === null) return null;
      const proto = Object.getPrototypeOf(v);
      if (proto === Array.prototype) {
        const out = new Array(v.length);
        for (let i = 0; i < v.length; i++) if ((out[i] = plain(v[i])) === NOT_PLAIN) return NOT_PLAIN;
        return out;
      }
      if (proto !== Object.prototype) return NOT_PLAIN;
      const entries = [];
      for (const k in v) {
        const x = plain(v[k]);
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

/** A fresh copy of a tree `plain` returned. */
function copy(v) {
  if (typeof v !== "object" || v === null) return v;
  if (Array.isArray(v)) return v.map(copy);
  const out = {};
  for (const k in v) out[k] = copy(v[k]);
  return out;
}

/** Installs the lazy Struct, once, unless PLAN_EAGER_STRUCTS is set (the plan's worker calls it). */
function lazyStructs() {
  if (process.env.PLAN_EAGER_STRUCTS) return;
  const jspb = require("google-protobuf");
  const { Struct, Value } = require("google-protobuf/google/protobuf/struct_pb");
  if (Struct.fromJavaScript.lazy) return;
  const original = {
    fromJavaScript: Struct.fromJavaScript,
    getFieldsMap: Struct.prototype.getFieldsMap,
    toJavaScript: Struct.prototype.toJavaScript,
    g: jspb.Message.prototype.g,
    toString: jspb.Message.prototype.toString,
    cloneMessage: jspb.Message.prototype.cloneMessage,
    setWrapperField: jspb.Message.setWrapperField,
  };
  let building = 0;
  const build = (struct) => {
    const kept = struct[KEPT];
    if (kept === undefined) return;
    struct[KEPT] = undefined;
    building++;
    try {
      const map = original.getFieldsMap.call(struct);
      for (const k in kept) map.set(k, Value.fromJavaScript(kept[k]));
    } finally {
      building--;
    }
  };
  Struct.fromJavaScript = Object.assign(
    function fromJavaScript(obj) {
      const kept = building || obj === null || typeof obj !== "object" || Object.getPrototypeOf(obj) !== Object.prototype ? NOT_PLAIN : plain(obj);
      if (kept === NOT_PLAIN) return original.fromJavaScript(obj);
      const struct = new Struct();
      struct[KEPT] = kept;
      return struct;
    },
    { lazy: true },
  );
  Struct.prototype.toJavaScript = function toJavaScript() {
    const kept = this[KEPT];
    return kept === undefined ? original.toJavaScript.call(this) : copy(kept);
  };
  Struct.prototype.getFieldsMap = function getFieldsMap(noLazyCreate) {
    build(this);
    return original.getFieldsMap.call(this, noLazyCreate);
  };
  Struct.prototype.g = Struct.prototype.toArray = function toArray() {
    if (!this[SETTING]) build(this);
    return original.g.call(this);
  };
  Struct.prototype.toString = function toString() {
    build(this);
    return original.toString.call(this);
  };
  Struct.prototype.cloneMessage = function cloneMessage() {
    build(this);
    return original.cloneMessage.call(this);
  };
  jspb.Message.setWrapperField = function setWrapperField(msg, field, value) {
    if (!value || value[KEPT] === undefined) return original.setWrapperField(msg, field, value);
    value[SETTING] = true;
    try {
      return original.setWrapperField(msg, field, value);
    } finally {
      value[SETTING] = false;
    }
  };
}

/** True while `struct` is made by the lazy Struct and not yet built (for the canary). */
const isKept = (struct) => struct[KEPT] !== undefined;

module.exports = { lazyStructs, isKept };
