import { strict as assert } from "assert";
import * as fs from "fs";
import * as path from "path";
import { formatProblems, validateConfig } from "../config/validate";
import { PlanResource } from "../tools/plan/graph";
import { GraphQuery } from "../tools/plan/query";
import { loadStackConfig } from "../tools/plan/stackConfig";
import { PRIMARY_REGION, STANDBY_REGION, serviceNames, stack } from "./support/stacks";

const SERVICE = "aws:ecs/service:Service";
const SERVICES = serviceNames("prod");

type Container = { environment: { name: string; value: string }[]; secrets: { name: string; valueFrom: string }[] };
const containerOf = (q: GraphQuery, service: PlanResource): Container => JSON.parse(String(q.byIdOrArn(service.inputs.taskDefinition)!.inputs.containerDefinitions))[0];
const env = (c: Container) => Object.fromEntries(c.environment.map((e) => [e.name, e.value]));
const inRegion = async (region: string) => (await stack("prod")).inRegion(region);

describe("warm-standby region (prod)", () => {
  it("runs every service in both regions; the standby keeps 1 task each, able to scale to the primary's maximum", async () => {
    for (const region of [PRIMARY_REGION, STANDBY_REGION]) {
      const q = await inRegion(region);
      const services = q.ofType(SERVICE, (s) => !String(s.inputs.name).endsWith("-worker"));
      assert.deepEqual(services.map((s) => s.inputs.name).sort(), [...SERVICES].sort(), region);
      for (const s of services) assert.equal(s.inputs.desiredCount, region === STANDBY_REGION ? 1 : 2, `${region} ${s.inputs.name}`);
    }
    const targets = (await inRegion(STANDBY_REGION)).ofType("aws:appautoscaling/target:Target", (t) => !String(t.inputs.resourceId).includes("worker"));
    assert.deepEqual([...new Set(targets.map((t) => `${t.inputs.minCapacity}-${t.inputs.maxCapacity}`))], ["1-10"]);
  });

  it("scales the standby's job processors to zero and creates its schedules DISABLED", async () => {
    const standby = await inRegion(STANDBY_REGION);
    const worker = standby.ofType(SERVICE, (s) => String(s.inputs.name).endsWith("-worker"));
    assert.deepEqual(worker.map((w) => w.inputs.desiredCount), [0]);
    assert.deepEqual(standby.ofType("aws:appautoscaling/target:Target", (t) => String(t.inputs.resourceId).includes("worker")).map((t) => [t.inputs.minCapacity, t.inputs.maxCapacity]), [[0, 0]]);
    const states = (q: GraphQuery) => q.ofType("aws:scheduler/schedule:Schedule").map((s) => s.inputs.state);
    assert.deepEqual(states(standby), ["DISABLED", "DISABLED"]);
    assert.deepEqual(states(await inRegion(PRIMARY_REGION)), ["ENABLED", "ENABLED"]);
  });

  it("points both regions' services at the global writer endpoint, and each at its own readers, cache and secrets", async () => {
    const full = await stack("prod");
    const writer = String(full.graph.outputs.globalWriterEndpoint);
    assert.match(writer, /^platform-prod\.global-[0-9a-f]+\.global\.rds\.amazonaws\.com$/);
    for (const region of [PRIMARY_REGION, STANDBY_REGION]) {
      const q = full.inRegion(region);
      const cluster = q.ofType("aws:rds/cluster:Cluster")[0];
      const cache = q.ofType("aws:elasticache/replicationGroup:ReplicationGroup")[0];
      for (const s of q.ofType(SERVICE, (x) => SERVICES.includes(String(x.inputs.name)))) {
        const c = containerOf(full, s);
        const e = env(c);
        assert.equal(e.DATABASE_HOST, writer, `${region} ${s.inputs.name}`);
        assert.match(e.DATABASE_READER_HOST, new RegExp(`^${cluster.id}\\.cluster-ro-.*\\.${region}\\.rds\\.amazonaws\\.com$`));
        assert.ok(e.REDIS_HOST.includes(String(cache.id)), `${region}: its own cache`);
        for (const secret of c.secrets) assert.equal(secret.valueFrom.split(":")[3], region, `${region} ${s.inputs.name} ${secret.name}`);
      }
    }
  });

  it("replicates the secrets services read to the standby under its key, and images to its registry", async () => {
    const q = await stack("prod");
    const standbyKey = q.named("aws:kms/key:Key", "data-secondary");
    for (const name of ["data-news-api-key", "data-llm-api-key", "data-aurora-master"]) {
      assert.deepEqual(q.named("aws:secretsmanager/secret:Secret", name).inputs.replicas, [{ region: STANDBY_REGION, kmsKeyId: standbyKey.arn }], name);
    }
    const [replication] = q.ofType("aws:ecr/replicationConfiguration:ReplicationConfiguration");
    assert.equal(replication.region, PRIMARY_REGION);
    assert.deepEqual(replication.inputs.replicationConfiguration, { rules: [{ destinations: [{ region: STANDBY_REGION, registryId: "123456789012" }] }] });
    const repos = (region: string) => q.inRegion(region).ofType("aws:ecr/repository:Repository").map((r) => r.inputs.name).sort();
    assert.deepEqual(repos(STANDBY_REGION), repos(PRIMARY_REGION), "the replicas land in repositories of the same names");
  });

  it("gives the standby its own Redis in its isolated subnets, encrypted with its key", async () => {
    const q = await inRegion(STANDBY_REGION);
    const [cache] = q.ofType("aws:elasticache/replicationGroup:ReplicationGroup");
    assert.equal(cache.inputs.numCacheClusters, 2, "primary + 1 replica (platform:standby.redisReplicas)");
    assert.equal(cache.inputs.kmsKeyId, q.named("aws:kms/key:Key", "data-secondary").arn);
  });

  it("puts nothing of the standby in dev", async () => {
    const q = await stack("dev");
    assert.deepEqual(q.resources.filter((r) => r.region === STANDBY_REGION || r.type === "platform:region:Region").map((r) => r.urn), []);
  });

  describe("config", () => {
    const ROOT = path.resolve(__dirname, "..");
    const problems = (edit: (c: Record<string, unknown>) => void) => {
      const config = { ...loadStackConfig(ROOT, "prod").config } as Record<string, unknown>;
      edit(config);
      const result = validateConfig(config);
      return result.ok ? "" : formatProblems(result.problems);
    };

    it("accepts the committed prod stack", () => assert.equal(problems(() => {}), ""));

    it("refuses a standby without a secondary region, with an unknown service or key, and with RDS Proxy; prod without one", () => {
      assert.match(problems((c) => delete c["platform:secondaryRegion"]), /platform:standby: needs platform:secondaryRegion/);
      // The environment sets strictness, not topology: a staging may rehearse failovers with a standby.
      assert.equal(problems((c) => (c["platform:environment"] = "staging")), "");
      assert.match(problems((c) => delete c["platform:standby"]), /platform:standby: is required in prod/);
      assert.match(problems((c) => (c["platform:standby"] = JSON.stringify({ services: { payments: { minTasks: 2 } } }))), /platform:standby\.services\.payments: is not a service in platform:services/);
      assert.match(problems((c) => (c["platform:standby"] = JSON.stringify({ minTask: 1 }))), /platform:standby\.minTask: unknown key.*did you mean "minTasks"/);
      const aurora = JSON.parse(String(loadStackConfig(ROOT, "prod").config["platform:aurora"]));
      assert.match(problems((c) => (c["platform:aurora"] = JSON.stringify({ ...aurora, rdsProxy: true }))), /platform:aurora\.rdsProxy: cannot be used with platform:standby/);
    });

    it("refuses a Global Datastore on a node type that cannot join one, and accepts it turned off", () => {
      const redis = JSON.parse(String(loadStackConfig(ROOT, "prod").config["platform:redis"]));
      const small = (c: Record<string, unknown>) => (c["platform:redis"] = JSON.stringify({ ...redis, nodeType: "cache.t4g.medium" }));
      assert.match(problems(small), /platform:redis\.nodeType: expected a node of size large or more from the M5\/R5 generation on .* a Global Datastore does not run on cache\.t4g\.medium/);
      assert.equal(problems((c) => (small(c), (c["platform:standby"] = JSON.stringify({ redisGlobalDatastore: false })))), "");
    });

    it("refuses a standby region equal to the primary", () => {
      assert.match(problems((c) => (c["platform:secondaryRegion"] = "us-east-1")), /platform:secondaryRegion: expected a region different from platform:region/);
    });
  });
});

