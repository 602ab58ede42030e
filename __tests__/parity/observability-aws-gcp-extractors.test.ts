/** The AWS and Google Cloud observability extractors on small hand-written stacks: the whole profile, and what breaks it. */
import { ALARM_IDS } from "../../modules/observability/contract";
import { awsObservability } from "../../parity/extractors/observability/aws";
import { gcpObservability } from "../../parity/extractors/observability/gcp";
import type { Profile } from "../../parity/model";
import { index } from "./support";

const values = (profile: Profile) => Object.fromEntries(Object.entries(profile).map(([k, o]) => [k, o.value]));
const noAlarms = Object.fromEntries(ALARM_IDS.map((id) => [`alarm.${id}`, null]));
const TOPIC = "${aws_sns_topic.topic.arn}";

const aws = (okActions: string[]) => ({
  aws_sns_topic: { topic: { name: "siros-prod-alerts", kms_master_key_id: "arn:aws:kms:eu-west-1:111111111111:key/x" } },
  aws_sns_topic_subscription: {
    team: { topic_arn: TOPIC, protocol: "email", endpoint: "team@example.com" },
    oncall: { topic_arn: TOPIC, protocol: "email", endpoint: "oncall@example.com" },
    webhook: { topic_arn: TOPIC, protocol: "https", endpoint: "${var.oncall_webhook_url}" },
  },
  aws_cloudwatch_log_group: {
    app: { name: "/aws/containerinsights/siros-prod-k8s/application", retention_in_days: 180 },
    flow: { name: "/siros-prod/flow-logs", retention_in_days: 90 },
  },
  aws_cloudwatch_metric_alarm: { cpu: { alarm_name: "siros-prod-database-cpu-high", alarm_actions: [TOPIC], ok_actions: okActions } },
  aws_budgets_budget: { budget: { time_unit: "MONTHLY", limit_amount: "10000.00" } },
});

describe("AWS observability extractor", () => {
  test("reads the topic's targets, recipients and key, Container Insights' retention, recovery actions, the budget and each alarm", () => {
    const profile = awsObservability(index(aws([TOPIC])));
    expect(values(profile)).toEqual({
      ...noAlarms,
      notificationTargets: "email, webhook",
      emailRecipients: 2,
      notificationsEncrypted: true,
      logRetentionDays: 180,
      recoveryNotifications: true,
      budget: 10000,
      "alarm.database-cpu-high": true,
    });
    expect(profile.logRetentionDays.addresses).toEqual(["aws_cloudwatch_log_group.app"]);
  });

  test("sees an alarm without OK actions, an unencrypted topic, and no observability at all", () => {
    const stack = aws([]);
    const bare = { ...stack, aws_sns_topic: { topic: { name: "siros-prod-alerts" } } };
    expect(values(awsObservability(index(bare)))).toMatchObject({ recoveryNotifications: false, notificationsEncrypted: false });
    expect(values(awsObservability(index({})))).toEqual({ ...noAlarms, notificationTargets: null, emailRecipients: null, notificationsEncrypted: null, logRetentionDays: null, recoveryNotifications: null, budget: null });
  });
});

const gcp = (prompts: string[]) => ({
  google_monitoring_notification_channel: {
    team: { type: "email", labels: { email_address: "team@example.com" } },
    oncall: { type: "webhook_tokenauth", labels: { url: "${var.oncall_webhook_url}" } },
  },
  google_logging_project_bucket_config: {
    logs: { bucket_id: "siros-prod-logs", retention_days: 180 },
    flow: { bucket_id: "siros-prod-vpc-flow-logs", retention_days: 90 },
  },
  google_logging_project_sink: { platform: { name: "siros-prod-platform-logs", destination: "logging.googleapis.com/${google_logging_project_bucket_config.logs.id}" } },
  google_monitoring_alert_policy: { nat: { display_name: "siros-prod-nat-errors", alert_strategy: { notification_prompts: prompts } } },
  google_billing_budget: { budget: { amount: { specified_amount: { currency_code: "USD", units: "10000" } } } },
});

describe("Google Cloud observability extractor", () => {
  test("reads the channels, the log bucket's retention, CLOSED prompts, the budget and each alert policy", () => {
    expect(values(gcpObservability(index(gcp(["OPENED", "CLOSED"]))))).toEqual({
      ...noAlarms,
      notificationTargets: "email, webhook",
      emailRecipients: 1,
      notificationsEncrypted: false,
      logRetentionDays: 180,
      recoveryNotifications: true,
      budget: 10000,
      "alarm.nat-errors": true,
    });
  });

  test("sees policies that do not notify on close, and no observability at all", () => {
    expect(values(gcpObservability(index(gcp(["OPENED"]))))).toMatchObject({ recoveryNotifications: false });
    expect(values(gcpObservability(index({})))).toMatchObject({ notificationTargets: null, budget: null, logRetentionDays: null, "alarm.nat-errors": null });
  });
});
