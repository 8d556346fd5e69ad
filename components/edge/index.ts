import * as aws from "@pulumi/aws";
import * as cloudflare from "@pulumi/cloudflare";
import * as pulumi from "@pulumi/pulumi";
import { ValidatedCertificate } from "./certificate";
import { RegionFailover, RegionOrigin } from "./failover";
import { CloudflareAddOn, CloudflarePlan, PLAN_LIMITS } from "./plans";
import { cacheRules, managedWafRules, rateLimitRules, RateLimit, CustomRule, customWafRules, WafSettings } from "./rules";
import { ResolvedEdgeArgs, checkEdgeArgs, withEdgeDefaults } from "./defaults";

export { CERTIFICATE_DEFAULTS, ValidatedCertificate } from "./certificate";
export * from "./plans";
export { CLOUDFLARE_MANAGED_RULESET, FREE_MANAGED_RULESET, OWASP_CORE_RULESET, OWASP_SCORE_RULE, anyPrefix, cacheRules, managedWafRules, rateLimitRules } from "./rules";
export type { CustomRule, RateLimit, WafSettings } from "./rules";
export { RATE_LIMIT_DEFAULTS, WAF_DEFAULTS } from "./rules";
export * from "./defaults";
export { RegionFailover, RegionFailoverArgs, RegionOrigin } from "./failover";

export interface EdgeArgs {
  /** Cloudflare zone id of `domain` (32 hex characters). */
  zoneId: pulumi.Input<string>;
  /**
   * The zone's Cloudflare plan. It picks the managed rulesets (the free ruleset on `free`) and the
   * bot protection (Bot Fight Mode on `free`, Super Bot Fight Mode above). The other settings must
   * fit it: `PLAN_LIMITS` says what each plan allows.
   */
  plan: CloudflarePlan;
  /** Paid add-ons of the zone. With `botManagement` (Enterprise) bots are left to Bot Management. @default [] */
  addOns?: CloudflareAddOn[];
  /** Domain the hosts are under: the zone's apex, or a subdomain of it when stacks share the zone. */
  domain: string;
  /**
   * Manage what exists once per zone: its settings (TLS, HSTS, compression), the WAF, rate-limit
   * and cache rulesets (one entry point per phase and zone) and bot management. A stack sharing
   * the zone with the one that does passes false and adds only its records and load balancers;
   * `hsts`, `waf`, `rateLimits`, `botFightMode` and `cache` then shape nothing at Cloudflare.
   * @default true
   */
  manageZone?: boolean;
  /** Public hosts proxied to the ALB: `domain` or names under it. Example: `["example.com", "www.example.com"]`. */
  hosts: string[];
  /** Host of the media distribution. Default: `media.<domain>`. */
  mediaHost?: string;
  /** HTTP Strict Transport Security the zone sends on every host (each field has its default). @default {} */
  hsts?: Hsts;
  /** Managed WAF settings and the zone's custom rules (the plan limits how many). @default {} */
  waf?: EdgeWaf;
  /** Rate-limiting rules; the plan limits their number, periods and method matching. @default [] */
  rateLimits?: RateLimit[];
  /** Bot Fight Mode (free) or Super Bot Fight Mode (pro and above) on; ignored with `botManagement`. @default true */
  botFightMode?: boolean;
  /** What Cloudflare caches at the edge (each field has its default). @default {} */
  cache?: EdgeCache;
  /** Path patterns of the dynamic services (never cached), e.g. each service's `paths` but `/*`. @default [] */
  dynamicPaths?: string[];
  /** The ALB's DNS name (the proxied records' target). */
  albDnsName: pulumi.Input<string>;
  /**
   * The media bucket, and its standby replica: with a replica, CloudFront serves from an origin
   * group that falls back to it when the primary bucket errors.
   */
  media: MediaOrigins;
  /** AWS provider in us-east-1, where CloudFront's certificate must live. */
  certificateProvider: aws.Provider;
  /**
   * Fail the public hosts over between regions with Cloudflare Load Balancing (the zone needs the
   * `loadBalancing` add-on). Default: none; the hosts' records point at `albDnsName` alone.
   */
  failover?: EdgeFailover;
  /**
   * Write the media distribution's access logs (CloudFront standard logging v2) to this bucket,
   * under `cloudfront/`; its policy must let CloudWatch Logs' delivery service write there
   * (Data's access-logs bucket does). Default: no access logs.
   */
  accessLogs?: EdgeAccessLogs;
}

