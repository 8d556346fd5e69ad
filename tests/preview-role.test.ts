import { strict as assert } from "assert";
import { evaluateStack } from "../tools/plan/evaluate";
import { INVOKE_NEEDS, invokeGaps } from "../tools/plan/invokePermissions";
import { GraphQuery } from "../tools/plan/query";
import { early } from "./support/early";
import { STACKS, stack } from "./support/stacks";

type Statement = { Sid?: string; Action: string | string[]; Resource: string | string[]; Condition?: Record<string, Record<string, string | string[]>> };
const list = <T>(v: T | T[] | undefined): T[] => (v === undefined ? [] : Array.isArray(v) ? v : [v]);

/** Every statement of every inline policy on the preview role. */
function previewStatements(q: GraphQuery): Statement[] {
  const role = q.named("aws:iam/role:Role", "compute-ci-preview");
  return q
    .ofType("aws:iam/rolePolicy:RolePolicy", (p) => p.inputs.role === role.id)
    .flatMap((p) => list(JSON.parse(String(p.inputs.policy)).Statement as Statement | Statement[]));
}

/** What a refresh of the stack reads that ReadOnlyAccess does not grant: each secret version, and its key through Secrets Manager. */
function refreshGaps(q: GraphQuery): string[] {
  const statements = previewStatements(q);
  const grants = (action: string, resource: string, via?: string) =>
    statements.some(
      (s) =>
        list(s.Action).includes(action) &&
        list(s.Resource).includes(resource) &&
        (!via || list(s.Condition?.StringEquals?.["kms:ViaService"]).includes(via) || list(s.Condition?.StringLike?.["kms:ViaService"]).some((p) => new RegExp(`^${p.replace(/\./g, "\\.").replace(/\*/g, "[^.]+")}$`).test(via))),
    );
  return q.ofType("aws:secretsmanager/secretVersion:SecretVersion").flatMap((version) => {
    const secret = q.byIdOrArn(version.inputs.secretId);
    if (!secret) return [`${version.name}: its secret is not in the graph`];
    const key = String(secret.inputs.kmsKeyId);
    return [
      ...(grants("secretsmanager:GetSecretValue", secret.arn!) ? [] : [`${version.name}: GetSecretValue on ${secret.arn}`]),
      ...(grants("kms:Decrypt", key, `secretsmanager.${secret.region}.amazonaws.com`) ? [] : [`${version.name}: kms:Decrypt on ${key} via Secrets Manager`]),
    ];
  });
}

