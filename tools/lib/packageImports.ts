/**
 * The package boundary: a file under `components/` may import its own package's files, Node's
 * built-ins and npm packages, never the program around it (config/, program/, tools/, tests/,
 * index.ts). `npm test` runs this over the package (tests/components-package.test.ts).
 */
import * as fs from "fs";
import * as path from "path";

const IMPORT = /(?:^|[\s;])(?:import|export)\s[^;]*?from\s+["']([^"']+)["']|(?<![.\w$])require\(\s*["']([^"']+)["']\s*\)|import\(\s*["']([^"']+)["']\s*\)/g;

/** Module specifiers a TypeScript file imports, re-exports or requires. */
export function importsOf(text: string): string[] {
  return [...text.matchAll(IMPORT)].map((m) => m[1] ?? m[2] ?? m[3]);
}

/** `file:spec` for each relative import in `files` that leaves `packageDir`. */
export function boundaryProblems(packageDir: string, files: Record<string, string>): string[] {
  const root = path.resolve(packageDir);
  return Object.entries(files).flatMap(([file, text]) =>
    importsOf(text)
      .filter((spec) => spec.startsWith("."))
      .filter((spec) => path.relative(root, path.resolve(path.dirname(file), spec)).startsWith(".."))
      .map((spec) => `${path.relative(root, file)} imports ${spec}, outside the package`),
  );
}

/** Every TypeScript source file of the package (build output and dependencies excluded). */
export function packageSources(packageDir: string): Record<string, string> {
  const out: Record<string, string> = {};
  const walk = (dir: string) => {
    for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
      if (["dist", "node_modules"].includes(entry.name)) continue;
      const full = path.join(dir, entry.name);
      if (entry.isDirectory()) walk(full);
      else if (/\.(ts|mts|cts|mjs|js)$/.test(entry.name)) out[full] = fs.readFileSync(full, "utf8");
    }
  };
  walk(packageDir);
  return out;
}
