import type { TerraformProvider } from "cdktf";
import { stackVariable } from "../shared/stack-variable";
import { Construct } from "constructs";
import { BudgetAlertRule } from "../../.gen/providers/oci/budget-alert-rule";
import { BudgetBudget } from "../../.gen/providers/oci/budget-budget";
import { LoggingLog } from "../../.gen/providers/oci/logging-log";
import { LoggingLogGroup } from "../../.gen/providers/oci/logging-log-group";
import { MonitoringAlarm } from "../../.gen/providers/oci/monitoring-alarm";
import { OnsNotificationTopic } from "../../.gen/providers/oci/ons-notification-topic";
import { OnsSubscription } from "../../.gen/providers/oci/ons-subscription";
import type { MetricScope } from "../shared/monitoring";
import {
  alarmName,
  alarmsFor,
  alertsName,
  onCallWebhookUrl,
  resolveObservabilityProps,
  type AlarmDefinition,
  type AlarmId,
  type Observability,
  type ObservabilityOutputs,
  type ObservabilityProps,
  type ResolvedObservabilityProps,
} from "./contract";
import { ALARM_URGENCY, type AlarmUrgency } from "./urgency";

export interface OciObservabilityProps extends ObservabilityProps {
  /** The environment's compartment: the topic, log group and alarms live there, and the budget targets it. */
  readonly compartmentId: string;
  /** Budgets are managed in the tenancy's home region: the budget and its alert rules go through this provider. */
  readonly identityProvider: TerraformProvider;
  /**
   * The tenancy's OCID: a budget lives in the root compartment, whatever it targets.
   * @default - asked at plan time as the variable `oci_tenancy_ocid`
   */
  readonly tenancyId?: string;
}

/** The stack variable the tenancy's OCID is asked in when the environment does not name it. */
export const TENANCY_VARIABLE = "oci_tenancy_ocid";

/** OCI Monitoring severities. */
export const OCI_SEVERITY: Readonly<Record<AlarmUrgency, string>> = { critical: "CRITICAL", warning: "WARNING" };

/** While an alarm keeps firing, it tells the topic again at this interval (besides on firing and on recovery). */
export const OCI_REPEAT_NOTIFICATION = "PT4H";

/** PostgreSQL's compiled-in max_connections: OCI publishes no per-shape figure (OBSERVABILITY_GAPS.ociConnectionLimit). */
export const POSTGRES_DEFAULT_MAX_CONNECTIONS = 100;

/** The metric namespaces the alarms read. */
const NAMESPACES = { database: "oci_postgresql", edge: "oci_lbaas", cluster: "oci_oke", nat: "oci_nat_gateway" } as const;

/** One MQL alarm: its namespace, its condition, and the absence query that tells when the resource stops reporting. */
export interface OciAlarmQuery {
  readonly namespace: string;
  readonly query: string;
  /**
   * `Metric[interval]{resource}.groupBy(dimension).absent()`: true when the resource reports
   * nothing for a whole interval (grouped, as OCI advises, so a new dimension of the metric
   * does not fire it).
   */
  readonly absence: string;
}

/** `Metric[5m]{resourceId = "…"}`: one metric of one resource, over one period. */
const stream = (metric: string, alarm: AlarmDefinition, filters: Readonly<Record<string, string>>): string =>
  `${metric}[${alarm.periodMinutes}m]{${Object.entries(filters)
    .map(([k, v]) => (v.startsWith("=~ ") ? `${k} ${v}` : `${k} = "${v}"`))
    .join(", ")}}`;

const resourceId = (scopes: readonly MetricScope[] | undefined): string | undefined => scopes?.[0]?.resourceId;

/**
 * Oracle Cloud: an ONS topic (`<name>-alerts`) with an e-mail subscription per address and
 * the on-call HTTPS webhook where the environment pages; a log group whose custom log keeps
 * the cluster's workload logs for the retention; one MQL alarm per contract alarm on the
 * database, the load balancer, the cluster and the NAT gateway, telling the topic when it
 * fires, every four hours while it fires, and when it clears; an absence alarm wherever the
 * contract treats silence as failure; and a monthly budget on the environment's compartment
 * with an alert rule per threshold (actual or forecast).
 */
export class OciObservability extends Construct implements Observability {
  readonly outputs: ObservabilityOutputs;
  readonly topic: OnsNotificationTopic;
  private readonly props: ResolvedObservabilityProps & { readonly compartmentId: string };

