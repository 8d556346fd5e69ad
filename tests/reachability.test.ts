import { strict as assert } from "assert";
import { Cidr, overlaps, parseCidr } from "@platform/components/cidr";
import { POSTGRES_PORT } from "@platform/components/network";
import { PlanGraph, PlanResource } from "../tools/plan/graph";
import { GraphQuery } from "../tools/plan/query";
import { STANDBY_REGION, stack } from "./support/stacks";

/**
 * Can each task open a connection to its DATABASE_HOST? Derived from the graph alone: the task's
 * subnets give its VPC, the cluster's security groups give the cluster's; a path needs both groups'
 * rules on 5432 (by group in one VPC, by CIDR block across a peering) and, between VPCs, an accepted
 * peering connection with a route to the other block in every route table on both sides.
 */
interface Vpc {
  id: string;
  cidr: Cidr;
  subnets: string[];
  routeTables: string[];
}

const contains = (outer: Cidr, inner: Cidr) => outer.prefix <= inner.prefix && overlaps(outer, inner);
const coversPort = (r: PlanResource) => r.inputs.ipProtocol === "-1" || (Number(r.inputs.fromPort) <= POSTGRES_PORT && POSTGRES_PORT <= Number(r.inputs.toPort));

function vpcs(q: GraphQuery): Vpc[] {
  return q.ofType("awsx:ec2:Vpc").map((v) => {
    const o = v.outputs as { vpcId: string; subnets: { id: string }[]; routeTables: { id: string }[] };
    return { id: o.vpcId, cidr: parseCidr(String(v.inputs.cidrBlock))!, subnets: o.subnets.map((s) => s.id), routeTables: o.routeTables.map((t) => t.id) };
  });
}

/** Every route table of `from` sends `to`'s block through one accepted peering connection between the two. */
function peered(q: GraphQuery, from: Vpc, to: Vpc): boolean {
  const accepted = new Set(q.ofType("aws:ec2/vpcPeeringConnectionAccepter:VpcPeeringConnectionAccepter").map((a) => a.inputs.vpcPeeringConnectionId));
  const connections = q
    .ofType("aws:ec2/vpcPeeringConnection:VpcPeeringConnection", (c) => [c.inputs.vpcId, c.inputs.peerVpcId].sort().join() === [from.id, to.id].sort().join())
    .filter((c) => accepted.has(c.id));
  const routes = q.ofType("aws:ec2/route:Route");
  return connections.some((c) =>
    [[from, to], [to, from]].every(([a, b]) =>
      a.routeTables.every((t) => routes.some((r) => r.inputs.routeTableId === t && r.inputs.vpcPeeringConnectionId === c.id && contains(parseCidr(String(r.inputs.destinationCidrBlock))!, b.cidr))),
    ),
  );
}

/** Why a task (subnets, groups) cannot reach a cluster on 5432, or undefined when it can. */
export function unreachable(q: GraphQuery, task: { subnets: string[]; groups: string[] }, cluster: PlanResource): string | undefined {
  const all = vpcs(q);
  const taskVpc = all.find((v) => task.subnets.every((s) => v.subnets.includes(s)));
  const dbGroups = (cluster.inputs.vpcSecurityGroupIds as string[]).map((id) => q.byIdOrArn(id)!);
  const dbVpc = all.find((v) => v.id === dbGroups[0]?.inputs.vpcId);
  if (!taskVpc || !dbVpc) return "no VPC found for the task or the cluster";
  const sameVpc = taskVpc.id === dbVpc.id;
  if (!sameVpc && !peered(q, taskVpc, dbVpc)) return `no accepted peering with routes both ways between ${taskVpc.cidr.address}/${taskVpc.cidr.prefix} and the cluster's VPC`;
  const admits = (rules: PlanResource[], peerGroups: string[], peerVpc: Vpc) =>
    rules.some((r) => coversPort(r) && ((sameVpc && peerGroups.includes(String(r.inputs.referencedSecurityGroupId))) || (!!r.inputs.cidrIpv4 && contains(parseCidr(String(r.inputs.cidrIpv4))!, peerVpc.cidr))));
  const dbIds = dbGroups.map((g) => String(g.id));
  const ingress = q.ofType("aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule", (r) => dbIds.includes(String(r.inputs.securityGroupId)));
  const egress = q.ofType("aws:vpc/securityGroupEgressRule:SecurityGroupEgressRule", (r) => task.groups.includes(String(r.inputs.securityGroupId)));
  if (!admits(ingress, task.groups, taskVpc)) return "the cluster's groups admit no rule for the task on 5432";
  if (!admits(egress, dbIds, dbVpc)) return "the task's groups allow no egress to the cluster on 5432";
  return undefined;
}

