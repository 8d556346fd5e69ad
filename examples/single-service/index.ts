/**
 * One public service on ECS Fargate behind an HTTPS ALB in a new VPC, from two entry points of
 * the package. The database is the team's own (a host name), so the service reads no platform
 * secrets; the certificate is config's. Everything not spelled out takes the component's default
 * (components/REFERENCE.md): 2 AZs, one NAT gateway, a 256/512 task, `/health`, an access-log bucket.
 */
import * as aws from "@pulumi/aws";
import * as awsx from "@pulumi/awsx";
import * as pulumi from "@pulumi/pulumi";
import { Compute, TEST_LISTENER_PORT } from "@platform/components/compute";
import { Network } from "@platform/components/network";

const config = new pulumi.Config();
const region = new pulumi.Config("aws").require("region");
const tags = { env: pulumi.getStack(), project: pulumi.getProject(), "managed-by": "pulumi" };

// Default providers are disabled (Pulumi.yaml): each package gets an explicit one.
const awsProvider = new aws.Provider("aws", { region: region as aws.Region, defaultTags: { tags } });
const awsxProvider = new awsx.Provider("awsx", {});

const port = 8080;
const network = new Network(
  "network",
  {
    cidr: config.require("cidr"),
    // Network admits the ALB only from specific ranges, never 0.0.0.0/0 (the platform puts
    // Cloudflare in front); this example's users come through the office VPN.
    albIngressCidrs: { ipv4: config.requireObject<string[]>("allowedIpv4Cidrs"), ipv6: [] },
    appPorts: [port],
    albTestPort: TEST_LISTENER_PORT,
  },
  { providers: [awsProvider, awsxProvider] },
);

const compute = new Compute(
  "compute",
  {
    prefix: `${pulumi.getProject()}-${pulumi.getStack()}`,
    environment: pulumi.getStack(),
    settings: {
      imageTag: config.require("imageTag"),
      capacity: "spot",
      scaling: { minTasks: 1, maxTasks: 3 },
      // The team migrates its own database: the task exists, the gate stays off (migrationGate).
      migrations: { image: "web" },
    },
    services: [{ name: "web", port, environment: { LOG_LEVEL: "info" }, migrationGate: false }],
    network: {
      vpcId: network.vpcId,
      publicSubnetIds: network.publicSubnetIds,
      privateSubnetIds: network.privateSubnetIds,
      albSecurityGroupId: network.securityGroupIds.alb!,
      appSecurityGroupId: network.securityGroupIds.app!,
    },
    certificateArn: config.require("certificateArn"),
    endpoints: { databaseHost: config.require("databaseHost"), databaseName: "reporting" },
  },
  { providers: [awsProvider] },
);

export const albDnsName = compute.albDnsName;
export const clusterName = compute.clusterName;
export const serviceNames = compute.services.map((s) => s.serviceName);
