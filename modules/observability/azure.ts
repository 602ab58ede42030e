import { ConsumptionBudgetSubscription } from "@cdktf/provider-azurerm/lib/consumption-budget-subscription";
import { DataAzurermSubscription } from "@cdktf/provider-azurerm/lib/data-azurerm-subscription";
import { LogAnalyticsWorkspace } from "@cdktf/provider-azurerm/lib/log-analytics-workspace";
import { MonitorActionGroup } from "@cdktf/provider-azurerm/lib/monitor-action-group";
import { MonitorActivityLogAlert } from "@cdktf/provider-azurerm/lib/monitor-activity-log-alert";
import { MonitorDiagnosticSetting } from "@cdktf/provider-azurerm/lib/monitor-diagnostic-setting";
import { MonitorMetricAlert, type MonitorMetricAlertCriteria } from "@cdktf/provider-azurerm/lib/monitor-metric-alert";
import { MonitorScheduledQueryRulesAlertV2 } from "@cdktf/provider-azurerm/lib/monitor-scheduled-query-rules-alert-v2";
import { ResourceGroup } from "@cdktf/provider-azurerm/lib/resource-group";
import { Fn } from "cdktf";
import { Construct } from "constructs";
import { DATABASE_OFFERS } from "../database/sizes";
import type { MetricScope } from "../shared/monitoring";
import {
  alarmName,
  alarmsFor,
  alertsName,
  onCallWebhookUrl,
  COST_ALLOCATION_TAGS,
  resolveObservabilityProps,
  type AlarmDefinition,
  type AlarmId,
  type Observability,
  type ObservabilityOutputs,
  type ObservabilityProps,
  type ResolvedObservabilityProps,
} from "./contract";
import { ALARM_URGENCY, type AlarmUrgency } from "./urgency";

export type AzureObservabilityProps = ObservabilityProps;

/**
 * Flexible Server's max_connections for each SKU the database module sells (the service's
 * default per compute size: Burstable B2s 429, General Purpose D2ds_v5 859, D4ds_v5 1718);
 * database-connections-high is a percent of it.
 */
export const AZURE_MAX_CONNECTIONS: Readonly<Record<string, number>> = {
  B_Standard_B2s: 429,
  GP_Standard_D2ds_v5: 859,
  GP_Standard_D4ds_v5: 1718,
};

/** Azure Monitor severities: 1 (Error) for critical alarms, 2 (Warning) for warnings. */
export const AZURE_SEVERITY: Readonly<Record<AlarmUrgency, number>> = { critical: 1, warning: 2 };

/** Windows and frequencies azurerm_monitor_metric_alert accepts (window_size, frequency), in minutes. */
const METRIC_WINDOWS = [1, 5, 15, 30, 60, 360, 720, 1440] as const;
const METRIC_FREQUENCIES = [1, 5, 15, 30, 60] as const;

/** ISO 8601 duration of whole minutes, as Azure Monitor writes them (`PT5M`, `PT1H`, `P1D`). */
export function isoMinutes(minutes: number): string {
  if (minutes % 1440 === 0) return `P${minutes / 1440}D`;
  return minutes % 60 === 0 ? `PT${minutes / 60}H` : `PT${minutes}M`;
}

/**
 * Azure metric alerts aggregate over one window, evaluated every `frequency`: the window is
 * the alarm's periods end to end (rounded up to a window Azure offers), the frequency one period.
 */
export function metricWindow(alarm: AlarmDefinition): { windowMinutes: number; window: string; frequency: string } {
  const total = alarm.periodMinutes * alarm.periods;
  const windowMinutes = METRIC_WINDOWS.find((w) => w >= total);
  if (windowMinutes === undefined || !(METRIC_FREQUENCIES as readonly number[]).includes(alarm.periodMinutes)) {
    throw new Error(`observability (azure): ${alarm.id} evaluates ${alarm.periods} x ${alarm.periodMinutes} min; Azure metric alerts take periods of ${METRIC_FREQUENCIES.join(", ")} min and windows up to 1 day`);
  }
  return { windowMinutes, window: isoMinutes(windowMinutes), frequency: isoMinutes(alarm.periodMinutes) };
}

