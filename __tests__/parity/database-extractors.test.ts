/** Each database extractor on a small hand-written stack: the whole profile, and what breaks it. */
import { awsDatabase } from "../../parity/extractors/database/aws";
import { azureDatabase } from "../../parity/extractors/database/azure";
import { gcpDatabase } from "../../parity/extractors/database/gcp";
import { ibmDatabase } from "../../parity/extractors/database/ibm";
import { ociDatabase } from "../../parity/extractors/database/oci";
import { majorOf } from "../../parity/extractors/database/shared";
import type { Profile } from "../../parity/model";
import { index } from "./support";

const values = (profile: Profile) => Object.fromEntries(Object.entries(profile).map(([k, o]) => [k, o.value]));
const protect = { lifecycle: { prevent_destroy: true } };
/** The keys module's contract: the stack's `key_id` output names the environment's key. */
const keyOutput = (expression: string) => ({ output: { key_id: { value: expression } } });
const EXPECTED = { engineVersion: "16", privateOnly: true, storageEncrypted: "environment key", highAvailability: true, backupRetentionDays: 35, deletionProtection: true, pgvector: true, role: "primary" };
const EMPTY = { engineVersion: null, privateOnly: null, storageEncrypted: null, highAvailability: null, backupRetentionDays: null, deletionProtection: null, pgvector: null, role: null };

test("majorOf reads the major version of every cloud's spelling", () => {
  expect(["16", "16.4", "POSTGRES_16", "postgres16", undefined].map(majorOf)).toEqual(["16", "16", "16", "16", null]);
});

const awsStack = (db: Record<string, unknown> = {}) => ({
  aws_kms_key: { key: {}, other: {} },
  aws_db_parameter_group: { pg: { family: "postgres16" } },
  aws_db_instance: {
    db: {
      engine: "postgres",
      engine_version: "16",
      parameter_group_name: "${aws_db_parameter_group.pg.name}",
      publicly_accessible: false,
      storage_encrypted: true,
      kms_key_id: "${aws_kms_key.key.arn}",
      multi_az: true,
      backup_retention_period: 35,
      deletion_protection: true,
      ...protect,
      ...db,
    },
  },
});

describe("AWS database extractor", () => {
  const key = keyOutput("${aws_kms_key.key.key_id}");
  test("reads the RDS instance; a replica's version from its parameter group's family", () => {
    const profile = awsDatabase(index(awsStack(), key));
    expect(values(profile)).toEqual(EXPECTED);
    expect(profile.engineVersion.addresses).toEqual(["aws_db_instance.db", "aws_db_parameter_group.pg"]);
    const replica = awsStack({ engine: undefined, engine_version: undefined, replicate_source_db: "${data.terraform_remote_state.primary.outputs.database_id}" });
    expect(values(awsDatabase(index(replica, key)))).toEqual({ ...EXPECTED, role: "read replica" });
  });

  test("sees a public instance, another key, no encryption, single-AZ, unprotected, and an old engine without pgvector", () => {
    expect(values(awsDatabase(index(awsStack({ publicly_accessible: true, multi_az: false, deletion_protection: false, engine_version: "14" }), key)))).toMatchObject({
      privateOnly: false, highAvailability: false, deletionProtection: false, engineVersion: "14", pgvector: false,
    });
    expect(values(awsDatabase(index(awsStack({ lifecycle: {} }), key)))).toMatchObject({ deletionProtection: false });
    expect(values(awsDatabase(index(awsStack({ kms_key_id: "${aws_kms_key.other.arn}" }), key)))).toMatchObject({ storageEncrypted: "other key" });
    expect(values(awsDatabase(index(awsStack({ storage_encrypted: false }), key)))).toMatchObject({ storageEncrypted: "none" });
    expect(values(awsDatabase(index({})))).toEqual(EMPTY);
  });
});

