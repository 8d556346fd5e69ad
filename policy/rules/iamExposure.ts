/**
 * IAM documents read the way checkov's cloudsplaining-based checks read them (checkov
 * 03d5fdad8d6154b1565799a7b1fb8070c158866f: checkov/terraform/checks/resource/aws/IAMCredentialsExposure.py,
 * IAMDataExfiltration.py, IAMPermissionsManagement.py, IAMWriteAccess.py, IAMStarResourcePolicyDocument.py
 * and their data-source twins under checkov/terraform/checks/data/aws/; checkov's Pipfile.lock pins
 * cloudsplaining ==0.7.0, salesforce/cloudsplaining tag 0.7.0 = d365bda7faa5bd8e2012b3ad6e248a37c092fc83:
 * cloudsplaining/scan/policy_document.py and statement_detail.py).
 *
 * What cloudsplaining 0.7.0 counts, and so what these rules refuse, per Allow statement without a
 * Condition (any condition counts as a constraint there):
 * - restrictable actions (they support resource-level permissions, ./iamCatalogue.ts) on `"*"`;
 * - for its named lists (credentials, exfiltration), also actions that are not restrictable, on any
 *   resource (`allows_specific_actions_without_constraints`);
 * - actions a Deny statement of the same document takes away are not counted (here only a Deny on
 *   `"*"` without a condition, which takes them away from every resource).
 * Every identity-based document of the pack's policy types is judged (a role's inline policies
 * included) and AWS IAM Identity Center permission-set inline policies, which checkov's resource
 * checks also read. `getPolicyDocument` is an invoke, not a resource: its result is judged where
 * it lands (a role's or policy's document).
 *
 * A role or policy that the pack config's `no-star-resource-for-restrictable.readsEveryResource`
 * names by URN pattern, with the reason (a vendor's account-wide inventory such as Datadog's), may
 * hold actions whose access levels are only Read and List on `"*"`, less the credentials and
 * exfiltration lists; never a write. Only `no-star-resource-for-restrictable` honours it
 * (./exemptions.ts: patterns, reasons and stale entries).
 */
import { ResourceValidationPolicy } from "@pulumi/policy";
import { ActionFacts, expandAction } from "./iamCatalogue";
import { PolicyResource, ReportViolation, StackValidationArgs } from "@pulumi/policy";
import { stackExemptions, exemptionSchema } from "./exemptions";
import { Props, Rule, Statement, actionMatches, stackRule, statements } from "./lib";
import { POLICY_TYPES, documents } from "./iamDocuments";

const PERMISSION_SET_POLICY = "aws:ssoadmin/permissionSetInlinePolicy:PermissionSetInlinePolicy";
const TYPES = [...POLICY_TYPES, PERMISSION_SET_POLICY];

/**
 * AWS calls that return credentials: cloudsplaining 0.7.0 cloudsplaining/shared/constants.py
 * ACTIONS_THAT_RETURN_CREDENTIALS (from https://gist.github.com/kmcquade/33860a617e651104d243c324ddf7992a),
 * less ecr:GetAuthorizationToken, which checkov's IAMCredentialsExposure excludes: every image pull
 * needs it and it has no resource-level permissions. (`gamelist:` is cloudsplaining's spelling;
 * IAM knows no such prefix, so those two entries match nothing, as they do there.)
 */
export const CREDENTIAL_ACTIONS = [
  "airflow:CreateCliToken", "airflow:CreateWebLoginToken", "appsync:CreateApiKey", "chime:CreateApiKey", "cloud9:CreateEnvironmentToken",
  "codeartifact:GetAuthorizationToken", "codepipeline:PollForJobs", "cognito-identity:GetOpenIdToken", "cognito-identity:GetOpenIdTokenForDeveloperIdentity",
  "cognito-identity:GetCredentialsForIdentity", "cognito-idp:GetSigningCertificate", "connect:GetFederationToken", "connect:GetFederationTokens",
  "ec2:GetPasswordData", "ecr-public:GetAuthorizationToken", "emr-containers:GetManagedEndpointSessionCredentials",
  "finspace-api:GetProgrammaticAccessCredentials", "gamelift:RequestUploadCredentials", "gamelift:GetInstanceAccess", "gamelist:GetComputeAccess",
  "gamelist:GetComputeAuthToken", "grafana:CreateWorkspaceApiKey", "iam:CreateAccessKey", "iam:CreateLoginProfile", "iam:CreateServiceSpecificCredential",
  "iam:ResetServiceSpecificCredential", "iam:UpdateAccessKey", "license-manager:GetAccessToken", "lightsail:GetInstanceAccessDetails",
  "lightsail:DownloadDefaultKeyPair", "lightsail:CreateBucketAccessKey", "lightsail:GetRelationalDatabaseMasterUserPassword",
  "mediapackage:RotateChannelCredentials", "mediapackage:RotateIngestEndpointCredentials", "rds-db:connect", "redshift:GetClusterCredentials",
  "redshift:GetClusterCredentialsWithIAM", "redshift-serverless:GetCredentials", "sso:GetRoleCredentials", "sts:AssumeRole", "sts:AssumeRoleWithSAML",
  "sts:AssumeRoleWithWebIdentity", "sts:GetFederationToken", "sts:GetSessionToken",
];
/** Reads that leak data when unscoped: cloudsplaining 0.7.0 constants.py READ_ONLY_DATA_EXFILTRATION_ACTIONS. */
export const EXFILTRATION_ACTIONS = ["s3:GetObject", "ssm:GetParameter", "ssm:GetParameters", "ssm:GetParametersByPath", "secretsmanager:GetSecretValue"];

