/** Google Cloud storage profile: the Cloud Storage buckets of both purposes and their IAM members. */
import type { Block, StackIndex } from "../../../policy/terraform-json";
import type { Profile } from "../../model";
import { observe } from "../shared";
import { bothBuckets, LOG_BUCKET, NO_LOGS, bucketEncryption, bucketOf, daysOr, many, NO_LOCK, one, overBuckets, protectedBuckets, type StorageReadings } from "./shared";

const BUCKET = "google_storage_bucket";
const DAY_SECONDS = 86_400;

export function gcpStorage(stack: StackIndex): Profile {
  const buckets = bothBuckets(stack, BUCKET);
  const assets = bucketOf(stack, BUCKET, "assets");
  const backups = bucketOf(stack, BUCKET, "backups");
  const rules = (bucket: Block | undefined) => many(bucket?.values.lifecycle_rule).map((r) => ({ action: one(r.action) ?? {}, condition: one(r.condition) ?? {} }));
  const noncurrent = rules(assets).find((r) => r.action.type === "Delete" && r.condition.days_since_noncurrent_time !== undefined)?.condition.days_since_noncurrent_time;
  const cold = rules(backups).find((r) => r.action.type === "SetStorageClass")?.condition.age;
  const retention = one(backups?.values.retention_policy);
  const seconds = typeof retention?.retention_period === "number" ? retention.retention_period : undefined;
  // A workload's service account may create objects in backups.
  const writers = backups
    ? stack.referencing(backups, "google_storage_bucket_iam_member", "bucket").filter((m) => m.values.role === "roles/storage.objectCreator" && stack.resolve(String(m.values.member ?? ""))?.type === "google_service_account")
    : [];
  const replication = stack.ofType("google_storage_transfer_job").filter((j) => one(j.values.replication_spec) !== undefined);
  const readings: StorageReadings = {
    bucketsEncrypted: bucketEncryption(stack, buckets, (b) => one(b.values.encryption)?.default_kms_key_name),
    publicAccessBlocked: overBuckets(buckets, (b) => b.values.public_access_prevention === "enforced" && b.values.uniform_bucket_level_access === true),
    assetsVersioning: observe(assets ? one(assets.values.versioning)?.enabled === true : null, [assets]),
    backupsVersioning: observe(backups ? one(backups.values.versioning)?.enabled === true : null, [backups]),
    noncurrentVersionDays: observe(daysOr(assets, noncurrent, null), [assets]),
    backupsColdAfterDays: observe(daysOr(backups, cold), [backups]),
    backupsLockDays: observe(daysOr(backups, seconds === undefined ? undefined : seconds / DAY_SECONDS, 0), [backups]),
    backupsLockMode: observe(backups ? (retention ? (retention.is_locked === true ? "compliance" : "governance") : NO_LOCK) : null, [backups]),
    backupWriterGranted: observe(backups ? writers.length > 0 : null, [backups, ...writers]),
    receivesReplica: observe(buckets.length ? replication.length > 0 : null, replication),
    // Cloud Storage has no per-bucket access log (modules/storage/gaps.ts gcpAccessLogs); the legacy `logging` block is what a bucket could set.
    accessLogs: overBuckets(buckets, (b) => (one(b.values.logging)?.log_bucket !== undefined ? LOG_BUCKET : NO_LOGS)),
    deletionProtection: protectedBuckets(buckets, (b) => b.values.force_destroy !== true),
  };
  return { ...readings };
}
