#!/usr/bin/env node
/**
 * `node tools/launch.cjs <command.ts> [args...]`: runs a TypeScript command compiled once
 * (plan/compile.cjs) under plain node, with V8's code cache, instead of through a TypeScript
 * loader on every run. The command sees its own arguments in process.argv as usual.
 */
"use strict";
const path = require("path");
const { CACHE, compiled } = require("./plan/compile.cjs");

const root = path.resolve(__dirname, "..");
process.env.V8_COMPILE_CACHE_CACHE_DIR ??= path.join(root, CACHE, "v8");
require("v8-compile-cache");
require("./plan/lazyModules.cjs");
const [entry, ...args] = process.argv.slice(2);
if (!entry) {
  console.error("usage: node tools/launch.cjs <command.ts> [args...]");
  process.exit(2);
}
const bundle = compiled(path.resolve(entry), path.join(root, CACHE));
process.argv = [process.argv[0], bundle, ...args];
require(bundle);
