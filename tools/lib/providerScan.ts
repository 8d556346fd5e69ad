/**
 * Which resource types of the pinned @pulumi/aws take an input property: read from the
 * provider's own files (each resource module's `__pulumiType` and its `<Class>Args` interface),
 * so the policy tests can check that a settings rule covers every type that can carry a setting.
 */
import * as fs from "fs";
import * as path from "path";

const AWS_DIR = path.dirname(require.resolve("@pulumi/aws/package.json"));

let cache: Map<string, Set<string>> | undefined;
const required = new Map<string, string[]>();

/** Type token → top-level input property names, for every resource of the provider. */
export function awsResourceInputs(): Map<string, Set<string>> {
  if (cache) return cache;
  cache = new Map();
  for (const mod of fs.readdirSync(AWS_DIR, { withFileTypes: true })) {
    if (!mod.isDirectory() || ["types", "config", "node_modules"].includes(mod.name)) continue;
    for (const file of fs.readdirSync(path.join(AWS_DIR, mod.name))) {
      if (!file.endsWith(".js")) continue;
      const js = fs.readFileSync(path.join(AWS_DIR, mod.name, file), "utf8");
      const token = /static __pulumiType = '([^']+)'/.exec(js)?.[1];
      if (!token) continue;
      const cls = token.split(":")[2];
      const dts = fs.readFileSync(path.join(AWS_DIR, mod.name, file.replace(/\.js$/, ".d.ts")), "utf8");
      const start = dts.indexOf(`export interface ${cls}Args {`);
      if (start < 0) continue;
      const body = dts.slice(start, dts.indexOf("\n}\n", start));
      cache.set(token, new Set([...body.matchAll(/^ {4}(\w+)\??:/gm)].map((m) => m[1])));
      required.set(token, [...body.matchAll(/^ {4}(\w+):/gm)].map((m) => m[1]));
    }
  }
  return cache;
}

/** Resource types whose inputs include `property`. */
export function typesWith(property: string): string[] {
  return [...awsResourceInputs()].filter(([, props]) => props.has(property)).map(([t]) => t).sort();
}

/** Input properties a resource type requires (the SDK refuses to construct it without them). */
export function requiredInputs(type: string): string[] {
  awsResourceInputs();
  return required.get(type) ?? [];
}