const azureStack = (server: Record<string, unknown> = {}, extensions = "VECTOR") => ({
  azurerm_key_vault_key: { key: {}, other: {} },
  azurerm_subnet: { delegated: {} },
  azurerm_postgresql_flexible_server: {
    server: {
      version: "16",
      public_network_access_enabled: false,
      delegated_subnet_id: "${azurerm_subnet.delegated.id}",
      customer_managed_key: { key_vault_key_id: "${azurerm_key_vault_key.key.versionless_id}" },
      high_availability: { mode: "ZoneRedundant", standby_availability_zone: "2" },
      backup_retention_days: 35,
      create_mode: "Default",
      ...protect,
      ...server,
    },
  },
  azurerm_postgresql_flexible_server_configuration: {
    extensions: { name: "azure.extensions", server_id: "${azurerm_postgresql_flexible_server.server.id}", value: extensions },
    tls: { name: "require_secure_transport", server_id: "${azurerm_postgresql_flexible_server.server.id}", value: "on" },
  },
});

describe("Azure database extractor", () => {
  const key = keyOutput("${azurerm_key_vault_key.key.versionless_id}");
  test("reads the Flexible Server and its azure.extensions parameter; a replica has no standby", () => {
    const profile = azureDatabase(index(azureStack(), key));
    expect(values(profile)).toEqual(EXPECTED);
    expect(profile.pgvector.addresses).toEqual(["azurerm_postgresql_flexible_server.server", "azurerm_postgresql_flexible_server_configuration.extensions"]);
    const replica = azureStack({ create_mode: "Replica", source_server_id: "${data.terraform_remote_state.primary.outputs.database_id}", high_availability: undefined });
    expect(values(azureDatabase(index(replica, key)))).toEqual({ ...EXPECTED, highAvailability: false, role: "read replica" });
  });

  test("sees public access, Microsoft's key, vector not allowlisted, retention left to the default, no prevent_destroy", () => {
    expect(values(azureDatabase(index(azureStack({ public_network_access_enabled: true, customer_managed_key: undefined, backup_retention_days: undefined, lifecycle: {} }, "PG_TRGM"), key)))).toMatchObject({
      privateOnly: false, storageEncrypted: "provider-managed", backupRetentionDays: 7, deletionProtection: false, pgvector: false,
    });
    expect(values(azureDatabase(index(azureStack({}, "PG_TRGM,vector"), key)))).toMatchObject({ pgvector: true });
    expect(values(azureDatabase(index({})))).toEqual(EMPTY);
  });
});

const gcpStack = (instance: Record<string, unknown> = {}, settings: Record<string, unknown> = {}) => ({
  google_kms_crypto_key: { key: {}, other: {} },
  google_sql_database_instance: {
    db: {
      database_version: "POSTGRES_16",
      encryption_key_name: "${google_kms_crypto_key.key.id}",
      deletion_protection: true,
      settings: {
        availability_type: "REGIONAL",
        deletion_protection_enabled: true,
        ip_configuration: { ipv4_enabled: false, private_network: "${google_compute_network.vpc.id}" },
        backup_configuration: { enabled: true, backup_retention_settings: { retained_backups: 35, retention_unit: "COUNT" } },
        ...settings,
      },
      ...protect,
      ...instance,
    },
  },
});

describe("Google Cloud database extractor", () => {
  const key = keyOutput("${google_kms_crypto_key.key.id}");
  test("reads the Cloud SQL instance; a replica names its master", () => {
    expect(values(gcpDatabase(index(gcpStack(), key)))).toEqual(EXPECTED);
    expect(values(gcpDatabase(index(gcpStack({ master_instance_name: "siros-prod:siros-prod-pg" }), key)))).toMatchObject({ role: "read replica" });
  });

  test("sees a public IP, Google's key, a zonal instance, API deletion protection off, and Terraform's alone", () => {
    expect(values(gcpDatabase(index(gcpStack({ encryption_key_name: undefined }, { availability_type: "ZONAL", ip_configuration: { ipv4_enabled: true }, deletion_protection_enabled: false }), key)))).toMatchObject({
      privateOnly: false, storageEncrypted: "provider-managed", highAvailability: false, deletionProtection: false,
    });
    expect(values(gcpDatabase(index(gcpStack({ deletion_protection: false }), key)))).toMatchObject({ deletionProtection: false });
    expect(values(gcpDatabase(index(gcpStack({}, { backup_configuration: { backup_retention_settings: { retained_backups: 7, retention_unit: "COUNT" } } }), key)))).toMatchObject({ backupRetentionDays: 7 });
    expect(values(gcpDatabase(index({})))).toEqual(EMPTY);
  });
});

