import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { AwsContext, Statement, policyDocument, serviceTrustPolicy } from "../lib/aws";
import { ContainerAccess, TaskSize } from "./types";

/** Shared by every task the compute layer defines: services, job processors, the migration task. */
/** Tag of a task definition whose container has a writable root file system, with why. */
export const WRITABLE_ROOT_TAG = "writable-root";

export interface TaskPlatform {
  ctx: AwsContext;
  clusterName: pulumi.Input<string>;
  /** Secret name (`database`, `redis`, third-party names) -> Secrets Manager ARN. */
  secretArns: Record<string, pulumi.Input<string>>;
  /** Keys the secrets are encrypted with (execution roles may decrypt through Secrets Manager only). */
  secretKeyArns: pulumi.Input<string>[];
  /** Compute key: log groups, queues, ECS Exec sessions. */
  kmsKeyArn: pulumi.Input<string>;
  logRetentionDays: number;
  /** Queue name -> ARN and URL. */
  queues: Record<string, { arn: pulumi.Input<string>; url: pulumi.Input<string> }>;
  eventBus: { arn: pulumi.Input<string>; name: pulumi.Input<string> };
  /** Values every task gets (data-store endpoints, bus name). */
  environment: Record<string, pulumi.Input<string>>;
  /** ECS Exec: the task role may open sessions, encrypted with the compute key, logged here. */
  exec?: { logGroupArn: pulumi.Input<string> };
}

export interface TaskArgs extends Required<ContainerAccess>, Required<TaskSize> {
  /** Container name (also the log stream prefix). */
  container: string;
  /** ECR repository the image comes from, and the tag. */
  repository: { arn: pulumi.Input<string>; url: pulumi.Input<string> };
  imageTag: string;
  command?: string[];
  port?: number;
  readOnlyRootFilesystem: boolean;
}

export interface Task {
  definition: aws.ecs.TaskDefinition;
  executionRole: aws.iam.Role;
  taskRole: aws.iam.Role;
  logGroup: aws.cloudwatch.LogGroup;
  /** Task-definition family ARN with any revision (`family:*`), for RunTask permissions. */
  familyArn: pulumi.Output<string>;
}

/** The UID:GID tasks run as: images must not need root. */
const NON_ROOT_USER = "1000:1000";

/**
 * A Fargate task definition with its own log group, execution role (pull this image, write this
 * log group, read these secrets) and task role (send to these queues, publish to the bus, ECS Exec).
 */
