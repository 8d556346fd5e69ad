import * as fs from "fs";
import { isDeepStrictEqual } from "util";
import * as path from "path";
import { CACHE } from "./compile.cjs";
import { PROJECT_DIR } from "./projectDir";

/** Stack config exactly as the Pulumi CLI would hand it to the program. */
export interface StackConfig {
  project: string;
  stack: string;
  /** Fully-qualified keys (`platform:network`) to the string Pulumi passes (objects as JSON). */
  config: Record<string, string>;
  /** Keys whose value is a secret (`secure:` in the stack file, or `secret: true` in Pulumi.yaml). */
  secretKeys: string[];
}

export class StackNotFoundError extends Error {
  constructor(readonly stack: string, readonly available: string[], dir: string) {
    super(`Unknown stack "${stack}": there is no Pulumi.${stack}.yaml in ${dir}. Stacks: ${available.join(", ") || "(none)"}`);
    this.name = "StackNotFoundError";
  }
}

/** Stack names that have a `Pulumi.<stack>.yaml` in the config directory. */
export function listStacks(configDir: string): string[] {
  return fs
    .readdirSync(configDir)
    .map((f) => /^Pulumi\.(.+)\.ya?ml$/.exec(f)?.[1])
    .filter((s): s is string => s !== undefined)
    .sort();
}

/**
 * Reads `Pulumi.yaml` (project-level defaults) and `Pulumi.<stack>.yaml` and merges them the way
 * Pulumi does: a key set in the stack file replaces the project default for that key as a whole
 * (objects are not deep-merged). Encrypted values cannot be decrypted offline; they become a
 * placeholder and are marked secret, which is what the program sees of them anyway.
 */
export function loadStackConfig(projectDir: string, stack: string, configDir = projectDir): StackConfig {
  const project = readYaml(path.join(projectDir, "Pulumi.yaml"));
  const name = String(project.name);
  const stackFile = path.join(configDir, `Pulumi.${stack}.yaml`);
  if (!fs.existsSync(stackFile)) throw new StackNotFoundError(stack, listStacks(configDir), configDir);
  const stackDoc = readYaml(stackFile);

  const config: Record<string, string> = {};
  const secretKeys = new Set<string>();
  const put = (rawKey: string, value: unknown, secret: boolean) => {
    const key = rawKey.includes(":") ? rawKey : `${name}:${rawKey}`;
    const { text, hasSecret } = encode(value);
    config[key] = text;
    if (secret || hasSecret) secretKeys.add(key);
    else secretKeys.delete(key);
  };

  for (const [key, decl] of Object.entries(asRecord(project.config))) {
    const { value, secret } = projectDefault(key, decl);
    if (value !== undefined) put(key, value, secret);
  }
  for (const [key, value] of Object.entries(asRecord(stackDoc.config))) put(key, value, false);

  return { project: name, stack, config, secretKeys: [...secretKeys].sort() };
}

/** A Pulumi.yaml config entry: a plain scalar/list, or `{ value | default, type, secret, ... }`. */
function projectDefault(key: string, decl: unknown): { value: unknown; secret: boolean } {
  if (decl === null || typeof decl !== "object" || Array.isArray(decl)) return { value: decl, secret: false };
  const d = decl as Record<string, unknown>;
  const allowed = ["value", "default", "type", "description", "secret", "items"];
  const stray = Object.keys(d).filter((k) => !allowed.includes(k));
  if (stray.length) {
    throw new Error(`Pulumi.yaml config "${key}": object values must be wrapped in "value:" (found keys ${stray.join(", ")})`);
  }
  return { value: d.value ?? d.default, secret: d.secret === true };
}

/** Pulumi passes strings through, and objects, lists, numbers and booleans as JSON text. */
function encode(value: unknown): { text: string; hasSecret: boolean } {
  let hasSecret = false;
  const strip = (v: unknown): unknown => {
    if (Array.isArray(v)) return v.map(strip);
    if (v && typeof v === "object") {
      const o = v as Record<string, unknown>;
      if (Object.keys(o).length === 1 && typeof o.secure === "string") {
        hasSecret = true;
        return "[secret]";
      }
      return Object.fromEntries(Object.entries(o).map(([k, x]) => [k, strip(x)]));
    }
    return v;
  };
  const plain = strip(value);
  return { text: typeof plain === "string" ? plain : JSON.stringify(plain), hasSecret };
}

/**
 * Parsed stack files by their text: one plan reads Pulumi.yaml and its own stack file again for
 * the ownership check across every committed stack, and parsing (not reading) is what costs. Keyed
 * by content, so a file rewritten in the same process is parsed afresh. Callers only read the result.
 */
const parsed = new Map<string, Record<string, unknown>>();


