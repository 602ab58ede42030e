import type { Construct, IConstruct } from "constructs";
import type { DatabaseOutputs, DatabaseSize } from "../database/contract";
import type { EdgeOutputs } from "../edge/contract";
import type { KubernetesOutputs } from "../kubernetes/contract";
import type { NetworkOutputs } from "../network/contract";
import type { MetricScope } from "../shared/monitoring";
import { stackVariable } from "../shared/stack-variable";

/**
 * Operators learn when something breaks and when spending runs away, on every cloud, the
 * same way: one notification path (e-mail, and an on-call webhook where the environment
 * has one), the same alarms on the database, the edge, the cluster and the NAT, logs kept
 * where they can be searched, and a monthly budget with actual and forecast thresholds.
 * Each cloud implements this contract once; what a cloud cannot do is declared in gaps.ts.
 */
export interface ObservabilityProps {
  /** Prefix of every resource name, e.g. `siros-prod`; the topic/channel is `<name>-alerts`. */
  readonly name: string;
  /** Region (Azure: location) the notification path, log store and alarms live in. */
  readonly region: string;
  /** Who is told, on alarm and on recovery. */
  readonly notifications: NotificationProps;
  /**
   * Days the module's log store (log group, workspace, log bucket) keeps what it receives.
   * @default 90
   */
  readonly logRetentionDays?: number;
  /**
   * The threshold of every alarm in `ALARMS`, in the alarm's unit (environment data).
   * @default DEFAULT_ALARM_THRESHOLDS
   */
  readonly thresholds?: AlarmThresholds;
  /** The monthly budget of the environment (cost filtered by the environment's tags where the cloud can). */
  readonly budget: BudgetProps;
  /** What the alarms watch: the outputs of the modules composed before this one. */
  readonly observed: ObservedResources;
  /**
   * Tags (Google: labels) for every taggable resource; the budget filters cost by
   * `COST_ALLOCATION_TAGS` of these where the cloud can.
   * @default {}
   */
  readonly tags?: Readonly<Record<string, string>>;
}

export interface NotificationProps {
  /** E-mail addresses subscribed to every alarm and budget notification (the team; in prod/dr also on-call). */
  readonly emails: readonly string[];
  /**
   * Also send to the on-call webhook (paging). Its URL carries credentials: it is never in
   * this repository, but asked at plan time as the sensitive Terraform variable
   * `ONCALL_WEBHOOK_VARIABLE` (see `onCallWebhookUrl`).
   * @default false
   */
  readonly onCallWebhook?: boolean;
}

/** The resources the alarms are about, as the other modules' contracts expose them. */
export interface ObservedResources {
  readonly database: ObservedDatabase;
  readonly edge: EdgeOutputs;
  readonly cluster: ObservedCluster;
  readonly network: NetworkOutputs;
}

export interface ObservedDatabase {
  readonly outputs: DatabaseOutputs;
  /** Its size and storage (environment data): the connection limit and free-storage threshold derive from them. */
  readonly size: DatabaseSize;
  readonly storageGb: number;
  /** A replica (dr): only a replica gets `database-replication-lag`. */
  readonly replica: boolean;
}

export interface ObservedCluster {
  readonly outputs: KubernetesOutputs;
  /** The workload pool's autoscaler ceiling (nodes across all zones): `cluster-pool-at-max` compares against it. */
  readonly workloadPoolMaxNodes: number;
  /**
   * The system pool's ceiling, for clouds that count the cluster's nodes rather than one pool's (see gaps.ts).
   * @default 0
   */
  readonly systemPoolMaxNodes?: number;
}

/** The monthly budget. */
export interface BudgetProps {
  /** Amount per calendar month, in `currency`; more than 0. */
  readonly amount: number;
  /** ISO 4217 code, one of `BUDGET_CURRENCIES`; the billing account's currency where the cloud requires it to match. */
  readonly currency: BudgetCurrency;
  /** When to notify: percentages of `amount`, on actual or forecast spend. */
  readonly thresholds: readonly BudgetThreshold[];
}

