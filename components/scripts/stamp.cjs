/**
 * Whether the package's last build is current, without loading a compiler: the same input files
 * as the last successful build, none newer than its stamp. The inputs are the package's TypeScript
 * sources, its tsconfig and package.json, these scripts, and the lock file that pins the
 * dependencies' declarations. CommonJS, so the command launcher (tools/launch.cjs) checks it in its
 * own process before a plan; build.mjs builds when it is not.
 */
"use strict";
const { existsSync, mkdirSync, readFileSync, readdirSync, statSync, writeFileSync } = require("fs");
const { dirname, join, relative } = require("path");

const stampOf = (pkg) => join(pkg, "dist", ".build-stamp.json");
const SKIP = new Set(["dist", "node_modules"]);

function sources(dir, out = []) {
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    if (SKIP.has(entry.name) || entry.name.startsWith(".")) continue;
    const file = join(dir, entry.name);
    if (entry.isDirectory()) sources(file, out);
    else if (/\.(ts|mjs|cjs)$/.test(entry.name) || entry.name === "tsconfig.json" || entry.name === "package.json") out.push(file);
  }
  return out;
}

/** The build's inputs, relative to the package folder `pkg`. */
function inputs(pkg) {
  const files = sources(pkg);
  const lock = join(pkg, "..", "package-lock.json");
  if (existsSync(lock)) files.push(lock);
  return files.map((f) => relative(pkg, f)).sort();
}

/** Why a build of `pkg` is needed, or undefined when the last one is current. */
function staleReason(pkg, files = inputs(pkg)) {
  if (!existsSync(stampOf(pkg))) return "no previous build";
  const stamp = JSON.parse(readFileSync(stampOf(pkg), "utf8"));
  if (JSON.stringify(stamp.inputs) !== JSON.stringify(files)) return "the set of input files changed";
  const newer = files.find((f) => statSync(join(pkg, f)).mtimeMs > stamp.builtAt);
  return newer && `${newer} changed`;
}

/** Records a successful build of `files` that started at `builtAt`. */
function writeStamp(pkg, builtAt, files = inputs(pkg)) {
  mkdirSync(dirname(stampOf(pkg)), { recursive: true });
  writeFileSync(stampOf(pkg), JSON.stringify({ builtAt, inputs: files }));
}

module.exports = { inputs, staleReason, writeStamp };