  constructor(scope: Construct, id: string, input: OciObservabilityProps) {
    super(scope, id);
    this.props = { ...resolveObservabilityProps(input), compartmentId: input.compartmentId };
    this.topic = this.notificationPath();
    const logGroup = this.logs();
    const alarms = this.alarms();
    const budget = this.budget(input.identityProvider, input.tenancyId ?? tenancyVariable(this));
    this.outputs = { notificationIds: [this.topic.id], logStoreIds: [logGroup.id], budgetId: budget.id, alarms };
  }

  private notificationPath(): OnsNotificationTopic {
    const { compartmentId, notifications, tags } = this.props;
    const topic = new OnsNotificationTopic(this, "topic", {
      compartmentId,
      name: alertsName(this.props),
      description: `Alarms and budget alerts of ${this.props.name}`,
      freeformTags: { ...tags },
    });
    const subscribe = (id: string, protocol: string, endpoint: string) =>
      new OnsSubscription(this, id, { compartmentId, topicId: topic.id, protocol, endpoint, freeformTags: { ...tags } });
    // Each address confirms its subscription from the e-mail ONS sends; until then it receives nothing.
    notifications.emails.forEach((email, i) => subscribe(`email-${i + 1}`, "EMAIL", email));
    if (notifications.onCallWebhook) subscribe("on-call", "HTTPS", onCallWebhookUrl(this));
    return topic;
  }

  /**
   * The log group of the environment's workload logs: a custom log the cluster's logging agent writes,
   * kept for the retention. The agent's configuration is not built here (OBSERVABILITY_GAPS.ociWorkloadLogAgent).
   */
  private logs(): LoggingLogGroup {
    const { compartmentId, name, tags, logRetentionDays } = this.props;
    const group = new LoggingLogGroup(this, "log-group", {
      compartmentId,
      displayName: `${name}-observability`,
      description: `Workload logs of ${name}, searchable in Logging Search`,
      freeformTags: { ...tags },
    });
    new LoggingLog(this, "workload-log", {
      logGroupId: group.id,
      displayName: `${name}-workloads`,
      logType: "CUSTOM",
      isEnabled: true,
      retentionDuration: logRetentionDays,
      freeformTags: { ...tags },
    });
    return group;
  }

  /** One alarm per contract alarm (the alternative where OBSERVABILITY_GAPS names one), and an absence alarm where silence is failure. */
  private alarms(): Partial<Record<AlarmId, string>> {
    const built: Partial<Record<AlarmId, string>> = {};
    for (const alarm of alarmsFor(this.props.observed)) {
      const query = ociAlarmQuery(alarm, this.props);
      if (!query) continue;
      built[alarm.id] = this.alarm(alarm, alarmName(this.props, alarm.id), query.namespace, query.query, alarm.summary).id;
      if (alarm.missingData === "breaching") {
        this.alarm(alarm, `${alarmName(this.props, alarm.id)}-absent`, query.namespace, query.absence, `${alarm.summary} (no data: ${alarm.missingDataWhy})`);
      }
    }
    return built;
  }

  private alarm(alarm: AlarmDefinition, name: string, namespace: string, query: string, body: string): MonitoringAlarm {
    const { compartmentId, tags } = this.props;
    return new MonitoringAlarm(this, name.slice(this.props.name.length + 1), {
      compartmentId,
      metricCompartmentId: compartmentId,
      displayName: name,
      namespace,
      query,
      severity: OCI_SEVERITY[ALARM_URGENCY[alarm.id]],
      isEnabled: true,
      destinations: [this.topic.id],
      body,
      messageFormat: "ONS_OPTIMIZED",
      // The condition must hold for all the alarm's periods before it fires.
      pendingDuration: `PT${alarm.periodMinutes * alarm.periods}M`,
      resolution: "1m",
      repeatNotificationDuration: OCI_REPEAT_NOTIFICATION,
      freeformTags: { ...tags },
    });
  }

  /** The environment's compartment, monthly, in the root compartment through the home region. */
  private budget(provider: TerraformProvider, tenancyId: string): BudgetBudget {
    const { budget, compartmentId, name, tags, notifications } = this.props;
    if (!Number.isInteger(budget.amount)) throw new Error(`observability (oci): budget.amount ${budget.amount} is not a whole amount; OCI budgets take whole amounts`);
    const resource = new BudgetBudget(this, "budget", {
      provider,
      compartmentId: tenancyId,
      displayName: `${name}-monthly`,
      description: `Monthly cost of ${name}'s compartment`,
      amount: budget.amount,
      resetPeriod: "MONTHLY",
      processingPeriodType: "MONTH",
      targetType: "COMPARTMENT",
      targets: [compartmentId],
      freeformTags: { ...tags },
    });
    budget.thresholds.forEach(({ percent, kind }) => {
      new BudgetAlertRule(this, `budget-${kind}-${percent}`, {
        provider,
        budgetId: resource.id,
        displayName: `${kind}-${String(percent).replace(".", "_")}-percent`,
        description: `${kind === "actual" ? "Spent" : "Forecast to spend"} ${percent} % of ${name}'s monthly budget`,
        type: kind === "actual" ? "ACTUAL" : "FORECAST",
        thresholdType: "PERCENTAGE",
        threshold: percent,
        recipients: notifications.emails.join(", "),
        message: `${name}: ${kind === "actual" ? "spend" : "forecast spend"} reached ${percent} % of the monthly budget`,
        freeformTags: { ...tags },
      });
    });
    return resource;
  }
}

