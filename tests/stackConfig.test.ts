import { strict as assert } from "assert";
import { execFileSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { StackNotFoundError, applyOverrides, listStacks, loadStackConfig } from "../tools/plan/stackConfig";

function project(files: Record<string, string>): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "stackcfg-"));
  for (const [name, text] of Object.entries(files)) fs.writeFileSync(path.join(dir, name), text);
  return dir;
}

const PULUMI_YAML = `name: demo
runtime: nodejs
config:
  pulumi:disable-default-providers:
    value: ["*"]
  demo:count: 2
  size: small
  demo:obj:
    value: { a: 1, b: 2 }
  demo:token:
    secret: true
    default: from-project
`;

describe("stack config loading (Pulumi's merge rules)", () => {
  it("lists the stacks that have a settings file", () => {
    const dir = project({ "Pulumi.yaml": PULUMI_YAML, "Pulumi.dev.yaml": "config: {}\n", "Pulumi.prod.yml": "config: {}\n" });
    assert.deepEqual(listStacks(dir), ["dev", "prod"]);
  });

  it("applies project defaults, namespaces bare keys, and encodes objects as JSON", () => {
    const dir = project({ "Pulumi.yaml": PULUMI_YAML, "Pulumi.dev.yaml": "config: {}\n" });
    const c = loadStackConfig(dir, "dev");
    assert.equal(c.project, "demo");
    assert.equal(c.config["demo:count"], "2");
    assert.equal(c.config["demo:size"], "small");
    assert.deepEqual(JSON.parse(c.config["demo:obj"]), { a: 1, b: 2 });
    assert.deepEqual(JSON.parse(c.config["pulumi:disable-default-providers"]), ["*"]);
    assert.deepEqual(c.secretKeys, ["demo:token"]);
  });

  it("lets the stack file replace a key as a whole (objects are not deep-merged)", () => {
    const dir = project({ "Pulumi.yaml": PULUMI_YAML, "Pulumi.dev.yaml": "config:\n  demo:obj:\n    a: 9\n" });
    assert.deepEqual(JSON.parse(loadStackConfig(dir, "dev").config["demo:obj"]), { a: 9 });
  });

  it("marks secure values secret without decrypting them", () => {
    const dir = project({ "Pulumi.yaml": PULUMI_YAML, "Pulumi.dev.yaml": "config:\n  demo:apiKey:\n    secure: v1:abc:def\n" });
    const c = loadStackConfig(dir, "dev");
    assert.equal(c.config["demo:apiKey"], "[secret]");
    assert.ok(c.secretKeys.includes("demo:apiKey"));
  });

  it("names the stacks that exist when asked for one that does not", () => {
    const dir = project({ "Pulumi.yaml": PULUMI_YAML, "Pulumi.dev.yaml": "config: {}\n" });
    assert.throws(() => loadStackConfig(dir, "qa"), (err: Error) => err instanceof StackNotFoundError && /Unknown stack "qa".*Stacks: dev/.test(err.message));
  });

  it("rejects a project-level object value that is not wrapped in value:", () => {
    const dir = project({ "Pulumi.yaml": "name: demo\nruntime: nodejs\nconfig:\n  demo:obj:\n    a: 1\n", "Pulumi.dev.yaml": "config: {}\n" });
    assert.throws(() => loadStackConfig(dir, "dev"), /must be wrapped in "value:"/);
  });

  it("applies overrides like `pulumi config set`, and removes keys set to undefined", () => {
    const dir = project({ "Pulumi.yaml": PULUMI_YAML, "Pulumi.dev.yaml": "config: {}\n" });
    const c = applyOverrides(loadStackConfig(dir, "dev"), { count: 5, "demo:size": undefined });
    assert.equal(c.config["demo:count"], "5");
    assert.equal(c.config["demo:size"], undefined);
  });
});

