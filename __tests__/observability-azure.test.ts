import { ConsumptionBudgetSubscription } from "@cdktf/provider-azurerm/lib/consumption-budget-subscription";
import { LogAnalyticsWorkspace } from "@cdktf/provider-azurerm/lib/log-analytics-workspace";
import { MonitorActionGroup } from "@cdktf/provider-azurerm/lib/monitor-action-group";
import { MonitorScheduledQueryRulesAlertV2 } from "@cdktf/provider-azurerm/lib/monitor-scheduled-query-rules-alert-v2";
import { checkStack, formatFinding, loadConstraints, type StackJson } from "../providers/constraints";
import { AzureObservability, errorRateQuery, metricWindow } from "../modules/observability/azure";
import { ALARM_IDS, ALARMS, type ObservabilityProps } from "../modules/observability/contract";
import { runChecks } from "../policy/engine";
import { RULES } from "../policy/rules";
import { StackIndex, type TerraformJsonDocument } from "../policy/terraform-json";
import { azureObservability } from "../parity/extractors/observability/azure";
import { synthModule } from "./support/module-stack";
import { costTagFindings } from "./support/taggable";
import { observabilityPropsWithIds, type ObservedIds } from "./support/observability";
import { environments, referenceTo, resources, synthStack, type TerraformJson } from "./support/synth";

const SUB = "/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups";
const IDS: ObservedIds = {
  database: `${SUB}/siros-database/providers/Microsoft.DBforPostgreSQL/flexibleServers/siros-pg`,
  edge: `${SUB}/siros-edge/providers/Microsoft.Network/applicationGateways/siros-edge`,
  cluster: `${SUB}/siros-kubernetes/providers/Microsoft.ContainerService/managedClusters/siros-k8s`,
  workloadPool: `${SUB}/siros-kubernetes/providers/Microsoft.ContainerService/managedClusters/siros-k8s/agentPools/workload`,
  nat: [`${SUB}/siros-network/providers/Microsoft.Network/natGateways/siros-nat-1`, `${SUB}/siros-network/providers/Microsoft.Network/natGateways/siros-nat-2`],
};

const build = (props: ObservabilityProps) =>
  synthModule((scope) => {
    new AzureObservability(scope, "observability", props);
  });
const prod = build(observabilityPropsWithIds("prod", "westeurope", IDS));
const dev = build(observabilityPropsWithIds("dev", "westeurope", IDS));
const dr = build(observabilityPropsWithIds("dr", "northeurope", IDS));

const ref = (tf: typeof prod.tf, type: string, attribute = "id") => `\${${type}.${Object.keys(tf.resource[type])[0]}.${attribute}}`;
const byName = <T extends { name: string }>(list: T[]) => [...list].sort((a, b) => a.name.localeCompare(b.name));
const alertsOf = (tf: typeof prod.tf) =>
  resources(tf, "azurerm_monitor_metric_alert").map((a) => ({
    name: a.name,
    scopes: a.scopes,
    window: a.window_size,
    frequency: a.frequency,
    severity: a.severity,
    criteria: a.criteria.map((c: Record<string, unknown>) => ({ ...c })),
  }));
const criterion = (namespace: string, metric: string, aggregation: string, threshold: number, dimension?: unknown[]) => [
  { metric_namespace: namespace, metric_name: metric, aggregation, operator: "GreaterThanOrEqual", threshold, ...(dimension ? { dimension } : {}) },
];
const DB = "Microsoft.DBforPostgreSQL/flexibleServers";
const AKS = "Microsoft.ContainerService/managedClusters";
const notReadyPerNode = {
  metric_namespace: AKS,
  metric_name: "kube_node_status_condition",
  aggregation: "Average",
  operator: "LessThan",
  threshold: 0.5,
  dimension: [
    { name: "condition", operator: "Include", values: ["Ready"] },
    { name: "status2", operator: "Include", values: ["true"] },
    { name: "node", operator: "Include", values: ["*"] },
  ],
};

