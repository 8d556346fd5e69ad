/**
 * What a provider answers for a resource it creates, under the offline plan's mocks: its id, its
 * ARN and the attributes AWS computes, and the outputs of the awsx components (which run in the
 * awsx plugin, so offline their children do not exist). Deterministic: the same seed, the same
 * answer. Used by PlatformMocks (mocks.ts).
 */
import { createHash } from "crypto";

/** The account every mock ARN belongs to. */
export const MOCK_ACCOUNT_ID = "123456789012";
export const MOCK_PARTITION = "aws";

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

/** The id the service hands out for a new resource, from a seed unique to it. */
export function resourceId(type: string, seed: string, region: string, physicalName: string): string {
  // EC2 hands out prefixed ids, KMS UUIDs; most other services use the resource's name as its id.
  return ID_PREFIX[type]
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
}

/** ARN shapes per service (global services carry no region). */
export function arnFor(type: string, region: string, name: string, id: string): string {
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

export function uuid(id: string): string {
  const h = hex(id, 32);
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20, 32)}`;
}

/** Attributes AWS computes that later resources read. */
export function extraState(type: string, state: Record<string, unknown>): Record<string, unknown> {
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
export const REMOTE_COMPONENTS: Record<string, RemoteMock> = {
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
