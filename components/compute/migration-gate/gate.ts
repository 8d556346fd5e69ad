import { createHash } from "crypto";
import { DescribeTasksCommand, ListTasksCommand, RunTaskCommand, Task } from "@aws-sdk/client-ecs";

/**
 * The migration gate's decision logic, run by ECS as a blue/green lifecycle hook at PRE_SCALE_UP:
 * start the database-migration task once per deployment, answer IN_PROGRESS while it runs,
 * SUCCEEDED when it exits 0, FAILED otherwise (ECS then rolls the deployment back).
 */

export type HookStatus = "SUCCEEDED" | "FAILED" | "IN_PROGRESS";

export interface HookResponse {
  hookStatus: HookStatus;
  callBackDelay?: number;
  /** Passed back to the next invocation: the migration task we started. */
  hookDetails?: { migrationTaskArn: string };
  /** Why, for the Lambda's log (ECS ignores it). */
  reason: string;
}

/** What ECS sends the hook; the fields we use, wherever this payload version puts them. */
export interface HookEvent {
  executionDetails?: { serviceArn?: string; targetServiceRevisionArn?: string };
  serviceArn?: string;
  targetServiceRevisionArn?: string;
  hookDetails?: { migrationTaskArn?: string } | null;
}

export interface GateSettings {
  clusterArn: string;
  /** Task definition (family or family:revision) of the migration task. */
  taskDefinition: string;
  /** Container whose exit code decides. */
  containerName: string;
  subnetIds: string[];
  securityGroupIds: string[];
  /** Seconds between checks while the migration runs. */
  pollSeconds: number;
}

/** The one ECS call the gate makes at a time; the AWS SDK client satisfies it. */
export interface EcsClient {
  send(command: ListTasksCommand | RunTaskCommand | DescribeTasksCommand): Promise<unknown>;
}

/** `startedBy` tag naming one deployment: ECS allows 128 letters, digits, '-' and '_'. */
export function deploymentTag(targetRevisionArn: string): string {
  return `migrate-${createHash("sha256").update(targetRevisionArn).digest("hex").slice(0, 40)}`;
}

export async function decide(event: HookEvent, settings: GateSettings, ecs: EcsClient): Promise<HookResponse> {
  const revision = event.executionDetails?.targetServiceRevisionArn ?? event.targetServiceRevisionArn;
  if (!revision) return { hookStatus: "FAILED", reason: "the hook payload names no target service revision" };
  const poll = (taskArn: string, reason: string): HookResponse => ({
    hookStatus: "IN_PROGRESS",
    callBackDelay: settings.pollSeconds,
    hookDetails: { migrationTaskArn: taskArn },
    reason,
  });

  // Once per deployment: the task we started is in hookDetails, or findable by its startedBy tag
  // (a retried or re-invoked hook must never run the migration twice).
  const startedBy = deploymentTag(revision);
  let taskArn = event.hookDetails?.migrationTaskArn;
  if (!taskArn) {
    const listed = (await ecs.send(new ListTasksCommand({ cluster: settings.clusterArn, startedBy, desiredStatus: "RUNNING" }))) as { taskArns?: string[] };
    const stopped = listed.taskArns?.length
      ? listed
      : ((await ecs.send(new ListTasksCommand({ cluster: settings.clusterArn, startedBy, desiredStatus: "STOPPED" }))) as { taskArns?: string[] });
    taskArn = stopped.taskArns?.[0];
  }
  if (!taskArn) {
    const run = (await ecs.send(
      new RunTaskCommand({
        cluster: settings.clusterArn,
        taskDefinition: settings.taskDefinition,
        launchType: "FARGATE",
        startedBy,
        count: 1,
        networkConfiguration: {
          awsvpcConfiguration: { subnets: settings.subnetIds, securityGroups: settings.securityGroupIds, assignPublicIp: "DISABLED" },
        },
      }),
    )) as { tasks?: Task[]; failures?: { reason?: string }[] };
    const started = run.tasks?.[0]?.taskArn;
    if (!started) return { hookStatus: "FAILED", reason: `the migration task did not start: ${run.failures?.map((f) => f.reason).join("; ") || "no task returned"}` };
    return poll(started, `started migration task ${started}`);
  }

  const described = (await ecs.send(new DescribeTasksCommand({ cluster: settings.clusterArn, tasks: [taskArn] }))) as { tasks?: Task[] };
  const task = described.tasks?.[0];
  if (!task) return { hookStatus: "FAILED", reason: `migration task ${taskArn} no longer exists` };
  if (task.lastStatus !== "STOPPED") return poll(taskArn, `migration task ${taskArn} is ${task.lastStatus ?? "starting"}`);
  const exitCode = task.containers?.find((c) => c.name === settings.containerName)?.exitCode;
  return exitCode === 0
    ? { hookStatus: "SUCCEEDED", reason: `migration task ${taskArn} exited 0` }
    : { hookStatus: "FAILED", reason: `migration task ${taskArn} stopped with exit code ${exitCode ?? "none"} (${task.stoppedReason ?? "no reason given"})` };
}
