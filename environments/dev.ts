import type { EnvironmentDefinition } from "./types";

/**
 * Development: two zones and one shared NAT per network keep it cheap; software keys, a
 * week's recovery window and no deletion protection, so dev can be torn down and rebuilt.
 */
export const dev: EnvironmentDefinition = {
  name: "dev",
  highAvailability: false,
  network: { natStrategy: "single", flowLogRetentionDays: 30 },
  keys: { protection: "software", deletionWindowDays: 7, deletionProtection: false },
  // Short retention, no immutability: dev's buckets can be emptied and rebuilt.
  storage: { noncurrentVersionDays: 7, accessLogDays: 30, backups: { lockDays: 0, lockMode: "governance" }, deletionProtection: false },
  edge: { wafMode: "detection", logRetentionDays: 30, deletionProtection: false },
  // One small node each for add-ons, a small spot workload pool; deletable.
  // Smallest size, one zone, a week of backups, no deletion protection.
  database: { size: "small", storageGb: 32, highAvailability: false, backupRetentionDays: 7, deletionProtection: false },
  kubernetes: {
    systemPool: { size: "small", minNodes: 1, maxNodes: 2, spot: false },
    workloadPool: { size: "small", minNodes: 1, maxNodes: 3, spot: true },
    logRetentionDays: 30,
    deletionProtection: false,
  },
  // The team only, a month of logs, looser thresholds, a small budget.
  observability: {
    logRetentionDays: 30,
    thresholds: { "database-cpu-high": 90, "database-connections-high": 90, "edge-5xx-rate": 10, "cluster-pool-at-max": 100, "nat-errors": 10 },
    budget: { amount: 500 },
  },
  tags: { "cost-center": "cc-platform-dev" },
  aws: { region: "eu-west-1", cidr: "10.0.0.0/16", zones: 2 },
  azure: { region: "westeurope", cidr: "10.16.0.0/16", zones: 2 },
  gcp: { region: "europe-west1", cidr: "10.32.0.0/16", zones: 2, project: "siros-dev" },
  oci: { region: "eu-frankfurt-1", cidr: "10.48.0.0/16", zones: 2 },
  ibm: { region: "eu-de", cidr: "10.64.0.0/16", zones: 2 },
};
