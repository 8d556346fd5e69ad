import { strict as assert } from "assert";
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