const NAMESPACES = {
  database: "Microsoft.DBforPostgreSQL/flexibleServers",
  edge: "Microsoft.Network/applicationGateways",
  cluster: "Microsoft.ContainerService/managedClusters",
  nat: "Microsoft.Network/natGateways",
} as const;

/** One metric alert: which resources, and the criterion in Azure's terms. */
interface MetricAlarm {
  readonly scopes: readonly string[];
  readonly criteria: MonitorMetricAlertCriteria;
}

/** The resource ids a module's `metricScopes` list (Azure: `{ resourceId }`). */
const resourceIds = (scopes: readonly MetricScope[] | undefined): string[] => (scopes ?? []).map((s) => s.resourceId).filter((id): id is string => id !== undefined);

/**
 * Azure: an action group (`<name>-alerts`: e-mail to every address, and the on-call webhook
 * where the environment pages), a Log Analytics workspace kept for the retention, diagnostic
 * settings that send the database's, the cluster's control plane's and the Application
 * Gateway's logs and metrics there, a metric alert per contract alarm (auto-mitigated, so the
 * action group hears of the recovery too), the edge's 5xx rate as a log query over the
 * gateway's access logs, a Resource Health alert where the contract treats silence as a
 * failure (OBSERVABILITY_GAPS.azureMissingData), and a monthly subscription budget filtered by
 * the environment's cost-allocation tags with actual and forecast notifications.
 */
export class AzureObservability extends Construct implements Observability {
  readonly outputs: ObservabilityOutputs;
  readonly actionGroup: MonitorActionGroup;
  readonly workspace: LogAnalyticsWorkspace;
  private readonly props: ResolvedObservabilityProps;
  private readonly placed: { readonly location: string; readonly resourceGroupName: string; readonly tags: Readonly<Record<string, string>> };

  constructor(scope: Construct, id: string, input: AzureObservabilityProps) {
    super(scope, id);
    const props = resolveObservabilityProps(input);
    this.props = props;
    const { name, region: location, tags } = props;
    const group = new ResourceGroup(this, "resource-group", { name: `${name}-observability`, location, tags });
    this.placed = { location, resourceGroupName: group.name, tags };

    this.actionGroup = this.notificationPath();
    this.workspace = new LogAnalyticsWorkspace(this, "workspace", {
      name: `${name}-logs`,
      ...this.placed,
      sku: "PerGB2018",
      retentionInDays: props.logRetentionDays,
      // Entra ID only: no shared workspace keys.
      localAuthenticationEnabled: false,
    });
    const gatewayLogs = this.diagnostics();
    const alarms = this.alarms(gatewayLogs);
    this.resourceHealth();
    const budget = this.budget();
    this.outputs = { notificationIds: [this.actionGroup.id], logStoreIds: [this.workspace.id], budgetId: budget.id, alarms };
  }

  /** E-mail receivers for every address, and the on-call webhook (a sensitive variable) where the environment pages. */
  private notificationPath(): MonitorActionGroup {
    const { notifications } = this.props;
    return new MonitorActionGroup(this, "action-group", {
      name: alertsName(this.props),
      resourceGroupName: this.placed.resourceGroupName,
      location: "global",
      // Shown as the sender of SMS and e-mail: at most 12 characters.
      shortName: this.props.name.replace(/[^A-Za-z0-9]/g, "").slice(0, 12),
      enabled: true,
      emailReceiver: notifications.emails.map((emailAddress, i) => ({ name: `email-${i + 1}`, emailAddress, useCommonAlertSchema: true })),
      ...(notifications.onCallWebhook ? { webhookReceiver: [{ name: "on-call", serviceUri: onCallWebhookUrl(this), useCommonAlertSchema: true }] } : {}),
      tags: this.placed.tags,
    });
  }

