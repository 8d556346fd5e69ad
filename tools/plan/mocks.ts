import * as pulumi from "@pulumi/pulumi";
import { PlanInvoke } from "./graph";
import { policyJson } from "./policyDocument";
import { DisabledDefaults, providerProblem } from "./providers";
import { MOCK_ACCOUNT_ID, MOCK_PARTITION, REMOTE_COMPONENTS, arnFor, extraState, hex, resourceId } from "./mockState";

export { MOCK_ACCOUNT_ID, MOCK_PARTITION } from "./mockState";

/** Cloudflare's published ranges (https://www.cloudflare.com/ips/), as `getIpRanges` returns them. */
export const CLOUDFLARE_IPV4 = [
  "173.245.48.0/20", "103.21.244.0/22", "103.22.200.0/22", "103.31.4.0/22", "141.101.64.0/18",
  "108.162.192.0/18", "190.93.240.0/20", "188.114.96.0/20", "197.234.240.0/22", "198.41.128.0/17",
  "162.158.0.0/15", "104.16.0.0/13", "104.24.0.0/14", "172.64.0.0/13", "131.0.72.0/22",
];
export const CLOUDFLARE_IPV6 = [
  "2400:cb00::/32", "2606:4700::/32", "2803:f800::/32", "2405:b500::/32", "2405:8100::/32", "2a06:98c0::/29", "2c0f:f248::/32",
];

/** AZ ids differ per account; these follow AWS's `<region code>-az<n>` form. */
function zoneId(region: string, index: number): string {
  const [area, direction, n] = region.split("-");
  return `${area}${direction.slice(0, 1)}${direction.length > 4 ? direction.slice(-4, -3) : ""}${n}-az${index + 1}`;
}

/** Datadog's published integration permissions (a realistic subset; the real list is longer). */
export const DATADOG_IAM_PERMISSIONS = [
  "apigateway:GET", "autoscaling:Describe*", "backup:List*", "budgets:ViewBudget", "cloudfront:GetDistributionConfig",
  "cloudfront:ListDistributions", "cloudtrail:DescribeTrails", "cloudtrail:GetTrailStatus", "cloudtrail:LookupEvents",
  "cloudwatch:Describe*", "cloudwatch:Get*", "cloudwatch:List*", "codedeploy:List*", "codedeploy:BatchGet*",
  "directconnect:Describe*", "dynamodb:List*", "dynamodb:Describe*", "ec2:Describe*", "ec2:GetSnapshotBlockPublicAccessState",
  "ecs:Describe*", "ecs:List*", "elasticache:Describe*", "elasticache:List*", "elasticfilesystem:DescribeFileSystems",
  "elasticfilesystem:DescribeTags", "elasticfilesystem:DescribeAccessPoints", "elasticloadbalancing:Describe*",
  "elasticmapreduce:List*", "elasticmapreduce:Describe*", "es:ListTags", "es:ListDomainNames", "es:DescribeElasticsearchDomains",
  "events:CreateEventBus", "fsx:DescribeFileSystems", "fsx:ListTagsForResource", "health:DescribeEvents",
  "health:DescribeEventDetails", "health:DescribeAffectedEntities", "kinesis:List*", "kinesis:Describe*",
  "lambda:GetPolicy", "lambda:List*", "logs:DeleteSubscriptionFilter", "logs:DescribeLogGroups", "logs:DescribeLogStreams",
  "logs:DescribeSubscriptionFilters", "logs:FilterLogEvents", "logs:PutSubscriptionFilter", "logs:TestMetricFilter",
  "organizations:Describe*", "organizations:List*", "rds:Describe*", "rds:List*", "redshift:DescribeClusters",
  "redshift:DescribeLoggingStatus", "route53:List*", "s3:GetBucketLogging", "s3:GetBucketLocation", "s3:GetBucketNotification",
  "s3:GetBucketTagging", "s3:ListAllMyBuckets", "s3:PutBucketNotification", "ses:Get*", "sns:List*", "sns:Publish",
  "sqs:ListQueues", "states:ListStateMachines", "states:DescribeStateMachine", "support:DescribeTrustedAdvisor*",
  "support:RefreshTrustedAdvisorCheck", "tag:GetResources", "tag:GetTagKeys", "tag:GetTagValues", "xray:BatchGetTraces",
  "xray:GetTraceSummaries",
];

