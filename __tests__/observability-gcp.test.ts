import { BillingBudget } from "@cdktf/provider-google/lib/billing-budget";
import { LoggingProjectBucketConfig } from "@cdktf/provider-google/lib/logging-project-bucket-config";
import { TerraformResource } from "cdktf";
import type { EnvironmentConfig } from "../environments/types";
import { ALARM_IDS, ALARMS, type ObservabilityProps } from "../modules/observability/contract";
import { OBSERVABILITY_GAPS, hasAlarmGap } from "../modules/observability/gaps";
import { CLOUD_SQL_MAX_CONNECTIONS, GcpObservability, ROUTED_RESOURCES } from "../modules/observability/gcp";
import { synthModule } from "./support/module-stack";
import { observabilityPropsOf, observedFixture } from "./support/observability";
import { environments, resources } from "./support/synth";

const LOG_COUNTED: readonly string[] = ["edge-unhealthy-backends", "cluster-nodes-not-ready"];
const KEY = "projects/siros-prod/locations/europe-west1/keyRings/siros-prod/cryptoKeys/siros-prod";
const BILLING = "012345-6789AB-CDEF01";

function build(env: EnvironmentConfig, change: (props: ObservabilityProps) => ObservabilityProps = (p) => p) {
  const observed = observedFixture(env, {
    database: [{ database_id: `${env.gcp.project}:siros-${env.name}-pg` }],
    edge: [{ backend_target_name: `siros-${env.name}-edge` }],
    cluster: [{ cluster_name: `siros-${env.name}-k8s`, node_pool_name: "workload" }],
    network: [{ gateway_name: `siros-${env.name}-nat`, region: env.gcp.region }],
  });
  return synthModule((scope) => {
    const grant = new TerraformResource(scope, "logging-key-grant", { terraformResourceType: "null_resource" });
    new GcpObservability(scope, "observability", {
      ...change({ ...observabilityPropsOf(env, observed), region: env.gcp.region }),
      project: env.gcp.project,
      keyId: KEY,
      loggingMayUseKey: grant,
      billingAccount: BILLING,
    });
  });
}

type Tf = ReturnType<typeof build>["tf"];
const policiesOf = (tf: Tf) => Object.fromEntries(resources(tf, "google_monitoring_alert_policy").map((p) => [p.display_name as string, p]));
const channelRefs = (tf: Tf) => Object.keys(tf.resource.google_monitoring_notification_channel).map((key) => `\${google_monitoring_notification_channel.${key}.id}`);
const emailChannelRefs = (tf: Tf) =>
  Object.entries(tf.resource.google_monitoring_notification_channel)
    .filter(([, channel]) => channel.type === "email")
    .map(([key]) => `\${google_monitoring_notification_channel.${key}.id}`);
const condition = (tf: Tf, name: string) => policiesOf(tf)[name].conditions[0].condition_threshold;

