/** Oracle Cloud storage profile: the Object Storage buckets of both purposes, lifecycle policies and IAM policies. */
import type { Block, StackIndex } from "../../../policy/terraform-json";
import type { Profile } from "../../model";
import { observe } from "../shared";
import { bothBuckets, NO_LOGS, OBJECT_EVENTS, SERVICE_LOG, bucketEncryption, bucketOf, daysOr, many, NO_LOCK, one, overBuckets, protectedBuckets, type StorageReadings } from "./shared";

const BUCKET = "oci_objectstorage_bucket";

export function ociStorage(stack: StackIndex): Profile {
  const buckets = bothBuckets(stack, BUCKET);
  const assets = bucketOf(stack, BUCKET, "assets");
  const backups = bucketOf(stack, BUCKET, "backups");
  const rules = (bucket: Block | undefined) => (bucket ? stack.referencing(bucket, "oci_objectstorage_object_lifecycle_policy", "bucket") : []).flatMap((p) => many(p.values.rules));
  const noncurrent = rules(assets).find((r) => r.action === "DELETE" && r.target === "previous-object-versions")?.time_amount;
  const cold = rules(backups).find((r) => r.action === "INFREQUENT_ACCESS" || r.action === "ARCHIVE")?.time_amount;
  const retention = many(backups?.values.retention_rules)[0];
  const duration = one(retention?.duration);
  // A workload may create objects in backups: a policy statement naming the bucket with OBJECT_CREATE.
  const writers = backups
    ? stack.referencing(backups, "oci_identity_policy", "statements").filter((p) => ((p.values.statements as unknown[] | undefined) ?? []).some((s) => String(s).includes("OBJECT_CREATE")))
    : [];
  const replication = stack.ofType("oci_objectstorage_replication_policy");
  const readings: StorageReadings = {
    bucketsEncrypted: bucketEncryption(stack, buckets, (b) => b.values.kms_key_id),
    publicAccessBlocked: overBuckets(buckets, (b) => b.values.access_type === "NoPublicAccess"),
    assetsVersioning: observe(assets ? assets.values.versioning === "Enabled" : null, [assets]),
    backupsVersioning: observe(backups ? backups.values.versioning === "Enabled" : null, [backups]),
    noncurrentVersionDays: observe(daysOr(assets, noncurrent, null), [assets]),
    backupsColdAfterDays: observe(daysOr(backups, cold), [backups]),
    backupsLockDays: observe(daysOr(backups, duration?.time_unit === "DAYS" ? duration.time_amount : undefined, 0), [backups]),
    // A retention rule is locked only from time_rule_locked on (modules/storage/gaps.ts ociComplianceLock).
    backupsLockMode: observe(backups ? (retention ? (retention.time_rule_locked !== undefined ? "compliance" : "governance") : NO_LOCK) : null, [backups]),
    backupWriterGranted: observe(backups ? writers.length > 0 : null, [backups, ...writers]),
    receivesReplica: observe(buckets.length ? replication.length > 0 : null, replication),
    // OCI writes bucket access logs through the Logging service (modules/storage/gaps.ts ociAccessLogs).
    accessLogs: overBuckets(buckets, (b) =>
      stack.ofType("oci_logging_log").some((l) => JSON.stringify(l.values.configuration ?? {}).includes(`${b.address}.`)) ? SERVICE_LOG : b.values.object_events_enabled === true ? OBJECT_EVENTS : NO_LOGS,
    ),
    deletionProtection: protectedBuckets(buckets),
  };
  return { ...readings };
}
