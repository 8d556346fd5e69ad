import * as fs from "fs";
import * as path from "path";
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { AwsContext, policyDocument, serviceTrustPolicy } from "../lib/aws";
import { Cluster } from "./cluster";
import { Task, TaskPlatform, fargateTask } from "./task";
import { TaskSize } from "./types";

export const MIGRATION_CONTAINER = "migrate";
/** Seconds between the gate's checks while the migration runs. */
export const GATE_POLL_SECONDS = 30;
/**
 * The gate's Lambda runtime: Node.js 24, the toolchain's LTS (Lambda has run nodejs24.x since
 * November 2025: https://aws.amazon.com/blogs/compute/node-js-24-runtime-now-available-in-aws-lambda/).
 * Node 24 drops callback-style handlers; the gate's handler is async. Lambda updates the runtime in place.
 */
export const GATE_RUNTIME = "nodejs24.x";

export interface MigrationsArgs extends Required<TaskSize> {
  command: string[];
  secrets: Record<string, string>;
  repository: { arn: pulumi.Input<string>; url: pulumi.Input<string> };
  imageTag: string;
  platform: TaskPlatform;
  cluster: Cluster;
  subnetIds: pulumi.Input<string[]>;
  securityGroupId: pulumi.Input<string>;
  logRetentionDays: number;
  kmsKeyArn: pulumi.Input<string>;
  ctx: AwsContext;
}

/**
 * The database-migration task (the API image with the migration command, reaching Aurora through
 * the `app` → `db` rules) and the gate Lambda ECS calls at PRE_SCALE_UP of a blue/green deployment.
 */
export class Migrations extends pulumi.ComponentResource {
  readonly task: Task;
  readonly gate: aws.lambda.Function;
  /** Role ECS assumes to invoke the gate. */
  readonly hookRole: aws.iam.Role;

