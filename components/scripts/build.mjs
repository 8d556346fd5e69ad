// Builds the package (tsc to dist/, then the migration gate's bundle) unless the last build is
// still current. `npm run plan` and `npm run cost` build first: an up-to-date check that loads no
// compiler keeps that step in milliseconds, where even an incremental `tsc -p` parses every
// declaration file of the providers (about 7 s). Current means: the same input files as the last
// successful build, none newer than its stamp. The inputs are the package's TypeScript sources,
// its tsconfig and package.json, these scripts, and the lock file that pins the dependencies'
// declarations. `--force` always builds; `--check` only says whether it would (exit 1) or not (0).
import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, readFileSync, readdirSync, statSync, writeFileSync } from "node:fs";
import { dirname, join, relative, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { createRequire } from "node:module";

const PACKAGE = resolve(dirname(fileURLToPath(import.meta.url)), "..");
const stampOf = (pkg) => join(pkg, "dist", ".build-stamp.json");
const SKIP = new Set(["dist", "node_modules"]);

function sources(dir, out = []) {
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    if (SKIP.has(entry.name) || entry.name.startsWith(".")) continue;
    const file = join(dir, entry.name);
    if (entry.isDirectory()) sources(file, out);
    else if (/\.(ts|mjs)$/.test(entry.name) || entry.name === "tsconfig.json" || entry.name === "package.json") out.push(file);
  }
  return out;
}

/** The build's inputs, relative to the package folder. */
export function inputs(pkg = PACKAGE) {
  const files = sources(pkg);
  const lock = join(pkg, "..", "package-lock.json");
  if (existsSync(lock)) files.push(lock);
  return files.map((f) => relative(pkg, f)).sort();
}

/** Why a build is needed, or undefined when the last one is current. */
export function staleReason(pkg = PACKAGE, files = inputs(pkg)) {
  if (!existsSync(stampOf(pkg))) return "no previous build";
  const stamp = JSON.parse(readFileSync(stampOf(pkg), "utf8"));
  if (JSON.stringify(stamp.inputs) !== JSON.stringify(files)) return "the set of input files changed";
  const newer = files.find((f) => statSync(join(pkg, f)).mtimeMs > stamp.builtAt);
  return newer && `${newer} changed`;
}

/** Records a successful build of `files` that started at `builtAt`. */
export function writeStamp(pkg, builtAt, files = inputs(pkg)) {
  mkdirSync(dirname(stampOf(pkg)), { recursive: true });
  writeFileSync(stampOf(pkg), JSON.stringify({ builtAt, inputs: files }));
}

function run(cmd, args) {
  const r = spawnSync(cmd, args, { cwd: PACKAGE, stdio: "inherit" });
  if (r.status !== 0) process.exit(r.status ?? 1);
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const files = inputs();
  const reason = process.argv.includes("--force") ? "--force" : staleReason(PACKAGE, files);
  if (process.argv.includes("--check")) {
    // Says whether a build would run, and builds nothing: exit 1 with the reason, 0 when current.
    if (reason) console.error(`@platform/components would build: ${reason}`);
    process.exit(reason ? 1 : 0);
  }
  if (reason) {
    // Taken before the build: a source edited while tsc runs is newer than the stamp, so it rebuilds next time.
    const builtAt = Date.now();
    console.error(`@platform/components: building (${reason})`);
    const tsc = createRequire(import.meta.url).resolve("typescript/bin/tsc");
    run(process.execPath, [tsc, "-p", join(PACKAGE, "tsconfig.json")]);
    run(process.execPath, [join(PACKAGE, "scripts", "bundle-gate.mjs")]);
    writeStamp(PACKAGE, builtAt, files);
  }
}
