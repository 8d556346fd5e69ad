import { createHash } from "crypto";
import * as pulumi from "@pulumi/pulumi";
import { policyJson } from "./policyDocument";
import { DisabledDefaults, providerProblem } from "./providers";

/** The account every mock ARN belongs to. */
export const MOCK_ACCOUNT_ID = "123456789012";
export const MOCK_PARTITION = "aws";

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

export function hex(seed: string, length: number): string {
  return createHash("sha256").update(seed).digest("hex").slice(0, length);
}

/** Ids Datadog hands out: numeric monitors, hex SLOs and external ids, `abc-def-ghi` dashboards. */
const DATADOG_IDS: Record<string, (seed: string) => string> = {
  "datadog:index/monitor:Monitor": (seed) => String(parseInt(hex(seed, 8), 16) % 900000000 + 100000000),
  "datadog:index/serviceLevelObjective:ServiceLevelObjective": (seed) => hex(seed, 32),
  "datadog:aws/integrationExternalId:IntegrationExternalId": (seed) => hex(seed, 32),
  "datadog:index/dashboardJson:DashboardJson": (seed) => [hex(seed, 9).slice(0, 3), hex(seed, 9).slice(3, 6), hex(seed, 9).slice(6, 9)].join("-"),
};

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

/** Prefix of the ids EC2 and friends hand out, by resource type. */
const ID_PREFIX: Record<string, string> = {
  "aws:ec2/securityGroup:SecurityGroup": "sg",
  "aws:ec2/vpcEndpoint:VpcEndpoint": "vpce",
  "aws:ec2/flowLog:FlowLog": "fl",
  "aws:ec2/managedPrefixList:ManagedPrefixList": "pl",
  "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule": "sgr",
  "aws:vpc/securityGroupEgressRule:SecurityGroupEgressRule": "sgr",
  "aws:ec2/subnet:Subnet": "subnet",
  "aws:ec2/vpc:Vpc": "vpc",
};

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
    // EC2 hands out prefixed ids, KMS UUIDs; most other services use the resource's name as its id.
    const id = ID_PREFIX[type]
      ? `${ID_PREFIX[type]}-0${hex(seed, 16)}`
      : type === "aws:kms/key:Key"
        ? uuid(seed)
        : type === "aws:cloudfront/distribution:Distribution"
          ? `E${hex(seed, 13).toUpperCase()}`
          : type === "aws:sqs/queue:Queue"
            ? `https://sqs.${region}.amazonaws.com/${MOCK_ACCOUNT_ID}/${physicalName}`
            : type.startsWith("cloudflare:")
              ? hex(seed, 32) // Cloudflare ids (records, rulesets, pools, monitors) are 32 hex characters.
              : (DATADOG_IDS[type]?.(seed) ?? physicalName);
    const state: Record<string, unknown> = { ...inputs, id };
    if (inputs.name === undefined) state.name = physicalName;
    // A task definition's ARN names its family and revision.
    if (/^awsx?:/.test(type)) state.arn = arnFor(type, region, type === "aws:ecs/taskDefinition:TaskDefinition" ? String(inputs.family) : physicalName, id);
    Object.assign(state, extraState(type, state));
    // Secrets Manager's id for a secret is its ARN.
    if (type === "aws:secretsmanager/secret:Secret") state.id = state.arn;
    return { id: String(state.id), state };
  }

  call(args: pulumi.runtime.MockCallArgs): Record<string, unknown> {
    const problem = providerProblem(args.token, `invoke ${args.token}`, args.provider, this.disabled);
    if (problem && !this.providerProblems.includes(problem)) this.providerProblems.push(problem);
    try {
      return this.answer(args);
    } catch (err) {
      this.errors.push((err as Error).message);
      throw err;
    }
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

/** ARN shapes per service (global services carry no region). */
function arnFor(type: string, region: string, name: string, id: string): string {
  const [pkg, mod] = type.split(":");
  const base = (service: string, resource: string, regional = true) =>
    `arn:${MOCK_PARTITION}:${service}:${regional ? region : ""}:${MOCK_ACCOUNT_ID}:${resource}`;
  switch (type) {
    case "aws:iam/role:Role":
      return base("iam", `role/${name}`, false);
    case "aws:iam/policy:Policy":
      return base("iam", `policy/${name}`, false);
    case "aws:kms/key:Key":
      return base("kms", `key/${id}`);
    case "aws:cloudwatch/logGroup:LogGroup":
      return base("logs", `log-group:${name}`);
    case "aws:rds/cluster:Cluster":
      return base("rds", `cluster:${name}`);
    case "aws:rds/clusterInstance:ClusterInstance":
      return base("rds", `db:${name}`);
    case "aws:rds/globalCluster:GlobalCluster":
      return `arn:${MOCK_PARTITION}:rds::${MOCK_ACCOUNT_ID}:global-cluster:${name}`;
    case "aws:secretsmanager/secret:Secret":
      return base("secretsmanager", `secret:${name}-${hex(id, 6)}`);
    case "aws:ec2/securityGroup:SecurityGroup":
      return base("ec2", `security-group/${id}`);
    case "aws:ec2/vpcEndpoint:VpcEndpoint":
      return base("ec2", `vpc-endpoint/${id}`);
    case "aws:ec2/managedPrefixList:ManagedPrefixList":
      return base("ec2", `prefix-list/${id}`);
    case "aws:ec2/flowLog:FlowLog":
      return base("ec2", `vpc-flow-log/${id}`);
    case "aws:acm/certificate:Certificate":
      return base("acm", `certificate/${uuid(name)}`);
    case "aws:ecs/cluster:Cluster":
      return base("ecs", `cluster/${name}`);
    case "aws:ecs/taskDefinition:TaskDefinition":
      return base("ecs", `task-definition/${name}:1`);
    case "aws:lb/loadBalancer:LoadBalancer":
      return base("elasticloadbalancing", `loadbalancer/app/${name.slice(0, 32)}/${hex(name, 16)}`);
    case "aws:lb/targetGroup:TargetGroup":
      return base("elasticloadbalancing", `targetgroup/${name.slice(0, 32)}/${hex(name, 16)}`);
    case "aws:lb/listener:Listener":
      return base("elasticloadbalancing", `listener/app/lb/${hex(name, 16)}/${hex(`l/${name}`, 16)}`);
    case "aws:lb/listenerRule:ListenerRule":
      return base("elasticloadbalancing", `listener-rule/app/lb/${hex(name, 16)}/${hex(`l/${name}`, 16)}/${hex(`r/${name}`, 16)}`);
    case "aws:sqs/queue:Queue":
      return base("sqs", name);
    case "aws:cloudwatch/eventBus:EventBus":
      return base("events", `event-bus/${name}`);
    case "aws:cloudwatch/eventRule:EventRule":
      return base("events", `rule/${name}`);
    case "aws:lambda/function:Function":
      return base("lambda", `function:${name}`);
    case "aws:ecr/repository:Repository":
      return base("ecr", `repository/${name}`);
    case "aws:codeartifact/domain:Domain":
      return base("codeartifact", `domain/${name}`);
    case "aws:cloudfront/distribution:Distribution":
      return `arn:${MOCK_PARTITION}:cloudfront::${MOCK_ACCOUNT_ID}:distribution/${id}`;
    case "aws:kinesis/firehoseDeliveryStream:FirehoseDeliveryStream":
      return base("firehose", `deliverystream/${name}`);
    case "aws:sns/topic:Topic":
      return base("sns", name);
    case "aws:cloudwatch/metricAlarm:MetricAlarm":
      return base("cloudwatch", `alarm:${name}`);
    default:
      return base(pkg === "aws" ? mod.split("/")[0] : pkg, `${type.split(":")[2].toLowerCase()}/${name}`);
  }
}

function regionOf(arn: string): string {
  return arn.split(":")[3];
}

function uuid(id: string): string {
  const h = hex(id, 32);
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20, 32)}`;
}

/** Attributes AWS computes that later resources read. */
function extraState(type: string, state: Record<string, unknown>): Record<string, unknown> {
  switch (type) {
    case "aws:kms/key:Key":
      return { keyId: state.id };
    case "aws:iam/openIdConnectProvider:OpenIdConnectProvider":
      // IAM names an OIDC provider after its URL's host and path.
      return { arn: `arn:${MOCK_PARTITION}:iam::${MOCK_ACCOUNT_ID}:oidc-provider/${String(state.url).replace(/^https:\/\//, "")}` };
    case "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule":
    case "aws:vpc/securityGroupEgressRule:SecurityGroupEgressRule":
      return { securityGroupRuleId: state.id };
    case "aws:ec2/managedPrefixList:ManagedPrefixList":
      return { ownerId: MOCK_ACCOUNT_ID, version: 1 };
    case "aws:rds/cluster:Cluster": {
      const host = `${state.name}.cluster-${hex(String(state.arn), 12)}.${regionOf(String(state.arn))}.rds.amazonaws.com`;
      return {
        clusterIdentifier: state.name,
        endpoint: host,
        readerEndpoint: host.replace(".cluster-", ".cluster-ro-"),
        port: 5432,
        masterUserSecrets: state.manageMasterUserPassword
          ? [{ secretArn: `${String(state.arn).replace(/:rds:(.*):cluster:.*/, ":secretsmanager:$1:secret:")}rds!cluster-${uuid(String(state.id))}-AbCdEf`, secretStatus: "active", kmsKeyId: state.masterUserSecretKmsKeyId }]
          : [],
      };
    }
    case "aws:rds/globalCluster:GlobalCluster": {
      // The global writer endpoint: <identifier>.global-<random>.global.rds.amazonaws.com.
      const id = String(state.globalClusterIdentifier ?? state.id);
      return { id, endpoint: `${id}.global-${hex(id, 10)}.global.rds.amazonaws.com` };
    }
    case "aws:rds/proxy:Proxy":
      return { endpoint: `${state.id}.proxy-${hex(String(state.id), 12)}.${regionOf(String(state.arn))}.rds.amazonaws.com` };
    case "random:index/randomPassword:RandomPassword":
      return { result: hex(`password/${state.id}`, Number(state.length ?? 32)) };
    case "aws:s3/bucket:Bucket":
      return { bucket: state.id, arn: `arn:${MOCK_PARTITION}:s3:::${state.id}`, bucketRegionalDomainName: `${state.id}.s3.${regionOf(String(state.arn))}.amazonaws.com` };
    case "aws:acm/certificate:Certificate": {
      // ACM gives a name and its wildcard the same validation record.
      const names = [state.domainName, ...((state.subjectAlternativeNames as string[] | undefined) ?? [])].map(String);
      return {
        domainValidationOptions: names.map((domainName) => {
          const base = domainName.replace(/^\*\./, "");
          return {
            domainName,
            resourceRecordName: `_${hex(`name/${base}`, 32)}.${base}.`,
            resourceRecordType: "CNAME",
            resourceRecordValue: `_${hex(`value/${base}`, 32)}.xlfgrmvvlj.acm-validations.aws.`,
          };
        }),
        status: "PENDING_VALIDATION",
      };
    }
    case "aws:lb/loadBalancer:LoadBalancer": {
      const suffix = String(state.arn).split(":loadbalancer/")[1];
      return { arnSuffix: suffix, dnsName: `${String(state.name).slice(0, 32)}-${hex(String(state.arn), 10)}.${regionOf(String(state.arn))}.elb.amazonaws.com`, zoneId: "Z35SXDOTRQ7X7K" };
    }
    case "aws:lb/targetGroup:TargetGroup":
      return { arnSuffix: String(state.arn).split(":")[5] };
    case "aws:cloudfront/distribution:Distribution":
      return { domainName: `d${hex(String(state.id), 13)}.cloudfront.net`, hostedZoneId: "Z2FDTNDATAQYW2", status: "Deployed" };
    case "aws:ecs/taskDefinition:TaskDefinition":
      return { revision: 1, arnWithoutRevision: String(state.arn).replace(/:1$/, "") };
    case "aws:ecr/repository:Repository":
      return { repositoryUrl: `${MOCK_ACCOUNT_ID}.dkr.ecr.${regionOf(String(state.arn))}.amazonaws.com/${state.name}`, registryId: MOCK_ACCOUNT_ID };
    case "aws:sqs/queue:Queue":
      // SQS's id is the queue URL.
      return { url: state.id };
    case "aws:codeartifact/repository:Repository":
      return { arn: `arn:${MOCK_PARTITION}:codeartifact:${regionOf(String(state.arn))}:${MOCK_ACCOUNT_ID}:repository/${state.domain}/${state.repository}` };
    case "aws:appautoscaling/policy:Policy":
      return { arn: `arn:${MOCK_PARTITION}:autoscaling:${regionOf(String(state.arn))}:${MOCK_ACCOUNT_ID}:scalingPolicy:${uuid(String(state.id))}:resource/ecs/${state.resourceId}:policyName/${state.name}` };
    case "aws:backup/vault:Vault":
      return { arn: `arn:${MOCK_PARTITION}:backup:${regionOf(String(state.arn))}:${MOCK_ACCOUNT_ID}:backup-vault:${state.id}` };
    case "datadog:index/dashboardJson:DashboardJson":
      return { url: `/dashboard/${state.id}/` };
    case "aws:elasticache/replicationGroup:ReplicationGroup": {
      const host = `${state.id}.${hex(String(state.id), 6)}.${regionOf(String(state.arn)).replace(/-/g, "")}.cache.amazonaws.com`;
      return { primaryEndpointAddress: `master.${host}`, readerEndpointAddress: `replica.${host}` };
    }
    default:
      return {};
  }
}

