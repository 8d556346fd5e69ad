import { strict as assert } from "assert";
import { ValidationResult, validateConfig } from "../config/validate";
import { credentialProblems } from "../config";
import { DATADOG_SITES, datadogLogIntakeUrl } from "../config/observability";
import { DATADOG_WRITES_LEFT_OUT, MANAGED_POLICY_LIMIT, splitPermissions } from "@platform/components/observability";
import { DATADOG_IAM_PERMISSIONS } from "../tools/plan/mocks";
import { loadStackConfig } from "../tools/plan/stackConfig";
import { PlanGraph, PlanResource } from "../tools/plan/graph";
import { GraphQuery } from "../tools/plan/query";
import { StackName, primaryRegion, serviceNames, stack } from "./support/stacks";
import * as path from "path";

const MONITOR = "datadog:index/monitor:Monitor";
const SLO = "datadog:index/serviceLevelObjective:ServiceLevelObjective";
const LOG_GROUP = "aws:cloudwatch/logGroup:LogGroup";
const SUBSCRIPTION = "aws:cloudwatch/logSubscriptionFilter:LogSubscriptionFilter";
const FIREHOSE = "aws:kinesis/firehoseDeliveryStream:FirehoseDeliveryStream";
const ALARM = "aws:cloudwatch/metricAlarm:MetricAlarm";
const TOPIC = "aws:sns/topic:Topic";
const SUBSCRIBE = "aws:sns/topicSubscription:TopicSubscription";

const monitors = (q: GraphQuery) => q.ofType(MONITOR);
const queryOf = (r: PlanResource) => String(r.inputs.query);
const regionOf = (arn: unknown) => String(arn).split(":")[3];

/**
 * Datadog's anomaly-monitor grammar: anomalies(<metric>, '<algorithm>', <bounds>, named options)
 * compared with >= 1 over a window at least as long as the alert window.
 */
const ANOMALY = /^avg\(last_(\d+)h\):anomalies\((?<metric>(sum|avg|max|min):aws\.[a-z0-9_.]+\{[^}]+\}(\.as_count\(\))?), '(basic|agile|robust)', (\d+(\.\d+)?), direction='(both|above|below)', interval=(60|300|900|3600), alert_window='last_(\d+)m'(, count_default_zero='true')?, seasonality='(hourly|daily|weekly)', timezone='utc'\) >= 1$/;
function anomalyProblems(query: string): string[] {
  const m = ANOMALY.exec(query);
  if (!m) return [`not an anomaly query Datadog accepts: ${query}`];
  const problems: string[] = [];
  if (Number(m[1]) * 60 < Number(m[10])) problems.push(`evaluation window shorter than the alert window: ${query}`);
  if (/count_default_zero/.test(query) && !m.groups!.metric.endsWith(".as_count()")) problems.push(`count_default_zero on a non-count metric: ${query}`);
  return problems;
}

/** Application log groups that have no subscription filter to the Firehose stream. */
/** Application log groups with no subscription to a Firehose stream of their own region (names repeat across regions). */
function unsubscribed(q: GraphQuery): string[] {
  const streams = new Set(q.ofType(FIREHOSE).map((s) => s.arn));
  const subscribed = new Set(q.ofType(SUBSCRIPTION, (s) => streams.has(String(s.inputs.destinationArn))).map((s) => `${s.region} ${s.inputs.logGroup}`));
  return q
    .ofType(LOG_GROUP, (g) => g.urn.includes("platform:compute:"))
    .map((g) => `${g.region} ${String(g.inputs.name ?? g.id)}`)
    .filter((key) => !subscribed.has(key));
}

function without(q: GraphQuery, drop: (r: PlanResource) => boolean): GraphQuery {
  const graph: PlanGraph = { ...q.graph, resources: q.graph.resources.filter((r) => !drop(r)) };
  return new GraphQuery(graph);
}

