/**
 * AWS observability profile: the alerts topic and its subscriptions, its KMS key, the
 * Container Insights log groups' retention, the alarms' OK actions, the monthly budget.
 */
import type { StackIndex } from "../../../policy/terraform-json";
import type { Profile } from "../../model";
import { agreed, observe } from "../shared";
import { alarmObservations, amountOf, targetList } from "./shared";

export function awsObservability(stack: StackIndex): Profile {
  const topic = stack.ofType("aws_sns_topic").find((t) => String(t.values.name ?? "").endsWith("-alerts"));
  const subscriptions = topic ? stack.referencing(topic, "aws_sns_topic_subscription", "topic_arn") : [];
  const emails = subscriptions.filter((s) => s.values.protocol === "email");
  const webhooks = subscriptions.filter((s) => s.values.protocol === "https");
  const logs = stack.ofType("aws_cloudwatch_log_group").filter((g) => String(g.values.name ?? "").startsWith("/aws/containerinsights/"));
  const alarms = stack.ofType("aws_cloudwatch_metric_alarm");
  const budget = stack.ofType("aws_budgets_budget").find((b) => b.values.time_unit === "MONTHLY");
  return {
    notificationTargets: observe(topic ? targetList(emails.length > 0, webhooks.length > 0) : null, [topic, ...subscriptions]),
    emailRecipients: observe(topic ? new Set(emails.map((e) => e.values.endpoint)).size : null, emails),
    notificationsEncrypted: observe(topic ? typeof topic.values.kms_master_key_id === "string" && topic.values.kms_master_key_id !== "alias/aws/sns" : null, [topic]),
    logRetentionDays: observe(agreed(logs.map((g) => (typeof g.values.retention_in_days === "number" ? g.values.retention_in_days : null))), logs),
    recoveryNotifications: observe(alarms.length ? alarms.every((a) => Array.isArray(a.values.ok_actions) && a.values.ok_actions.length > 0) : null, alarms),
    budget: observe(budget ? amountOf(budget.values.limit_amount) : null, [budget]),
    ...alarmObservations(alarms, (a) => a.values.alarm_name),
  };
}
