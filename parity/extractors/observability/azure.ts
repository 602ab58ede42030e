/**
 * Azure observability profile: the alerts action group and its receivers, the observability
 * workspace's retention, the alerts' auto-mitigation (the resolved notice), the monthly
 * subscription budget. An action group takes no key (a declared gap).
 */
import type { StackIndex } from "../../../policy/terraform-json";
import type { Profile } from "../../model";
import { observe } from "../shared";
import { alarmObservations, amountOf, targetList } from "./shared";

const list = (value: unknown): Record<string, unknown>[] => (Array.isArray(value) ? value : value ? [value as Record<string, unknown>] : []);

export function azureObservability(stack: StackIndex): Profile {
  const group = stack.ofType("azurerm_monitor_action_group").find((g) => String(g.values.name ?? "").endsWith("-alerts"));
  const emails = list(group?.values.email_receiver);
  const webhooks = list(group?.values.webhook_receiver);
  const workspace = stack.ofType("azurerm_log_analytics_workspace").find((w) => String(w.values.name ?? "").endsWith("-logs"));
  const metricAlerts = stack.ofType("azurerm_monitor_metric_alert");
  const queryAlerts = stack.ofType("azurerm_monitor_scheduled_query_rules_alert_v2");
  const alerts = [...metricAlerts, ...queryAlerts];
  const budget = stack.ofType("azurerm_consumption_budget_subscription").find((b) => (b.values.time_grain ?? "Monthly") === "Monthly");
  // auto_mitigate defaults to true on metric alerts; query rules default to false.
  const resolves = metricAlerts.every((a) => a.values.auto_mitigate !== false) && queryAlerts.every((a) => a.values.auto_mitigation_enabled === true);
  return {
    notificationTargets: observe(group ? targetList(emails.length > 0, webhooks.length > 0) : null, [group]),
    emailRecipients: observe(group ? new Set(emails.map((e) => e.email_address)).size : null, [group]),
    // An action group stores no messages and has no encryption setting (OBSERVABILITY_GAPS.azureTopicEncryption).
    notificationsEncrypted: observe(group ? false : null, [group]),
    logRetentionDays: observe(typeof workspace?.values.retention_in_days === "number" ? workspace.values.retention_in_days : null, [workspace]),
    recoveryNotifications: observe(alerts.length ? resolves : null, alerts),
    budget: observe(budget ? amountOf(budget.values.amount) : null, [budget]),
    // One alert per NAT gateway where the network has several: `<name>-nat-errors-2` is nat-errors too.
    ...alarmObservations(alerts, (a) => String(a.values.name ?? "").replace(/-\d+$/, "")),
  };
}
