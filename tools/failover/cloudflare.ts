/**
 * Cloudflare's side: the load balancers' pool order and the health check through the edge.
 * Cloudflare answers errors (429, and 5xx from its edge, often an HTML page) before any JSON, so
 * the status is read first and the body parsed only as JSON when it says so; 429 and 5xx are
 * retried with backoff, honouring Retry-After (https://developers.cloudflare.com/fundamentals/api/reference/limits/)
 * unless it reaches past the step's deadline; a network error or timeout is retried the same way.
 */
import { Deps, Plan, StepError } from "./types";

/** Retries after a 429 or 5xx, and the backoff between them (doubling from 1 s). */
export const CLOUDFLARE_RETRIES = 3;
const BACKOFF_MS = 1000;
/** The response header the services' health endpoint names its region in (docs/regions.md, "The failover command"). */
export const REGION_HEADER = "x-served-region";

type LbResult = { default_pools?: string[]; fallback_pool?: string };

/** One load balancer, read (GET) or changed (PATCH): https://developers.cloudflare.com/api/resources/load_balancers/methods/edit/ */
export async function loadBalancer(d: Deps, method: "GET" | "PATCH", zoneId: string, id: string, body?: unknown): Promise<LbResult> {
  const url = `https://api.cloudflare.com/client/v4/zones/${zoneId}/load_balancers/${id}`;
  const pause = async (attempt: number, why: string, wait = BACKOFF_MS * 2 ** attempt) => {
    // A Retry-After past the step's deadline is not slept into: the step would only time out in it.
    if (d.deadlineAt !== undefined && d.now() + wait > d.deadlineAt) {
      throw new StepError(`Cloudflare ${method} load balancer ${id}: ${why}, and asks to wait ${Math.round(wait / 1000)} s, past this step's time limit`, `wait ${Math.round(wait / 1000)} s (Cloudflare's Retry-After), then run the same command again`);
    }
    d.log(`    … Cloudflare ${method} ${id}: ${why}, retry ${attempt + 1} of ${CLOUDFLARE_RETRIES} in ${Math.round(wait / 1000)} s`);
    await d.sleep(wait, d.signal);
  };
  for (let attempt = 0; ; attempt++) {
    let res: Response;
    try {
      res = await d.fetch(url, {
        method,
        headers: { Authorization: `Bearer ${d.cloudflareToken}`, "Content-Type": "application/json" },
        body: body === undefined ? undefined : JSON.stringify(body),
        signal: d.signal,
      });
    } catch (err) {
      // A network error or the request's own 15 s timeout (clients.ts) is retried; the step's deadline is not.
      if (d.signal?.aborted || attempt >= CLOUDFLARE_RETRIES) throw err;
      await pause(attempt, `${(err as Error).name}: ${(err as Error).message}`);
      continue;
    }
    const retryable = res.status === 429 || res.status >= 500;
    if (retryable && attempt < CLOUDFLARE_RETRIES) {
      const after = Number(res.headers?.get?.("retry-after"));
      await pause(attempt, String(res.status), Number.isFinite(after) && after > 0 ? after * 1000 : undefined);
      continue;
    }
    const isJson = /json/.test(res.headers?.get?.("content-type") ?? "application/json");
    const json = isJson ? ((await res.json().catch(() => ({}))) as { success?: boolean; result?: LbResult; errors?: { message: string }[] }) : {};
    if (!res.ok || json.success === false) {
      const why = isJson ? (json.errors ?? []).map((e) => e.message).join(", ") : `${res.headers?.get?.("content-type")} body (not the API's JSON)`;
      throw new StepError(
        `Cloudflare ${method} load balancer ${id}: ${res.status}${why ? ` ${why}` : ""}${retryable ? ` after ${CLOUDFLARE_RETRIES} retries` : ""}`,
        retryable ? "Cloudflare's API failed for a while (see https://www.cloudflarestatus.com): run the same command again" : "check the token (Load Balancing: Edit on the zone) and the load balancer ids in the stack outputs",
      );
    }
    return json.result ?? {};
  }
}

/** The health path through every public host: each must answer 2xx and name `region` in `x-served-region`. */
export async function healthEverywhere(d: Deps, p: Plan, region: string): Promise<true | string> {
  const path = new URL(p.outputs.healthUrl).pathname;
  const wrong: string[] = [];
  for (const lb of p.outputs.cloudflare.loadBalancers) {
    try {
      const res = await d.fetch(`https://${lb.host}${path}`, { method: "GET", signal: d.signal });
      const served = res.headers?.get?.(REGION_HEADER);
      if (res.status < 200 || res.status >= 300) wrong.push(`${lb.host} ${res.status}`);
      else if (served !== region) wrong.push(`${lb.host} answered from ${served ?? `an unnamed region (no ${REGION_HEADER} header)`}`);
    } catch (err) {
      if (d.signal?.aborted) throw err;
      wrong.push(`${lb.host} ${(err as Error).message}`);
    }
  }
  return wrong.length ? wrong.join("; ") : true;
}
