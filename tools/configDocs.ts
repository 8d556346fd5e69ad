/**
 * docs/configuration.md, generated from the config schema: every key a stack file may set
 * (config/schema.ts `sections`, walked down to each field), its type and limits as the schema
 * enforces them, its default, the doc comment written beside it in config/*.ts, and the value
 * each committed stack ends up with. `npm run config:docs` rewrites it; tests/config-docs.test.ts
 * fails when the committed file differs, so it cannot go stale.
 */
import * as fs from "fs";
import * as path from "path";
import type * as TS from "typescript";
import { z } from "zod";
import { SECTION_DOCS, sections, validateConfig } from "../config";
import { listStacks, loadStackConfig } from "./plan/stackConfig";

const ROOT = path.resolve(__dirname, "..");
export const CONFIG_DOC = path.join(ROOT, "docs", "configuration.md");

interface FieldSource {
  doc?: string;
  /** The `*Schema` constant the field's schema is built from, whose own fields document it. */
  ref?: string;
}

/**
 * Doc comments of config/*.ts by constant, then by the dotted path of property names inside it.
 * A field's schema may be another constant (`processor: processorSchema`, `scaling: scaling.optional()`,
 * shorthand `scaling,`), whose own fields then document it; fields spread in from a constant
 * (`...containerSettings`) keep that constant's docs.
 */
function fieldSources(): Map<string, Map<string, FieldSource>> {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const ts = require("typescript") as typeof TS;
  const out = new Map<string, Map<string, FieldSource>>();
  const refs = new Map<FieldSource, string[]>();
  const spreads: { constant: string; at: string[]; from: string }[] = [];
  const dir = path.join(ROOT, "config");
  const docOf = (node: TS.Node) => ts.getJSDocCommentsAndTags(node).map((d) => (typeof d.comment === "string" ? d.comment : "")).join(" ").replace(/\s+/g, " ").trim();
  const record = (constant: string, here: string[], src: FieldSource, candidates: string[]) => {
    const fields = out.get(constant) ?? new Map<string, FieldSource>();
    // The schema's own field comes first; a default's object literal later (`.default({ x: 1 })`) documents nothing.
    if (fields.has(here.join("."))) return;
    fields.set(here.join("."), src);
    out.set(constant, fields);
    refs.set(src, candidates);
  };
  for (const file of fs.readdirSync(dir).filter((f) => f.endsWith(".ts"))) {
    const source = ts.createSourceFile(file, fs.readFileSync(path.join(dir, file), "utf8"), ts.ScriptTarget.ES2022, true);
    const visit = (node: TS.Node, constant: string, at: string[]): void => {
      if (ts.isPropertyAssignment(node) && (ts.isIdentifier(node.name) || ts.isStringLiteral(node.name))) {
        const here = [...at, node.name.text];
        const text = node.initializer.getText(source);
        // The constant the field's schema is built from: `x`, `x.optional()`, `z.array(x)`, `z.record(k, x)`.
        const candidates = /^(?:z\.(?:array|record)\((?:[^,()]+,\s*)?)?(\w+)/.exec(text)?.slice(1, 2) ?? [];
        record(constant, here, { doc: docOf(node) || undefined }, candidates);
        ts.forEachChild(node.initializer, (child) => visit(child, constant, here));
        return;
      }
      if (ts.isShorthandPropertyAssignment(node)) {
        record(constant, [...at, node.name.text], { doc: docOf(node) || undefined }, [node.name.text]);
        return;
      }
      if (ts.isSpreadAssignment(node) && ts.isIdentifier(node.expression)) {
        spreads.push({ constant, at, from: node.expression.text });
        return;
      }
      ts.forEachChild(node, (child) => visit(child, constant, at));
    };
    for (const statement of source.statements) {
      if (!ts.isVariableStatement(statement)) continue;
      for (const d of statement.declarationList.declarations) if (ts.isIdentifier(d.name) && d.initializer) visit(d.initializer, d.name.text, []);
    }
  }
  for (const { constant, at, from } of spreads) {
    for (const [field, src] of out.get(from) ?? []) record(constant, [...at, field], src, refs.get(src) ?? []);
  }
  for (const [fields] of [...out.values()].map((f) => [f] as const)) {
    for (const src of fields.values()) src.ref = refs.get(src)?.find((c) => out.has(c));
  }
  return out;
}

export interface ConfigRow {
  key: string;
  type: string;
  required: boolean;
  default?: unknown;
  doc: string;
  /** Dotted path into the validated config, when the key is one value per stack (not inside a list). */
  valuePath?: string[];
}

type Def = { type: string; innerType?: z.ZodType; defaultValue?: unknown; out?: z.ZodType; in?: z.ZodType; element?: z.ZodType; valueType?: z.ZodType; shape?: Record<string, z.ZodType> };
const defOf = (s: z.ZodType) => (s as unknown as { _zod: { def: Def } })._zod.def;

/** What a leaf accepts, from the schema's own JSON Schema (the output side: values after parsing). */
function typeOf(schema: z.ZodType): string {
  const j = z.toJSONSchema(schema, { io: "output", unrepresentable: "any" }) as Record<string, unknown>;
  const one = (s: Record<string, unknown>): string => {
    if (Array.isArray(s.enum)) return s.enum.length > 8 ? `one of ${s.enum.length} names (${s.enum.slice(0, 2).map((v) => `\`${v}\``).join(", ")}, …)` : s.enum.map((v) => `\`${JSON.stringify(v)}\``).join(" \\| ");
    if (s.const !== undefined) return `\`${JSON.stringify(s.const)}\``;
    if (Array.isArray(s.anyOf)) return [...new Set((s.anyOf as Record<string, unknown>[]).map(one).filter(Boolean))].join(" \\| ");
    const range = s.minimum !== undefined || s.maximum !== undefined ? ` ${s.minimum ?? "…"}–${s.maximum ?? "…"}` : "";
    if (s.type === "array") return `list of ${one((s.items ?? {}) as Record<string, unknown>) || "values"}`;
    if (s.type === "object") return s.additionalProperties && typeof s.additionalProperties === "object" ? `map of ${one(s.additionalProperties as Record<string, unknown>) || "values"}` : "object";
    return s.type ? `${s.type}${range}` : "";
  };
  return one(j) || "any";
}

