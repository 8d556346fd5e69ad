import { strict as assert } from "assert";
import { backlogSteps } from "@platform/components/compute";
import { TEST_LISTENER_PORT, TLS_POLICY } from "@platform/components/compute";
import { GATE_RUNTIME, gateBundle } from "@platform/components/compute";
import { CATCH_ALL_PRIORITY, routes } from "@platform/components/compute";
import { PlanResource } from "../tools/plan/graph";
import { GraphQuery } from "../tools/plan/query";
import { StackName, primaryRegion, serviceNames, stack, stackSettings } from "./support/stacks";
import { evaluateStack } from "../tools/plan/evaluate";
import { early } from "./support/early";

const SERVICE = "aws:ecs/service:Service";
const TASK_DEF = "aws:ecs/taskDefinition:TaskDefinition";
const RULE = "aws:lb/listenerRule:ListenerRule";
const LISTENER = "aws:lb/listener:Listener";
const TARGET_GROUP = "aws:lb/targetGroup:TargetGroup";
const ROLE = "aws:iam/role:Role";
const ROLE_POLICY = "aws:iam/rolePolicy:RolePolicy";
const QUEUE = "aws:sqs/queue:Queue";
const SCALING_TARGET = "aws:appautoscaling/target:Target";

interface PolicyStatement {
  Sid?: string;
  Effect: string;
  Action: string | string[];
  Resource: string | string[];
  Principal?: unknown;
  Condition?: Record<string, Record<string, string | string[]>>;
}
const list = <T>(v: T | T[] | undefined): T[] => (v === undefined ? [] : Array.isArray(v) ? v : [v]);

/** Statements of every inline policy on a role (by the role's mock id). */
function roleStatements(q: GraphQuery, role: PlanResource): PolicyStatement[] {
  return q
    .ofType(ROLE_POLICY, (p) => p.inputs.role === role.id)
    .flatMap((p) => JSON.parse(String(p.inputs.policy)).Statement as PolicyStatement[]);
}

/** The role whose ARN an input names. */
function roleByArn(q: GraphQuery, arn: unknown): PlanResource {
  const role = q.ofType(ROLE, (r) => r.arn === arn)[0];
  assert.ok(role, `no role with ARN ${String(arn)}`);
  return role;
}

function containers(def: PlanResource): Record<string, unknown>[] {
  return JSON.parse(String(def.inputs.containerDefinitions));
}

/** A service deployed blue/green: two target groups, the production and test rules, ECS's infrastructure role. */
function checkBlueGreen(q: GraphQuery, service: string, bakeMinutes: string): void {
  const svc = ecsService(q, service);
  const config = svc.inputs.deploymentConfiguration as { strategy: string; bakeTimeInMinutes: string; lifecycleHooks: { lifecycleStages: string[]; hookTargetArn: string }[] };
  assert.equal(config.strategy, "BLUE_GREEN");
  assert.equal(config.bakeTimeInMinutes, bakeMinutes);
  const [lb] = svc.inputs.loadBalancers as { targetGroupArn: string; advancedConfiguration: Record<string, string> }[];
  const blue = q.byIdOrArn(lb.targetGroupArn)!;
  const green = q.byIdOrArn(lb.advancedConfiguration.alternateTargetGroupArn)!;
  assert.equal(blue.type, TARGET_GROUP);
  assert.equal(green.type, TARGET_GROUP);
  assert.notEqual(blue.urn, green.urn);
  const production = q.byIdOrArn(lb.advancedConfiguration.productionListenerRule)!;
  const test = q.byIdOrArn(lb.advancedConfiguration.testListenerRule)!;
  assert.equal(q.byIdOrArn(production.inputs.listenerArn)!.inputs.port, 443);
  assert.equal(q.byIdOrArn(test.inputs.listenerArn)!.inputs.port, TEST_LISTENER_PORT);
  for (const rule of [production, test]) {
    const forward = (rule.inputs.actions as { forward: { targetGroups: { arn: string; weight: number }[] } }[])[0].forward.targetGroups;
    assert.deepEqual(forward, [{ arn: blue.arn, weight: 100 }, { arn: green.arn, weight: 0 }]);
    assert.deepEqual(rule.options.ignoreChanges, ["actions"], "ECS moves the weights; Pulumi must not move them back");
  }
  const infra = roleByArn(q, lb.advancedConfiguration.roleArn);
  assert.match(JSON.stringify(infra.inputs.assumeRolePolicy), /ecs\.amazonaws\.com/);
  const attached = q.ofType("aws:iam/rolePolicyAttachment:RolePolicyAttachment", (a) => a.inputs.role === infra.name || a.inputs.role === infra.id);
  assert.deepEqual(attached.map((a) => a.inputs.policyArn), ["arn:aws:iam::aws:policy/AmazonECSInfrastructureRolePolicyForLoadBalancers"]);
}