/** Findings of the named policy rules on a module's JSON, with the pack an environment of that shape gets. */
function policyFindings(tf: unknown, pack: "baseline" | "production", ids: readonly string[]): string[] {
  const stack = { id: "module", file: "module.tf.json", source: "", index: new StackIndex("module", tf as TerraformJsonDocument) };
  return runChecks([stack], RULES, pack).stacks[0].findings.filter((f) => ids.includes(f.ruleId)).map((f) => `${f.ruleId} ${f.address}`);
}

describe("Azure observability", () => {
  test("an action group e-mails the team everywhere, and in prod the on-call rota and its webhook (a sensitive variable)", () => {
    expect(prod.json).toHaveResourceWithProperties(MonitorActionGroup, {
      name: "siros-prod-alerts",
      location: "global",
      short_name: "sirosprod",
      enabled: true,
      email_receiver: [
        { name: "email-1", email_address: "platform-team@example.com", use_common_alert_schema: true },
        { name: "email-2", email_address: "oncall@example.com", use_common_alert_schema: true },
      ],
      webhook_receiver: [{ name: "on-call", service_uri: "\${var.oncall_webhook_url}", use_common_alert_schema: true }],
    });
    expect(prod.tf).toMatchObject({ variable: { oncall_webhook_url: { type: "string", sensitive: true, nullable: false } } });
    const devGroup = resources(dev.tf, "azurerm_monitor_action_group")[0];
    expect(devGroup.email_receiver).toEqual([{ name: "email-1", email_address: "platform-team@example.com", use_common_alert_schema: true }]);
    expect(devGroup).not.toHaveProperty("webhook_receiver");
    expect(dev.tf).not.toHaveProperty("variable");
  });

  test("a Log Analytics workspace keeps logs for the environment's retention, without shared keys", () => {
    expect(prod.json).toHaveResourceWithProperties(LogAnalyticsWorkspace, { name: "siros-prod-logs", sku: "PerGB2018", retention_in_days: 180, local_authentication_enabled: false });
    expect(resources(dev.tf, "azurerm_log_analytics_workspace")[0].retention_in_days).toBe(30);
    expect(resources(prod.tf, "azurerm_resource_group")).toEqual([expect.objectContaining({ name: "siros-prod-observability", location: "westeurope" })]);
  });

  test("diagnostic settings send the database's, the cluster's and the gateway's logs and metrics to the workspace", () => {
    const workspace = ref(prod.tf, "azurerm_log_analytics_workspace");
    const settings = resources(prod.tf, "azurerm_monitor_diagnostic_setting")
      .sort((a, b) => a.target_resource_id.localeCompare(b.target_resource_id))
      .map((d) => ({ target: d.target_resource_id, logs: d.enabled_log.map((l: { category: string }) => l.category), metrics: d.enabled_metric, workspace: d.log_analytics_workspace_id, type: d.log_analytics_destination_type }));
    const common = { metrics: [{ category: "AllMetrics" }], workspace, type: "Dedicated" };
    expect(settings).toEqual([
      { target: IDS.database, logs: ["PostgreSQLLogs"], ...common },
      { target: IDS.edge, logs: ["ApplicationGatewayAccessLog", "ApplicationGatewayFirewallLog"], ...common },
      { target: IDS.cluster, logs: ["kube-apiserver", "kube-audit-admin", "kube-controller-manager", "kube-scheduler", "cluster-autoscaler", "guard"], ...common },
    ]);
  });

  test("prod: a metric alert per contract alarm, on the observed resources, with prod's thresholds (whole list)", () => {
    expect(byName(alertsOf(prod.tf))).toEqual(byName([
      { name: "siros-prod-database-cpu-high", scopes: [IDS.database], window: "PT15M", frequency: "PT5M", severity: 2, criteria: criterion(DB, "cpu_percent", "Average", 80) },
      { name: "siros-prod-database-storage-low", scopes: [IDS.database], window: "PT5M", frequency: "PT5M", severity: 1, criteria: criterion(DB, "storage_percent", "Maximum", 90) },
      // 80 % of the D4ds_v5 server's 1718 connections.
      { name: "siros-prod-database-connections-high", scopes: [IDS.database], window: "PT15M", frequency: "PT5M", severity: 2, criteria: criterion(DB, "active_connections", "Maximum", 1375) },
      { name: "siros-prod-edge-unhealthy-backends", scopes: [IDS.edge], window: "PT5M", frequency: "PT1M", severity: 1, criteria: criterion("Microsoft.Network/applicationGateways", "UnhealthyHostCount", "Maximum", 1) },
      // Per node: Ready less than half the window (OBSERVABILITY_GAPS.azureNodesNotReadyCount).
      { name: "siros-prod-cluster-nodes-not-ready", scopes: [IDS.cluster], window: "PT15M", frequency: "PT5M", severity: 1, criteria: [notReadyPerNode] },
      // Unschedulable pods on average over 30 minutes (OBSERVABILITY_GAPS.azurePoolAtMax).
      { name: "siros-prod-cluster-pool-at-max", scopes: [IDS.cluster], window: "PT30M", frequency: "PT15M", severity: 2, criteria: criterion(AKS, "cluster_autoscaler_unschedulable_pods_count", "Average", 1) },
      ...IDS.nat.map((nat, i) => ({
        name: `siros-prod-nat-errors-${i + 1}`,
        scopes: [nat],
        window: "PT5M",
        frequency: "PT5M",
        severity: 2,
        criteria: criterion("Microsoft.Network/natGateways", "SNATConnectionCount", "Total", 1, [{ name: "ConnectionState", operator: "Include", values: ["Failed"] }]),
      })),
    ]));
    for (const alert of resources(prod.tf, "azurerm_monitor_metric_alert")) {
      expect(alert).toMatchObject({ auto_mitigate: true, action: [{ action_group_id: ref(prod.tf, "azurerm_monitor_action_group") }], tags: expect.objectContaining({ environment: "prod" }) });
    }
  });

  test("dev's looser thresholds; dr alone alarms on replication lag", () => {
    const threshold = (tf: typeof prod.tf, name: string) => resources(tf, "azurerm_monitor_metric_alert").find((a) => a.name === name)?.criteria[0].threshold;
    // 90 % of the B2s server's 429 connections.
    expect([threshold(dev.tf, "siros-dev-database-cpu-high"), threshold(dev.tf, "siros-dev-database-connections-high"), threshold(dev.tf, "siros-dev-nat-errors-1")]).toEqual([90, 387, 10]);
    expect(resources(prod.tf, "azurerm_monitor_metric_alert").map((a) => a.name)).not.toContain("siros-prod-database-replication-lag");
    expect(alertsOf(dr.tf).find((a) => a.name === "siros-dr-database-replication-lag")).toEqual({
      name: "siros-dr-database-replication-lag",
      scopes: [IDS.database],
      window: "PT15M",
      frequency: "PT5M",
      severity: 1,
      criteria: criterion(DB, "physical_replication_delay_in_seconds", "Maximum", 300),
    });
  });

  test("the edge's 5xx rate is a log query over the gateway's access log, two failing periods of five minutes", () => {
    expect(prod.json).toHaveResourceWithProperties(MonitorScheduledQueryRulesAlertV2, {
      name: "siros-prod-edge-5xx-rate",
      scopes: [ref(prod.tf, "azurerm_log_analytics_workspace")],
      evaluation_frequency: "PT5M",
      window_duration: "PT5M",
      severity: 1,
      auto_mitigation_enabled: true,
      action: { action_groups: [ref(prod.tf, "azurerm_monitor_action_group")] },
      criteria: [
        {
          query: errorRateQuery([IDS.edge]),
          time_aggregation_method: "Maximum",
          metric_measure_column: "ErrorPercent",
          operator: "GreaterThanOrEqual",
          threshold: 5,
          failing_periods: { minimum_failing_periods_to_trigger_alert: 2, number_of_evaluation_periods: 2 },
        },
      ],
    });
    const rule = resources(prod.tf, "azurerm_monitor_scheduled_query_rules_alert_v2")[0];
    const gatewaySetting = Object.entries(prod.tf.resource.azurerm_monitor_diagnostic_setting).find(([, d]) => d.target_resource_id === IDS.edge)![0];
    expect(rule.depends_on).toEqual([`azurerm_monitor_diagnostic_setting.${gatewaySetting}`]);
    expect(errorRateQuery([IDS.edge])).toBe(
      [
        "AGWAccessLogs",
        `| where _ResourceId in~ ("${IDS.edge}")`,
        "| summarize Requests = count(), ServerErrors = countif(HttpStatus >= 500)",
        "| extend ErrorPercent = iff(Requests == 0, 0.0, 100.0 * ServerErrors / Requests)",
      ].join("\n"),
    );
  });

  test("Resource Health tells the action group when the database, the gateway or the cluster goes unavailable (silence as failure)", () => {
    expect(resources(prod.tf, "azurerm_monitor_activity_log_alert")).toEqual([
      expect.objectContaining({
        name: "siros-prod-resource-health",
        location: "global",
        scopes: [IDS.database, IDS.edge, IDS.cluster],
        criteria: { category: "ResourceHealth", resource_health: { current: ["Degraded", "Unavailable"] } },
        action: [{ action_group_id: ref(prod.tf, "azurerm_monitor_action_group") }],
      }),
    ]);
  });

  test("a monthly subscription budget filtered by the cost-allocation tags, with every threshold to the team and the action group", () => {
    const group = ref(prod.tf, "azurerm_monitor_action_group");
    const notification = (threshold: number, type: string) => ({
      enabled: true,
      threshold,
      threshold_type: type,
      operator: "GreaterThanOrEqualTo",
      contact_emails: ["platform-team@example.com", "oncall@example.com"],
      contact_groups: [group],
    });
    expect(prod.json).toHaveResourceWithProperties(ConsumptionBudgetSubscription, {
      name: "siros-prod-monthly",
      subscription_id: `\${data.azurerm_subscription.${Object.keys(prod.tf.data!.azurerm_subscription)[0]}.id}`,
      amount: 10000,
      time_grain: "Monthly",
      time_period: { start_date: "${formatdate(\"YYYY-MM-01'T'00:00:00Z\", timestamp())}" },
      filter: {
        tag: [
          { name: "project", operator: "In", values: ["siros"] },
          { name: "environment", operator: "In", values: ["prod"] },
          { name: "cost-center", operator: "In", values: ["cc-platform"] },
          { name: "owner", operator: "In", values: ["platform-team"] },
        ],
      },
      notification: [notification(50, "Actual"), notification(80, "Actual"), notification(100, "Actual"), notification(100, "Forecasted")],
      lifecycle: { ignore_changes: ["time_period"] },
    });
    expect(resources(dev.tf, "azurerm_consumption_budget_subscription")[0].amount).toBe(500);
  });

  test("every block satisfies azurerm 4.55.0's recorded validators", () => {
    const recorded = loadConstraints();
    for (const [id, synth] of [["azure-prod", prod], ["azure-dev", dev], ["azure-dr", dr]] as const) {
      expect(checkStack(id, synth.tf as unknown as StackJson, recorded).map(formatFinding)).toEqual([]);
    }
  });

  test("windows: the alarm's periods end to end, rounded up to a window Azure offers", () => {
    expect(metricWindow(ALARMS["database-connections-high"])).toEqual({ windowMinutes: 15, window: "PT15M", frequency: "PT5M" });
    expect(metricWindow(ALARMS["cluster-pool-at-max"])).toEqual({ windowMinutes: 30, window: "PT30M", frequency: "PT15M" });
    expect(() => metricWindow({ ...ALARMS["nat-errors"], periodMinutes: 10 })).toThrow(
      "observability (azure): nat-errors evaluates 1 x 10 min; Azure metric alerts take periods of 1, 5, 15, 30, 60 min and windows up to 1 day",
    );
  });

  test("fails if the budget has more than five thresholds or a fractional percent", () => {
    const props = observabilityPropsWithIds("dev", "westeurope", IDS);
    const six = Array.from({ length: 6 }, (_, i) => ({ percent: 10 * (i + 1), kind: "actual" as const }));
    expect(() => build({ ...props, budget: { ...props.budget, thresholds: six } })).toThrow("observability (azure): budget.thresholds has 6 entries; an Azure budget takes at most 5 notifications");
    expect(() => build({ ...props, budget: { ...props.budget, thresholds: [{ percent: 12.5, kind: "actual" }] } })).toThrow(
      "observability (azure): budget threshold 12.5 % is not a whole percent; Azure budgets take whole percents",
    );
  });

  test("passes the observability policy rules: production in prod and dr, baseline in dev", () => {
    const rules = ["SIROS-AZURE-MON-1", "SIROS-AZURE-MON-2", "SIROS-AZURE-MON-3"];
    expect([...policyFindings(prod.tf, "production", rules), ...policyFindings(dr.tf, "production", rules), ...policyFindings(dev.tf, "baseline", rules)]).toEqual([]);
  });

  test("the parity extractor reads the module as it synthesizes: targets, recipients, retention, recovery, budget, every alarm but dr's replication lag", () => {
    const profile = (tf: unknown) => Object.fromEntries(Object.entries(azureObservability(new StackIndex("module", tf as TerraformJsonDocument))).map(([k, o]) => [k, o.value]));
    const alarms = (replicationLag: true | null) => Object.fromEntries(ALARM_IDS.map((id) => [`alarm.${id}`, id === "database-replication-lag" ? replicationLag : true]));
    expect(profile(prod.tf)).toEqual({ notificationTargets: "email, webhook", emailRecipients: 2, notificationsEncrypted: false, logRetentionDays: 180, recoveryNotifications: true, budget: 10000, ...alarms(null) });
    expect(profile(dev.tf)).toMatchObject({ notificationTargets: "email", emailRecipients: 1, logRetentionDays: 30, budget: 500 });
  });

  test("every taggable resource carries the environment's cost-allocation tags", () => {
    expect([
      ...costTagFindings("azure-prod", "azure", prod.tf.resource, environments.prod.tags),
      ...costTagFindings("azure-dev", "azure", dev.tf.resource, environments.dev.tags),
      ...costTagFindings("azure-dr", "azure", dr.tf.resource, environments.dr.tags),
    ]).toEqual([]);
  });
});