/**
 * Deterministic, realistic resource state for the Pulumi mock runtime: ids and ARNs carry the
 * resource's region, the mock account and partition; data sources answer like AWS would.
 * Every region is resolved from the resource's provider (or its own `region` input).
 */
export class PlatformMocks implements pulumi.runtime.Mocks {
  /** Errors the mocks raised: the SDK drops their messages when an invoke fails, so they are kept here. */
  readonly errors: string[] = [];
  /** Invokes the engine would refuse for want of an explicit provider of their package. */
  readonly providerProblems: string[] = [];
  /** Every data source the program called, by token and provider: what a preview calls with the previewing role. */
  private readonly calls = new Map<string, PlanInvoke>();

  /** Provider id (the part of a `urn::id` reference after the last `::`) to the region it manages. */
  private readonly providerRegions = new Map<string, string>();

  constructor(
    private readonly stack: string,
    private readonly disabled: DisabledDefaults = new Set(),
  ) {}

  regionOf(provider: string | undefined, inputs?: Record<string, unknown>): string | undefined {
    if (inputs && typeof inputs.region === "string") return inputs.region;
    return provider ? this.providerRegions.get(provider.slice(provider.lastIndexOf("::") + 2)) : undefined;
  }

  newResource(args: pulumi.runtime.MockResourceArgs): { id: string | undefined; state: Record<string, unknown> } {
    const { type, name, inputs } = args;
    if (type.startsWith("pulumi:providers:")) {
      const id = `${name}-${hex(`${this.stack}/${type}/${name}`, 8)}`;
      if (typeof inputs.region === "string") this.providerRegions.set(id, inputs.region);
      return { id, state: inputs };
    }
    // A resource without a provider is reported by the worker's provider check (tools/plan/providers.ts).
    const region = this.regionOf(args.provider, inputs) ?? "global";
    const remote = REMOTE_COMPONENTS[type];
    if (remote) return { id: undefined, state: remote(name, inputs, region, this.stack) };
    if (args.custom === false) return { id: undefined, state: {} };

    // The region is part of the seed: the same logical name in two regions is two resources.
    const seed = `${this.stack}/${region}/${type}/${name}`;
    const physicalName = typeof inputs.name === "string" ? inputs.name : `${name}-${hex(seed, 7)}`;
    const id = resourceId(type, seed, region, physicalName);
    const state: Record<string, unknown> = { ...inputs, id };
    if (inputs.name === undefined) state.name = physicalName;
    // A task definition's ARN names its family and revision. A resource that takes `arn` as an
    // input (aws.sns.TopicPolicy: the topic's) reports it back, as the provider does.
    if (/^awsx?:/.test(type) && inputs.arn === undefined) state.arn = arnFor(type, region, type === "aws:ecs/taskDefinition:TaskDefinition" ? String(inputs.family) : physicalName, id);
    Object.assign(state, extraState(type, state));
    // Secrets Manager's id for a secret is its ARN.
    if (type === "aws:secretsmanager/secret:Secret") state.id = state.arn;
    return { id: String(state.id), state };
  }

  call(args: pulumi.runtime.MockCallArgs): Record<string, unknown> {
    const problem = providerProblem(args.token, `invoke ${args.token}`, args.provider, this.disabled);
    if (problem && !this.providerProblems.includes(problem)) this.providerProblems.push(problem);
    this.recordCall(args);
    try {
      return this.answer(args);
    } catch (err) {
      this.errors.push((err as Error).message);
      throw err;
    }
  }