describe("global traffic management (Cloudflare Load Balancing, prod)", () => {
  it("gives every proxied host a load balancer: the primary region's pool first, the standby's on failure", async () => {
    const q = await stack("prod");
    const pools = q.ofType("cloudflare:index/loadBalancerPool:LoadBalancerPool");
    const poolOf = (region: string) => pools.find((p) => (p.inputs.origins as { name: string }[])[0].name === region)!;
    const albDns: Record<string, unknown> = Object.fromEntries((q.graph.outputs.applicationRegions as { region: string; albDnsName: string }[]).map((r) => [r.region, r.albDnsName]));
    for (const region of [PRIMARY_REGION, STANDBY_REGION]) {
      // The origin is a name of the zone (covered by the ALB certificate's *.example.com), a DNS-only CNAME to the region's ALB.
      const origins = poolOf(region).inputs.origins as { address: string; enabled: boolean }[];
      assert.deepEqual(origins.map((o) => [o.address, o.enabled]), [[`origin-${region}.example.com`, true]], region);
      const record = q.ofType("cloudflare:index/dnsRecord:DnsRecord", (r) => r.inputs.name === `origin-${region}.example.com`);
      assert.deepEqual(record.map((r) => [r.inputs.type, r.inputs.content, r.inputs.proxied]), [["CNAME", albDns[region], false]], region);
      assert.match(String(albDns[region]), new RegExp(`\\.${region}\\.elb\\.amazonaws\\.com$`));
    }
    const lbs = q.ofType("cloudflare:index/loadBalancer:LoadBalancer");
    assert.deepEqual(lbs.map((l) => l.inputs.name).sort(), ["api.example.com", "app.example.com", "example.com", "www.example.com"]);
    for (const lb of lbs) {
      assert.deepEqual(lb.inputs.defaultPools, [poolOf(PRIMARY_REGION).id, poolOf(STANDBY_REGION).id], "failover order");
      assert.equal(lb.inputs.fallbackPool, poolOf(STANDBY_REGION).id);
      assert.equal(lb.inputs.steeringPolicy, "off");
      assert.equal(lb.inputs.proxied, true);
    }
  });

  it("checks each region's health over HTTPS on the health path within about a minute, with the zone's host", async () => {
    const q = await stack("prod");
    const [monitor] = q.ofType("cloudflare:index/loadBalancerMonitor:LoadBalancerMonitor");
    assert.deepEqual(
      { type: monitor.inputs.type, path: monitor.inputs.path, codes: monitor.inputs.expectedCodes, host: monitor.inputs.header, interval: monitor.inputs.interval, down: monitor.inputs.consecutiveDown },
      { type: "https", path: "/api/health", codes: "2xx", host: { Host: ["example.com"] }, interval: 60, down: 1 },
    );
    for (const pool of q.ofType("cloudflare:index/loadBalancerPool:LoadBalancerPool")) assert.equal(pool.inputs.monitor, monitor.id);
    // Certificate checks stay on: whichever name the monitor validates (its Host, or the origin's
    // address), the ALB certificate must cover it. It covers the domain and *.domain, not *.elb.amazonaws.com.
    assert.equal(monitor.inputs.allowInsecure, false);
    const cert = q.named("aws:acm/certificate:Certificate", "alb-certificate");
    const names = [cert.inputs.domainName, ...((cert.inputs.subjectAlternativeNames as string[]) ?? [])].map(String);
    const covered = (host: string) => names.some((n) => n === host || (n.startsWith("*.") && host.split(".").slice(1).join(".") === n.slice(2)));
    const validated = [...(monitor.inputs.header as { Host: string[] }).Host, ...q.ofType("cloudflare:index/loadBalancerPool:LoadBalancerPool").flatMap((p) => (p.inputs.origins as { address: string }[]).map((o) => o.address))];
    assert.deepEqual(validated.filter((h) => !covered(h)), [], `not covered by ${names.join(", ")}`);
  });

  it("keeps dev on plain proxied records, and refuses a standby without the account or the add-on", async () => {
    const dev = await stack("dev");
    assert.equal(dev.ofType("cloudflare:index/loadBalancer:LoadBalancer").length, 0);
    assert.ok(dev.ofType("cloudflare:index/dnsRecord:DnsRecord", (r) => r.inputs.proxied === true).length >= 3);
    const ROOT = path.resolve(__dirname, "..");
    const config = { ...loadStackConfig(ROOT, "prod").config } as Record<string, unknown>;
    const dns = JSON.parse(String(config["platform:dns"]));
    const edge = JSON.parse(String(config["platform:edge"]));
    const result = validateConfig({ ...config, "platform:dns": JSON.stringify({ ...dns, accountId: undefined }), "platform:edge": JSON.stringify({ ...edge, addOns: [] }) });
    const text = result.ok ? "" : formatProblems(result.problems);
    assert.match(text, /platform:dns\.accountId: is required with platform:standby/);
    assert.match(text, /platform:edge\.addOns: must include "loadBalancing" with platform:standby/);
  });
});

