/**
 * The config rules that span keys (config/validate.ts checks each key against its schema first):
 * names and references, CIDRs that must not overlap, paths, hosts, windows, paging.
 */
import { catalogueProblems } from "./catalogue";
import { edgeCertificateProblems, edgePlanProblems, zoneSetupProblems } from "./edgePlan";
import { NAMESPACE, ConfigProblem } from "./problems";
import { list, record, str } from "./raw";
import { activeRegionProblems, standbyProblems } from "./standby";
import { overlaps, parseCidr } from "@platform/components/cidr";
import { BUILTIN_SECRETS } from "./compute";
import { Sections } from "./schema";

/**
 * Rules that span keys. They read the parsed value of each key, or its raw value when the key
 * itself has problems, so one broken field does not hide problems elsewhere; every rule checks
 * the types it reads, so nothing the schema already reported is reported twice.
 */
export function crossChecks(c: Record<string, unknown>, failed: Set<keyof Sections>): ConfigProblem[] {
  const problems: ConfigProblem[] = [];
  const add = (key: string, message: string) => problems.push({ key: `${NAMESPACE}:${key}`, message });
  const network = record(c.network);
  const region = failed.has("region") ? undefined : str(c.region);
  const secondaryRegion = failed.has("secondaryRegion") ? undefined : str(c.secondaryRegion);
  const cidr = str(network.cidr);
  const secondaryCidr = str(network.secondaryCidr);

  if (region && secondaryRegion === region) {
    add("secondaryRegion", `expected a region different from platform:region (${region})`);
  }
  if (secondaryRegion && network.secondaryCidr === undefined && c.network !== undefined) {
    add("network.secondaryCidr", "is required when platform:secondaryRegion is set (the secondary region's VPC block)");
  }
  if (c.secondaryRegion === undefined && secondaryCidr) {
    add("network.secondaryCidr", "is only used with platform:secondaryRegion; remove it or set the region");
  }
  const primaryBlock = cidr ? parseCidr(cidr) : undefined;
  const secondaryBlock = secondaryCidr ? parseCidr(secondaryCidr) : undefined;
  if (primaryBlock && secondaryBlock && overlaps(primaryBlock, secondaryBlock)) {
    add("network.secondaryCidr", `expected a block that does not overlap platform:network.cidr (${cidr}) so the VPCs can be peered`);
  }
  problems.push(...[...standbyProblems(c), ...activeRegionProblems(c)].map(([key, message]) => ({ key: `${NAMESPACE}:${key}`, message })));
  problems.push(...computeChecks(c));
  problems.push(...edgeChecks(c));
  problems.push(...observabilityChecks(c));
  problems.push(...catalogueProblems(c, failed));

  const aurora = record(c.aurora);
  const instanceClass = str(aurora.instanceClass);
  if (secondaryRegion && instanceClass?.startsWith("db.t")) {
    add("aurora.instanceClass", `expected a memory-optimised class (db.r*) with a secondary region: Aurora Global Database does not support burstable ${instanceClass}`);
  }
  if (secondaryRegion && instanceClass === "db.serverless") {
    add("aurora.instanceClass", "expected a provisioned class with a secondary region: this program runs Serverless v2 only without a global database");
  }
  if (instanceClass === "db.serverless" && aurora.serverless === undefined && c.aurora !== undefined) {
    add("aurora.serverless", "is required with instanceClass db.serverless ({ minAcu, maxAcu })");
  }
  const acu = record(aurora.serverless);
  if (typeof acu.minAcu === "number" && typeof acu.maxAcu === "number" && acu.minAcu > acu.maxAcu) {
    add("aurora.serverless.minAcu", `expected at most maxAcu (${acu.maxAcu}), got ${acu.minAcu}`);
  }
  if (instanceClass && instanceClass !== "db.serverless" && aurora.serverless !== undefined) {
    add("aurora.serverless", "is only used with instanceClass db.serverless");
  }
  if (!secondaryRegion && typeof aurora.secondaryReaders === "number" && aurora.secondaryReaders > 0 && !failed.has("secondaryRegion")) {
    add("aurora.secondaryReaders", "is only used with platform:secondaryRegion");
  }
  const backup = str(aurora.backupWindow);
  const maintenance = str(aurora.maintenanceWindow);
  if (backup && maintenance && windowsOverlap(backup, maintenance)) {
    add("aurora.maintenanceWindow", `expected a window that does not overlap the backup window (${backup})`);
  }

  const redis = record(c.redis);
  if (c.backup !== undefined && !secondaryRegion && !failed.has("secondaryRegion")) {
    add("backup", "needs platform:secondaryRegion: recovery points are copied to a vault there");
  }

  if (c.environment === "prod") {
    if (typeof redis.replicas === "number" && redis.replicas < 2) add("redis.replicas", `expected 2 or more in prod (primary + replicas in other AZs), got ${redis.replicas}`);
    if (typeof redis.snapshotRetentionDays === "number" && redis.snapshotRetentionDays < 1) add("redis.snapshotRetentionDays", "expected 1 or more in prod");
    if (c.backup === undefined) add("backup", "is required in prod: daily Aurora backups with a cross-region copy and a vault lock");
    if (typeof aurora.readers === "number" && aurora.readers < 2) add("aurora.readers", `expected 2 or more in prod (writer + readers over 3 AZs), got ${aurora.readers}`);
    if (typeof aurora.secondaryReaders === "number" && aurora.secondaryReaders < 1) add("aurora.secondaryReaders", "expected 1 or more in prod: the secondary region must be able to serve reads after a failover");
    if (aurora.secondaryReaders === undefined && c.aurora !== undefined) add("aurora.secondaryReaders", "is required in prod (readers of the secondary cluster)");
    if (typeof aurora.backupRetentionDays === "number" && aurora.backupRetentionDays < 14) add("aurora.backupRetentionDays", `expected 14 or more in prod, got ${aurora.backupRetentionDays}`);
    const azCount = typeof network.azCount === "number" ? network.azCount : undefined;
    if (azCount !== undefined && azCount >= 2 && azCount < 3) add("network.azCount", `expected 3 or more in prod, got ${azCount}`);
    if (network.natGateways === "single") add("network.natGateways", `expected "perAz" in prod (a single NAT is a single point of failure), got "single"`);
    if (c.protect === false) add("protect", "expected true in prod: stateful resources must be protected");
    if (c.secondaryRegion === undefined) add("secondaryRegion", "is required in prod: the Aurora Global Database needs a secondary region");
    if (c.standby === undefined) add("standby", "is required in prod: a warm copy of the regional footprint in platform:secondaryRegion, so a region's loss is a failover (README \"Regions\")");
    const compute = record(c.compute);
    if (compute.capacity === "spot") add("compute.capacity", `expected "onDemand" or "mixed" in prod (Spot capacity can be reclaimed at any time), got "spot"`);
    const onDefault: string[] = [];
    list(c.services).forEach((s, i) => {
      const own = record(record(s).scaling).minTasks;
      if (typeof own === "number" && own < 2) add(`services[${i}].scaling.minTasks`, `expected 2 or more in prod (tasks spread over AZs), got ${own}`);
      if (record(s).scaling === undefined) onDefault.push(str(record(s).name) ?? String(i));
    });
    const defaultMin = record(compute.scaling).minTasks;
    if (typeof defaultMin === "number" && defaultMin < 2 && onDefault.length) {
      add("compute.scaling.minTasks", `expected 2 or more in prod (tasks spread over AZs), got ${defaultMin} (used by ${onDefault.join(", ")})`);
    }
  }
  return problems;
}

