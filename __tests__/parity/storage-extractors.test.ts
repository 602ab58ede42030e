/** Each storage extractor on a small hand-written stack: the whole profile, and what breaks it. */
import { awsStorage } from "../../parity/extractors/storage/aws";
import { azureStorage } from "../../parity/extractors/storage/azure";
import { gcpStorage } from "../../parity/extractors/storage/gcp";
import { ibmStorage } from "../../parity/extractors/storage/ibm";
import { ociStorage } from "../../parity/extractors/storage/oci";
import type { Profile } from "../../parity/model";
import { index } from "./support";

const values = (profile: Profile) => Object.fromEntries(Object.entries(profile).map(([k, o]) => [k, o.value]));
const protect = { lifecycle: { prevent_destroy: true } };
/** cdktf's metadata: the extractors find the module's buckets by construct path. */
const at = (path: string) => ({ "//": { metadata: { path: `stack/storage/${path}` } } });
const keyOutput = (expression: string) => ({ output: { key_id: { value: expression } } });
const EMPTY = {
  bucketsEncrypted: null, publicAccessBlocked: null, assetsVersioning: null, backupsVersioning: null, noncurrentVersionDays: null, backupsColdAfterDays: null,
  backupsLockDays: null, backupsLockMode: null, backupWriterGranted: null, receivesReplica: null, accessLogs: null, deletionProtection: null,
};

const awsStack = (overrides: { versioning?: string; lock?: boolean; policy?: object; logging?: boolean } = {}) => {
  const perBucket = (purpose: string) => ({
    [`${purpose}-enc`]: { bucket: `\${aws_s3_bucket.${purpose}.id}`, rule: [{ apply_server_side_encryption_by_default: { sse_algorithm: "aws:kms", kms_master_key_id: "${aws_kms_key.key.arn}" } }] },
  });
  return {
    aws_kms_key: { key: {}, other: {} },
    aws_iam_role: { backup: {} },
    aws_s3_bucket: { assets: { ...at("assets"), ...protect }, backups: { ...at("backups"), ...protect }, "backups-replica": { ...at("backups-replica") } },
    aws_s3_bucket_server_side_encryption_configuration: { ...perBucket("assets"), ...perBucket("backups") },
    aws_s3_bucket_public_access_block: Object.fromEntries(
      ["assets", "backups"].map((p) => [p, { bucket: `\${aws_s3_bucket.${p}.id}`, block_public_acls: true, block_public_policy: true, ignore_public_acls: true, restrict_public_buckets: true }]),
    ),
    aws_s3_bucket_versioning: Object.fromEntries(["assets", "backups"].map((p) => [p, { bucket: `\${aws_s3_bucket.${p}.id}`, versioning_configuration: { status: overrides.versioning ?? "Enabled" } }])),
    aws_s3_bucket_lifecycle_configuration: {
      assets: { bucket: "${aws_s3_bucket.assets.id}", rule: [{ id: "expire", noncurrent_version_expiration: [{ noncurrent_days: 90 }] }] },
      backups: { bucket: "${aws_s3_bucket.backups.id}", rule: [{ id: "expire", noncurrent_version_expiration: [{ noncurrent_days: 90 }] }, { id: "cold", transition: [{ days: 30, storage_class: "GLACIER_IR" }] }] },
    },
    ...(overrides.lock === false ? {} : { aws_s3_bucket_object_lock_configuration: { lock: { bucket: "${aws_s3_bucket.backups.id}", rule: { default_retention: { days: 35, mode: "COMPLIANCE" } } } } }),
    aws_s3_bucket_policy: {
      backups: {
        bucket: "${aws_s3_bucket.backups.id}",
        policy: JSON.stringify(overrides.policy ?? { Statement: [{ Effect: "Allow", Principal: { AWS: "${aws_iam_role.backup.arn}" }, Action: ["s3:GetObject", "s3:PutObject"] }] }),
      },
    },
    ...(overrides.logging === false ? {} : { aws_s3_bucket_logging: { assets: { bucket: "${aws_s3_bucket.assets.id}" }, backups: { bucket: "${aws_s3_bucket.backups.id}" } } }),
  };
};

