/**
 * Compile once: a TypeScript entry (a command, the plan worker, a program's index.ts) bundled
 * with esbuild into one CommonJS file under `.plan-cache/`, packages left external, rebuilt only
 * when one of its inputs is newer. Plain `node` then runs it with no TypeScript loader (the
 * loader's resolution hooks and transforms were a sixth of the plan's CPU) and with Node's source
 * maps off (formatting a mapped stack for every resource the SDK registers was another). A real
 * error is mapped back to the TypeScript source afterwards, from the bundle's map (`mapStack`).
 * Plain JavaScript, so the command launcher (../launch.cjs) can use it before anything is compiled.
 */
"use strict";
const { createHash } = require("crypto");
const fs = require("fs");
const path = require("path");
const { SourceMap } = require("module");

const CACHE = ".plan-cache";

/** Path of the up-to-date bundle of `entry`, kept in `cacheDir`. */
function compiled(entry, cacheDir = path.join(path.dirname(entry), CACHE)) {
  const out = path.join(cacheDir, `${path.basename(entry, ".ts")}-${createHash("sha256").update(entry).digest("hex").slice(0, 12)}.js`);
  const inputsFile = `${out}.inputs.json`;
  if (fresh(out, inputsFile)) return out;
  fs.mkdirSync(cacheDir, { recursive: true });
  const workDir = path.dirname(entry);
  const tmp = `${out}.${process.pid}.tmp`;
  // esbuild is loaded only to rebuild: a run with fresh bundles never needs it.
  const result = require("esbuild").buildSync({
    entryPoints: [entry],
    outfile: tmp,
    absWorkingDir: workDir,
    bundle: true,
    platform: "node",
    target: "node24",
    format: "cjs",
    packages: "external",
    sourcemap: "inline",
    sourcesContent: false,
    metafile: true,
    logLevel: "silent",
  });
  // Parallel processes may build the same bundle: each writes its own files and renames them in place.
  fs.writeFileSync(`${inputsFile}.${process.pid}.tmp`, JSON.stringify(Object.keys(result.metafile.inputs).map((i) => path.resolve(workDir, i))));
  fs.renameSync(tmp, out);
  fs.renameSync(`${inputsFile}.${process.pid}.tmp`, inputsFile);
  return out;
}

function fresh(out, inputsFile) {
  try {
    const built = fs.statSync(out).mtimeMs;
    return JSON.parse(fs.readFileSync(inputsFile, "utf8")).every((i) => fs.statSync(i).mtimeMs <= built);
  } catch {
    return false;
  }
}

const maps = new Map();

/** `stack` with every frame in one of our bundles pointed at its TypeScript source. */
function mapStack(stack) {
  return stack.replace(/(\/[^\s():]+\.plan-cache\/[^\s():]+\.js):(\d+):(\d+)/g, (whole, file, line, column) => {
    if (!maps.has(file)) {
      const text = fs.existsSync(file) ? fs.readFileSync(file, "utf8") : "";
      const inline = /\/\/# sourceMappingURL=data:application\/json;base64,(\S+)\s*$/.exec(text)?.[1];
      maps.set(file, inline ? new SourceMap(JSON.parse(Buffer.from(inline, "base64").toString("utf8"))) : null);
    }
    const entry = maps.get(file)?.findEntry(Number(line) - 1, Number(column) - 1);
    if (!entry || !entry.originalSource) return whole;
    const source = entry.originalSource.startsWith("file://") ? new URL(entry.originalSource).pathname : path.resolve(path.dirname(file), entry.originalSource);
    return `${source}:${entry.originalLine + 1}:${entry.originalColumn + 1}`;
  });
}

/**
 * Where Node keeps its compile cache (module.enableCompileCache, NODE_COMPILE_CACHE) for this
 * project: one folder per Node version, so switching Node never reads another version's cache.
 */
function compileCacheDir(root) {
  return path.join(root, CACHE, `node-${process.version}`);
}

/** The nearest folder at or above `from` that holds `marker` (a bundle's __dirname is its cache folder). */
function findUp(from, marker) {
  for (let dir = from; ; dir = path.dirname(dir)) {
    if (fs.existsSync(path.join(dir, marker))) return dir;
    if (path.dirname(dir) === dir) throw new Error(`no ${marker} above ${from}`);
  }
}

module.exports = { CACHE, compiled, compileCacheDir, mapStack, findUp };