  /**
   * Each observed resource's logs and metrics into the workspace, in resource-specific tables.
   * NAT gateways export no metrics through diagnostic settings (their alarms read Azure Monitor directly).
   */
  private diagnostics(): MonitorDiagnosticSetting[] {
    const { observed } = this.props;
    const send = (id: string, target: string, logs: readonly string[]) =>
      new MonitorDiagnosticSetting(this, id, {
        name: "observability",
        targetResourceId: target,
        logAnalyticsWorkspaceId: this.workspace.id,
        logAnalyticsDestinationType: "Dedicated",
        enabledLog: logs.map((category) => ({ category })),
        enabledMetric: [{ category: "AllMetrics" }],
      });
    resourceIds(observed.database.outputs.metricScopes).forEach((server, i) => send(`database-diagnostics-${i}`, server, ["PostgreSQLLogs"]));
    send("cluster-diagnostics", observed.cluster.outputs.clusterId, ["kube-apiserver", "kube-audit-admin", "kube-controller-manager", "kube-scheduler", "cluster-autoscaler", "guard"]);
    return resourceIds(observed.edge.metricScopes).map((gateway, i) => send(`edge-diagnostics-${i}`, gateway, ["ApplicationGatewayAccessLog", "ApplicationGatewayFirewallLog"]));
  }

  /** One alert per contract alarm (per resource where a module has several, e.g. a NAT gateway per zone). */
  private alarms(gatewayLogs: readonly MonitorDiagnosticSetting[]): Partial<Record<AlarmId, string>> {
    const built: Partial<Record<AlarmId, string>> = {};
    for (const alarm of alarmsFor(this.props.observed)) {
      if (alarm.id === "edge-5xx-rate") {
        const rule = this.errorRateRule(alarm, gatewayLogs);
        if (rule) built[alarm.id] = rule.id;
        continue;
      }
      const spec = this.metricAlarm(alarm);
      const ids = spec.scopes.map((target, i) => this.metricAlert(alarm, spec.scopes.length > 1 ? `${alarmName(this.props, alarm.id)}-${i + 1}` : alarmName(this.props, alarm.id), target, spec.criteria).id);
      if (ids.length > 0) built[alarm.id] = ids[0];
    }
    return built;
  }

  private metricAlert(alarm: AlarmDefinition, name: string, target: string, criteria: MonitorMetricAlertCriteria): MonitorMetricAlert {
    const { window, frequency } = metricWindow(alarm);
    return new MonitorMetricAlert(this, name.slice(this.props.name.length + 1), {
      name,
      resourceGroupName: this.placed.resourceGroupName,
      scopes: [target],
      description: alarm.summary,
      severity: AZURE_SEVERITY[ALARM_URGENCY[alarm.id]],
      frequency,
      windowSize: window,
      criteria: [criteria],
      // Auto-mitigated: Azure resolves the alert when the condition clears and tells the action group.
      autoMitigate: true,
      action: [{ actionGroupId: this.actionGroup.id }],
      tags: this.placed.tags,
    });
  }

