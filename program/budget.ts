import * as aws from "@pulumi/aws";
import { StackSettings } from "../config";

/**
 * The stack's monthly AWS budget (`platform:budget`): actual and forecast notifications at each
 * threshold, by email. It counts the costs tagged with this stack's `env` and `project` (the tags
 * every provider sets, program/tags.ts), the `user:` form AWS Budgets filters on
 * (https://www.pulumi.com/registry/packages/aws/api-docs/budgets/budget/, "Create a cost filter
 * using resource tags"). Those two tags must be activated as cost allocation tags in the Billing
 * console, or the budget sees nothing: README "Cost".
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
      costFilters: [{ name: "TagKeyValue", values: [`user:env$${cfg.environment}`, `user:project$${cfg.project}`] }],
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
