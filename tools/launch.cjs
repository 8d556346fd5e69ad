#!/usr/bin/env node
/**
 * `node tools/launch.cjs <command.ts> [args...]`: runs a TypeScript command compiled once
 * (plan/compile.cjs) under plain node, with Node's compile cache, instead of through a TypeScript
 * loader on every run. The command sees its own arguments in process.argv as usual.
 */
"use strict";
const path = require("path");
const { enableCompileCache } = require("module");
const { CACHE, compileCacheDir, compiled } = require("./plan/compile.cjs");

const root = path.resolve(__dirname, "..");
const wanted = Number(require("fs").readFileSync(path.join(root, ".nvmrc"), "utf8").trim().split(".")[0]);
if (Number(process.versions.node.split(".")[0]) < wanted) {
  console.error(`This project runs on Node.js ${wanted} or later (.nvmrc); this is ${process.version}. Install it (nvm install, or see docs/toolchain.md).`);
  process.exit(3);
}
enableCompileCache(compileCacheDir(root));
// Before the SDK loads: its TypeScript is deferred, and an SDK the plan was not verified on is refused.
const { sdkVersionProblem } = require("./plan/sdkInternals.cjs");
const [entry, ...args] = process.argv.slice(2);
if (!entry) {
  console.error("usage: node tools/launch.cjs <command.ts> [args...]");
  process.exit(2);
}
const problem = sdkVersionProblem();
if (problem) {
  console.error(problem);
  process.exit(3);
}
const bundle = compiled(path.resolve(entry), path.join(root, CACHE));
process.argv = [process.argv[0], bundle, ...args];
require(bundle);
