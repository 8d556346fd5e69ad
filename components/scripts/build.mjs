// Builds the package (tsc to dist/, then the migration gate's bundle) unless the last build is
// still current (stamp.cjs). `npm run plan` and `npm run cost` check that first, in the launcher's
// own process (tools/launch.cjs --build), and run this only when a build is needed: an up-to-date
// check that loads no compiler keeps that step in milliseconds, where even an incremental `tsc -p`
// parses every declaration file of the providers (about 7 s).
// `--force` always builds; `--check` only says whether it would (exit 1) or not (0).
import { spawnSync } from "node:child_process";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { createRequire } from "node:module";

const require = createRequire(import.meta.url);
const { inputs, staleReason, writeStamp } = require("./stamp.cjs");
const PACKAGE = resolve(dirname(fileURLToPath(import.meta.url)), "..");

function run(cmd, args) {
  const r = spawnSync(cmd, args, { cwd: PACKAGE, stdio: "inherit" });
  if (r.status !== 0) process.exit(r.status ?? 1);
}

// A script, run as one: importing it builds nothing.
if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const files = inputs(PACKAGE);
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
    run(process.execPath, [require.resolve("typescript/bin/tsc"), "-p", join(PACKAGE, "tsconfig.json")]);
    run(process.execPath, [join(PACKAGE, "scripts", "bundle-gate.mjs")]);
    writeStamp(PACKAGE, builtAt, files);
  }
}
