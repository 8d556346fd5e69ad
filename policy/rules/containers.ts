import { Props, Rule, resourceRule } from "./lib";

/** Variable names that say they hold a secret (`DB_PASSWORD`, `STRIPE_API_KEY`, `GITHUB_TOKEN`...). */
const SECRET_NAME = /(^|_)(SECRET|PASSWORD|PASSWD|TOKEN|API_?KEY|PRIVATE_?KEY|ACCESS_?KEY|CREDENTIALS?)(_|$)/i;
/** Names FSBP ECS.8 refuses whatever their value (https://docs.aws.amazon.com/securityhub/latest/userguide/ecs-controls.html#ecs-8). */
const ALWAYS_SECRET = ["AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "ECS_ENGINE_AUTH_DATA"];
/** An AWS access key id (long-term AKIA or temporary ASIA): https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_identifiers.html#identifiers-unique-ids */
const ACCESS_KEY_ID = /\b(AKIA|ASIA)[0-9A-Z]{16}\b/;

/** Why a plain variable looks like a secret, or undefined. References (ARNs) and short or numeric values pass. */
function secretProblem(name: string, value: unknown): string | undefined {
  const text = typeof value === "string" ? value : "";
  if (ACCESS_KEY_ID.test(text)) return `${name} holds an AWS access key id`;
  if (ALWAYS_SECRET.includes(name.toUpperCase())) return `${name} is a credential`;
  if (SECRET_NAME.test(name) && text.length >= 8 && !/^arn:/.test(text) && !/^\d+$/.test(text)) return `${name} looks like a secret in plain text`;
  return undefined;
}

const parsed = (v: unknown): unknown => {
  if (typeof v !== "string") return v;
  try {
    return JSON.parse(v);
  } catch {
    return undefined;
  }
};
const pairs = (env: unknown): [string, unknown][] => (Array.isArray(env) ? env.map((e: Props) => [String(e.name), e.value] as [string, unknown]) : []);
const decoded = (v: unknown) => (typeof v === "string" ? [v, Buffer.from(v, "base64").toString("utf8")] : []);

/** Where each type keeps plain environment variables (and user data), as name/value pairs. */
const ENVIRONMENTS: Record<string, (p: Props) => [string, unknown][]> = {
  "aws:ecs/taskDefinition:TaskDefinition": (p) => ((parsed(p.containerDefinitions) as Props[] | undefined) ?? []).flatMap((c) => pairs(c.environment).map(([n, v]): [string, unknown] => [`container ${String(c.name)}: ${n}`, v])),
  "aws:batch/jobDefinition:JobDefinition": (p) => pairs((parsed(p.containerProperties) as Props | undefined)?.environment),
  "aws:lambda/function:Function": (p) => Object.entries(((p.environment as Props | undefined)?.variables as Props | undefined) ?? {}),
  "aws:codebuild/project:Project": (p) =>
    (((p.environment as Props | undefined)?.environmentVariables as Props[] | undefined) ?? []).filter((e) => (e.type ?? "PLAINTEXT") === "PLAINTEXT").map((e): [string, unknown] => [String(e.name), e.value]),
  "aws:ec2/instance:Instance": (p) => [...decoded(p.userData), ...decoded(p.userDataBase64)].map((v): [string, unknown] => ["user data", v]),
  "aws:ec2/launchTemplate:LaunchTemplate": (p) => decoded(p.userData).map((v): [string, unknown] => ["user data", v]),
  "aws:ec2/launchConfiguration:LaunchConfiguration": (p) => [...decoded(p.userData), ...decoded(p.userDataBase64)].map((v): [string, unknown] => ["user data", v]),
};

/** Names a container definition's variable keeps after its `container <name>: ` prefix. */
const bare = (name: string) => name.replace(/^container [^:]+: /, "");

/**
 * Containers and functions: secrets reach them as references (ECS `secrets`, Secrets Manager or
 * Parameter Store), never as plain values in definitions anyone with Describe can read; every
 * container logs; a task's execution role (pulls images, reads secrets) is not its task role (what
 * the code may do). Peer lists of 2026-12-01: checkov CKV_AWS_45, 46, 249; FSBP ECS.8, ECS.9,
 * CodeBuild.1, CodeBuild.2; cdk-nag ECS7.
 */
export const containerRules: Rule[] = [
  resourceRule("no-secrets-in-environment", "No secret in plain environment variables or user data: task and job definitions, functions, builds, instances.", Object.keys(ENVIRONMENTS), (p, args) =>
    ENVIRONMENTS[args.type](p)
      .map(([name, value]) => {
        const problem = name === "user data" ? (ACCESS_KEY_ID.test(String(value)) ? "user data holds an AWS access key id" : undefined) : secretProblem(bare(name), value);
        return problem && name.startsWith("container ") ? `${name.split(":")[0]}: ${problem}` : problem;
      })
      .filter((m): m is string => m !== undefined)
      .map((m) => `${m}; pass it as a secret reference (Secrets Manager or Parameter Store)`),
  ),
  resourceRule("ecs-container-logging", "Every container of an ECS task definition sends its logs somewhere (logConfiguration.logDriver).", ["aws:ecs/taskDefinition:TaskDefinition"], (p) =>
    ((parsed(p.containerDefinitions) as Props[] | undefined) ?? [])
      .filter((c) => !(c.logConfiguration as Props | undefined)?.logDriver)
      .map((c) => `container ${String(c.name)} has no logConfiguration: its output is lost`),
  ),
  resourceRule("ecs-task-roles-distinct", "An ECS task's execution role is not also its task role.", ["aws:ecs/taskDefinition:TaskDefinition"], (p) =>
    typeof p.taskRoleArn === "string" && p.taskRoleArn === p.executionRoleArn
      ? "taskRoleArn equals executionRoleArn: the application would hold the rights to pull every image and read every secret of the task"
      : undefined,
  ),
];