/** Where the media distribution's access logs go. */
export interface EdgeAccessLogs {
  /** ARN of the S3 bucket (Data's access-logs bucket). */
  bucketArn: pulumi.Input<string>;
}

/** What `npm run failover` needs of the region failover. */
export interface FailoverOutputs {
  /** Pool id by region. */
  pools: Record<string, pulumi.Output<string>>;
  /** Each public host's load balancer, whose pool order a failover changes. */
  loadBalancers: LoadBalancerOutput[];
}

/** One host's Cloudflare load balancer. */
export interface LoadBalancerOutput {
  /** The public host it serves. */
  host: string;
  /** Load balancer id. */
  id: pulumi.Output<string>;
}

/** Region failover with Cloudflare Load Balancing. */
export interface EdgeFailover {
  /** Cloudflare account of the zone (monitors and pools are account-level). */
  accountId: pulumi.Input<string>;
  /** Every region with an ALB, in a fixed order (the pools' identity does not depend on which serves). */
  regions: RegionOrigin[];
  /** The region whose pool comes first (platform:activeRegion). Default: the first of `regions`. */
  activeRegion?: string;
  /** Path the health check requests through each ALB; it must answer 2xx. @default "/api/health" */
  healthPath?: string;
  /** Seconds between health checks, 10–3600 (60 on every Load Balancing subscription; shorter ones depend on it). @default 60 */
  intervalSeconds?: number;
  /** Prefix of the pools' names. */
  prefix: string;
  /** Addresses told when a region's pool changes health (Opsgenie's email integration pages). @default [] */
  notifyEmails?: string[];
}

/** The zone's WAF: managed-ruleset settings and custom rules. */
export interface EdgeWaf extends WafSettings {
  /** The zone's custom WAF rules, evaluated before the managed rulesets; the plan caps how many. @default [] */
  customRules?: CustomRule[];
}

/** HTTP Strict Transport Security of the zone. */
export interface Hsts {
  /** Seconds browsers remember to use HTTPS only, 15768000 (six months) to 63072000; preload lists want at least 31536000. @default 31536000 */
  maxAgeSeconds?: number;
  /** Ask to be on browsers' preload lists (hard to undo: only with every subdomain on HTTPS). @default false */
  preload?: boolean;
}

/** Edge caching of static paths. */
export interface EdgeCache {
  /** Path patterns of static assets cached at the edge (`/prefix/*`). @default ["/_next/static/*"] */
  staticPaths?: string[];
  /** Seconds Cloudflare keeps a static asset, 60–31536000. @default 31536000 */
  staticEdgeTtlSeconds?: number;
}

/** S3 origins of the media distribution. */
export interface MediaOrigins {
  /** Regional domain name of the media bucket (CloudFront's primary origin). */
  bucketRegionalDomainName: pulumi.Input<string>;
  /** The standby's replica bucket: CloudFront falls back to it when the primary errors. Default: none. */
  replicaBucketRegionalDomainName?: pulumi.Input<string>;
}

/** Zone settings, by Cloudflare setting id. Values use the API's snake_case shapes. */
export function zoneSettings(hsts: Required<Hsts>): Record<string, unknown> {
  return {
    ssl: "strict",
    min_tls_version: "1.2",
    tls_1_3: "on",
    always_use_https: "on",
    automatic_https_rewrites: "on",
    security_header: {
      strict_transport_security: { enabled: true, max_age: hsts.maxAgeSeconds, include_subdomains: true, preload: hsts.preload, nosniff: true },
    },
    brotli: "on",
    http3: "on",
  };
}

/**
 * The plan's bot protection. Free: Bot Fight Mode. Paid: Super Bot Fight Mode, blocking definitely
 * automated traffic and letting verified bots (search engines) through; likely automated traffic
 * (Business and above) keeps Cloudflare's default, allow, since challenging it catches real users.
 * With the Bot Management add-on, Bot Management's scores take over and only JS detections are set.
 */
export function botSettings(plan: CloudflarePlan, addOns: CloudflareAddOn[]): Omit<cloudflare.BotManagementArgs, "zoneId"> {
  if (addOns.includes("botManagement")) return { enableJs: true };
  if (PLAN_LIMITS[plan].bots === "fightMode") return { fightMode: true, enableJs: true };
  return { sbfmDefinitelyAutomated: "block", sbfmVerifiedBots: "allow", sbfmStaticResourceProtection: false, enableJs: true };
}

