// Syntax-level lint only (no type-aware rules): `tsc --noEmit` already type-checks, and
// type-aware linting would double the cost of `npm test` on a 2-core machine.
import js from "@eslint/js";
import tseslint from "typescript-eslint";

export default tseslint.config(
  { ignores: ["**/node_modules/**", "bin/**", "**/dist/**"] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    rules: {
      "@typescript-eslint/no-unused-vars": ["error", { argsIgnorePattern: "^_", ignoreRestSiblings: true }],
      "no-console": "off",
      eqeqeq: ["error", "always"],
    },
  },
);
