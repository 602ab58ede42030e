import type { Rule } from "../../rule";
import { docs, isFalse, nested, numberOf, rule, strings } from "../helpers";

const BUDGET_TYPES = ["azurerm_consumption_budget_subscription", "azurerm_consumption_budget_resource_group"];

/** Rules for the observability module: logs kept, alerts that tell of recovery, a budget that reaches people. */
export const OBSERVABILITY_RULES: readonly Rule[] = [
  rule({
    id: "SIROS-AZURE-MON-1",
    level: "error",
    pack: "production",
    cloud: "azure",
    resourceTypes: ["azurerm_log_analytics_workspace"],
    title: "Production Log Analytics workspaces keep logs at least 90 days",
    rationale: "Incidents are often found weeks after they start; a workspace keeps 30 days unless told otherwise.",
    docs: docs.azurerm("log_analytics_workspace"),
    fix: "Set retention_in_days to 90 or more (up to 730).",
    check: (workspace) => {
      const days = numberOf(workspace.values.retention_in_days) ?? 30;
      return days < 90 ? `retention_in_days is ${days}` : undefined;
    },
  }),
  rule({
    id: "SIROS-AZURE-MON-4",
    level: "error",
    pack: "baseline",
    cloud: "azure",
    resourceTypes: ["azurerm_postgresql_flexible_server", "azurerm_kubernetes_cluster", "azurerm_application_gateway"],
    title: "Databases, clusters and gateways send their logs to a Log Analytics workspace",
    rationale: "Without a diagnostic setting Azure keeps a resource's logs nowhere: the database's errors, the API server's audit trail and the gateway's access log are lost.",
    docs: docs.azurerm("monitor_diagnostic_setting"),
    fix: "Add an azurerm_monitor_diagnostic_setting with target_resource_id = this resource, log_analytics_workspace_id and its log categories (the observability module does).",
    check: (resource, stack) =>
      stack.referencing(resource, "azurerm_monitor_diagnostic_setting", "target_resource_id").some((d) => d.values.log_analytics_workspace_id !== undefined && nested(d.values, "enabled_log").length > 0)
        ? undefined
        : "no diagnostic setting sends its logs to a Log Analytics workspace",
  }),
  rule({
    id: "SIROS-AZURE-MON-2",
    level: "error",
    pack: "baseline",
    cloud: "azure",
    resourceTypes: ["azurerm_monitor_metric_alert", "azurerm_monitor_scheduled_query_rules_alert_v2"],
    title: "Alerts notify an action group and resolve themselves, so recovery is told too",
    rationale: "An alert without an action group tells nobody; one that does not auto-mitigate stays fired and never sends the resolved notification.",
    docs: docs.azurerm("monitor_metric_alert"),
    fix: "Add action { action_group_id } (query rules: action { action_groups }) and keep auto_mitigate (query rules: auto_mitigation_enabled = true).",
    check: (alert) => {
      const problems: string[] = [];
      const metric = alert.type === "azurerm_monitor_metric_alert";
      const groups = metric ? nested(alert.values, "action").map((a) => a.action_group_id) : nested(alert.values, "action").flatMap((a) => strings(a.action_groups));
      if (groups.length === 0) problems.push("no action group is notified");
      if (metric ? isFalse(alert.values.auto_mitigate) : alert.values.auto_mitigation_enabled !== true && alert.values.auto_mitigation_enabled !== "true") {
        problems.push(metric ? "auto_mitigate is false" : "auto_mitigation_enabled is not true");
      }
      return problems;
    },
  }),
  rule({
    id: "SIROS-AZURE-MON-3",
    level: "error",
    pack: "baseline",
    cloud: "azure",
    resourceTypes: ["azurerm_monitor_action_group"],
    title: "The notification path is told by a monthly budget on actual and forecast cost",
    rationale: "Spending that runs away is found on the invoice otherwise; a budget that alerts only on actual cost warns after the money is spent.",
    docs: docs.azurerm("consumption_budget_subscription"),
    fix: "Add an azurerm_consumption_budget_subscription (or _resource_group) whose notifications name this action group in contact_groups, with Actual and Forecasted thresholds.",
    check: (group, stack) => {
      const budgets = BUDGET_TYPES.flatMap((type) => stack.referencing(group, type, "notification"));
      if (budgets.length === 0) return "no budget notifies this action group";
      const kinds = new Set(budgets.flatMap((b) => nested(b.values, "notification").map((n) => String(n.threshold_type ?? "Actual"))));
      return ["Actual", "Forecasted"].filter((k) => !kinds.has(k)).map((k) => `no budget notification on ${k} cost`);
    },
  }),
];