export interface BudgetThreshold {
  /** Percent of the amount, above 0 and at most `MAX_BUDGET_PERCENT`. */
  readonly percent: number;
  /** `actual`: spend so far this month; `forecast`: what the month is forecast to cost. */
  readonly kind: BudgetThresholdKind;
}

export const BUDGET_THRESHOLD_KINDS = ["actual", "forecast"] as const;
export type BudgetThresholdKind = (typeof BUDGET_THRESHOLD_KINDS)[number];
/** Currencies an environment may budget in (the billing accounts' currencies). */
export const BUDGET_CURRENCIES = ["USD", "EUR", "GBP"] as const;
export type BudgetCurrency = (typeof BUDGET_CURRENCIES)[number];
/** The highest threshold accepted, in percent (AWS Budgets and Google billing budgets both go far beyond; 10x is a runaway). */
export const MAX_BUDGET_PERCENT = 1000;
/** The thresholds the issue asks for: 50/80/100 % of actual spend and 100 % forecast. */
export const DEFAULT_BUDGET_THRESHOLDS: readonly BudgetThreshold[] = [
  { percent: 50, kind: "actual" },
  { percent: 80, kind: "actual" },
  { percent: 100, kind: "actual" },
  { percent: 100, kind: "forecast" },
];

/** The tags every taggable resource of every module carries, and the budget filters cost by (issue point 4). */
export const COST_ALLOCATION_TAGS = ["project", "environment", "cost-center", "owner"] as const;

// ---------------------------------------------------------------------------------------------
// Alarms: one cloud-neutral list. Every cloud implements each one or declares a gap in gaps.ts.
// ---------------------------------------------------------------------------------------------

export const ALARM_IDS = [
  "database-cpu-high",
  "database-storage-low",
  "database-connections-high",
  "database-replication-lag",
  "edge-5xx-rate",
  "edge-unhealthy-backends",
  "cluster-nodes-not-ready",
  "cluster-pool-at-max",
  "nat-errors",
] as const;
export type AlarmId = (typeof ALARM_IDS)[number];

/** The unit an alarm's threshold is written in (environment data). */
export type AlarmUnit = "percent" | "seconds" | "count";

/**
 * What an alarm does with a window without data, chosen per alarm:
 * `breaching`: silence is the failure (a resource that stops reporting is down);
 * `not-breaching`: silence means nothing happened (no requests, no errors);
 * `ignore`: keep the current state (silence says nothing either way).
 */
export type MissingData = "breaching" | "not-breaching" | "ignore";

export interface AlarmDefinition {
  readonly id: AlarmId;
  /** What breaks, in words an operator reads in the notification. */
  readonly summary: string;
  readonly unit: AlarmUnit;
  /** `above`: alarm when the value is at or above the threshold; `below`: at or below. */
  readonly comparison: "above" | "below";
  /** Length of one evaluation period, in minutes. */
  readonly periodMinutes: number;
  /** Consecutive periods that must breach before the alarm fires (and recover before it clears). */
  readonly periods: number;
  readonly missingData: MissingData;
  /** Why the missing-data treatment is what it is. */
  readonly missingDataWhy: string;
  /** Range a threshold may take, inclusive (validated at load). */
  readonly range: { readonly min: number; readonly max: number };
  /** `replica`: only in an environment whose database replicates another (dr). @default every stack */
  readonly only?: "replica";
}

