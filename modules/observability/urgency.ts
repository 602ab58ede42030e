import type { AlarmId } from "./contract";

/**
 * How urgent each alarm is, the same on every cloud, which each maps to its own severity scale:
 * `critical` where users are failing or about to (storage, replication, the edge, nodes),
 * `warning` where capacity runs short and there is time to act.
 */
export type AlarmUrgency = "critical" | "warning";

export const ALARM_URGENCY: Readonly<Record<AlarmId, AlarmUrgency>> = {
  "database-cpu-high": "warning",
  "database-storage-low": "critical",
  "database-connections-high": "warning",
  "database-replication-lag": "critical",
  "edge-5xx-rate": "critical",
  "edge-unhealthy-backends": "critical",
  "cluster-nodes-not-ready": "critical",
  "cluster-pool-at-max": "warning",
  "nat-errors": "warning",
};
