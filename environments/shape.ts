import type { EnvironmentName } from "./types";

/**
 * The settings in which each production-shaped environment may differ from prod; every
 * other setting must be prod's (a test holds them to it). Paths are dotted; `*` stands for
 * every cloud. Identity and placement (name, ranges, projects) always differ.
 */
export const DIFFERS_FROM_PROD: Readonly<Partial<Record<EnvironmentName, readonly string[]>>> = {
  staging: [
    "name",
    "tags.environment",
    "*.cidr",
    "gcp.project",
    // Staging keeps flow logs shorter and can be torn down; its key is otherwise prod's.
    "network.flowLogRetentionDays",
    "keys.deletionProtection",
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
  ],
  dr: ["name", "tags.environment", "*.cidr", "gcp.project", "*.region", "replicaOf"],
};
