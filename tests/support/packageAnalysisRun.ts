import * as path from "path";
import { early } from "./early";
import { inChild } from "./inChild";
import type { PackageAnalysis } from "./packageAnalysis";

/** The package analysis (tests/packageAnalysis.ts), started when the first spec that needs it loads, in a child process. */
export const packageAnalysis: Promise<PackageAnalysis> = early(() => inChild<PackageAnalysis>(path.join(__dirname, "packageAnalysis.ts"), "analyzePackage"));
