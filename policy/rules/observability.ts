import { Rule, deadLetterTargets, ofType, stackRule } from "./lib";

const MONITOR = "datadog:index/monitor:Monitor";
const queriesOf = (resources: Parameters<Parameters<typeof stackRule>[2]>[0]) => ofType(resources, MONITOR).map((m) => String(m.props.query ?? "").toLowerCase());

/** Nothing runs unwatched. */
export const observabilityRules: Rule[] = [
  stackRule("public-services-monitored", "Every ECS service behind the load balancer has Datadog monitors.", (resources, report) => {
    const queries = queriesOf(resources);
    for (const s of ofType(resources, "aws:ecs/service:Service")) {
      if (((s.props.loadBalancers as unknown[] | undefined) ?? []).length === 0) continue;
      const name = String(s.props.name ?? "").toLowerCase();
      if (!queries.some((q) => q.includes(`servicename:${name}`))) report(`no Datadog monitor watches service ${name}`, s.urn);
    }
  }),
  stackRule("dlq-monitored", "Every dead-letter queue has a Datadog monitor that fires on one message.", (resources, report) => {
    const queries = queriesOf(resources);
    const queues = ofType(resources, "aws:sqs/queue:Queue");
    const dlqArns = deadLetterTargets(resources);
    for (const q of queues.filter((x) => dlqArns.has(x.props.arn) || /-dlq$/.test(String(x.props.name ?? "")))) {
      const name = String(q.props.name ?? "").toLowerCase();
      if (!queries.some((x) => x.includes(`approximate_number_of_messages_visible{queuename:${name}}`) && / > 0$/.test(x))) report(`no Datadog monitor fires on a message in ${name}`, q.urn);
    }
  }),
];
