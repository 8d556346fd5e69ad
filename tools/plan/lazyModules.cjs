/**
 * Preloaded into the plan worker (`node --require`): two dependencies that @pulumi/pulumi loads
 * when it loads, but calls only to serialize a JavaScript function into a Lambda's code
 * (runtime/closure: parseFunction.js takes TypeScript's parser, codePaths.js npm's Arborist to
 * find the function's packages), are loaded on first use instead. The program serializes no
 * function, so a plan never loads them: they were 270 ms of the SDK's 340 ms load (measured with
 * `node -e "require('typescript')"` and `require('@npmcli/arborist')`, 2026-11-27).
 *
 * Each is replaced by a proxy that loads the real module the first time anything is read from it,
 * so a program that does serialize a function still gets the real module (tests/lazy-modules.test.ts).
 * The SDK only reads from them (`ts.createSourceFile`, `new arborist.Arborist`); the proxy
 * cannot itself be called, which Arborist's module (a class) would allow.
 * Plain JavaScript, like the launcher, so it runs before anything is compiled.
 */
"use strict";
const Module = require("module");
const path = require("path");

const LAZY = new Set(["typescript", "@npmcli/arborist"]);
const SDK_DIR = `${path.sep}node_modules${path.sep}@pulumi${path.sep}pulumi${path.sep}`;

/** A stand-in for a module that loads it on first read. */
function lazy(load) {
  let real;
  const get = () => (real ??= load());
  // Every key of the real module, copied as a configurable getter so the proxy invariants hold.
  const target = {};
  const copyKeys = () => {
    for (const key of Reflect.ownKeys(get())) {
      if (!(key in target)) Object.defineProperty(target, key, { get: () => get()[key], enumerable: true, configurable: true });
    }
  };
  return new Proxy(target, {
    // TypeScript's `__importStar` returns an ES-module-shaped value as it is, instead of enumerating it.
    get: (_, key) => (key === "__esModule" && real === undefined ? true : Reflect.get(get(), key)),
    has: (_, key) => key in get(),
    ownKeys: () => (copyKeys(), Reflect.ownKeys(target)),
    getOwnPropertyDescriptor: (_, key) => (copyKeys(), Reflect.getOwnPropertyDescriptor(target, key)),
  });
}

const load = Module._load;
if (!load.lazyModules) {
  Module._load = Object.assign(
    function (request, parent, isMain) {
      if (!LAZY.has(request) || !parent?.filename?.includes(SDK_DIR)) return load.call(this, request, parent, isMain);
      return lazy(() => load.call(this, request, parent, isMain));
    },
    { lazyModules: true },
  );
}
