import { PolicyResource } from "@pulumi/policy";
import { estimate } from "../cost/estimate";
import { loadPriceBook } from "../cost/prices";
import { CostResource } from "../cost/resources";
import { UsageOverride, resolveUsage } from "../cost/usage";
import { ENVIRONMENTS, Rule } from "./lib";

const BUDGET = "aws:budgets/budget:Budget";

/** A stack resource as the cost engine reads it: its region is its provider's. */
function costResource(r: PolicyResource): CostResource {
  const region = (r.props.region as string | undefined) ?? (r.provider?.props.region as string | undefined);
  return { urn: r.urn, type: r.type, name: r.name, region, props: r.props };
}

/**
 * The stack's AWS estimate (policy/cost, the same engine as `npm run cost`) must stay within the
 * monthly limit of its budget. The engine gives the pack no stack config, so usage is the
 * environment's defaults, or the pack config's `usage` (docs/cost.md). Mandatory in prod,
 * advisory in dev (policy/config/<stack>.json).
 */
export const costRules: Rule[] = [
  {
    name: "cost-within-budget",
    description: "The AWS estimate of the stack (npm run cost) stays within its platform:budget",
    enforcementLevel: "mandatory",
    configSchema: {
      properties: {
        environment: { type: "string", enum: ENVIRONMENTS, default: "dev" },
        usage: { type: "object", default: {} },
      },
    },
    validateStack: (args, reportViolation) => {
      const budgets = args.resources.filter((r) => r.type === BUDGET && r.props.budgetType === "COST");
      if (!budgets.length) return;
      const { environment, usage } = args.getConfig<{ environment: string; usage: UsageOverride }>();
      const report = estimate({ stack: "", resources: args.resources.map(costResource), usage: resolveUsage(environment, usage), prices: loadPriceBook() });
      for (const b of budgets) {
        const limit = Number(b.props.limitAmount);
        if (report.byVendor.aws > limit) {
          const top = Object.entries(report.byComponent).sort((x, y) => y[1] - x[1]).slice(0, 3).map(([c, v]) => `${c} $${v.toFixed(2)}`).join(", ");
          reportViolation(`the AWS estimate $${report.byVendor.aws.toFixed(2)} a month exceeds budget ${b.name}'s $${limit.toFixed(2)} (largest: ${top}; npm run cost for the breakdown)`, b.urn);
        }
      }
    },
  },
];