/** Service prefixes of the named lists. */
const LIST_SERVICES = new Set([...CREDENTIAL_ACTIONS, ...EXFILTRATION_ACTIONS].map((a) => a.split(":")[0].toLowerCase()));

/** One unconstrained Allow statement with what it grants (`all` when it grants every action but `except`). */
interface Grant {
  where: string;
  onStar: boolean;
  actions: ActionFacts[];
  all?: { except: string[] };
}

function documentsOf(type: string, p: Props): { where: string; doc: unknown }[] {
  return type === PERMISSION_SET_POLICY ? [{ where: "inline policy", doc: p.inlinePolicy }] : documents(type, p);
}

const denied = (deny: Statement[], action: string) => deny.some((d) => d.Action.some((pattern) => actionMatches(pattern, action)));

/**
 * Every Allow statement without a condition, its actions looked up, less what a Deny on "*" takes
 * away; worked out once per resource for the five rules (the offline runner hands each rule the
 * same props object; the engine's fresh objects simply miss).
 */
const granted = new WeakMap<Props, Promise<Grant[]>>();
function grants(type: string, p: Props): Promise<Grant[]> {
  let known = granted.get(p);
  if (!known) {
    known = grantsOf(type, p);
    granted.set(p, known);
  }
  return known;
}

async function grantsOf(type: string, p: Props): Promise<Grant[]> {
  const out: Grant[] = [];
  for (const { where, doc } of documentsOf(type, p)) {
    const all = statements(doc);
    const deny = all.filter((s) => s.Effect === "Deny" && s.Resource.includes("*") && !s.Condition);
    for (const s of all.filter((x) => x.Effect === "Allow" && !x.Condition)) {
      const label = `${where}${s.Sid ? ` statement ${s.Sid}` : ""}`;
      const onStar = s.Resource.includes("*");
      if (s.NotAction.length || s.Action.includes("*")) {
        out.push({ where: label, onStar, actions: [], all: { except: s.NotAction } });
        continue;
      }
      // Off "*", only the named lists' not-restrictable actions count: look up nothing else.
      const named = onStar ? s.Action : s.Action.filter((a) => LIST_SERVICES.has(a.split(":")[0].toLowerCase()));
      const actions = (await Promise.all(named.map(expandAction))).flat().filter((a) => !denied(deny, a.action));
      out.push({ where: label, onStar, actions: [...new Map(actions.map((a) => [a.action, a])).values()] });
    }
  }
  return out;
}

/** A named list's actions a grant allows without constraint: restrictable ones on "*", the others anywhere. */
async function listed(g: Grant, list: string[]): Promise<string[]> {
  if (g.all) {
    const facts = (await Promise.all(list.map(expandAction))).flat();
    return facts.filter((a) => (g.onStar || !a.restrictable) && !g.all!.except.some((x) => actionMatches(x, a.action))).map((a) => a.action);
  }
  return g.actions.filter((a) => (g.onStar || !a.restrictable) && list.some((x) => x.toLowerCase() === a.action.toLowerCase())).map((a) => a.action);
}

const show = (actions: string[]) => (actions.length > 4 ? `${actions.slice(0, 4).join(", ")} and ${actions.length - 4} more` : actions.join(", "));
const everything = (g: Grant) => (g.all!.except.length ? `every action but ${g.all!.except.join(", ")}` : 'every action ("*")');

/** A rule over each identity-based document; it names its types, so the offline runner calls it for those alone (./lib.ts Rule). */
function documentRule(name: string, description: string, check: (grants: Grant[], p: Props) => Promise<string[]> | string[]): ResourceValidationPolicy & { types: readonly string[] } {
  return {
    name,
    description,
    enforcementLevel: "mandatory",
    types: TYPES,
    validateResource: async (args, report) => {
      if (!TYPES.includes(args.type)) return;
      for (const message of await check(await grants(args.type, args.props), args.props)) report(message);
    },
  };
}