export const ALARMS: Readonly<Record<AlarmId, AlarmDefinition>> = {
  "database-cpu-high": {
    id: "database-cpu-high",
    summary: "The database's CPU is busy: queries slow down and time out",
    unit: "percent",
    comparison: "above",
    periodMinutes: 5,
    periods: 3,
    missingData: "ignore",
    missingDataWhy: "a database that stops reporting is caught by database-storage-low; CPU silence alone says nothing",
    range: { min: 1, max: 100 },
  },
  "database-storage-low": {
    id: "database-storage-low",
    summary: "The database is running out of storage: writes will fail",
    unit: "percent",
    comparison: "below",
    periodMinutes: 5,
    periods: 1,
    missingData: "breaching",
    missingDataWhy: "free storage is reported every minute while the database runs; silence means it is down or unreachable",
    range: { min: 1, max: 50 },
  },
  "database-connections-high": {
    id: "database-connections-high",
    summary: "Database connections are near the server's limit: new clients will be refused",
    unit: "percent",
    comparison: "above",
    periodMinutes: 5,
    periods: 2,
    missingData: "not-breaching",
    missingDataWhy: "no connection figure means no clients, far from the limit",
    range: { min: 1, max: 100 },
  },
  "database-replication-lag": {
    id: "database-replication-lag",
    summary: "The dr replica lags behind the primary: a failover would lose recent writes",
    unit: "seconds",
    comparison: "above",
    periodMinutes: 5,
    periods: 2,
    missingData: "breaching",
    missingDataWhy: "a replica that stops reporting lag has stopped replicating",
    range: { min: 1, max: 3600 },
    only: "replica",
  },
  "edge-5xx-rate": {
    id: "edge-5xx-rate",
    summary: "The edge answers with server errors (5xx): users see failures",
    unit: "percent",
    comparison: "above",
    periodMinutes: 5,
    periods: 2,
    missingData: "not-breaching",
    missingDataWhy: "load balancers report no error count when there are no requests or no errors",
    range: { min: 1, max: 100 },
  },
  "edge-unhealthy-backends": {
    id: "edge-unhealthy-backends",
    summary: "Backends behind the edge fail their health checks: capacity is lost",
    unit: "count",
    comparison: "above",
    periodMinutes: 1,
    periods: 5,
    missingData: "breaching",
    missingDataWhy: "health is reported every minute while the load balancer runs; silence means it lost its backends or is gone",
    range: { min: 1, max: 100 },
  },
  "cluster-nodes-not-ready": {
    id: "cluster-nodes-not-ready",
    summary: "Cluster nodes are not ready: pods cannot be scheduled on them",
    unit: "count",
    comparison: "above",
    periodMinutes: 5,
    periods: 2,
    missingData: "breaching",
    missingDataWhy: "node status is reported while the cluster's agent runs; silence means the cluster or its monitoring is down",
    range: { min: 1, max: 100 },
  },
  "cluster-pool-at-max": {
    id: "cluster-pool-at-max",
    summary: "The workload node pool is at its autoscaler ceiling: new pods will stay pending",
    unit: "percent",
    comparison: "above",
    periodMinutes: 15,
    periods: 2,
    missingData: "not-breaching",
    missingDataWhy: "a pool that reports no size has no nodes to count against the ceiling",
    range: { min: 1, max: 100 },
  },
  "nat-errors": {
    id: "nat-errors",
    summary: "The NAT gateway drops connections or runs out of ports: egress from the private subnets fails",
    unit: "count",
    comparison: "above",
    periodMinutes: 5,
    periods: 1,
    missingData: "not-breaching",
    missingDataWhy: "NAT error counts are reported only when there is traffic; no traffic is no error",
    range: { min: 1, max: 1_000_000 },
  },
};

/** The threshold of each alarm, in its unit. */
export type AlarmThresholds = Readonly<Record<AlarmId, number>>;

/** Production thresholds; environments override what they relax. */
export const DEFAULT_ALARM_THRESHOLDS: AlarmThresholds = {
  "database-cpu-high": 80,
  "database-storage-low": 10,
  "database-connections-high": 80,
  "database-replication-lag": 300,
  "edge-5xx-rate": 5,
  "edge-unhealthy-backends": 1,
  "cluster-nodes-not-ready": 1,
  "cluster-pool-at-max": 90,
  "nat-errors": 1,
};

