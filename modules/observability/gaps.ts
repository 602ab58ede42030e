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
    alternative: "a log-based counter of health-check log entries turning UNHEALTHY (the edge's health check logs), alarmed at the threshold per window",
  },
  gcpNodesNotReady: {
    cloud: "gcp",
    what: "cluster-nodes-not-ready as a count of NotReady nodes",
    alarm: "cluster-nodes-not-ready",
    reason: "GKE's system metrics carry no node Ready condition; GKE logs the Kubernetes NodeNotReady events to Cloud Logging",
    alternative: "a log-based counter of NodeNotReady events of the cluster's nodes, alarmed at the threshold per window (node auto-repair replaces nodes that stay NotReady)",
  },

  // oci

  // ibm
} as const satisfies Record<string, ObservabilityGap>;

export type ObservabilityGapName = keyof typeof OBSERVABILITY_GAPS;

const GAPS: readonly ObservabilityGap[] = Object.values(OBSERVABILITY_GAPS);

/** True when `cloud` declares `alarm` a gap: its implementation builds the alternative instead. */
export function hasAlarmGap(cloud: ObservabilityCloud, alarm: AlarmId): boolean {
  return GAPS.some((gap) => gap.cloud === cloud && gap.alarm === alarm);
}