/** A grant's restrictable actions of some access levels (all levels when `levels` is empty) on "*", less those `spared`. */
function onStar(g: Grant, levels: string[], what: string, spared: (a: ActionFacts) => boolean = () => false): string[] {
  if (!g.onStar) return [];
  if (g.all) return [`${g.where} allows ${everything(g)} on "*", which includes ${what}; name the actions and the resources they are for`];
  const hits = g.actions.filter((a) => a.restrictable && (!levels.length || a.levels.some((l) => levels.includes(l))) && !spared(a));
  return hits.length ? [`${g.where} allows ${what} on "*" without a condition (${show(hits.map((a) => a.action))}); name the resources they are for`] : [];
}

function onStarRule(name: string, description: string, levels: string[], what: string) {
  return documentRule(name, description, (gs) => gs.flatMap((g) => onStar(g, levels, what)));
}

/** The access levels an inventory reader may hold on "*"; any other level (Write, Tagging, Permissions management) is never spared. */
const INVENTORY_LEVELS = ["Read", "List"];
const NEVER_SPARED = new Set([...CREDENTIAL_ACTIONS, ...EXFILTRATION_ACTIONS].map((a) => a.toLowerCase()));
/** What an inventory reader named in the pack config may hold on "*": only Read and List, never the credentials or exfiltration lists. */
export const inventoryRead = (a: ActionFacts) => a.levels.every((l) => INVENTORY_LEVELS.includes(l)) && !NEVER_SPARED.has(a.action.toLowerCase());

const RESTRICTABLE = "no-star-resource-for-restrictable";
const READERS_KEY = `${RESTRICTABLE}.readsEveryResource`;

/**
 * checkov CKV_AWS_355/356 over the stack: the config's readers (by URN) are spared their inventory
 * reads; an entry that names no role or policy of the stack is reported.
 */
async function restrictableOnStar(resources: PolicyResource[], report: ReportViolation, args: StackValidationArgs): Promise<void> {
  const judged = resources.filter((r) => TYPES.includes(r.type));
  const reader = stackExemptions(READERS_KEY, args.getConfig<{ readsEveryResource?: unknown }>().readsEveryResource, judged, report);
  for (const r of judged) {
    const spared = reader(r.urn) ? inventoryRead : undefined;
    for (const g of await grants(r.type, r.props)) for (const message of onStar(g, [], "actions that support resource-level permissions", spared)) report(message, r.urn);
  }
}

export const iamExposureRules: Rule[] = [
  // checkov CKV_AWS_107 (data), CKV_AWS_287 (resource).
  documentRule("no-credentials-exposure", 'No role or policy allows, without a condition, an action that returns credentials (sts:AssumeRole, iam:CreateAccessKey, ...) on "*", or anywhere when it has no resource-level permissions.', async (gs) =>
    (await Promise.all(gs.map(async (g) => ({ g, hits: await listed(g, CREDENTIAL_ACTIONS) })))).flatMap(({ g, hits }) =>
      hits.length ? [`${g.where} allows ${show(hits)}${g.onStar ? ' on "*"' : ""} without a condition: it returns credentials; name the roles, users or databases it is for`] : [],
    ),
  ),
  // checkov CKV_AWS_108 (data), CKV_AWS_288 (resource).
  documentRule("no-data-exfiltration", 'No role or policy allows s3:GetObject, ssm:GetParameter* or secretsmanager:GetSecretValue on "*" without a condition.', async (gs) =>
    (await Promise.all(gs.map(async (g) => ({ g, hits: await listed(g, EXFILTRATION_ACTIONS) })))).flatMap(({ g, hits }) =>
      hits.length ? [`${g.where} allows ${show(hits)} on "*" without a condition: it reads every object, parameter or secret; name the buckets, parameters or secrets`] : [],
    ),
  ),
  // checkov CKV_AWS_109 (data), CKV_AWS_289 (resource).
  onStarRule("no-unconstrained-permissions-management", 'No role or policy allows a "Permissions management" action that supports resource-level permissions on "*" without a condition.', ["Permissions management"], "permissions-management actions"),
  // checkov CKV_AWS_111 (data), CKV_AWS_290 (resource).
  onStarRule("no-unconstrained-write", 'No role or policy allows a "Write" action that supports resource-level permissions on "*" without a condition.', ["Write"], "write actions"),
  // checkov CKV_AWS_355 (resource), CKV_AWS_356 (data).
  {
    ...stackRule(
      RESTRICTABLE,
      'No role or policy allows, on "*" and without a condition, an action that supports resource-level permissions (Read and List are spared for the inventory readers the pack config names, with the reason).',
      (resources, report, args) => restrictableOnStar(resources, report, args),
    ),
    configSchema: { properties: { readsEveryResource: exemptionSchema("URN pattern of a role or policy that inventories every resource of the account -> why") } },
  },
];
