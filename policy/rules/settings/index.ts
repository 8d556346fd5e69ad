import { Rule, prodOnly } from "../lib";
import { AT_REST } from "./atRest";
import { ECR_LIFECYCLE, LOGGING_COMPANIONS, S3_BUCKET, companionRule } from "./companions";
import { Row, settingsRule } from "./engine";
import { EXPOSURE } from "./exposure";
import { COMPUTE, LB_PROD, LOAD_BALANCERS, LOGGING, MONITORING_PROD } from "./hygiene";
import { IDENTITY } from "./identity";
import { loggingRules } from "./logging";
import { PROD_RESILIENCE, RESILIENCE } from "./resilience";
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
  "logging-settings": settingsRule("logging-settings", "API stages, brokers, search domains, databases, clusters, trails, state machines and alarms log and monitor what they do.", LOGGING),
  "prod-database-monitoring": prodOnly(settingsRule("prod-database-monitoring", "Prod database instances have enhanced monitoring and Performance Insights.", MONITORING_PROD)),
  "identity-settings": settingsRule("identity-settings", "Strong password policies, IAM database authentication, no anonymous or API-key access, MFA, no default admin names.", IDENTITY),
  "resilience-settings": settingsRule("resilience-settings", "Automated backups and point-in-time recovery are on, and snapshots keep their tags.", RESILIENCE),
  "prod-resilience-settings": prodOnly(settingsRule("prod-resilience-settings", "Prod databases, tables, firewalls and instances have deletion protection, caches keep backups, and single databases and search domains span AZs.", PROD_RESILIENCE)),
};

/** Data-driven stack rules: settings kept in a companion resource (bucket versioning, lifecycle policies). */
export const COMPANION_RULES = {
  "s3-bucket-configuration": companionRule("s3-bucket-configuration", "Every S3 bucket has versioning and an enabled lifecycle, and no ownership controls that turn ACLs back on.", S3_BUCKET),
  "ecr-lifecycle": companionRule("ecr-lifecycle", "Every ECR repository has a lifecycle policy.", ECR_LIFECYCLE),
  "logging-companions": companionRule("logging-companions", "Redshift clusters and network firewalls have their logging resource.", LOGGING_COMPANIONS),
};

/** Rows of a settings rule (empty for other rules). */
export function rowsOf(rule: Rule): Row[] {
  return (rule as { rows?: Row[] }).rows ?? [];
}

export const settingsRules: Rule[] = [...Object.values(SETTINGS_RULES), ...loggingRules, ...Object.values(COMPANION_RULES)];