/** Names unique, references resolvable, paths that do not shadow each other, min <= max. */
function computeChecks(c: Record<string, unknown>): ConfigProblem[] {
  const problems: ConfigProblem[] = [];
  const add = (key: string, message: string) => problems.push({ key: `${NAMESPACE}:${key}`, message });
  const services = list(c.services).map(record);
  const queues = list(c.queues).map(record);
  const schedules = list(c.schedules).map(record);
  const compute = record(c.compute);

  const unique = (key: string, entries: Record<string, unknown>[], what: string) => {
    const seen = new Set<string>();
    entries.forEach((e, i) => {
      const name = str(e.name);
      if (name && seen.has(name)) add(`${key}[${i}].name`, `expected a unique ${what} name; "${name}" is listed twice`);
      if (name) seen.add(name);
    });
    return seen;
  };
  const serviceNames = unique("services", services, "service");
  const queueNames = unique("queues", queues, "queue");
  unique("schedules", schedules, "schedule");
  const secretNames = new Set<string>();
  list(c.secrets).forEach((name, i) => {
    if (typeof name !== "string") return;
    if ((BUILTIN_SECRETS as readonly string[]).includes(name)) add(`secrets[${i}]`, `"${name}" is built in; list only third-party secrets`);
    else if (secretNames.has(name)) add(`secrets[${i}]`, `expected a unique secret name; "${name}" is listed twice`);
    secretNames.add(name);
  });

  // Paths: each pattern once, no prefix shadowing another (ALB rules match in priority order), one catch-all.
  const owners: { path: string; key: string }[] = [];
  services.forEach((s, i) =>
    list(s.paths).forEach((p, j) => {
      if (typeof p !== "string") return;
      const key = `services[${i}].paths[${j}]`;
      for (const other of owners) {
        if (other.path === p) add(key, `expected a path no other entry routes; ${p} is already at platform:${other.key}`);
        else if (p !== "/*" && other.path !== "/*" && (prefixOf(p, other.path) || prefixOf(other.path, p))) {
          add(key, `expected paths that do not overlap; ${p} overlaps ${other.path} (platform:${other.key})`);
        }
      }
      owners.push({ path: p, key });
    }),
  );

  const checkRefs = (key: string, entry: Record<string, unknown>) => {
    for (const [env, ref] of Object.entries(record(entry.secrets))) {
      const name = typeof ref === "string" ? ref.split(":")[0] : undefined;
      if (name && !(BUILTIN_SECRETS as readonly string[]).includes(name) && !secretNames.has(name)) {
        add(`${key}.secrets.${env}`, `expected ${BUILTIN_SECRETS.join(", ")} or a name listed in platform:secrets, got "${name}"`);
      }
    }
    list(entry.sendsTo).forEach((q, i) => {
      if (typeof q === "string" && !queueNames.has(q)) add(`${key}.sendsTo[${i}]`, `expected a queue listed in platform:queues, got "${q}"`);
    });
  };
  const checkBounds = (key: string, value: unknown) => {
    const { minTasks, maxTasks } = record(value);
    if (typeof minTasks === "number" && typeof maxTasks === "number" && minTasks > maxTasks) {
      add(`${key}.minTasks`, `expected at most maxTasks (${maxTasks}), got ${minTasks}`);
    }
  };
  checkBounds("compute.scaling", compute.scaling);
  services.forEach((s, i) => {
    checkRefs(`services[${i}]`, s);
    checkBounds(`services[${i}].scaling`, s.scaling);
    if (record(s.scaling).minTasks === 0) add(`services[${i}].scaling.minTasks`, "expected 1 or more: a service behind the ALB cannot scale to zero");
  });
  queues.forEach((q, i) => {
    checkRefs(`queues[${i}].processor`, record(q.processor));
    checkBounds(`queues[${i}].processor`, q.processor);
  });
  checkRefs("compute.migrations", record(compute.migrations));
  schedules.forEach((s, i) => {
    const service = str(s.service);
    if (service && services.length && !serviceNames.has(service)) add(`schedules[${i}].service`, `expected a service listed in platform:services, got "${service}"`);
  });
  const images = new Set(services.map((s) => str(s.image) ?? str(s.name)));
  const migrationImage = str(record(compute.migrations).image);
  if (migrationImage && services.length && !images.has(migrationImage)) {
    add("compute.migrations.image", `expected the image of a service (${[...images].join(", ")}), got "${migrationImage}"`);
  }
  return problems;
}

