import { strict as assert } from "assert";
import { policies } from "../policy/rules";
import * as fs from "fs";
import * as path from "path";
import { ROTATED_BY_TAG, rotationRunbook } from "../policy/rules/dataMessaging";
import { statements } from "../policy/rules/lib";
import { SETTINGS_RULES, rowsOf } from "../policy/rules/settings";
import { rowFixtures, rowProblem } from "../policy/rules/settings/engine";
import { PlanGraph } from "../tools/plan/graph";
import { runPolicies } from "../tools/plan/policy";
import { ruleCaseSpecs } from "./support/caseSpecs";
import { DATA_MESSAGING_CASES } from "./support/policyDataMessagingCases";
import { stack } from "./support/stacks";

/**
 * The data, messaging and secrets rules (policy/rules/dataMessaging.ts) as one small Pulumi
 * program through the plan's harness (tests/support/caseSpecs.ts); each message names the
 * resource (or the property) and what was expected.
 */
describe("Policy pack: the data, messaging and secrets rules, each failing and passing in a program", function () {
  this.timeout(120000);
  const program = ruleCaseSpecs("policy-data-messaging", DATA_MESSAGING_CASES, /(topic|secret|cluster|domain) \S+|abortIncompleteMultipartUpload|checkpoint/);

  it("prod-neptune-multi-az does not apply outside prod", async () => {
    const result = await program;
    assert.ok(result.ok);
    if (!result.ok) return;
    const rule = policies.find((p) => p.name === "prod-neptune-multi-az")!;
    const failing = { ...result.graph, resources: result.graph.resources.filter((r) => r.kind === "provider" || r.name.startsWith("prod-neptune-multi-az--fail-")) };
    assert.deepEqual((await runPolicies(failing, {}, [rule])).violations, []);
  });
});