/**
 * The repository's stack files as last parsed, by path, each with the text it was parsed from, in
 * `.plan-cache/stack-files.json`: a plan whose stack files are unchanged never loads the YAML
 * parser (its load and first parse were about 25 ms of the prod plan). An entry counts only for
 * the same text and the same release of the parser; a document JSON cannot carry exactly (`.inf`,
 * a circular alias) or one the parser warned about is never stored, so its warning shows on every
 * run. Files outside the repository or in a dot-folder (a test's temporary stacks) are only
 * parsed, and an entry whose file is gone is dropped on the next write.
 */
interface DiskCache {
  parser: string;
  files: Record<string, { text: string; doc: Record<string, unknown> }>;
}
const onDisk = new Map<string, DiskCache>();
const diskFile = (root: string) => path.join(root, CACHE, "stack-files.json");

/** The parser's release, read without loading it. */
function parserRelease(): string {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  return (require("yaml/package.json") as { version: string }).version;
}

function parsedOnDisk(root: string): DiskCache {
  let cache = onDisk.get(root);
  if (cache) return cache;
  const parser = parserRelease();
  try {
    const read = JSON.parse(fs.readFileSync(diskFile(root), "utf8")) as DiskCache;
    cache = read.parser === parser && read.files ? read : { parser, files: {} };
  } catch {
    cache = { parser, files: {} };
  }
  onDisk.set(root, cache);
  return cache;
}

/** Whether JSON carries the document exactly (it fails on a circular alias, turns Infinity into null). */
function jsonExact(doc: Record<string, unknown>): boolean {
  try {
    return isDeepStrictEqual(JSON.parse(JSON.stringify(doc)), doc);
  } catch {
    return false;
  }
}

function storeOnDisk(root: string, file: string, text: string, doc: Record<string, unknown>): void {
  if (!jsonExact(doc)) return;
  const cache = parsedOnDisk(root);
  const files = Object.fromEntries(Object.entries(cache.files).filter(([f]) => f !== file && fs.existsSync(f)));
  files[file] = { text, doc };
  onDisk.set(root, { parser: cache.parser, files });
  try {
    // Parallel plans may write at once: each writes its own file and renames it in place.
    const tmp = `${diskFile(root)}.${process.pid}.tmp`;
    fs.mkdirSync(path.dirname(tmp), { recursive: true });
    fs.writeFileSync(tmp, JSON.stringify({ parser: cache.parser, files }));
    fs.renameSync(tmp, diskFile(root));
  } catch {
    // A read-only checkout plans as before, parsing every time.
  }
}

/** Parses a stack file as `yaml.parse` does; `clean` when the parser neither failed nor warned. */
function parse(text: string): { doc: Record<string, unknown>; clean: boolean } {
  // Loaded only to parse: a plan with unchanged stack files never needs it.
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const yaml = require("yaml") as typeof import("yaml");
  const parsedDoc = yaml.parseDocument(text);
  if (parsedDoc.errors.length || parsedDoc.warnings.length) return { doc: asRecord(yaml.parse(text)), clean: false };
  return { doc: asRecord(parsedDoc.toJS()), clean: true };
}

/** A stack file's document: from this process's memo, the repository's cache, or the parser. */
export function readYaml(file: string, root: string = PROJECT_DIR): Record<string, unknown> {
  const text = fs.readFileSync(file, "utf8");
  let doc = parsed.get(text);
  if (doc) return doc;
  const absolute = path.resolve(file);
  const inside = path.relative(root, absolute);
  const cacheable = !inside.startsWith("..") && !path.isAbsolute(inside) && !inside.split(path.sep).some((part) => part.startsWith("."));
  const cached = cacheable ? parsedOnDisk(root).files[absolute] : undefined;
  if (cached?.text === text) doc = cached.doc;
  else {
    const result = parse(text);
    doc = result.doc;
    if (cacheable && result.clean) storeOnDisk(root, absolute, text, doc);
  }
  parsed.set(text, doc);
  return doc;
}

function asRecord(v: unknown): Record<string, unknown> {
  return v && typeof v === "object" && !Array.isArray(v) ? (v as Record<string, unknown>) : {};
}

/** Sets keys on top of a loaded stack config, as `pulumi config set` would (whole-key replace). */
export function applyOverrides(base: StackConfig, overrides: Record<string, unknown>): StackConfig {
  const config = { ...base.config };
  const secretKeys = new Set(base.secretKeys);
  for (const [rawKey, value] of Object.entries(overrides)) {
    const key = rawKey.includes(":") ? rawKey : `${base.project}:${rawKey}`;
    // null removes the key (undefined does the same, but does not survive the worker's IPC).
    if (value === undefined || value === null) {
      delete config[key];
      secretKeys.delete(key);
      continue;
    }
    const { text, hasSecret } = encode(value);
    config[key] = text;
    if (hasSecret) secretKeys.add(key);
  }
  return { ...base, config, secretKeys: [...secretKeys].sort() };
}
