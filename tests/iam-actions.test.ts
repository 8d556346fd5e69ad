import { strict as assert } from "assert";
import { actionProblem, conditionKeyProblem, iamProblems, policyDocuments } from "../tools/plan/iamCheck";
import { STACKS, stack } from "./support/stacks";

describe("IAM actions and condition keys exist (an unknown one grants nothing, silently)", () => {
  it("knows real actions, wildcards that match something, and global, service and OIDC condition keys", async () => {
    for (const ok of ["ecs:UpdateService", "kms:Encrypt*", "s3:*", "*", "support:DescribeTrustedAdvisor*"]) assert.equal(await actionProblem(ok), undefined, ok);
    for (const ok of ["aws:SourceArn", "AWS:SourceArn", "kms:ViaService", "kms:EncryptionContext:aws:logs:arn", "ecs:cluster", "token.actions.githubusercontent.com:sub"]) {
      assert.equal(await conditionKeyProblem(ok), undefined, ok);
    }
  });

  it("names a misspelt action, a wildcard that matches nothing, an unknown service and a misspelt condition key", async () => {
    assert.equal(await actionProblem("ecs:UpdateServices"), '"ecs:UpdateServices" matches no ecs action');
    assert.equal(await actionProblem("s3:GetObjct*"), '"s3:GetObjct*" matches no s3 action');
    assert.equal(await actionProblem("elasticcache:Describe*"), '"elasticcache:Describe*": IAM has no service prefix "elasticcache"');
    assert.equal(await actionProblem("ecs UpdateService"), '"ecs UpdateService" is not of the form service:Action');
    assert.match((await conditionKeyProblem("aws:SourceAcount")) ?? "", /condition key "aws:SourceAcount" is neither/);
  });

  for (const name of STACKS) {
    it(`${name}: every action and condition key of every policy document is in the catalogue`, async function () {
      this.timeout(60000);
      const q = await stack(name);
      assert.ok(policyDocuments(q.graph).length > 20, "policy documents were found");
      assert.deepEqual(await iamProblems(q.graph), []);
    });
  }

  it("finds the misspelling inside a stack's real policy, with where it is", async () => {
    const q = await stack("dev");
    const role = q.named("aws:iam/rolePolicy:RolePolicy", "compute-ci-application");
    const broken = { ...role, inputs: { ...role.inputs, policy: String(role.inputs.policy).replace('"ecs:UpdateService"', '"ecs:UpdateServices"') } };
    assert.notEqual(broken.inputs.policy, role.inputs.policy);
    const problems = await iamProblems({ ...q.graph, resources: q.resources.map((r) => (r === role ? broken : r)) });
    assert.deepEqual(problems, ['aws:iam/rolePolicy:RolePolicy compute-ci-application policy statement DeployServices: "ecs:UpdateServices" matches no ecs action']);
  });
});
