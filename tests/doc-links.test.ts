/**
 * The README is the front door: every page under docs/ (and the harness's README) is reachable
 * from it, and every relative link in those pages points at a file that exists and, with an
 * anchor, at a heading of that file (GitHub's anchors: lower case, punctuation dropped, spaces to
 * hyphens).
 */
import { strict as assert } from "assert";
import * as fs from "fs";
import * as path from "path";

const ROOT = path.resolve(__dirname, "..");
const PAGES = ["README.md", "tools/plan/README.md", ...walk("docs")];

function walk(dir: string): string[] {
  return fs.readdirSync(path.join(ROOT, dir), { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? walk(path.join(dir, e.name)) : e.name.endsWith(".md") ? [path.join(dir, e.name)] : []));
}

export function anchorOf(heading: string): string {
  return heading.trim().toLowerCase().replace(/[^\p{L}\p{N}\s_-]/gu, "").replace(/\s/g, "-");
}

function anchors(file: string): Set<string> {
  const text = fs.readFileSync(path.join(ROOT, file), "utf8").replace(/```[\s\S]*?```/g, "");
  return new Set([...text.matchAll(/^#+ (.+)$/gm)].map((m) => anchorOf(m[1])));
}

/** Every relative link of a page that does not resolve: `page: target`. */
export function brokenLinks(page: string, text = fs.readFileSync(path.join(ROOT, page), "utf8")): string[] {
  const broken: string[] = [];
  for (const [, target] of text.replace(/```[\s\S]*?```/g, "").matchAll(/\]\(([^)\s]+)\)/g)) {
    if (/^[a-z]+:/.test(target)) continue;
    const [file, anchor] = target.split("#");
    const resolved = file ? path.normalize(path.join(path.dirname(page), file)) : page;
    if (resolved.startsWith("..")) continue; // ../shared, beside the repository
    if (!fs.existsSync(path.join(ROOT, resolved))) broken.push(`${page}: ${target}`);
    else if (anchor && resolved.endsWith(".md") && !anchors(resolved).has(anchor)) broken.push(`${page}: ${target} (no such heading)`);
  }
  return broken;
}

describe("documentation links", () => {
  it("every page under docs/ and the harness's README is linked from the README", () => {
    const readme = fs.readFileSync(path.join(ROOT, "README.md"), "utf8");
    const linked = new Set([...readme.matchAll(/\]\(([^)#\s]+)/g)].map((m) => path.normalize(m[1])));
    const unlinked = PAGES.filter((p) => p !== "README.md" && !linked.has(p));
    assert.deepEqual(unlinked, []);
  });

  it("every relative link resolves to a file and, with an anchor, to one of its headings", () => {
    assert.deepEqual(PAGES.flatMap((p) => brokenLinks(p)), []);
    // The check can fail: a link to a missing page and one to a missing heading are caught.
    assert.deepEqual(brokenLinks("README.md", "[a](docs/nope.md) [b](docs/cost.md#no-such-heading) [c](docs/cost.md)"), ["README.md: docs/nope.md", "README.md: docs/cost.md#no-such-heading (no such heading)"]);
  });
});