/** Every ECS service and scheduled task with its network placement and database host. */
function tasks(q: GraphQuery) {
  // A schedule names the family without a revision (the last registered one runs).
  const definition = (ref: unknown) => q.byIdOrArn(ref) ?? q.ofType("aws:ecs/taskDefinition:TaskDefinition", (d) => String(d.arn).startsWith(`${String(ref)}:`))[0];
  const host = (taskDefinition: unknown) => {
    const containers = JSON.parse(String(definition(taskDefinition).inputs.containerDefinitions)) as { environment: { name: string; value: string }[] }[];
    return containers[0].environment.find((e) => e.name === "DATABASE_HOST")?.value;
  };
  type Net = { subnets: string[]; securityGroups: string[] };
  const services = q.ofType("aws:ecs/service:Service").map((s) => ({ name: `${s.region} ${s.name}`, net: s.inputs.networkConfiguration as Net, host: host(s.inputs.taskDefinition) }));
  const schedules = q.ofType("aws:scheduler/schedule:Schedule").map((s) => {
    const ecs = (s.inputs.target as { ecsParameters: { taskDefinitionArn: string; networkConfiguration: Net } }).ecsParameters;
    return { name: `${s.region} ${s.name}`, net: ecs.networkConfiguration, host: host(ecs.taskDefinitionArn) };
  });
  return [...services, ...schedules].map((t) => ({ name: t.name, host: t.host, subnets: t.net.subnets, groups: t.net.securityGroups }));
}

/**
 * The clusters a host can lead to: every member of the global cluster for its writer endpoint (the
 * writer moves on a switchover), else the cluster the endpoint names (AWS endpoints start with the
 * cluster identifier: `<id>.cluster[-ro]-<hash>.<region>.rds.amazonaws.com`).
 */
function clustersBehind(q: GraphQuery, graph: PlanGraph, host: string): PlanResource[] {
  const clusters = q.ofType("aws:rds/cluster:Cluster");
  if (host === graph.outputs.globalWriterEndpoint) return clusters.filter((c) => c.inputs.globalClusterIdentifier !== undefined);
  return clusters.filter((c) => host.split(".")[0] === c.id);
}

function problems(q: GraphQuery): string[] {
  const out: string[] = [];
  for (const t of tasks(q)) {
    if (!t.host) continue;
    const targets = clustersBehind(q, q.graph, t.host);
    if (!targets.length) out.push(`${t.name}: ${t.host} is no cluster of the graph`);
    for (const c of targets) {
      const why = unreachable(q, t, c);
      if (why) out.push(`${t.name} -> ${c.name} (${c.region}): ${why}`);
    }
  }
  return out;
}

describe("every task reaches its database host (derived from groups, VPCs and peering)", () => {
  for (const name of ["dev", "prod"] as const) {
    it(`${name}: each task reaches every cluster its DATABASE_HOST can lead to`, async () => {
      const q = await stack(name);
      assert.ok(tasks(q).filter((t) => t.host).length >= 5, "services and schedules were found");
      assert.deepEqual(problems(q), []);
    });
  }

  it("prod: the standby's tasks reach the writer in the other region, and the home region's reach a promoted standby", async () => {
    const q = await stack("prod");
    const global = q.ofType("aws:rds/cluster:Cluster", (c) => c.inputs.globalClusterIdentifier !== undefined);
    assert.deepEqual(global.map((c) => c.region).sort(), ["us-east-1", STANDBY_REGION]);
    const crossing = tasks(q).filter((t) => t.host === q.graph.outputs.globalWriterEndpoint);
    assert.ok(crossing.some((t) => t.name.startsWith(STANDBY_REGION)) && crossing.some((t) => t.name.startsWith("us-east-1")));
  });

  it("finds the standby cut off without the peering's routes, and without the writer's rule for its block", async () => {
    const q = await stack("prod");
    const noRoutes = new GraphQuery({ ...q.graph, resources: q.resources.filter((r) => r.type !== "aws:ec2/route:Route") });
    assert.ok(problems(noRoutes).some((p) => p.startsWith(`${STANDBY_REGION} `) && p.includes("no accepted peering")), "routes");
    const noRule = new GraphQuery({ ...q.graph, resources: q.resources.filter((r) => !r.name.startsWith("network-db-in-peer-")) });
    assert.ok(problems(noRule).some((p) => p.startsWith(`${STANDBY_REGION} `) && p.includes("admit no rule")), "the writer's rule");
  });
});
