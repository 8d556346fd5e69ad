import { strict as assert } from "assert";
import { HSTS_MIN_SECONDS } from "../config/edge";
import { validateConfig, formatProblems } from "../config/validate";
import { botSettings, zoneSettings } from "@platform/components/edge";
import { CLOUDFLARE_MANAGED_RULESET, FREE_MANAGED_RULESET, OWASP_CORE_RULESET, OWASP_SCORE_RULE, anyPrefix, cacheRules, managedWafRules, rateLimitRules } from "@platform/components/edge";
import { CLOUDFLARE_IPV4, CLOUDFLARE_IPV6 } from "../tools/plan/mocks";
import { loadStackConfig } from "../tools/plan/stackConfig";
import { GraphQuery } from "../tools/plan/query";
import { StackName, stack } from "./support/stacks";
import * as path from "path";

const DNS = "cloudflare:index/dnsRecord:DnsRecord";
const RULESET = "cloudflare:index/ruleset:Ruleset";
const SETTING = "cloudflare:index/zoneSetting:ZoneSetting";
const DISTRIBUTION = "aws:cloudfront/distribution:Distribution";

type Rule = { description: string; expression: string; action: string; actionParameters?: Record<string, unknown>; ratelimit?: Record<string, unknown> };
const rulesOf = (q: GraphQuery, phase: string): Rule[] => q.ofType(RULESET, (r) => r.inputs.phase === phase)[0]?.inputs.rules as Rule[];

