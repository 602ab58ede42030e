import { BillingBudget } from "@cdktf/provider-google/lib/billing-budget";
import { DataGoogleProject } from "@cdktf/provider-google/lib/data-google-project";
import { LoggingMetric } from "@cdktf/provider-google/lib/logging-metric";
import { LoggingProjectBucketConfig } from "@cdktf/provider-google/lib/logging-project-bucket-config";
import { LoggingProjectSink } from "@cdktf/provider-google/lib/logging-project-sink";
import { MonitoringAlertPolicy, type MonitoringAlertPolicyConditionsConditionThreshold } from "@cdktf/provider-google/lib/monitoring-alert-policy";
import { MonitoringNotificationChannel } from "@cdktf/provider-google/lib/monitoring-notification-channel";
import type { ITerraformDependable, TerraformResource } from "cdktf";
import { Construct } from "constructs";
import type { DatabaseSize } from "../database/contract";
import { enableGcpServices } from "../shared/gcp-services";
import type { MetricScope } from "../shared/monitoring";
import {
  alarmName,
  alarmsFor,
  alertsName,
  firstMetricScope,
  onCallWebhookUrl,
  resolveObservabilityProps,
  type AlarmDefinition,
  type AlarmId,
  type MissingData,
  type Observability,
  type ObservabilityOutputs,
  type ObservabilityProps,
  type ResolvedObservabilityProps,
} from "./contract";
import { hasAlarmGap } from "./gaps";

export interface GcpObservabilityProps extends ObservabilityProps {
  readonly project: string;
  /** The environment's key (Cloud KMS crypto key id) the log bucket is encrypted with; in the bucket's region. */
  readonly keyId: string;
  /** Cloud Logging's service agent may use the key (keys.serviceGrant("logs")): the bucket is created after it. */
  readonly loggingMayUseKey: ITerraformDependable;
  /** The billing account the project's budget belongs to (`XXXXXX-XXXXXX-XXXXXX`), or a variable asking for it. */
  readonly billingAccount: string;
}

/** The APIs the module calls. */
export const OBSERVABILITY_APIS = { monitoring: "monitoring.googleapis.com", logging: "logging.googleapis.com", budgets: "billingbudgets.googleapis.com" } as const;

const MISSING_DATA: Readonly<Record<MissingData, string>> = {
  breaching: "EVALUATION_MISSING_DATA_ACTIVE",
  "not-breaching": "EVALUATION_MISSING_DATA_INACTIVE",
  ignore: "EVALUATION_MISSING_DATA_NO_OP",
};

/**
 * Cloud SQL for PostgreSQL's default max_connections by instance memory (Cloud SQL quotas and
 * limits: 3.75-6 GiB 100, 7.5-15 GiB 400, 15-30 GiB 500), for the tiers of DATABASE_OFFERS.
 */
export const CLOUD_SQL_MAX_CONNECTIONS: Readonly<Record<DatabaseSize, number>> = { small: 100, medium: 400, large: 500 };

/**
 * A budget notifies at most this many Cloud Monitoring channels, and only e-mail ones (billing
 * budgets API, NotificationsRule.monitoringNotificationChannels: "a Cloud Monitoring email
 * notification channel ... A maximum of 5 email notifications are allowed").
 */
export const MAX_BUDGET_CHANNELS = 5;

/** What the log sink routes into the environment's log bucket: the cluster, the database, the edge and the NAT. */
export const ROUTED_RESOURCES = ["k8s_cluster", "k8s_node", "k8s_pod", "k8s_container", "cloudsql_database", "http_load_balancer", "nat_gateway"] as const;

/**
 * Google Cloud: a notification channel per e-mail address and, where the environment pages
 * on-call, a webhook channel (URL from a sensitive variable); an alert policy per alarm that
 * notifies on open and on close; a log bucket in the region, encrypted with the environment's
 * key and kept `logRetentionDays`, that a sink fills with the platform's logs; the project's
 * monthly budget on the billing account, with threshold rules on current and forecast spend,
 * notifying the e-mail channels.
 */
export class GcpObservability extends Construct implements Observability {
  readonly outputs: ObservabilityOutputs;
  readonly channels: MonitoringNotificationChannel[];
  /** The e-mail channels: the only ones a billing budget may notify. */
  readonly emailChannels: MonitoringNotificationChannel[];
  readonly logBucket: LoggingProjectBucketConfig;
  readonly policies: Partial<Record<AlarmId, MonitoringAlertPolicy>> = {};
  readonly budget: BillingBudget;
  private readonly project: string;
  private readonly apis: TerraformResource[];

