import type { Rule } from "../../rule";
import { docs, first, isSet, isTrue, nested, rule, strings } from "../helpers";

const PUBLIC_MEMBERS = ["allUsers", "allAuthenticatedUsers"];

/** Days in a rotation period written as seconds ("7776000s"). */
function periodDays(value: unknown): number | undefined {
  const match = typeof value === "string" ? /^(\d+(?:\.\d+)?)s$/.exec(value) : undefined;
  return match ? Number(match[1]) / 86400 : undefined;
}

export const KMS_SECRETS_STORAGE_RULES: readonly Rule[] = [
  rule({
    id: "SIROS-GCP-KMS-1",
    checkov: "CKV_GCP_43",
    level: "error",
    pack: "baseline",
    cloud: "gcp",
    resourceTypes: ["google_kms_crypto_key"],
    title: "KMS crypto keys rotate at least every 90 days",
    rationale: "Rotation limits how much data one key version protects; Cloud KMS rotates on the period without changing the key's name.",
    docs: docs.google("kms_crypto_key"),
    fix: "Set rotation_period = \"7776000s\" (90 days) or shorter.",
    check: (key) => {
      if (isSet(key.values.purpose) && key.values.purpose !== "ENCRYPT_DECRYPT") return undefined;
      const days = periodDays(key.values.rotation_period);
      if (!isSet(key.values.rotation_period)) return "rotation_period is not set";
      return days !== undefined && days > 90 ? `rotation_period is ${days} days` : undefined;
    },
  }),
  rule({
    id: "SIROS-GCP-KMS-2",
    checkov: "CKV_GCP_82",
    level: "error",
    pack: "baseline",
    cloud: "gcp",
    resourceTypes: ["google_kms_crypto_key"],
    title: "KMS crypto keys are kept by prevent_destroy",
    rationale: "Destroying a key destroys all its versions after the scheduled-destruction delay, and with them everything they encrypt.",
    docs: docs.google("kms_crypto_key"),
    fix: "Set lifecycle { prevent_destroy = true }.",
    check: (key) => (isTrue(first(key.values, "lifecycle")?.prevent_destroy) ? undefined : "lifecycle.prevent_destroy is not set"),
  }),
  rule({
    id: "SIROS-GCP-KMS-3",
    level: "warning",
    pack: "production",
    cloud: "gcp",
    resourceTypes: ["google_kms_crypto_key"],
    title: "Production KMS keys are HSM-protected",
    rationale: "HSM protection keeps key material in FIPS 140-2 Level 3 hardware.",
    docs: docs.google("kms_crypto_key"),
    fix: "Set version_template { protection_level = \"HSM\", algorithm = \"GOOGLE_SYMMETRIC_ENCRYPTION\" }.",
    check: (key) => (first(key.values, "version_template")?.protection_level === "HSM" ? undefined : "version_template.protection_level is not HSM"),
  }),
  rule({
    id: "SIROS-GCP-KMS-4",
    checkov: "CKV_GCP_112",
    level: "error",
    pack: "baseline",
    cloud: "gcp",
    resourceTypes: ["google_kms_crypto_key_iam_member", "google_kms_crypto_key_iam_binding", "google_kms_key_ring_iam_member", "google_kms_key_ring_iam_binding"],
    title: "KMS keys and key rings are not granted to allUsers or allAuthenticatedUsers",
    rationale: "A public grant lets anyone with a Google account use or manage the key.",
    docs: "https://cloud.google.com/kms/docs/iam",
    fix: "Grant the role to named service accounts or groups.",
    check: (grant) => {
      const members = [...strings(grant.values.member), ...strings(grant.values.members)];
      const open = members.filter((m) => PUBLIC_MEMBERS.includes(m));
      return open.length ? `grants ${String(grant.values.role)} to ${open.join(", ")}` : undefined;
    },
  }),
  rule({
    id: "SIROS-GCP-SM-1",
    level: "error",
    pack: "baseline",
    cloud: "gcp",
    resourceTypes: ["google_secret_manager_secret"],
    title: "Secret Manager secrets are encrypted with a customer-managed key",
    rationale: "CMEK puts secret payloads under a key whose use is logged and can be revoked.",
    docs: docs.google("secret_manager_secret"),
    fix: "Set replication.auto.customer_managed_encryption.kms_key_name (or each user_managed replica's).",
    check: (secret) => {
      const replication = first(secret.values, "replication");
      const auto = first(replication, "auto");
      if (auto) return isSet(first(auto, "customer_managed_encryption")?.kms_key_name) ? undefined : "replication.auto has no customer_managed_encryption";
      const replicas = nested(first(replication, "user_managed"), "replicas");
      if (replicas.length === 0) return "no replication policy with customer-managed encryption";
      const bare = replicas.filter((r) => !isSet(first(r, "customer_managed_encryption")?.kms_key_name));
      return bare.length ? `${bare.length} user_managed replica(s) without customer_managed_encryption` : undefined;
    },
  }),
  rule({
    id: "SIROS-GCP-GCS-1",
    checkov: "CKV_GCP_29",
    level: "error",
    pack: "baseline",
    cloud: "gcp",
    resourceTypes: ["google_storage_bucket"],
    title: "Cloud Storage buckets use uniform bucket-level access",
    rationale: "With object ACLs disabled, IAM alone decides access and one policy describes the whole bucket.",
    docs: docs.google("storage_bucket"),
    fix: "Set uniform_bucket_level_access = true.",
    check: (bucket) => (isTrue(bucket.values.uniform_bucket_level_access) ? undefined : "uniform_bucket_level_access is not true"),
  }),
  rule({
    id: "SIROS-GCP-GCS-2",
    checkov: "CKV_GCP_114",
    level: "error",
    pack: "baseline",
    cloud: "gcp",
    resourceTypes: ["google_storage_bucket"],
    title: "Cloud Storage buckets enforce public access prevention",
    rationale: "Public access prevention refuses any grant to allUsers or allAuthenticatedUsers, whatever IAM says later.",
    docs: docs.google("storage_bucket"),
    fix: "Set public_access_prevention = \"enforced\".",
    check: (bucket) => (bucket.values.public_access_prevention === "enforced" ? undefined : "public_access_prevention is not enforced"),
  }),
  rule({
    id: "SIROS-GCP-GCS-4",
    checkov: "CKV_GCP_78",
    level: "warning",
    pack: "baseline",
    cloud: "gcp",
    resourceTypes: ["google_storage_bucket"],
    title: "Cloud Storage buckets keep object versions, or a retention policy protects the objects",
    rationale: "Versioning keeps overwritten and deleted objects recoverable; a bucket with a retention policy cannot be versioned, and the policy keeps every object undeletable and unchangeable instead.",
    docs: docs.google("storage_bucket"),
    fix: "Set versioning { enabled = true }, or give the bucket a retention_policy.",
    check: (bucket) =>
      isTrue(first(bucket.values, "versioning")?.enabled) || isSet(first(bucket.values, "retention_policy")?.retention_period) ? undefined : "versioning is not enabled and no retention_policy protects the objects",
  }),
];