describe("Edge component", () => {
  describe("rules (pure)", () => {
    it("writes rate-limit expressions on the exact path and methods, counted per IP and data centre", () => {
      const [rule] = rateLimitRules([{ name: "login", path: "/auth/login", methods: ["POST"], requests: 5, periodSeconds: 60, mitigationTimeoutSeconds: 600, action: "block" }]);
      assert.equal(rule.expression, '(http.request.uri.path eq "/auth/login" and http.request.method in {"POST"})');
      assert.deepEqual(rule.ratelimit, { characteristics: ["ip.src", "cf.colo.id"], period: 60, requestsPerPeriod: 5, mitigationTimeout: 600 });
      const [pathOnly] = rateLimitRules([{ name: "login", path: "/auth/login", requests: 5, periodSeconds: 10, mitigationTimeoutSeconds: 10, action: "block" }]);
      assert.equal(pathOnly.expression, '(http.request.uri.path eq "/auth/login")', "no method clause: free and pro zones may not match on the method");
    });

    it("picks the managed rulesets and bot protection the plan has", () => {
      assert.deepEqual(managedWafRules({}, false).map((r) => (r.actionParameters as { id: string }).id), [FREE_MANAGED_RULESET]);
      const full = managedWafRules({}, true);
      assert.deepEqual(full.map((r) => (r.actionParameters as { id: string }).id), [CLOUDFLARE_MANAGED_RULESET, OWASP_CORE_RULESET]);
      assert.deepEqual((full[1].actionParameters as { overrides: { rules: unknown[] } }).overrides.rules[0], { id: OWASP_SCORE_RULE, action: "block", scoreThreshold: 40 });
      assert.deepEqual(botSettings("free", []), { fightMode: true, enableJs: true });
      assert.deepEqual(botSettings("pro", []), { sbfmDefinitelyAutomated: "block", sbfmVerifiedBots: "allow", sbfmStaticResourceProtection: false, enableJs: true });
      assert.deepEqual(botSettings("enterprise", ["botManagement"]), { enableJs: true });
    });

    it("turns path patterns into prefix matches and quotes them", () => {
      assert.equal(anyPrefix(["/api/*", "/a\"b/*"]), 'starts_with(http.request.uri.path, "/api/") or starts_with(http.request.uri.path, "/a\\"b/")');
    });

    it("bypasses dynamic paths before it caches static ones", () => {
      const rules = cacheRules({ staticPaths: ["/_next/static/*"], staticEdgeTtlSeconds: 86400, dynamicPaths: ["/api/*"] });
      assert.deepEqual(rules.map((r) => (r.actionParameters as { cache: boolean }).cache), [false, true]);
    });

    it("writes HSTS in the API's snake_case shape (camelCase keys would diff forever)", () => {
      const hsts = (zoneSettings({ maxAgeSeconds: HSTS_MIN_SECONDS, preload: false }).security_header as Record<string, Record<string, unknown>>).strict_transport_security;
      assert.deepEqual(Object.keys(hsts).sort(), ["enabled", "include_subdomains", "max_age", "nosniff", "preload"]);
    });
  });

  for (const name of ["dev", "prod"] as StackName[]) {
    describe(`${name} stack`, () => {
      const domain = name === "prod" ? "example.com" : "example-dev.com";

      it("proxies every public host to the ALB", async () => {
        const q = await stack(name);
        const proxied = q.ofType(DNS, (r) => r.inputs.proxied === true);
        const hosts = name === "prod" ? ["example.com", "www.example.com", "app.example.com", "api.example.com"] : ["example-dev.com", "app.example-dev.com", "api.example-dev.com"];
        assert.deepEqual(proxied.map((r) => r.inputs.name).sort(), [...hosts].sort());
        for (const r of proxied) assert.match(String(r.inputs.content), new RegExp(`^platform-${name}-\\w+-\\w+\\.us-east-1\\.elb\\.amazonaws\\.com$`));
        // Every DNS-only record is an ACM validation record, the media host (served by CloudFront),
        // or, with Load Balancing, a region's origin name for the pools (a CNAME to that region's ALB).
        const dnsOnly = q.ofType(DNS, (r) => r.inputs.proxied !== true);
        const origin = (r: (typeof dnsOnly)[number]) => /^origin-[a-z]+-[a-z]+-\d\./.test(String(r.inputs.name)) && /\.elb\.amazonaws\.com$/.test(String(r.inputs.content));
        assert.ok(dnsOnly.every((r) => String(r.inputs.name).startsWith("_") || r.inputs.name === `media.${domain}` || origin(r)), dnsOnly.map((r) => r.inputs.name).join(", "));
        assert.equal(dnsOnly.filter(origin).length, name === "prod" ? 2 : 0);
      });

      it("sets strict TLS, TLS 1.2 minimum, TLS 1.3, HTTPS only, HSTS, Brotli and HTTP/3", async () => {
        const q = await stack(name);
        const settings = Object.fromEntries(q.ofType(SETTING).map((s) => [s.inputs.settingId, s.inputs.value]));
        assert.equal(settings.ssl, "strict");
        assert.equal(settings.min_tls_version, "1.2");
        for (const on of ["tls_1_3", "always_use_https", "automatic_https_rewrites", "brotli", "http3"]) assert.equal(settings[on], "on", on);
        const hsts = (settings.security_header as { strict_transport_security: Record<string, unknown> }).strict_transport_security;
        assert.equal(hsts.enabled, true);
        assert.equal(hsts.include_subdomains, true);
        assert.ok(Number(hsts.max_age) >= HSTS_MIN_SECONDS);
        assert.equal(hsts.preload, name === "prod");
      });

      it(name === "prod" ? "runs the Cloudflare managed and OWASP rulesets (business zone)" : "runs the Free Managed Ruleset (free zone)", async () => {
        const q = await stack(name);
        const rules = rulesOf(q, "http_request_firewall_managed");
        if (name === "dev") {
          assert.deepEqual(rules.map((r) => [r.action, (r.actionParameters as { id: string }).id]), [["execute", FREE_MANAGED_RULESET]]);
          return;
        }
        assert.deepEqual(rules.map((r) => [r.action, (r.actionParameters as { id: string }).id]), [
          ["execute", CLOUDFLARE_MANAGED_RULESET],
          ["execute", OWASP_CORE_RULESET],
        ]);
        const override = (rules[1].actionParameters as { overrides: { rules: { id: string; action: string; scoreThreshold: number }[] } }).overrides.rules[0];
        assert.deepEqual(override, { id: OWASP_SCORE_RULE, action: "block", scoreThreshold: 40 });
      });

      it("rate-limits the auth endpoints per IP within what the zone's plan allows", async () => {
        const q = await stack(name);
        const rules = rulesOf(q, "http_ratelimit");
        const byPath = Object.fromEntries(rules.map((r) => [/eq "([^"]+)"/.exec(r.expression)![1], r.ratelimit]));
        const expected: Record<string, number[]> = name === "prod"
          ? { "/auth/login": [5, 60, 600], "/auth/token/refresh": [30, 60, 300] }
          : { "/auth/login": [10, 10, 10] };
        assert.deepEqual(Object.keys(byPath).sort(), Object.keys(expected).sort());
        for (const [p, [requests, period, timeout]] of Object.entries(expected)) {
          assert.deepEqual(byPath[p], { characteristics: ["ip.src", "cf.colo.id"], period, requestsPerPeriod: requests, mitigationTimeout: timeout }, p);
        }
        // Matching on the method is a business-plan field.
        assert.equal(rules.every((r) => r.expression.includes("http.request.method")), name === "prod");
      });

      it("never caches the API and auth paths, and caches immutable assets long", async () => {
        const q = await stack(name);
        const [bypass, statics] = rulesOf(q, "http_request_cache_settings");
        for (const p of ["/api/", "/svc2/", "/auth/"]) assert.ok(bypass.expression.includes(`"${p}"`), p);
        assert.ok(!bypass.expression.includes('"/"'), "the catch-all is not a bypass");
        assert.deepEqual(bypass.actionParameters, { cache: false });
        assert.match(statics.expression, /"\/_next\/static\/"/);
        assert.deepEqual((statics.actionParameters as { edgeTtl: unknown }).edgeTtl, { mode: "override_origin", default: 31536000 });
      });

      it(name === "prod" ? "turns on Super Bot Fight Mode (paid zone)" : "turns on Bot Fight Mode (free zone)", async () => {
        const q = await stack(name);
        const bots = q.ofType("cloudflare:index/botManagement:BotManagement")[0].inputs;
        assert.equal(bots.fightMode, name === "prod" ? undefined : true);
        assert.equal(bots.sbfmDefinitelyAutomated, name === "prod" ? "block" : undefined);
      });

      it("lets every region's ALB be reached on 443/80 only from Cloudflare's published ranges", async () => {
        const full = await stack(name);
        const regions = name === "prod" ? ["us-east-1", "us-west-2"] : ["us-east-1"];
        for (const region of regions) {
          const q = full.inRegion(region);
          const lists = q.ofType("aws:ec2/managedPrefixList:ManagedPrefixList", (p) => p.name.includes("-edge-"));
          const entries = lists.flatMap((l) => (l.inputs.entries as { cidr: string }[]).map((e) => e.cidr));
          assert.deepEqual(entries.sort(), [...CLOUDFLARE_IPV4, ...CLOUDFLARE_IPV6].sort(), region);
          const albSgs = q.ofType("aws:ec2/securityGroup:SecurityGroup", (g) => (g.inputs.tags as Record<string, string>).tier === "alb");
          assert.equal(albSgs.length, 1, region);
          const ingress = q.ofType("aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule", (r) => r.inputs.securityGroupId === albSgs[0].id);
          const listIds = new Set(lists.map((l) => l.id));
          const fromEdge = ingress.filter((r) => listIds.has(String(r.inputs.prefixListId))).map((r) => r.inputs.fromPort).sort();
          assert.deepEqual(fromEdge, [443, 443, 80, 80], region);
          assert.ok(ingress.every((r) => r.inputs.cidrIpv4 === undefined && r.inputs.cidrIpv6 === undefined), `${region}: no CIDR ingress on the ALB`);
        }
      });

      it("serves media through CloudFront with OAC, a us-east-1 certificate, HTTP/3 and security headers", async () => {
        const q = await stack(name);
        const [dist] = q.ofType(DISTRIBUTION);
        const [oac] = q.ofType("aws:cloudfront/originAccessControl:OriginAccessControl");
        assert.deepEqual(dist.inputs.aliases, [`media.${domain}`]);
        assert.equal(dist.inputs.httpVersion, "http2and3");
        const origin = (dist.inputs.origins as Record<string, unknown>[])[0];
        assert.equal(origin.originAccessControlId, oac.id);
        assert.equal(oac.inputs.signingBehavior, "always");
        const behavior = dist.inputs.defaultCacheBehavior as Record<string, unknown>;
        assert.equal(behavior.viewerProtocolPolicy, "redirect-to-https");
        assert.equal(behavior.compress, true);
        const headers = q.byIdOrArn(behavior.responseHeadersPolicyId)!;
        const security = headers.inputs.securityHeadersConfig as Record<string, Record<string, unknown>>;
        assert.ok(Number(security.strictTransportSecurity.accessControlMaxAgeSec) >= HSTS_MIN_SECONDS);
        assert.equal(security.frameOptions.frameOption, "DENY");
        const cert = q.ofType("aws:acm/certificate:Certificate", (c) => c.inputs.domainName === `media.${domain}`)[0];
        assert.equal(cert.region, "us-east-1");
        const validation = q.ofType("aws:acm/certificateValidation:CertificateValidation", (v) => v.inputs.certificateArn === cert.arn)[0];
        assert.ok(validation, "the media certificate is validated");
        assert.equal((dist.inputs.viewerCertificate as Record<string, unknown>).minimumProtocolVersion, "TLSv1.2_2021");
      });

      it("lets only this distribution read the media bucket", async () => {
        const q = await stack(name);
        const [dist] = q.ofType(DISTRIBUTION);
        const policy = q.ofType("aws:s3/bucketPolicy:BucketPolicy", (p) => p.name.endsWith("-media"))[0];
        const allows = (JSON.parse(String(policy.inputs.policy)).Statement as { Effect: string; Principal: unknown; Condition: unknown }[]).filter((s) => s.Effect === "Allow");
        assert.deepEqual(allows.map((s) => [s.Principal, s.Condition]), [[{ Service: "cloudfront.amazonaws.com" }, { StringEquals: { "AWS:SourceArn": dist.arn } }]]);
      });
    });
  }

  describe("config rejections", () => {
    const ROOT = path.resolve(__dirname, "..");
    const withEdge = (fields: Record<string, unknown>) => {
      const config = loadStackConfig(ROOT, "prod").config as Record<string, unknown>;
      return { ...config, "platform:edge": JSON.stringify({ ...JSON.parse(String(config["platform:edge"])), ...fields }) };
    };
    const problems = (config: Record<string, unknown>) => {
      const result = validateConfig(config);
      assert.equal(result.ok, false);
      return result.ok ? "" : formatProblems(result.problems);
    };

    it("rejects a host outside the zone's domain", () => {
      assert.match(problems(withEdge({ hosts: ["example.com", "api.example.org"] })), /platform:edge\.hosts\[1\]: expected a host inside the zone example\.com/);
      assert.match(problems(withEdge({ mediaHost: "cdn.example.net" })), /platform:edge\.mediaHost: expected a host inside the zone/);
    });

    it("rejects a rate limit of zero and a period Cloudflare does not offer", () => {
      const limit = { name: "login", path: "/auth/login", requests: 0, periodSeconds: 30, mitigationTimeoutSeconds: 600 };
      const text = problems(withEdge({ rateLimits: [limit] }));
      assert.match(text, /platform:edge\.rateLimits\[0\]\.requests: expected a whole number from 1/);
      assert.match(text, /platform:edge\.rateLimits\[0\]\.periodSeconds: expected one of the periods Cloudflare offers: 10, 60/);
    });

    it("rejects an unknown setting with the allowed ones", () => {
      assert.match(problems(withEdge({ rocketLoader: true })), /platform:edge\.rocketLoader: unknown key; allowed keys: plan, addOns, hosts, mediaHost/);
      assert.match(problems(withEdge({ hsts: { maxAgeSeconds: 31536000, includeSubdomain: true } })), /platform:edge\.hsts\.includeSubdomain: unknown key/);
    });

    describe("what the zone's plan allows (every problem listed, each naming its key and the plan it needs)", () => {
      const login = { name: "login", path: "/auth/login", requests: 5, periodSeconds: 10, mitigationTimeoutSeconds: 10 };

      it("refuses on a free zone: OWASP, the log action, two rate-limit rules, the method, long periods", () => {
        const text = problems(
          withEdge({
            plan: "free",
            waf: { owaspAction: "log", customRules: [{ description: "x", expression: '(http.host matches "^a")', action: "log" }] },
            rateLimits: [{ ...login, methods: ["POST"] }, { ...login, name: "refresh", periodSeconds: 60, mitigationTimeoutSeconds: 600 }],
          }),
        );
        assert.match(text, /platform:edge\.waf\.owaspAction: the OWASP Core Ruleset needs the pro plan or above; platform:edge\.plan is free \(components\/edge\/plans\.ts/);
        assert.match(text, /platform:edge\.waf\.owaspAction: the log action needs the enterprise plan or above/);
        assert.match(text, /platform:edge\.waf\.customRules\[0\]\.action: the log action needs the enterprise plan/);
        assert.match(text, /platform:edge\.waf\.customRules\[0\]\.expression: a regular expression \(matches\) needs the business plan/);
        assert.match(text, /platform:edge\.rateLimits: expected at most 1 rate-limiting rule\(s\) on the free plan, got 2/);
        assert.match(text, /platform:edge\.rateLimits\[0\]\.methods: a rate-limiting rule on the request method needs the business plan/);
        assert.match(text, /platform:edge\.rateLimits\[1\]\.periodSeconds: a 60-second counting period needs the pro plan/);
        assert.match(text, /platform:edge\.rateLimits\[1\]\.mitigationTimeoutSeconds: a 600-second mitigation timeout needs the pro plan/);
      });

      it("refuses Bot Management without Enterprise, an unknown plan, and throttling below Enterprise", () => {
        assert.match(problems(withEdge({ addOns: ["botManagement"] })), /platform:edge\.addOns: Bot Management is an Enterprise add-on; platform:edge\.plan is business/);
        assert.match(problems(withEdge({ plan: "premium" })), /platform:edge\.plan: expected one of "free", "pro", "business", "enterprise", got "premium"/);
        assert.match(problems(withEdge({ rateLimits: [{ ...login, mitigationTimeoutSeconds: 0 }] })), /mitigationTimeoutSeconds: acting only while over the limit \(a mitigation timeout of 0\) needs the enterprise plan/);
      });

      it("accepts the same settings on a plan that has them", () => {
        assert.equal(validateConfig(withEdge({ plan: "enterprise", addOns: ["botManagement", "loadBalancing"], waf: { owaspAction: "log", customRules: [] } })).ok, true);
      });
    });

    it("rejects HSTS shorter than six months", () => {
      assert.match(problems(withEdge({ hsts: { maxAgeSeconds: 86400 } })), /platform:edge\.hsts\.maxAgeSeconds: expected a whole number from 15768000/);
    });
  });
});
