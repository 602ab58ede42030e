/** Google Cloud database profile: the Cloud SQL for PostgreSQL instance. */
import type { StackIndex } from "../../../policy/terraform-json";
import type { Profile } from "../../model";
import { numberOr, observe } from "../shared";
import { type DatabaseReadings, databaseEncryption, majorOf, PGVECTOR_FROM, preventsDestroy, roleOf, vectorFrom } from "./shared";

type Settings = {
  availability_type?: string;
  deletion_protection_enabled?: boolean;
  ip_configuration?: { ipv4_enabled?: boolean; private_network?: string };
  backup_configuration?: { enabled?: boolean; backup_retention_settings?: { retained_backups?: number; retention_unit?: string } };
};

export function gcpDatabase(stack: StackIndex): Profile {
  const instance = stack.ofType("google_sql_database_instance").find((b) => String(b.values.database_version ?? "").startsWith("POSTGRES"));
  const settings = (instance?.values.settings ?? {}) as Settings;
  const ip = settings.ip_configuration;
  const retention = settings.backup_configuration?.backup_retention_settings;
  const version = instance ? majorOf(instance.values.database_version) : null;
  const at = [instance];
  const readings: DatabaseReadings = {
    engineVersion: observe(version, at),
    privateOnly: observe(instance ? ip?.ipv4_enabled === false && ip.private_network !== undefined : null, at),
    storageEncrypted: instance?.values.encryption_key_name ? databaseEncryption(stack, instance, instance.values.encryption_key_name) : observe(instance ? "provider-managed" : null, at),
    highAvailability: observe(instance ? settings.availability_type === "REGIONAL" : null, at),
    // Daily backups counted (COUNT) are kept that many days.
    backupRetentionDays: observe(instance ? (retention?.retention_unit === "COUNT" ? numberOr(retention.retained_backups) : "unknown unit") : null, at),
    deletionProtection: observe(instance ? instance.values.deletion_protection !== false && settings.deletion_protection_enabled === true && preventsDestroy(instance) : null, at),
    pgvector: observe(vectorFrom(PGVECTOR_FROM.gcp, version), at),
    role: observe(roleOf(instance, instance?.values.master_instance_name), at),
  };
  return { ...readings };
}
