/**
 * The components' args reference, generated from their doc comments: `npm run components:docs`
 * writes components/REFERENCE.md, and tests/components-docs.test.ts fails when a field has no
 * doc comment or the file is stale. Every args interface of a component, and every interface or
 * object type of the package those fields use, gets a table of its fields.
 */
import * as fs from "fs";
import * as path from "path";
import type * as TS from "typescript";

/** TypeScript itself, loaded only to build the program (checking and rendering a reference do not need it). */
// eslint-disable-next-line @typescript-eslint/no-require-imports
const typescript = () => require("typescript") as typeof TS;

export const PACKAGE_DIR = path.resolve(__dirname, "..", "components");
export const REFERENCE = path.join(PACKAGE_DIR, "REFERENCE.md");

export interface Field {
  owner: string;
  name: string;
  type: string;
  optional: boolean;
  doc: string;
  /** The `@default` of the doc comment, as written (JSON: what the component applies). */
  default?: string;
}

/** The package's entry points: the barrel (the component provider's), then each component's own. */
export const ENTRY_POINTS = ["index.ts", ...["network", "data", "compute", "edge", "observability"].map((e) => path.join(e, "index.ts"))].map((f) => path.join(PACKAGE_DIR, f));

/**
 * Fields of the args of every component the package exports (from any entry point), and of the
 * package's types they use, in reading order.
 */
export function argsFields(entries = ENTRY_POINTS): { components: { name: string; args: string }[]; fields: Field[] } {
  const ts = typescript();
  const config = ts.getParsedCommandLineOfConfigFile(path.join(PACKAGE_DIR, "tsconfig.json"), {}, { ...ts.sys, onUnRecoverableConfigFileDiagnostic: () => undefined })!;
  const program = ts.createProgram({ rootNames: entries, options: { ...config.options, noEmit: true } });
  const checker = program.getTypeChecker();
  const inPackage = (d: TS.Declaration) => {
    const file = d.getSourceFile().fileName;
    return file.startsWith(PACKAGE_DIR) && !file.includes("node_modules") && !file.includes(`${path.sep}dist${path.sep}`);
  };
  const components: { name: string; args: string }[] = [];
  const fields: Field[] = [];
  const seen = new Set<string>();

  const visit = (owner: string, type: TS.Type) => {
    if (seen.has(owner)) return;
    seen.add(owner);
    const nested: [string, TS.Type][] = [];
    for (const prop of checker.getPropertiesOfType(type)) {
      const decl = prop.valueDeclaration ?? prop.declarations?.[0];
      if (!decl || !inPackage(decl)) continue;
      const propType = checker.getTypeOfSymbolAtLocation(prop, decl);
      const doc = ts.displayPartsToString(prop.getDocumentationComment(checker)).replace(/\s+/g, " ").trim();
      const fallback = prop.getJsDocTags(checker).find((t) => t.name === "default");
      fields.push({
        owner,
        name: prop.name,
        type: typeText(checker, propType),
        optional: (prop.flags & ts.SymbolFlags.Optional) !== 0,
        doc,
        ...(fallback ? { default: ts.displayPartsToString(fallback.text).trim() } : {}),
      });
      for (const t of [propType, ...(propType.isUnion() ? propType.types : [])]) {
        const element = checker.isArrayType(t) ? checker.getTypeArguments(t as TS.TypeReference)[0] : t;
        if (!(element.flags & ts.TypeFlags.Object) && !element.isIntersection()) continue;
        // Classes (resources, providers) are referenced, not described.
        if (checker.getSignaturesOfType(element, ts.SignatureKind.Construct).length || element.getSymbol()?.valueDeclaration && ts.isClassDeclaration(element.getSymbol()!.valueDeclaration!)) continue;
        const own = checker.getPropertiesOfType(element).filter((p) => p.declarations?.some(inPackage));
        if (!own.length) continue;
        const sym = element.aliasSymbol ?? element.getSymbol();
        const d = sym?.declarations?.[0];
        const named = d && inPackage(d) && !element.isIntersection() && (ts.isInterfaceDeclaration(d) || ts.isTypeAliasDeclaration(d));
        nested.push([named ? sym!.name : `${owner}.${prop.name}`, element]);
      }
    }
    nested.forEach(([n, t]) => visit(n, t));
  };

  for (const sym of entries.flatMap((entry) => checker.getExportsOfModule(checker.getSymbolAtLocation(program.getSourceFile(entry)!)!))) {
    const target = sym.flags & ts.SymbolFlags.Alias ? checker.getAliasedSymbol(sym) : sym;
    const decl = target.valueDeclaration;
    if (!decl || !ts.isClassDeclaration(decl)) continue;
    const ctor = decl.members.find(ts.isConstructorDeclaration);
    const argsParam = ctor?.parameters.find((p) => p.name.getText() === "args");
    if (!argsParam?.type) continue;
    const argsType = checker.getTypeFromTypeNode(argsParam.type);
    const argsName = argsParam.type.getText();
    if (components.some((c) => c.name === target.name)) continue;
    components.push({ name: target.name, args: argsName });
    visit(argsName, argsType);
  }
  return { components, fields };
}

