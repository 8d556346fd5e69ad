import { Props, Rule, deadLetterTargets, ofType, providerDefaultTags, resourceRule, stackRule } from "./lib";

/** Lambda runtimes AWS supports (not deprecated) that this platform allows. */
export const SUPPORTED_LAMBDA_RUNTIMES = ["nodejs22.x", "nodejs24.x", "python3.12", "python3.13", "java21", "provided.al2023"];
/** Tags every AWS resource carries (lib/tags.ts puts them on every provider). */
export const REQUIRED_TAGS = ["env", "project", "managed-by"];

/** What keeps the platform operable. */
export const operationsRules: Rule[] = [
  resourceRule("log-group-retention", "Every CloudWatch log group has a retention.", ["aws:cloudwatch/logGroup:LogGroup"], (p) =>
    Number(p.retentionInDays ?? 0) > 0 ? undefined : "log group must set retentionInDays (the default keeps logs, and their cost, forever)",
  ),
  stackRule("sqs-has-dlq", "Every SQS queue has a dead-letter queue, or is one.", (resources, report) => {
    const queues = ofType(resources, "aws:sqs/queue:Queue");
    const targets = deadLetterTargets(resources);
    const allowed = new Set(ofType(resources, "aws:sqs/redriveAllowPolicy:RedriveAllowPolicy").map((r) => r.props.queueUrl));
    for (const q of queues) {
      const isDlq = targets.has(q.props.arn) || allowed.has(q.props.id) || allowed.has(q.props.url);
      if (!q.props.redrivePolicy && !isDlq && !/-dlq$/.test(String(q.props.name ?? ""))) report("queue has no redrivePolicy: failed messages would be retried forever", q.urn);
    }
  }),
  resourceRule("ecr-immutable-scanned", "ECR repositories have immutable tags and scan on push.", ["aws:ecr/repository:Repository"], (p) => {
    const problems: string[] = [];
    if (p.imageTagMutability !== "IMMUTABLE") problems.push("imageTagMutability must be IMMUTABLE (a tag must always mean the same image)");
    if ((p.imageScanningConfiguration as Props | undefined)?.scanOnPush !== true) problems.push("imageScanningConfiguration.scanOnPush must be true");
    return problems;
  }),
  resourceRule("ecs-safe-deployments", "ECS services deploy blue/green or with a circuit breaker that rolls back.", ["aws:ecs/service:Service"], (p) => {
    const blueGreen = (p.deploymentConfiguration as Props | undefined)?.strategy === "BLUE_GREEN";
    const breaker = p.deploymentCircuitBreaker as Props | undefined;
    return blueGreen || (breaker?.enable === true && breaker.rollback === true) ? undefined : "service needs deploymentConfiguration.strategy BLUE_GREEN or deploymentCircuitBreaker { enable, rollback }";
  }),
  {
    name: "required-tags",
    description: `Every AWS resource carries the tags ${REQUIRED_TAGS.join(", ")} (its own or its provider's default tags).`,
    enforcementLevel: "mandatory",
    configSchema: { properties: { tags: { type: "array", items: { type: "string" }, default: REQUIRED_TAGS } } },
    validateResource: (args, report) => {
      if (!args.type.startsWith("aws:") || !args.provider) return;
      const own = (args.props.tags as Props | undefined) ?? {};
      const inherited = providerDefaultTags(args);
      const missing = (args.getConfig<{ tags?: string[] }>().tags ?? REQUIRED_TAGS).filter((t) => own[t] === undefined && inherited[t] === undefined);
      if (missing.length) report(`missing tags: ${missing.join(", ")}`);
    },
  },
  resourceRule(
    "rds-version-moves-with-code",
    "RDS and Aurora instances with a pinned engine version do not take automatic minor upgrades (the next update would try to undo them).",
    ["aws:rds/clusterInstance:ClusterInstance", "aws:rds/instance:Instance"],
    (p) =>
      p.engineVersion !== undefined && p.autoMinorVersionUpgrade !== false
        ? `engineVersion ${String(p.engineVersion)} is pinned but autoMinorVersionUpgrade is not false: AWS's upgrade would become a downgrade in the next update and drift every night`
        : undefined,
  ),
  resourceRule("lambda-runtime-supported", "Lambda functions use a supported runtime.", ["aws:lambda/function:Function"], (p) =>
    p.runtime === undefined || SUPPORTED_LAMBDA_RUNTIMES.includes(String(p.runtime)) ? undefined : `runtime ${String(p.runtime)} is not one of ${SUPPORTED_LAMBDA_RUNTIMES.join(", ")}`,
  ),
];
