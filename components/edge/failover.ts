import * as cloudflare from "@pulumi/cloudflare";
import * as pulumi from "@pulumi/pulumi";
import { EDGE_FAILOVER_DEFAULTS } from "./defaults";

/** One region's origin: its ALB. */
export interface RegionOrigin {
  /** AWS region, e.g. `us-east-1`: the pool's name and the origin's. */
  region: string;
  /** The region's ALB DNS name: the target of the pool's origin name (`origin-<region>.<domain>`). */
  albDnsName: pulumi.Input<string>;
}

export interface RegionFailoverArgs {
  /** Cloudflare account that owns the monitors and pools (they are account-level). */
  accountId: pulumi.Input<string>;
  /** Cloudflare zone id of `domain`: the load balancers and origin records live there. */
  zoneId: pulumi.Input<string>;
  /** Apex domain: the health check's Host header, which the ALB certificate covers. */
  domain: string;
  /** Hosts that fail over between the regions; each gets a load balancer of its own. */
  hosts: string[];
  /** Every region with an ALB, each with a pool of its own (named by region, whatever its role). */
  regions: RegionOrigin[];
  /**
   * The region that serves while healthy: its pool comes first in every load balancer, the others
   * follow in `regions` order. Default: the first of `regions`.
   */
  activeRegion?: string;
  /** Path the health check requests through each region's ALB; it must answer 2xx. Example `/api/health`. */
  healthPath: string;
  /** Seconds between health checks (60 is available on every Load Balancing subscription). @default 60 */
  intervalSeconds?: number;
  /** Prefix of the pools' names (account-unique). */
  prefix: string;
  /**
   * Addresses Cloudflare emails when a pool turns unhealthy or healthy again (e.g. Opsgenie's email
   * integration, so a failover pages). Default none.
   */
  notifyEmails?: string[];
}

/**
 * Global traffic management on Cloudflare Load Balancing: one HTTPS monitor, one pool per region
 * whose origin is that region's ALB, and a proxied load balancer per host that sends traffic to
 * the first healthy pool (steering `off`: the order of `defaultPools`). Cloudflare checks each pool
 * from several regions, so one failed check in one place does not move traffic. A load balancer
 * takes precedence over a DNS record of the same name, and disabling it falls back to that record
 * (https://developers.cloudflare.com/load-balancing/load-balancers/dns-records/), so the hosts'
 * proxied records to the primary ALB stay as the fallback.
 */
export class RegionFailover extends pulumi.ComponentResource {
  /** Pool id by region. */
  readonly pools: Record<string, pulumi.Output<string>>;
  readonly poolIds: pulumi.Output<string>[];
  /** Each host's load balancer (`npm run failover` reorders its pools). */
  readonly loadBalancers: { host: string; id: pulumi.Output<string> }[];