describe("AWS storage extractor", () => {
  test("reads both S3 buckets: key, public access blocks, versioning, lifecycle, Object Lock, the writer's grant, access logs, protection", () => {
    const profile = awsStorage(index(awsStack(), keyOutput("${aws_kms_key.key.arn}")));
    expect(values(profile)).toEqual({
      bucketsEncrypted: "environment key", publicAccessBlocked: true, assetsVersioning: true, backupsVersioning: true, noncurrentVersionDays: 90, backupsColdAfterDays: 30,
      backupsLockDays: 35, backupsLockMode: "compliance", backupWriterGranted: true, receivesReplica: false, accessLogs: "log bucket", deletionProtection: true,
    });
    expect(profile.backupsLockDays.addresses).toEqual(["aws_s3_bucket.backups", "aws_s3_bucket_object_lock_configuration.lock"]);
  });

  test("sees suspended versioning, no lock, a policy that only reads, no access logs, another key, and a stack without storage", () => {
    const broken = awsStack({ versioning: "Suspended", lock: false, policy: { Statement: [{ Effect: "Allow", Principal: { AWS: "${aws_iam_role.backup.arn}" }, Action: "s3:GetObject" }] }, logging: false });
    expect(values(awsStorage(index(broken, keyOutput("${aws_kms_key.other.arn}"))))).toMatchObject({
      bucketsEncrypted: "other key", assetsVersioning: false, backupsVersioning: false, backupsLockDays: 0, backupsLockMode: "none", backupWriterGranted: false, accessLogs: "none",
    });
    expect(values(awsStorage(index({})))).toEqual(EMPTY);
  });
});

const azureStack = (overrides: { backups?: Record<string, unknown>; writerRole?: string } = {}) => ({
  azurerm_key_vault_key: { key: {} },
  azurerm_user_assigned_identity: { backup: {} },
  azurerm_storage_account: {
    assets: { ...at("assets"), ...protect, public_network_access_enabled: false, allow_nested_items_to_be_public: false, blob_properties: { versioning_enabled: true } },
    backups: {
      ...at("backups"),
      public_network_access_enabled: false,
      allow_nested_items_to_be_public: false,
      blob_properties: { versioning_enabled: true },
      immutability_policy: { state: "Unlocked", period_since_creation_in_days: 35 },
      lifecycle: { prevent_destroy: true, ignore_changes: ["immutability_policy[0].state"] },
      ...overrides.backups,
    },
  },
  azurerm_storage_account_customer_managed_key: Object.fromEntries(["assets", "backups"].map((p) => [p, { storage_account_id: `\${azurerm_storage_account.${p}.id}`, key_name: "${azurerm_key_vault_key.key.name}" }])),
  azurerm_storage_container: { backups: { name: "backups", storage_account_id: "${azurerm_storage_account.backups.id}" } },
  azurerm_storage_management_policy: {
    assets: { storage_account_id: "${azurerm_storage_account.assets.id}", rule: [{ actions: { version: { delete_after_days_since_creation: 90 } } }] },
    backups: { storage_account_id: "${azurerm_storage_account.backups.id}", rule: [{ actions: { version: { delete_after_days_since_creation: 90 } } }, { actions: { base_blob: { tier_to_cool_after_days_since_creation_greater_than: 30 } } }] },
  },
  azurerm_role_assignment: {
    writer: { scope: "${azurerm_storage_container.backups.id}", role_definition_name: overrides.writerRole ?? "Storage Blob Data Contributor", principal_id: "${azurerm_user_assigned_identity.backup.principal_id}" },
  },
  azurerm_storage_object_replication: { replication: { destination_storage_account_id: "${azurerm_storage_account.backups.id}" } },
});

describe("Azure storage extractor", () => {
  const environmentKey = keyOutput("${azurerm_key_vault_key.key.versionless_id}");

  test("reads both accounts: customer-managed key, no public network, versioning, management policies, immutability created Unlocked and left to a one-time lock, the writer's role, replication", () => {
    expect(values(azureStorage(index(azureStack(), environmentKey)))).toEqual({
      bucketsEncrypted: "environment key", publicAccessBlocked: true, assetsVersioning: true, backupsVersioning: true, noncurrentVersionDays: 90, backupsColdAfterDays: 30,
      backupsLockDays: 35, backupsLockMode: "compliance, locked after creation", backupWriterGranted: true, receivesReplica: true, accessLogs: "none", deletionProtection: true,
    });
  });

  test("sees a governance lock, a Locked policy, a public account, a reader's role, and a stack without storage", () => {
    expect(values(azureStorage(index(azureStack({ backups: { lifecycle: {} } }), environmentKey)))).toMatchObject({ backupsLockMode: "governance", deletionProtection: "mixed: true, false" });
    expect(values(azureStorage(index(azureStack({ backups: { immutability_policy: { state: "Locked", period_since_creation_in_days: 35 } } }), environmentKey)))).toMatchObject({ backupsLockMode: "compliance" });
    expect(values(azureStorage(index(azureStack({ backups: { public_network_access_enabled: true } }), environmentKey)))).toMatchObject({ publicAccessBlocked: "mixed: true, false" });
    expect(values(azureStorage(index(azureStack({ writerRole: "Storage Blob Data Reader" }), environmentKey)))).toMatchObject({ backupWriterGranted: false });
    // The module's own writer role (no delete), by its resource id.
    const custom = {
      ...azureStack(),
      azurerm_role_definition: { writer: { permissions: [{ data_actions: ["Microsoft.Storage/storageAccounts/blobServices/containers/blobs/write"] }] } },
      azurerm_role_assignment: {
        writer: { scope: "${azurerm_storage_container.backups.id}", role_definition_id: "${azurerm_role_definition.writer.role_definition_resource_id}", principal_id: "${azurerm_user_assigned_identity.backup.principal_id}" },
      },
    };
    expect(values(azureStorage(index(custom, environmentKey)))).toMatchObject({ backupWriterGranted: true });
    expect(values(azureStorage(index({})))).toEqual(EMPTY);
  });
});

