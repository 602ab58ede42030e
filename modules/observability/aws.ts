import { BudgetsBudget } from "@cdktf/provider-aws/lib/budgets-budget";
import { CloudwatchLogGroup } from "@cdktf/provider-aws/lib/cloudwatch-log-group";
import { CloudwatchMetricAlarm, type CloudwatchMetricAlarmMetricQuery } from "@cdktf/provider-aws/lib/cloudwatch-metric-alarm";
import { DataAwsCallerIdentity } from "@cdktf/provider-aws/lib/data-aws-caller-identity";
import { DataAwsIamPolicyDocument } from "@cdktf/provider-aws/lib/data-aws-iam-policy-document";
import { EksAddon } from "@cdktf/provider-aws/lib/eks-addon";
import { IamRolePolicyAttachment } from "@cdktf/provider-aws/lib/iam-role-policy-attachment";
import { SnsTopic } from "@cdktf/provider-aws/lib/sns-topic";
import { SnsTopicPolicy } from "@cdktf/provider-aws/lib/sns-topic-policy";
import { SnsTopicSubscription } from "@cdktf/provider-aws/lib/sns-topic-subscription";
import { Fn } from "cdktf";
import { Construct } from "constructs";
import type { WorkloadIdentity } from "../kubernetes/contract";
import type { KeyGrantee } from "../keys/contract";
import { nameTagged } from "../shared/tags";
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

export interface AwsObservabilityProps extends ObservabilityProps {
  /** The environment's KMS key (ARN): the topic and the log groups are encrypted with it. */
  readonly keyArn: string;
  /** The keys module: CloudWatch Logs, CloudWatch alarms and Budgets must be allowed to use the key. */
  readonly keys: { grant(grantee: KeyGrantee): void; grantPublishers(services: readonly string[]): void };
  /**
   * The Container Insights agent's identity (IRSA role from the cluster's `workloadIdentity`
   * for `CONTAINER_INSIGHTS_AGENT`): it gets CloudWatchAgentServerPolicy and runs the add-on.
   */
  readonly agentIdentity: WorkloadIdentity;
}

/** The namespace and service account the amazon-cloudwatch-observability add-on runs its agent as. */
export const CONTAINER_INSIGHTS_AGENT = { namespace: "amazon-cloudwatch", serviceAccount: "cloudwatch-agent" } as const;
/** The log groups Container Insights writes to, created here first so that they are kept and encrypted. */
export const CONTAINER_INSIGHTS_LOG_GROUPS = ["application", "dataplane", "host", "performance"] as const;
/** The services that publish to the alerts topic. */
export const TOPIC_PUBLISHERS = ["budgets.amazonaws.com", "cloudwatch.amazonaws.com"] as const;

const TREAT_MISSING: Readonly<Record<MissingData, string>> = { breaching: "breaching", "not-breaching": "notBreaching", ignore: "ignore" };
const GIB = 1024 ** 3;

/**
 * RDS for PostgreSQL's default max_connections, LEAST(DBInstanceClassMemory/9531392, 5000),
 * for the instance classes of DATABASE_OFFERS (4, 8 and 32 GiB; DBInstanceClassMemory is
 * the class's memory less what RDS reserves, so the figure errs on the high side by a few %).
 */
export const RDS_MAX_CONNECTIONS = { small: 450, medium: 901, large: 3604 } as const;

/** Amazon Budgets counts cost in US dollars only. */
const AWS_BUDGET_CURRENCY = "USD";

/**
 * AWS: an SNS topic encrypted with the environment's key (whose policy lets CloudWatch and
 * Budgets publish), e-mail subscriptions and, where the environment pages on-call, an HTTPS
 * subscription to the webhook (its URL a sensitive variable); CloudWatch metric alarms that
 * notify on ALARM and OK; the Container Insights log groups with retention and KMS, and the
 * add-on that fills them and reports node status; a monthly cost budget filtered by the
 * environment's tag, notifying on actual and forecast spend.
 */
