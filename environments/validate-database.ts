import { BACKUP_RETENTION_DAYS, DATABASE_SIZES, POSTGRES_VERSIONS, STORAGE_GB, WEEKDAYS } from "../modules/database/contract";
import type { EnvironmentConfig } from "./types";

type Report = (field: string, problem: string) => void;
const show = (value: unknown): string => (value === undefined ? "nothing" : JSON.stringify(value));
const list = (values: readonly unknown[]) => values.map((v) => JSON.stringify(v)).join(", ");

/** The database settings (modules/database): what every cloud sells and what the environment's role requires. */
export function checkDatabaseSettings(config: EnvironmentConfig, configs: readonly EnvironmentConfig[], report: Report): void {
  const d = config.database ?? ({} as Partial<EnvironmentConfig["database"]>);
  if (!(POSTGRES_VERSIONS as readonly unknown[]).includes(d.engineVersion)) {
    report("database.engineVersion", `${show(d.engineVersion)} is not a PostgreSQL major version with pgvector and HNSW indexes on every cloud; valid: ${list(POSTGRES_VERSIONS)}`);
  }
  if (!(DATABASE_SIZES as readonly unknown[]).includes(d.size)) {
    report("database.size", `${show(d.size)} is not a database size every cloud sells; valid: ${list(DATABASE_SIZES)} (modules/database/sizes.ts)`);
  } else if (d.size === "small" && d.highAvailability === true) {
    report("database.size", `"small" cannot be highly available: Azure's burstable tier has no zone-redundant standby; use "medium" or "large"`);
  }
  if (!(STORAGE_GB as readonly unknown[]).includes(d.storageGb)) {
    report("database.storageGb", `${show(d.storageGb)} is not a storage size every cloud sells; valid: ${STORAGE_GB.join(", ")}`);
  }
  const { min, max } = BACKUP_RETENTION_DAYS;
  if (!Number.isInteger(d.backupRetentionDays) || d.backupRetentionDays! < min || d.backupRetentionDays! > max) {
    report("database.backupRetentionDays", `${show(d.backupRetentionDays)} is out of range; use a whole number of days from ${min} to ${max}`);
  }
  if (typeof d.highAvailability !== "boolean") {
    report("database.highAvailability", `${show(d.highAvailability)} is not a boolean; use true or false`);
  } else if (config.highAvailability && !d.highAvailability) {
    report("database.highAvailability", `false is not allowed in a high-availability environment; use true`);
  }
  const protectedRole = config.replicaOf !== undefined || configs.some((c) => c.replicaOf === config.name);
  if (typeof d.deletionProtection !== "boolean") {
    report("database.deletionProtection", `${show(d.deletionProtection)} is not a boolean; use true or false`);
  } else if (!d.deletionProtection && protectedRole) {
    report("database.deletionProtection", `false is not allowed in ${config.name}: its data is replicated for disaster recovery; use true`);
  }
  const window = d.maintenanceWindow ?? ({} as Partial<EnvironmentConfig["database"]["maintenanceWindow"]>);
  if (!(WEEKDAYS as readonly unknown[]).includes(window.day)) {
    report("database.maintenanceWindow.day", `${show(window.day)} is not a weekday; valid: ${list(WEEKDAYS)}`);
  }
  if (!Number.isInteger(window.hour) || window.hour! < 0 || window.hour! > 23) {
    report("database.maintenanceWindow.hour", `${show(window.hour)} is not an hour; use a whole number from 0 to 23 (UTC)`);
  }
}