/** CloudFront's managed CachingOptimized policy. */
export const CACHING_OPTIMIZED_POLICY_ID = "658327ea-f89d-4fab-a63d-7e88639e58f6";

/**
 * Cloudflare in front of the platform: strict TLS and HSTS, the managed and OWASP WAF rulesets
 * plus custom rules, rate limits on the auth endpoints, Bot Fight Mode, cache rules, proxied
 * records for the public hosts; and CloudFront with origin access control for the media host.
 */
export class Edge extends pulumi.ComponentResource {
  readonly mediaDistributionArn: pulumi.Output<string>;
  readonly mediaDomainName: pulumi.Output<string>;
  /** The region failover's pools and load balancers, when there is one (plain outputs, not the child component). */
  readonly failover?: FailoverOutputs;

  constructor(name: string, args: EdgeArgs, opts?: pulumi.ComponentResourceOptions) {
    super("platform:edge:Edge", name, {}, opts);
    checkEdgeArgs(`Edge ${name}`, args);
    const resolved = withEdgeDefaults(args);
    const parent = { parent: this };
    const zoneId = resolved.zoneId;

    const manageZone = resolved.manageZone;
    if (manageZone) {
      for (const [settingId, value] of Object.entries(zoneSettings(resolved.hsts))) {
        new cloudflare.ZoneSetting(`${name}-${settingId.replace(/_/g, "-")}`, { zoneId, settingId, value }, parent);
      }
    }

    for (const host of resolved.hosts) {
      new cloudflare.DnsRecord(
        `${name}-${host === resolved.domain ? "apex" : host.slice(0, -(resolved.domain.length + 1)).replace(/\./g, "-")}`,
        { zoneId, name: host, type: "CNAME", content: resolved.albDnsName, proxied: true, ttl: 1, comment: "ALB origin (proxied)" },
        parent,
      );
    }

    if (resolved.failover) {
      const failover = new RegionFailover(`${name}-failover`, { ...resolved.failover, zoneId, domain: resolved.domain, hosts: resolved.hosts }, parent);
      this.failover = { pools: failover.pools, loadBalancers: failover.loadBalancers };
    }

    if (manageZone) this.zoneRules(name, resolved);

    // Media: CloudFront reads the private bucket through origin access control.
    const certificate = new ValidatedCertificate(
      `${name}-media-certificate`,
      { domainName: resolved.mediaHost, wildcard: false, zoneId },
      { parent: this, providers: [resolved.certificateProvider] },
    );
    const replica = resolved.media.replicaBucketRegionalDomainName;
    const oac = new aws.cloudfront.OriginAccessControl(
      `${name}-media`,
      { description: "Media bucket, signed requests only", originAccessControlOriginType: "s3", signingBehavior: "always", signingProtocol: "sigv4" },
      parent,
    );
    const headers = new aws.cloudfront.ResponseHeadersPolicy(
      `${name}-media`,
      {
        comment: "Security headers for media",
        securityHeadersConfig: {
          strictTransportSecurity: { accessControlMaxAgeSec: resolved.hsts.maxAgeSeconds, includeSubdomains: true, preload: resolved.hsts.preload, override: true },
          contentTypeOptions: { override: true },
          frameOptions: { frameOption: "DENY", override: true },
          referrerPolicy: { referrerPolicy: "strict-origin-when-cross-origin", override: true },
        },
      },
      parent,
    );
    const distribution = new aws.cloudfront.Distribution(
      `${name}-media`,
      {
        enabled: true,
        comment: `${resolved.mediaHost}: media bucket`,
        aliases: [resolved.mediaHost],
        httpVersion: "http2and3",
        isIpv6Enabled: true,
        priceClass: "PriceClass_100",
        origins: [
          { originId: "media", domainName: resolved.media.bucketRegionalDomainName, originAccessControlId: oac.id },
          ...(replica ? [{ originId: "media-replica", domainName: replica, originAccessControlId: oac.id }] : []),
        ],
        // Failover for GET/HEAD (all this behaviour allows) on server errors and on 403/404, which a
        // bucket answers while a region's S3 is impaired or an object has not replicated yet
        // (https://docs.aws.amazon.com/AmazonCloudFront/latest/DeveloperGuide/high_availability_origin_failover.html).
        originGroups: replica
          ? [{ originId: "media-failover", failoverCriteria: { statusCodes: [403, 404, 500, 502, 503, 504] }, members: [{ originId: "media" }, { originId: "media-replica" }] }]
          : [],
        defaultCacheBehavior: {
          targetOriginId: replica ? "media-failover" : "media",
          viewerProtocolPolicy: "redirect-to-https",
          allowedMethods: ["GET", "HEAD", "OPTIONS"],
          cachedMethods: ["GET", "HEAD"],
          compress: true,
          cachePolicyId: CACHING_OPTIMIZED_POLICY_ID,
          responseHeadersPolicyId: headers.id,
        },
        restrictions: { geoRestriction: { restrictionType: "none" } },
        viewerCertificate: { acmCertificateArn: certificate.arn, sslSupportMethod: "sni-only", minimumProtocolVersion: "TLSv1.2_2021" },
      },
      parent,
    );
    // DNS only: CloudFront terminates TLS for the media host and is the cache in front of it.
    new cloudflare.DnsRecord(
      `${name}-media`,
      { zoneId, name: resolved.mediaHost, type: "CNAME", content: distribution.domainName, proxied: false, ttl: 300, comment: "CloudFront media distribution" },
      parent,
    );

    this.mediaDistributionArn = distribution.arn;
    if (resolved.accessLogs) this.accessLogs(name, distribution, resolved.accessLogs.bucketArn, resolved.certificateProvider);
    this.mediaDomainName = distribution.domainName;
    this.registerOutputs({ mediaDistributionArn: this.mediaDistributionArn });
  }

