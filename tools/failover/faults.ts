/**
 * Faults a drill injects into the simulated platform (`--fault`, repeatable; docs/regions.md, "Fault drills").
 * Each AWS-call fault hits the next matching call once, as a real one would after the SDK's retries:
 *   <service>[:<Operation>]:throttle   ThrottlingException (400)
 *   <service>[:<Operation>]:5xx        an internal error (500); for cloudflare, an HTML 502 from its edge
 *   <service>[:<Operation>]:hang       never answers: the client's timeouts end the call (clients.ts)
 *   <service>[:<Operation>]:lost       AWS carries the call out, but its answer is lost (a TimeoutError)
 *   <region>:<service>:throttle|5xx|hang   every call to that service in that region, for this whole run
 *                                      (a half-answering region: e.g. us-east-1:rds:throttle)
 *   <region>:down                      nothing in that region answers during this run
 *   database:stuck                     the switchover or failover stays in progress during this run
 *   sessions:stuck                     the Global Datastore's promotion stays in progress (modifying) during this run
 *   lag:<ms>                           the replication lag from now on
 *   clock:+<minutes>                   time passes before this run (metrics age as CloudWatch's do)
 * <service> is rds, ecs, application-autoscaling, scheduler, cloudwatch, elasticache or cloudflare.
 */
export const FAULT_SERVICES = ["rds", "ecs", "application-autoscaling", "scheduler", "cloudwatch", "elasticache", "cloudflare"] as const;
export type FaultService = (typeof FAULT_SERVICES)[number];

export type Fault =
  | { kind: "call"; service: FaultService; operation?: string; effect: "throttle" | "5xx" | "hang" | "lost" }
  | { kind: "region"; region: string; service: FaultService; effect: "throttle" | "5xx" | "hang" }
  | { kind: "down"; region: string }
  | { kind: "stuck"; what: "database" | "sessions" }
  | { kind: "lag"; ms: number }
  | { kind: "clock"; minutes: number };

/** Every `--fault` value, or every problem with it (naming the flag and what was expected). */
export function parseFaults(values: string[], regions: string[]): { faults: Fault[]; problems: string[] } {
  const faults: Fault[] = [];
  const problems: string[] = [];
  for (const v of values) {
    const parts = v.split(":");
    const [head, last] = [parts[0], parts[parts.length - 1]];
    if (parts.length === 2 && regions.includes(head) && last === "down") faults.push({ kind: "down", region: head });
    else if (parts.length === 3 && regions.includes(head) && (FAULT_SERVICES as readonly string[]).includes(parts[1]) && parts[1] !== "cloudflare" && ["throttle", "5xx", "hang"].includes(last)) {
      faults.push({ kind: "region", region: head, service: parts[1] as FaultService, effect: last as "throttle" | "5xx" | "hang" });
    } else if (v === "database:stuck" || v === "sessions:stuck") faults.push({ kind: "stuck", what: v === "database:stuck" ? "database" : "sessions" });
    else if (parts.length === 2 && head === "lag" && /^\d+$/.test(last)) faults.push({ kind: "lag", ms: Number(last) });
    else if (parts.length === 2 && head === "clock" && /^\+\d+$/.test(last)) faults.push({ kind: "clock", minutes: Number(last.slice(1)) });
    else if ((parts.length === 2 || parts.length === 3) && (FAULT_SERVICES as readonly string[]).includes(head) && ["throttle", "5xx", "hang", "lost"].includes(last)) {
      faults.push({ kind: "call", service: head as FaultService, operation: parts.length === 3 ? parts[1] : undefined, effect: last as "throttle" | "5xx" | "hang" | "lost" });
    } else {
      problems.push(
        `--fault ${v}: expected <service>[:<Operation>]:throttle|5xx|hang|lost (service ${FAULT_SERVICES.join(", ")}), <region>:down or <region>:<service>:throttle|5xx|hang (${regions.join(", ")}), database:stuck, sessions:stuck, lag:<ms> or clock:+<minutes>`,
      );
    }
  }
  return { faults, problems };
}