/** The alarms a stack builds: every alarm, `replica`-only ones only where the database is a replica. */
export function alarmsFor(observed: { readonly database: { readonly replica: boolean } }): AlarmDefinition[] {
  return ALARM_IDS.map((id) => ALARMS[id]).filter((alarm) => alarm.only !== "replica" || observed.database.replica);
}

/** An alarm's name on every cloud: `<name>-<alarm id>`, e.g. `siros-prod-database-cpu-high`. */
export const alarmName = (props: { readonly name: string }, id: AlarmId): string => `${props.name}-${id}`;

// ---------------------------------------------------------------------------------------------
// Outputs
// ---------------------------------------------------------------------------------------------

/** What people and other stacks need; exported as stack outputs. */
export interface ObservabilityOutputs {
  /**
   * Where alarms and budget notifications go: the SNS topic ARN (AWS), the action group id
   * (Azure), the notification channel ids (Google, one per target), the ONS topic OCID (OCI),
   * the Event Notifications topic id (IBM).
   */
  readonly notificationIds: readonly string[];
  /**
   * Where logs are kept and searched: the log group ARN (AWS), the Log Analytics workspace id
   * (Azure), the log bucket id (Google), the log group OCID (OCI), the Cloud Logs instance CRN (IBM).
   */
  readonly logStoreIds: readonly string[];
  /** The budget's id; empty where the cloud has no budget resource (see gaps.ts). */
  readonly budgetId: string;
  /** The alarms built, by contract id, as the cloud names them (alarm ARN, alert id, policy name, OCID, alert id). */
  readonly alarms: Readonly<Partial<Record<AlarmId, string>>>;
}

export interface Observability extends IConstruct {
  readonly outputs: ObservabilityOutputs;
}

export const DEFAULT_OBSERVABILITY_LOG_RETENTION_DAYS = 90;

export type ResolvedObservabilityProps = Required<Omit<ObservabilityProps, "notifications">> & {
  readonly notifications: Required<NotificationProps>;
};

/** The defaults documented above, applied in one place for every implementation. */
export function resolveObservabilityProps(props: ObservabilityProps): ResolvedObservabilityProps {
  return {
    logRetentionDays: DEFAULT_OBSERVABILITY_LOG_RETENTION_DAYS,
    thresholds: DEFAULT_ALARM_THRESHOLDS,
    tags: {},
    ...props,
    notifications: { onCallWebhook: false, ...props.notifications },
  };
}

/** The notification topic / channel / action group's name on every cloud. */
export const alertsName = (props: { readonly name: string }): string => `${props.name}-alerts`;

/** The sensitive Terraform variable the on-call webhook's URL is asked in at plan time (TF_VAR_oncall_webhook_url). */
export const ONCALL_WEBHOOK_VARIABLE = "oncall_webhook_url";

/**
 * The on-call webhook's URL, which carries credentials: a sensitive Terraform variable, so
 * that it is never a literal in the synthesized configuration. Call once per stack.
 */
export function onCallWebhookUrl(scope: Construct): string {
  return stackVariable(scope, ONCALL_WEBHOOK_VARIABLE, "The on-call service's HTTPS webhook URL (with its credentials) that receives alarms", true);
}

/** A budget threshold's amount in the budget's currency (for clouds that take an amount, not a percent). */
export const thresholdAmount = (budget: BudgetProps, threshold: BudgetThreshold): number =>
  Math.round(budget.amount * threshold.percent) / 100;

/** The first metric scope a module exposes, or an error naming the module whose implementation must set them. */
export function firstMetricScope(cloud: string, cloudLabel: string, scopes: readonly MetricScope[] | undefined, module: string): MetricScope {
  const scope = scopes?.[0];
  if (!scope) throw new Error(`observability (${cloud}): the ${module} module exposes no metricScopes; its ${cloudLabel} implementation must set them`);
  return scope;
}
