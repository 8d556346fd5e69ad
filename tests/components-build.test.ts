/**
 * `npm run plan` and `npm run cost` build @platform/components first (`tools/launch.cjs --build`,
 * which checks components/scripts/stamp.cjs and runs build.mjs when needed): an unchanged package
 * is not rebuilt, a changed one is. The rules run on a copy of the package's sources, so the
 * repository's own build is never made stale while other specs plan.
 */
import { strict as assert } from "assert";
import { spawnSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { PROJECT_DIR } from "../tools/plan/evaluate";

const SCRIPT = path.join(PROJECT_DIR, "components", "scripts", "build.mjs");
// The package's build scripts, not its exports: reached by path, as the launcher reaches them.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const stamp = require(path.join(PROJECT_DIR, "components", "scripts", "stamp.cjs")) as { inputs(pkg: string): string[]; staleReason(pkg: string): string | undefined; writeStamp(pkg: string, builtAt: number): void };

function copyOfSources(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "components-build-"));
  const pkg = path.join(dir, "components");
  fs.cpSync(path.join(PROJECT_DIR, "components"), pkg, { recursive: true, filter: (src) => !/\/(dist|node_modules)(\/|$)/.test(src) });
  fs.writeFileSync(path.join(dir, "package-lock.json"), "{}");
  return pkg;
}

describe("the components build step: no rebuild it does not need", () => {
  it("the repository's package, built by npm test, is current: the plan's build step would not rebuild it", () => {
    const r = spawnSync(process.execPath, [SCRIPT, "--check"], { encoding: "utf8" });
    assert.equal(r.status, 0, r.stderr);
  });

  it("the launcher's --build: a current package runs the command without building; a stale one builds first, and a failed build stops the command", () => {
    const pkg = copyOfSources();
    const launch = () => spawnSync(process.execPath, [path.join(PROJECT_DIR, "tools", "launch.cjs"), "--build", pkg, "tools/plan/cli.ts", "--help"], { cwd: PROJECT_DIR, encoding: "utf8" });
    try {
      // Stamped a second ahead: the copy's files are all older than its build.
      const builtAt = Date.now() + 1_000;
      stamp.writeStamp(pkg, builtAt);
      const current = launch();
      assert.equal(current.status, 0, current.stderr);
      assert.match(current.stdout, /^usage: npm run plan/);
      assert.doesNotMatch(current.stderr, /building/);

      const later = new Date(builtAt + 5_000);
      fs.utimesSync(path.join(pkg, "network", "args.ts"), later, later);
      // The copy has no node_modules, so its build cannot find tsc and fails: the command must not run.
      const stale = launch();
      assert.match(stale.stderr, /@platform\/components: building \(network\/args\.ts changed\)/);
      assert.notEqual(stale.status, 0);
      assert.equal(stale.stdout, "", "the command did not run after its build failed");

      const usage = spawnSync(process.execPath, [path.join(PROJECT_DIR, "tools", "launch.cjs"), "--build"], { encoding: "utf8" });
      assert.equal(usage.status, 2);
      assert.match(usage.stderr, /usage: node tools\/launch\.cjs \[--build <package folder>\]/);
      const notPackage = spawnSync(process.execPath, [path.join(PROJECT_DIR, "tools", "launch.cjs"), "--build", "docs", "tools/plan/cli.ts"], { encoding: "utf8" });
      assert.equal(notPackage.status, 2);
      assert.match(notPackage.stderr, /^--build docs: expected a package folder with scripts\/stamp\.cjs and scripts\/build\.mjs/);
    } finally {
      fs.rmSync(path.dirname(pkg), { recursive: true, force: true });
    }
  });

  it("nothing touched: current; a touched source, the lock file, an added or removed file, or no stamp: rebuilt", async () => {
    const { inputs, staleReason, writeStamp } = stamp;
    const pkg = copyOfSources();
    try {
      assert.equal(staleReason(pkg), "no previous build");
      assert.ok(inputs(pkg).includes("network/args.ts") && inputs(pkg).includes("../package-lock.json") && inputs(pkg).includes("tsconfig.json"));
      assert.ok(inputs(pkg).includes("scripts/stamp.cjs") && inputs(pkg).includes("scripts/build.mjs"), "the build's own scripts are inputs");
      assert.ok(!inputs(pkg).some((f) => f.startsWith("dist/")), "its own output is no input");
      const builtAt = Date.now();
      writeStamp(pkg, builtAt);
      assert.equal(staleReason(pkg), undefined, "nothing changed since the build");

      const later = new Date(builtAt + 5_000);
      fs.utimesSync(path.join(pkg, "network", "args.ts"), later, later);
      assert.equal(staleReason(pkg), "network/args.ts changed");
      writeStamp(pkg, builtAt + 10_000);
      assert.equal(staleReason(pkg), undefined);

      fs.utimesSync(path.join(pkg, "..", "package-lock.json"), new Date(builtAt + 20_000), new Date(builtAt + 20_000));
      assert.equal(staleReason(pkg), "../package-lock.json changed", "new dependency declarations rebuild");
      writeStamp(pkg, builtAt + 30_000);

      fs.writeFileSync(path.join(pkg, "network", "extra.ts"), "export const x = 1;\n");
      assert.equal(staleReason(pkg), "the set of input files changed");
      fs.rmSync(path.join(pkg, "network", "extra.ts"));
      assert.equal(staleReason(pkg), undefined, "back to the built set");
      fs.rmSync(path.join(pkg, "edge", "plans.ts"));
      assert.equal(staleReason(pkg), "the set of input files changed", "a deleted source rebuilds too");
    } finally {
      fs.rmSync(path.dirname(pkg), { recursive: true, force: true });
    }
  });
});
