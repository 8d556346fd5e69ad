import { strict as assert } from "assert";
import { DATADOG_METRICS, metricsInQuery } from "@platform/components/observability";
import { GraphQuery } from "../tools/plan/query";
import { STACKS, stack } from "./support/stacks";

/** Every metric name any Datadog resource of the graph queries (monitors, SLOs, dashboards), with where. */
function queriedMetrics(q: GraphQuery): { metric: string; where: string }[] {
  return q.resources
    .filter((r) => r.type.startsWith("datadog:"))
    .flatMap((r) => {
      // Queries sit under these keys (monitor `query`, SLO `numerator`/`denominator`, dashboard
      // widget `q`/`query`); messages hold `{{...}}` templates and are not queries.
      const QUERY_KEYS = new Set(["query", "numerator", "denominator", "q"]);
      const strings: string[] = [];
      const walk = (v: unknown, key = ""): void => {
        if (typeof v === "string" && key === "dashboard") walk(JSON.parse(v));
        else if (typeof v === "string" && QUERY_KEYS.has(key)) strings.push(v);
        else if (Array.isArray(v)) v.forEach((x) => walk(x, key));
        else if (v && typeof v === "object") Object.entries(v).forEach(([k, x]) => walk(x, k));
      };
      walk(r.inputs);
      return strings.flatMap(metricsInQuery).map((metric) => ({ metric, where: `${r.type} ${r.name}` }));
    });
}

function unknown(q: GraphQuery): string[] {
  return queriedMetrics(q).filter((m) => !DATADOG_METRICS[m.metric]).map((m) => `${m.metric} (${m.where})`);
}

describe("Datadog metric names: every query names a metric Datadog publishes", () => {
  it("reads metric names out of queries, not tags or functions", () => {
    assert.deepEqual(metricsInQuery("avg(last_10m):anomalies(sum:aws.applicationelb.request_count{targetgroup:a}.as_count(), 'agile', 3) by {x}"), ["aws.applicationelb.request_count"]);
    assert.deepEqual(metricsInQuery("sum:a.b{x:1} / (sum:c.d{y:2} + sum:e{z})"), ["a.b", "c.d", "e"]);
  });

  for (const name of STACKS) {
    it(`${name}: every monitor, SLO and dashboard query is on the list`, async () => {
      const q = await stack(name);
      assert.ok(queriedMetrics(q).length > 20);
      assert.deepEqual(unknown(q), []);
    });
  }

  it("fails on a query whose metric is not on the list (the name Datadog does not publish)", async () => {
    const q = await stack("prod");
    const monitor = q.ofType("datadog:index/monitor:Monitor")[0];
    const bad = { ...monitor, name: "lag", inputs: { ...monitor.inputs, query: "max(last_5m):max:aws.rds.aurora_global_db_replication_lag{dbclusteridentifier:x} > 5000" } };
    assert.deepEqual(unknown(new GraphQuery({ ...q.graph, resources: [...q.resources, bad] })), ["aws.rds.aurora_global_db_replication_lag (datadog:index/monitor:Monitor lag)"]);
  });

  it("gives every listed metric a Datadog page and how it was checked; every listed name is used", async () => {
    const used = new Set([...(await Promise.all(STACKS.map(stack))).flatMap((q) => queriedMetrics(q).map((m) => m.metric))]);
    for (const [metric, source] of Object.entries(DATADOG_METRICS)) {
      assert.match(source.page, /^https:\/\/docs\.datadoghq\.com\/integrations\/amazon_\w+\/#metrics$/, metric);
      assert.ok(source.checked.length > 20, metric);
      assert.ok(used.has(metric), `${metric} is listed but no query uses it: drop it`);
    }
  });
});
