/** IBM Cloud storage profile: the COS buckets of both purposes and their configurations. */
import type { Block, StackIndex } from "../../../policy/terraform-json";
import type { Profile } from "../../model";
import { observe } from "../shared";
import {
  ACTIVITY_TRACKING,
  bothBuckets,
  bucketEncryption,
  bucketOf,
  daysOr,
  many,
  NO_LOCK,
  NO_LOGS,
  one,
  overBuckets,
  protectedBuckets,
  SMART_TIER,
  type StorageReadings,
} from "./shared";

const BUCKET = "ibm_cos_bucket";
/** IAM's public access group: a policy for it opens a bucket to anyone. */
const PUBLIC_ACCESS_GROUP = "AccessGroupId-PublicAccess";

export function ibmStorage(stack: StackIndex): Profile {
  const buckets = bothBuckets(stack, BUCKET);
  const assets = bucketOf(stack, BUCKET, "assets");
  const backups = bucketOf(stack, BUCKET, "backups");
  const on = (bucket: Block | undefined, type: string) => (bucket ? stack.referencing(bucket, type, "bucket_crn") : []);
  const rules = (bucket: Block | undefined) => on(bucket, "ibm_cos_bucket_lifecycle_configuration").flatMap((c) => many(c.values.lifecycle_rule));
  const noncurrent = rules(assets).map((r) => one(r.noncurrent_version_expiration)?.noncurrent_days).find((d) => d !== undefined);
  const transition = rules(backups).map((r) => one(r.transition)?.days).find((d) => d !== undefined);
  const lock = on(backups, "ibm_cos_bucket_object_lock_configuration")[0];
  const retention = one(one(one(lock?.values.object_lock_configuration)?.object_lock_rule)?.default_retention);
  // A workload's trusted profile (or service ID) may write objects in backups.
  const writers = backups
    ? ["ibm_iam_trusted_profile_policy", "ibm_iam_service_policy"].flatMap((type) => stack.referencing(backups, type)).filter((p) => ((p.values.roles as unknown[] | undefined) ?? []).includes("Object Writer"))
    : [];
  const publicPolicies = stack.ofType("ibm_iam_access_group_policy").filter((p) => p.values.access_group_id === PUBLIC_ACCESS_GROUP);
  const readings: StorageReadings = {
    bucketsEncrypted: bucketEncryption(stack, buckets, (b) => b.values.kms_key_crn),
    publicAccessBlocked: overBuckets(buckets, (b) => !publicPolicies.some((p) => stack.referencesFrom(p).some((r) => r.target === b)), publicPolicies),
    assetsVersioning: observe(assets ? one(assets.values.object_versioning)?.enable === true : null, [assets]),
    backupsVersioning: observe(backups ? one(backups.values.object_versioning)?.enable === true : null, [backups]),
    noncurrentVersionDays: observe(daysOr(assets, noncurrent, null), [assets]),
    // Smart Tier instead of a transition (modules/storage/gaps.ts ibmColdClass).
    backupsColdAfterDays: observe(backups ? (transition !== undefined ? daysOr(backups, transition) : backups.values.storage_class === "smart" ? SMART_TIER : NO_LOCK) : null, [backups]),
    backupsLockDays: observe(daysOr(backups, retention?.days, 0), [backups, lock]),
    backupsLockMode: observe(backups ? (typeof retention?.mode === "string" ? retention.mode.toLowerCase() : NO_LOCK) : null, [backups, lock]),
    backupWriterGranted: observe(backups ? writers.length > 0 : null, [backups, ...writers]),
    receivesReplica: observe(buckets.length ? stack.ofType("ibm_cos_bucket_replication_rule").length > 0 : null, stack.ofType("ibm_cos_bucket_replication_rule")),
    // COS sends data events to Activity Tracker, not to a bucket (modules/storage/gaps.ts ibmAccessLogs).
    accessLogs: overBuckets(buckets, (b) => {
      const tracking = one(b.values.activity_tracking);
      return tracking?.read_data_events === true && tracking.write_data_events === true ? ACTIVITY_TRACKING : NO_LOGS;
    }),
    deletionProtection: protectedBuckets(buckets, (b) => b.values.force_delete === false),
  };
  return { ...readings };
}
