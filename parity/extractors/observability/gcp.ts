/**
 * Google Cloud observability profile: the notification channels, the log bucket's retention,
 * the alert policies' CLOSED prompts, the project's billing budget. Notification channels
 * hold no customer-managed key (a declared gap).
 */
import type { StackIndex } from "../../../policy/terraform-json";
import type { Profile } from "../../model";
import { observe } from "../shared";
import { alarmObservations, amountOf, targetList } from "./shared";

const first = (value: unknown): Record<string, any> | undefined => (Array.isArray(value) ? value[0] : (value as Record<string, any> | undefined));

export function gcpObservability(stack: StackIndex): Profile {
  const channels = stack.ofType("google_monitoring_notification_channel");
  const emails = channels.filter((c) => c.values.type === "email");
  const webhooks = channels.filter((c) => String(c.values.type ?? "").startsWith("webhook"));
  // The bucket the platform's log sink routes into (the network's flow-log bucket is another).
  const sink = stack.ofType("google_logging_project_sink").find((s) => String(s.values.name ?? "").endsWith("-platform-logs"));
  const bucket = sink ? stack.referencedBy(sink, "destination", "google_logging_project_bucket_config") : undefined;
  const policies = stack.ofType("google_monitoring_alert_policy");
  const budget = stack.ofType("google_billing_budget")[0];
  const prompts = (values: Record<string, unknown>) => (first(values.alert_strategy)?.notification_prompts as unknown[] | undefined) ?? [];
  return {
    notificationTargets: observe(channels.length ? targetList(emails.length > 0, webhooks.length > 0) : null, channels),
    emailRecipients: observe(channels.length ? new Set(emails.map((e) => first(e.values.labels)?.email_address)).size : null, emails),
    // Cloud Monitoring keeps channels with Google's own encryption; they take no key.
    notificationsEncrypted: observe(channels.length ? false : null, channels),
    logRetentionDays: observe(typeof bucket?.values.retention_days === "number" ? bucket.values.retention_days : null, [bucket]),
    recoveryNotifications: observe(policies.length ? policies.every((p) => prompts(p.values).includes("CLOSED")) : null, policies),
    budget: observe(budget ? amountOf(first(first(budget.values.amount)?.specified_amount)?.units) : null, [budget]),
    ...alarmObservations(policies, (p) => p.values.display_name),
  };
}
