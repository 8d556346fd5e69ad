import { strict as assert } from "assert";
import { DescribeTasksCommand, ListTasksCommand, RunTaskCommand } from "@aws-sdk/client-ecs";
import { EcsClient, GateSettings, HookEvent, decide, deploymentTag } from "@platform/components/compute/migration-gate";

const SETTINGS: GateSettings = {
  clusterArn: "arn:aws:ecs:us-east-1:123456789012:cluster/platform",
  taskDefinition: "platform-migrate",
  containerName: "migrate",
  subnetIds: ["subnet-1", "subnet-2"],
  securityGroupIds: ["sg-app"],
  pollSeconds: 20,
};
const REVISION = "arn:aws:ecs:us-east-1:123456789012:service-revision/platform/api/0042";
const EVENT: HookEvent = { executionDetails: { serviceArn: "arn:aws:ecs:us-east-1:123456789012:service/platform/api", targetServiceRevisionArn: REVISION } };
const TASK = "arn:aws:ecs:us-east-1:123456789012:task/platform/abc123";

/** A fake ECS client: answers by command type and records every call. */
function fakeEcs(answers: { list?: Record<string, string[]>; run?: unknown; describe?: unknown }) {
  const calls: { name: string; input: Record<string, unknown> }[] = [];
  const client: EcsClient = {
    async send(command) {
      const input = command.input as Record<string, unknown>;
      calls.push({ name: command.constructor.name, input });
      if (command instanceof ListTasksCommand) return { taskArns: answers.list?.[String(input.desiredStatus)] ?? [] };
      if (command instanceof RunTaskCommand) return answers.run ?? { tasks: [{ taskArn: TASK }] };
      if (command instanceof DescribeTasksCommand) return answers.describe ?? { tasks: [] };
      throw new Error("unexpected command");
    },
  };
  return { client, calls };
}

describe("migration gate", () => {
  it("starts the migration task on the first call, tagged for this deployment, and answers IN_PROGRESS", async () => {
    const ecs = fakeEcs({});
    const r = await decide(EVENT, SETTINGS, ecs.client);
    assert.equal(r.hookStatus, "IN_PROGRESS");
    assert.equal(r.callBackDelay, 20);
    assert.deepEqual(r.hookDetails, { migrationTaskArn: TASK });
    const run = ecs.calls.find((c) => c.name === "RunTaskCommand")!;
    assert.equal(run.input.startedBy, deploymentTag(REVISION));
    assert.equal(run.input.taskDefinition, "platform-migrate");
    assert.equal(run.input.launchType, "FARGATE");
    assert.deepEqual(run.input.networkConfiguration, { awsvpcConfiguration: { subnets: ["subnet-1", "subnet-2"], securityGroups: ["sg-app"], assignPublicIp: "DISABLED" } });
  });

  it("never starts a second task for the same deployment, even without hookDetails", async () => {
    const ecs = fakeEcs({ list: { RUNNING: [TASK] }, describe: { tasks: [{ taskArn: TASK, lastStatus: "RUNNING" }] } });
    const r = await decide(EVENT, SETTINGS, ecs.client);
    assert.equal(r.hookStatus, "IN_PROGRESS");
    assert.equal(ecs.calls.some((c) => c.name === "RunTaskCommand"), false);
  });

  it("answers IN_PROGRESS while the task runs", async () => {
    const ecs = fakeEcs({ describe: { tasks: [{ taskArn: TASK, lastStatus: "RUNNING" }] } });
    const r = await decide({ ...EVENT, hookDetails: { migrationTaskArn: TASK } }, SETTINGS, ecs.client);
    assert.equal(r.hookStatus, "IN_PROGRESS");
    assert.deepEqual(ecs.calls.map((c) => c.name), ["DescribeTasksCommand"]);
  });

  it("answers SUCCEEDED when the migration container exits 0", async () => {
    const ecs = fakeEcs({ describe: { tasks: [{ taskArn: TASK, lastStatus: "STOPPED", containers: [{ name: "sidecar", exitCode: 1 }, { name: "migrate", exitCode: 0 }] }] } });
    assert.equal((await decide({ ...EVENT, hookDetails: { migrationTaskArn: TASK } }, SETTINGS, ecs.client)).hookStatus, "SUCCEEDED");
  });

  it("answers FAILED when the migration exits non-zero, so ECS rolls back", async () => {
    const ecs = fakeEcs({ describe: { tasks: [{ taskArn: TASK, lastStatus: "STOPPED", stoppedReason: "Essential container exited", containers: [{ name: "migrate", exitCode: 3 }] }] } });
    const r = await decide({ ...EVENT, hookDetails: { migrationTaskArn: TASK } }, SETTINGS, ecs.client);
    assert.equal(r.hookStatus, "FAILED");
    assert.match(r.reason, /exit code 3/);
  });

  it("answers FAILED when the task stopped without an exit code (e.g. image pull failure)", async () => {
    const ecs = fakeEcs({ describe: { tasks: [{ taskArn: TASK, lastStatus: "STOPPED", stoppedReason: "CannotPullContainerError", containers: [{ name: "migrate" }] }] } });
    const r = await decide({ ...EVENT, hookDetails: { migrationTaskArn: TASK } }, SETTINGS, ecs.client);
    assert.equal(r.hookStatus, "FAILED");
    assert.match(r.reason, /CannotPullContainerError/);
  });

  it("answers FAILED when the task is missing", async () => {
    const ecs = fakeEcs({ describe: { tasks: [], failures: [{ reason: "MISSING" }] } });
    const r = await decide({ ...EVENT, hookDetails: { migrationTaskArn: TASK } }, SETTINGS, ecs.client);
    assert.equal(r.hookStatus, "FAILED");
    assert.match(r.reason, /no longer exists/);
  });

  it("answers FAILED when the task cannot start, naming ECS's reason", async () => {
    const ecs = fakeEcs({ run: { tasks: [], failures: [{ reason: "RESOURCE:ENI" }] } });
    const r = await decide(EVENT, SETTINGS, ecs.client);
    assert.equal(r.hookStatus, "FAILED");
    assert.match(r.reason, /RESOURCE:ENI/);
  });

  it("answers FAILED for a payload without a target revision, and reads the flat payload shape too", async () => {
    assert.equal((await decide({}, SETTINGS, fakeEcs({}).client)).hookStatus, "FAILED");
    assert.equal((await decide({ targetServiceRevisionArn: REVISION }, SETTINGS, fakeEcs({}).client)).hookStatus, "IN_PROGRESS");
  });

  it("tags deployments with a valid, stable startedBy", () => {
    const tag = deploymentTag(REVISION);
    assert.match(tag, /^[A-Za-z0-9_-]{1,128}$/);
    assert.equal(tag, deploymentTag(REVISION));
    assert.notEqual(tag, deploymentTag(REVISION.replace("0042", "0043")));
  });
});