/**
 * The MQL of each contract alarm (or of its declared alternative), or undefined where the
 * observed module exposes nothing to alarm on.
 */
export function ociAlarmQuery(alarm: AlarmDefinition, props: ResolvedObservabilityProps): OciAlarmQuery | undefined {
  const { observed, thresholds } = props;
  const threshold = thresholds[alarm.id];
  /** `stream.statistic() >= value`, and the absence of the same metric for the resource the stream's first filter names. */
  const at = (namespace: string, metric: string, filters: Readonly<Record<string, string>>, statistic: string, value: number): OciAlarmQuery => {
    const [dimension, id] = Object.entries(filters)[0];
    return {
      namespace,
      query: `${stream(metric, alarm, filters)}.${statistic}() >= ${value}`,
      absence: `${stream(metric, alarm, { [dimension]: id })}.groupBy(${dimension}).absent()`,
    };
  };
  const database = resourceId(observed.database.outputs.metricScopes);
  const loadBalancer = resourceId(observed.edge.metricScopes);
  const nat = resourceId(observed.network.metricScopes);
  const pool = resourceId(observed.cluster.outputs.metricScopes);
  const cluster = observed.cluster.outputs.clusterId;
  switch (alarm.id) {
    case "database-cpu-high":
      return database ? at(NAMESPACES.database, "CpuUtilization", { resourceId: database }, "max", threshold) : undefined;
    case "database-storage-low": {
      // OBSERVABILITY_GAPS.ociStorageLow: storage grows by itself; alarm when it outgrows the plan less the threshold.
      const gb = Math.floor((observed.database.storageGb * (100 - threshold)) / 100);
      return database ? at(NAMESPACES.database, "UsedStorage", { resourceId: database }, "max", gb) : undefined;
    }
    case "database-connections-high":
      // OBSERVABILITY_GAPS.ociConnectionLimit: against PostgreSQL's default limit.
      return database ? at(NAMESPACES.database, "Connections", { resourceId: database }, "max", Math.ceil((POSTGRES_DEFAULT_MAX_CONNECTIONS * threshold) / 100)) : undefined;
    case "database-replication-lag":
      // OBSERVABILITY_GAPS.ociReplicationLag: dr's database restores copied backups; there is no replica to lag.
      return undefined;
    case "edge-5xx-rate":
      // OBSERVABILITY_GAPS.ociErrorRate: MQL cannot divide one metric by another; the 5xx count per period instead.
      return loadBalancer ? at(NAMESPACES.edge, "HttpResponses5xx", { resourceId: loadBalancer }, "sum", threshold) : undefined;
    case "edge-unhealthy-backends":
      return loadBalancer ? at(NAMESPACES.edge, "UnHealthyBackendServers", { resourceId: loadBalancer }, "max", threshold) : undefined;
    case "cluster-nodes-not-ready":
      // Nodes OKE reports as failing or inactive (creating and deleting are the autoscaler at work).
      return at(NAMESPACES.cluster, "NodeState", { clusterId: cluster, nodeState: '=~ "FAILING|INACTIVE"' }, "max", threshold);
    case "cluster-pool-at-max":
      return pool ? at(NAMESPACES.cluster, "NodeState", { nodepoolId: pool, nodeState: "ACTIVE" }, "max", Math.ceil((observed.cluster.workloadPoolMaxNodes * threshold) / 100)) : undefined;
    case "nat-errors":
      return nat ? at(NAMESPACES.nat, "DropsToNATgw", { resourceId: nat }, "sum", threshold) : undefined;
  }
}

/** Asked at plan time (TF_VAR_oci_tenancy_ocid), once per stack: a budget lives in the tenancy's root compartment. */
function tenancyVariable(scope: Construct): string {
  return stackVariable(scope, TENANCY_VARIABLE, "OCID of the tenancy: its root compartment holds the environment's budget");
}