describe("Policy pack: search-domain-default-sg knows a VPC's default group from the VPC itself", () => {
  // A VPC's default group is an output (known once it exists), so a hand-built graph stands for the deployed stack.
  const graph = (vpc: { type: string; outputs: Record<string, unknown> }, groups: string[]): PlanGraph =>
    ({
      project: "p",
      stack: "t",
      outputs: {},
      resources: [
        { urn: "urn:pulumi:t::p::vpc", type: vpc.type, name: "vpc", kind: vpc.type.startsWith("awsx:") ? "remote" : "custom", inputs: {}, outputs: vpc.outputs, options: {} },
        { urn: "urn:pulumi:t::p::aws:opensearch/domain:Domain::search", type: "aws:opensearch/domain:Domain", name: "search", kind: "custom", inputs: { vpcOptions: { subnetIds: ["subnet-1"], securityGroupIds: groups } }, options: {} },
      ],
    }) as unknown as PlanGraph;
  const rule = policies.find((p) => p.name === "search-domain-default-sg")!;
  for (const vpc of [{ type: "aws:ec2/vpc:Vpc", outputs: { defaultSecurityGroupId: "sg-default" } }, { type: "awsx:ec2:Vpc", outputs: { vpc: { id: "vpc-1", defaultSecurityGroupId: "sg-default" } } }]) {
    it(`${vpc.type}: refuses a domain in its default group, passes one in its own`, async () => {
      const refused = (await runPolicies(graph(vpc, ["sg-search", "sg-default"]), {}, [rule])).violations;
      assert.deepEqual(refused.map((v) => v.urn), ["urn:pulumi:t::p::aws:opensearch/domain:Domain::search"]);
      assert.match(refused[0].message, /vpcOptions\.securityGroupIds names the VPC's default security group/);
      assert.deepEqual((await runPolicies(graph(vpc, ["sg-search"]), {}, [rule])).violations, []);
    });
  }
});

describe("Policy pack: a settings row conditional on a nested setting (API Gateway cache encryption)", () => {
  const row = rowsOf(SETTINGS_RULES["encryption-at-rest"]).find((r) => r.type === "aws:apigateway/methodSettings:MethodSettings")!;

  it("applies only where caching is on: CKV_AWS_308 and FSBP APIGateway.5", () => {
    assert.deepEqual(row.when, { "settings.cachingEnabled": true });
    assert.match(rowProblem(row, { settings: { cachingEnabled: true } }) ?? "", /settings\.cacheDataEncrypted must be true \(it is not set\)/);
    assert.match(rowProblem(row, { settings: { cachingEnabled: true, cacheDataEncrypted: false } }) ?? "", /must be true, not false/);
    assert.equal(rowProblem(row, { settings: { cachingEnabled: true, cacheDataEncrypted: true } }), undefined);
    // Caching off or unset: nothing is cached, so nothing needs encrypting.
    assert.equal(rowProblem(row, { settings: { cachingEnabled: false, cacheDataEncrypted: false } }), undefined);
    assert.equal(rowProblem(row, { settings: { loggingLevel: "ERROR" } }), undefined);
    assert.equal(rowProblem(row, {}), undefined);
  });

  it("builds its fixtures with the condition met, nested in the same settings object", () => {
    const { pass, fail } = rowFixtures([row]);
    assert.deepEqual(pass.map((p) => p.inputs), [{ settings: { cachingEnabled: true, cacheDataEncrypted: true } }]);
    assert.deepEqual(fail.map((f) => f.inputs), [{ settings: { cachingEnabled: true, cacheDataEncrypted: false } }]);
  });

  it("refuses a DataSync object-storage secret key in plain text (CKV_AWS_295), whatever its value", () => {
    const key = rowsOf(SETTINGS_RULES["identity-settings"]).find((r) => r.type === "aws:datasync/locationObjectStorage:LocationObjectStorage")!;
    assert.equal(rowProblem(key, { accessKey: "user" }), undefined);
    assert.match(rowProblem(key, { secretKey: "[secret]" }) ?? "", /secretKey must be unset/);
  });
});

describe("The platform against these rules: what reaches AWS", function () {
  this.timeout(120000);

  /** The rotated-by values whose runbook is not a file of the repository (or that name none). */
  const missingRunbooks = (values: unknown[]) => values.filter((v) => {
    const runbook = rotationRunbook(v);
    return !runbook || !fs.existsSync(path.resolve(__dirname, "..", runbook));
  });

  it("a rotated-by value's runbook must exist under docs/runbooks/", () => {
    assert.deepEqual(missingRunbooks(["deployment: redeploy - docs/runbooks/rotate-secrets.md"]), []);
    assert.deepEqual(missingRunbooks(["deployment: redeploy - docs/runbooks/no-such-runbook.md", "operator: by hand"]), ["deployment: redeploy - docs/runbooks/no-such-runbook.md", "operator: by hand"]);
  });

  it("every secret of dev, staging and prod says how it is rotated and by which runbook, in characters AWS tag values allow", async () => {
    // https://docs.aws.amazon.com/secretsmanager/latest/apireference/API_TagResource.html: letters, digits, spaces, _ . : / = + - @; 255 at most.
    for (const name of ["dev", "staging", "prod"]) {
      const secrets = (await stack(name)).ofType("aws:secretsmanager/secret:Secret");
      assert.ok(secrets.length >= 4, `${name}: ${secrets.length} secrets`);
      for (const s of secrets) {
        const reason = (s.inputs.tags as Record<string, string> | undefined)?.[ROTATED_BY_TAG];
        assert.match(reason ?? "", /^[\p{L}\p{N} _.:/=+\-@]{1,255}$/u, `${name} ${s.name}: ${reason}`);
        assert.deepEqual(missingRunbooks([reason]), [], `${name} ${s.name} names a runbook that exists`);
      }
    }
  });

  it("each paging topic logs its HTTP/S deliveries through a role SNS assumes, allowed only its own encrypted, expiring log groups", async () => {
    const q = await stack("prod");
    const topics = q.ofType("aws:sns/topic:Topic");
    assert.equal(topics.length, 2, "one paging topic per region");
    for (const t of topics) {
      const role = q.byIdOrArn(t.inputs.httpFailureFeedbackRoleArn)!;
      assert.equal(role?.type, "aws:iam/role:Role");
      assert.equal(t.inputs.httpSuccessFeedbackRoleArn, t.inputs.httpFailureFeedbackRoleArn);
      assert.equal(t.inputs.httpSuccessFeedbackSampleRate, 100);
      assert.deepEqual(statements(role.inputs.assumeRolePolicy).map((s) => s.Principal), [{ Service: ["sns.amazonaws.com"] }]);
      const [policy] = q.ofType("aws:iam/rolePolicy:RolePolicy", (p) => p.inputs.role === role.id);
      const region = t.region;
      const prefix = `sns/${region}/123456789012/${String(t.inputs.name ?? t.id)}`;
      assert.deepEqual(statements(policy.inputs.policy).map((s) => [s.Effect, s.Action.sort(), s.Resource]), [
        ["Allow", ["logs:CreateLogGroup", "logs:CreateLogStream", "logs:PutLogEvents"], [`arn:aws:logs:${region}:123456789012:log-group:${prefix}*`]],
      ]);
      const groups = q.ofType("aws:cloudwatch/logGroup:LogGroup", (g) => String(g.inputs.name).startsWith(prefix));
      assert.deepEqual(groups.map((g) => g.inputs.name).sort(), [prefix, `${prefix}/Failure`]);
      for (const g of groups) {
        assert.equal(g.inputs.kmsKeyId, t.inputs.kmsMasterKeyId, "encrypted with the topic's own key");
        assert.ok(Number(g.inputs.retentionInDays) > 0);
      }
    }
  });

  it("the paging topics' policies keep CloudWatch alarms' publishing and deny plain-HTTP publishing to everyone", async () => {
    const q = await stack("prod");
    for (const t of q.ofType("aws:sns/topic:Topic")) {
      const [policy] = q.ofType("aws:sns/topicPolicy:TopicPolicy", (p) => p.inputs.arn === t.arn);
      const st = statements(policy.inputs.policy);
      assert.ok(st.some((s) => s.Effect === "Allow" && s.Action.includes("sns:Publish") && JSON.stringify(s.Principal) === JSON.stringify({ Service: ["cloudwatch.amazonaws.com"] })));
      assert.ok(st.some((s) => s.Effect === "Deny" && s.Principal === "*" && s.Action.includes("sns:Publish") && s.Condition?.Bool?.["aws:SecureTransport"]?.[0] === "false"));
    }
  });
});
