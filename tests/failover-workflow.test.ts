import { strict as assert } from "assert";
import * as fs from "fs";
import * as path from "path";
import { parse } from "yaml";

type Step = { name?: string; uses?: string; run?: string; with?: Record<string, string>; env?: Record<string, string> };
const FILE = path.resolve(__dirname, "..", ".github", "workflows", "failover.yml");

/**
 * Which region each step of failover.yml needs, and where it reads from. A step nobody has
 * classified fails the test: a new step must say how it runs with the home region gone.
 */
const KINDS: { match: (s: Step) => boolean; region: "none" | "target"; sources: RegExp }[] = [
  // GitHub-hosted: the repository, Node and the npm registry (no AWS region).
  { match: (s) => /^actions\/(checkout|setup-node)@/.test(s.uses ?? ""), region: "none", sources: /^$/ },
  { match: (s) => s.run === "npm ci --no-audit --no-fund", region: "none", sources: /^$/ },
  // STS of the target region.
  { match: (s) => /^aws-actions\/configure-aws-credentials@/.test(s.uses ?? ""), region: "target", sources: /^vars\.FAILOVER_ROLE_ARN_PROD inputs\.to github\.run_id$/ },
  // The outputs from the prod environment's variable (GitHub), not the Pulumi state.
  { match: (s) => s.env?.OUTPUTS !== undefined, region: "none", sources: /^vars\.FAILOVER_OUTPUTS$/ },
  // The command: AWS in the regions it names (the lost one only behind timeouts), Cloudflare's token from a GitHub secret.
  { match: (s) => /npm run --silent failover/.test(s.run ?? ""), region: "target", sources: /^inputs\.to inputs\.mode inputs\.dry-run inputs\.first-started-at secrets\.CLOUDFLARE_FAILOVER_TOKEN$/ },
];

/** Every `${{ … }}` context a step reads (vars, secrets, inputs, github), in order. */
const sources = (s: Step) => [...JSON.stringify({ with: s.with, env: s.env, run: s.run }).matchAll(/\$\{\{\s*([\w.-]+)\s*\}\}/g)].map((m) => m[1]).join(" ");

export function regionProblems(text: string): string[] {
  const w = parse(text) as { jobs: Record<string, { steps: Step[] }> };
  const problems: string[] = [];
  for (const [i, s] of w.jobs.failover.steps.entries()) {
    const label = `step ${i + 1} (${s.name ?? s.uses ?? s.run})`;
    const kind = KINDS.find((k) => k.match(s));
    if (!kind) {
      problems.push(`${label}: not classified: say which region it needs and what it reads`);
      continue;
    }
    if (!kind.sources.test(sources(s))) problems.push(`${label}: reads ${sources(s) || "nothing"}, expected ${kind.sources}`);
    // Nothing may name the home region, its Pulumi backend or state, or the program's own Cloudflare token.
    const body = JSON.stringify(s);
    for (const bad of [/vars\.AWS_REGION/, /PULUMI_BACKEND_URL/, /\bpulumi (login|stack|config)\b/, /us-east-1/, /cloudflare:apiToken/, /--region/]) if (bad.test(body)) problems.push(`${label}: uses ${bad.source.replace(/\\(.)/g, "$1")}, which needs the home region`);
    if (kind.region === "target" && s.with?.["aws-region"] !== undefined && s.with["aws-region"] !== "${{ inputs.to }}") problems.push(`${label}: aws-region ${s.with["aws-region"]}, expected the target region (inputs.to)`);
  }
  return problems;
}

describe("failover workflow: no step needs the primary region", () => {
  const text = fs.readFileSync(FILE, "utf8");

  it("classifies every step: credentials from STS in the target region, outputs and token from GitHub", () => {
    assert.deepEqual(regionProblems(text), []);
  });

  it("fails on a step that needs the home region: its STS, the Pulumi state, or an unclassified step", () => {
    assert.match(regionProblems(text.replace("aws-region: ${{ inputs.to }}", "aws-region: ${{ vars.AWS_REGION }}")).join("\n"), /uses vars\.AWS_REGION, which needs the home region/);
    const withState = text.replace("        run: printf '%s' \"$OUTPUTS\"", '        run: pulumi login "$PULUMI_BACKEND_URL" && printf \'%s\' "$OUTPUTS"');
    assert.match(regionProblems(withState).join("\n"), /PULUMI_BACKEND_URL.*needs the home region/);
    const token = text.replace("secrets.CLOUDFLARE_FAILOVER_TOKEN", "secrets.CLOUDFLARE_API_TOKEN");
    assert.match(regionProblems(token).join("\n"), /reads .*secrets\.CLOUDFLARE_API_TOKEN, expected/);
    const extra = text.replace("      - run: npm ci --no-audit --no-fund\n", "      - run: npm ci --no-audit --no-fund\n      - run: aws s3 cp s3://state/prod.json .\n");
    assert.match(regionProblems(extra).join("\n"), /step 4 \(aws s3 cp s3:\/\/state\/prod\.json \.\): not classified/);
  });
});