  /** The data sources called, one entry per token and provider, sorted. */
  get invokes(): PlanInvoke[] {
    return [...this.calls.values()].sort((a, b) => `${a.token} ${a.provider ?? ""}`.localeCompare(`${b.token} ${b.provider ?? ""}`));
  }

  private recordCall(args: pulumi.runtime.MockCallArgs): void {
    // A provider reference is `<urn>::<id>`; the graph names providers by URN, as the engine does.
    const provider = args.provider ? args.provider.slice(0, args.provider.lastIndexOf("::")).replace("::pulumi:pulumi:Stack$", "::") : undefined;
    const key = `${args.token} ${provider ?? ""}`;
    const seen = this.calls.get(key);
    if (seen) {
      seen.count++;
      return;
    }
    const region = this.regionOf(args.provider);
    this.calls.set(key, { token: args.token, ...(provider ? { provider } : {}), ...(region ? { region } : {}), count: 1 });
  }

  private answer(args: pulumi.runtime.MockCallArgs): Record<string, unknown> {
    const inputs = args.inputs as Record<string, unknown>;
    const region = this.regionOf(args.provider, inputs);
    switch (args.token) {
      case "aws:index/getCallerIdentity:getCallerIdentity":
        return {
          accountId: MOCK_ACCOUNT_ID,
          arn: `arn:${MOCK_PARTITION}:sts::${MOCK_ACCOUNT_ID}:assumed-role/pulumi-deploy/ci`,
          userId: "AROAEXAMPLEROLEID:ci",
          id: MOCK_ACCOUNT_ID,
        };
      case "aws:index/getPartition:getPartition":
        return { partition: MOCK_PARTITION, dnsSuffix: "amazonaws.com", reverseDnsPrefix: "com.amazonaws", id: MOCK_PARTITION };
      case "aws:index/getRegion:getRegion":
        return { region: need(region, args), name: region, id: region, endpoint: `ec2.${region}.amazonaws.com`, description: region };
      case "aws:index/getAvailabilityZones:getAvailabilityZones": {
        const r = need(region, args);
        const letters = ["a", "b", "c", "d", "e", "f"];
        return {
          id: r,
          names: letters.map((l) => `${r}${l}`),
          zoneIds: letters.map((_, i) => zoneId(r, i)),
          groupNames: [r],
        };
      }
      case "aws:iam/getPolicyDocument:getPolicyDocument": {
        const json = policyJson(inputs);
        return { json, minifiedJson: JSON.stringify(JSON.parse(json)), id: hex(json, 10) };
      }
      case "aws:secretsmanager/getRandomPassword:getRandomPassword":
        return { randomPassword: hex(`password/${JSON.stringify(inputs)}`, Number(inputs.passwordLength ?? 32)), id: "random" };
      case "aws:elb/getServiceAccount:getServiceAccount": {
        // Elastic Load Balancing's log-delivery account for the region (us-east-1's shown; others differ).
        const account = need(region, args) === "us-east-1" ? "127311923021" : "797873946194";
        return { arn: `arn:${MOCK_PARTITION}:iam::${account}:root`, id: account };
      }
      case "datadog:aws/getIntegrationIamPermissions:getIntegrationIamPermissions":
        return { iamPermissions: DATADOG_IAM_PERMISSIONS, id: "datadog-permissions" };
      case "cloudflare:index/getIpRanges:getIpRanges":
        return { ipv4Cidrs: CLOUDFLARE_IPV4, ipv6Cidrs: CLOUDFLARE_IPV6, jdcloudCidrs: [], etag: hex("cf", 32) };
      default:
        throw new Error(`offline plan: no mock for data source ${args.token}; add one in tools/plan/mocks.ts`);
    }
  }
}

function need(region: string | undefined, args: pulumi.runtime.MockCallArgs): string {
  if (!region) throw new Error(`offline plan: ${args.token} was called without an explicit provider; pass { parent } or { provider }`);
  return region;
}