  constructor(name: string, args: RegionFailoverArgs, opts?: pulumi.ComponentResourceOptions) {
    super("platform:edge:RegionFailover", name, {}, opts);
    const o = { parent: this };
    if (args.regions.length < 2) throw new Error(`${name}: failover needs two regions or more, got ${args.regions.length}`);
    // Detection: one failed check (5 s timeout, one retry) marks a pool down, so traffic moves
    // within about one interval; two passing checks bring it back.
    const monitor = new cloudflare.LoadBalancerMonitor(
      `${name}-monitor`,
      {
        accountId: args.accountId,
        description: `${args.prefix}: ${args.healthPath} through each region's ALB`,
        type: "https",
        method: "GET",
        path: args.healthPath,
        expectedCodes: "2xx",
        header: { Host: [args.domain] },
        followRedirects: false,
        allowInsecure: false,
        interval: args.intervalSeconds ?? EDGE_FAILOVER_DEFAULTS.intervalSeconds,
        timeout: 5,
        retries: 1,
        consecutiveDown: 1,
        consecutiveUp: 2,
      },
      o,
    );
    // The monitor checks the ALB's certificate (allowInsecure false), which covers the domain and
    // *.domain, never the ALB's own `*.elb.amazonaws.com` name. Which name an HTTPS monitor sends
    // as SNI and validates, its Host header or the origin's address, Cloudflare's docs do not say
    // (https://developers.cloudflare.com/load-balancing/monitors/,
    // https://developers.cloudflare.com/load-balancing/additional-options/override-http-host-headers/;
    // unverified, docs/known-limits.md). So each origin's address is a name of the zone, a
    // DNS-only CNAME to its ALB: the Host header (the domain) and the address are both covered, and
    // the check passes either way. The ALB still admits Cloudflare's addresses only.
    // The record's own name output, not the same string: a pool created (or repointed) before its
    // name resolves would fail its monitor and send every host to the fallback.
    const originNames = args.regions.map(
      (r) =>
        new cloudflare.DnsRecord(
          `${name}-origin-${r.region}`,
          { zoneId: args.zoneId, name: `origin-${r.region}.${args.domain}`, type: "CNAME", content: r.albDnsName, proxied: false, ttl: 300, comment: `${r.region} ALB for Load Balancing (DNS-only: the pool's origin address)` },
          o,
        ).name,
    );
    const pools = args.regions.map(
      (r, i) =>
        new cloudflare.LoadBalancerPool(
          `${name}-${r.region}`,
          {
            accountId: args.accountId,
            name: `${args.prefix}-${r.region}`,
            description: `${args.prefix}: the ${r.region} ALB`,
            origins: [{ name: r.region, address: originNames[i], enabled: true, weight: 1 }],
            monitor: monitor.id,
            minimumOrigins: 1,
            enabled: true,
          },
          o,
        ),
    );
    this.poolIds = pools.map((p) => p.id);
    this.pools = Object.fromEntries(args.regions.map((r, i) => [r.region, pools[i].id]));
    const active = args.activeRegion ?? args.regions[0].region;
    if (!args.regions.some((r) => r.region === active)) throw new Error(`${name}: activeRegion ${active} is not one of the regions (${args.regions.map((r) => r.region).join(", ")})`);
    const order = [...args.regions.filter((r) => r.region === active), ...args.regions.filter((r) => r.region !== active)];
    const ordered = order.map((r) => this.pools[r.region]);
    this.loadBalancers = args.hosts.map((host) => ({
      host,
      id:
        new cloudflare.LoadBalancer(
          `${name}-${host.replace(/\./g, "-")}`,
          {
            zoneId: args.zoneId,
            name: host,
            description: `${host}: ${order.map((r) => r.region).join(", then ")}`,
            defaultPools: ordered,
            fallbackPool: ordered[ordered.length - 1],
            proxied: true,
            steeringPolicy: "off",
            sessionAffinity: "none",
            enabled: true,
          },
          // After creation the pool order belongs to `npm run failover`: an update must not send
          // traffic back to a region it moved away from.
          { ...o, ignoreChanges: ["defaultPools", "fallbackPool"] },
        ).id,
    }));
    if (args.notifyEmails?.length) {
      // Cloudflare's "Load Balancing Health Alert": a pool's health changed
      // (https://developers.cloudflare.com/notifications/notification-available/#load-balancing).
      new cloudflare.NotificationPolicy(
        `${name}-pool-health`,
        {
          accountId: args.accountId,
          name: `${args.prefix}: region pool health`,
          description: "A region's pool changed health: traffic moves to (or back from) the standby region.",
          alertType: "load_balancing_health_alert",
          enabled: true,
          filters: { poolIds: this.poolIds, newHealths: ["Unhealthy", "Healthy"] },
          mechanisms: { emails: args.notifyEmails.map((id) => ({ id })) },
        },
        o,
      );
    }
    this.registerOutputs({ poolIds: this.poolIds });
  }
}
