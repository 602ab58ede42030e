import type { EnvironmentName } from "./types";

/**
 * The settings in which each environment may differ from prod; every other setting must be
 * prod's (tests hold the environments to it, and `npm run parity` holds the synthesized
 * stacks to it). Paths are dotted; `*` stands for every cloud. Identity and placement
 * (name, ranges, projects) always differ.
 */
export const DIFFERS_FROM_PROD: Readonly<Partial<Record<EnvironmentName, readonly string[]>>> = {
  // dev is cheap: two zones, one shared NAT, a month of flow logs, no high availability,
  // software keys with a week's recovery window that can be destroyed, a small cluster.
  dev: [
    "name",
    "tags.environment",
    "tags.cost-center",
    "*.cidr",
    "gcp.project",
    "highAvailability",
    "*.zones",
    "network.natStrategy",
    "network.flowLogRetentionDays",
    "keys.protection",
    "keys.deletionWindowDays",
    "keys.deletionProtection",
    // One small node per pool at least, a small spot workload pool, a month of logs, deletable.
    "kubernetes.systemPool.size",
    "kubernetes.systemPool.minNodes",
    "kubernetes.systemPool.maxNodes",
    "kubernetes.workloadPool.size",
    "kubernetes.workloadPool.minNodes",
    "kubernetes.workloadPool.maxNodes",
    "kubernetes.workloadPool.spot",
    "kubernetes.logRetentionDays",
    "kubernetes.deletionProtection",
    // Storage: a week of old versions and access logs, no backup lock, nothing replicated, deletable.
    "storage.accessLogDays",
    "storage.noncurrentVersionDays",
    "storage.backups.lockDays",
    "storage.backups.lockMode",
    "storage.backups.replicate",
    "storage.deletionProtection",
    // The edge: its WAF only logs, a month of access logs, deletable.
    "edge.wafMode",
    "edge.logRetentionDays",
    "edge.deletionProtection",
    // The database: the smallest size, one zone, a week of backups, deletable.
    "database.size",
    "database.storageGb",
    "database.highAvailability",
    "database.backupRetentionDays",
    "database.deletionProtection",
    // Observability: the team only, a month of logs, looser thresholds, a small budget.
    "observability.notifications.onCall",
    "observability.notifications.onCallWebhook",
    "observability.logRetentionDays",
    "observability.thresholds.database-cpu-high",
    "observability.thresholds.database-connections-high",
    "observability.thresholds.edge-5xx-rate",
    "observability.thresholds.cluster-pool-at-max",
    "observability.thresholds.nat-errors",
    "observability.budget.amount",
  ],
  staging: [
    "name",
    "tags.environment",
    "*.cidr",
    "gcp.project",
    // Staging keeps flow logs shorter and can be torn down; its key is otherwise prod's.
    "network.flowLogRetentionDays",
    "keys.deletionProtection",
    // Storage: prod's retention; the backup lock can be lifted by an administrator; nothing replicates staging.
    "storage.backups.lockMode",
    "storage.backups.replicate",
    "storage.deletionProtection",
    // The edge: its own host names, access logs kept as long as its flow logs.
    "edge.domains",
    "edge.logRetentionDays",
    // Prod's cluster at a smaller size, deletable.
    "kubernetes.systemPool.size",
    "kubernetes.systemPool.maxNodes",
    "kubernetes.workloadPool.size",
    "kubernetes.workloadPool.maxNodes",
    "kubernetes.logRetentionDays",
    "kubernetes.deletionProtection",
    // Prod's database shape (HA) at a smaller size, shorter backups, deletable.
    "database.size",
    "database.storageGb",
    "database.backupRetentionDays",
    "database.deletionProtection",
    // Observability: nobody is paged for staging; a smaller budget.
    "observability.notifications.onCall",
    "observability.notifications.onCallWebhook",
    "observability.budget.amount",
  ],
  dr: ["name", "tags.environment", "*.cidr", "gcp.project", "*.region", "replicaOf", "storage.backups.replicate", "edge.domains"],
};