export class AwsObservability extends Construct implements Observability {
  readonly outputs: ObservabilityOutputs;
  readonly topic: SnsTopic;
  readonly logGroups: CloudwatchLogGroup[];
  readonly alarms: Partial<Record<AlarmId, CloudwatchMetricAlarm>> = {};
  readonly budget: BudgetsBudget;

  constructor(scope: Construct, id: string, input: AwsObservabilityProps) {
    super(scope, id);
    const props = resolveObservabilityProps(input);
    if (props.budget.currency !== AWS_BUDGET_CURRENCY) {
      throw new Error(
        `observability (aws): budget currency ${JSON.stringify(props.budget.currency)} is not supported; AWS Budgets counts cost in US dollars, use "${AWS_BUDGET_CURRENCY}"`,
      );
    }
    input.keys.grant({ service: "logs" });
    input.keys.grantPublishers(TOPIC_PUBLISHERS);
    const account = new DataAwsCallerIdentity(this, "account");

    this.topic = this.notificationTopic(props, input.keyArn, account.accountId);
    this.logGroups = this.containerInsights(props, input);
    for (const alarm of alarmsFor(props.observed)) this.alarms[alarm.id] = this.alarm(props, alarm);
    this.budget = this.monthlyBudget(props);

    this.outputs = {
      notificationIds: [this.topic.arn],
      logStoreIds: this.logGroups.map((group) => group.arn),
      budgetId: this.budget.id,
      alarms: Object.fromEntries(Object.entries(this.alarms).map(([alarmId, resource]) => [alarmId, resource.arn])),
    };
  }

  /** The alerts topic, encrypted with the environment's key; only this account's alarms and budgets publish to it. */
  private notificationTopic(props: ResolvedObservabilityProps, keyArn: string, accountId: string): SnsTopic {
    const name = alertsName(props);
    const topic = new SnsTopic(this, "topic", { name, displayName: name, kmsMasterKeyId: keyArn, tags: nameTagged(props.tags, name) });
    const policy = new DataAwsIamPolicyDocument(this, "topic-policy-document", {
      statement: [
        {
          sid: "AlarmsAndBudgetsPublish",
          effect: "Allow",
          actions: ["sns:Publish"],
          principals: [{ type: "Service", identifiers: [...TOPIC_PUBLISHERS] }],
          resources: [topic.arn],
          condition: [{ test: "StringEquals", variable: "aws:SourceAccount", values: [accountId] }],
        },
        {
          sid: "TlsOnly",
          effect: "Deny",
          actions: ["sns:Publish"],
          principals: [{ type: "*", identifiers: ["*"] }],
          resources: [topic.arn],
          condition: [{ test: "Bool", variable: "aws:SecureTransport", values: ["false"] }],
        },
      ],
    });
    new SnsTopicPolicy(this, "topic-policy", { arn: topic.arn, policy: policy.json });
    props.notifications.emails.forEach(
      (email, i) => new SnsTopicSubscription(this, `email-${i}`, { topicArn: topic.arn, protocol: "email", endpoint: email }),
    );
    if (props.notifications.onCallWebhook) {
      new SnsTopicSubscription(this, "on-call-webhook", {
        topicArn: topic.arn,
        protocol: "https",
        endpoint: onCallWebhookUrl(this),
        // On-call services (PagerDuty, Opsgenie) confirm SNS subscriptions themselves.
        endpointAutoConfirms: true,
      });
    }
    return topic;
  }