describe("media replication and CloudFront failover (prod)", () => {
  it("replicates every media object, version and delete marker to a replica in the standby, under its key", async () => {
    const q = await stack("prod");
    const media = q.named("aws:s3/bucket:Bucket", "data-storage-media");
    const replica = q.named("aws:s3/bucket:Bucket", "data-storage-media-replica");
    assert.equal(replica.region, STANDBY_REGION);
    const standbyKey = q.named("aws:kms/key:Key", "data-secondary");
    const [sse] = q.ofType("aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration", (c) => c.inputs.bucket === replica.id)[0].inputs.rules as {
      applyServerSideEncryptionByDefault: { kmsMasterKeyId: string };
    }[];
    assert.equal(sse.applyServerSideEncryptionByDefault.kmsMasterKeyId, standbyKey.arn);
    const [config] = q.ofType("aws:s3/bucketReplicationConfig:BucketReplicationConfig");
    assert.equal(config.inputs.bucket, media.id);
    const [rule] = config.inputs.rules as Record<string, unknown>[];
    assert.deepEqual(rule, {
      id: "media-to-standby",
      status: "Enabled",
      filter: {},
      deleteMarkerReplication: { status: "Enabled" },
      sourceSelectionCriteria: { sseKmsEncryptedObjects: { status: "Enabled" } },
      destination: { bucket: replica.arn, storageClass: "STANDARD", encryptionConfiguration: { replicaKmsKeyId: standbyKey.arn } },
    });
    const versioned = q.ofType("aws:s3/bucketVersioning:BucketVersioning", (v) => [media.id, replica.id].includes(String(v.inputs.bucket))).map((v) => v.urn);
    assert.deepEqual(config.options.dependsOn.sort(), versioned.sort(), "replication waits for versioning on both buckets");
  });

  it("lets the replication role read only media versions and write only the replica, through S3 in each region", async () => {
    const q = await stack("prod");
    const config = q.ofType("aws:s3/bucketReplicationConfig:BucketReplicationConfig")[0];
    const role = q.byIdOrArn(config.inputs.role)!;
    const [policy] = q.ofType("aws:iam/rolePolicy:RolePolicy", (p) => p.inputs.role === role.id);
    const bySid = Object.fromEntries((JSON.parse(String(policy.inputs.policy)).Statement as { Sid: string; Resource: string; Condition?: unknown }[]).map((st) => [st.Sid, st]));
    assert.equal(bySid.WriteReplica.Resource, `${q.named("aws:s3/bucket:Bucket", "data-storage-media-replica").arn}/*`);
    assert.deepEqual(bySid.DecryptSource.Condition, { StringEquals: { "kms:ViaService": `s3.${PRIMARY_REGION}.amazonaws.com` } });
    assert.deepEqual(bySid.EncryptReplica.Condition, { StringEquals: { "kms:ViaService": `s3.${STANDBY_REGION}.amazonaws.com` } });
    assert.match(String(role.inputs.assumeRolePolicy), /s3\.amazonaws\.com/);
  });

  it("serves media from an origin group that falls back to the replica, which admits only that distribution", async () => {
    const q = await stack("prod");
    const [dist] = q.ofType("aws:cloudfront/distribution:Distribution");
    const replica = q.named("aws:s3/bucket:Bucket", "data-storage-media-replica");
    const origins = dist.inputs.origins as { originId: string; domainName: string }[];
    assert.deepEqual(origins.map((o) => o.originId), ["media", "media-replica"]);
    assert.match(origins[1].domainName, new RegExp(`\\.s3\\.${STANDBY_REGION}\\.amazonaws\\.com$`));
    assert.deepEqual(dist.inputs.originGroups, [{ originId: "media-failover", failoverCriteria: { statusCodes: [403, 404, 500, 502, 503, 504] }, members: [{ originId: "media" }, { originId: "media-replica" }] }]);
    assert.equal((dist.inputs.defaultCacheBehavior as { targetOriginId: string }).targetOriginId, "media-failover");
    const policy = JSON.parse(String(q.ofType("aws:s3/bucketPolicy:BucketPolicy", (p) => p.inputs.bucket === replica.id)[0].inputs.policy));
    const read = policy.Statement.find((st: { Sid: string }) => st.Sid === "CloudFrontReadsMedia");
    assert.deepEqual(read.Condition, { StringEquals: { "AWS:SourceArn": dist.arn } });
    const keyPolicy = JSON.parse(String(q.named("aws:kms/key:Key", "data-secondary").inputs.policy));
    assert.ok(keyPolicy.Statement.some((st: { Sid: string }) => st.Sid === "CloudFrontDecryptsMedia"), "CloudFront may decrypt the replica's objects");
  });

  it("keeps dev's distribution on its one bucket", async () => {
    const [dist] = (await stack("dev")).ofType("aws:cloudfront/distribution:Distribution");
    assert.deepEqual(dist.inputs.originGroups, []);
    assert.equal((dist.inputs.defaultCacheBehavior as { targetOriginId: string }).targetOriginId, "media");
  });
});