function ecsService(q: GraphQuery, name: string): PlanResource {
  return q.ofType(SERVICE, (s) => s.inputs.name === name)[0];
}

/** Wildcard resources allowed for actions AWS cannot scope (documented in the code next to them). */
const UNSCOPABLE = new Set([
  "ecr:GetAuthorizationToken",
  "ssmmessages:CreateControlChannel",
  "ssmmessages:CreateDataChannel",
  "ssmmessages:OpenControlChannel",
  "ssmmessages:OpenDataChannel",
  "logs:DescribeLogGroups",
  "ecs:ListTasks",
  "ecs:DescribeTaskDefinition",
  "sts:GetServiceBearerToken",
  // X-Ray's write actions name no resource type (https://docs.aws.amazon.com/service-authorization/latest/reference/list_awsx-ray.html).
  "xray:PutTraceSegments",
  "xray:PutTelemetryRecords",
]);

/** Statements that grant `*` resources for an action AWS lets us scope. */
function wildcardGrants(statements: PolicyStatement[]): string[] {
  return statements
    .filter((s) => s.Effect === "Allow" && list(s.Resource).includes("*"))
    .flatMap((s) => list(s.Action).filter((a) => !UNSCOPABLE.has(a)).map((a) => `${s.Sid ?? "?"}: ${a}`));
}