  /** The zone's entry-point rulesets (WAF, rate limits, cache) and its bot protection. */
  private zoneRules(name: string, args: ResolvedEdgeArgs): void {
    const parent = { parent: this };
    const zoneId = args.zoneId;
    const ruleset = (kind: string, phase: string, description: string, rules: cloudflare.types.input.RulesetRule[]) =>
      new cloudflare.Ruleset(`${name}-${kind}`, { zoneId, kind: "zone", phase, name: `${name} ${kind}`, description, rules }, parent);
    const limits = PLAN_LIMITS[args.plan];
    ruleset(
      "waf-managed",
      "http_request_firewall_managed",
      limits.fullManagedRulesets ? "Cloudflare Managed Ruleset and OWASP Core Ruleset" : "Cloudflare Free Managed Ruleset",
      managedWafRules(args.waf, limits.fullManagedRulesets),
    );
    if (args.waf.customRules.length) ruleset("waf-custom", "http_request_firewall_custom", "Custom firewall rules from config", customWafRules(args.waf.customRules));
    ruleset("rate-limits", "http_ratelimit", "Per-client limits on sensitive endpoints", rateLimitRules(args.rateLimits));
    ruleset("cache", "http_request_cache_settings", "Bypass dynamic paths, cache immutable assets", cacheRules({ ...args.cache, dynamicPaths: args.dynamicPaths }));

    if (args.botFightMode) new cloudflare.BotManagement(`${name}-bots`, { zoneId, ...botSettings(args.plan, args.addOns) }, parent);
  }

  /**
   * CloudFront standard logging v2: a CloudWatch Logs delivery source for the distribution, an S3
   * destination and the delivery between them, all in us-east-1 where CloudFront's logs originate
   * (the provider's LogDelivery example "CloudFront Standard Logging (v2)").
   */
  private accessLogs(name: string, distribution: aws.cloudfront.Distribution, bucketArn: pulumi.Input<string>, usEast1: aws.Provider): void {
    const opts = { parent: this, provider: usEast1 };
    const source = new aws.cloudwatch.LogDeliverySource(`${name}-media-logs`, { logType: "ACCESS_LOGS", resourceArn: distribution.arn }, opts);
    const destination = new aws.cloudwatch.LogDeliveryDestination(
      `${name}-media-logs`,
      { outputFormat: "parquet", deliveryDestinationConfiguration: { destinationResourceArn: bucketArn } },
      opts,
    );
    new aws.cloudwatch.LogDelivery(
      `${name}-media-logs`,
      { deliverySourceName: source.name, deliveryDestinationArn: destination.arn, s3DeliveryConfigurations: [{ suffixPath: "cloudfront", enableHiveCompatiblePath: false }] },
      // On create AWS prepends `AWSLogs/<account>/CloudFront/` to a CloudFront delivery's suffix
      // path, and an update of the path drops that prefix again
      // (hashicorp/terraform-provider-aws#40968, #46328; aws-cloudformation/cloudformation-coverage-roadmap#2274).
      // Whatever AWS reports back, the path is set once: a refresh must not turn into an update that moves the logs.
      { ...opts, ignoreChanges: ["s3DeliveryConfigurations"] },
    );
  }
}
