import { strict as assert } from "assert";
import * as path from "path";
import { evaluateStack } from "../tools/plan/evaluate";
import { GraphQuery } from "../tools/plan/query";
import { plan } from "./support/command";

const DIR = path.resolve(__dirname, "..", "bootstrap");
const prod = evaluateStack({ projectDir: DIR, stack: "prod" }).then((r) => {
  if (!r.ok) throw new Error(`bootstrap prod did not evaluate: ${r.message}`);
  return new GraphQuery(r.graph);
});
prod.catch(() => undefined);

describe("bootstrap: the state and its secrets key survive a region loss", () => {
  it("creates a multi-Region key in the primary region and its replica in the replica region, both protected", async () => {
    const q = await prod;
    const key = q.named("aws:kms/key:Key", "secrets");
    const replica = q.named("aws:kms/replicaKey:ReplicaKey", "secrets-replica");
    assert.deepEqual([key.region, key.inputs.multiRegion, key.inputs.enableKeyRotation, key.options.protect], ["us-east-1", true, true, true]);
    assert.deepEqual([replica.region, replica.inputs.primaryKeyArn, replica.options.protect], ["us-west-2", key.arn, true]);
    const aliases = q.ofType("aws:kms/alias:Alias").map((a) => [a.region, a.inputs.name, a.inputs.targetKeyId]);
    assert.deepEqual(aliases.sort(), [["us-east-1", "alias/pulumi-secrets", key.arn], ["us-west-2", "alias/pulumi-secrets", replica.arn]].sort());
  });

  it("replicates the state bucket, deletes included, within 15 minutes, re-encrypted with the replica key", async () => {
    const q = await prod;
    const state = q.named("aws:s3/bucket:Bucket", "state");
    const copy = q.named("aws:s3/bucket:Bucket", "state-replica");
    assert.deepEqual([state.region, copy.region, state.options.protect, copy.options.protect], ["us-east-1", "us-west-2", true, true]);
    const [config] = q.ofType("aws:s3/bucketReplicationConfig:BucketReplicationConfig");
    assert.equal(config.inputs.bucket, state.id);
    const [rule] = config.inputs.rules as { deleteMarkerReplication: unknown; destination: Record<string, unknown> }[];
    assert.deepEqual(rule.deleteMarkerReplication, { status: "Enabled" });
    const replicaKey = q.named("aws:kms/replicaKey:ReplicaKey", "secrets-replica");
    assert.deepEqual([rule.destination.bucket, rule.destination.encryptionConfiguration, rule.destination.replicationTime], [copy.arn, { replicaKmsKeyId: replicaKey.arn }, { status: "Enabled", time: { minutes: 15 } }]);
    const sse = (bucket: string) => (q.ofType("aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration", (c) => c.inputs.bucket === bucket)[0].inputs.rules as { applyServerSideEncryptionByDefault: { kmsMasterKeyId: string } }[])[0].applyServerSideEncryptionByDefault.kmsMasterKeyId;
    assert.deepEqual([sse(String(state.id)), sse(String(copy.id))], [q.named("aws:kms/key:Key", "secrets").arn, replicaKey.arn]);
    assert.deepEqual(q.graph.outputs.replicaSecretsProvider, "awskms://alias/pulumi-secrets?region=us-west-2");
  });

  it("plans offline with no policy violation, and refuses bad config naming each key (exit 1)", async () => {
    const ok = await plan(["--dir", DIR]);
    assert.equal(ok.code, 0, ok.stderr);
    assert.match(ok.stdout, /0 violation\(s\)/);
    const bad = await evaluateStack({ projectDir: DIR, stack: "prod", overrides: { "bootstrap:replicaRegion": "us-east-1", "bootstrap:bucketName": "Bad_Name" } });
    assert.equal(bad.ok, false);
    const text = bad.ok ? "" : bad.message;
    assert.match(text, /bootstrap:replicaRegion: expected a region other than bootstrap:primaryRegion \(us-east-1\)/);
    assert.match(text, /bootstrap:bucketName: expected 3–55 lower-case letters/);
  });
});
