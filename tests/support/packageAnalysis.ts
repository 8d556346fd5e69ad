/**
 * The TypeScript-heavy work of the package's tests, in one child process (tests/inChild.ts) so
 * it runs beside the other tests: the args reference (tools/argsReference.ts), the schema the
 * SDK's analyzer derives, and the analyzer's refusal of a bad component. Each builds a TypeScript
 * program over the package and the provider SDKs' 50 MB of declarations; they share one parse
 * of every file and skip the dependencies' doc comments (`shareParsedFiles`), which takes the
 * three from about 15 to 6.5 CPU seconds with the same results.
 */
import * as fs from "fs";
import * as path from "path";
import type * as TS from "typescript";
import { argsFields } from "../../tools/argsReference";

const ROOT = path.resolve(__dirname, "..", "..");
export const PACKAGE_DIR = path.join(ROOT, "components");

export interface PackageAnalysis {
  reference: ReturnType<typeof argsFields>;
  schema: unknown;
  /** The analyzer's error for args with an unnamed string union ("" if it accepted them). */
  unnamedUnionError: string;
}

export async function analyzePackage(): Promise<PackageAnalysis> {
  shareParsedFiles();
  const reference = argsFields();
  return { reference, schema: await componentSchema(), unnamedUnionError: unnamedUnionError() };
}

/**
 * Every `ts.createProgram({ rootNames, options })` of this process (ours and the SDK analyzer's)
 * gets a compiler host that parses each file once: a source file is reused when its name and
 * parse settings match, as TypeScript's own document registry does between programs. Files do
 * not change while the tests run. TypeScript's exports cannot be reassigned, so `require` hands
 * out a copy whose `createProgram` is this one (everything else is the real module's).
 */
function shareParsedFiles(): void {
  /* eslint-disable @typescript-eslint/no-require-imports */
  const ts = require("typescript") as typeof TS;
  const Module = require("module") as { _load: (request: string, ...rest: unknown[]) => unknown };
  /* eslint-enable @typescript-eslint/no-require-imports */
  const parsed = new Map<string, TS.SourceFile | undefined>();
  const createProgram = (options: TS.CreateProgramOptions) => {
    const host = ts.createCompilerHost(options.options);
    const parse = host.getSourceFile.bind(host);
    host.getSourceFile = (fileName, settings, onError, shouldCreate) => {
      const given = typeof settings === "object" ? settings : { languageVersion: settings };
      // Doc comments are read from the package's own files only; a dependency's are never shown.
      const s = fileName.includes("/node_modules/") ? { ...given, jsDocParsingMode: ts.JSDocParsingMode.ParseNone } : given;
      const key = `${fileName}\0${s.languageVersion}\0${s.impliedNodeFormat}\0${s.jsDocParsingMode}`;
      if (!parsed.has(key)) parsed.set(key, parse(fileName, s, onError, shouldCreate));
      return parsed.get(key);
    };
    return ts.createProgram({ ...options, host: options.host ?? host });
  };
  const shared = Object.create(ts, { createProgram: { value: createProgram } });
  const load = Module._load;
  Module._load = function (this: unknown, ...args) {
    const m = load.apply(this, args);
    return m === ts ? shared : m;
  };
}

/**
 * The package's schema, as `pulumi package get-schema ./components` would produce it: what the
 * Node.js language host serves for the components the main module exports.
 */
async function componentSchema(): Promise<unknown> {
  /* eslint-disable @typescript-eslint/no-require-imports */
  const { ComponentProvider } = require("@pulumi/pulumi/provider/experimental") as typeof import("@pulumi/pulumi/provider/experimental");
  const components = require("@platform/components") as typeof import("@platform/components");
  /* eslint-enable @typescript-eslint/no-require-imports */
  const provider = new ComponentProvider({
    components: [components.Network, components.Data, components.Compute, components.Delivery, components.Edge, components.Observability],
    // What the language host derives from the package name @platform/components.
    name: "components",
    namespace: "platform",
    dirname: PACKAGE_DIR,
  });
  return JSON.parse(await provider.getSchema());
}

function unnamedUnionError(): string {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { Analyzer } = require("@pulumi/pulumi/provider/experimental/analyzer") as typeof import("@pulumi/pulumi/provider/experimental/analyzer");
  const dir = fs.mkdtempSync(path.join(ROOT, ".schema-"));
  try {
    fs.writeFileSync(path.join(dir, "package.json"), JSON.stringify({ name: "bad", version: "0.0.0", main: "index.ts" }));
    const compilerOptions = { strict: true, target: "ES2022", module: "node16", moduleResolution: "node16", types: ["node"] };
    fs.writeFileSync(path.join(dir, "tsconfig.json"), JSON.stringify({ compilerOptions, files: ["index.ts"] }));
    fs.writeFileSync(
      path.join(dir, "index.ts"),
      `import * as pulumi from "@pulumi/pulumi";\nexport interface BadArgs { layout: "full" | "isolatedOnly" }\nexport class Bad extends pulumi.ComponentResource {\n  constructor(name: string, args: BadArgs, opts?: pulumi.ComponentResourceOptions) { super("bad:index:Bad", name, {}, opts); void args; }\n}\n`,
    );
    new Analyzer(dir, "bad", { name: "bad" }, new Set(["Bad"])).analyze();
    return "";
  } catch (err) {
    return (err as Error).message;
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}
