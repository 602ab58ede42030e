/** The IBM Cloud observability extractor on a small hand-written stack: the whole profile, and what breaks it. */
import { ALARM_IDS } from "../../modules/observability/contract";
import { ibmObservability } from "../../parity/extractors/observability/ibm";
import type { Profile } from "../../parity/model";
import { index } from "./support";

const values = (profile: Profile) => Object.fromEntries(Object.entries(profile).map(([k, o]) => [k, o.value]));
const NO_ALARMS = Object.fromEntries(ALARM_IDS.map((id) => [`alarm.${id}`, null]));

/** Event Notifications, Cloud Logs and its archive as the module writes them (prod: e-mail and on-call). */
function stack(): Record<string, Record<string, Record<string, unknown>>> {
  return {
    ibm_resource_instance: {
      en: { service: "event-notifications", plan: "standard" },
      logs: { service: "logs", parameters: { retention_period: "90", logs_bucket_crn: "${ibm_cos_bucket.logs.crn}" } },
    },
    ibm_en_integration: { key: { instance_guid: "${ibm_resource_instance.en.guid}", type: "kms", metadata: { root_key_id: "key-id", crn: "crn:kms" } } },
    ibm_en_topic: { topic: { instance_guid: "${ibm_resource_instance.en.guid}", name: "siros-prod-alerts" } },
    ibm_en_subscription_email: { email: { topic_id: "${ibm_en_topic.topic.topic_id}", attributes: { invited: ["team@example.com", "oncall@example.com"] } } },
    ibm_en_subscription_webhook: { pager: { topic_id: "${ibm_en_topic.topic.topic_id}", attributes: { signing_enabled: true } } },
    ibm_cos_bucket: { logs: { bucket_name: "logs" } },
    ibm_cos_bucket_lifecycle_configuration: { expiry: { bucket_crn: "${ibm_cos_bucket.logs.crn}", lifecycle_rule: [{ expiration: { days: 180 } }] } },
    ibm_logs_alert: { storage: { incident_settings: { notify_on: "triggered_and_resolved" } } },
  };
}

describe("IBM Cloud observability extractor", () => {
  test("reads the targets, the recipients, the key integration, the archive's retention and recovery notices; no budget, no metric alarm", () => {
    const profile = ibmObservability(index(stack()));
    expect(values(profile)).toEqual({
      notificationTargets: "email, webhook",
      emailRecipients: 2,
      notificationsEncrypted: true,
      logRetentionDays: 180,
      recoveryNotifications: true,
      budget: null,
      ...NO_ALARMS,
    });
    expect(profile.notificationsEncrypted.addresses).toEqual(["ibm_resource_instance.en", "ibm_en_integration.key"]);
    expect(profile.logRetentionDays.addresses).toEqual(["ibm_resource_instance.logs", "ibm_cos_bucket_lifecycle_configuration.expiry"]);
  });

  test("sees e-mail only, an unencrypted instance, alerts silent on recovery, and no observability at all", () => {
    const tf = stack();
    delete tf.ibm_en_subscription_webhook;
    delete tf.ibm_en_integration;
    tf.ibm_logs_alert.storage = { incident_settings: { notify_on: "triggered_only" } };
    expect(values(ibmObservability(index(tf)))).toMatchObject({ notificationTargets: "email", notificationsEncrypted: false, recoveryNotifications: false });
    expect(values(ibmObservability(index({})))).toEqual({
      notificationTargets: null,
      emailRecipients: null,
      notificationsEncrypted: null,
      logRetentionDays: null,
      recoveryNotifications: null,
      budget: null,
      ...NO_ALARMS,
    });
  });
});
