import { strict as assert } from "assert";
import { execFile } from "child_process";
import * as path from "path";
import { promisify } from "util";
import { PROJECT_DIR } from "../tools/plan/evaluate";
import { early } from "./early";

const PRELOAD = path.join(PROJECT_DIR, "tools", "plan", "lazyModules.cjs");

/** What a fresh node finds loaded after `require("@pulumi/pulumi")`, and after it packages a function as a Lambda would. */
async function probe(preload: boolean): Promise<{ loadedAtStart: string[]; serialized: boolean; loadedAfter: string[] }> {
  const script = `
    const loaded = () => Object.keys(require.cache).filter((f) => /node_modules\\/(typescript|@npmcli\\/arborist)\\//.test(f)).map((f) => f.includes("typescript") ? "typescript" : "arborist");
    const pulumi = require("@pulumi/pulumi");
    const loadedAtStart = [...new Set(loaded())].sort();
    // What a CallbackFunction does: serialize the function (TypeScript), then find its packages (Arborist).
    Promise.all([pulumi.runtime.serializeFunction(() => 42), pulumi.runtime.computeCodePaths()]).then(([f, paths]) => {
      console.log(JSON.stringify({ loadedAtStart, serialized: f.text.includes("42") && paths.size > 0, loadedAfter: [...new Set(loaded())].sort() }));
    });`;
  // --no-warnings: serializing a function requires every Node builtin, deprecated ones included.
  const args = ["--no-warnings", ...(preload ? ["--require", PRELOAD] : []), "-e", script];
  return JSON.parse((await promisify(execFile)(process.execPath, args, { cwd: PROJECT_DIR })).stdout);
}

const without = early(() => probe(false));
const withPreload = early(() => probe(true));

describe("plan speed: the SDK's function-serialization dependencies load on first use", () => {
  it("without the preload, loading @pulumi/pulumi loads TypeScript and Arborist (the check can fail)", async () => {
    assert.deepEqual((await without).loadedAtStart, ["arborist", "typescript"]);
  });

  it("with it, neither loads until a function is serialized, and serializing still works", async () => {
    const r = await withPreload;
    assert.deepEqual(r.loadedAtStart, [], "nothing loaded at start");
    assert.ok(r.serialized, "the function was serialized and its packages found");
    assert.deepEqual(r.loadedAfter, ["arborist", "typescript"], "both were loaded on first use");
  });
});