  /** The metric, aggregation and threshold of each contract alarm, in Azure Monitor's terms. */
  private metricAlarm(alarm: AlarmDefinition): MetricAlarm {
    const { observed, thresholds } = this.props;
    const threshold = thresholds[alarm.id];
    const atLeast = (metricNamespace: string, metricName: string, aggregation: string, value: number, dimension?: MonitorMetricAlertCriteria["dimension"]) => ({
      metricNamespace,
      metricName,
      aggregation,
      operator: "GreaterThanOrEqual",
      threshold: value,
      ...(dimension ? { dimension } : {}),
    });
    const databases = resourceIds(observed.database.outputs.metricScopes);
    switch (alarm.id) {
      case "database-cpu-high":
        return { scopes: databases, criteria: atLeast(NAMESPACES.database, "cpu_percent", "Average", threshold) };
      case "database-storage-low":
        // Azure reports storage used; free below the threshold is used at or above its complement.
        return { scopes: databases, criteria: atLeast(NAMESPACES.database, "storage_percent", "Maximum", 100 - threshold) };
      case "database-connections-high":
        return { scopes: databases, criteria: atLeast(NAMESPACES.database, "active_connections", "Maximum", Math.ceil((connectionLimit(observed.database.size) * threshold) / 100)) };
      case "database-replication-lag":
        return { scopes: databases, criteria: atLeast(NAMESPACES.database, "physical_replication_delay_in_seconds", "Maximum", threshold) };
      case "edge-unhealthy-backends":
        return { scopes: resourceIds(observed.edge.metricScopes), criteria: atLeast(NAMESPACES.edge, "UnhealthyHostCount", "Maximum", threshold) };
      case "cluster-nodes-not-ready":
        // OBSERVABILITY_GAPS.azureNodesNotReadyCount: evaluated per node (split by node), a node Ready less than half the window.
        return {
          scopes: [observed.cluster.outputs.clusterId],
          criteria: {
            metricNamespace: NAMESPACES.cluster,
            metricName: "kube_node_status_condition",
            aggregation: "Average",
            operator: "LessThan",
            threshold: 0.5,
            dimension: [
              { name: "condition", operator: "Include", values: ["Ready"] },
              { name: "status2", operator: "Include", values: ["true"] },
              { name: "node", operator: "Include", values: ["*"] },
            ],
          },
        };
      case "cluster-pool-at-max":
        // OBSERVABILITY_GAPS.azurePoolAtMax: pods the autoscaler cannot place, for the whole window.
        return { scopes: [observed.cluster.outputs.clusterId], criteria: atLeast(NAMESPACES.cluster, "cluster_autoscaler_unschedulable_pods_count", "Average", 1) };
      case "nat-errors":
        // Connections the gateway could not translate: port exhaustion or dropped flows.
        return {
          scopes: resourceIds(observed.network.metricScopes),
          criteria: atLeast(NAMESPACES.nat, "SNATConnectionCount", "Total", threshold, [{ name: "ConnectionState", operator: "Include", values: ["Failed"] }]),
        };
      default:
        throw new Error(`observability (azure): no metric alert for ${alarm.id}`);
    }
  }

  /**
   * Application Gateway reports 5xx responses and requests as separate metrics, and a metric
   * alert cannot divide them: the rate is a log query over the gateway's access log in the
   * workspace, evaluated per period, firing after `periods` failing ones.
   */
  private errorRateRule(alarm: AlarmDefinition, gatewayLogs: readonly MonitorDiagnosticSetting[]): MonitorScheduledQueryRulesAlertV2 | undefined {
    const gateways = resourceIds(this.props.observed.edge.metricScopes);
    if (gateways.length === 0) return undefined;
    const period = isoMinutes(alarm.periodMinutes);
    return new MonitorScheduledQueryRulesAlertV2(this, alarm.id, {
      name: alarmName(this.props, alarm.id),
      ...this.placed,
      scopes: [this.workspace.id],
      description: alarm.summary,
      severity: AZURE_SEVERITY[ALARM_URGENCY[alarm.id]],
      evaluationFrequency: period,
      windowDuration: period,
      criteria: [
        {
          query: errorRateQuery(gateways),
          timeAggregationMethod: "Maximum",
          metricMeasureColumn: "ErrorPercent",
          operator: "GreaterThanOrEqual",
          threshold: this.props.thresholds[alarm.id],
          failingPeriods: { minimumFailingPeriodsToTriggerAlert: alarm.periods, numberOfEvaluationPeriods: alarm.periods },
        },
      ],
      // Resolved (and told) once the rate stays below the threshold.
      autoMitigationEnabled: true,
      action: { actionGroups: [this.actionGroup.id] },
      tags: this.placed.tags,
      // Azure validates the query against the workspace: the gateway's access log must be routed there first.
      dependsOn: [...gatewayLogs],
    });
  }