describe("Google Cloud observability", () => {
  const prod = build(environments.prod);
  const dev = build(environments.dev);
  const dr = build(environments.dr);

  test("prod has an e-mail channel per address and the on-call webhook, whose URL is a sensitive variable", () => {
    const channels = resources(prod.tf, "google_monitoring_notification_channel").map(({ type, labels }) => ({ type, labels }));
    expect(channels).toEqual([
      { type: "email", labels: { email_address: "platform-team@example.com" } },
      { type: "email", labels: { email_address: "oncall@example.com" } },
      { type: "webhook_tokenauth", labels: { url: "${var.oncall_webhook_url}" } },
    ]);
    expect(prod.tf.variable?.oncall_webhook_url).toMatchObject({ sensitive: true });
  });

  test("dev tells the team only", () => {
    expect(resources(dev.tf, "google_monitoring_notification_channel").map(({ type, labels }) => ({ type, labels }))).toEqual([
      { type: "email", labels: { email_address: "platform-team@example.com" } },
    ]);
    expect(dev.tf.variable?.oncall_webhook_url).toBeUndefined();
  });

  test("every alarm is an alert policy notifying every channel on open and on close, or a declared gap", () => {
    const policies = policiesOf(dr.tf);
    const built = ALARM_IDS.filter((id) => !(id === "database-replication-lag" && hasAlarmGap("gcp", id)));
    expect(Object.keys(policies).sort()).toEqual(built.map((id) => `siros-dr-${id}`).sort());
    for (const id of built) {
      const policy = policies[`siros-dr-${id}`];
      expect(policy.notification_channels).toEqual(channelRefs(dr.tf));
      expect(policy.alert_strategy).toEqual({ notification_prompts: ["OPENED", "CLOSED"], auto_close: "604800s" });
      expect(policy.combiner).toBe("OR");
      const threshold = policy.conditions[0].condition_threshold;
      // The log-based counters (declared alternatives) have data only when a failure is logged: silence is health.
      const missing = LOG_COUNTED.includes(id) ? "not-breaching" : ALARMS[id].missingData;
      expect(threshold.evaluation_missing_data).toBe(
        { breaching: "EVALUATION_MISSING_DATA_ACTIVE", "not-breaching": "EVALUATION_MISSING_DATA_INACTIVE", ignore: "EVALUATION_MISSING_DATA_NO_OP" }[missing],
      );
      if (!LOG_COUNTED.includes(id)) expect(threshold.duration).toBe(`${ALARMS[id].periodMinutes * 60 * (ALARMS[id].periods - 1)}s`);
    }
    expect(OBSERVABILITY_GAPS.gcpReplicationLag.alarm).toBe("database-replication-lag");
  });

  test("database conditions read Cloud SQL's metrics in its units: CPU and disk as fractions, backends of the tier's limit", () => {
    const sql = `resource.type = "cloudsql_database" AND resource.labels.database_id = "siros-prod:siros-prod-pg"`;
    expect(condition(prod.tf, "siros-prod-database-cpu-high")).toMatchObject({
      filter: `${sql} AND metric.type = "cloudsql.googleapis.com/database/cpu/utilization"`,
      comparison: "COMPARISON_GT",
      threshold_value: 0.8,
    });
    expect(condition(prod.tf, "siros-prod-database-storage-low")).toMatchObject({
      filter: `${sql} AND metric.type = "cloudsql.googleapis.com/database/disk/utilization"`,
      comparison: "COMPARISON_GT",
      threshold_value: 0.9,
    });
    expect(condition(prod.tf, "siros-prod-database-connections-high").threshold_value).toBe(Math.floor(CLOUD_SQL_MAX_CONNECTIONS.large * 0.8));
    expect(condition(dev.tf, "siros-dev-database-connections-high").threshold_value).toBe(Math.floor(CLOUD_SQL_MAX_CONNECTIONS.small * 0.9));
    expect(condition(dev.tf, "siros-dev-database-cpu-high").threshold_value).toBe(0.9);
  });

  test("the 5xx rate is a ratio of the backend's 5xx requests to all its requests", () => {
    const lb = `resource.type = "https_lb_rule" AND resource.labels.backend_target_name = "siros-prod-edge" AND metric.type = "loadbalancing.googleapis.com/https/request_count"`;
    expect(condition(prod.tf, "siros-prod-edge-5xx-rate")).toMatchObject({
      filter: `${lb} AND metric.labels.response_code_class = 500`,
      denominator_filter: lb,
      threshold_value: 0.05,
    });
  });

  test("unhealthy backends and NotReady nodes are counted from the logs (declared alternatives)", () => {
    const metrics = Object.fromEntries(resources(prod.tf, "google_logging_metric").map((m) => [m.name as string, m]));
    expect(Object.keys(metrics).sort()).toEqual(["siros-prod-cluster-nodes-not-ready", "siros-prod-edge-unhealthy-backends"]);
    expect(metrics["siros-prod-edge-unhealthy-backends"].filter).toBe(
      `logName = "projects/siros-prod/logs/compute.googleapis.com%2Fhealthchecks" AND jsonPayload.healthCheckProbeResult.healthState = "UNHEALTHY"`,
    );
    expect(metrics["siros-prod-cluster-nodes-not-ready"].filter).toBe(`resource.type = "k8s_node" AND resource.labels.cluster_name = "siros-prod-k8s" AND jsonPayload.reason = "NodeNotReady"`);
    expect(condition(prod.tf, "siros-prod-edge-unhealthy-backends")).toMatchObject({ threshold_value: 0, comparison: "COMPARISON_GT" });
    expect([OBSERVABILITY_GAPS.gcpUnhealthyBackends.alarm, OBSERVABILITY_GAPS.gcpNodesNotReady.alarm]).toEqual(["edge-unhealthy-backends", "cluster-nodes-not-ready"]);
  });

  test("fails if a log-based counter needs a new failure line in every period to fire (health checks and NodeNotReady log transitions only)", () => {
    for (const id of LOG_COUNTED) {
      const { periodMinutes, periods } = ALARMS[id as keyof typeof ALARMS];
      expect(condition(prod.tf, `siros-prod-${id}`)).toMatchObject({
        duration: "0s",
        aggregations: [{ alignment_period: `${periodMinutes * periods * 60}s`, per_series_aligner: "ALIGN_DELTA", cross_series_reducer: "REDUCE_SUM" }],
      });
    }
  });

  test("fails if a policy's documentation tells a missing-data treatment its condition does not apply", () => {
    const said = { "EVALUATION_MISSING_DATA_ACTIVE": "breaching", "EVALUATION_MISSING_DATA_INACTIVE": "not-breaching", "EVALUATION_MISSING_DATA_NO_OP": "ignore" } as Record<string, string>;
    for (const policy of Object.values(policiesOf(dr.tf))) {
      const treatment = said[policy.conditions[0].condition_threshold.evaluation_missing_data];
      expect({ policy: policy.display_name, said: policy.documentation.content.match(/Missing data: ([a-z-]+),/)?.[1] }).toEqual({ policy: policy.display_name, said: treatment });
    }
  });

  test("the pool alarm counts the workload pool's nodes against its ceiling; NAT counts dropped packets", () => {
    expect(condition(prod.tf, "siros-prod-cluster-pool-at-max")).toMatchObject({
      threshold_value: Math.ceil(30 * 0.9) - 1,
      aggregations: [{ alignment_period: "900s", per_series_aligner: "ALIGN_MEAN", cross_series_reducer: "REDUCE_COUNT", group_by_fields: ["resource.label.cluster_name"] }],
    });
    expect(condition(prod.tf, "siros-prod-cluster-pool-at-max").filter).toContain(`metadata.user_labels."cloud.google.com/gke-nodepool" = "workload"`);
    expect(condition(dev.tf, "siros-dev-cluster-pool-at-max").threshold_value).toBe(3 - 1);
    expect(condition(prod.tf, "siros-prod-nat-errors")).toMatchObject({
      filter: `resource.type = "nat_gateway" AND resource.labels.gateway_name = "siros-prod-nat" AND metric.type = "router.googleapis.com/nat/dropped_sent_packets_count"`,
      threshold_value: 0,
    });
  });

  test("the log bucket is regional, encrypted with the environment's key after Logging may use it, and kept as the environment says", () => {
    expect(prod.json).toHaveResourceWithProperties(LoggingProjectBucketConfig, {
      project: "siros-prod",
      location: "europe-west1",
      bucket_id: "siros-prod-logs",
      retention_days: 180,
      cmek_settings: { kms_key_name: KEY },
    });
    const bucket = resources(prod.tf, "google_logging_project_bucket_config")[0];
    expect(bucket.depends_on).toContain(`null_resource.${Object.keys(prod.tf.resource.null_resource)[0]}`);
    expect(resources(dev.tf, "google_logging_project_bucket_config")[0].retention_days).toBe(30);
    const sink = resources(prod.tf, "google_logging_project_sink")[0];
    expect(sink.destination).toBe(`logging.googleapis.com/\${google_logging_project_bucket_config.${Object.keys(prod.tf.resource.google_logging_project_bucket_config)[0]}.id}`);
    expect(sink.filter).toBe(`resource.type=(${ROUTED_RESOURCES.map((t) => `"${t}"`).join(" OR ")})`);
  });

  test("the project's monthly budget is on the billing account, in the environment's currency, with a rule per threshold", () => {
    expect(prod.json).toHaveResourceWithProperties(BillingBudget, {
      billing_account: BILLING,
      display_name: "siros-prod-monthly",
      amount: { specified_amount: { currency_code: "USD", units: "10000", nanos: 0 } },
    });
    const budget = resources(prod.tf, "google_billing_budget")[0];
    expect(budget.budget_filter).toEqual({ projects: [expect.stringMatching(/^projects\/\$\{data\.google_project\..+\.number\}$/)], calendar_period: "MONTH", credit_types_treatment: "INCLUDE_ALL_CREDITS" });
    expect(budget.threshold_rules).toEqual([
      { threshold_percent: 0.5, spend_basis: "CURRENT_SPEND" },
      { threshold_percent: 0.8, spend_basis: "CURRENT_SPEND" },
      { threshold_percent: 1, spend_basis: "CURRENT_SPEND" },
      { threshold_percent: 1, spend_basis: "FORECASTED_SPEND" },
    ]);
    expect(budget.all_updates_rule).toEqual({ monitoring_notification_channels: emailChannelRefs(prod.tf), disable_default_iam_recipients: false });
    expect(resources(dev.tf, "google_billing_budget")[0].amount.specified_amount.units).toBe("500");
  });

  test("fails if the budget notifies a channel that is not e-mail (the budgets API takes e-mail channels only)", () => {
    const budget = resources(prod.tf, "google_billing_budget")[0];
    const types = Object.fromEntries(Object.entries(prod.tf.resource.google_monitoring_notification_channel).map(([key, channel]) => [`\${google_monitoring_notification_channel.${key}.id}`, channel.type]));
    expect(budget.all_updates_rule.monitoring_notification_channels.map((ref: string) => types[ref])).toEqual(["email", "email"]);
  });

  test("five e-mail addresses and the on-call webhook are accepted: the webhook is not a budget channel", () => {
    const emails = ["a@example.com", "b@example.com", "c@example.com", "d@example.com", "e@example.com"];
    const { tf } = build(environments.prod, (p) => ({ ...p, notifications: { emails, onCallWebhook: true } }));
    expect(resources(tf, "google_billing_budget")[0].all_updates_rule.monitoring_notification_channels).toEqual(emailChannelRefs(tf));
    expect(emailChannelRefs(tf)).toHaveLength(5);
  });

  test("fails if there are more e-mail addresses than a budget can notify", () => {
    const emails = ["a@example.com", "b@example.com", "c@example.com", "d@example.com", "e@example.com", "f@example.com"];
    expect(() => build(environments.prod, (p) => ({ ...p, notifications: { emails, onCallWebhook: true } }))).toThrow(
      "observability (gcp): 6 e-mail addresses are too many; a Google billing budget notifies at most 5 e-mail channels, so list at most 5 addresses (a group address counts as one)",
    );
  });

  test("fails if the network module exposes no metric scope", () => {
    expect(() => build(environments.prod, (p) => ({ ...p, observed: { ...p.observed, network: { ...p.observed.network, metricScopes: undefined } } }))).toThrow(
      "observability (gcp): the network module exposes no metricScopes; its Google implementation must set them",
    );
  });
});
