import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { AwsContext, policyDocument, serviceTrustPolicy } from "../lib/aws";
import { Cluster } from "./cluster";
import { denyInsecureTransport } from "./jobs";
import { Task } from "./task";
import { ResolvedSchedule } from "./defaults";

export interface SchedulesArgs {
  schedules: ResolvedSchedule[];
  /** Service name -> its task (definition, roles, container name). */
  tasks: Record<string, { task: Task; container: string }>;
  cluster: Cluster;
  subnetIds: pulumi.Input<string[]>;
  securityGroupId: pulumi.Input<string>;
  kmsKeyArn: pulumi.Input<string>;
  ctx: AwsContext;
  /**
   * `ENABLED` (default) or `DISABLED`: a warm-standby region keeps its schedules disabled so no
   * job runs twice; the failover enables them (and disables the old region's).
   */
  state?: "ENABLED" | "DISABLED";
}

/** Oldest an event may get while the scheduler retries it. */
const MAX_EVENT_AGE_SECONDS = 3600;

/**
 * EventBridge Scheduler: one group per environment, each schedule runs a service's task with
 * another command on Fargate in the private subnets, retries, then lands in a DLQ. The role may
 * run only those task families and pass only their roles.
 */
export class Schedules extends pulumi.ComponentResource {
  readonly group: aws.scheduler.ScheduleGroup;
  readonly deadLetter: aws.sqs.Queue;
  readonly role: aws.iam.Role;

  constructor(name: string, args: SchedulesArgs, opts?: pulumi.ComponentResourceOptions) {
    super("platform:compute:Schedules", name, {}, opts);
    const parent = { parent: this };
    this.group = new aws.scheduler.ScheduleGroup(name, { name }, parent);
    this.deadLetter = new aws.sqs.Queue(
      `${name}-dlq`,
      { name: `${name}-dlq`, kmsMasterKeyId: args.kmsKeyArn, messageRetentionSeconds: 14 * 86400 },
      parent,
    );
    new aws.sqs.QueuePolicy(`${name}-dlq`, { queueUrl: this.deadLetter.url, policy: policyDocument(this, [denyInsecureTransport(this.deadLetter.arn)]) }, parent);

    const used = [...new Set(args.schedules.map((s) => s.service))].map((service) => {
      const entry = args.tasks[service];
      if (!entry) throw new Error(`schedules: service "${service}" is not known`);
      return entry;
    });
    this.role = new aws.iam.Role(name, { assumeRolePolicy: serviceTrustPolicy(this, "scheduler.amazonaws.com", args.ctx) }, parent);
    new aws.iam.RolePolicy(
      name,
      {
        role: this.role.id,
        policy: policyDocument(this, [
          {
            sid: "RunScheduledTasks",
            effect: "Allow",
            actions: ["ecs:RunTask"],
            // Family ARNs without a revision run the latest revision, so allow both forms.
            resources: used.flatMap(({ task }) => [task.familyArn, task.familyArn.apply((arn) => arn.replace(/:\*$/, ""))]),
            conditions: [{ test: "ArnEquals", variable: "ecs:cluster", values: [args.cluster.cluster.arn] }],
          },
          {
            sid: "PassTaskRoles",
            effect: "Allow",
            actions: ["iam:PassRole"],
            resources: used.flatMap(({ task }) => [task.executionRole.arn, task.taskRole.arn]),
            conditions: [{ test: "StringEquals", variable: "iam:PassedToService", values: ["ecs-tasks.amazonaws.com"] }],
          },
          { sid: "DeadLetters", effect: "Allow", actions: ["sqs:SendMessage"], resources: [this.deadLetter.arn] },
          { sid: "EncryptDeadLetters", effect: "Allow", actions: ["kms:GenerateDataKey", "kms:Decrypt"], resources: [args.kmsKeyArn] },
        ]),
      },
      parent,
    );

    for (const schedule of args.schedules) {
      const { task, container } = args.tasks[schedule.service];
      new aws.scheduler.Schedule(
        `${name}-${schedule.name}`,
        {
          name: schedule.name,
          groupName: this.group.name,
          state: args.state ?? "ENABLED",
          scheduleExpression: schedule.expression,
          scheduleExpressionTimezone: schedule.timezone,
          flexibleTimeWindow:
            schedule.flexibleWindowMinutes > 0 ? { mode: "FLEXIBLE", maximumWindowInMinutes: schedule.flexibleWindowMinutes } : { mode: "OFF" },
          target: {
            arn: args.cluster.cluster.arn,
            roleArn: this.role.arn,
            deadLetterConfig: { arn: this.deadLetter.arn },
            retryPolicy: { maximumRetryAttempts: schedule.retries, maximumEventAgeInSeconds: MAX_EVENT_AGE_SECONDS },
            ecsParameters: {
              // The family without a revision: the run uses the image the service was last deployed with.
              taskDefinitionArn: task.familyArn.apply((arn) => arn.replace(/:\*$/, "")),
              launchType: "FARGATE",
              taskCount: 1,
              networkConfiguration: { subnets: args.subnetIds, securityGroups: [args.securityGroupId], assignPublicIp: false },
              propagateTags: "TASK_DEFINITION",
            },
            input: JSON.stringify({ containerOverrides: [{ name: container, command: schedule.command }] }),
          },
        },
        // After creation the state belongs to `npm run failover`, which moves the clock between regions.
        { ...parent, ignoreChanges: ["state"] },
      );
    }
    this.registerOutputs({ groupName: this.group.name });
  }
}
