import type { Rule } from "../../rule";
import { docs, first, isSet, nested, rule, strings } from "../helpers";

/** Rules for the observability module: alert policies that notify both ways, encrypted log buckets, a budget. */
export const OBSERVABILITY_RULES: readonly Rule[] = [
  rule({
    id: "SIROS-GCP-MON-1",
    level: "error",
    pack: "baseline",
    cloud: "gcp",
    resourceTypes: ["google_monitoring_alert_policy"],
    title: "Alert policies notify channels when an incident opens and when it closes",
    rationale: "A policy without channels opens incidents nobody sees; without CLOSED nobody learns that the problem is over.",
    docs: docs.google("monitoring_alert_policy"),
    fix: "Set notification_channels and alert_strategy { notification_prompts = [\"OPENED\", \"CLOSED\"] }.",
    check: (policy) => {
      const problems: string[] = [];
      if (!isSet(policy.values.notification_channels)) problems.push("notification_channels is empty");
      const prompts = strings(first(policy.values, "alert_strategy")?.notification_prompts);
      // Cloud Monitoring notifies on open only unless told otherwise.
      if (!prompts.includes("CLOSED")) problems.push("alert_strategy.notification_prompts lacks CLOSED");
      return problems;
    },
  }),
  rule({
    id: "SIROS-GCP-MON-2",
    level: "warning",
    pack: "baseline",
    cloud: "gcp",
    resourceTypes: ["google_monitoring_alert_policy"],
    title: "Alert policy conditions say what missing data means",
    rationale: "Left unset, a condition whose resource stops reporting simply stops evaluating; silence must be a choice per alarm.",
    docs: docs.google("monitoring_alert_policy"),
    fix: "Set evaluation_missing_data on every condition_threshold.",
    check: (policy) =>
      nested(policy.values, "conditions")
        .map((condition) => first(condition, "condition_threshold"))
        .filter((threshold) => threshold !== undefined && !isSet(threshold.evaluation_missing_data))
        .map(() => "a condition_threshold has no evaluation_missing_data"),
  }),
  rule({
    id: "SIROS-GCP-LOG-2",
    level: "error",
    pack: "baseline",
    cloud: "gcp",
    resourceTypes: ["google_logging_project_bucket_config"],
    title: "Log buckets other than _Default are encrypted with a customer-managed key",
    rationale: "The platform's logs carry request paths, addresses and database statements; a customer-managed key can be revoked and its use is audited.",
    docs: docs.google("logging_project_bucket_config"),
    fix: "Set cmek_settings { kms_key_name } to the environment's key, after Logging's service account may use it.",
    check: (bucket) => (bucket.values.bucket_id === "_Default" || isSet(first(bucket.values, "cmek_settings")?.kms_key_name) ? undefined : "cmek_settings.kms_key_name is not set"),
  }),
  rule({
    id: "SIROS-GCP-BUDGET-1",
    level: "error",
    pack: "baseline",
    cloud: "gcp",
    resourceTypes: ["google_compute_network"],
    title: "Every environment's project has a billing budget",
    rationale: "Without a budget, spending that runs away (a scaled-out pool, a forgotten test) shows only on the invoice.",
    docs: docs.google("billing_budget"),
    fix: "Compose the observability module, which builds google_billing_budget for the project from the environment's budget settings.",
    check: (_network, stack) => (stack.ofType("google_billing_budget").length > 0 ? undefined : "the stack has no google_billing_budget"),
  }),
  rule({
    id: "SIROS-GCP-BUDGET-2",
    level: "error",
    pack: "baseline",
    cloud: "gcp",
    resourceTypes: ["google_billing_budget"],
    title: "Budgets notify channels on current and on forecast spend",
    rationale: "Current-spend rules say the money is gone; only a forecast rule warns while there is still time to act, and without channels only billing admins hear of either.",
    docs: docs.google("billing_budget"),
    fix: "Add threshold_rules with spend_basis CURRENT_SPEND and FORECASTED_SPEND, and all_updates_rule.monitoring_notification_channels.",
    check: (budget) => {
      const bases = new Set(nested(budget.values, "threshold_rules").map((r) => r.spend_basis ?? "CURRENT_SPEND"));
      const problems = ["CURRENT_SPEND", "FORECASTED_SPEND"].filter((basis) => !bases.has(basis)).map((basis) => `no threshold rule on ${basis}`);
      if (!isSet(first(budget.values, "all_updates_rule")?.monitoring_notification_channels)) problems.push("all_updates_rule.monitoring_notification_channels is empty");
      return problems;
    },
  }),
];