/** A field's type as a reader needs it: the values of a string enum, otherwise TypeScript's own text. */
function typeText(checker: TS.TypeChecker, type: TS.Type): string {
  const ts = typescript();
  const literal = (t: TS.Type) => t.isStringLiteral() || (t.flags & ts.TypeFlags.Undefined) !== 0;
  if (type.isUnion() && type.types.every(literal) && type.types.some((t) => t.isStringLiteral())) {
    // Values first, then `undefined` (an optional field's), as a reader scans them.
    const values = type.types.filter((t) => t.isStringLiteral()).map((t) => JSON.stringify((t as TS.StringLiteralType).value));
    return [...values, ...(type.types.some((t) => !t.isStringLiteral()) ? ["undefined"] : [])].join(" | ");
  }
  return checker.typeToString(type, undefined, ts.TypeFormatFlags.NoTruncation);
}

/** `Owner.field` of each `@default` that is not on an optional field, or is not JSON. */
export function misplacedDefaults(fields: Field[]): string[] {
  return fields.flatMap((f) => {
    if (f.default === undefined) return [];
    if (!f.optional) return [`${f.owner}.${f.name}: @default on a required field`];
    try {
      JSON.parse(f.default);
      return [];
    } catch {
      return [`${f.owner}.${f.name}: @default ${f.default} is not JSON`];
    }
  });
}

/** `Owner.field` of each field with no doc comment. */
export function undocumented(fields: Field[]): string[] {
  return fields.filter((f) => !f.doc).map((f) => `${f.owner}.${f.name}`);
}

export function renderReference(r: ReturnType<typeof argsFields>): string {
  const cell = (s: string) => s.replace(/\|/g, "\\|");
  const lines = [
    "# @platform/components: args reference",
    "",
    "Generated from the doc comments by `npm run components:docs`; do not edit by hand. A field with a",
    "default (`@default` in its doc comment) is optional: the component applies the default when the field is",
    "left out. Other optional fields say in their doc what leaving them out means.",
    "",
    ...r.components.map((c) => `- \`${c.name}\` takes [\`${c.args}\`](#${c.args.toLowerCase()})`),
  ];
  const owners = [...new Set(r.fields.map((f) => f.owner))];
  for (const owner of owners) {
    lines.push("", `## ${owner}`, "", "| field | type | default | doc |", "|---|---|---|---|");
    for (const f of r.fields.filter((x) => x.owner === owner)) {
      lines.push(`| \`${f.name}${f.optional ? "?" : ""}\` | \`${cell(f.type)}\` | ${f.default === undefined ? "" : `\`${cell(f.default)}\``} | ${cell(f.doc)} |`);
    }
  }
  return lines.join("\n") + "\n";
}

if (require.main === module) {
  const r = argsFields();
  fs.writeFileSync(REFERENCE, renderReference(r));
  const missing = [...undocumented(r.fields), ...misplacedDefaults(r.fields)];
  console.log(`components/REFERENCE.md: ${r.components.length} components, ${r.fields.length} fields${missing.length ? `; ${missing.length} without a doc comment or with a misplaced @default:\n  ${missing.join("\n  ")}` : ""}`);
  process.exitCode = missing.length ? 1 : 0;
}
