#!/usr/bin/env node
/**
 * `node tools/launch.cjs [--build <package folder>] <command.ts> [args...]`: runs a TypeScript
 * command compiled once (plan/compile.cjs) under plain node, with Node's compile cache, instead of
 * through a TypeScript loader on every run. The command sees its own arguments in process.argv as
 * usual. `--build` first builds the package unless its last build is current (its
 * scripts/stamp.cjs, checked in this process; its scripts/build.mjs when a build is needed): the
 * build step of `npm run plan` and `npm run cost` without a second node process.
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
const USAGE = "usage: node tools/launch.cjs [--build <package folder>] <command.ts> [args...]";
let argv = process.argv.slice(2);
if (argv[0] === "--build") {
  if (!argv[1]) {
    console.error(USAGE);
    process.exit(2);
  }
  const pkg = path.resolve(root, argv[1]);
  argv = argv.slice(2);
  const stamp = path.join(pkg, "scripts", "stamp.cjs");
  if (!require("fs").existsSync(stamp)) {
    console.error(`--build ${path.relative(root, pkg) || "."}: expected a package folder with scripts/stamp.cjs and scripts/build.mjs\n${USAGE}`);
    process.exit(2);
  }
  if (require(stamp).staleReason(pkg)) {
    const built = require("child_process").spawnSync(process.execPath, [path.join(pkg, "scripts", "build.mjs")], { stdio: "inherit" });
    if (built.error) console.error(`--build: could not start the build (${built.error.message})`);
    // A build stopped by a signal exits as a shell reports it, 128 + the signal's number.
    if (built.status !== 0) process.exit(built.status ?? (built.signal ? 128 + require("os").constants.signals[built.signal] : 1));
  }
}
const [entry, ...args] = argv;
if (!entry) {
  console.error(USAGE);
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