  /**
   * Container Insights: its log groups first (kept `logRetentionDays`, encrypted), then the
   * add-on, whose agent (IRSA) writes them and reports the node status the cluster alarms read.
   */
  private containerInsights(props: ResolvedObservabilityProps, input: AwsObservabilityProps): CloudwatchLogGroup[] {
    const clusterName = props.observed.cluster.outputs.clusterName;
    const groups = CONTAINER_INSIGHTS_LOG_GROUPS.map(
      (kind) =>
        new CloudwatchLogGroup(this, `log-group-${kind}`, {
          name: `/aws/containerinsights/${clusterName}/${kind}`,
          retentionInDays: props.logRetentionDays,
          kmsKeyId: input.keyArn,
          tags: nameTagged(props.tags, `${props.name}-${kind}-logs`),
        }),
    );
    // The role's name is the last part of its ARN (IRSA roles live at the root path).
    const role = Fn.element(Fn.split("/", input.agentIdentity.principal), 1);
    const agentPolicy = new IamRolePolicyAttachment(this, "agent-policy", { role, policyArn: "arn:aws:iam::aws:policy/CloudWatchAgentServerPolicy" });
    // No addon_version: EKS installs the add-on's default version for the cluster's Kubernetes version.
    new EksAddon(this, "container-insights", {
      clusterName,
      addonName: "amazon-cloudwatch-observability",
      serviceAccountRoleArn: input.agentIdentity.principal,
      resolveConflictsOnCreate: "OVERWRITE",
      resolveConflictsOnUpdate: "OVERWRITE",
      tags: nameTagged(props.tags, `${props.name}-container-insights`),
      dependsOn: [...groups, agentPolicy],
    });
    return groups;
  }

  /** One CloudWatch alarm per contract alarm: notifies the topic on ALARM and on OK (recovery). */
  private alarm(props: ResolvedObservabilityProps, alarm: AlarmDefinition): CloudwatchMetricAlarm {
    const query = awsAlarmQuery(props, alarm);
    return new CloudwatchMetricAlarm(this, `alarm-${alarm.id}`, {
      alarmName: alarmName(props, alarm.id),
      alarmDescription: `${alarm.summary} (${props.name})`,
      comparisonOperator: alarm.comparison === "above" ? "GreaterThanOrEqualToThreshold" : "LessThanOrEqualToThreshold",
      evaluationPeriods: alarm.periods,
      datapointsToAlarm: alarm.periods,
      threshold: query.threshold,
      treatMissingData: TREAT_MISSING[alarm.missingData],
      ...("metric" in query
        ? { namespace: query.metric.namespace, metricName: query.metric.name, dimensions: { ...query.metric.dimensions }, statistic: query.metric.statistic, period: alarm.periodMinutes * 60 }
        : { metricQuery: query.metricQuery(alarm.periodMinutes * 60) }),
      alarmActions: [this.topic.arn],
      okActions: [this.topic.arn],
      tags: nameTagged(props.tags, alarmName(props, alarm.id)),
    });
  }

  /** A monthly cost budget over what carries the environment's tag, notifying the topic at each threshold. */
  private monthlyBudget(props: ResolvedObservabilityProps): BudgetsBudget {
    const environment = props.tags.environment ?? props.name;
    return new BudgetsBudget(this, "budget", {
      name: `${props.name}-monthly`,
      budgetType: "COST",
      limitAmount: props.budget.amount.toFixed(2),
      limitUnit: AWS_BUDGET_CURRENCY,
      timeUnit: "MONTHLY",
      // Cost allocation tags are `user:<key>`; the environment tag must be activated in Billing.
      costFilter: [{ name: "TagKeyValue", values: [`user:environment$${environment}`] }],
      notification: props.budget.thresholds.map((threshold) => ({
        comparisonOperator: "GREATER_THAN",
        threshold: threshold.percent,
        thresholdType: "PERCENTAGE",
        notificationType: threshold.kind === "actual" ? "ACTUAL" : "FORECASTED",
        subscriberSnsTopicArns: [this.topic.arn],
      })),
      tags: nameTagged(props.tags, `${props.name}-monthly`),
    });
  }
}

interface SingleMetric {
  readonly threshold: number;
  readonly metric: { readonly namespace: string; readonly name: string; readonly dimensions: MetricScope; readonly statistic: string };
}
interface MathMetric {
  readonly threshold: number;
  readonly metricQuery: (period: number) => CloudwatchMetricAlarmMetricQuery[];
}

const scopeOf = (scopes: readonly MetricScope[] | undefined, module: string) => firstMetricScope("aws", "AWS", scopes, module);

