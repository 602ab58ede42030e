import type { Rule } from "../../rule";
import { docs, isSet, nested, rule, strings } from "../helpers";

/** Rules for the observability module: an encrypted alerts topic, alarms that notify both ways, a budget. */
export const OBSERVABILITY_RULES: readonly Rule[] = [
  rule({
    id: "SIROS-AWS-SNS-1",
    checkov: "CKV_AWS_26",
    level: "error",
    pack: "baseline",
    cloud: "aws",
    resourceTypes: ["aws_sns_topic"],
    title: "SNS topics are encrypted with a customer-managed KMS key",
    rationale: "Alarm and budget messages name resources, thresholds and spend; the AWS-managed key's policy cannot be narrowed to the services that publish.",
    docs: docs.aws("sns_topic"),
    fix: "Set kms_master_key_id to the environment's key and let cloudwatch.amazonaws.com and budgets.amazonaws.com use it in its key policy.",
    check: (topic) => {
      const key = topic.values.kms_master_key_id;
      if (!isSet(key)) return "kms_master_key_id is not set";
      return key === "alias/aws/sns" ? "kms_master_key_id is the AWS-managed key alias/aws/sns" : undefined;
    },
  }),
  rule({
    id: "SIROS-AWS-CW-1",
    level: "error",
    pack: "baseline",
    cloud: "aws",
    resourceTypes: ["aws_cloudwatch_metric_alarm"],
    title: "CloudWatch alarms notify on alarm and on recovery",
    rationale: "An alarm without actions changes state unseen; without OK actions nobody learns that the problem is over and whether the fix worked.",
    docs: docs.aws("cloudwatch_metric_alarm"),
    fix: "Set alarm_actions and ok_actions to the environment's alerts topic.",
    check: (alarm) =>
      [!isSet(alarm.values.alarm_actions) ? "alarm_actions is empty" : undefined, !isSet(alarm.values.ok_actions) ? "ok_actions is empty" : undefined].filter(
        (problem): problem is string => problem !== undefined,
      ),
  }),
  rule({
    id: "SIROS-AWS-CW-2",
    level: "warning",
    pack: "baseline",
    cloud: "aws",
    resourceTypes: ["aws_cloudwatch_metric_alarm"],
    title: "CloudWatch alarms say what missing data means",
    rationale: "The default, missing, keeps the alarm in INSUFFICIENT_DATA when a resource stops reporting, which notifies nobody; silence must be a choice per alarm.",
    docs: docs.aws("cloudwatch_metric_alarm"),
    fix: "Set treat_missing_data to breaching, notBreaching or ignore, as the alarm's meaning asks.",
    check: (alarm) => (isSet(alarm.values.treat_missing_data) && alarm.values.treat_missing_data !== "missing" ? undefined : "treat_missing_data is not chosen"),
  }),
  rule({
    id: "SIROS-AWS-BUDGET-1",
    level: "error",
    pack: "baseline",
    cloud: "aws",
    resourceTypes: ["aws_vpc"],
    title: "Every environment's stack has a monthly cost budget",
    rationale: "Without a budget, spending that runs away (a scaled-out pool, a forgotten test) shows only on the invoice.",
    docs: docs.aws("budgets_budget"),
    fix: "Compose the observability module, which builds aws_budgets_budget from the environment's budget settings.",
    check: (_vpc, stack) => (stack.ofType("aws_budgets_budget").some((b) => b.values.time_unit === "MONTHLY") ? undefined : "the stack has no monthly aws_budgets_budget"),
  }),
  rule({
    id: "SIROS-AWS-BUDGET-2",
    level: "error",
    pack: "baseline",
    cloud: "aws",
    resourceTypes: ["aws_budgets_budget"],
    title: "Budgets notify someone on actual and on forecast spend",
    rationale: "Actual-spend notifications say the money is gone; only a forecast notification warns while there is still time to act.",
    docs: docs.aws("budgets_budget"),
    fix: "Add notification blocks of notification_type ACTUAL and FORECASTED, each with subscriber_sns_topic_arns or subscriber_email_addresses.",
    check: (budget) => {
      const notifications = nested(budget.values, "notification");
      const subscribed = notifications.filter((n) => strings(n.subscriber_sns_topic_arns).length + strings(n.subscriber_email_addresses).length > 0);
      const kinds = new Set(subscribed.map((n) => n.notification_type));
      return ["ACTUAL", "FORECASTED"].filter((kind) => !kinds.has(kind)).map((kind) => `no ${kind} notification with a subscriber`);
    },
  }),
];
