/**
 * Where a cloud cannot do what the storage contract promises at the pinned provider
 * versions: declared here, in one place, with the reason and the nearest alternative.
 * README's module table shows them; implementations refuse (with this text) or build the
 * alternative, never skip silently.
 */
export type StorageCloud = "aws" | "azure" | "gcp" | "oci" | "ibm";

export interface StorageGap {
  readonly cloud: StorageCloud;
  readonly what: string;
  readonly reason: string;
  readonly alternative: string;
}

export const STORAGE_GAPS = {
  azureAccessLogs: {
    cloud: "azure",
    what: "server access logging to a bucket",
    reason: "Blob Storage writes its resource logs through diagnostic settings to a Log Analytics workspace, which no environment has yet (the observability module will create it)",
    alternative: "the account's activity log (control plane) until the observability module adds a diagnostic setting for StorageRead/StorageWrite/StorageDelete",
  },
  gcpLockedVersioning: {
    cloud: "gcp",
    what: "object versioning on a bucket with a lock",
    reason: "a Cloud Storage bucket cannot have both a retention policy and object versioning",
    alternative: "the retention policy keeps every object unchangeable and undeletable for the lock period, and soft delete keeps deleted objects for 7 days after it",
  },
  gcpAccessLogs: {
    cloud: "gcp",
    what: "server access logging to a bucket",
    reason: "Google replaced bucket usage logs (the legacy `logging` block) by Cloud Audit Logs; Data Access audit logs are a project-wide IAM audit setting (google_project_iam_audit_config), not a bucket's",
    alternative: "Admin Activity audit logs (always on); Data Access logs for storage.googleapis.com are enabled project-wide by the observability module",
  },
  ociAccessLogs: {
    cloud: "oci",
    what: "server access logging to a bucket",
    reason: "OCI writes Object Storage read/write logs through the Logging service (a service log on the bucket), not to another bucket",
    alternative: "object events (object_events_enabled) are on; a Logging service log per bucket is added with the observability module",
  },
  ociComplianceLock: {
    cloud: "oci",
    what: "a compliance-mode lock that nobody can lift",
    reason: "an OCI retention rule becomes locked only at time_rule_locked, a timestamp at least 14 days after the rule is created, which a declarative stack cannot hold fixed",
    alternative: "an unlocked retention rule (governance: only a user allowed to manage retention rules can remove it); lock it once with `oci os retention-rule update --time-rule-locked`",
  },
  ibmColdClass: {
    cloud: "ibm",
    what: "moving backups to a colder class after coldAfterDays",
    reason: "IBM COS does not archive (transition) objects in a bucket with object versioning, which backups need for object lock and replication",
    alternative: "the backups bucket uses the Smart Tier class, which bills objects that are rarely read at the cool rate automatically",
  },
  azureComplianceLock: {
    cloud: "azure",
    what: "a compliance-mode lock that holds from the moment the account is created",
    reason: "Azure creates an account's version-level immutability policy only Unlocked or Disabled; it becomes Locked by a later update, and a Locked policy can never be unlocked",
    alternative: "the policy is created Unlocked (only a user allowed to write the account's settings can shorten or remove it) and Terraform ignores its state; lock it once with `az storage account update --immutability-state Locked`",
  },
  ociLockedVersioning: {
    cloud: "oci",
    what: "object versioning on a bucket with a lock",
    reason: "OCI Object Storage does not accept retention rules on a bucket with versioning enabled",
    alternative: "the retention rule keeps every object unchangeable and undeletable for the lock period; the backups bucket is unversioned where it has a lock",
  },
  ibmAccessLogs: {
    cloud: "ibm",
    what: "server access logging to a bucket",
    reason: "IBM COS sends data events to Activity Tracker Event Routing, not to a bucket",
    alternative: "activity tracking of read, write and management events on every bucket, and request metrics to IBM Cloud Monitoring",
  },
} as const satisfies Record<string, StorageGap>;

export type StorageGapId = keyof typeof STORAGE_GAPS;

/** The refusal an implementation raises where its cloud has a declared gap. */
export function gapError(gap: StorageGapId, detail = ""): Error {
  const { cloud, what, reason, alternative } = STORAGE_GAPS[gap];
  return new Error(`storage (${cloud}): ${what}${detail ? ` ${detail}` : ""} is not supported: ${reason}. Instead: ${alternative}`);
}
