import { strict as assert } from "assert";
import { readFailoverOutputs } from "../tools/failover/outputs";
import { runFailover } from "../tools/failover/run";
import { Mode } from "../tools/failover/types";
import { GraphQuery } from "../tools/plan/query";
import { AwsCall, world } from "./support/failoverWorld";
import { PRIMARY_REGION, STANDBY_REGION, stack } from "./support/stacks";

type Statement = { Sid?: string; Effect: string; Action: string | string[]; Resource: string | string[]; Condition?: Record<string, Record<string, string | string[]>> };
interface Need {
  action: string;
  resource: string;
  /** Condition keys the request carries (iam:PassedToService for PassRole). */
  context?: Record<string, string>;
}
const list = <T>(v: T | T[] | undefined): T[] => (v === undefined ? [] : Array.isArray(v) ? v : [v]);
const glob = (p: string) => new RegExp(`^${p.replace(/[.+^${}()|[\]\\]/g, "\\$&").replace(/\*/g, ".*")}$`);
const ACCOUNT = "123456789012";

/**
 * The authorization each call needs, per the Service Authorization Reference (checked 2026-11-26):
 * RDS global-cluster and cluster for Switchover/FailoverGlobalCluster
 * (https://docs.aws.amazon.com/service-authorization/latest/reference/list_amazonrds.html), the ECS
 * service ARN (list_amazonelasticcontainerservice.html), Application Auto Scaling's scalable-target
 * (list_applicationautoscaling.html), the schedule ARN plus iam:PassRole of its target role
 * (list_amazoneventbridgescheduler.html), and `*` for GetMetricData (in the region it is called in:
 * aws:RequestedRegion) and DescribeScalableTargets (no resource types for a metric read); DescribeDBClusters on the cluster ARN it names; ElastiCache's
 * DescribeGlobalReplicationGroups and FailoverGlobalReplicationGroup on the global replication group,
 * whose ARN has no region (list_amazonelasticache.html, read 2026-12-01).
 */
function needs(c: AwsCall): Need[] {
  const i = c.input as Record<string, string & string[] & { RoleArn: string }>;
  const arn = (service: string, resource: string, region = c.region) => `arn:aws:${service}:${region}:${ACCOUNT}:${resource}`;
  const global = arn("rds", `global-cluster:${i.GlobalClusterIdentifier}`, "");
  switch (c.action) {
    case "rds:DescribeGlobalClusters":
      return [{ action: c.action, resource: global }];
    case "rds:DescribeDBClusters":
      return [{ action: c.action, resource: i.DBClusterIdentifier }];
    case "rds:SwitchoverGlobalCluster":
    case "rds:FailoverGlobalCluster":
      return [global, i.TargetDbClusterIdentifier].map((resource) => ({ action: c.action, resource }));
    case "ecs:DescribeServices":
      return i.services.map((s: string) => ({ action: c.action, resource: arn("ecs", `service/${i.cluster}/${s}`) }));
    case "ecs:UpdateService":
      return [{ action: c.action, resource: arn("ecs", `service/${i.cluster}/${i.service}`) }];
    case "application-autoscaling:RegisterScalableTarget":
      return [{ action: c.action, resource: arn("application-autoscaling", "scalable-target/0123456789abcdef0123456789abcdef") }];
    case "application-autoscaling:DescribeScalableTargets":
      return [{ action: c.action, resource: "*" }];
    case "scheduler:GetSchedule":
      return [{ action: c.action, resource: arn("scheduler", `schedule/${i.GroupName}/${i.Name}`) }];
    case "scheduler:UpdateSchedule":
      return [
        { action: c.action, resource: arn("scheduler", `schedule/${i.GroupName}/${i.Name}`) },
        { action: "iam:PassRole", resource: i.Target.RoleArn, context: { "iam:PassedToService": "scheduler.amazonaws.com" } },
      ];
    case "cloudwatch:GetMetricData":
      return [{ action: c.action, resource: "*", context: { "aws:RequestedRegion": c.region } }];
    case "elasticache:DescribeGlobalReplicationGroups":
    case "elasticache:FailoverGlobalReplicationGroup":
      return [{ action: c.action, resource: arn("elasticache", `globalreplicationgroup:${i.GlobalReplicationGroupId}`, "") }];
    default:
      throw new Error(`no authorization mapping for ${c.action}`);
  }
}

function allows(statements: Statement[], n: Need): boolean {
  return statements.some(
    (s) =>
      s.Effect === "Allow" &&
      list(s.Action).includes(n.action) &&
      list(s.Resource).some((r) => glob(r).test(n.resource)) &&
      Object.entries(s.Condition ?? {}).every(([op, keys]) =>
        Object.entries(keys).every(([key, values]) => op === "StringEquals" && n.context?.[key] !== undefined && list(values).includes(n.context[key])),
      ),
  );
}

function failoverStatements(q: GraphQuery): Statement[] {
  const role = q.byIdOrArn((q.graph.outputs.ciRoleArns as Record<string, string>).failover);
  assert.ok(role, "ciRoleArns.failover names a role of the stack");
  return q.ofType("aws:iam/rolePolicy:RolePolicy", (p) => p.inputs.role === role.id).flatMap((p) => list(JSON.parse(String(p.inputs.policy)).Statement as Statement[]));
}

