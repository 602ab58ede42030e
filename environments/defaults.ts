import { DEFAULT_ALARM_THRESHOLDS, DEFAULT_BUDGET_THRESHOLDS } from "../modules/observability/contract";
import type { EnvironmentDefinition } from "./types";

/**
 * What every environment shares. Environment files hold only what differs from this.
 * `tags.environment` is always the environment's name and is filled in at load.
 */
export const SHARED_DEFAULTS = {
  project: "siros",
  network: {
    natStrategy: "per-zone",
    flowLogRetentionDays: 90,
    publicIngress: [
      { description: "HTTPS to public load balancers", protocol: "tcp", port: 443, sourceCidr: "0.0.0.0/0" },
      { description: "HTTP to public load balancers, which only redirect it to HTTPS", protocol: "tcp", port: 80, sourceCidr: "0.0.0.0/0" },
    ],
  },
  // Production settings; dev overrides what it may.
  keys: { rotationDays: 90, deletionWindowDays: 30, protection: "hsm", deletionProtection: true },
  storage: {
    noncurrentVersionDays: 90,
    incompleteUploadDays: 7,
    accessLogDays: 365,
    backups: { coldAfterDays: 30, lockDays: 35, lockMode: "compliance", replicate: false },
    deletionProtection: true,
  },
  // Production settings; dev runs the WAF in detection and can be torn down.
  edge: { domains: [], wafMode: "prevention", minTlsVersion: "1.2", logRetentionDays: 90, deletionProtection: true },
  // Production settings; dev overrides what it may. Version: one place, every cloud.
  kubernetes: {
    version: "1.33",
    systemPool: { size: "medium", minNodes: 3, maxNodes: 6, spot: false },
    workloadPool: { size: "large", minNodes: 3, maxNodes: 30, spot: false },
    apiAllowedCidrs: [],
    logRetentionDays: 180,
    deletionProtection: true,
  },
  // Production settings; dev and staging override what they may. Engine version: one place, every cloud.
  database: {
    engineVersion: "16",
    size: "large",
    storageGb: 256,
    highAvailability: true,
    backupRetentionDays: 35,
    deletionProtection: true,
    maintenanceWindow: { day: "sun", hour: 3 },
  },
  // Production thresholds; the team is told everywhere, on-call only in prod's shape. Every
  // environment states its own budget amount (no default: a budget without one is refused).
  observability: {
    notifications: { team: ["platform-team@example.com"], onCall: [], onCallWebhook: false },
    logRetentionDays: 90,
    thresholds: DEFAULT_ALARM_THRESHOLDS,
    budget: { currency: "USD", thresholds: DEFAULT_BUDGET_THRESHOLDS },
  },
  // The tenancy's home region (where compartments are created), whatever region a stack runs in.
  oci: { homeRegion: "eu-frankfurt-1" },
  tags: {
    project: "siros",
    owner: "platform-team",
    "cost-center": "cc-platform",
    "managed-by": "cdktf",
  },
  state: {},
} as const satisfies Omit<EnvironmentDefinition, "name" | "highAvailability">;

/**
 * Prod's shape, shared by staging and dr so they cannot drift from it: high availability
 * (validation then requires at least three zones on every cloud) and a NAT per zone, flow
 * logs kept 180 days, HSM-protected keys. What an environment spreading it still sets: its placements (region,
 * range, zone count) and, where it says so, a shorter retention (staging keeps 90 days).
 */
export const PRODUCTION_SHAPE = {
  highAvailability: true,
  network: { natStrategy: "per-zone", flowLogRetentionDays: 180 },
  keys: { protection: "hsm" },
  edge: { wafMode: "prevention", deletionProtection: true, logRetentionDays: 180 },
  kubernetes: { deletionProtection: true },
  database: { highAvailability: true, deletionProtection: true, backupRetentionDays: 35 },
  // Production pages the on-call rota (e-mail and webhook) and keeps alarm logs half a year.
  observability: { notifications: { onCall: ["oncall@example.com"], onCallWebhook: true }, logRetentionDays: 180, budget: { amount: 10000 } },
} as const satisfies Partial<EnvironmentDefinition>;
