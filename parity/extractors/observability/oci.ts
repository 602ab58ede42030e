/**
 * Oracle Cloud observability profile: the alerts topic and its subscriptions, the workload
 * log's retention, the alarms (OCI tells a destination on recovery by itself), the monthly
 * budget. An ONS topic takes no key (a declared gap).
 */
import type { StackIndex } from "../../../policy/terraform-json";
import type { Profile } from "../../model";
import { agreed, observe } from "../shared";
import { alarmObservations, amountOf, targetList } from "./shared";

export function ociObservability(stack: StackIndex): Profile {
  const topic = stack.ofType("oci_ons_notification_topic").find((t) => String(t.values.name ?? "").endsWith("-alerts"));
  const subscriptions = topic ? stack.referencing(topic, "oci_ons_subscription", "topic_id") : [];
  const emails = subscriptions.filter((s) => s.values.protocol === "EMAIL");
  const webhooks = subscriptions.filter((s) => s.values.protocol === "HTTPS" || s.values.protocol === "CUSTOM_HTTPS");
  const group = stack.ofType("oci_logging_log_group").find((g) => String(g.values.display_name ?? "").endsWith("-observability"));
  const logs = group ? stack.referencing(group, "oci_logging_log", "log_group_id") : [];
  // Absence alarms (`-absent`) back the contract alarms; they are not alarms of their own.
  const alarms = stack.ofType("oci_monitoring_alarm").filter((a) => !String(a.values.display_name ?? "").endsWith("-absent"));
  const budget = stack.ofType("oci_budget_budget").find((b) => b.values.reset_period === "MONTHLY");
  // OCI sends FIRING_TO_OK to an enabled alarm's destinations when it clears.
  const resolves = alarms.every((a) => a.values.is_enabled === true && Array.isArray(a.values.destinations) && a.values.destinations.length > 0);
  return {
    notificationTargets: observe(topic ? targetList(emails.length > 0, webhooks.length > 0) : null, [topic, ...subscriptions]),
    emailRecipients: observe(topic ? new Set(emails.map((e) => e.values.endpoint)).size : null, emails),
    // ONS has no key argument (OBSERVABILITY_GAPS.ociTopicEncryption).
    notificationsEncrypted: observe(topic ? false : null, [topic]),
    logRetentionDays: observe(agreed(logs.map((l) => (typeof l.values.retention_duration === "number" ? l.values.retention_duration : null))), logs),
    recoveryNotifications: observe(alarms.length ? resolves : null, alarms),
    budget: observe(budget ? amountOf(budget.values.amount) : null, [budget]),
    ...alarmObservations(alarms, (a) => a.values.display_name),
  };
}