export function fargateTask(parent: pulumi.Resource, name: string, args: TaskArgs, platform: TaskPlatform): Task {
  const opts = { parent };
  const ctx = platform.ctx;
  const logGroup = new aws.cloudwatch.LogGroup(
    name,
    { name: pulumi.interpolate`/ecs/${platform.clusterName}/${name}`, retentionInDays: platform.logRetentionDays, kmsKeyId: platform.kmsKeyArn },
    opts,
  );
  const secrets = Object.entries(args.secrets).map(([env, ref]) => {
    const [secret, jsonKey] = ref.split(":");
    const arn = platform.secretArns[secret];
    if (!arn) throw new Error(`task ${name}: secret "${secret}" is not known (known: ${Object.keys(platform.secretArns).join(", ")})`);
    return { env, arn, valueFrom: jsonKey ? pulumi.interpolate`${arn}:${jsonKey}::` : pulumi.output(arn) };
  });
  const queues = args.sendsTo.map((q) => {
    const queue = platform.queues[q];
    if (!queue) throw new Error(`task ${name}: queue "${q}" is not known`);
    return { name: q, ...queue };
  });

  const executionRole = new aws.iam.Role(`${name}-execution`, { assumeRolePolicy: serviceTrustPolicy(parent, "ecs-tasks.amazonaws.com", ctx) }, opts);
  const executionStatements: pulumi.Input<Statement>[] = [
    // GetAuthorizationToken has no resource-level permissions.
    { sid: "EcrLogin", effect: "Allow", actions: ["ecr:GetAuthorizationToken"], resources: ["*"] },
    { sid: "PullImage", effect: "Allow", actions: ["ecr:BatchCheckLayerAvailability", "ecr:BatchGetImage", "ecr:GetDownloadUrlForLayer"], resources: [args.repository.arn] },
    { sid: "WriteLogs", effect: "Allow", actions: ["logs:CreateLogStream", "logs:PutLogEvents"], resources: [pulumi.interpolate`${logGroup.arn}:*`] },
  ];
  if (secrets.length) {
    executionStatements.push(
      { sid: "ReadSecrets", effect: "Allow", actions: ["secretsmanager:GetSecretValue"], resources: [...new Set(secrets.map((s) => s.arn))] },
      {
        sid: "DecryptSecrets",
        effect: "Allow",
        actions: ["kms:Decrypt"],
        resources: platform.secretKeyArns,
        conditions: [{ test: "StringEquals", variable: "kms:ViaService", values: [pulumi.interpolate`secretsmanager.${ctx.region}.amazonaws.com`] }],
      },
    );
  }
  new aws.iam.RolePolicy(`${name}-execution`, { role: executionRole.id, policy: policyDocument(parent, executionStatements) }, opts);

  const taskRole = new aws.iam.Role(`${name}-task`, { assumeRolePolicy: serviceTrustPolicy(parent, "ecs-tasks.amazonaws.com", ctx) }, opts);
  const taskStatements: pulumi.Input<Statement>[] = [];
  if (queues.length) {
    taskStatements.push(
      { sid: "SendToQueues", effect: "Allow", actions: ["sqs:SendMessage", "sqs:GetQueueAttributes"], resources: queues.map((q) => q.arn) },
      { sid: "EncryptMessages", effect: "Allow", actions: ["kms:GenerateDataKey", "kms:Decrypt"], resources: [platform.kmsKeyArn] },
    );
  }
  if (args.publishesEvents) taskStatements.push({ sid: "PublishEvents", effect: "Allow", actions: ["events:PutEvents"], resources: [platform.eventBus.arn] });
  if (platform.exec) {
    taskStatements.push(
      // The SSM message channels have no resource-level permissions.
      { sid: "ExecChannels", effect: "Allow", actions: ["ssmmessages:CreateControlChannel", "ssmmessages:CreateDataChannel", "ssmmessages:OpenControlChannel", "ssmmessages:OpenDataChannel"], resources: ["*"] },
      { sid: "ExecSessionKey", effect: "Allow", actions: ["kms:Decrypt"], resources: [platform.kmsKeyArn] },
      { sid: "ExecLogs", effect: "Allow", actions: ["logs:CreateLogStream", "logs:PutLogEvents", "logs:DescribeLogStreams"], resources: [pulumi.interpolate`${platform.exec.logGroupArn}:*`] },
      { sid: "ExecLogGroups", effect: "Allow", actions: ["logs:DescribeLogGroups"], resources: ["*"] },
    );
  }
  if (taskStatements.length) {
    new aws.iam.RolePolicy(`${name}-task`, { role: taskRole.id, policy: policyDocument(parent, taskStatements) }, opts);
  }

  const environment: Record<string, pulumi.Input<string>> = { ...platform.environment, ...args.environment };
  for (const q of queues) environment[`QUEUE_${q.name.toUpperCase().replace(/-/g, "_")}_URL`] = q.url;
  const container = {
    name: args.container,
    image: pulumi.interpolate`${args.repository.url}:${args.imageTag}`,
    essential: true,
    user: NON_ROOT_USER,
    readonlyRootFilesystem: args.readOnlyRootFilesystem,
    command: args.command,
    portMappings: args.port ? [{ containerPort: args.port, protocol: "tcp", name: "http" }] : [],
    environment: Object.entries(environment)
      .sort(([a], [b]) => a.localeCompare(b))
      .map(([key, value]) => ({ name: key, value })),
    secrets: secrets.map((s) => ({ name: s.env, valueFrom: s.valueFrom })),
    // A writable /tmp even with a read-only root; the init process reaps children (ECS Exec needs it).
    mountPoints: [{ sourceVolume: "tmp", containerPath: "/tmp", readOnly: false }],
    linuxParameters: { initProcessEnabled: true },
    logConfiguration: {
      logDriver: "awslogs",
      options: { "awslogs-group": logGroup.name, "awslogs-region": ctx.region, "awslogs-stream-prefix": args.container },
    },
  };
  const family = pulumi.interpolate`${platform.clusterName}-${name}`;
  const definition = new aws.ecs.TaskDefinition(
    name,
    {
      family,
      requiresCompatibilities: ["FARGATE"],
      networkMode: "awsvpc",
      cpu: String(args.cpu),
      memory: String(args.memory),
      runtimePlatform: { operatingSystemFamily: "LINUX", cpuArchitecture: "X86_64" },
      executionRoleArn: executionRole.arn,
      taskRoleArn: taskRole.arn,
      volumes: [{ name: "tmp" }],
      containerDefinitions: pulumi.jsonStringify([container]),
      // The policy pack's compute-hygiene rule accepts a writable root only where the service
      // opted out in config: this tag says it did (policy/rules/settings/hygiene.ts).
      tags: args.readOnlyRootFilesystem ? undefined : { [WRITABLE_ROOT_TAG]: "readOnlyRootFilesystem false in the service config" },
    },
    opts,
  );
  const familyArn = pulumi.interpolate`arn:${ctx.partition}:ecs:${ctx.region}:${ctx.accountId}:task-definition/${definition.family}:*`;
  return { definition, executionRole, taskRole, logGroup, familyArn };
}
