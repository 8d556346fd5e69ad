/**
 * Data sources run at plan time: `pulumi preview` (and the nightly drift job) calls every invoke
 * the program makes, with the preview role's credentials. The mocks answer any call, so this maps
 * each invoke token to the IAM actions the provider calls for it, and checks them against what the
 * preview role holds: ReadOnlyAccess plus its inline policies. A token without a mapping is a
 * problem too, so a new data source cannot slip past.
 */
import { PlanGraph, PlanResource } from "./graph";
import { GraphQuery } from "./query";

export interface InvokeNeed {
  /** IAM actions the provider calls for it; empty when it makes no AWS call. */
  actions: string[];
  /** Where that comes from (the provider's data-source source, or AWS's API reference). */
  source: string;
  /** Not an AWS call at all: the vendor whose API answers it (its credentials are the provider's own). */
  vendor?: "cloudflare" | "datadog";
}

const TF_AWS = "https://github.com/hashicorp/terraform-provider-aws/blob/main/internal/service";

/** Every data source the program calls, by Pulumi token. Add one here when the program calls a new one. */
export const INVOKE_NEEDS: Record<string, InvokeNeed> = {
  "aws:index/getAvailabilityZones:getAvailabilityZones": {
    actions: ["ec2:DescribeAvailabilityZones"],
    source: `${TF_AWS}/ec2/ec2_availability_zones_data_source.go (DescribeAvailabilityZones)`,
  },
  "aws:index/getCallerIdentity:getCallerIdentity": {
    // "No permissions are required to perform this operation."
    actions: [],
    source: "https://docs.aws.amazon.com/STS/latest/APIReference/API_GetCallerIdentity.html",
  },
  "aws:index/getPartition:getPartition": { actions: [], source: `${TF_AWS}/meta/partition_data_source.go (from the configured region's endpoint data, no API call)` },
  "aws:index/getRegion:getRegion": { actions: [], source: `${TF_AWS}/meta/region_data_source.go (from the provider's configured region, no API call)` },
  "aws:iam/getPolicyDocument:getPolicyDocument": { actions: [], source: `${TF_AWS}/iam/policy_document_data_source.go (rendered in the provider)` },
  "aws:elb/getServiceAccount:getServiceAccount": { actions: [], source: `${TF_AWS}/elb/service_account_data_source.go (a table of account ids per region)` },
  "aws:secretsmanager/getRandomPassword:getRandomPassword": {
    // Access level Read, no resource types: grantable only on "*"
    // (https://docs.aws.amazon.com/service-authorization/latest/reference/list_awssecretsmanager.html).
    actions: ["secretsmanager:GetRandomPassword"],
    source: `${TF_AWS}/secretsmanager/random_password_data_source.go (GetRandomPassword)`,
  },
  "cloudflare:index/getIpRanges:getIpRanges": { actions: [], vendor: "cloudflare", source: "https://developers.cloudflare.com/api/resources/ips/methods/list/" },
  "datadog:aws/getIntegrationIamPermissions:getIntegrationIamPermissions": {
    actions: [],
    vendor: "datadog",
    source: "https://docs.datadoghq.com/api/latest/aws-integration/#get-aws-integration-iam-permissions",
  },
};

/**
 * The lines of AWS's ReadOnlyAccess policy for the services the data sources above call, as
 * published (https://docs.aws.amazon.com/aws-managed-policy/latest/reference/ReadOnlyAccess.html,
 * mirrored with its history at https://github.com/zoph-io/MAMIP/blob/master/policies/ReadOnlyAccess,
 * commit 03ca4cea; read 2026-12-01). Secrets Manager's are Describe*, GetResourcePolicy and List*: no
 * GetRandomPassword. A service missing here is reported, not assumed.
 */
export const READ_ONLY_ACCESS: Record<string, string[]> = {
  ec2: ["ec2:Describe*", "ec2:Get*", "ec2:ListSnapshotsInRecycleBin", "ec2:SearchLocalGatewayRoutes", "ec2:SearchTransitGatewayRoutes"],
  secretsmanager: ["secretsmanager:Describe*", "secretsmanager:GetResourcePolicy", "secretsmanager:List*"],
  sts: ["sts:GetAccessKeyInfo", "sts:GetCallerIdentity", "sts:GetSessionToken"],
};
export const READ_ONLY_ACCESS_ARN_SUFFIX = ":iam::aws:policy/ReadOnlyAccess";

type Statement = { Effect?: string; Action?: string | string[]; Resource?: string | string[]; Condition?: unknown };
const list = <T>(v: T | T[] | undefined): T[] => (v === undefined ? [] : Array.isArray(v) ? v : [v]);
const matches = (pattern: string, action: string) =>
  new RegExp(`^${pattern.replace(/[.+^${}()|[\]\\]/g, "\\$&").replace(/\*/g, ".*").replace(/\?/g, ".")}$`, "i").test(action);

/** Why `role` may not call `action` on every resource ("*"), or undefined when it may. */
function actionGap(action: string, managedArns: string[], statements: Statement[]): string | undefined {
  const service = action.split(":")[0];
  if (managedArns.some((arn) => arn.endsWith(READ_ONLY_ACCESS_ARN_SUFFIX))) {
    const lines = READ_ONLY_ACCESS[service];
    if (!lines) return `${action}: whether ReadOnlyAccess grants it is not recorded (add its ${service} lines to READ_ONLY_ACCESS in tools/plan/invokePermissions.ts)`;
    if (lines.some((p) => matches(p, action))) return undefined;
  }
  // Unconditional, on every resource: these actions have no resource types (or are called on none).
  const granted = statements.some((s) => s.Effect === "Allow" && !s.Condition && list(s.Action).some((p) => matches(p, action)) && list(s.Resource).includes("*"));
  return granted ? undefined : `${action} is granted neither by ReadOnlyAccess nor by the role's own policies`;
}

/**
 * Every data source the evaluation recorded that the role named `roleName` could not call, each
 * with the invoke token and the missing action; unmapped tokens are listed too.
 */
export function invokeGaps(graph: PlanGraph, roleName: string): string[] {
  const q = new GraphQuery(graph);
  const role = q.named("aws:iam/role:Role", roleName);
  const ofRole = (r: PlanResource) => r.inputs.role === role.id || r.inputs.role === role.name;
  const managed = q.ofType("aws:iam/rolePolicyAttachment:RolePolicyAttachment", ofRole).map((a) => String(a.inputs.policyArn));
  const statements = q.ofType("aws:iam/rolePolicy:RolePolicy", ofRole).flatMap((p) => list(JSON.parse(String(p.inputs.policy)).Statement as Statement | Statement[]));
  const gaps = new Set<string>();
  for (const invoke of graph.invokes ?? []) {
    const need = INVOKE_NEEDS[invoke.token];
    if (!need) {
      gaps.add(`${invoke.token}: no IAM mapping; add what it calls to INVOKE_NEEDS in tools/plan/invokePermissions.ts, with its source`);
      continue;
    }
    for (const action of need.actions) {
      const gap = actionGap(action, managed, statements);
      if (gap) gaps.add(`${invoke.token}${invoke.region ? ` (${invoke.region})` : ""}: ${gap}`);
    }
  }
  return [...gaps];
}