describe("observability of both regions (prod)", () => {
  const MONITOR = "datadog:index/monitor:Monitor";
  it("watches each standby service's 5xx rate, tasks below desired and unhealthy targets, tagged and scoped by region", async () => {
    const q = await stack("prod");
    const standby = q.ofType(MONITOR, (m) => (m.inputs.tags as string[]).includes(`region:${STANDBY_REGION}`));
    const expected = SERVICES.flatMap((s) => ["5xx-rate", "tasks-below-desired", "unhealthy-targets"].map((k) => `observability-${STANDBY_REGION}-${s}-${k}`));
    assert.deepEqual(standby.map((m) => m.name).sort(), expected.sort());
    for (const m of standby.filter((x) => x.name.endsWith("tasks-below-desired"))) assert.match(String(m.inputs.query), new RegExp(`region:${STANDBY_REGION}\\}`));
    const primary = q.ofType(MONITOR, (m) => (m.inputs.tags as string[]).includes(`region:${PRIMARY_REGION}`));
    assert.ok(primary.length > standby.length, "the primary keeps its full set");
    for (const m of primary.filter((x) => x.name.endsWith("tasks-below-desired"))) assert.match(String(m.inputs.query), new RegExp(`region:${PRIMARY_REGION}\\}`), "names repeat across regions: the region is in the scope");
    // Both regions' target groups are different resources, so the 5xx queries never mix regions.
    const tg = (m: PlanResource) => String(m.inputs.query).match(/targetgroup:[^ }]+/g)!;
    const api5xx = (r: string) => q.ofType(MONITOR, (m) => m.name === (r === PRIMARY_REGION ? "observability-api-5xx-rate" : `observability-${r}-api-5xx-rate`))[0];
    assert.notDeepEqual(tg(api5xx(PRIMARY_REGION)), tg(api5xx(STANDBY_REGION)));
  });

  it("shows the standby region on the dashboard, and ships its logs through a Firehose stream of its own region", async () => {
    const q = await stack("prod");
    const [dashboard] = q.ofType("datadog:index/dashboardJson:DashboardJson");
    const groups = (JSON.parse(String(dashboard.inputs.dashboard)).widgets as { definition: { title: string } }[]).map((w) => w.definition.title);
    assert.ok(groups.includes(`Region ${STANDBY_REGION}`), groups.join(", "));
    const streams = q.ofType("aws:kinesis/firehoseDeliveryStream:FirehoseDeliveryStream");
    assert.deepEqual(streams.map((s) => s.region).sort(), [PRIMARY_REGION, STANDBY_REGION]);
    for (const filter of q.ofType("aws:cloudwatch/logSubscriptionFilter:LogSubscriptionFilter")) {
      const stream = streams.find((s) => s.arn === filter.inputs.destinationArn)!;
      assert.equal(stream.region, filter.region, `${filter.name}: a subscription reaches only a stream of its region`);
    }
  });
});