  /**
   * Azure metric alerts stay quiet without data; where the contract treats silence as a failure,
   * Resource Health tells when the resource itself becomes unavailable or degraded.
   */
  private resourceHealth(): void {
    const { observed } = this.props;
    const silentFailures = alarmsFor(observed).filter((a) => a.missingData === "breaching");
    if (silentFailures.length === 0) return;
    new MonitorActivityLogAlert(this, "resource-health", {
      name: `${this.props.name}-resource-health`,
      resourceGroupName: this.placed.resourceGroupName,
      location: "global",
      description: `The database, the edge or the cluster became unavailable or degraded (the silence ${silentFailures.map((a) => a.id).join(", ")} treat as failure)`,
      scopes: [...resourceIds(observed.database.outputs.metricScopes), ...resourceIds(observed.edge.metricScopes), observed.cluster.outputs.clusterId],
      criteria: { category: "ResourceHealth", resourceHealth: { current: ["Degraded", "Unavailable"] } },
      action: [{ actionGroupId: this.actionGroup.id }],
      tags: this.placed.tags,
    });
  }

  /**
   * The subscription's monthly cost filtered by the environment's cost-allocation tags (the
   * environment's resources, whichever resource group holds them), with a notification per threshold.
   */
  private budget(): ConsumptionBudgetSubscription {
    const { budget, tags, notifications } = this.props;
    const subscription = new DataAzurermSubscription(this, "subscription", {});
    const filterTags = COST_ALLOCATION_TAGS.filter((key) => tags[key] !== undefined).map((key) => ({ name: key, operator: "In", values: [tags[key]] }));
    return new ConsumptionBudgetSubscription(this, "budget", {
      name: `${this.props.name}-monthly`,
      subscriptionId: subscription.id,
      amount: budget.amount,
      timeGrain: "Monthly",
      // The first of the current month when created; Azure refuses a start before the current month, so later plans keep it.
      timePeriod: { startDate: Fn.formatdate("YYYY-MM-01'T'00:00:00Z", Fn.timestamp()) },
      ...(filterTags.length > 0 ? { filter: { tag: filterTags } } : {}),
      notification: azureBudgetNotifications(budget.thresholds, notifications.emails, this.actionGroup.id),
      lifecycle: { ignoreChanges: ["time_period"] },
    });
  }
}

/** Azure takes whole percents and at most five notifications per budget (Consumption API). */
export const AZURE_MAX_BUDGET_NOTIFICATIONS = 5;

/** One notification per threshold, to the addresses and the action group, on actual or forecast cost. */
export function azureBudgetNotifications(thresholds: ResolvedObservabilityProps["budget"]["thresholds"], emails: readonly string[], actionGroupId: string) {
  if (thresholds.length > AZURE_MAX_BUDGET_NOTIFICATIONS) {
    throw new Error(`observability (azure): budget.thresholds has ${thresholds.length} entries; an Azure budget takes at most ${AZURE_MAX_BUDGET_NOTIFICATIONS} notifications`);
  }
  return thresholds.map(({ percent, kind }) => {
    if (!Number.isInteger(percent)) throw new Error(`observability (azure): budget threshold ${percent} % is not a whole percent; Azure budgets take whole percents`);
    return {
      enabled: true,
      threshold: percent,
      thresholdType: kind === "actual" ? "Actual" : "Forecasted",
      operator: "GreaterThanOrEqualTo",
      contactEmails: [...emails],
      contactGroups: [actionGroupId],
    };
  });
}

/** The server's connection limit for the environment's database size. */
function connectionLimit(size: keyof typeof DATABASE_OFFERS): number {
  const sku = DATABASE_OFFERS[size].azure;
  const limit = AZURE_MAX_CONNECTIONS[sku];
  if (limit === undefined) throw new Error(`observability (azure): no connection limit known for ${sku}; add it to AZURE_MAX_CONNECTIONS`);
  return limit;
}

/** 5xx responses as a percent of the gateway's requests, from its access log (resource-specific table AGWAccessLogs). */
export function errorRateQuery(gatewayIds: readonly string[]): string {
  return [
    "AGWAccessLogs",
    `| where _ResourceId in~ (${gatewayIds.map((id) => `"${id}"`).join(", ")})`,
    "| summarize Requests = count(), ServerErrors = countif(HttpStatus >= 500)",
    "| extend ErrorPercent = iff(Requests == 0, 0.0, 100.0 * ServerErrors / Requests)",
  ].join("\n");
}
