/** AWS storage profile: the S3 buckets of both purposes and the resources attached to them. */
import type { Block, StackIndex } from "../../../policy/terraform-json";
import type { Profile } from "../../model";
import { observe } from "../shared";
import { bothBuckets, LOG_BUCKET, NO_LOGS, bucketEncryption, bucketOf, daysOr, many, NO_LOCK, one, overBuckets, protectedBuckets, type StorageReadings } from "./shared";

const BUCKET = "aws_s3_bucket";

export function awsStorage(stack: StackIndex): Profile {
  const buckets = bothBuckets(stack, BUCKET);
  const assets = bucketOf(stack, BUCKET, "assets");
  const backups = bucketOf(stack, BUCKET, "backups");
  const on = (bucket: Block | undefined, type: string) => (bucket ? stack.referencing(bucket, type, "bucket")[0] : undefined);
  const rules = (bucket: Block | undefined) => many(on(bucket, "aws_s3_bucket_lifecycle_configuration")?.values.rule);
  const noncurrent = one(rules(assets).find((r) => r.noncurrent_version_expiration)?.noncurrent_version_expiration)?.noncurrent_days;
  const cold = rules(backups).flatMap((r) => many(r.transition)).find((t) => t.storage_class !== undefined)?.days;
  const lock = on(backups, "aws_s3_bucket_object_lock_configuration");
  const retention = one(one(lock?.values.rule)?.default_retention);
  const policy = on(backups, "aws_s3_bucket_policy");
  const replication = stack.ofType("aws_s3_bucket_replication_configuration");
  const readings: StorageReadings = {
    bucketsEncrypted: bucketEncryption(stack, buckets, (b) => one(one(on(b, "aws_s3_bucket_server_side_encryption_configuration")?.values.rule)?.apply_server_side_encryption_by_default)?.kms_master_key_id),
    publicAccessBlocked: overBuckets(buckets, (b) => {
      const block = on(b, "aws_s3_bucket_public_access_block")?.values;
      return block !== undefined && ["block_public_acls", "block_public_policy", "ignore_public_acls", "restrict_public_buckets"].every((k) => block[k] === true);
    }),
    assetsVersioning: versioning(assets, on),
    backupsVersioning: versioning(backups, on),
    noncurrentVersionDays: observe(daysOr(assets, noncurrent, null), [assets]),
    backupsColdAfterDays: observe(daysOr(backups, cold), [backups]),
    backupsLockDays: observe(daysOr(backups, retention?.days, 0), [backups, lock]),
    backupsLockMode: observe(backups ? (typeof retention?.mode === "string" ? retention.mode.toLowerCase() : NO_LOCK) : null, [backups, lock]),
    backupWriterGranted: observe(backups ? writesObjects(stack, policy) : null, [backups, policy]),
    receivesReplica: observe(buckets.length ? replication.length > 0 : null, replication),
    accessLogs: overBuckets(buckets, (b) => (on(b, "aws_s3_bucket_logging") !== undefined ? LOG_BUCKET : NO_LOGS)),
    deletionProtection: protectedBuckets(buckets, (b) => b.values.force_destroy !== true),
  };
  return { ...readings };
}

function versioning(bucket: Block | undefined, on: (bucket: Block | undefined, type: string) => Block | undefined) {
  const config = on(bucket, "aws_s3_bucket_versioning");
  return observe(bucket ? one(config?.values.versioning_configuration)?.status === "Enabled" : null, [bucket, config]);
}

/** The bucket policy lets an IAM role of this stack (a workload's) put objects. */
function writesObjects(stack: StackIndex, policy: Block | undefined): boolean {
  let document: { Statement?: { Effect?: string; Action?: string | string[]; Principal?: { AWS?: string } }[] };
  try {
    document = JSON.parse(String(policy?.values.policy ?? "{}"));
  } catch {
    return false;
  }
  return (document.Statement ?? []).some(
    (s) => s.Effect === "Allow" && [s.Action].flat().includes("s3:PutObject") && typeof s.Principal?.AWS === "string" && stack.resolve(s.Principal.AWS)?.type === "aws_iam_role",
  );
}
