import type { AlarmId } from "./contract";

/**
 * Where a cloud cannot do what the observability contract promises at the pinned provider
 * versions: declared here, in one place, with the reason and the nearest alternative that
 * the implementation configures instead. README's module table shows them. A gap
 * about an alarm names it (`alarm`): the implementation builds the declared alternative, or
 * nothing where the alternative lives in another module, and refuses to leave out an alarm
 * that is not declared here (`hasAlarmGap`).
 */
export type ObservabilityCloud = "aws" | "azure" | "gcp" | "oci" | "ibm";

export interface ObservabilityGap {
  readonly cloud: ObservabilityCloud;
  /** What the contract promises that this cloud does not do. */
  readonly what: string;
  /** The contract alarm not built on this cloud, when the gap is an alarm. */
  readonly alarm?: AlarmId;
  readonly reason: string;
  /** What the implementation configures instead (never nothing). */
  readonly alternative: string;
}

/** IBM Cloud: why no metric alarm is built (shared by its alarm gaps). */
const IBM_NO_ALERT_RESOURCE =
  "IBM-Cloud/ibm 2.5.0 has no Cloud Monitoring alert resource (alerts live in the Monitoring instance, made in its console, its API or the separate sysdiglabs/sysdig provider, which this project does not pin)";
/** IBM Cloud: what the operator adds in Cloud Monitoring for each metric alarm. */
const IBM_MONITORING_ALERT =
  "an alert on it in that Monitoring instance, with an Event Notifications channel to the environment's alerts topic (the module authorizes Monitoring as a source there), is made in Monitoring (the alarm's threshold, window and missing-data treatment from ALARMS)";