type RemoteMock = (name: string, inputs: Record<string, unknown>, region: string, stack: string) => Record<string, unknown>;

/**
 * awsx components run in the awsx plugin, so under mocks their children do not exist: these
 * return the outputs the real component would, shaped by its inputs.
 */
const REMOTE_COMPONENTS: Record<string, RemoteMock> = {
  "awsx:ec2:Vpc": (name, inputs, region, stack) => {
    const azCount = Number(inputs.numberOfAvailabilityZones ?? 3);
    const azs = Array.from({ length: azCount }, (_, i) => `${region}${"abcdef"[i]}`);
    const specs = (inputs.subnetSpecs as { type: string }[] | undefined) ?? [{ type: "Public" }, { type: "Private" }];
    const id = (kind: string, key: string) => `${kind}-0${hex(`${stack}/${name}/${key}`, 16)}`;
    const vpcId = id("vpc", "vpc");
    const subnets = specs.flatMap((spec) =>
      azs.map((az) => ({ id: id("subnet", `${spec.type}/${az}`), availabilityZone: az, vpcId, type: spec.type })),
    );
    const ofType = (t: string) => subnets.filter((s) => s.type === t).map((s) => s.id);
    const strategy = (inputs.natGateways as { strategy?: string } | undefined)?.strategy ?? "OnePerAz";
    const natCount = ofType("Public").length === 0 ? 0 : strategy === "None" ? 0 : strategy === "Single" ? 1 : azCount;
    const natGateways = ofType("Public")
      .slice(0, natCount)
      .map((subnetId, i) => ({ id: id("nat", `nat/${i}`), subnetId, connectivityType: "public" }));
    const routeTables = subnets.map((s) => ({ id: id("rtb", `rtb/${s.id}`), vpcId }));
    return {
      vpcId,
      vpc: { id: vpcId, arn: `arn:${MOCK_PARTITION}:ec2:${region}:${MOCK_ACCOUNT_ID}:vpc/${vpcId}`, cidrBlock: inputs.cidrBlock },
      subnets,
      publicSubnetIds: ofType("Public"),
      privateSubnetIds: ofType("Private"),
      isolatedSubnetIds: ofType("Isolated"),
      natGateways,
      eips: natGateways.map((_, i) => ({ id: id("eipalloc", `eip/${i}`), publicIp: `203.0.113.${10 + i}`, domain: "vpc" })),
      routeTables,
      internetGateway: ofType("Public").length ? { id: id("igw", "igw") } : undefined,
      vpcEndpoints: [],
    };
  },
};