const gcpStack = (backups: Record<string, unknown> = {}) => ({
  google_kms_crypto_key: { key: {} },
  google_service_account: { backup: {} },
  google_storage_bucket: {
    assets: {
      ...at("assets"), ...protect, uniform_bucket_level_access: true, public_access_prevention: "enforced", versioning: { enabled: true }, encryption: { default_kms_key_name: "${google_kms_crypto_key.key.id}" },
      lifecycle_rule: [{ action: { type: "Delete" }, condition: { days_since_noncurrent_time: 90, with_state: "ARCHIVED" } }],
    },
    backups: {
      ...at("backups"), ...protect, uniform_bucket_level_access: true, public_access_prevention: "enforced", versioning: { enabled: false }, encryption: { default_kms_key_name: "${google_kms_crypto_key.key.id}" },
      retention_policy: { retention_period: 3_024_000, is_locked: true },
      lifecycle_rule: [{ action: { type: "SetStorageClass", storage_class: "NEARLINE" }, condition: { age: 30 } }],
      ...backups,
    },
  },
  google_storage_bucket_iam_member: { writer: { bucket: "${google_storage_bucket.backups.name}", role: "roles/storage.objectCreator", member: "${google_service_account.backup.member}" } },
});

describe("Google Cloud storage extractor", () => {
  const environmentKey = keyOutput("${google_kms_crypto_key.key.id}");

  test("reads both buckets: CMEK, public access prevention, versioning or the retention policy instead, lifecycle rules, the writer's member", () => {
    expect(values(gcpStorage(index(gcpStack(), environmentKey)))).toEqual({
      bucketsEncrypted: "environment key", publicAccessBlocked: true, assetsVersioning: true, backupsVersioning: false, noncurrentVersionDays: 90, backupsColdAfterDays: 30,
      backupsLockDays: 35, backupsLockMode: "compliance", backupWriterGranted: true, receivesReplica: false, accessLogs: "none", deletionProtection: true,
    });
  });

  test("sees an unlocked retention policy, no retention, inherited public access prevention, and a stack without storage", () => {
    expect(values(gcpStorage(index(gcpStack({ retention_policy: { retention_period: 86_400, is_locked: false } }), environmentKey)))).toMatchObject({ backupsLockDays: 1, backupsLockMode: "governance" });
    expect(values(gcpStorage(index(gcpStack({ retention_policy: undefined, versioning: { enabled: true } }), environmentKey)))).toMatchObject({ backupsLockDays: 0, backupsLockMode: "none", backupsVersioning: true });
    expect(values(gcpStorage(index(gcpStack({ public_access_prevention: "inherited" }), environmentKey)))).toMatchObject({ publicAccessBlocked: "mixed: true, false" });
    expect(values(gcpStorage(index({})))).toEqual(EMPTY);
  });
});

const ociStack = (backups: Record<string, unknown> = {}, statement = "Allow any-user to manage objects in compartment id c where all {target.bucket.name = '${oci_objectstorage_bucket.backups.name}', any {request.permission = 'OBJECT_CREATE'}}") => ({
  oci_kms_key: { key: {} },
  oci_objectstorage_bucket: {
    assets: { ...at("assets"), ...protect, access_type: "NoPublicAccess", kms_key_id: "${oci_kms_key.key.id}", versioning: "Enabled", object_events_enabled: true },
    backups: {
      ...at("backups"), ...protect, access_type: "NoPublicAccess", kms_key_id: "${oci_kms_key.key.id}", versioning: "Disabled", object_events_enabled: true,
      retention_rules: [{ display_name: "backup-lock", duration: { time_amount: "35", time_unit: "DAYS" } }],
      ...backups,
    },
  },
  oci_objectstorage_object_lifecycle_policy: {
    assets: { bucket: "${oci_objectstorage_bucket.assets.name}", rules: [{ action: "DELETE", target: "previous-object-versions", time_amount: "90", time_unit: "DAYS" }] },
    backups: { bucket: "${oci_objectstorage_bucket.backups.name}", rules: [{ action: "INFREQUENT_ACCESS", target: "objects", time_amount: "30", time_unit: "DAYS" }] },
  },
  oci_identity_policy: { writer: { statements: [statement] } },
  oci_objectstorage_replication_policy: { replication: { destination_bucket_name: "${oci_objectstorage_bucket.backups.name}" } },
});

