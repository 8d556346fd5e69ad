// Bundles the migration gate's Lambda handler once, at package build time, so a consumer needs
// neither esbuild nor the AWS SDK to plan: Migrations ships dist/compute/migration-gate/bundle.js.
// The working directory is the folder above the package so the bundle's path comments, and so
// the Lambda's code hash, stay what the program deployed before the components became a package.
import { buildSync } from "esbuild";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";

const pkg = resolve(dirname(fileURLToPath(import.meta.url)), "..");
buildSync({
  entryPoints: [join(pkg, "compute", "migration-gate", "handler.ts")],
  outfile: join(pkg, "dist", "compute", "migration-gate", "bundle.js"),
  absWorkingDir: resolve(pkg, ".."),
  bundle: true,
  platform: "node",
  target: "node24", // the Lambda runtime, GATE_RUNTIME in compute/migrations.ts
  format: "cjs",
  legalComments: "none",
  logLevel: "warning",
});
