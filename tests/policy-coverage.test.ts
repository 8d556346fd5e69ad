import { strict as assert } from "assert";
import * as fs from "fs";
import { PeerList, loadPeers, matrixProblems, tally } from "../policy/coverage/matrix";
import { policies } from "../policy/rules";
import { DOC, coverageDoc } from "../tools/policy/coverageDocs";

const RULES = new Set(policies.map((p) => p.name));
const copy = (peers: PeerList[]) => JSON.parse(JSON.stringify(peers)) as PeerList[];

describe("Policy coverage matrix (policy/coverage/*.json, docs/policy-coverage.md)", () => {
  const peers = loadPeers();

  it("has the three peer lists, each with its source commit and read date, and a row for every check", () => {
    assert.deepEqual(peers.map((p) => p.peer), ["checkov", "cdk-nag", "Security Hub FSBP"]);
    for (const p of peers) assert.match(p.source.commit, /^[0-9a-f]{40}$/, p.peer);
    // The lists as read on 2026-12-01; a re-read that loses checks must say so here.
    assert.deepEqual(peers.map((p) => p.checks.length), [455, 131, 289]);
    assert.deepEqual(matrixProblems(peers, RULES), []);
  });

  it("fails on a check without a row, and on a row naming a rule the pack does not have", () => {
    const broken = copy(peers);
    delete broken[1].checks[3].rules;
    broken[2].checks[0].status = undefined;
    broken[0].checks[0].rules = ["no-such-rule"];
    assert.deepEqual(matrixProblems(broken, RULES), [
      `checkov ${peers[0].checks[0].id}: names rule no-such-rule, which the pack does not have`,
      `cdk-nag ${peers[1].checks[3].id}: no row (neither a rule nor a reason)`,
      `Security Hub FSBP ${peers[2].checks[0].id}: no row (neither a rule nor a reason)`,
    ]);
  });

  it("maps every check that applies to a rule: a row left as a gap is refused", () => {
    const broken = copy(peers);
    const row = broken[0].checks.find((c) => c.status)!;
    row.status = "gap" as never;
    assert.deepEqual(matrixProblems(broken, RULES), [`checkov ${row.id}: applies and no rule covers it (gap): write the rule, or say why the check does not apply`]);
  });

  it("gives a reason with every row that has no rule", () => {
    const broken = copy(peers);
    const row = broken[0].checks.find((c) => c.status)!;
    row.why = " ";
    assert.deepEqual(matrixProblems(broken, RULES), [`checkov ${row.id}: reason ${row.status} without a why`]);
  });

  it("a covered row says in a note where its rules pass what the peer refuses; a note elsewhere, or blank, is refused", () => {
    const broken = copy(peers);
    const status = broken[0].checks.find((c) => c.status)!;
    status.note = "differs";
    const covered = broken[1].checks.find((c) => c.rules?.length && !c.note)!;
    covered.note = " ";
    const why = broken[2].checks.find((c) => c.rules?.length && !c.note)!;
    why.why = "a reason on a covered row";
    assert.deepEqual(matrixProblems(broken, RULES), [
      `checkov ${status.id}: a note belongs to a covered row and says where its rules differ from the peer`,
      `cdk-nag ${covered.id}: a note belongs to a covered row and says where its rules differ from the peer`,
      `Security Hub FSBP ${why.id}: a covered row says where it differs from the peer in a note, not a why`,
    ]);
  });

  it("the rows whose rules pass something the peer refuses carry a note, shown after their rules", () => {
    const noted = Object.fromEntries(peers.flatMap((p) => p.checks.filter((c) => c.note).map((c) => [c.id, c.note!])));
    for (const id of ["CKV2_AWS_44", "CKV_AWS_213", "CKV_AWS_312", "CKV_AWS_272", "CKV_AWS_355", "CKV_AWS_356", "AwsSolutions-N1", "Neptune.9"]) assert.ok(noted[id]?.trim(), `${id} has no note`);
    assert.match(coverageDoc(), /\| CKV_AWS_213 \| [^|]+ \| `elb-policy-secure-protocols` \(differs: checkov fails a Protocol-SSLv3/);
  });

  it("docs/policy-coverage.md is what npm run policy:coverage writes, with the counts per list", () => {
    assert.equal(fs.readFileSync(DOC, "utf8"), coverageDoc(), "docs/policy-coverage.md is stale: run npm run policy:coverage");
    for (const p of peers) assert.ok(coverageDoc().includes(`| ${p.peer} |`) && coverageDoc().includes(`| ${p.checks.length} | ${tally(p).covered} |`), p.peer);
  });

  it("the README links the coverage document", () => {
    assert.match(fs.readFileSync(DOC.replace(/docs\/policy-coverage\.md$/, "README.md"), "utf8"), /\(docs\/policy-coverage\.md\)/);
  });
});