describe("Azure observability in the composed stacks", () => {
  const stack = synthStack("azure", "prod").tf;
  const drStack = synthStack("azure", "dr").tf;
  const server = (tf: TerraformJson) => referenceTo(tf, "azurerm_postgresql_flexible_server", () => true);
  const gateway = referenceTo(stack, "azurerm_application_gateway", () => true);
  const cluster = referenceTo(stack, "azurerm_kubernetes_cluster", () => true);

  test("alarms and diagnostic settings point at the database, gateway, cluster and every NAT gateway the other modules built", () => {
    const scopes = Object.fromEntries(resources(stack, "azurerm_monitor_metric_alert").map((a) => [a.name, a.scopes]));
    expect(scopes["siros-prod-database-cpu-high"]).toEqual([server(stack)]);
    expect(scopes["siros-prod-edge-unhealthy-backends"]).toEqual([gateway]);
    expect(scopes["siros-prod-cluster-nodes-not-ready"]).toEqual([cluster]);
    const nats = Object.keys(stack.resource.azurerm_nat_gateway).map((name) => [`\${azurerm_nat_gateway.${name}.id}`]);
    expect(Object.entries(scopes).filter(([name]) => name.startsWith("siros-prod-nat-errors-")).map(([, s]) => s)).toEqual(nats);
    expect(resources(stack, "azurerm_monitor_diagnostic_setting").map((d) => d.target_resource_id)).toEqual(expect.arrayContaining([server(stack), gateway, cluster]));
  });

  test("dr alarms on its replica's lag; the stack exports the action group, workspace and budget", () => {
    expect(resources(drStack, "azurerm_monitor_metric_alert").find((a) => a.name === "siros-dr-database-replication-lag")?.scopes).toEqual([server(drStack)]);
    expect(stack.output.observability_notification_ids.value).toEqual([referenceTo(stack, "azurerm_monitor_action_group", () => true)]);
    expect(stack.output.observability_log_store_ids.value).toEqual([referenceTo(stack, "azurerm_log_analytics_workspace", (w) => w.name === "siros-prod-logs")]);
    expect(stack.output.observability_budget_id.value).toBe(referenceTo(stack, "azurerm_consumption_budget_subscription", () => true));
  });
});
