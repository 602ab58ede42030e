import { OciProvider } from "../.gen/providers/oci/provider";
import { BudgetBudget } from "../.gen/providers/oci/budget-budget";
import { LoggingLog } from "../.gen/providers/oci/logging-log";
import { OnsNotificationTopic } from "../.gen/providers/oci/ons-notification-topic";
import { checkStack, formatFinding, loadConstraints, type StackJson } from "../providers/constraints";
import { ALARM_IDS, type ObservabilityProps } from "../modules/observability/contract";
import { hasAlarmGap } from "../modules/observability/gaps";
import { OciObservability } from "../modules/observability/oci";
import { runChecks } from "../policy/engine";
import { RULES } from "../policy/rules";
import { StackIndex, type TerraformJsonDocument } from "../policy/terraform-json";
import { ociObservability } from "../parity/extractors/observability/oci";
import { synthModule } from "./support/module-stack";
import { costTagFindings } from "./support/taggable";
import { observabilityPropsWithIds, type ObservedIds } from "./support/observability";
import { environments, referenceTo, resources, synthStack, type TerraformJson } from "./support/synth";

const COMPARTMENT = "ocid1.compartment.oc1..aaaaaaaaenvironment";
const IDS: ObservedIds = {
  database: "ocid1.postgresqldbsystem.oc1.eu-frankfurt-1.aaaadb",
  edge: "ocid1.loadbalancer.oc1.eu-frankfurt-1.aaaalb",
  cluster: "ocid1.cluster.oc1.eu-frankfurt-1.aaaacluster",
  workloadPool: "ocid1.nodepool.oc1.eu-frankfurt-1.aaaapool",
  nat: ["ocid1.natgateway.oc1.eu-frankfurt-1.aaaanat"],
};

const build = (props: ObservabilityProps, tenancyId?: string) =>
  synthModule((scope) => {
    const home = new OciProvider(scope, "home", { alias: "home", region: "eu-frankfurt-1" });
    new OciObservability(scope, "observability", { ...props, compartmentId: COMPARTMENT, identityProvider: home, ...(tenancyId ? { tenancyId } : {}) });
  });
// OCI's dr database is restored from copied backups, never a replica (DATABASE_GAPS.ociReplica).
const prod = build(observabilityPropsWithIds("prod", "eu-frankfurt-1", IDS));
const dev = build(observabilityPropsWithIds("dev", "eu-frankfurt-1", IDS));
const dr = build(observabilityPropsWithIds("dr", "uk-london-1", IDS), "ocid1.tenancy.oc1..aaaatenancy");

const topicRef = (tf: TerraformJson) => `\${oci_ons_notification_topic.${Object.keys(tf.resource.oci_ons_notification_topic)[0]}.id}`;
const alarms = (tf: TerraformJson) =>
  resources(tf, "oci_monitoring_alarm")
    .map((a) => ({ name: a.display_name, namespace: a.namespace, query: a.query, severity: a.severity, pending: a.pending_duration }))
    .sort((a, b) => a.name.localeCompare(b.name));

/** Findings of the named policy rules on a module's JSON, with the pack an environment of that shape gets. */
function policyFindings(tf: unknown, pack: "baseline" | "production", ids: readonly string[]): string[] {
  const stack = { id: "module", file: "module.tf.json", source: "", index: new StackIndex("module", tf as TerraformJsonDocument) };
  return runChecks([stack], RULES, pack).stacks[0].findings.filter((f) => ids.includes(f.ruleId)).map((f) => `${f.ruleId} ${f.address}`);
}

