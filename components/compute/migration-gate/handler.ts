import { ECSClient } from "@aws-sdk/client-ecs";
import { GateSettings, HookEvent, decide } from "./gate";

/** Lambda entry point; its settings come from the environment the compute component sets. */
const ecs = new ECSClient({});

function settings(env: NodeJS.ProcessEnv): GateSettings {
  const need = (key: string) => {
    const value = env[key];
    if (!value) throw new Error(`migration gate: environment variable ${key} is not set`);
    return value;
  };
  return {
    clusterArn: need("CLUSTER_ARN"),
    taskDefinition: need("MIGRATION_TASK_DEFINITION"),
    containerName: need("MIGRATION_CONTAINER"),
    subnetIds: need("SUBNET_IDS").split(","),
    securityGroupIds: need("SECURITY_GROUP_IDS").split(","),
    pollSeconds: Number(env.POLL_SECONDS ?? "30"),
  };
}

export async function handler(event: HookEvent) {
  const { reason, ...response } = await decide(event, settings(process.env), ecs);
  console.log(JSON.stringify({ hookStatus: response.hookStatus, reason }));
  return response;
}