const ociStack = (db: Record<string, unknown> = {}, allowed = "vector", prohibitPublicIp = true) => ({
  oci_core_subnet: { private: { prohibit_public_ip_on_vnic: prohibitPublicIp } },
  oci_psql_configuration: { config: { db_configuration_overrides: { items: [{ config_key: "oci.allowed_extensions", overriden_config_value: allowed }] } } },
  oci_psql_db_system: {
    db: {
      db_version: "16",
      config_id: "${oci_psql_configuration.config.id}",
      network_details: { subnet_id: "${oci_core_subnet.private.id}" },
      instance_count: 2,
      storage_details: { is_regionally_durable: true, system_type: "OCI_OPTIMIZED_STORAGE" },
      management_policy: { backup_policy: { kind: "DAILY", retention_days: 35 } },
      ...protect,
      ...db,
    },
  },
});

describe("Oracle Cloud database extractor", () => {
  test("reads the db system, its configuration's extension allowlist and its subnet; no customer-managed key at 8.28.0", () => {
    const profile = ociDatabase(index(ociStack()));
    expect(values(profile)).toEqual({ ...EXPECTED, storageEncrypted: "provider-managed" });
    expect(profile.privateOnly.addresses).toEqual(["oci_psql_db_system.db", "oci_core_subnet.private"]);
  });

  test("sees a public subnet, one instance, no backups, vector not allowlisted, no prevent_destroy", () => {
    expect(values(ociDatabase(index(ociStack({ instance_count: 1, management_policy: { backup_policy: { kind: "NONE" } }, lifecycle: {} }, "pg_trgm", false))))).toMatchObject({
      privateOnly: false, highAvailability: false, backupRetentionDays: "none", deletionProtection: false, pgvector: false,
    });
    expect(values(ociDatabase(index({})))).toEqual(EMPTY);
  });
});

const ibmStack = (db: Record<string, unknown> = {}, members: number | null = 3) => ({
  ibm_kms_key: { key: {}, other: {} },
  ibm_database: {
    db: {
      service: "databases-for-postgresql",
      version: "16",
      service_endpoints: "private",
      key_protect_key: "${ibm_kms_key.key.crn}",
      deletion_protection: true,
      group: [{ group_id: "member", ...(members ? { members: { allocation_count: members } } : {}), memory: { allocation_mb: 16384 } }],
      ...protect,
      ...db,
    },
  },
});

describe("IBM Cloud database extractor", () => {
  const key = keyOutput("${ibm_kms_key.key.crn}");
  test("reads the deployment; three members are HA, a read replica has one; the service keeps backups as it decides", () => {
    expect(values(ibmDatabase(index(ibmStack(), key)))).toEqual({ ...EXPECTED, backupRetentionDays: "service default" });
    expect(values(ibmDatabase(index(ibmStack({ remote_leader_id: "${data.terraform_remote_state.primary.outputs.database_id}" }, null), key)))).toMatchObject({ highAvailability: false, role: "read replica" });
  });

  test("sees public endpoints, two members, another key, no deletion protection, and a version before IBM's pgvector", () => {
    expect(values(ibmDatabase(index(ibmStack({ service_endpoints: "public-and-private", deletion_protection: false, key_protect_key: "${ibm_kms_key.other.crn}", version: "14" }, 2), key)))).toMatchObject({
      privateOnly: false, highAvailability: false, storageEncrypted: "other key", deletionProtection: false, pgvector: false,
    });
    expect(values(ibmDatabase(index({})))).toEqual(EMPTY);
  });
});