const PROJECT = path.resolve(__dirname, "..");
function withObservability(stackName: StackName, patch: (o: Record<string, unknown>) => void, extra: Record<string, unknown> = {}): ValidationResult {
  const { config } = loadStackConfig(PROJECT, stackName);
  const raw: Record<string, unknown> = { ...config, ...extra };
  const o = JSON.parse(config["platform:observability"]) as Record<string, unknown>;
  patch(o);
  raw["platform:observability"] = o;
  return validateConfig(raw);
}
const problemsOf = (r: ValidationResult) => (r.ok ? [] : r.problems.map((p) => `${p.key}: ${p.message}`));

describe("Observability component", () => {
  describe("pure parts", () => {
    it("recognises well-formed anomaly queries and rejects malformed ones", () => {
      assert.deepEqual(anomalyProblems("avg(last_4h):anomalies(sum:aws.applicationelb.request_count{targetgroup:a}.as_count(), 'agile', 3, direction='both', interval=300, alert_window='last_30m', count_default_zero='true', seasonality='weekly', timezone='utc') >= 1"), []);
      for (const bad of [
        "avg(last_4h):anomalies(sum:aws.applicationelb.request_count{targetgroup:a}, 'agile', 3) >= 1",
        "avg(last_4h):anomalies(sum:aws.x{a:b}, 'magic', 3, direction='both', interval=300, alert_window='last_30m', seasonality='weekly', timezone='utc') >= 1",
        "avg(last_4h):anomalies(avg:aws.x{a:b}, 'agile', 3, direction='both', interval=300, alert_window='last_30m', count_default_zero='true', seasonality='weekly', timezone='utc') >= 1",
        "avg(last_1h):anomalies(avg:aws.x{a:b}, 'agile', 3, direction='both', interval=300, alert_window='last_90m', seasonality='weekly', timezone='utc') >= 1",
      ]) {
        assert.notDeepEqual(anomalyProblems(bad), [], bad);
      }
    });

    it("splits Datadog's permission list into policies that fit IAM's limit, and refuses when they cannot", () => {
      const groups = splitPermissions(DATADOG_IAM_PERMISSIONS, 2);
      assert.equal(groups.length, 2);
      assert.deepEqual(groups.flat(), [...new Set(DATADOG_IAM_PERMISSIONS)].sort());
      const huge = Array.from({ length: 400 }, (_, i) => `service${i}:DescribeSomethingLong${i}`);
      assert.throws(() => splitPermissions(huge, 2, MANAGED_POLICY_LIMIT), /needs more than 2 managed policies/);
    });

    it("knows the Firehose intake of every Datadog site", () => {
      assert.equal(datadogLogIntakeUrl("US1"), "https://aws-kinesis-http-intake.logs.datadoghq.com/v1/input");
      assert.equal(datadogLogIntakeUrl("EU1"), "https://aws-kinesis-http-intake.logs.datadoghq.eu/v1/input");
      assert.equal(DATADOG_SITES.US1_FED.awsAccount, "065115117704");
    });
  });

  describe("config", () => {
    it("rejects an SLO target of 100 or more, and of 0", () => {
      for (const target of [100, 100.5, 0]) {
        const problems = problemsOf(withObservability("dev", (o) => (o.slo = { target })));
        assert.ok(problems.some((p) => p.startsWith("platform:observability.slo.target: expected an SLO target")), problems.join("\n"));
      }
      const override = problemsOf(withObservability("prod", (o) => ((o.slo as Record<string, unknown>).overrides = { auth: 100 })));
      assert.ok(override.some((p) => p.startsWith("platform:observability.slo.overrides.auth: expected an SLO target below 100")), override.join("\n"));
    });

    it("rejects an unknown Datadog site and names the valid ones", () => {
      const problems = problemsOf(withObservability("dev", (o) => ((o.datadog as Record<string, unknown>).site = "US2")));
      assert.equal(problems.length, 1);
      assert.match(problems[0], /^platform:observability\.datadog\.site: .*US1.*EU1.*US1_FED/);
    });

    it("prod must page through Opsgenie; any other stack may (the environment sets strictness, not what a stack has)", () => {
      const prod = problemsOf(withObservability("prod", (o) => delete (o.paging as Record<string, unknown>).opsgenie));
      assert.deepEqual(prod, ["platform:observability.paging.opsgenie: is required in prod: prod monitors page through Opsgenie ({ service, region })"]);
      const dev = problemsOf(withObservability("dev", (o) => ((o.paging as Record<string, unknown>).opsgenie = { service: "platform-dev", region: "us" })));
      assert.deepEqual(dev, []);
    });

    it("rejects an SLO override for a service that does not exist", () => {
      const problems = problemsOf(withObservability("prod", (o) => ((o.slo as Record<string, unknown>).overrides = { athu: 99.9 })));
      assert.deepEqual(problems, ['platform:observability.slo.overrides.athu: expected the name of a service in platform:services, got "athu"']);
    });

    it("refuses to deploy without the Datadog API key, and prod without the Opsgenie credentials", () => {
      const dev = validateConfig(loadStackConfig(PROJECT, "dev").config);
      const prod = validateConfig(loadStackConfig(PROJECT, "prod").config);
      assert.ok(dev.ok && prod.ok);
      assert.deepEqual(credentialProblems(dev.config, () => true), []);
      assert.deepEqual(credentialProblems(dev.config, () => false).map((p) => p.key), ["datadog:apiKey"]);
      assert.deepEqual(credentialProblems(prod.config, (n) => n === "datadogApiKey").map((p) => p.key), ["opsgenie:apiKey", "opsgenie:cloudwatchEndpoint"]);
      assert.match(credentialProblems(prod.config, () => false)[1].message, /pulumi config set --secret opsgenie:apiKey .*OPSGENIE_API_KEY/);
    });
  });

  for (const name of ["dev", "prod"] as StackName[]) {
    describe(`${name} stack`, () => {
      it("has a monitor for every ECS service, every queue and every dead-letter queue in the stack", async () => {
        const q = await stack(name);
        const queries = monitors(q).map(queryOf).join("\n");
        const services = q.ofType("aws:ecs/service:Service").map((s) => String(s.inputs.name ?? s.id).toLowerCase());
        const queues = q.ofType("aws:sqs/queue:Queue").map((s) => String(s.inputs.name ?? s.id).toLowerCase());
        assert.ok(services.length >= 5 && queues.length >= 3, `${services.length} services, ${queues.length} queues`);
        for (const s of services) assert.ok(queries.includes(`servicename:${s}`), `no monitor watches ECS service ${s}`);
        for (const queue of queues) assert.ok(queries.includes(`queuename:${queue}`), `no monitor watches queue ${queue}`);
        for (const dlq of queues.filter((n) => n.includes("dead-letter") || n.includes("dlq"))) {
          assert.ok(monitors(q).some((m) => queryOf(m).includes(`approximate_number_of_messages_visible{queuename:${dlq}} > 0`)), `no "any message" monitor on ${dlq}`);
        }
      });

      it("gives every monitor env/service tags, a priority, thresholds matching its query, and a no-data policy", async () => {
        const q = await stack(name);
        for (const m of monitors(q)) {
          const tags = m.inputs.tags as string[];
          assert.ok(tags.includes(`env:${name}`) && tags.some((t) => t.startsWith("service:")), `${m.name} tags ${tags}`);
          assert.match(String(m.inputs.priority), /^[1-5]$/, m.name);
          assert.equal(typeof m.inputs.notifyNoData, "boolean", m.name);
          const critical = (m.inputs.monitorThresholds as Record<string, string>).critical;
          assert.ok(queryOf(m).endsWith(` ${critical}`), `${m.name}: query ${queryOf(m)} does not compare against its critical threshold ${critical}`);
        }
      });

      it("writes well-formed anomaly monitors on request count and latency of every public service", async () => {
        const q = await primaryRegion(name);
        const anomalies = monitors(q).filter((m) => queryOf(m).includes("anomalies("));
        const services = q.ofType("aws:ecs/service:Service", (s) => !String(s.inputs.name).includes("worker")).length;
        assert.equal(anomalies.length, 2 * services, anomalies.map((a) => a.name).join(", "));
        for (const m of anomalies) {
          assert.deepEqual(anomalyProblems(queryOf(m)), []);
          assert.deepEqual(m.inputs.monitorThresholdWindows, { triggerWindow: "last_30m", recoveryWindow: "last_30m" });
        }
        assert.ok(anomalies.some((m) => queryOf(m).includes("request_count")) && anomalies.some((m) => queryOf(m).includes("target_response_time")));
      });

      it("guards the global database's RPO lag with a CloudWatch alarm on each cluster in its region, paging only on the secondary's", async () => {
        const q = await stack(name);
        const lagAlarms = q.ofType(ALARM, (a) => a.inputs.metricName === "AuroraGlobalDBRPOLag");
        assert.equal(monitors(q).filter((m) => queryOf(m).includes("aurora_global")).length, 0, "Datadog publishes no such metric");
        if (name === "dev") {
          assert.equal(lagAlarms.length, 0);
          return;
        }
        const clusters = q.ofType("aws:rds/cluster:Cluster");
        assert.equal(lagAlarms.length, clusters.length, "one per cluster: a switchover swaps which one is secondary");
        for (const alarm of lagAlarms) {
          const cluster = clusters.find((c) => c.id === (alarm.inputs.dimensions as Record<string, string>).DBClusterIdentifier)!;
          assert.deepEqual(
            { namespace: alarm.inputs.namespace, threshold: alarm.inputs.threshold, statistic: alarm.inputs.statistic, treatMissingData: alarm.inputs.treatMissingData },
            { namespace: "AWS/RDS", threshold: 5000, statistic: "Maximum", treatMissingData: "notBreaching" },
          );
          // The alarm lives where the metric is: its cluster's region, with a topic there that pages.
          assert.equal(regionOf(alarm.arn), regionOf(cluster.arn));
          assert.deepEqual((alarm.inputs.alarmActions as string[]).map(regionOf), [regionOf(cluster.arn)]);
          const topic = q.byIdOrArn((alarm.inputs.alarmActions as string[])[0])!;
          assert.equal(q.ofType("aws:sns/topicSubscription:TopicSubscription", (t) => t.inputs.topic === topic.arn).length, 1, "the region's topic pages Opsgenie");
          // Only the secondary reports the metric; the serving region's (us-east-1) cluster is the writer.
          assert.equal(alarm.inputs.actionsEnabled, regionOf(cluster.arn) === "us-west-2", alarm.name);
        }
      });

      it(name === "prod" ? "routes every monitor to Opsgenie on alert, never on warning" : "never pages: monitors notify the dev channel only", async () => {
        const q = await stack(name);
        for (const m of monitors(q)) {
          const message = String(m.inputs.message);
          if (name === "prod") {
            assert.ok(message.includes("{{#is_alert}}@opsgenie-platform-prod{{/is_alert}}"), m.name);
            assert.ok(!/\{\{#is_warning\}\}[^{]*@opsgenie/.test(message), m.name);
            assert.ok((m.options.dependsOn as string[]).some((d) => d.includes("opsgenie/serviceObject")), m.name);
          } else {
            assert.ok(!message.includes("@opsgenie"), m.name);
            assert.ok(message.includes("@slack-platform-dev"), m.name);
          }
        }
        const opsgenie = q.ofType("datadog:opsgenie/serviceObject:ServiceObject");
        assert.equal(opsgenie.length, name === "prod" ? 1 : 0);
        if (name === "prod") assert.equal(opsgenie[0].inputs.opsgenieApiKey, "[secret]");
        // Last-resort alarms reach the pager in prod only.
        const subscriptions = q.ofType(SUBSCRIBE);
        assert.equal(subscriptions.length, name === "prod" ? 2 : 0);
        for (const s of subscriptions) assert.deepEqual([s.inputs.protocol, s.inputs.endpoint], ["https", "[secret]"]);
      });

      it("keeps every log group encrypted with a retention, and ships every application log group to Datadog", async () => {
        const q = await stack(name);
        for (const g of q.ofType(LOG_GROUP)) {
          assert.ok(typeof g.inputs.retentionInDays === "number" && g.inputs.retentionInDays > 0, `${g.name} has no retention`);
          assert.ok(g.inputs.kmsKeyId, `${g.name} is not KMS-encrypted`);
        }
        assert.deepEqual(unsubscribed(q), []);
        // The check fails when a subscription is missing.
        const oneLess = without(q, (r) => r.type === SUBSCRIPTION && r.name.endsWith("-migration-gate"));
        assert.equal(unsubscribed(oneLess).length, name === "prod" ? 2 : 1, "one migration gate per region");
        const apps = q.ofType(LOG_GROUP, (g) => g.urn.includes("platform:compute:"));
        assert.ok(apps.length >= 8, `${apps.length} application log groups`);
      });

      it("delivers logs through an encrypted Firehose stream with the API key from Secrets Manager and failures kept in S3", async () => {
        const q = await stack(name);
        const [stream] = q.ofType(FIREHOSE);
        const http = stream.inputs.httpEndpointConfiguration as Record<string, Record<string, unknown> & { s3Configuration: Record<string, unknown> }>;
        assert.deepEqual(stream.inputs.serverSideEncryption, { enabled: true, keyType: "CUSTOMER_MANAGED_CMK", keyArn: (stream.inputs.serverSideEncryption as { keyArn: string }).keyArn });
        assert.equal(http.url, datadogLogIntakeUrl("US1"));
        assert.equal(http.accessKey, undefined);
        assert.equal((http.secretsManagerConfiguration as Record<string, unknown>).enabled, true);
        const secret = q.byIdOrArn((http.secretsManagerConfiguration as Record<string, unknown>).secretArn)!;
        assert.equal(secret.type, "aws:secretsmanager/secret:Secret");
        assert.ok(secret.inputs.kmsKeyId);
        assert.equal(http.s3BackupMode, "FailedDataOnly");
        assert.match(q.byIdOrArn(http.s3Configuration.bucketArn)!.name, /log-backup/);
        // CloudWatch Logs may put records on this stream only.
        const logsPolicy = q.ofType("aws:iam/rolePolicy:RolePolicy", (p) => p.name === "observability-logs-logs")[0];
        const statements = JSON.parse(String(logsPolicy.inputs.policy)).Statement;
        assert.deepEqual(statements.map((s: { Resource: unknown }) => s.Resource), [stream.arn]);
      });

      it("gives every public service an availability SLO within (0, 100) and burn-rate alerts on it", async () => {
        const q = await stack(name);
        const slos = q.ofType(SLO);
        assert.equal(slos.length, 4);
        for (const slo of slos) {
          const [threshold] = slo.inputs.thresholds as { target: number; warning: number; timeframe: string }[];
          assert.ok(threshold.target > 0 && threshold.target < 100 && threshold.warning > threshold.target && threshold.warning < 100, JSON.stringify(threshold));
          const query = slo.inputs.query as { numerator: string; denominator: string };
          assert.ok(query.numerator.startsWith(`${query.denominator} - sum:aws.applicationelb.httpcode_target_5xx`), query.numerator);
          const burns = monitors(q).filter((m) => m.inputs.type === "slo alert" && queryOf(m).startsWith(`burn_rate("${slo.id}")`));
          assert.equal(burns.length, 2, slo.name);
        }
        const auth = slos.find((s) => s.name.includes("-auth-"))!;
        assert.equal((auth.inputs.thresholds as { target: number }[])[0].target, name === "prod" ? 99.95 : 99.5);
      });

      it("builds the dashboard from the stack's content", async () => {
        const q = await stack(name);
        const [dashboard] = q.ofType("datadog:index/dashboardJson:DashboardJson");
        const definition = JSON.parse(String(dashboard.inputs.dashboard));
        const groups = (definition.widgets as { definition: { title: string } }[]).map((w) => w.definition.title);
        for (const s of serviceNames(name)) assert.ok(groups.includes(`Service: ${s}`), groups.join(", "));
        assert.ok(groups.includes("Queues and jobs") && groups.includes("Aurora") && groups.includes("Redis") && groups.includes("SLOs"));
        const text = JSON.stringify(definition);
        assert.equal(text.includes("us-west-2: CPU"), name === "prod");
      });

      it("trusts only Datadog's account with our external id, and integrates the stack's regions", async () => {
        const q = await stack(name);
        const role = q.named("aws:iam/role:Role", "observability-datadog");
        const externalId = q.ofType("datadog:aws/integrationExternalId:IntegrationExternalId")[0];
        const [statement] = JSON.parse(String(role.inputs.assumeRolePolicy)).Statement;
        assert.deepEqual(statement.Principal, { AWS: "arn:aws:iam::464622532012:root" });
        assert.deepEqual(statement.Condition, { StringEquals: { "sts:ExternalId": externalId.id } });
        const [account] = q.ofType("datadog:aws/integrationAccount:IntegrationAccount");
        assert.deepEqual((account.inputs.awsRegions as { includeOnlies: string[] }).includeOnlies, name === "prod" ? ["us-east-1", "us-west-2"] : ["us-east-1"]);
        assert.deepEqual(account.inputs.authConfig, { awsAuthConfigRole: { roleName: role.inputs.name, externalId: externalId.id } });
        // Read-only: Datadog's list (split over two policies) and SecurityAudit, nothing else.
        const attached = q.ofType("aws:iam/rolePolicyAttachment:RolePolicyAttachment", (a) => a.inputs.role === role.inputs.name);
        const actions = attached
          .map((a) => q.byIdOrArn(a.inputs.policyArn))
          .filter((p): p is PlanResource => p !== undefined)
          .flatMap((p) => JSON.parse(String(p.inputs.policy)).Statement[0].Action as string[]);
        assert.deepEqual(actions.sort(), [...new Set(DATADOG_IAM_PERMISSIONS)].filter((a) => !DATADOG_WRITES_LEFT_OUT.includes(a)).sort());
        assert.ok(DATADOG_WRITES_LEFT_OUT.every((a) => DATADOG_IAM_PERMISSIONS.includes(a)), "the writes left out are in Datadog's list");
        assert.ok(attached.some((a) => a.inputs.policyArn === "arn:aws:iam::aws:policy/SecurityAudit"));
        assert.equal(attached.length, 3);
      });

      it("encrypts the alarm topics with a key CloudWatch may use, and lets only our alarms publish", async () => {
        const q = await stack(name);
        for (const topic of q.ofType(TOPIC)) {
          const key = q.byIdOrArn(topic.inputs.kmsMasterKeyId)!;
          const keyPolicy = JSON.parse(String(key.inputs.policy)).Statement as { Principal: unknown; Sid: string }[];
          assert.ok(keyPolicy.some((s) => JSON.stringify(s.Principal) === JSON.stringify({ Service: "cloudwatch.amazonaws.com" })), topic.name);
          const policy = q.ofType("aws:sns/topicPolicy:TopicPolicy", (p) => p.inputs.arn === topic.arn)[0];
          const statements = JSON.parse(String(policy.inputs.policy)).Statement as { Effect: string; Condition?: Record<string, Record<string, string>> }[];
          const allow = statements.filter((s) => s.Effect === "Allow");
          assert.equal(allow.length, 1);
          assert.ok(allow[0].Condition?.ArnLike?.["aws:SourceArn"]?.includes(":alarm:*"));
          assert.ok(statements.some((s) => s.Effect === "Deny" && s.Condition?.Bool?.["aws:SecureTransport"] === "false"));
        }
        const dlqAlarms = q.ofType(ALARM, (a) => a.name.endsWith("-dlq"));
        const dlqs = q.ofType("aws:sqs/queue:Queue", (s) => /dead-letter|dlq/.test(String(s.inputs.name ?? s.id)));
        assert.equal(dlqAlarms.length, dlqs.length);
      });
    });
  }
});

