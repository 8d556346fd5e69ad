import { Rule, prodOnly } from "../lib";
import { AT_REST } from "./atRest";
import { Row, settingsRule } from "./engine";
import { EXPOSURE } from "./exposure";
import { COMPUTE, LB_PROD, LOAD_BALANCERS, LOGGING } from "./hygiene";
import { loggingRules } from "./logging";
import { IN_TRANSIT } from "./transit";

export { WRITABLE_ROOT_TAG } from "./hygiene";
export type { Row } from "./engine";

/** The data-driven rules, by category: each is a table of type → property path → expected value. */
export const SETTINGS_RULES = {
  "encryption-at-rest": settingsRule("encryption-at-rest", "Every storage kind that can be left unencrypted is encrypted at rest.", AT_REST),
  "encryption-in-transit": settingsRule("encryption-in-transit", "Listeners, CDN viewers and origins, caches, search, Kafka, API domains and endpoints use TLS 1.2 or newer.", IN_TRANSIT),
  "exposure-settings": settingsRule("exposure-settings", "No public IPs, public databases or brokers, disabled public-access blocks, or unauthenticated function URLs.", EXPOSURE),
  "compute-hygiene": settingsRule("compute-hygiene", "Instances require IMDSv2; containers are not privileged, not root, and read-only unless their service opted out.", COMPUTE),
  "load-balancer-hygiene": settingsRule("load-balancer-hygiene", "Load balancers drop invalid header fields (ALB) and write access logs.", LOAD_BALANCERS),
  "prod-lb-deletion-protection": prodOnly(settingsRule("prod-lb-deletion-protection", "Prod load balancers have deletion protection.", LB_PROD)),
  "logging-settings": settingsRule("logging-settings", "API stages, brokers, search domains, EKS and trails log what they do.", LOGGING),
};

/** Rows of a settings rule (empty for other rules). */
export function rowsOf(rule: Rule): Row[] {
  return (rule as { rows?: Row[] }).rows ?? [];
}

export const settingsRules: Rule[] = [...Object.values(SETTINGS_RULES), ...loggingRules];
