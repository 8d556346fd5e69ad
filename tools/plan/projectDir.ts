import * as path from "path";
import { findUp } from "./compile.cjs";

/** The repository root: found from here, so it is the same in the sources and in a compiled bundle. */
export const PROJECT_DIR = findUp(__dirname, path.join("tools", "plan", "worker.ts"));
