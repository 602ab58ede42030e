/** The Azure and OCI observability extractors on small hand-written stacks: the whole profile, and what breaks it. */
import { ALARM_IDS } from "../../modules/observability/contract";
import { azureObservability } from "../../parity/extractors/observability/azure";
import { ociObservability } from "../../parity/extractors/observability/oci";
import type { Profile } from "../../parity/model";
import { index } from "./support";

const values = (profile: Profile) => Object.fromEntries(Object.entries(profile).map(([k, o]) => [k, o.value]));
const noAlarms = Object.fromEntries(ALARM_IDS.map((id) => [`alarm.${id}`, null]));
const GROUP = "${azurerm_monitor_action_group.alerts.id}";

const azure = (autoMitigate: boolean, webhook = true) => ({
  azurerm_monitor_action_group: {
    alerts: {
      name: "siros-prod-alerts",
      email_receiver: [
        { name: "email-1", email_address: "team@example.com" },
        { name: "email-2", email_address: "oncall@example.com" },
      ],
      ...(webhook ? { webhook_receiver: [{ name: "on-call", service_uri: "${var.oncall_webhook_url}" }] } : {}),
    },
  },
  azurerm_log_analytics_workspace: { logs: { name: "siros-prod-logs", retention_in_days: 180 }, edge: { name: "siros-prod-edge", retention_in_days: 90 } },
  azurerm_monitor_metric_alert: {
    cpu: { name: "siros-prod-database-cpu-high", auto_mitigate: autoMitigate, action: [{ action_group_id: GROUP }] },
    nat2: { name: "siros-prod-nat-errors-2", action: [{ action_group_id: GROUP }] },
  },
  azurerm_monitor_scheduled_query_rules_alert_v2: { errors: { name: "siros-prod-edge-5xx-rate", auto_mitigation_enabled: true, action: { action_groups: [GROUP] } } },
  azurerm_consumption_budget_subscription: { budget: { name: "siros-prod-monthly", amount: 10000, time_grain: "Monthly" } },
});

describe("Azure observability extractor", () => {
  test("reads the action group's receivers, the observability workspace's retention, auto-mitigation, the budget and each alarm", () => {
    const profile = azureObservability(index(azure(true)));
    expect(values(profile)).toEqual({
      ...noAlarms,
      notificationTargets: "email, webhook",
      emailRecipients: 2,
      notificationsEncrypted: false,
      logRetentionDays: 180,
      recoveryNotifications: true,
      budget: 10000,
      "alarm.database-cpu-high": true,
      "alarm.edge-5xx-rate": true,
      "alarm.nat-errors": true,
    });
    expect(profile.logRetentionDays.addresses).toEqual(["azurerm_log_analytics_workspace.logs"]);
  });

  test("sees an alert that never resolves, no webhook, and a stack without the module", () => {
    expect(values(azureObservability(index(azure(false, false))))).toMatchObject({ recoveryNotifications: false, notificationTargets: "email" });
    expect(values(azureObservability(index({})))).toEqual({ ...noAlarms, notificationTargets: null, emailRecipients: null, notificationsEncrypted: null, logRetentionDays: null, recoveryNotifications: null, budget: null });
  });
});

const TOPIC = "${oci_ons_notification_topic.alerts.id}";
const oci = (enabled: boolean) => ({
  oci_ons_notification_topic: { alerts: { name: "siros-prod-alerts", compartment_id: "c" } },
  oci_ons_subscription: {
    team: { topic_id: TOPIC, protocol: "EMAIL", endpoint: "team@example.com" },
    oncall: { topic_id: TOPIC, protocol: "EMAIL", endpoint: "oncall@example.com" },
    webhook: { topic_id: TOPIC, protocol: "HTTPS", endpoint: "${var.oncall_webhook_url}" },
  },
  oci_logging_log_group: { observability: { display_name: "siros-prod-observability" }, flow: { display_name: "siros-prod-flow-logs" } },
  oci_logging_log: {
    workloads: { log_group_id: "${oci_logging_log_group.observability.id}", log_type: "CUSTOM", retention_duration: 180 },
    flow: { log_group_id: "${oci_logging_log_group.flow.id}", log_type: "SERVICE", retention_duration: 90 },
  },
  oci_monitoring_alarm: {
    cpu: { display_name: "siros-prod-database-cpu-high", is_enabled: enabled, destinations: [TOPIC] },
    storage: { display_name: "siros-prod-database-storage-low", is_enabled: true, destinations: [TOPIC] },
    storageAbsent: { display_name: "siros-prod-database-storage-low-absent", is_enabled: true, destinations: [TOPIC] },
  },
  oci_budget_budget: { budget: { amount: 10000, reset_period: "MONTHLY", targets: ["c"] } },
});

describe("OCI observability extractor", () => {
  test("reads the topic's subscriptions, the workload log's retention, the alarms' destinations, the budget and each alarm", () => {
    const profile = ociObservability(index(oci(true)));
    expect(values(profile)).toEqual({
      ...noAlarms,
      notificationTargets: "email, webhook",
      emailRecipients: 2,
      notificationsEncrypted: false,
      logRetentionDays: 180,
      recoveryNotifications: true,
      budget: 10000,
      "alarm.database-cpu-high": true,
      "alarm.database-storage-low": true,
    });
    expect(profile.logRetentionDays.addresses).toEqual(["oci_logging_log.workloads"]);
  });

  test("sees a disabled alarm (no notice on recovery) and a stack without the module", () => {
    expect(values(ociObservability(index(oci(false))))).toMatchObject({ recoveryNotifications: false });
    expect(values(ociObservability(index({})))).toEqual({ ...noAlarms, notificationTargets: null, emailRecipients: null, notificationsEncrypted: null, logRetentionDays: null, recoveryNotifications: null, budget: null });
  });
});