/** Every call of every failover mode, on the world the failover tests use, with the stack's real scheduler roles. */
async function callsOfEveryMode(q: GraphQuery): Promise<AwsCall[]> {
  const read = readFailoverOutputs(q.graph.outputs);
  if (!read.ok) throw new Error(read.problems.join("\n"));
  const schedulerRoles = q.ofType("aws:iam/role:Role", (r) => String(r.inputs.assumeRolePolicy).includes("scheduler.amazonaws.com"));
  const schedulerRoleArn = (region: string) => schedulerRoles.find((r) => r.region === region)!.arn!;
  const calls: AwsCall[] = [];
  // A planned switchover and the failback home in one world, then an unplanned failover in another.
  const runs: [Mode, string, string][][] = [
    [["planned", STANDBY_REGION, PRIMARY_REGION], ["failback", PRIMARY_REGION, STANDBY_REGION]],
    [["unplanned", STANDBY_REGION, PRIMARY_REGION]],
  ];
  for (const sequence of runs) {
    const w = world(read.outputs, { schedulerRoleArn });
    try {
      for (const [mode, to, from] of sequence) {
        // Unplanned with the primary still answering: forced, so its fencing calls are replayed too.
        const o = await runFailover(w.deps, { outputs: read.outputs, mode, to, from, maxLagMs: 1000, forceWhilePrimaryAnswers: true });
        assert.equal(o.exitCode, mode === "unplanned" ? 4 : 0, `${mode}: ${JSON.stringify(o.timeline)}`);
        assert.ok(o.timeline.some((r) => r.step === "database" && r.result === "done"), `${mode} moved the writer`);
      }
      calls.push(...w.aws);
    } finally {
      w.restore();
    }
  }
  return calls;
}

describe("failover role: exactly what npm run failover calls, on this platform's resources", () => {
  let q: GraphQuery;
  let calls: AwsCall[];
  before(async () => {
    q = await stack("prod");
    calls = await callsOfEveryMode(q);
  });

  it("grants every call of a planned switchover, an unplanned failover and a failback", () => {
    const statements = failoverStatements(q);
    const actions = new Set(calls.map((c) => c.action));
    for (const a of ["rds:SwitchoverGlobalCluster", "rds:FailoverGlobalCluster", "ecs:UpdateService", "application-autoscaling:RegisterScalableTarget", "scheduler:UpdateSchedule", "cloudwatch:GetMetricData", "elasticache:DescribeGlobalReplicationGroups", "elasticache:FailoverGlobalReplicationGroup"]) assert.ok(actions.has(a), a);
    const denied = calls.flatMap(needs).filter((n) => !allows(statements, n));
    assert.deepEqual(denied, []);
  });

  it("grants nothing the command does not call: no state read, no key (the workflow reads neither)", () => {
    const called = new Set([...calls.flatMap(needs).map((n) => n.action)]);
    const extra = failoverStatements(q)
      .flatMap((s) => list(s.Action))
      .filter((a) => !called.has(a));
    assert.deepEqual(extra, []);
    const wildcard = failoverStatements(q).filter((s) => list(s.Resource).includes("*")).flatMap((s) => list(s.Action));
    assert.deepEqual(wildcard.sort(), ["application-autoscaling:DescribeScalableTargets", "cloudwatch:GetMetricData"], "only the reads that have no resource types are on *");
  });

  it("refuses what it must: another service, another schedule group, PassRole to another service", () => {
    const statements = failoverStatements(q);
    const arn = (service: string, resource: string) => `arn:aws:${service}:${STANDBY_REGION}:${ACCOUNT}:${resource}`;
    const cluster = readFailoverOutputs(q.graph.outputs);
    assert.ok(cluster.ok);
    const ecsCluster = cluster.outputs.regions[STANDBY_REGION].ecsCluster;
    const [service] = cluster.outputs.regions[STANDBY_REGION].services;
    const [schedule] = cluster.outputs.regions[STANDBY_REGION].schedules;
    assert.ok(allows(statements, { action: "ecs:UpdateService", resource: arn("ecs", `service/${ecsCluster}/${service}`) }));
    assert.ok(!allows(statements, { action: "ecs:UpdateService", resource: arn("ecs", `service/${ecsCluster}/someone-elses`) }));
    assert.ok(!allows(statements, { action: "ecs:UpdateService", resource: arn("ecs", `service/other-cluster/${service}`) }));
    assert.ok(!allows(statements, { action: "scheduler:UpdateSchedule", resource: arn("scheduler", `schedule/default/${schedule}`) }));
    // The sessions' promotion: this platform's Global Datastore only.
    const datastore = (id: string) => `arn:aws:elasticache::${ACCOUNT}:globalreplicationgroup:${id}`;
    assert.ok(allows(statements, { action: "elasticache:FailoverGlobalReplicationGroup", resource: datastore(cluster.outputs.globalDatastoreId!) }));
    assert.ok(!allows(statements, { action: "elasticache:FailoverGlobalReplicationGroup", resource: datastore("ldgnf-someone-elses") }));
    const passRole = calls.flatMap(needs).find((n) => n.action === "iam:PassRole")!;
    assert.ok(!allows(statements, { ...passRole, context: { "iam:PassedToService": "ecs-tasks.amazonaws.com" } }));
  });

  it("exists only where a warm standby does: dev has no failover role", async () => {
    const dev = await stack("dev");
    assert.equal((dev.graph.outputs.ciRoleArns as Record<string, string>).failover, undefined);
    assert.equal(dev.graph.outputs.failover, undefined);
  });
});
