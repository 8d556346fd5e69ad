import { strict as assert } from "assert";
import { PRIMARY_REGION, STANDBY_REGION, stack } from "./support/stacks";

const GROUP = "aws:elasticache/replicationGroup:ReplicationGroup";
const GLOBAL = "aws:elasticache/globalReplicationGroup:GlobalReplicationGroup";

describe("sessions survive a failover: one Global Datastore over both regions' Redis (prod)", () => {
  it("makes the home Redis the datastore's primary and the standby's a member, protected, and not fighting a datastore failover", async () => {
    const q = await stack("prod");
    const [global] = q.ofType(GLOBAL);
    const home = q.inRegion(PRIMARY_REGION).ofType(GROUP)[0];
    const member = q.inRegion(STANDBY_REGION).ofType(GROUP)[0];
    assert.deepEqual([global.region, global.inputs.primaryReplicationGroupId, global.inputs.globalReplicationGroupIdSuffix], [PRIMARY_REGION, home.id, "platform-prod"]);
    assert.deepEqual([global.options.protect, global.options.ignoreChanges], [true, ["primaryReplicationGroupId"]]);
    assert.equal(member.inputs.globalReplicationGroupId, global.id);
    // A member takes engine, version, node type and parameters from the datastore.
    assert.deepEqual([member.inputs.engine, member.inputs.engineVersion, member.inputs.nodeType, member.inputs.parameterGroupName], [undefined, undefined, undefined, undefined]);
    assert.deepEqual([home.inputs.nodeType, home.options.ignoreChanges], ["cache.r7g.large", ["globalReplicationGroupId"]]);
    assert.equal(member.inputs.kmsKeyId, q.named("aws:kms/key:Key", "data-secondary").arn, "encrypted at rest with its own region's key");
    assert.deepEqual([member.inputs.transitEncryptionEnabled, member.inputs.atRestEncryptionEnabled], [true, true]);
    assert.deepEqual(q.graph.outputs.globalDatastoreId, global.id);
  });

  it("keeps one token for both: the member's secret holds the primary's token, in its own region", async () => {
    const q = await stack("prod");
    const secret = q.named("aws:secretsmanager/secret:Secret", "data-redis-secondary-auth");
    assert.equal(secret.region, STANDBY_REGION);
    assert.equal(q.ofType("random:index/randomPassword:RandomPassword", (p) => p.name.startsWith("data-redis")).length, 1, "one token, the primary's");
  });

  it("keeps dev on one Redis and no datastore", async () => {
    const q = await stack("dev");
    assert.deepEqual([q.ofType(GLOBAL).length, q.ofType(GROUP).length], [0, 1]);
  });
});
