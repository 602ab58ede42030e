/**
 * IBM Cloud observability profile: the Event Notifications topic and its subscriptions, the
 * instance's key integration, Cloud Logs' archive retention, the log alerts' recovery
 * notices. No metric alarm and no budget resource exist at IBM-Cloud/ibm 2.5.0: those
 * properties read null (declared gaps in modules/observability/gaps.ts).
 */
import { ALARM_IDS } from "../../../modules/observability/contract";
import type { Block, StackIndex } from "../../../policy/terraform-json";
import type { Observation, Profile } from "../../model";
import { observe } from "../shared";
import { targetList } from "./shared";

const first = (value: unknown): Record<string, any> | undefined => (Array.isArray(value) ? value[0] : (value as Record<string, any> | undefined));

export function ibmObservability(stack: StackIndex): Profile {
  const topic = stack.ofType("ibm_en_topic")[0];
  const emails = topic ? stack.referencing(topic, "ibm_en_subscription_email", "topic_id") : [];
  const webhooks = topic ? stack.referencing(topic, "ibm_en_subscription_webhook", "topic_id") : [];
  const instance = topic ? stack.referencedBy(topic, "instance_guid", "ibm_resource_instance") : undefined;
  const integration = instance ? stack.referencing(instance, "ibm_en_integration", "instance_guid").find((i) => i.values.type === "kms") : undefined;
  const recipients = emails.flatMap((e) => (first(e.values.attributes)?.invited as string[] | undefined) ?? []);
  const logs = stack.ofType("ibm_resource_instance").find((i) => i.values.service === "logs");
  const archive = logs ? archiveOf(stack, logs) : undefined;
  const alerts = stack.ofType("ibm_logs_alert");
  return {
    notificationTargets: observe(topic ? targetList(emails.length > 0, webhooks.length > 0) : null, [topic, ...emails, ...webhooks]),
    emailRecipients: observe(topic ? new Set(recipients).size : null, emails),
    notificationsEncrypted: observe(topic ? Boolean(integration && first(integration.values.metadata)?.root_key_id) : null, [instance, integration]),
    logRetentionDays: observe(archive?.days ?? null, [logs, archive?.rule]),
    recoveryNotifications: observe(alerts.length ? alerts.every((a) => first(a.values.incident_settings)?.notify_on === "triggered_and_resolved") : null, alerts),
    // Neither a budget nor a metric alarm resource exists in the provider (gaps.ts); the log
    // alerts named after alarms are their declared alternatives, not the alarms.
    budget: observe(null),
    ...Object.fromEntries(ALARM_IDS.map((id): [string, Observation] => [`alarm.${id}`, observe(null)])),
  };
}

/** The expiry of the Cloud Logs data bucket (parameters.logs_bucket_crn): how long logs stay searchable. */
function archiveOf(stack: StackIndex, logs: Block): { days: number | null; rule: Block | undefined } | undefined {
  const bucket = stack.referencedBy(logs, "parameters.logs_bucket_crn", "ibm_cos_bucket");
  if (!bucket) return undefined;
  const rule = stack.referencing(bucket, "ibm_cos_bucket_lifecycle_configuration", "bucket_crn")[0];
  const days = first(first(rule?.values.lifecycle_rule)?.expiration)?.days;
  return { days: typeof days === "number" ? days : null, rule };
}