/* Each cloud's gaps in its own block, so that the five implementations append without touching each other's lines. */
export const OBSERVABILITY_GAPS = {
  // aws
  awsPoolAtMax: {
    cloud: "aws",
    what: "cluster-pool-at-max for the workload pool alone",
    alarm: "cluster-pool-at-max",
    reason:
      "EKS managed node groups do not enable their Auto Scaling group's metrics (GroupInServiceInstances), and Container Insights counts nodes per cluster, not per node group",
    alternative:
      "a CloudWatch alarm on Container Insights cluster_node_count at the threshold's share of both pools' ceilings (system + workload maxNodes)",
  },

  // azure
  azureTopicEncryption: {
    cloud: "azure",
    what: "the notification path encrypted with the environment's key",
    reason: "an Azure Monitor action group stores no messages and has no encryption setting (azurerm_monitor_action_group at 4.55.0 takes none)",
    alternative: "alerts and their history live in Azure Monitor, encrypted at rest with Microsoft-managed keys; the on-call webhook's URL is a sensitive variable, never in the configuration",
  },
  azureWorkspaceKey: {
    cloud: "azure",
    what: "the log workspace encrypted with the environment's key",
    reason: "a Log Analytics workspace takes a customer-managed key only through a dedicated cluster (azurerm_log_analytics_cluster, a 100 GB/day commitment tier)",
    alternative: "the workspace keeps Microsoft-managed encryption, refuses shared-key access (local_authentication_enabled = false) and keeps the environment's retention",
  },
  azureMissingData: {
    cloud: "azure",
    what: "missing data treated as breaching (database-storage-low, database-replication-lag, edge-unhealthy-backends, cluster-nodes-not-ready)",
    reason: "Azure metric alerts have no missing-data setting: a metric that stops reporting leaves the alert quiet",
    alternative: "a Resource Health alert (<name>-resource-health) on the database, the Application Gateway and the cluster tells the action group when one becomes Unavailable or Degraded",
  },
  azureNodesNotReadyCount: {
    cloud: "azure",
    alarm: "cluster-nodes-not-ready",
    what: "cluster-nodes-not-ready as a count of nodes",
    reason: "AKS publishes node conditions (kube_node_status_condition) with the Average aggregation only: a metric alert can evaluate each node's series but not count nodes",
    alternative: "one alert evaluated per node (split by node): it fires for any node Ready less than half the window, which is the one-node threshold every environment sets",
  },
  azurePoolAtMax: {
    cloud: "azure",
    alarm: "cluster-pool-at-max",
    what: "cluster-pool-at-max as a percent of the workload pool's ceiling",
    reason: "AKS publishes no node count per pool that an alert can add up (kube_node_status_condition is Average only), and a node pool resource reports no size",
    alternative: "an alert when the cluster autoscaler reports unschedulable pods on average over the window (cluster_autoscaler_unschedulable_pods_count): the pool cannot grow to place them",
  },
  azureBudgetCurrency: {
    cloud: "azure",
    what: "the budget's currency",
    reason: "an Azure consumption budget has no currency argument: the amount is in the billing account's currency",
    alternative: "the amount is taken as is; set budget.currency to the billing account's currency so that the figure means what it says",
  },

  // gcp
  gcpReplicationLag: {
    cloud: "gcp",
    what: "database-replication-lag in dr",
    alarm: "database-replication-lag",
    reason: "dr's Cloud SQL instance is not a replica of prod's (a replica must live in its primary's project; see the database module's gcpCrossProjectReplica), so no lag is reported",
    alternative: "dr restores prod's latest backup (multi-regional by default); its database-cpu-high, database-storage-low and database-connections-high alarms apply as in every environment",
  },
  gcpChannelEncryption: {
    cloud: "gcp",
    what: "notification channels encrypted with the environment's key",
    reason: "Cloud Monitoring notification channels take no customer-managed key (google_monitoring_notification_channel has no key attribute at 6.50.0); Google encrypts them with its own keys",
    alternative: "the channels hold only addresses; the on-call webhook's URL is a sensitive variable, and the log bucket the alerts are about is encrypted with the environment's key",
  },
  gcpUnhealthyBackends: {
    cloud: "gcp",
    what: "edge-unhealthy-backends as a count of unhealthy backends",
    alarm: "edge-unhealthy-backends",
    reason: "Cloud Monitoring has no unhealthy-backend gauge for a global external Application Load Balancer; the health check logs each backend's transition",
    alternative: "a log-based counter of health-check log entries turning UNHEALTHY (the edge's health check logs), alarmed at the threshold per window; no entries is health, so missing data does not breach",
  },
  gcpNodesNotReady: {
    cloud: "gcp",
    what: "cluster-nodes-not-ready as a count of NotReady nodes",
    alarm: "cluster-nodes-not-ready",
    reason: "GKE's system metrics carry no node Ready condition; GKE logs the Kubernetes NodeNotReady events to Cloud Logging",
    alternative: "a log-based counter of NodeNotReady events of the cluster's nodes, alarmed at the threshold per window; no events is health, so missing data does not breach (node auto-repair replaces nodes that stay NotReady)",
  },

  // oci
  ociTopicEncryption: {
    cloud: "oci",
    what: "the notification topic encrypted with the environment's key",
    reason: "oci_ons_notification_topic has no key argument at 8.28.0: Notifications encrypts with Oracle-managed keys",
    alternative: "messages carry only the alarm's summary and dimensions (message_format ONS_OPTIMIZED), never data; the on-call webhook's URL is a sensitive variable",
  },
  ociStorageLow: {
    cloud: "oci",
    alarm: "database-storage-low",
    what: "database-storage-low (free storage as a percent)",
    reason: "OCI Database with PostgreSQL's OCI_OPTIMIZED_STORAGE grows by itself and reports only UsedStorage (GB), never free space",
    alternative: "an alarm when UsedStorage passes the environment's planned storage less the threshold (the database outgrew its plan: cost), and an absence alarm when the database stops reporting",
  },
  ociConnectionLimit: {
    cloud: "oci",
    alarm: "database-connections-high",
    what: "database-connections-high as a percent of the server's limit",
    reason: "OCI sets max_connections per shape in its default configuration and publishes neither the figure nor a limit metric",
    alternative: "the Connections count against the threshold percent of PostgreSQL's default max_connections (100): conservative, it fires early where OCI's shape allows more",
  },
  ociReplicationLag: {
    cloud: "oci",
    what: "database-replication-lag in dr",
    alarm: "database-replication-lag",
    reason: "dr's OCI Database with PostgreSQL is not a replica of prod's: the database module copies prod's backups to dr's region (its ociReplica gap), so no lag is reported",
    alternative: "dr restores prod's newest copied backup; its database-cpu-high, database-storage-low and database-connections-high alarms apply as in every environment",
  },
  ociErrorRate: {
    cloud: "oci",
    alarm: "edge-5xx-rate",
    what: "edge-5xx-rate as a percent of requests",
    reason: "MQL compares one metric's statistic with a number: it cannot divide HttpResponses5xx by HttpRequests (joins combine alarm conditions, not values)",
    alternative: "an alarm on the load balancer's 5xx responses per period reaching the threshold as a count (5 in a five-minute period in prod, 10 in dev)",
  },
  ociWorkloadLogAgent: {
    cloud: "oci",
    what: "the cluster's workload logs shipped to the environment's log store",
    reason: "shipping container logs needs a Unified Agent configuration (oci_logging_unified_agent_configuration) and a dynamic group with a policy for the nodes; that schema at 8.28.0 (over 200 fields) is not transcribed into the excerpts yet, so the stacks build only the custom log it would write",
    alternative: "the custom log <project>-<env>-workloads exists with the environment's retention; create the agent configuration once in the console (Logging > Agent configurations) for the node pools' dynamic group, with this log as destination",
  },
  ociBudgetCurrency: {
    cloud: "oci",
    what: "the budget's currency",
    reason: "oci_budget_budget has no currency argument: budgets are in the tenancy's billing currency",
    alternative: "the amount is taken as is; set budget.currency to the tenancy's currency so that the figure means what it says",
  },

  // ibm
  ibmDatabaseCpuHigh: {
    cloud: "ibm",
    what: "the database CPU alarm",
    alarm: "database-cpu-high",
    reason: IBM_NO_ALERT_RESOURCE,
    alternative: `the region's platform-metrics receiver (one Monitoring instance per region and account: prod's, and dr's in its own region) receives the deployment's CPU use among its Databases for PostgreSQL platform metrics; ${IBM_MONITORING_ALERT}`,
  },
  ibmDatabaseStorageLow: {
    cloud: "ibm",
    what: "the database free-storage alarm",
    alarm: "database-storage-low",
    reason: IBM_NO_ALERT_RESOURCE,
    alternative: `a Cloud Logs alert on PostgreSQL's disk-full lines ("No space left on device", "could not extend file") notifies the topic on trigger and on resolution; the region's platform-metrics receiver (one Monitoring instance per region and account: prod's, and dr's in its own region) receives the deployment's disk use; ${IBM_MONITORING_ALERT}`,
  },
  ibmDatabaseConnectionsHigh: {
    cloud: "ibm",
    what: "the database connections alarm",
    alarm: "database-connections-high",
    reason: IBM_NO_ALERT_RESOURCE,
    alternative: `a Cloud Logs alert on PostgreSQL's refusals ("remaining connection slots are reserved", "too many clients already") notifies the topic on trigger and on resolution, at the limit rather than near it; the region's platform-metrics receiver (one Monitoring instance per region and account: prod's, and dr's in its own region) receives the deployment's connection count; ${IBM_MONITORING_ALERT}`,
  },
  ibmDatabaseReplicationLag: {
    cloud: "ibm",
    what: "the dr replica's replication-lag alarm",
    alarm: "database-replication-lag",
    reason: IBM_NO_ALERT_RESOURCE,
    alternative: `in dr, a Cloud Logs alert on the replica's lost-primary lines ("could not receive data from WAL stream") notifies the topic on trigger and on resolution (replication stopped, not lag); the region's platform-metrics receiver (one Monitoring instance per region and account: prod's, and dr's in its own region) receives the replica's lag; ${IBM_MONITORING_ALERT}`,
  },
  ibmEdge5xxRate: {
    cloud: "ibm",
    what: "the edge 5xx-rate alarm",
    alarm: "edge-5xx-rate",
    reason: IBM_NO_ALERT_RESOURCE,
    alternative: `the region's platform-metrics receiver (one Monitoring instance per region and account: prod's, and dr's in its own region) receives the application load balancer's platform metrics (its HTTP responses by status class); ${IBM_MONITORING_ALERT}`,
  },
  ibmEdgeUnhealthyBackends: {
    cloud: "ibm",
    what: "the edge unhealthy-backends alarm",
    alarm: "edge-unhealthy-backends",
    reason: IBM_NO_ALERT_RESOURCE,
    alternative: `the region's platform-metrics receiver (one Monitoring instance per region and account: prod's, and dr's in its own region) receives the application load balancer's platform metrics (its pool members' health); ${IBM_MONITORING_ALERT}`,
  },
  ibmClusterNodesNotReady: {
    cloud: "ibm",
    what: "the cluster nodes-not-ready alarm",
    alarm: "cluster-nodes-not-ready",
    reason: IBM_NO_ALERT_RESOURCE,
    alternative: `node readiness reaches Cloud Monitoring once its agent runs in the cluster (a Helm chart, not a resource of this provider); ${IBM_MONITORING_ALERT}`,
  },
  ibmClusterPoolAtMax: {
    cloud: "ibm",
    what: "the cluster pool-at-max alarm",
    alarm: "cluster-pool-at-max",
    reason: IBM_NO_ALERT_RESOURCE,
    alternative: `the pool's node count reaches Cloud Monitoring once its agent runs in the cluster (a Helm chart, not a resource of this provider); ${IBM_MONITORING_ALERT}`,
  },
  ibmNatErrors: {
    cloud: "ibm",
    what: "the NAT errors alarm",
    alarm: "nat-errors",
    reason: `${IBM_NO_ALERT_RESOURCE}; a VPC public gateway publishes no error or drop metric either`,
    alternative: "the VPC flow logs of the network module record every rejected flow in its encrypted bucket",
  },
  ibmLogStoreKey: {
    cloud: "ibm",
    what: "the searchable log store and the metrics encrypted with the environment's key",
    reason:
      "Cloud Logs encrypts its own searchable store (Priority insights) and Cloud Monitoring its metrics with service-managed keys; Cloud Logs takes a customer key only through the Object Storage buckets it writes",
    alternative:
      "Cloud Logs copies every log and its metrics to two buckets encrypted with the environment's root key, searchable from Cloud Logs for the whole retention; its own store keeps the shorter searchable retention; Event Notifications, which carries the alert payloads, is encrypted with the root key",
  },
  ibmPlatformLogRouting: {
    cloud: "ibm",
    what: "the environment's platform logs (database, load balancer) sent to its own log store",
    reason:
      "IBM Cloud Logs Routing is per account and region: at 2.5.0 a route (ibm_logs_router_route) filters on location only, so dev, staging and prod, which share a region, cannot each route their own services' logs",
    alternative:
      "the Cloud Logs instance and its alerts are built per environment; the account routes each region's platform logs once (ibm_logs_router_target to prod's instance in prod's region and dr's in dr's, and a route for the region), outside these stacks",
  },
  ibmBudget: {
    cloud: "ibm",
    what: "a monthly budget with actual and forecast notifications",
    reason: "IBM-Cloud/ibm 2.5.0 has no budget or spending-notification resource; IBM Cloud's spending notifications are account settings (console: Manage > Billing and usage > Spending notifications), without forecasts",
    alternative: "every resource of the environment is in its own resource group and carries the cost-allocation tags, so the usage reports split spend per environment; set the account's spending notifications to the environment's budget amount and its 50/80/100 % thresholds once per account",
  },
} as const satisfies Record<string, ObservabilityGap>;

export type ObservabilityGapName = keyof typeof OBSERVABILITY_GAPS;

const GAPS: readonly ObservabilityGap[] = Object.values(OBSERVABILITY_GAPS);

/** True when `cloud` declares `alarm` a gap: its implementation builds the alternative instead. */
export function hasAlarmGap(cloud: ObservabilityCloud, alarm: AlarmId): boolean {
  return GAPS.some((gap) => gap.cloud === cloud && gap.alarm === alarm);
}
