import { PRODUCTION_SHAPE } from "./defaults";
import type { EnvironmentDefinition } from "./types";

/**
 * Staging: prod's shape in prod's regions, with its own ranges, shorter log retention, and
 * no deletion protection on its key and secret store (staging is rebuilt, prod never is).
 */
export const staging: EnvironmentDefinition = {
  name: "staging",
  ...PRODUCTION_SHAPE,
  network: { ...PRODUCTION_SHAPE.network, flowLogRetentionDays: 90 },
  keys: { ...PRODUCTION_SHAPE.keys, deletionProtection: false },
  // Prod's lock, in governance mode: staging's backups can be cleared by an administrator.
  storage: { backups: { lockMode: "governance" }, deletionProtection: false },
  edge: { ...PRODUCTION_SHAPE.edge, logRetentionDays: 90 },
  // Prod's shape at a smaller size, rebuildable.
  // Prod's shape (HA) at a smaller size and storage; rebuilt, so no deletion protection.
  database: { ...PRODUCTION_SHAPE.database, size: "medium", storageGb: 64, backupRetentionDays: 14, deletionProtection: false },
  kubernetes: {
    ...PRODUCTION_SHAPE.kubernetes,
    systemPool: { size: "small", minNodes: 3, maxNodes: 3, spot: false },
    workloadPool: { size: "medium", minNodes: 3, maxNodes: 9, spot: false },
    logRetentionDays: 90,
    deletionProtection: false,
  },
  // Prod's alarms and retention, the team only (nobody is paged for staging), a smaller budget.
  observability: { ...PRODUCTION_SHAPE.observability, notifications: { onCall: [], onCallWebhook: false }, budget: { amount: 2500 } },
  aws: { region: "eu-west-1", cidr: "10.1.0.0/16", zones: 3 },
  azure: { region: "westeurope", cidr: "10.17.0.0/16", zones: 3 },
  gcp: { region: "europe-west1", cidr: "10.33.0.0/16", zones: 3, project: "siros-staging" },
  oci: { region: "eu-frankfurt-1", cidr: "10.49.0.0/16", zones: 3 },
  ibm: { region: "eu-de", cidr: "10.65.0.0/16", zones: 3 },
};