describe("Cloudflare pool health pages (prod)", () => {
  it("emails Opsgenie when either region's pool turns unhealthy or healthy", async () => {
    const q = await stack("prod");
    const [policy] = q.ofType("cloudflare:index/notificationPolicy:NotificationPolicy");
    const pools = q.ofType("cloudflare:index/loadBalancerPool:LoadBalancerPool").map((p) => p.id);
    assert.equal(policy.inputs.alertType, "load_balancing_health_alert");
    assert.deepEqual(policy.inputs.filters, { poolIds: pools, newHealths: ["Unhealthy", "Healthy"] });
    assert.deepEqual(policy.inputs.mechanisms, { emails: [{ id: "platform-prod@example.opsgenie.net" }] });
  });
});

describe("service releases reach the standby too (prod)", () => {
  it("lets application pipelines push each release to both regions' registries and deploy both regions' services", async () => {
    const q = await stack("prod");
    const role = q.named("aws:iam/role:Role", "compute-ci-application");
    const statements = q
      .ofType("aws:iam/rolePolicy:RolePolicy", (p) => p.inputs.role === role.id)
      .flatMap((p) => JSON.parse(String(p.inputs.policy)).Statement as { Sid: string; Resource: string | string[] }[]);
    const sid = (name: string) => ([] as string[]).concat(statements.find((s) => s.Sid === name)!.Resource);
    const repos = (region: string) => q.inRegion(region).ofType("aws:ecr/repository:Repository").map((r) => r.arn).sort();
    // Pushed to both: ECR replication copies only images pushed after its rule exists, and a failover must not wait for it.
    assert.deepEqual(sid("PushImages").sort(), [...repos(PRIMARY_REGION), ...repos(STANDBY_REGION)].sort());
    assert.ok(sid("DeployServices").some((r) => r.includes(`:ecs:${STANDBY_REGION}:`)), "UpdateService in the standby's cluster");
  });

  it("deploy-service.yml pushes to every region, migrates only where the outputs say the platform serves, and deploys there first", () => {
    const text = fs.readFileSync(path.resolve(__dirname, "..", ".github/workflows/deploy-service.yml"), "utf8");
    const at = (fragment: string) => text.indexOf(fragment);
    for (const f of ["regions:", "applicationRegions", "for region in $(jq -r '.[].region' /tmp/regions.json)", "docker push", ".migrationTaskFamily", ".taskFamilyPrefix", "lifecycleHooks"]) assert.ok(at(f) > 0, f);
    // The serving region is ordered first, and the live gate must agree with the outputs before anything is pushed.
    assert.ok(at("[.[] | select(.active)] + [.[] | select(.active | not)]") < at("Check the live services agree"), "the serving region first");
    assert.ok(at("Check the live services agree") < at("docker build"), "refuses before building");
    assert.ok(at("register-task-definition") < at("update-service"), "every region's definitions before any rollout");
  });
});