describe("Oracle Cloud observability", () => {
  test("an ONS topic in the environment's compartment; e-mail subscriptions for the team (and on-call in prod), the on-call webhook as a sensitive variable", () => {
    expect(prod.json).toHaveResourceWithProperties(OnsNotificationTopic, { compartment_id: COMPARTMENT, name: "siros-prod-alerts" });
    const subscriptions = (tf: TerraformJson) => resources(tf, "oci_ons_subscription").map((s) => ({ protocol: s.protocol, endpoint: s.endpoint, topic: s.topic_id, compartment: s.compartment_id }));
    const topic = topicRef(prod.tf);
    expect(subscriptions(prod.tf)).toEqual([
      { protocol: "EMAIL", endpoint: "platform-team@example.com", topic, compartment: COMPARTMENT },
      { protocol: "EMAIL", endpoint: "oncall@example.com", topic, compartment: COMPARTMENT },
      { protocol: "HTTPS", endpoint: "${var.oncall_webhook_url}", topic, compartment: COMPARTMENT },
    ]);
    expect(prod.tf).toMatchObject({ variable: { oncall_webhook_url: { sensitive: true } } });
    expect(subscriptions(dev.tf)).toEqual([{ protocol: "EMAIL", endpoint: "platform-team@example.com", topic: topicRef(dev.tf), compartment: COMPARTMENT }]);
  });

  test("a log group whose custom workload log keeps the environment's retention", () => {
    expect(prod.json).toHaveResourceWithProperties(LoggingLog, { display_name: "siros-prod-workloads", log_type: "CUSTOM", is_enabled: true, retention_duration: 180 });
    expect(resources(dev.tf, "oci_logging_log")[0].retention_duration).toBe(30);
    expect(resources(prod.tf, "oci_logging_log_group")).toEqual([expect.objectContaining({ compartment_id: COMPARTMENT, display_name: "siros-prod-observability" })]);
  });

  test("prod: an MQL alarm per contract alarm (or its declared alternative) and an absence alarm where silence is failure (whole list)", () => {
    const db = `resourceId = "${IDS.database}"`;
    const lb = `resourceId = "${IDS.edge}"`;
    expect(alarms(prod.tf)).toEqual(
      [
        { name: "siros-prod-cluster-nodes-not-ready", namespace: "oci_oke", query: `NodeState[5m]{clusterId = "${IDS.cluster}", nodeState =~ "FAILING|INACTIVE"}.max() >= 1`, severity: "CRITICAL", pending: "PT10M" },
        { name: "siros-prod-cluster-nodes-not-ready-absent", namespace: "oci_oke", query: `NodeState[5m]{clusterId = "${IDS.cluster}"}.groupBy(clusterId).absent()`, severity: "CRITICAL", pending: "PT10M" },
        // 90 % of 30 workload nodes.
        { name: "siros-prod-cluster-pool-at-max", namespace: "oci_oke", query: `NodeState[15m]{nodepoolId = "${IDS.workloadPool}", nodeState = "ACTIVE"}.max() >= 27`, severity: "WARNING", pending: "PT30M" },
        // 80 % of PostgreSQL's default 100 connections (OBSERVABILITY_GAPS.ociConnectionLimit).
        { name: "siros-prod-database-connections-high", namespace: "oci_postgresql", query: `Connections[5m]{${db}}.max() >= 80`, severity: "WARNING", pending: "PT10M" },
        { name: "siros-prod-database-cpu-high", namespace: "oci_postgresql", query: `CpuUtilization[5m]{${db}}.max() >= 80`, severity: "WARNING", pending: "PT15M" },
        // 90 % of the planned 256 GB used (OBSERVABILITY_GAPS.ociStorageLow).
        { name: "siros-prod-database-storage-low", namespace: "oci_postgresql", query: `UsedStorage[5m]{${db}}.max() >= 230`, severity: "CRITICAL", pending: "PT5M" },
        { name: "siros-prod-database-storage-low-absent", namespace: "oci_postgresql", query: `UsedStorage[5m]{${db}}.groupBy(resourceId).absent()`, severity: "CRITICAL", pending: "PT5M" },
        // Five 5xx responses in a five-minute period (OBSERVABILITY_GAPS.ociErrorRate).
        { name: "siros-prod-edge-5xx-rate", namespace: "oci_lbaas", query: `HttpResponses5xx[5m]{${lb}}.sum() >= 5`, severity: "CRITICAL", pending: "PT10M" },
        { name: "siros-prod-edge-unhealthy-backends", namespace: "oci_lbaas", query: `UnHealthyBackendServers[1m]{${lb}}.max() >= 1`, severity: "CRITICAL", pending: "PT5M" },
        { name: "siros-prod-edge-unhealthy-backends-absent", namespace: "oci_lbaas", query: `UnHealthyBackendServers[1m]{${lb}}.groupBy(resourceId).absent()`, severity: "CRITICAL", pending: "PT5M" },
        { name: "siros-prod-nat-errors", namespace: "oci_nat_gateway", query: `DropsToNATgw[5m]{resourceId = "${IDS.nat[0]}"}.sum() >= 1`, severity: "WARNING", pending: "PT5M" },
      ].sort((a, b) => a.name.localeCompare(b.name)),
    );
    for (const alarm of resources(prod.tf, "oci_monitoring_alarm")) {
      expect(alarm).toMatchObject({
        compartment_id: COMPARTMENT,
        metric_compartment_id: COMPARTMENT,
        is_enabled: true,
        destinations: [topicRef(prod.tf)],
        message_format: "ONS_OPTIMIZED",
        resolution: "1m",
        repeat_notification_duration: "PT4H",
        freeform_tags: expect.objectContaining({ environment: "prod", "cost-center": "cc-platform" }),
      });
    }
  });

  test("dev's looser thresholds; dr (no replica on OCI) builds no replication-lag alarm", () => {
    const query = (tf: TerraformJson, name: string) => resources(tf, "oci_monitoring_alarm").find((a) => a.display_name === name)?.query;
    expect(query(dev.tf, "siros-dev-database-cpu-high")).toBe(`CpuUtilization[5m]{resourceId = "${IDS.database}"}.max() >= 90`);
    // 100 % of dev's 3 workload nodes; 90 % of the planned 32 GB.
    expect(query(dev.tf, "siros-dev-cluster-pool-at-max")).toBe(`NodeState[15m]{nodepoolId = "${IDS.workloadPool}", nodeState = "ACTIVE"}.max() >= 3`);
    expect(query(dev.tf, "siros-dev-database-storage-low")).toBe(`UsedStorage[5m]{resourceId = "${IDS.database}"}.max() >= 28`);
    expect(resources(dr.tf, "oci_monitoring_alarm").map((a) => a.display_name)).not.toContain("siros-dr-database-replication-lag");
  });

  test("dr builds no replication-lag alarm even where the composition calls its database a replica (a declared gap: OCI's dr restores copied backups)", () => {
    const names = resources(build(observabilityPropsWithIds("dr", "uk-london-1", IDS, true)).tf, "oci_monitoring_alarm").map((a) => a.display_name);
    expect(names).toContain("siros-dr-database-cpu-high");
    expect(names.filter((n) => n.includes("replication-lag"))).toEqual([]);
    expect(hasAlarmGap("oci", "database-replication-lag")).toBe(true);
  });

  test("a monthly budget on the environment's compartment, in the root compartment through the home region, an alert rule per threshold", () => {
    expect(prod.json).toHaveResourceWithProperties(BudgetBudget, {
      provider: "oci.home",
      compartment_id: "${var.oci_tenancy_ocid}",
      display_name: "siros-prod-monthly",
      amount: 10000,
      reset_period: "MONTHLY",
      processing_period_type: "MONTH",
      target_type: "COMPARTMENT",
      targets: [COMPARTMENT],
    });
    expect(resources(dr.tf, "oci_budget_budget")[0].compartment_id).toBe("ocid1.tenancy.oc1..aaaatenancy");
    expect(dr.tf).not.toHaveProperty("variable.oci_tenancy_ocid");
    const budget = `\${oci_budget_budget.${Object.keys(prod.tf.resource.oci_budget_budget)[0]}.id}`;
    const rule = (type: string, threshold: number, name: string) => ({ provider: "oci.home", budget_id: budget, type, threshold_type: "PERCENTAGE", threshold, display_name: name, recipients: "platform-team@example.com, oncall@example.com" });
    expect(
      resources(prod.tf, "oci_budget_alert_rule")
        .map((r) => ({ provider: r.provider, budget_id: r.budget_id, type: r.type, threshold_type: r.threshold_type, threshold: r.threshold, display_name: r.display_name, recipients: r.recipients }))
        .sort((a, b) => a.display_name.localeCompare(b.display_name)),
    ).toEqual([rule("ACTUAL", 100, "actual-100-percent"), rule("ACTUAL", 50, "actual-50-percent"), rule("ACTUAL", 80, "actual-80-percent"), rule("FORECAST", 100, "forecast-100-percent")]);
    expect(resources(dev.tf, "oci_budget_budget")[0].amount).toBe(500);
  });

  test("fails if the budget amount is not whole", () => {
    const props = observabilityPropsWithIds("dev", "eu-frankfurt-1", IDS);
    expect(() => build({ ...props, budget: { ...props.budget, amount: 499.5 } })).toThrow("observability (oci): budget.amount 499.5 is not a whole amount; OCI budgets take whole amounts");
  });

  test("every block satisfies oracle/oci 8.28.0's recorded validators", () => {
    const recorded = loadConstraints();
    for (const [id, synth] of [["oci-prod", prod], ["oci-dev", dev], ["oci-dr", dr]] as const) {
      expect(checkStack(id, synth.tf as unknown as StackJson, recorded).map(formatFinding)).toEqual([]);
    }
  });

  test("passes the observability policy rules: production in prod and dr, baseline in dev", () => {
    const rules = ["SIROS-OCI-MON-1", "SIROS-OCI-BUD-1", "SIROS-OCI-LOG-1"];
    expect([...policyFindings(prod.tf, "production", rules), ...policyFindings(dr.tf, "production", rules), ...policyFindings(dev.tf, "baseline", rules)]).toEqual([]);
  });

  test("the parity extractor reads the module as it synthesizes: targets, recipients, retention, recovery, budget, every alarm but dr's replication lag", () => {
    const profile = (tf: unknown) => Object.fromEntries(Object.entries(ociObservability(new StackIndex("module", tf as TerraformJsonDocument))).map(([k, o]) => [k, o.value]));
    const alarms = (replicationLag: true | null) => Object.fromEntries(ALARM_IDS.map((id) => [`alarm.${id}`, id === "database-replication-lag" ? replicationLag : true]));
    expect(profile(prod.tf)).toEqual({ notificationTargets: "email, webhook", emailRecipients: 2, notificationsEncrypted: false, logRetentionDays: 180, recoveryNotifications: true, budget: 10000, ...alarms(null) });
    expect(profile(dev.tf)).toMatchObject({ notificationTargets: "email", emailRecipients: 1, logRetentionDays: 30, budget: 500 });
  });

  test("every taggable resource carries the environment's cost-allocation tags", () => {
    expect([
      ...costTagFindings("oci-prod", "oci", prod.tf.resource, environments.prod.tags),
      ...costTagFindings("oci-dev", "oci", dev.tf.resource, environments.dev.tags),
      ...costTagFindings("oci-dr", "oci", dr.tf.resource, environments.dr.tags),
    ]).toEqual([]);
  });
});