  constructor(scope: Construct, id: string, input: GcpObservabilityProps) {
    super(scope, id);
    const props = resolveObservabilityProps(input);
    this.project = input.project;
    const emailCount = props.notifications.emails.length;
    if (emailCount > MAX_BUDGET_CHANNELS) {
      throw new Error(
        `observability (gcp): ${emailCount} e-mail addresses are too many; a Google billing budget notifies at most ${MAX_BUDGET_CHANNELS} e-mail channels, so list at most ${MAX_BUDGET_CHANNELS} addresses (a group address counts as one)`,
      );
    }
    this.apis = enableGcpServices(this, input.project, Object.values(OBSERVABILITY_APIS));

    this.channels = this.notificationChannels(props);
    this.emailChannels = this.channels.filter((channel) => channel.typeInput === "email");
    this.logBucket = this.logStore(props, input);
    for (const alarm of alarmsFor(props.observed)) {
      const condition = gcpCondition(this, input.project, props, alarm);
      if (condition) this.policies[alarm.id] = this.alertPolicy(props, alarm, condition);
      else if (!hasAlarmGap("gcp", alarm.id)) throw new Error(`observability (gcp): ${alarm.id} is neither built nor a declared gap`);
    }
    this.budget = this.monthlyBudget(props, input.billingAccount);

    this.outputs = {
      notificationIds: this.channels.map((channel) => channel.id),
      logStoreIds: [this.logBucket.id],
      budgetId: this.budget.id,
      alarms: Object.fromEntries(Object.entries(this.policies).map(([alarmId, policy]) => [alarmId, policy.name])),
    };
  }

  private notificationChannels(props: ResolvedObservabilityProps): MonitoringNotificationChannel[] {
    const common = { project: this.project, userLabels: { ...props.tags }, dependsOn: this.apis };
    const emails = props.notifications.emails.map(
      (email, i) =>
        new MonitoringNotificationChannel(this, `email-${i}`, { ...common, displayName: `${alertsName(props)} ${email}`, type: "email", labels: { email_address: email } }),
    );
    if (!props.notifications.onCallWebhook) return emails;
    const webhook = new MonitoringNotificationChannel(this, "on-call-webhook", {
      ...common,
      displayName: `${alertsName(props)} on-call`,
      type: "webhook_tokenauth",
      // The URL (with its token) is a sensitive variable: never in the configuration.
      labels: { url: onCallWebhookUrl(this) },
    });
    return [...emails, webhook];
  }

  /** The environment's log bucket (regional, CMEK, retention) and the sink that routes the platform's logs into it. */
  private logStore(props: ResolvedObservabilityProps, input: GcpObservabilityProps): LoggingProjectBucketConfig {
    const bucket = new LoggingProjectBucketConfig(this, "log-bucket", {
      project: this.project,
      location: props.region,
      bucketId: `${props.name}-logs`,
      description: `Logs of ${props.name}: cluster, database, edge and NAT`,
      retentionDays: props.logRetentionDays,
      cmekSettings: { kmsKeyName: input.keyId },
      dependsOn: [...this.apis, input.loggingMayUseKey],
    });
    new LoggingProjectSink(this, "log-sink", {
      project: this.project,
      name: `${props.name}-platform-logs`,
      description: `Routes the platform's logs of ${props.name} into its log bucket`,
      destination: `logging.googleapis.com/${bucket.id}`,
      filter: `resource.type=(${ROUTED_RESOURCES.map((type) => `"${type}"`).join(" OR ")})`,
      uniqueWriterIdentity: true,
      dependsOn: this.apis,
    });
    return bucket;
  }

  /** An alert policy for one contract alarm: notifies every channel when it opens and when it closes (recovery). */
  private alertPolicy(props: ResolvedObservabilityProps, alarm: AlarmDefinition, condition: MonitoringAlertPolicyConditionsConditionThreshold): MonitoringAlertPolicy {
    return new MonitoringAlertPolicy(this, `alert-${alarm.id}`, {
      project: this.project,
      displayName: alarmName(props, alarm.id),
      combiner: "OR",
      severity: alarm.missingData === "breaching" ? "CRITICAL" : "ERROR",
      conditions: [{ displayName: alarm.summary, conditionThreshold: condition }],
      notificationChannels: this.channels.map((channel) => channel.id),
      alertStrategy: { notificationPrompts: ["OPENED", "CLOSED"], autoClose: "604800s" },
      documentation: { content: `${alarm.summary} (${props.name}). ${missingDataNote(alarm, condition)}`, mimeType: "text/markdown" },
      userLabels: { ...props.tags, alarm: alarm.id },
      dependsOn: this.apis,
    });
  }

