import type { Rule } from "../../rule";
import { docs, isTrue, rule, strings } from "../helpers";

/** Rules for the observability module: alarms that reach a topic, a budget on the environment's compartment. */
export const OBSERVABILITY_RULES: readonly Rule[] = [
  rule({
    id: "SIROS-OCI-MON-1",
    level: "error",
    pack: "baseline",
    cloud: "oci",
    resourceTypes: ["oci_monitoring_alarm"],
    title: "Monitoring alarms are enabled and notify a topic",
    rationale: "A disabled alarm, or one without a destination, fires for nobody; OCI tells the destinations on firing, on repeat and on recovery.",
    docs: docs.oci("monitoring_alarm"),
    fix: "Set is_enabled = true and destinations to the environment's ONS topic.",
    check: (alarm) => {
      const problems: string[] = [];
      if (!isTrue(alarm.values.is_enabled)) problems.push("is_enabled is not true");
      if (strings(alarm.values.destinations).length === 0) problems.push("destinations is empty");
      return problems;
    },
  }),
  rule({
    id: "SIROS-OCI-BUD-1",
    level: "error",
    pack: "baseline",
    cloud: "oci",
    resourceTypes: ["oci_ons_notification_topic"],
    title: "The alerts topic's compartment is the target of a budget with actual and forecast alert rules",
    rationale: "Spending that runs away is found on the invoice otherwise; an alert only on actual spend warns after the money is spent.",
    docs: docs.oci("budget_budget"),
    fix: "Add an oci_budget_budget with target_type = \"COMPARTMENT\" and targets = [the topic's compartment], and oci_budget_alert_rules of type ACTUAL and FORECAST.",
    check: (topic, stack) => {
      const compartment = String(topic.values.compartment_id ?? "");
      const budgets = stack.ofType("oci_budget_budget").filter((b) => strings(b.values.targets).includes(compartment));
      if (budgets.length === 0) return `no budget targets the topic's compartment ${compartment}`;
      const kinds = new Set(budgets.flatMap((b) => stack.referencing(b, "oci_budget_alert_rule", "budget_id").map((r) => String(r.values.type))));
      return ["ACTUAL", "FORECAST"].filter((k) => !kinds.has(k)).map((k) => `the budget has no ${k} alert rule`);
    },
  }),
];