export function configRows(): ConfigRow[] {
  const sources = fieldSources();
  const rows: ConfigRow[] = [];
  const walk = (schema: z.ZodType, key: string, constant: string, at: string[], valuePath: string[] | undefined, required: boolean, fallback: string): void => {
    let s = schema;
    let def: unknown;
    for (let d = defOf(s); ; d = defOf(s)) {
      if (d.type === "optional" || d.type === "nullable" || d.type === "default" || d.type === "prefault") {
        required = false;
        if (d.type === "default" || d.type === "prefault") def = d.defaultValue;
        s = d.innerType!;
      } else if (d.type === "pipe") s = d.out && defOf(d.out).type !== "transform" ? d.out : d.in!;
      else break;
    }
    const src = sources.get(constant)?.get(at.join("."));
    const doc = src?.doc ?? fallback;
    const d = defOf(s);
    const [inner, innerAt] = src?.ref && src.ref !== constant && sources.has(src.ref) ? [src.ref, []] : [constant, at];
    if (d.type === "object" && d.shape) {
      rows.push({ key, type: "object", required, default: def, doc, valuePath });
      for (const [field, child] of Object.entries(d.shape)) walk(child, `${key}.${field}`, inner, [...innerAt, field], valuePath && [...valuePath, field], true, "");
    } else if (d.type === "array" && d.element && defOf(d.element).type === "object") {
      rows.push({ key, type: "list of entries", required, default: def, doc, valuePath });
      const entry = defOf(d.element);
      for (const [field, child] of Object.entries(entry.shape ?? {})) walk(child, `${key}[].${field}`, inner, [...innerAt, field], undefined, true, "");
    } else if (d.type === "record" && d.valueType && defOf(d.valueType).type === "object") {
      rows.push({ key, type: "map by name", required, default: def, doc, valuePath });
      for (const [field, child] of Object.entries(defOf(d.valueType).shape ?? {})) walk(child, `${key}.<name>.${field}`, inner, [...innerAt, field], undefined, true, "");
    } else rows.push({ key, type: typeOf(s), required, default: def, doc, valuePath });
  };
  for (const [name, schema] of Object.entries(sections)) walk(schema as z.ZodType, `platform:${name}`, "sections", [name], [name], true, SECTION_DOCS[name as keyof typeof SECTION_DOCS]);
  return rows;
}

/** Each committed stack's validated config (project defaults, its stack file, the schema's defaults). */
function stackValues(): [string, Record<string, unknown>][] {
  return listStacks(ROOT).map((stack) => {
    const { config } = loadStackConfig(ROOT, stack);
    const raw = Object.fromEntries(Object.entries(config).filter(([k]) => k.startsWith("platform:")));
    const result = validateConfig(raw);
    return [stack, result.ok ? (result.config as Record<string, unknown>) : {}];
  });
}

const cell = (v: unknown): string => {
  if (v === undefined) return "";
  const text = JSON.stringify(v);
  return `\`${text.length > 40 ? `${text.slice(0, 37)}…` : text}\``.replace(/\|/g, "\\|");
};

export function configReference(): string {
  const stacks = stackValues();
  const at = (config: Record<string, unknown>, p: string[]) => p.reduce<unknown>((o, k) => (o && typeof o === "object" ? (o as Record<string, unknown>)[k] : undefined), config);
  const head = [
    "<!-- generated by `npm run config:docs` from config/schema.ts; tests/config-docs.test.ts fails when it is stale -->",
    "# Configuration reference",
    "",
    "Every key a stack file (`Pulumi.<stack>.yaml`, over the project defaults in `Pulumi.yaml`) may set, under",
    "the `platform:` namespace. A key set in a stack file replaces the project default **as a whole**",
    "(objects are not merged). Unknown keys are refused; every problem is listed with its key before",
    "anything is created (`npm run plan` exits 1). Types and limits are the ones the schema enforces;",
    "the rules that span keys (prod's invariants, references between entries) are in `config/crossChecks.ts`",
    "and `config/standby.ts`. The last columns show what each committed stack ends up with.",
    "",
    `| key | type | required | default | what it is | ${stacks.map(([s]) => s).join(" | ")} |`,
    `|---|---|---|---|---|${stacks.map(() => "---|").join("")}`,
  ];
  const rows = configRows().map((r) => {
    const values = stacks.map(([, c]) => (r.valuePath && !["object", "list of entries", "map by name"].includes(r.type) ? cell(at(c, r.valuePath)) : ""));
    return `| \`${r.key}\` | ${r.type} | ${r.required ? "yes" : ""} | ${cell(r.default)} | ${r.doc.replace(/\|/g, "\\|")} | ${values.join(" | ")} |`;
  });
  return [...head, ...rows, ""].join("\n");
}

if (require.main === module) {
  fs.mkdirSync(path.dirname(CONFIG_DOC), { recursive: true });
  fs.writeFileSync(CONFIG_DOC, configReference());
  console.log(`${path.relative(ROOT, CONFIG_DOC)}: ${configRows().length} keys written`);
}
