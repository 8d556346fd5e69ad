import * as aws from "@pulumi/aws";
import { StackSettings } from "../config";

/**
 * The stack's monthly AWS budget (`platform:budget`): actual and forecast notifications at each
 * threshold, by email. It counts the costs tagged with this stack's `env` AND its `project` (the
 * tags every provider sets, program/tags.ts). Those two tags must be activated as cost allocation
 * tags in the Billing console, or the budget sees nothing: docs/cost.md.
 *
 * Why a filter expression and not `costFilters`: the values of one filter are ORed ("lists of
 * dimension values are combined with OR", https://docs.aws.amazon.com/aws-cost-management/latest/APIReference/API_Expression.html),
 * so `TagKeyValue: [user:env$prod, user:project$platform]` counts everything tagged env=prod OR
 * project=platform. The Budgets filter expression (`FilterExpression`,
 * https://docs.aws.amazon.com/aws-cost-management/latest/APIReference/API_budgets_Expression.html)
 * has `And`, one `Tags` operand per key (`TagValues.Key` is the tag's key,
 * https://docs.aws.amazon.com/aws-cost-management/latest/APIReference/API_budgets_TagValues.html).
 */
export function stackBudget(cfg: StackSettings, prefix: string, provider: aws.Provider): aws.budgets.Budget | undefined {
  if (!cfg.budget) return undefined;
  const { monthlyUsd, thresholds, recipients } = cfg.budget;
  return new aws.budgets.Budget(
    "budget",
    {
      name: prefix,
      budgetType: "COST",
      timeUnit: "MONTHLY",
      limitAmount: monthlyUsd.toFixed(2),
      limitUnit: "USD",
      filterExpression: { ands: stackTagFilter(cfg) },
      // A filter expression needs the metric it measures (the provider's Budget docs: "requires
      // metrics"; without it AWS stores a budget whose history fails, terraform-provider-aws#46866).
      metrics: "UnblendedCost",
      notifications: thresholds.flatMap((threshold) =>
        (["ACTUAL", "FORECASTED"] as const).map((notificationType) => ({
          notificationType,
          comparisonOperator: "GREATER_THAN",
          threshold,
          thresholdType: "PERCENTAGE",
          subscriberEmailAddresses: recipients,
        })),
      ),
    },
    { provider },
  );
}

/** One `Tags` operand per tag, each with its single value: ANDed by the expression that holds them. */
export function stackTagFilter(cfg: Pick<StackSettings, "environment" | "project">): { tags: { key: string; values: string[] } }[] {
  return [
    { tags: { key: "env", values: [cfg.environment] } },
    { tags: { key: "project", values: [cfg.project] } },
  ];
}
