import { BudgetsBudget } from "@cdktf/provider-aws/lib/budgets-budget";
import { EksAddon } from "@cdktf/provider-aws/lib/eks-addon";
import { SnsTopic } from "@cdktf/provider-aws/lib/sns-topic";
import { SnsTopicSubscription } from "@cdktf/provider-aws/lib/sns-topic-subscription";
import type { EnvironmentConfig } from "../environments/types";
import { AwsKeys } from "../modules/keys/aws";
import { AwsObservability, RDS_MAX_CONNECTIONS, TOPIC_PUBLISHERS } from "../modules/observability/aws";
import { ALARM_IDS, ALARMS, type ObservabilityProps } from "../modules/observability/contract";
import { OBSERVABILITY_GAPS } from "../modules/observability/gaps";
import { synthModule } from "./support/module-stack";
import { observabilityPropsOf, observedFixture } from "./support/observability";
import { environments, resources } from "./support/synth";

const KEY = "arn:aws:kms:eu-west-1:123456789012:key/fixture";
const AGENT_ROLE = "arn:aws:iam::123456789012:role/siros-prod-k8s-amazon-cloudwatch-cloudwatch-agent";

function build(env: EnvironmentConfig, change: (props: ObservabilityProps) => ObservabilityProps = (p) => p) {
  const grants: unknown[] = [];
  const publishers: string[] = [];
  const observed = observedFixture(env, {
    database: [{ DBInstanceIdentifier: `siros-${env.name}-pg` }],
    edge: [{ LoadBalancer: "app/siros-edge/abc", TargetGroup: "targetgroup/siros-edge/def" }],
    cluster: [{ ClusterName: `siros-${env.name}-k8s` }],
    network: [{ NatGatewayId: "nat-0" }, { NatGatewayId: "nat-1" }],
  });
  const synth = synthModule((scope) => {
    new AwsObservability(scope, "observability", {
      ...change(observabilityPropsOf(env, observed)),
      keyArn: KEY,
      keys: { grant: (g) => grants.push(g), grantPublishers: (s) => publishers.push(...s) },
      agentIdentity: { principal: AGENT_ROLE, annotation: AGENT_ROLE, policyCondition: "" },
    });
  });
  return { ...synth, grants, publishers };
}

const alarmsOf = (tf: ReturnType<typeof build>["tf"]) =>
  Object.fromEntries(resources(tf, "aws_cloudwatch_metric_alarm").map((alarm) => [alarm.alarm_name as string, alarm]));
const topicRef = (tf: ReturnType<typeof build>["tf"]) => `\${aws_sns_topic.${Object.keys(tf.resource.aws_sns_topic)[0]}.arn}`;