describe("preview role: exactly what a preview and a refresh need", () => {
  for (const name of STACKS) {
    describe(name, () => {
      it("keeps ReadOnlyAccess and adds read of the state bucket and the secrets-provider key only", async () => {
        const q = await stack(name);
        const role = q.named("aws:iam/role:Role", "compute-ci-preview");
        assert.deepEqual(
          q.ofType("aws:iam/rolePolicyAttachment:RolePolicyAttachment", (a) => a.inputs.role === role.name || a.inputs.role === role.id).map((a) => a.inputs.policyArn),
          ["arn:aws:iam::aws:policy/ReadOnlyAccess"],
        );
        const bySid = Object.fromEntries(previewStatements(q).filter((s) => s.Sid).map((s) => [s.Sid, s]));
        // Prod also reads the state's replica in the standby region (bootstrap/), for when us-east-1 is lost.
        const buckets = ["example-platform-pulumi-state", ...(name === "prod" ? ["example-platform-pulumi-state-replica"] : [])];
        assert.deepEqual(list(bySid.ListState.Resource).sort(), buckets.map((b) => `arn:aws:s3:::${b}`).sort());
        assert.deepEqual(list(bySid.ReadState.Action), ["s3:GetObject", "s3:GetObjectVersion"]);
        assert.deepEqual(list(bySid.ReadState.Resource).sort(), buckets.map((b) => `arn:aws:s3:::${b}/*`).sort());
        assert.deepEqual(bySid.DecryptStackSecrets.Condition, { "ForAnyValue:StringEquals": { "kms:ResourceAliases": "alias/pulumi-secrets" } });
        const actions = previewStatements(q).flatMap((s) => list(s.Action));
        for (const write of actions.filter((a) => !/^(s3:(Get|List)|kms:(Decrypt|DescribeKey)$|secretsmanager:(GetSecretValue|DescribeSecret|GetRandomPassword)$)/.test(a))) {
          assert.fail(`the preview role may ${write}`);
        }
      });

      it("can refresh every secret version the program writes, and read no other secret", async () => {
        const q = await stack(name);
        assert.deepEqual(refreshGaps(q), []);
        const managed = new Set(q.ofType("aws:secretsmanager/secretVersion:SecretVersion").map((v) => q.byIdOrArn(v.inputs.secretId)!.arn));
        const readable = previewStatements(q).filter((s) => list(s.Action).includes("secretsmanager:GetSecretValue")).flatMap((s) => list(s.Resource));
        assert.deepEqual(new Set(readable), managed, "third-party secrets and RDS-managed passwords stay out of reach");
        for (const app of ["data-news-api-key", "data-llm-api-key"]) assert.ok(!readable.includes(q.named("aws:secretsmanager/secret:Secret", app).arn!), app);
      });
    });
  }

  for (const name of STACKS) {
    it(`${name}: may call every data source the evaluation recorded (each invoke token mapped to the IAM actions it needs)`, async () => {
      const q = await stack(name);
      const tokens = (q.graph.invokes ?? []).map((i) => i.token);
      assert.ok(tokens.includes("aws:index/getAvailabilityZones:getAvailabilityZones"), "invokes are recorded");
      assert.equal(tokens.includes("aws:secretsmanager/getRandomPassword:getRandomPassword"), q.ofType("aws:rds/globalCluster:GlobalCluster").length > 0, "only a global database generates its password");
      assert.deepEqual(invokeGaps(q.graph, "compute-ci-preview"), []);
    });
  }

  it("finds the invoke the preview role may not call: prod's GetRandomPassword without its grant, and an unmapped data source", async () => {
    const q = await stack("prod");
    const without = { ...q.graph, resources: q.resources.filter((r) => r.name !== "compute-ci-preview-invokes-data") };
    assert.deepEqual(invokeGaps(without, "compute-ci-preview"), [
      "aws:secretsmanager/getRandomPassword:getRandomPassword (us-east-1): secretsmanager:GetRandomPassword is granted neither by ReadOnlyAccess nor by the role's own policies",
    ]);
    const unmapped = { ...q.graph, invokes: [...q.graph.invokes!, { token: "aws:ssm/getParameter:getParameter", count: 1 }] };
    assert.match(invokeGaps(unmapped, "compute-ci-preview").join("\n"), /aws:ssm\/getParameter:getParameter: no IAM mapping/);
    assert.ok(Object.values(INVOKE_NEEDS).every((n) => n.source.startsWith("https://")), "every mapping names its source");
  });

  it("finds the gap when a component's secrets are not granted", async () => {
    const q = await stack("dev");
    const without = new GraphQuery({ ...q.graph, resources: q.resources.filter((r) => r.name !== "compute-ci-preview-read-observability") });
    assert.deepEqual(refreshGaps(without).map((g) => g.split(":")[0]), ["observability-logs-api-key", "observability-logs-api-key"]);
  });

  const cloudRun = early(() => evaluateStack({ stack: "dev", overrides: { "platform:ci": { repository: "example/platform", applicationRepositories: ["example/app"] } } }));
  const badRun = early(() => evaluateStack({ stack: "dev", overrides: { "platform:ci": { repository: "example/platform", state: { bucket: "Bad_Bucket" } } } }));
  it("grants no state access without platform:ci.state (Pulumi Cloud), and rejects a bad bucket name naming the key", async () => {
    const cloud = await cloudRun;
    assert.ok(cloud.ok);
    assert.equal(new GraphQuery(cloud.graph).ofType("aws:iam/rolePolicy:RolePolicy", (p) => p.name === "compute-ci-preview-state").length, 0);
    const bad = await badRun;
    assert.ok(!bad.ok && bad.kind === "config");
    assert.deepEqual(bad.problems.map((p) => p.key), ["platform:ci.state.bucket"]);
  });

  it("decrypts the state objects with a multi-Region key in every region through S3 (the replica bucket's copy), a single-Region key in its own only", async () => {
    const ci = { repository: "example/platform", applicationRepositories: ["example/app"], publish: { environment: "packages", packages: ["@platform/components"] } };
    const withKey = async (bucketKmsKeyArn: string) => {
      const r = await evaluateStack({ stack: "prod", overrides: { "platform:ci": { ...ci, state: { bucket: "example-platform-pulumi-state", replicaBucket: "example-platform-pulumi-state-replica", bucketKmsKeyArn } } } });
      if (!r.ok) throw new Error(r.message);
      return previewStatements(new GraphQuery(r.graph)).find((s) => s.Sid === "DecryptStateObjects")!;
    };
    const mrk = await withKey("arn:aws:kms:us-east-1:123456789012:key/mrk-0123456789abcdef0123456789abcdef");
    assert.deepEqual([mrk.Resource, mrk.Condition], ["arn:aws:kms:*:123456789012:key/mrk-0123456789abcdef0123456789abcdef", { StringLike: { "kms:ViaService": "s3.*.amazonaws.com" } }]);
    const single = await withKey("arn:aws:kms:us-east-1:123456789012:key/01234567-89ab-cdef-0123-456789abcdef");
    assert.deepEqual([single.Resource, single.Condition], ["arn:aws:kms:us-east-1:123456789012:key/01234567-89ab-cdef-0123-456789abcdef", { StringEquals: { "kms:ViaService": "s3.us-east-1.amazonaws.com" } }]);
  });
});