  /** The project's monthly budget, notifying the e-mail channels at each threshold of current or forecast spend. */
  private monthlyBudget(props: ResolvedObservabilityProps, billingAccount: string): BillingBudget {
    const project = new DataGoogleProject(this, "project", { projectId: this.project });
    return new BillingBudget(this, "budget", {
      billingAccount,
      displayName: `${props.name}-monthly`,
      budgetFilter: { projects: [`projects/${project.number}`], calendarPeriod: "MONTH", creditTypesTreatment: "INCLUDE_ALL_CREDITS" },
      amount: { specifiedAmount: { currencyCode: props.budget.currency, units: String(Math.floor(props.budget.amount)), nanos: Math.round((props.budget.amount % 1) * 1e9) } },
      thresholdRules: props.budget.thresholds.map((threshold) => ({
        thresholdPercent: threshold.percent / 100,
        spendBasis: threshold.kind === "actual" ? "CURRENT_SPEND" : "FORECASTED_SPEND",
      })),
      // E-mail channels only: the budgets API takes no webhook channel (the on-call webhook gets alarms, not spend).
      allUpdatesRule: { monitoringNotificationChannels: this.emailChannels.map((channel) => channel.id), disableDefaultIamRecipients: false },
      dependsOn: this.apis,
    });
  }
}

/** What the policy does with missing data, as its condition says: a log-based counter's silence is health whatever the contract says. */
function missingDataNote(alarm: AlarmDefinition, condition: MonitoringAlertPolicyConditionsConditionThreshold): string {
  if (condition.evaluationMissingData === MISSING_DATA[alarm.missingData]) return `Missing data: ${alarm.missingData}, because ${alarm.missingDataWhy}.`;
  return "Missing data: not-breaching, because this log-based counter has data only when a failure is logged (a declared gap: the metric it stands in for does not exist on Google Cloud).";
}

const scopeOf = (scopes: readonly MetricScope[] | undefined, module: string) => firstMetricScope("gcp", "Google", scopes, module);

const seconds = (minutes: number) => `${minutes * 60}s`;

/**
 * A log-based counter: for what Cloud Monitoring has no metric of but the logs record
 * (health-check transitions, Kubernetes node events). Returns the metric's type.
 */
function logCounter(scope: Construct, project: string, name: string, description: string, filter: string): string {
  const metric = new LoggingMetric(scope, `log-metric-${name}`, {
    project,
    dependsOn: enableGcpServices(scope, project, [OBSERVABILITY_APIS.logging]),
    name,
    description,
    filter,
    metricDescriptor: { metricKind: "DELTA", valueType: "INT64", unit: "1" },
  });
  return `logging.googleapis.com/user/${metric.name}`;
}