/** Hosts inside the zone, each once, the media host apart from the proxied ones. */
function edgeChecks(c: Record<string, unknown>): ConfigProblem[] {
  const problems: ConfigProblem[] = [];
  const add = (key: string, message: string) => problems.push({ key: `${NAMESPACE}:${key}`, message });
  const domain = str(record(c.dns).domain);
  const edge = record(c.edge);
  const inZone = (host: string) => domain !== undefined && (host === domain || host.endsWith(`.${domain}`));
  const seen = new Set<string>();
  list(edge.hosts).forEach((h, i) => {
    if (typeof h !== "string") return;
    if (domain && !inZone(h)) add(`edge.hosts[${i}]`, `expected a host inside the zone ${domain} (platform:dns.domain), got ${h}`);
    if (seen.has(h)) add(`edge.hosts[${i}]`, `expected each host once; ${h} is listed twice`);
    seen.add(h);
  });
  const media = str(edge.mediaHost);
  if (media && domain && !inZone(media)) add("edge.mediaHost", `expected a host inside the zone ${domain} (platform:dns.domain), got ${media}`);
  const mediaHost = media ?? (domain ? `media.${domain}` : undefined);
  if (mediaHost && seen.has(mediaHost)) add("edge.mediaHost", `expected a host of its own: ${mediaHost} is also in platform:edge.hosts (served by the ALB)`);
  const names = new Set<string>();
  list(edge.rateLimits).forEach((r, i) => {
    const name = str(record(r).name);
    if (name && names.has(name)) add(`edge.rateLimits[${i}].name`, `expected a unique name; "${name}" is listed twice`);
    if (name) names.add(name);
  });
  // The zone's rulesets are the zone owner's (config/ownership.ts): the others' would never apply.
  const ownsZone = record(c.dns).ownsZone !== false && record(c.dns).ownsZone !== "false";
  const limitCount = list(edge.rateLimits).length;
  if (c.edge !== undefined && ownsZone && limitCount === 0) add("edge.rateLimits", "expected at least the login limit in the stack that owns the zone (platform:dns.ownsZone)");
  if (!ownsZone && limitCount > 0) add("edge.rateLimits", "is set by the zone's owner: with platform:dns.ownsZone false this stack creates no rulesets, and the owner's limits cover its hosts");
  if (!ownsZone && list(record(edge.waf).customRules).length > 0) add("edge.waf.customRules", "is set by the zone's owner: with platform:dns.ownsZone false this stack creates no rulesets, and the owner's rules cover its hosts");
  problems.push(...edgePlanProblems(edge).map(([key, message]) => ({ key: `${NAMESPACE}:${key}`, message })));
  // Only the zone's owner claims its domain is a zone: a stack in another's zone serves a subdomain of it.
  if (ownsZone) problems.push(...zoneSetupProblems(domain, edge.plan).map(([key, message]) => ({ key: `${NAMESPACE}:${key}`, message })));
  problems.push(...edgeCertificateProblems(list(edge.hosts), domain, ownsZone, edge.plan).map(([key, message]) => ({ key: `${NAMESPACE}:${key}`, message })));
  return problems;
}


