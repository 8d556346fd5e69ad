/**
 * ALB rule priorities, derived from the paths alone so they do not move when services are
 * reordered in config: more specific patterns first (deeper paths, then alphabetical), the
 * catch-all `/*` last. One rule per service (ECS blue/green names one production rule).
 */

export interface Route {
  service: string;
  /** Path patterns of the rule (ALB allows 5 values per condition). */
  paths: string[];
  priority: number;
}

const FIRST_PRIORITY = 100;
const STEP = 10;
/** The catch-all rule sits at the end of the 1..50000 range, below anything added later. */
export const CATCH_ALL_PRIORITY = 50000;

export function routes(services: { name: string; paths: string[] }[]): Route[] {
  const keyed = services.map((s) => ({ service: s.name, paths: [...s.paths].sort(bySpecificity) }));
  const catchAll = keyed.filter((r) => r.paths.includes("/*"));
  if (catchAll.length > 1) throw new Error(`only one service may own /*: ${catchAll.map((r) => r.service).join(", ")}`);
  const specific = keyed.filter((r) => !r.paths.includes("/*")).sort((a, b) => bySpecificity(a.paths[0], b.paths[0]));
  return [
    ...specific.map((r, i) => ({ ...r, priority: FIRST_PRIORITY + i * STEP })),
    ...catchAll.map((r) => ({ ...r, priority: CATCH_ALL_PRIORITY })),
  ];
}

function bySpecificity(a: string, b: string): number {
  const depth = (p: string) => p.split("/").length;
  return depth(b) - depth(a) || (a < b ? -1 : a > b ? 1 : 0);
}