/** The condition of each contract alarm: Cloud Monitoring's metric, filter, aggregation and threshold in its unit. */
export function gcpCondition(
  scope: Construct,
  project: string,
  props: ResolvedObservabilityProps,
  alarm: AlarmDefinition,
): MonitoringAlertPolicyConditionsConditionThreshold | undefined {
  const { observed, thresholds } = props;
  const threshold = thresholds[alarm.id];
  const period = seconds(alarm.periodMinutes);
  const base = {
    comparison: alarm.comparison === "above" ? "COMPARISON_GT" : "COMPARISON_LT",
    duration: seconds(alarm.periodMinutes * (alarm.periods - 1)),
    evaluationMissingData: MISSING_DATA[alarm.missingData],
    trigger: { count: 1 },
  };
  const mean = [{ alignmentPeriod: period, perSeriesAligner: "ALIGN_MEAN" }];
  const deltaSum = (alignmentPeriod: string) => [{ alignmentPeriod, perSeriesAligner: "ALIGN_DELTA", crossSeriesReducer: "REDUCE_SUM" }];
  const sum = deltaSum(period);
  // A log-based counter has data only when a failure is logged: its silence is health, whatever the contract says of the metric it stands in for.
  // It counts transitions (health-check logs are written only when a backend's state changes; NodeNotReady is one event),
  // so it sums the alarm's whole window and fires on the first one: a `duration` would ask for a new log line in
  // every alignment period of it, which one failure that lasts never writes. It closes once a window passes without one.
  const counted = {
    ...base,
    comparison: "COMPARISON_GT",
    duration: "0s",
    evaluationMissingData: MISSING_DATA["not-breaching"],
    aggregations: deltaSum(seconds(alarm.periodMinutes * alarm.periods)),
  };
  const sql = () => `resource.type = "cloudsql_database" AND resource.labels.database_id = "${scopeOf(observed.database.outputs.metricScopes, "database").database_id}"`;
  switch (alarm.id) {
    case "database-cpu-high":
      return { ...base, filter: `${sql()} AND metric.type = "cloudsql.googleapis.com/database/cpu/utilization"`, thresholdValue: threshold / 100, aggregations: mean };
    case "database-storage-low":
      // Cloud SQL reports the share used: free storage below the threshold is use above its complement.
      return {
        ...base,
        comparison: "COMPARISON_GT",
        filter: `${sql()} AND metric.type = "cloudsql.googleapis.com/database/disk/utilization"`,
        thresholdValue: 1 - threshold / 100,
        aggregations: mean,
      };
    case "database-connections-high":
      return {
        ...base,
        filter: `${sql()} AND metric.type = "cloudsql.googleapis.com/database/postgresql/num_backends"`,
        thresholdValue: Math.floor((CLOUD_SQL_MAX_CONNECTIONS[observed.database.size] * threshold) / 100),
        aggregations: [{ alignmentPeriod: period, perSeriesAligner: "ALIGN_MAX", crossSeriesReducer: "REDUCE_SUM", groupByFields: ["resource.label.database_id"] }],
      };
    case "database-replication-lag":
      // dr's Cloud SQL instance is not a replica (DATABASE_GAPS.gcpCrossProjectReplica): no lag to measure (gaps: gcpReplicationLag).
      return undefined;
    case "edge-5xx-rate": {
      const lb = `resource.type = "https_lb_rule" AND resource.labels.backend_target_name = "${scopeOf(observed.edge.metricScopes, "edge").backend_target_name}" AND metric.type = "loadbalancing.googleapis.com/https/request_count"`;
      const rate = [{ alignmentPeriod: period, perSeriesAligner: "ALIGN_DELTA", crossSeriesReducer: "REDUCE_SUM" }];
      return {
        ...base,
        filter: `${lb} AND metric.labels.response_code_class = 500`,
        denominatorFilter: lb,
        aggregations: rate,
        denominatorAggregations: rate,
        thresholdValue: threshold / 100,
      };
    }
    case "edge-unhealthy-backends": {
      const metric = logCounter(
        scope,
        project,
        `${props.name}-edge-unhealthy-backends`,
        `Health-check probes of ${props.name}'s edge backends that turned UNHEALTHY`,
        `logName = "projects/${project}/logs/compute.googleapis.com%2Fhealthchecks" AND jsonPayload.healthCheckProbeResult.healthState = "UNHEALTHY"`,
      );
      return { ...counted, filter: `resource.type = "gce_instance_group" AND metric.type = "${metric}"`, thresholdValue: threshold - 1 };
    }
    case "cluster-nodes-not-ready": {
      const clusterName = observed.cluster.outputs.clusterName;
      const metric = logCounter(
        scope,
        project,
        `${props.name}-cluster-nodes-not-ready`,
        `Kubernetes NodeNotReady events of ${clusterName}`,
        `resource.type = "k8s_node" AND resource.labels.cluster_name = "${clusterName}" AND jsonPayload.reason = "NodeNotReady"`,
      );
      return { ...counted, filter: `resource.type = "k8s_node" AND metric.type = "${metric}"`, thresholdValue: threshold - 1 };
    }
    case "cluster-pool-at-max": {
      const pool = scopeOf(observed.cluster.outputs.metricScopes, "kubernetes");
      // One allocatable-cores series per node: counting them counts the pool's nodes.
      return {
        ...base,
        comparison: "COMPARISON_GT",
        filter: `resource.type = "k8s_node" AND resource.labels.cluster_name = "${pool.cluster_name}" AND metadata.user_labels."cloud.google.com/gke-nodepool" = "${pool.node_pool_name}" AND metric.type = "kubernetes.io/node/cpu/allocatable_cores"`,
        thresholdValue: Math.ceil((observed.cluster.workloadPoolMaxNodes * threshold) / 100) - 1,
        aggregations: [{ alignmentPeriod: period, perSeriesAligner: "ALIGN_MEAN", crossSeriesReducer: "REDUCE_COUNT", groupByFields: ["resource.label.cluster_name"] }],
      };
    }
    case "nat-errors": {
      const nat = scopeOf(observed.network.metricScopes, "network");
      return {
        ...base,
        comparison: "COMPARISON_GT",
        filter: `resource.type = "nat_gateway" AND resource.labels.gateway_name = "${nat.gateway_name}" AND metric.type = "router.googleapis.com/nat/dropped_sent_packets_count"`,
        thresholdValue: threshold - 1,
        aggregations: sum,
      };
    }
  }
}
