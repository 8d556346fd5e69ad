// Syntax-level lint only (no type-aware rules): `tsc --noEmit` already type-checks, and
// type-aware linting would double the cost of `npm test` on a 2-core machine.
import js from "@eslint/js";
import tseslint from "typescript-eslint";

export default tseslint.config(
  { ignores: ["**/node_modules/**", "bin/**", "**/dist/**", "**/.plan-cache/**"] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    // Plain CommonJS for Node (the command launcher and the compile cache it needs first).
    files: ["**/*.cjs"],
    languageOptions: {
      sourceType: "commonjs",
      globals: Object.fromEntries(["require", "module", "process", "__dirname", "console", "Buffer", "URL", "setTimeout"].map((g) => [g, "readonly"])),
    },
    rules: { "@typescript-eslint/no-require-imports": "off" },
  },
  {
    // Node scripts as ES modules (the components package's build).
    files: ["**/*.mjs"],
    languageOptions: { globals: { process: "readonly", console: "readonly" } },
  },
  {
    rules: {
      "@typescript-eslint/no-unused-vars": ["error", { argsIgnorePattern: "^_", ignoreRestSiblings: true }],
      "no-console": "off",
      eqeqeq: ["error", "always"],
    },
  },
);
