/**
 * The rules over services' own documents and settings lists (serviceDocuments.ts,
 * serviceReferences.ts), by the category of docs/policy.md they belong to: each category's module
 * lists its share, so the pack (index.ts) and the generated rule table take them from there.
 */
import { Rule } from "./lib";
import { serviceDocumentRules } from "./serviceDocuments";
import { serviceReferenceRules } from "./serviceReferences";

const all = [...serviceDocumentRules, ...serviceReferenceRules];
const pick = (...names: string[]): Rule[] =>
  names.map((n) => {
    const rule = all.find((r) => r.name === n);
    if (!rule) throw new Error(`services.ts: no rule ${n}`);
    return rule;
  });

export const SERVICE_RULES = {
  encryption: pick("emr-security-configuration", "glue-security-configuration", "ssm-session-encryption"),
  transit: pick("elb-policy-secure-protocols"),
  network: pick("network-firewall-policy", "network-firewall-stateless-rules", "emr-cluster-security"),
  logging: pick("dms-task-logging", "docdb-audit-logs", "redshift-user-activity-logging", "postgres-query-logging", "beanstalk-environment-settings"),
};
if (Object.values(SERVICE_RULES).flat().length !== all.length) throw new Error("services.ts: every service rule belongs to exactly one category");