describe("stack files parsed once across runs (.plan-cache/stack-files.json)", () => {
  /** A fresh node reading `file` with the given repository root: the document, and whether the YAML parser loaded. */
  function readIn(file: string, root: string): { doc?: unknown; parser: boolean; error?: string } {
    const script = `
      const { readYaml } = require(${JSON.stringify(path.join(__dirname, "..", "tools", "plan", "stackConfig.ts"))});
      let out;
      try { out = { doc: readYaml(${JSON.stringify(file)}, ${JSON.stringify(root)}) }; } catch (e) { out = { error: e.name + ": " + e.message.split("\\n")[0] }; }
      out.parser = Object.keys(require.cache).some((f) => f.includes("/node_modules/yaml/dist/"));
      const seen = new WeakSet();
      console.log(JSON.stringify(out, (k, v) => (v === Infinity ? "Infinity" : v && typeof v === "object" ? (seen.has(v) ? "[circular]" : (seen.add(v), v)) : v)));`;
    return JSON.parse(execFileSync(process.execPath, ["--require", "tsx/cjs", "-e", script], { encoding: "utf8" }));
  }

  it("an unchanged file in the repository is read from the cache without the parser; an edited one, one outside it or in a dot-folder, one the parser warned about, another parser release, and a document JSON cannot carry are parsed", () => {
    const root = fs.mkdtempSync(path.join(os.tmpdir(), "stackcache-"));
    const outside = project({ "Pulumi.dev.yaml": "config:\n  demo:size: small\n" });
    try {
      const file = path.join(root, "Pulumi.dev.yaml");
      fs.writeFileSync(file, "config:\n  demo:size: small\n");
      assert.deepEqual(readIn(file, root), { doc: { config: { "demo:size": "small" } }, parser: true }, "first read parses");
      assert.deepEqual(readIn(file, root), { doc: { config: { "demo:size": "small" } }, parser: false }, "unchanged: from the cache");
      fs.writeFileSync(file, "config:\n  demo:size: large\n");
      assert.deepEqual(readIn(file, root), { doc: { config: { "demo:size": "large" } }, parser: true }, "edited: parsed again");
      assert.deepEqual(readIn(file, root).parser, false);

      fs.writeFileSync(file, "config:\n  demo:limit: .inf\n");
      for (let i = 0; i < 2; i++) assert.deepEqual(readIn(file, root), { doc: { config: { "demo:limit": "Infinity" } }, parser: true }, "never stored: JSON would turn it into null");

      fs.writeFileSync(file, "meta: &a\n  self: *a\nconfig:\n  demo:size: small\n");
      for (let i = 0; i < 2; i++) assert.deepEqual(readIn(file, root), { doc: { meta: { self: "[circular]" }, config: { "demo:size": "small" } }, parser: true }, "a circular alias: parsed, never stored, no crash");
      fs.writeFileSync(file, "config:\n  demo:size: !custom small\n");
      for (let i = 0; i < 2; i++) assert.equal(readIn(file, root).parser, true, "a document the parser warned about: parsed every time, so the warning shows");

      const elsewhere = path.join(outside, "Pulumi.dev.yaml");
      for (let i = 0; i < 2; i++) assert.equal(readIn(elsewhere, root).parser, true, "outside the repository: parsed every time");
      fs.mkdirSync(path.join(root, ".policy-fixture"));
      const dotted = path.join(root, ".policy-fixture", "Pulumi.dev.yaml");
      fs.writeFileSync(dotted, "config: {}\n");
      for (let i = 0; i < 2; i++) assert.equal(readIn(dotted, root).parser, true, "in a dot-folder (a test's temporary stacks): parsed every time");

      const cacheFile = path.join(root, ".plan-cache", "stack-files.json");
      const gone = path.join(root, "Pulumi.gone.yaml");
      fs.writeFileSync(gone, "config: {}\n");
      readIn(gone, root);
      fs.rmSync(gone);
      fs.writeFileSync(file, "config:\n  demo:size: medium\n");
      assert.equal(readIn(file, root).parser, true);
      const written = JSON.parse(fs.readFileSync(cacheFile, "utf8")) as { parser: string; files: Record<string, unknown> };
      assert.deepEqual(Object.keys(written.files), [file], "only the repository's own files, a deleted one dropped");
      assert.equal(written.parser, (JSON.parse(fs.readFileSync(require.resolve("yaml/package.json"), "utf8")) as { version: string }).version);

      fs.writeFileSync(cacheFile, JSON.stringify({ ...written, parser: "0.0.1" }));
      assert.equal(readIn(file, root).parser, true, "another release of the parser: parsed afresh");
      assert.equal(readIn(file, root).parser, false);

      fs.writeFileSync(file, "config:\n  demo:size: [unclosed\n");
      const bad = readIn(file, root);
      assert.match(bad.error ?? "", /^YAMLParseError: /, "a broken file still gets the parser's own error");
    } finally {
      fs.rmSync(root, { recursive: true, force: true });
      fs.rmSync(outside, { recursive: true, force: true });
    }
  });
});