describe("Oracle Cloud observability in the composed stacks", () => {
  const stack = synthStack("oci", "prod").tf;
  const compartment = referenceTo(stack, "oci_identity_compartment", () => true);
  const query = (name: string) => resources(stack, "oci_monitoring_alarm").find((a) => a.display_name === name)?.query;

  test("alarms query the database, load balancer, cluster, workload pool and NAT gateway the other modules built", () => {
    expect(query("siros-prod-database-cpu-high")).toBe(`CpuUtilization[5m]{resourceId = "${referenceTo(stack, "oci_psql_db_system", () => true)}"}.max() >= 80`);
    expect(query("siros-prod-edge-unhealthy-backends")).toBe(`UnHealthyBackendServers[1m]{resourceId = "${referenceTo(stack, "oci_load_balancer_load_balancer", () => true)}"}.max() >= 1`);
    expect(query("siros-prod-nat-errors")).toBe(`DropsToNATgw[5m]{resourceId = "${referenceTo(stack, "oci_core_nat_gateway", () => true)}"}.sum() >= 1`);
    expect(query("siros-prod-cluster-pool-at-max")).toContain(`nodepoolId = "${referenceTo(stack, "oci_containerengine_node_pool", (p) => String(p.name).endsWith("-workload"))}"`);
    expect(query("siros-prod-cluster-nodes-not-ready")).toContain(`clusterId = "${referenceTo(stack, "oci_containerengine_cluster", () => true)}"`);
  });

  test("the topic and alarms live in the environment's compartment; the budget targets it from the tenancy through the home region", () => {
    expect(resources(stack, "oci_ons_notification_topic")[0].compartment_id).toBe(compartment);
    expect(resources(stack, "oci_monitoring_alarm").every((a) => a.compartment_id === compartment && a.metric_compartment_id === compartment)).toBe(true);
    expect(resources(stack, "oci_budget_budget")[0]).toMatchObject({ provider: "oci.home", compartment_id: "${var.oci_tenancy_ocid}", targets: [compartment] });
    expect(stack.output.observability_budget_id.value).toBe(referenceTo(stack, "oci_budget_budget", () => true));
  });
});