/** What CloudWatch measures for each contract alarm, and the threshold in CloudWatch's unit. */
export function awsAlarmQuery(props: ResolvedObservabilityProps, alarm: AlarmDefinition): SingleMetric | MathMetric {
  const { observed, thresholds } = props;
  const threshold = thresholds[alarm.id];
  const rds = () => ({ DBInstanceIdentifier: scopeOf(observed.database.outputs.metricScopes, "database").DBInstanceIdentifier });
  const lb = () => scopeOf(observed.edge.metricScopes, "edge");
  switch (alarm.id) {
    case "database-cpu-high":
      return { threshold, metric: { namespace: "AWS/RDS", name: "CPUUtilization", dimensions: rds(), statistic: "Average" } };
    case "database-storage-low":
      return { threshold: Math.round(observed.database.storageGb * GIB * (threshold / 100)), metric: { namespace: "AWS/RDS", name: "FreeStorageSpace", dimensions: rds(), statistic: "Minimum" } };
    case "database-connections-high":
      return {
        threshold: Math.floor((RDS_MAX_CONNECTIONS[observed.database.size] * threshold) / 100),
        metric: { namespace: "AWS/RDS", name: "DatabaseConnections", dimensions: rds(), statistic: "Maximum" },
      };
    case "database-replication-lag":
      return { threshold, metric: { namespace: "AWS/RDS", name: "ReplicaLag", dimensions: rds(), statistic: "Maximum" } };
    case "edge-unhealthy-backends":
      return { threshold, metric: { namespace: "AWS/ApplicationELB", name: "UnHealthyHostCount", dimensions: lb(), statistic: "Maximum" } };
    case "cluster-nodes-not-ready":
      return {
        threshold,
        metric: { namespace: "ContainerInsights", name: "cluster_failed_node_count", dimensions: { ClusterName: observed.cluster.outputs.clusterName }, statistic: "Maximum" },
      };
    case "cluster-pool-at-max": {
      // The declared alternative (OBSERVABILITY_GAPS.awsPoolAtMax): the cluster's nodes against both pools' ceilings.
      const { workloadPoolMaxNodes, systemPoolMaxNodes = 0 } = observed.cluster;
      return {
        threshold: Math.ceil(((workloadPoolMaxNodes + systemPoolMaxNodes) * threshold) / 100),
        metric: { namespace: "ContainerInsights", name: "cluster_node_count", dimensions: { ClusterName: observed.cluster.outputs.clusterName }, statistic: "Maximum" },
      };
    }
    case "edge-5xx-rate": {
      const { LoadBalancer } = lb();
      const count = (id: string, metricName: string) => ({
        id,
        metric: { namespace: "AWS/ApplicationELB", metricName, dimensions: { LoadBalancer }, stat: "Sum", period: 0 },
        returnData: false,
      });
      return {
        threshold,
        metricQuery: (period) => [
          ...[count("elb5xx", "HTTPCode_ELB_5XX_Count"), count("target5xx", "HTTPCode_Target_5XX_Count"), count("requests", "RequestCount")].map((q) => ({
            ...q,
            metric: { ...q.metric, period },
          })),
          // No requests: no rate (missing data, treated as not breaching).
          { id: "rate", expression: "100 * (FILL(elb5xx, 0) + FILL(target5xx, 0)) / requests", label: "5xx responses, % of requests", returnData: true },
        ],
      };
    }
    case "nat-errors": {
      const gateways = observed.network.metricScopes ?? [];
      if (gateways.length === 0) throw new Error("observability (aws): the network module exposes no metricScopes; its AWS implementation must set them");
      const metrics = gateways.flatMap((gateway, i) =>
        ["ErrorPortAllocation", "PacketsDropCount"].map((metricName) => ({
          id: `${metricName === "ErrorPortAllocation" ? "ports" : "drops"}${i}`,
          metric: { namespace: "AWS/NATGateway", metricName, dimensions: { NatGatewayId: gateway.NatGatewayId }, stat: "Sum", period: 0 },
          returnData: false,
        })),
      );
      return {
        threshold,
        metricQuery: (period) => [
          ...metrics.map((q) => ({ ...q, metric: { ...q.metric, period } })),
          { id: "errors", expression: metrics.map((q) => `FILL(${q.id}, 0)`).join(" + "), label: "NAT port allocation errors and dropped packets", returnData: true },
        ],
      };
    }
  }
}