/** Paging prod demands (any stack may page), SLO overrides that name public services. */
function observabilityChecks(c: Record<string, unknown>): ConfigProblem[] {
  const problems: ConfigProblem[] = [];
  const add = (key: string, message: string) => problems.push({ key: `${NAMESPACE}:${key}`, message });
  const o = record(c.observability);
  const paging = record(o.paging);
  if (c.environment === "prod" && o.paging !== undefined && paging.opsgenie === undefined) {
    add("observability.paging.opsgenie", "is required in prod: prod monitors page through Opsgenie ({ service, region })");
  }
  const services = new Set(list(c.services).map((s) => str(record(s).name)));
  for (const name of Object.keys(record(record(o.slo).overrides))) {
    if (!services.has(name)) add(`observability.slo.overrides.${name}`, `expected the name of a service in platform:services, got "${name}"`);
  }
  return problems;
}

/** True when every path `inner` matches is also matched by `outer` (both end in /*). */
function prefixOf(outer: string, inner: string): boolean {
  return inner.startsWith(outer.slice(0, -1));
}

const DAYS = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"];

/** True when a daily `hh:mm-hh:mm` window meets a weekly `ddd:hh:mm-ddd:hh:mm` one on any day. */
function windowsOverlap(daily: string, weekly: string): boolean {
  const WEEK = 7 * 1440;
  const minutes = (hhmm: string) => Number(hhmm.slice(0, 2)) * 60 + Number(hhmm.slice(3, 5));
  const [ds, de] = daily.split("-").map(minutes);
  const [ws, we] = weekly.split("-").map((p) => DAYS.indexOf(p.slice(0, 3)) * 1440 + minutes(p.slice(4)));
  const weeklyEnd = we > ws ? we : we + WEEK;
  for (let day = 0; day < 7; day++) {
    const start = day * 1440 + ds;
    const end = day * 1440 + (de > ds ? de : de + 1440);
    // Compare against the weekly window and its copies one week either side (wrap-around).
    for (const shift of [-WEEK, 0, WEEK]) if (start < weeklyEnd + shift && ws + shift < end) return true;
  }
  return false;
}