describe("Compute component", () => {
  describe("routing (pure)", () => {
    it("orders rules by specificity, independent of config order, with the catch-all last", () => {
      const a = routes([
        { name: "frontend", paths: ["/*"] },
        { name: "api", paths: ["/api/*"] },
        { name: "v2", paths: ["/api/v2/*"] },
        { name: "auth", paths: ["/auth/*"] },
      ]);
      const b = routes([
        { name: "auth", paths: ["/auth/*"] },
        { name: "v2", paths: ["/api/v2/*"] },
        { name: "api", paths: ["/api/*"] },
        { name: "frontend", paths: ["/*"] },
      ]);
      assert.deepEqual(a, b);
      assert.deepEqual(
        a.map((r) => [r.service, r.priority]),
        [["v2", 100], ["api", 110], ["auth", 120], ["frontend", CATCH_ALL_PRIORITY]],
      );
    });

    it("refuses two catch-all services", () => {
      assert.throws(() => routes([{ name: "a", paths: ["/*"] }, { name: "b", paths: ["/*"] }]), /only one service may own/);
    });
  });

  describe("queue-depth scaling steps (pure)", () => {
    it("sets ceil(backlog / messagesPerTask) tasks up to maxTasks", () => {
      assert.deepEqual(backlogSteps(4, 50), [
        { metricIntervalLowerBound: "0", metricIntervalUpperBound: "50", scalingAdjustment: 1 },
        { metricIntervalLowerBound: "50", metricIntervalUpperBound: "100", scalingAdjustment: 2 },
        { metricIntervalLowerBound: "100", metricIntervalUpperBound: "150", scalingAdjustment: 3 },
        { metricIntervalLowerBound: "150", scalingAdjustment: 4 },
      ]);
    });

    it("uses at most 10 contiguous steps and ends at maxTasks", () => {
      const steps = backlogSteps(40, 10);
      assert.equal(steps.length, 10);
      assert.equal(steps[steps.length - 1].scalingAdjustment, 40);
      for (let i = 1; i < steps.length; i++) assert.equal(steps[i].metricIntervalLowerBound, steps[i - 1].metricIntervalUpperBound);
    });
  });

  describe("migration gate bundle", () => {
    it("bundles the handler with its ECS client into one CommonJS file", () => {
      const bundle = gateBundle();
      return (bundle.assets as Promise<Record<string, { text: Promise<string> }>>).then(async (assets) => {
        assert.deepEqual(Object.keys(assets), ["index.js"]);
        const text = await assets["index.js"].text;
        assert.match(text, /module\.exports = __toCommonJS/);
        assert.match(text, /RunTaskCommand/);
        assert.doesNotMatch(text, /require\("@aws-sdk\/client-ecs"\)/, "the SDK must be bundled, not required at runtime");
      });
    });
  });

  for (const name of ["dev", "prod"] as StackName[]) {
    describe(`${name} stack`, () => {
      it("has a cluster with Container Insights and ECS Exec encrypted and logged", async () => {
        const q = await primaryRegion(name);
        const [cluster] = q.ofType("aws:ecs/cluster:Cluster");
        assert.deepEqual(cluster.inputs.settings, [{ name: "containerInsights", value: "enhanced" }]);
        const exec = (cluster.inputs.configuration as { executeCommandConfiguration: Record<string, unknown> }).executeCommandConfiguration;
        assert.ok(String(exec.kmsKeyId).startsWith("arn:aws:kms:"));
        assert.equal(exec.logging, "OVERRIDE");
        assert.deepEqual(exec.logConfiguration, { cloudWatchEncryptionEnabled: true, cloudWatchLogGroupName: `/ecs/platform-${name}/exec` });
      });

      it("runs an internet-facing ALB with HTTPS only, a fixed 404 and access logs", async () => {
        const q = await primaryRegion(name);
        const [alb] = q.ofType("aws:lb/loadBalancer:LoadBalancer");
        assert.equal(alb.inputs.internal, false);
        assert.equal(alb.inputs.dropInvalidHeaderFields, true);
        assert.equal(alb.inputs.enableDeletionProtection, name === "prod");
        assert.deepEqual(alb.inputs.accessLogs, { bucket: q.ofType("aws:s3/bucket:Bucket", (b) => b.name.includes("access-logs"))[0].id, prefix: "alb", enabled: true });
        const listeners = q.ofType(LISTENER);
        const byPort = Object.fromEntries(listeners.map((l) => [l.inputs.port, l]));
        assert.deepEqual(Object.keys(byPort).map(Number).sort((a, b) => a - b), [80, 443, TEST_LISTENER_PORT]);
        assert.deepEqual((byPort[80].inputs.defaultActions as { type: string }[]).map((a) => a.type), ["redirect"]);
        for (const port of [443, TEST_LISTENER_PORT]) {
          assert.equal(byPort[port].inputs.protocol, "HTTPS");
          assert.equal(byPort[port].inputs.sslPolicy, TLS_POLICY);
          assert.deepEqual(byPort[port].inputs.defaultActions, [
            { type: "fixed-response", fixedResponse: { contentType: "text/plain", statusCode: "404", messageBody: "Not found" } },
          ]);
        }
      });

      it("serves the HTTPS listener only once ACM has validated the certificate through Cloudflare", async () => {
        const q = await primaryRegion(name);
        const https = q.ofType(LISTENER, (l) => l.inputs.port === 443)[0];
        const certificate = q.named("aws:acm/certificate:Certificate", "alb-certificate");
        const [validation] = q.ofType("aws:acm/certificateValidation:CertificateValidation", (v) => v.inputs.certificateArn === certificate.arn);
        assert.equal(https.inputs.certificateArn, certificate.arn);
        assert.equal(validation.inputs.certificateArn, certificate.arn);
        const domain = name === "prod" ? "example.com" : "example-dev.com";
        assert.equal(certificate.inputs.domainName, domain);
        assert.deepEqual(certificate.inputs.subjectAlternativeNames, [`*.${domain}`]);
        // One record serves the name and its wildcard; it must not be proxied.
        const records = q.ofType("cloudflare:index/dnsRecord:DnsRecord", (r) => r.name.startsWith("alb-certificate-validation"));
        assert.equal(records.length, 1);
        assert.equal(records[0].inputs.proxied, false);
        assert.equal(records[0].inputs.type, "CNAME");
        assert.deepEqual(validation.inputs.validationRecordFqdns, [records[0].inputs.name]);
      });

      it("routes each service's paths in stable priority order, catch-all last", async () => {
        const q = await primaryRegion(name);
        const https = q.ofType(LISTENER, (l) => l.inputs.port === 443)[0];
        const production = q.ofType(RULE, (r) => r.inputs.listenerArn === https.arn);
        const table = production
          .map((r) => [r.inputs.priority, (r.inputs.conditions as { pathPattern: { values: string[] } }[])[0].pathPattern.values.join(",")])
          .sort((a, b) => Number(a[0]) - Number(b[0]));
        assert.deepEqual(table, [
          [100, "/api/*"],
          [110, "/auth/*"],
          [120, "/svc2/*"],
          [CATCH_ALL_PRIORITY, "/*"],
        ]);
      });

      for (const service of serviceNames(name)) {
        it(`deploys ${service} blue/green with two target groups, both rules and the infrastructure role`, async () => {
          checkBlueGreen(await primaryRegion(name), service, name === "prod" ? "15" : "0");
        });
      }

      it("gates every database service on the migration Lambda at PRE_SCALE_UP, and lets the frontend opt out", async () => {
        const q = await primaryRegion(name);
        const [gate] = q.ofType("aws:lambda/function:Function");
        for (const { name: service, migrationGate } of stackSettings(name).services) {
          const hooks = (ecsService(q, service).inputs.deploymentConfiguration as { lifecycleHooks: { lifecycleStages: string[]; hookTargetArn: string; roleArn: string }[] }).lifecycleHooks;
          if (migrationGate === false) {
            assert.deepEqual(hooks, []);
            continue;
          }
          assert.equal(hooks.length, 1);
          assert.deepEqual(hooks[0].lifecycleStages, ["PRE_SCALE_UP"]);
          assert.equal(hooks[0].hookTargetArn, gate.arn);
          const hookRole = roleByArn(q, hooks[0].roleArn);
          assert.deepEqual(roleStatements(q, hookRole).map((s) => [s.Action, s.Resource]), [["lambda:InvokeFunction", gate.arn]]);
        }
      });

      it("bundles the gate for a supported runtime and scopes its role to the migration task", async () => {
        const q = await primaryRegion(name);
        const [gate] = q.ofType("aws:lambda/function:Function");
        assert.equal(gate.inputs.runtime, GATE_RUNTIME);
        assert.equal(gate.inputs.handler, "index.handler");
        const files = (gate.inputs.code as { archive: Record<string, { bytes: number }> }).archive;
        assert.ok(files["index.js"].bytes > 10_000, "the bundle carries the ECS client");
        const env = (gate.inputs.environment as { variables: Record<string, string> }).variables;
        const migration = q.ofType(TASK_DEF, (t) => t.inputs.family === env.MIGRATION_TASK_DEFINITION)[0];
        assert.ok(migration, "the gate runs the migration task family");
        assert.equal(containers(migration)[0].name, env.MIGRATION_CONTAINER);
        const statements = roleStatements(q, roleByArn(q, gate.inputs.role));
        const run = statements.find((s) => list(s.Action).includes("ecs:RunTask"))!;
        assert.deepEqual(list(run.Resource).sort(), [migration.arn!.replace(/:1$/, ""), migration.arn!.replace(/:1$/, ":*")].sort());
        assert.ok(run.Condition?.ArnEquals?.["ecs:cluster"]);
        const pass = statements.find((s) => list(s.Action).includes("iam:PassRole"))!;
        assert.deepEqual(list(pass.Resource).sort(), [migration.inputs.executionRoleArn, migration.inputs.taskRoleArn].sort());
        assert.deepEqual(wildcardGrants(statements), []);
      });

      it("traces the gate in X-Ray (Active) and lets its role send the segments", async () => {
        const q = await primaryRegion(name);
        const [gate] = q.ofType("aws:lambda/function:Function");
        assert.deepEqual(gate.inputs.tracingConfig, { mode: "Active" });
        const traces = roleStatements(q, roleByArn(q, gate.inputs.role)).find((s) => s.Sid === "SendTraces");
        assert.deepEqual(traces && list(traces.Action).sort(), ["xray:PutTelemetryRecords", "xray:PutTraceSegments"]);
      });

      it("gives the migration task the database secret, no public IP and no ECS Exec", async () => {
        const q = await primaryRegion(name);
        const [gate] = q.ofType("aws:lambda/function:Function");
        const family = (gate.inputs.environment as { variables: Record<string, string> }).variables.MIGRATION_TASK_DEFINITION;
        const [container] = containers(q.ofType(TASK_DEF, (t) => t.inputs.family === family)[0]);
        assert.deepEqual(container.command, ["npm", "run", "migrate"]);
        assert.match(String(container.image), /\/platform-\w+\/api:1\.0\.0$/);
        assert.deepEqual((container.secrets as { name: string }[]).map((s) => s.name), ["DATABASE_SECRET"]);
      });

      it("runs services in private subnets without public IPs, spread and rebalanced over AZs", async () => {
        const q = await primaryRegion(name);
        const privateSubnets = q.ofType("awsx:ec2:Vpc", (v) => v.name === "network-vpc")[0].outputs!.privateSubnetIds;
        const appSg = q.ofType("aws:ec2/securityGroup:SecurityGroup", (g) => g.name === "network-app")[0].id;
        for (const svc of q.ofType(SERVICE)) {
          const net = svc.inputs.networkConfiguration as { subnets: string[]; securityGroups: string[]; assignPublicIp: boolean };
          assert.deepEqual(net.subnets, privateSubnets, svc.name);
          assert.deepEqual(net.securityGroups, [appSg], svc.name);
          assert.equal(net.assignPublicIp, false, svc.name);
          assert.equal(svc.inputs.availabilityZoneRebalancing, "ENABLED", svc.name);
          assert.deepEqual(svc.options.ignoreChanges, ["desiredCount", "taskDefinition"], svc.name);
        }
      });

      it("scales services within the environment's bounds on CPU 70%, memory 75% and requests where configured", async () => {
        const q = await primaryRegion(name);
        const [min, max] = name === "prod" ? [2, 10] : [1, 2];
        for (const service of serviceNames(name)) {
          const target = q.ofType(SCALING_TARGET, (t) => String(t.inputs.resourceId).endsWith(`/${service}`))[0];
          assert.equal(target.inputs.minCapacity, min, service);
          assert.equal(target.inputs.maxCapacity, max, service);
          assert.equal(ecsService(q, service).inputs.desiredCount, min);
          const policies = q.ofType("aws:appautoscaling/policy:Policy", (p) => p.inputs.resourceId === target.inputs.resourceId);
          const tracked = policies.map((p) => {
            const c = p.inputs.targetTrackingScalingPolicyConfiguration as { targetValue: number; predefinedMetricSpecification?: { predefinedMetricType: string } };
            return `${c.predefinedMetricSpecification?.predefinedMetricType ?? "requests"}=${c.targetValue}`;
          });
          const requests = { auth: ["requests=1000"], api: ["requests=1000"], frontend: ["requests=2000"], api2: [] }[service]!;
          assert.deepEqual(tracked.sort(), ["ECSServiceAverageCPUUtilization=70", "ECSServiceAverageMemoryUtilization=75", ...requests].sort(), service);
        }
      });

      it("counts requests to both target groups per running task (blue/green alternates them)", async () => {
        const q = await primaryRegion(name);
        const policy = q.ofType("aws:appautoscaling/policy:Policy", (p) => p.name.endsWith("-api-requests"))[0];
        const metrics = (policy.inputs.targetTrackingScalingPolicyConfiguration as { customizedMetricSpecification: { metrics: { id: string; expression?: string; returnData: boolean; metricStat?: { metric: { dimensions: { name: string; value: string }[] } } }[] } }).customizedMetricSpecification.metrics;
        const tgs = metrics.filter((m) => m.id === "blue" || m.id === "green").map((m) => m.metricStat!.metric.dimensions.find((d) => d.name === "TargetGroup")!.value);
        const suffixes = q.ofType(TARGET_GROUP, (t) => t.name.startsWith("api-")).map((t) => t.arn!.split(":")[5]);
        assert.deepEqual(tgs.sort(), suffixes.sort());
        assert.deepEqual(metrics.filter((m) => m.returnData).map((m) => m.expression), ["(FILL(blue, 0) + FILL(green, 0)) / tasks"]);
      });

      it("defines non-root tasks with a read-only root filesystem (except the frontend) and KMS-encrypted logs", async () => {
        const q = await primaryRegion(name);
        for (const def of q.ofType(TASK_DEF)) {
          assert.deepEqual(def.inputs.requiresCompatibilities, ["FARGATE"]);
          assert.equal(def.inputs.networkMode, "awsvpc");
          const [c] = containers(def);
          assert.equal(c.user, "1000:1000", def.name);
          assert.equal(c.readonlyRootFilesystem, def.name !== "compute-frontend", def.name);
          const group = (c.logConfiguration as { options: Record<string, string> }).options["awslogs-group"];
          const logGroup = q.ofType("aws:cloudwatch/logGroup:LogGroup", (g) => g.inputs.name === group)[0];
          assert.ok(logGroup, `${def.name} logs to a group this stack creates`);
          assert.ok(String(logGroup.inputs.kmsKeyId).startsWith("arn:aws:kms:"));
          assert.equal(logGroup.inputs.retentionInDays, name === "prod" ? 90 : 14);
        }
      });

      it("sizes tasks from config and tags images with the configured release", async () => {
        const q = await primaryRegion(name);
        const api = q.named(TASK_DEF, "compute-api");
        assert.equal(api.inputs.cpu, "1024");
        assert.equal(api.inputs.memory, "2048");
        assert.equal(containers(api)[0].image, `123456789012.dkr.ecr.us-east-1.amazonaws.com/platform-${name}/api:1.0.0`);
      });

      it("gives each execution role only its image, its log group and its own secrets", async () => {
        const q = await primaryRegion(name);
        for (const def of q.ofType(TASK_DEF)) {
          const [c] = containers(def);
          const statements = roleStatements(q, roleByArn(q, def.inputs.executionRoleArn));
          assert.deepEqual(wildcardGrants(statements), [], def.name);
          const secretArns = new Set((c.secrets as { valueFrom: string }[]).map((s) => s.valueFrom.replace(/:[A-Za-z0-9_]+::$/, "")));
          const readable = statements.filter((s) => list(s.Action).includes("secretsmanager:GetSecretValue")).flatMap((s) => list(s.Resource));
          assert.deepEqual(new Set(readable), secretArns, def.name);
          const pull = statements.find((s) => list(s.Action).includes("ecr:BatchGetImage"))!;
          const repo = String(c.image).split("/").slice(1).join("/").split(":")[0];
          assert.deepEqual(list(pull.Resource), [`arn:aws:ecr:us-east-1:123456789012:repository/${repo}`], def.name);
        }
      });

      it("gives each task role only its queues and the bus, and ECS Exec only where enabled", async () => {
        const q = await primaryRegion(name);
        const [bus] = q.ofType("aws:cloudwatch/eventBus:EventBus");
        const settings = stackSettings(name);
        const queueArn = (queue: string) => q.ofType(QUEUE, (x) => x.inputs.name === `platform-${name}-${queue}`)[0].arn;
        const grants = (def: string) => {
          const statements = roleStatements(q, roleByArn(q, q.named(TASK_DEF, def).inputs.taskRoleArn));
          assert.deepEqual(wildcardGrants(statements), [], def);
          return statements.filter((s) => !String(s.Sid).startsWith("Exec")).flatMap((s) => list(s.Action).map((a) => `${a} ${list(s.Resource).join(",")}`)).sort();
        };
        const key = q.named("aws:kms/key:Key", "compute-key").arn;
        // What each service's config asks for, and nothing more: the bus if it publishes events, the
        // queues it sends to (and their key); each queue's processor may receive and delete its own.
        for (const svc of settings.services) {
          const sends = svc.sendsTo.flatMap((queue) => [`sqs:GetQueueAttributes ${queueArn(queue)}`, `sqs:SendMessage ${queueArn(queue)}`]);
          const expected = [...(svc.publishesEvents ? [`events:PutEvents ${bus.arn}`] : []), ...(sends.length ? [`kms:Decrypt ${key}`, `kms:GenerateDataKey ${key}`] : []), ...sends];
          assert.deepEqual(grants(`compute-${svc.name}`), expected.sort(), svc.name);
        }
        assert.ok(settings.services.some((s) => s.sendsTo.length) && settings.services.some((s) => !s.publishesEvents && !s.sendsTo.length), "the config has a sender and a service with no grant");
        for (const queue of settings.queues) {
          const arn = queueArn(queue.name);
          assert.deepEqual(grants(`compute-${queue.name}-worker`), [`kms:Decrypt ${key}`, ...["ChangeMessageVisibility", "DeleteMessage", "GetQueueAttributes", "ReceiveMessage"].map((a) => `sqs:${a} ${arn}`)], queue.name);
        }
        const [api] = settings.services.filter((s) => s.sendsTo.length);
        const execGrants = roleStatements(q, roleByArn(q, q.named(TASK_DEF, `compute-${api.name}`).inputs.taskRoleArn)).filter((s) => String(s.Sid).startsWith("Exec"));
        assert.equal(execGrants.length > 0, name === "dev", "ECS Exec is on in dev only");
        for (const svc of q.ofType(SERVICE)) assert.equal(svc.inputs.enableExecuteCommand ?? false, name === "dev" && !svc.name.endsWith("-worker"), svc.name);
      });

      it("gives every queue an encrypted DLQ, TLS-only policies and a visibility timeout above the worker's timeout", async () => {
        const q = await primaryRegion(name);
        const queues = q.ofType(QUEUE, (x) => !String(x.inputs.name).endsWith("-dlq") && !String(x.inputs.name).includes("schedules"));
        assert.ok(queues.length > 0);
        for (const queue of queues) {
          const redrive = JSON.parse(String(queue.inputs.redrivePolicy));
          const dlq = q.byIdOrArn(redrive.deadLetterTargetArn)!;
          assert.equal(dlq.inputs.name, `${queue.inputs.name}-dlq`);
          assert.equal(redrive.maxReceiveCount, 5);
          assert.equal(queue.inputs.visibilityTimeoutSeconds, 300 + 60);
          for (const x of [queue, dlq]) {
            assert.ok(String(x.inputs.kmsMasterKeyId).startsWith("arn:aws:kms:"), x.name);
            const policy = q.ofType("aws:sqs/queuePolicy:QueuePolicy", (p) => p.inputs.queueUrl === x.outputs?.url || String(p.inputs.queueUrl).endsWith(`/${x.inputs.name}`))[0];
            const deny = (JSON.parse(String(policy.inputs.policy)).Statement as PolicyStatement[]).find((s) => s.Sid === "DenyInsecureTransport")!;
            assert.deepEqual(deny.Condition, { Bool: { "aws:SecureTransport": "false" } }, x.name);
          }
        }
      });

      it("routes bus events to the queue only from its own rule", async () => {
        const q = await primaryRegion(name);
        const [rule] = q.ofType("aws:cloudwatch/eventRule:EventRule");
        assert.deepEqual(JSON.parse(String(rule.inputs.eventPattern)), { source: ["app.articles"], "detail-type": ["ArticlePublished"] });
        const policy = q.ofType("aws:sqs/queuePolicy:QueuePolicy", (p) => String(p.inputs.queueUrl).endsWith(`/platform-${name}-ingest`))[0];
        const allow = (JSON.parse(String(policy.inputs.policy)).Statement as PolicyStatement[]).find((s) => s.Effect === "Allow")!;
        assert.deepEqual(allow.Principal, { Service: "events.amazonaws.com" });
        assert.deepEqual(allow.Condition, { ArnEquals: { "aws:SourceArn": rule.arn } });
        assert.equal(q.ofType("aws:cloudwatch/eventArchive:EventArchive").length, 1);
      });

      it("scales each job processor on queue depth, down to zero when idle", async () => {
        const q = await primaryRegion(name);
        const { queues } = stackSettings(name);
        assert.ok(queues.length > 0);
        for (const queue of queues) {
          const worker = `compute-${queue.name}-worker`;
          const target = q.named(SCALING_TARGET, worker);
          assert.deepEqual([target.inputs.minCapacity, target.inputs.maxCapacity], [queue.processor.minTasks, queue.processor.maxTasks], queue.name);
          assert.equal(queue.processor.minTasks, 0, "idle processors scale to zero");
          assert.deepEqual(q.named(SERVICE, worker).inputs.deploymentCircuitBreaker, { enable: true, rollback: true });
          const backlog = q.named("aws:cloudwatch/metricAlarm:MetricAlarm", `${worker}-backlog`);
          assert.deepEqual(backlog.inputs.dimensions, { QueueName: `platform-${name}-${queue.name}` });
          const scaleOut = q.named("aws:appautoscaling/policy:Policy", `${worker}-scale-out`);
          assert.deepEqual(backlog.inputs.alarmActions, [scaleOut.outputs?.arn ?? (q.byIdOrArn((backlog.inputs.alarmActions as string[])[0]) ?? scaleOut).arn]);
        }
      });

      it("runs schedules on Fargate in private subnets through a role limited to those tasks", async () => {
        const q = await primaryRegion(name);
        const schedules = q.ofType("aws:scheduler/schedule:Schedule");
        assert.deepEqual(schedules.map((s) => s.inputs.scheduleExpression).sort(), ["cron(0 3 * * ? *)", "rate(15 minutes)"]);
        const api = q.named(TASK_DEF, "compute-api");
        for (const s of schedules) {
          const target = s.inputs.target as { roleArn: string; retryPolicy: unknown; deadLetterConfig: { arn: string }; ecsParameters: { taskDefinitionArn: string; launchType: string; networkConfiguration: { assignPublicIp: boolean } }; input: string };
          assert.equal(target.ecsParameters.taskDefinitionArn, api.arn!.replace(/:1$/, ""));
          assert.equal(target.ecsParameters.launchType, "FARGATE");
          assert.equal(target.ecsParameters.networkConfiguration.assignPublicIp, false);
          assert.equal(q.byIdOrArn(target.deadLetterConfig.arn)?.type, QUEUE);
          assert.equal(JSON.parse(target.input).containerOverrides[0].name, "api");
          const statements = roleStatements(q, roleByArn(q, target.roleArn));
          assert.deepEqual(wildcardGrants(statements), []);
          const pass = statements.find((x) => list(x.Action).includes("iam:PassRole"))!;
          assert.deepEqual(list(pass.Resource).sort(), [api.inputs.executionRoleArn, api.inputs.taskRoleArn].sort());
          const run = statements.find((x) => list(x.Action).includes("ecs:RunTask"))!;
          assert.deepEqual(list(run.Resource).sort(), [api.arn!.replace(/:1$/, ""), api.arn!.replace(/:1$/, ":*")].sort());
        }
      });

      it("keeps images in immutable, scanned, KMS-encrypted repositories with a lifecycle", async () => {
        const q = await primaryRegion(name);
        const repos = q.ofType("aws:ecr/repository:Repository");
        const images = [...new Set(stackSettings(name).services.map((s) => s.image ?? s.name))];
        assert.deepEqual(repos.map((r) => r.inputs.name).sort(), images.map((i) => `platform-${name}/${i}`).sort());
        for (const repo of repos) {
          assert.equal(repo.inputs.imageTagMutability, "IMMUTABLE");
          assert.deepEqual(repo.inputs.imageScanningConfiguration, { scanOnPush: true });
          assert.equal((repo.inputs.encryptionConfigurations as { encryptionType: string }[])[0].encryptionType, "KMS");
          assert.equal(repo.options.protect, name === "prod");
          const lifecycle = JSON.parse(String(q.ofType("aws:ecr/lifecyclePolicy:LifecyclePolicy", (l) => l.inputs.repository === repo.inputs.name)[0].inputs.policy));
          assert.equal(lifecycle.rules[1].selection.countNumber, name === "prod" ? 50 : 10);
          assert.equal(lifecycle.rules[0].selection.tagStatus, "untagged");
        }
      });

      it("proxies npm through CodeArtifact under an internal repository", async () => {
        const q = await primaryRegion(name);
        const repos = q.ofType("aws:codeartifact/repository:Repository");
        const store = repos.find((r) => r.inputs.repository === "npm-store")!;
        const internal = repos.find((r) => r.inputs.repository === "internal")!;
        assert.deepEqual(store.inputs.externalConnections, { externalConnectionName: "public:npmjs" });
        assert.deepEqual(internal.inputs.upstreams, [{ repositoryName: "npm-store" }]);
        assert.ok(String(q.ofType("aws:codeartifact/domain:Domain")[0].inputs.encryptionKey).startsWith("arn:aws:kms:"));
      });

      it("trusts GitHub OIDC only with the audience pinned and this environment's subjects", async () => {
        const q = await primaryRegion(name);
        const trust = (role: string) => {
          const doc = JSON.parse(String(q.named(ROLE, `compute-ci-${role}`).inputs.assumeRolePolicy)).Statement[0] as PolicyStatement;
          assert.equal(doc.Action, "sts:AssumeRoleWithWebIdentity");
          assert.equal(doc.Condition!.StringEquals["token.actions.githubusercontent.com:aud"], "sts.amazonaws.com");
          return list(doc.Condition!.StringEquals["token.actions.githubusercontent.com:sub"]);
        };
        const deploySubject = (repo: string) => `repo:${repo}:environment:${name}`;
        assert.deepEqual(trust("preview"), ["repo:example/platform:pull_request", "repo:example/platform:ref:refs/heads/main"]);
        assert.deepEqual(trust("deploy"), [deploySubject("example/platform")]);
        assert.deepEqual(trust("application"), [deploySubject("example/app")]);
      });

      it("lets application pipelines pass only the task roles and run only the migration, in every region", async () => {
        const q = await stack(name);
        const statements = roleStatements(q, q.named(ROLE, "compute-ci-application"));
        assert.deepEqual(wildcardGrants(statements), []);
        const taskRoles = new Set(q.ofType(TASK_DEF).flatMap((d) => [d.inputs.executionRoleArn, d.inputs.taskRoleArn]));
        const pass = statements.find((s) => list(s.Action).includes("iam:PassRole"))!;
        assert.deepEqual(new Set(list(pass.Resource)), taskRoles);
        const run = statements.find((s) => list(s.Action).includes("ecs:RunTask"))!;
        const regions = name === "prod" ? ["us-east-1", "us-west-2"] : ["us-east-1"];
        assert.deepEqual(list(run.Resource).map((r) => r.split(":")[3]).sort(), regions);
        for (const r of list(run.Resource)) assert.match(r, /task-definition\/platform-\w+-compute(-secondary)?-migrations:\*$/);
      });
    });
  }

  it("runs on Spot in dev and keeps on-demand tasks under Spot in prod", async () => {
    const strategy = async (s: StackName) => (await stack(s)).ofType("aws:ecs/clusterCapacityProviders:ClusterCapacityProviders")[0].inputs.defaultCapacityProviderStrategies;
    assert.deepEqual(await strategy("dev"), [{ capacityProvider: "FARGATE_SPOT", weight: 1 }]);
    assert.deepEqual(await strategy("prod"), [
      { capacityProvider: "FARGATE", weight: 1, base: 2 },
      { capacityProvider: "FARGATE_SPOT", weight: 3 },
    ]);
  });

  it("keeps target-group names (with Pulumi's 8-character suffix) within ALB's 32", async () => {
    for (const s of ["dev", "prod"] as StackName[]) {
      for (const tg of (await stack(s)).ofType(TARGET_GROUP)) assert.ok(tg.name.length + 8 <= 32, tg.name);
    }
  });

  it("flags a wildcard grant on a scopable action (the check can fail)", () => {
    assert.deepEqual(wildcardGrants([{ Sid: "Bad", Effect: "Allow", Action: ["sqs:SendMessage", "ecr:GetAuthorizationToken"], Resource: "*" }]), ["Bad: sqs:SendMessage"]);
  });
});