describe("AWS observability", () => {
  const prod = build(environments.prod);
  const dev = build(environments.dev);
  const dr = build(environments.dr);

  test("the alerts topic is encrypted with the environment's key, which CloudWatch and Budgets may use to publish", () => {
    expect(prod.json).toHaveResourceWithProperties(SnsTopic, { name: "siros-prod-alerts", kms_master_key_id: KEY });
    expect(prod.publishers.sort()).toEqual(["budgets.amazonaws.com", "cloudwatch.amazonaws.com"]);
    expect(prod.grants).toEqual([{ service: "logs" }]);
    const document = Object.values(prod.tf.data!.aws_iam_policy_document as Record<string, any>)[0];
    expect(document.statement).toEqual([
      {
        sid: "AlarmsAndBudgetsPublish",
        effect: "Allow",
        actions: ["sns:Publish"],
        principals: [{ type: "Service", identifiers: ["budgets.amazonaws.com", "cloudwatch.amazonaws.com"] }],
        resources: [topicRef(prod.tf)],
        condition: [{ test: "StringEquals", variable: "aws:SourceAccount", values: [expect.stringMatching(/^\$\{data\.aws_caller_identity\..+\.account_id\}$/)] }],
      },
      {
        sid: "TlsOnly",
        effect: "Deny",
        actions: ["sns:Publish"],
        principals: [{ type: "*", identifiers: ["*"] }],
        resources: [topicRef(prod.tf)],
        condition: [{ test: "Bool", variable: "aws:SecureTransport", values: ["false"] }],
      },
    ]);
  });

  test("prod notifies the team and on-call by e-mail and the on-call webhook, whose URL is a sensitive variable", () => {
    const subscriptions = resources(prod.tf, "aws_sns_topic_subscription").map(({ protocol, endpoint }) => ({ protocol, endpoint }));
    expect(subscriptions).toEqual([
      { protocol: "email", endpoint: "platform-team@example.com" },
      { protocol: "email", endpoint: "oncall@example.com" },
      { protocol: "https", endpoint: "${var.oncall_webhook_url}" },
    ]);
    expect(prod.tf.variable?.oncall_webhook_url).toMatchObject({ type: "string", sensitive: true, nullable: false });
    expect(prod.json).toHaveResourceWithProperties(SnsTopicSubscription, { protocol: "https", endpoint_auto_confirms: true });
  });

  test("dev notifies the team only: no on-call address, no webhook, no variable", () => {
    expect(resources(dev.tf, "aws_sns_topic_subscription").map(({ protocol, endpoint }) => ({ protocol, endpoint }))).toEqual([
      { protocol: "email", endpoint: "platform-team@example.com" },
    ]);
    expect(dev.tf.variable?.oncall_webhook_url).toBeUndefined();
  });

  test("every alarm of the contract exists, notifies on alarm and on recovery, and treats missing data as the contract says", () => {
    const alarms = alarmsOf(dr.tf);
    expect(Object.keys(alarms).sort()).toEqual(ALARM_IDS.map((id) => `siros-dr-${id}`).sort());
    for (const id of ALARM_IDS) {
      const alarm = alarms[`siros-dr-${id}`];
      const contract = ALARMS[id];
      expect(alarm.alarm_actions).toEqual([topicRef(dr.tf)]);
      expect(alarm.ok_actions).toEqual([topicRef(dr.tf)]);
      expect(alarm.treat_missing_data).toBe({ breaching: "breaching", "not-breaching": "notBreaching", ignore: "ignore" }[contract.missingData]);
      expect([alarm.evaluation_periods, alarm.datapoints_to_alarm]).toEqual([contract.periods, contract.periods]);
      expect(alarm.comparison_operator).toBe(contract.comparison === "above" ? "GreaterThanOrEqualToThreshold" : "LessThanOrEqualToThreshold");
    }
  });

  test("only dr, whose database is a replica, alarms on replication lag", () => {
    expect(Object.keys(alarmsOf(prod.tf))).not.toContain("siros-prod-database-replication-lag");
    expect(alarmsOf(dr.tf)["siros-dr-database-replication-lag"]).toMatchObject({
      namespace: "AWS/RDS",
      metric_name: "ReplicaLag",
      dimensions: { DBInstanceIdentifier: "siros-dr-pg" },
      statistic: "Maximum",
      threshold: 300,
      period: 300,
    });
  });

  test("database alarms read RDS metrics in RDS's units: CPU %, free bytes, connections of the instance's limit", () => {
    const alarms = alarmsOf(prod.tf);
    expect(alarms["siros-prod-database-cpu-high"]).toMatchObject({ metric_name: "CPUUtilization", statistic: "Average", threshold: 80, period: 300 });
    // 10 % of prod's 256 GiB.
    expect(alarms["siros-prod-database-storage-low"]).toMatchObject({ metric_name: "FreeStorageSpace", statistic: "Minimum", threshold: Math.round(256 * 1024 ** 3 * 0.1) });
    expect(alarms["siros-prod-database-connections-high"]).toMatchObject({ metric_name: "DatabaseConnections", threshold: Math.floor(RDS_MAX_CONNECTIONS.large * 0.8) });
    // dev: a small instance, and looser thresholds.
    const devAlarms = alarmsOf(dev.tf);
    expect(devAlarms["siros-dev-database-cpu-high"].threshold).toBe(90);
    expect(devAlarms["siros-dev-database-connections-high"].threshold).toBe(Math.floor(RDS_MAX_CONNECTIONS.small * 0.9));
    expect(devAlarms["siros-dev-database-storage-low"].threshold).toBe(Math.round(32 * 1024 ** 3 * 0.1));
  });

  test("the 5xx rate is server errors (load balancer's and targets') over requests, in percent", () => {
    const alarm = alarmsOf(prod.tf)["siros-prod-edge-5xx-rate"];
    expect(alarm.threshold).toBe(5);
    expect(alarm.metric_query.map((q: any) => q.id)).toEqual(["elb5xx", "target5xx", "requests", "rate"]);
    expect(alarm.metric_query[3]).toMatchObject({ expression: "100 * (FILL(elb5xx, 0) + FILL(target5xx, 0)) / requests", return_data: true });
    expect(alarm.metric_query[0].metric).toEqual({ namespace: "AWS/ApplicationELB", metric_name: "HTTPCode_ELB_5XX_Count", dimensions: { LoadBalancer: "app/siros-edge/abc" }, stat: "Sum", period: 300 });
    expect(alarmsOf(dev.tf)["siros-dev-edge-5xx-rate"].threshold).toBe(10);
  });

  test("unhealthy backends are counted per target group every minute", () => {
    expect(alarmsOf(prod.tf)["siros-prod-edge-unhealthy-backends"]).toMatchObject({
      namespace: "AWS/ApplicationELB",
      metric_name: "UnHealthyHostCount",
      dimensions: { LoadBalancer: "app/siros-edge/abc", TargetGroup: "targetgroup/siros-edge/def" },
      period: 60,
      threshold: 1,
      treat_missing_data: "breaching",
    });
  });

  test("NAT errors add up port allocation errors and dropped packets of every NAT gateway", () => {
    const alarm = alarmsOf(prod.tf)["siros-prod-nat-errors"];
    expect(alarm.metric_query.map((q: any) => q.id)).toEqual(["ports0", "drops0", "ports1", "drops1", "errors"]);
    expect(alarm.metric_query[4].expression).toBe("FILL(ports0, 0) + FILL(drops0, 0) + FILL(ports1, 0) + FILL(drops1, 0)");
    expect(alarm.metric_query[1].metric).toMatchObject({ metric_name: "PacketsDropCount", dimensions: { NatGatewayId: "nat-0" } });
  });

  test("cluster alarms read Container Insights; the pool ceiling is the declared alternative over both pools", () => {
    const alarms = alarmsOf(prod.tf);
    expect(alarms["siros-prod-cluster-nodes-not-ready"]).toMatchObject({ namespace: "ContainerInsights", metric_name: "cluster_failed_node_count", dimensions: { ClusterName: "siros-prod-k8s" }, threshold: 1 });
    // prod: system 6 + workload 30 nodes at most, 90 %.
    expect(alarms["siros-prod-cluster-pool-at-max"]).toMatchObject({ metric_name: "cluster_node_count", threshold: Math.ceil(36 * 0.9), period: 900 });
    expect(OBSERVABILITY_GAPS.awsPoolAtMax.alarm).toBe("cluster-pool-at-max");
  });

  test("Container Insights writes to log groups kept as the environment says and encrypted with its key", () => {
    for (const [synth, days] of [[prod, 180], [dev, 30]] as const) {
      const groups = resources(synth.tf, "aws_cloudwatch_log_group");
      expect(groups.map((g) => g.name)).toEqual(["application", "dataplane", "host", "performance"].map((k) => `/aws/containerinsights/siros-${synth === prod ? "prod" : "dev"}-k8s/${k}`));
      for (const group of groups) expect(group).toMatchObject({ retention_in_days: days, kms_key_id: KEY });
    }
    expect(prod.json).toHaveResourceWithProperties(EksAddon, { cluster_name: "siros-prod-k8s", addon_name: "amazon-cloudwatch-observability", service_account_role_arn: AGENT_ROLE });
    expect(resources(prod.tf, "aws_iam_role_policy_attachment")).toEqual([
      { role: `\${element(split("/", "${AGENT_ROLE}"), 1)}`, policy_arn: "arn:aws:iam::aws:policy/CloudWatchAgentServerPolicy" },
    ]);
  });

  test("the monthly budget counts the environment's tagged cost and notifies the topic at every threshold", () => {
    expect(prod.json).toHaveResourceWithProperties(BudgetsBudget, {
      name: "siros-prod-monthly",
      budget_type: "COST",
      limit_amount: "10000.00",
      limit_unit: "USD",
      time_unit: "MONTHLY",
      cost_filter: [{ name: "TagKeyValue", values: ["user:environment$prod"] }],
    });
    const budget = resources(prod.tf, "aws_budgets_budget")[0];
    const notification = (threshold: number, type: string) => ({
      comparison_operator: "GREATER_THAN",
      threshold,
      threshold_type: "PERCENTAGE",
      notification_type: type,
      subscriber_sns_topic_arns: [topicRef(prod.tf)],
    });
    expect(budget.notification).toEqual([notification(50, "ACTUAL"), notification(80, "ACTUAL"), notification(100, "ACTUAL"), notification(100, "FORECASTED")]);
    expect(resources(dev.tf, "aws_budgets_budget")[0].limit_amount).toBe("500.00");
  });

  test("fails if the budget is not in US dollars", () => {
    expect(() => build(environments.prod, (p) => ({ ...p, budget: { ...p.budget, currency: "EUR" } }))).toThrow(
      `observability (aws): budget currency "EUR" is not supported; AWS Budgets counts cost in US dollars, use "USD"`,
    );
  });

  test("fails if the database module exposes no metric scope", () => {
    expect(() =>
      build(environments.prod, (p) => ({ ...p, observed: { ...p.observed, database: { ...p.observed.database, outputs: { ...p.observed.database.outputs, metricScopes: [] } } } })),
    ).toThrow("observability (aws): the database module exposes no metricScopes; its AWS implementation must set them");
  });

  test("the environment's key lets the publishers generate data keys and decrypt, for this account only", () => {
    let policy: ReturnType<AwsKeys["keyPolicy"]> | undefined;
    synthModule((scope) => {
      const keys = new AwsKeys(scope, "keys", { name: "siros-prod", region: "eu-west-1" });
      keys.grantPublishers(TOPIC_PUBLISHERS);
      policy = keys.keyPolicy();
    });
    expect(policy!.Statement.find((s) => s.Sid === "PublishersUseKeyForEncryptedTopics")).toEqual({
      Sid: "PublishersUseKeyForEncryptedTopics",
      Effect: "Allow",
      Principal: { Service: ["budgets.amazonaws.com", "cloudwatch.amazonaws.com"] },
      Action: ["kms:GenerateDataKey*", "kms:Decrypt"],
      Resource: "*",
      Condition: { StringEquals: { "aws:SourceAccount": expect.stringMatching(/^\$\{TfToken\[TOKEN\.\d+\]\}$/) } },
    });
  });
});
