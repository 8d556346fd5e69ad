import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { PROJECT_DIR } from "../../tools/plan/evaluate";
import { plan } from "./command";

/**
 * A throw-away copy of the whole program (node_modules linked, not copied) with `edits` applied
 * to its files' text, for end-to-end tests of a bad change: each edit must change its file.
 */
export function programCopy(edits: Record<string, (text: string) => string>): { dir: string; remove: () => void } {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "platform-copy-"));
  for (const entry of fs.readdirSync(PROJECT_DIR)) {
    if ([".git", "node_modules", ".plan-cache"].includes(entry)) continue;
    fs.cpSync(path.join(PROJECT_DIR, entry), path.join(dir, entry), { recursive: true, filter: (src) => !path.relative(PROJECT_DIR, src).split(path.sep).includes("node_modules") });
  }
  fs.symlinkSync(path.join(PROJECT_DIR, "node_modules"), path.join(dir, "node_modules"));
  for (const [file, edit] of Object.entries(edits)) {
    const target = path.join(dir, file);
    const before = fs.readFileSync(target, "utf8");
    const after = edit(before);
    if (after === before) throw new Error(`programCopy: the edit of ${file} changed nothing (has the code moved?)`);
    fs.writeFileSync(target, after);
  }
  return { dir, remove: () => fs.rmSync(dir, { recursive: true, force: true }) };
}

/** `npm run plan` of a program copy: exit code and output, never a rejection. */
export const planCopy = (dir: string, args: string[]) => plan(args, dir);
