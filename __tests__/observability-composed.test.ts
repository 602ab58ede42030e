/** AWS and Google Cloud observability in the composed stacks: the alarms point at what the other modules built. */
import { byAddress, ref } from "./support/edge";
import { synthStack } from "./support/synth";

const alarmsByName = (tf: ReturnType<typeof synthStack>["tf"], type: string, nameKey: string) =>
  Object.fromEntries(Object.values(tf.resource[type] ?? {}).map((block) => [block[nameKey] as string, block]));

describe("observability composed (AWS)", () => {
  const prod = synthStack("aws", "prod");
  const at = byAddress(prod.tf);
  const alarms = alarmsByName(prod.tf, "aws_cloudwatch_metric_alarm", "alarm_name");

  test("database alarms name the RDS instance, edge alarms the load balancer and target group, NAT alarms every NAT gateway", () => {
    expect(alarms["siros-prod-database-cpu-high"].dimensions).toEqual({ DBInstanceIdentifier: ref(at, "aws_db_instance", "database_instance", "identifier") });
    expect(alarms["siros-prod-edge-unhealthy-backends"].dimensions).toEqual({
      LoadBalancer: ref(at, "aws_lb", "edge_load-balancer", "arn_suffix"),
      TargetGroup: ref(at, "aws_lb_target_group", "edge_ingress", "arn_suffix"),
    });
    const gateways = alarms["siros-prod-nat-errors"].metric_query.filter((q: any) => q.metric).map((q: any) => q.metric.dimensions.NatGatewayId);
    expect([...new Set(gateways)]).toEqual([0, 1, 2].map((i) => ref(at, "aws_nat_gateway", `network_nat-gateway-${i}`)));
    expect(alarms["siros-prod-cluster-nodes-not-ready"].dimensions).toEqual({ ClusterName: ref(at, "aws_eks_cluster", "kubernetes_cluster", "name") });
  });

  test("the topic uses the environment's key, the agent runs as the cluster's workload identity, and the stack exports the module's outputs", () => {
    expect(Object.values(prod.tf.resource.aws_sns_topic)[0].kms_master_key_id).toBe(ref(at, "aws_kms_key", "keys_key", "arn"));
    expect(Object.values(prod.tf.resource.aws_eks_addon).find((a) => a.addon_name === "amazon-cloudwatch-observability")).toMatchObject({
      service_account_role_arn: ref(at, "aws_iam_role", "kubernetes_workload-amazon-cloudwatch-cloudwatch-agent", "arn"),
    });
    expect(Object.keys(prod.tf.output).filter((name) => name.startsWith("observability_")).sort()).toEqual([
      "observability_alarm_ids",
      "observability_budget_id",
      "observability_log_store_ids",
      "observability_notification_ids",
    ]);
    expect(prod.tf.output.observability_budget_id.value).toBe(ref(at, "aws_budgets_budget", "observability_budget"));
  });
});

describe("observability composed (Google Cloud)", () => {
  const prod = synthStack("gcp", "prod");
  const at = byAddress(prod.tf);
  const policies = alarmsByName(prod.tf, "google_monitoring_alert_policy", "display_name");
  const filter = (name: string) => policies[name].conditions[0].condition_threshold.filter as string;

  test("conditions name the Cloud SQL instance, the backend service, the workload pool and the Cloud NAT gateway", () => {
    expect(filter("siros-prod-database-cpu-high")).toContain(`resource.labels.database_id = "siros-prod:${ref(at, "google_sql_database_instance", "database_instance", "name")}"`);
    expect(filter("siros-prod-edge-5xx-rate")).toContain(`resource.labels.backend_target_name = "${ref(at, "google_compute_backend_service", "edge_backend-service", "name")}"`);
    expect(filter("siros-prod-cluster-pool-at-max")).toContain(`"cloud.google.com/gke-nodepool" = "${ref(at, "google_container_node_pool", "kubernetes_workload-pool", "name")}"`);
    expect(filter("siros-prod-nat-errors")).toContain(`resource.labels.gateway_name = "${ref(at, "google_compute_router_nat", "network_nat", "name")}"`);
  });

  test("the budget's billing account is asked at plan time, and the log bucket uses the environment's key", () => {
    expect(Object.values(prod.tf.resource.google_billing_budget)[0].billing_account).toBe("${var.gcp_billing_account}");
    expect(prod.tf.variable?.gcp_billing_account).toMatchObject({ type: "string", nullable: false });
    const bucket = Object.values(prod.tf.resource.google_logging_project_bucket_config).find((b) => b.bucket_id === "siros-prod-logs")!;
    expect(bucket.cmek_settings).toEqual({ kms_key_name: ref(at, "google_kms_crypto_key", "keys_key") });
  });
});