describe("a service added by config alone (a fifth in dev): the same checks hold for it", () => {
  const fifth = { name: "search", port: 8080, paths: ["/search/*"], cpu: 256, memory: 512, secrets: { DATABASE_SECRET: "database" } };
  const services = [...stackSettings("dev").services.filter((s) => !s.paths.includes("/*")), fifth, ...stackSettings("dev").services.filter((s) => s.paths.includes("/*"))];
  const evaluation = early(() => evaluateStack({ stack: "dev", overrides: { "platform:services": services } }));

  it("plans, and each of the five services is deployed blue/green with its repository and scaling target", async () => {
    const result = await evaluation;
    assert.ok(result.ok, result.ok ? "" : result.message);
    const q = new GraphQuery(result.graph).inRegion("us-east-1");
    assert.equal(services.length, 5);
    for (const s of services) {
      checkBlueGreen(q, s.name, "0");
      assert.equal(q.ofType("aws:ecr/repository:Repository", (r) => r.inputs.name === `platform-dev/${(s as { image?: string }).image ?? s.name}`).length, 1, s.name);
      assert.equal(q.ofType(SCALING_TARGET, (t) => String(t.inputs.resourceId).endsWith(`/${s.name}`)).length, 1, s.name);
    }
    // The check can fail: a service the config does not have is not found.
    assert.throws(() => checkBlueGreen(q, "nope", "0"));
  });
});