  constructor(name: string, args: MigrationsArgs, opts?: pulumi.ComponentResourceOptions) {
    super("platform:compute:Migrations", name, {}, opts);
    const parent = { parent: this };
    const { ctx } = args;
    this.task = fargateTask(
      this,
      name,
      {
        container: MIGRATION_CONTAINER,
        cpu: args.cpu,
        memory: args.memory,
        command: args.command,
        repository: args.repository,
        imageTag: args.imageTag,
        readOnlyRootFilesystem: true,
        environment: {},
        secrets: args.secrets,
        sendsTo: [],
        publishesEvents: false,
      },
      { ...args.platform, exec: undefined },
    );

    const functionName = pulumi.interpolate`${args.cluster.cluster.name}-migration-gate`;
    const logGroup = new aws.cloudwatch.LogGroup(
      `${name}-gate`,
      { name: pulumi.interpolate`/aws/lambda/${functionName}`, retentionInDays: args.logRetentionDays, kmsKeyId: args.kmsKeyArn },
      parent,
    );
    const role = new aws.iam.Role(`${name}-gate`, { assumeRolePolicy: serviceTrustPolicy(this, "lambda.amazonaws.com", ctx) }, parent);
    const onCluster = [{ test: "ArnEquals", variable: "ecs:cluster", values: [args.cluster.cluster.arn] }];
    new aws.iam.RolePolicy(
      `${name}-gate`,
      {
        role: role.id,
        policy: policyDocument(this, [
          {
            sid: "RunMigrationTask",
            effect: "Allow",
            actions: ["ecs:RunTask"],
            resources: [this.task.familyArn, this.task.familyArn.apply((arn) => arn.replace(/:\*$/, ""))],
            conditions: onCluster,
          },
          {
            sid: "PassMigrationRoles",
            effect: "Allow",
            actions: ["iam:PassRole"],
            resources: [this.task.executionRole.arn, this.task.taskRole.arn],
            conditions: [{ test: "StringEquals", variable: "iam:PassedToService", values: ["ecs-tasks.amazonaws.com"] }],
          },
          // ListTasks takes no resource; the cluster condition scopes it.
          { sid: "FindMigrationTask", effect: "Allow", actions: ["ecs:ListTasks"], resources: ["*"], conditions: onCluster },
          {
            sid: "WatchMigrationTask",
            effect: "Allow",
            actions: ["ecs:DescribeTasks"],
            resources: [pulumi.interpolate`arn:${ctx.partition}:ecs:${ctx.region}:${ctx.accountId}:task/${args.cluster.cluster.name}/*`],
          },
          { sid: "WriteLogs", effect: "Allow", actions: ["logs:CreateLogStream", "logs:PutLogEvents"], resources: [pulumi.interpolate`${logGroup.arn}:*`] },
          // Active tracing (below) has the function send its segments to X-Ray; these two actions
          // name no resource type, so "*" is the only resource they take
          // (https://docs.aws.amazon.com/service-authorization/latest/reference/list_awsx-ray.html;
          // https://docs.aws.amazon.com/lambda/latest/dg/services-xray.html#services-xray-permissions).
          { sid: "SendTraces", effect: "Allow", actions: ["xray:PutTraceSegments", "xray:PutTelemetryRecords"], resources: ["*"] },
        ]),
      },
      parent,
    );
    this.gate = new aws.lambda.Function(
      `${name}-gate`,
      {
        name: functionName,
        description: "ECS blue/green PRE_SCALE_UP hook: runs the database migration once per deployment",
        runtime: GATE_RUNTIME,
        architectures: ["arm64"],
        handler: "index.handler",
        code: gateBundle(),
        role: role.arn,
        timeout: 30,
        memorySize: 256,
        loggingConfig: { logFormat: "JSON", logGroup: logGroup.name },
        // Each invocation is traced (sampled by Lambda), so a slow or failing migration gate shows
        // its ECS calls in X-Ray: https://docs.aws.amazon.com/lambda/latest/dg/services-xray.html
        tracingConfig: { mode: "Active" },
        environment: {
          variables: {
            CLUSTER_ARN: args.cluster.cluster.arn,
            MIGRATION_TASK_DEFINITION: this.task.definition.family,
            MIGRATION_CONTAINER,
            SUBNET_IDS: pulumi.output(args.subnetIds).apply((ids) => ids.join(",")),
            SECURITY_GROUP_IDS: pulumi.output(args.securityGroupId),
            POLL_SECONDS: String(GATE_POLL_SECONDS),
          },
        },
      },
      parent,
    );

    this.hookRole = new aws.iam.Role(`${name}-hook`, { assumeRolePolicy: serviceTrustPolicy(this, "ecs.amazonaws.com", ctx) }, parent);
    new aws.iam.RolePolicy(
      `${name}-hook`,
      { role: this.hookRole.id, policy: policyDocument(this, [{ sid: "InvokeGate", effect: "Allow", actions: ["lambda:InvokeFunction"], resources: [this.gate.arn] }]) },
      parent,
    );
    this.registerOutputs({ gateArn: this.gate.arn, taskFamily: this.task.definition.family });
  }
}

/** Where the package build (scripts/bundle-gate.mjs) leaves the gate's bundled handler. */
export const GATE_BUNDLE_PATH = path.join(__dirname, "migration-gate", "bundle.js");

/**
 * The gate's TypeScript with its AWS SDK client, bundled once when the package is built: the same
 * source gives the same bytes, so the Lambda changes only when the gate does.
 */
export function gateBundle(): pulumi.asset.AssetArchive {
  if (!fs.existsSync(GATE_BUNDLE_PATH)) {
    throw new Error(`@platform/components: ${GATE_BUNDLE_PATH} is missing; build the package (npm run build) before planning`);
  }
  return new pulumi.asset.AssetArchive({ "index.js": new pulumi.asset.StringAsset(fs.readFileSync(GATE_BUNDLE_PATH, "utf8")) });
}