describe("Oracle Cloud storage extractor", () => {
  const environmentKey = keyOutput("${oci_kms_key.key.id}");

  test("reads both buckets: vault key, NoPublicAccess, versioning or the retention rule instead, lifecycle policies, the writer's policy, replication, object events", () => {
    expect(values(ociStorage(index(ociStack(), environmentKey)))).toEqual({
      bucketsEncrypted: "environment key", publicAccessBlocked: true, assetsVersioning: true, backupsVersioning: false, noncurrentVersionDays: 90, backupsColdAfterDays: 30,
      backupsLockDays: 35, backupsLockMode: "governance", backupWriterGranted: true, receivesReplica: true, accessLogs: "object events", deletionProtection: true,
    });
  });

  test("sees a locked retention rule, a policy that only reads, a public bucket, and a stack without storage", () => {
    expect(values(ociStorage(index(ociStack({ retention_rules: [{ duration: { time_amount: "35", time_unit: "DAYS" }, time_rule_locked: "2030-01-01T00:00:00Z" }] }), environmentKey)))).toMatchObject({ backupsLockMode: "compliance" });
    expect(values(ociStorage(index(ociStack({}, "Allow any-user to read objects in compartment id c where target.bucket.name = '${oci_objectstorage_bucket.backups.name}'"), environmentKey)))).toMatchObject({ backupWriterGranted: false });
    expect(values(ociStorage(index(ociStack({ access_type: "ObjectRead" }), environmentKey)))).toMatchObject({ publicAccessBlocked: "mixed: true, false" });
    expect(values(ociStorage(index({})))).toEqual(EMPTY);
  });
});

const ibmStack = (backups: Record<string, unknown> = {}, extra: Record<string, Record<string, Record<string, unknown>>> = {}) => ({
  ibm_kms_key: { key: {} },
  ibm_cos_bucket: {
    assets: { ...at("assets"), ...protect, force_delete: false, kms_key_crn: "${ibm_kms_key.key.crn}", object_versioning: { enable: true }, storage_class: "standard", activity_tracking: { read_data_events: true, write_data_events: true } },
    backups: { ...at("backups"), ...protect, force_delete: false, kms_key_crn: "${ibm_kms_key.key.crn}", object_versioning: { enable: true }, storage_class: "smart", activity_tracking: { read_data_events: true, write_data_events: true }, ...backups },
  },
  ibm_cos_bucket_lifecycle_configuration: { assets: { bucket_crn: "${ibm_cos_bucket.assets.crn}", lifecycle_rule: [{ noncurrent_version_expiration: { noncurrent_days: 90 } }] } },
  ibm_cos_bucket_object_lock_configuration: {
    lock: { bucket_crn: "${ibm_cos_bucket.backups.crn}", object_lock_configuration: { object_lock_enabled: "Enabled", object_lock_rule: { default_retention: { mode: "COMPLIANCE", days: 35 } } } },
  },
  ...extra,
});

describe("IBM Cloud storage extractor", () => {
  const environmentKey = keyOutput("${ibm_kms_key.key.crn}");

  test("reads both COS buckets: root key, versioning, lifecycle, object lock, Smart Tier for backups, activity tracking, force_delete off", () => {
    expect(values(ibmStorage(index(ibmStack(), environmentKey)))).toEqual({
      bucketsEncrypted: "environment key", publicAccessBlocked: true, assetsVersioning: true, backupsVersioning: true, noncurrentVersionDays: 90, backupsColdAfterDays: "smart tier",
      backupsLockDays: 35, backupsLockMode: "compliance", backupWriterGranted: false, receivesReplica: false, accessLogs: "activity tracking", deletionProtection: true,
    });
  });

  test("sees a writer's trusted-profile policy, a bucket open to the public access group, force_delete, and a stack without storage", () => {
    const writer = { ibm_iam_trusted_profile_policy: { writer: { roles: ["Object Writer"], resource_attributes: [{ name: "resource", value: "${ibm_cos_bucket.backups.bucket_name}" }] } } };
    expect(values(ibmStorage(index(ibmStack({}, writer), environmentKey)))).toMatchObject({ backupWriterGranted: true });
    const open = { ibm_iam_access_group_policy: { open: { access_group_id: "AccessGroupId-PublicAccess", resources: { resource: "${ibm_cos_bucket.backups.bucket_name}" } } } };
    expect(values(ibmStorage(index(ibmStack({}, open), environmentKey)))).toMatchObject({ publicAccessBlocked: "mixed: true, false" });
    expect(values(ibmStorage(index(ibmStack({ force_delete: true }), environmentKey)))).toMatchObject({ deletionProtection: "mixed: true, false" });
    expect(values(ibmStorage(index({})))).toEqual(EMPTY);
  });
});