describe("IAM is global: no name collides across regions", () => {
  /** Physical names of IAM roles, policies and the OIDC provider (explicit, or the mock's auto-names). */
  function iamNameClashes(q: GraphQuery): string[] {
    const seen = new Map<string, string>();
    const clashes: string[] = [];
    for (const r of q.resources.filter((x) => /^aws:iam\/(role|policy|openIdConnectProvider):/.test(x.type))) {
      const physical = `${r.type} ${String(r.inputs.name ?? r.arn ?? r.id)}`;
      if (seen.has(physical)) clashes.push(`${seen.get(physical)} and ${r.urn}`);
      seen.set(physical, r.urn);
    }
    return clashes;
  }

  it("gives every role and policy of both regions a name of its own, and says which failover capacity to reach", async () => {
    const q = await stack("prod");
    assert.deepEqual(iamNameClashes(q), []);
    assert.ok(q.inRegion(STANDBY_REGION).ofType("aws:iam/role:Role").length > 10, "the standby has roles of its own");
    assert.deepEqual((q.graph.outputs.failover as { capacity: { services: Record<string, number> } }).capacity.services, { auth: 2, api2: 2, api: 2, frontend: 2 });
  });

  it("finds a clash when two regions would name a role the same", async () => {
    const q = await stack("prod");
    const role = q.inRegion(STANDBY_REGION).ofType("aws:iam/role:Role")[0];
    const twin = { ...role, urn: `${role.urn}-twin`, inputs: { ...role.inputs, name: "platform-prod-tasks" } };
    const clone = { ...role, urn: `${role.urn}-clone`, inputs: { ...role.inputs, name: "platform-prod-tasks" } };
    assert.equal(iamNameClashes(new GraphQuery({ ...q.graph, resources: [...q.resources, twin, clone] })).length, 1);
  });
});
