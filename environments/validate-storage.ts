import { BUCKET_LOCK_MODES } from "../modules/storage/contract";
import type { EnvironmentConfig } from "./types";

/** Day ranges every cloud's lifecycle and retention settings accept (IBM COS and S3 cap rules at 3650 days). */
export const STORAGE_DAYS = {
  noncurrentVersionDays: { min: 1, max: 3650 },
  incompleteUploadDays: { min: 1, max: 30 },
  accessLogDays: { min: 1, max: 3650 },
  coldAfterDays: { min: 30, max: 3650 },
  lockDays: { min: 1, max: 3650 },
} as const;

type Report = (field: string, problem: string) => void;

const show = (value: unknown): string => (value === undefined ? "nothing" : JSON.stringify(value));

function checkDays(value: unknown, field: string, range: { min: number; max: number }, report: Report): void {
  if (!Number.isInteger(value) || (value as number) < range.min || (value as number) > range.max) {
    report(field, `${show(value)} is out of range; use a whole number of days from ${range.min} to ${range.max}`);
  }
}

/**
 * The storage knobs of one environment: day ranges, the backup lock, deletion protection of
 * production-shaped environments, and replication only where a replica exists to receive it.
 */
export function checkStorageSettings(config: EnvironmentConfig, configs: readonly EnvironmentConfig[], report: Report): void {
  const storage = config.storage ?? ({} as Partial<EnvironmentConfig["storage"]>);
  const backups = storage.backups ?? ({} as Partial<EnvironmentConfig["storage"]["backups"]>);
  checkDays(storage.noncurrentVersionDays, "storage.noncurrentVersionDays", STORAGE_DAYS.noncurrentVersionDays, report);
  checkDays(storage.incompleteUploadDays, "storage.incompleteUploadDays", STORAGE_DAYS.incompleteUploadDays, report);
  checkDays(storage.accessLogDays, "storage.accessLogDays", STORAGE_DAYS.accessLogDays, report);
  checkDays(backups.coldAfterDays, "storage.backups.coldAfterDays", STORAGE_DAYS.coldAfterDays, report);
  if (backups.lockDays !== 0) checkDays(backups.lockDays, "storage.backups.lockDays", STORAGE_DAYS.lockDays, report);
  if (config.highAvailability && backups.lockDays === 0) {
    report("storage.backups.lockDays", `0 is not allowed in a high-availability environment: its backups must be immutable; use ${STORAGE_DAYS.lockDays.min} to ${STORAGE_DAYS.lockDays.max} days`);
  }
  if (!(BUCKET_LOCK_MODES as readonly unknown[]).includes(backups.lockMode)) {
    report("storage.backups.lockMode", `${show(backups.lockMode)} is not a lock mode; valid: ${BUCKET_LOCK_MODES.map((m) => JSON.stringify(m)).join(", ")}`);
  }
  const replicas = configs.filter((c) => c.replicaOf === config.name).map((c) => c.name);
  if (typeof backups.replicate !== "boolean") {
    report("storage.backups.replicate", `${show(backups.replicate)} is not a boolean; use true or false`);
  } else if (backups.replicate && replicas.length === 0) {
    report("storage.backups.replicate", `true is not possible: no environment names "${config.name}" in replicaOf, so there is no replica to receive the backups; use false`);
  } else if (!backups.replicate && replicas.length > 0 && config.highAvailability) {
    report("storage.backups.replicate", `false is not allowed: ${replicas.map((r) => `"${r}"`).join(", ")} replicates this environment and must receive its backups; use true`);
  }
  if (typeof storage.deletionProtection !== "boolean") {
    report("storage.deletionProtection", `${show(storage.deletionProtection)} is not a boolean; use true or false`);
  } else if (!storage.deletionProtection && (config.replicaOf !== undefined || replicas.length > 0)) {
    const role = config.replicaOf !== undefined ? `a replica of "${config.replicaOf}"` : "replicated by another environment";
    report("storage.deletionProtection", `false is not allowed: this environment is ${role}, and its buckets hold the backups that survive a region; use true`);
  }
}
