import type { DatabaseSize, MaintenanceWindow, PostgresVersion } from "../../modules/database/contract";

/** The environment's PostgreSQL (modules/database), the same on every cloud. */
export interface DatabaseSettings {
  /** PostgreSQL major version, one of POSTGRES_VERSIONS: pgvector with HNSW on every cloud. */
  readonly engineVersion: PostgresVersion;
  /** small, medium or large: mapped to what each cloud sells (modules/database/sizes.ts). */
  readonly size: DatabaseSize;
  /** GiB, one of STORAGE_GB. */
  readonly storageGb: number;
  /** A standby in another zone with automatic failover; required in high-availability environments. */
  readonly highAvailability: boolean;
  /** Days backups and point-in-time recovery are kept: 7 to 35. */
  readonly backupRetentionDays: number;
  /** The cloud's deletion protection and `prevent_destroy`; required in prod and dr. */
  readonly deletionProtection: boolean;
  readonly maintenanceWindow: MaintenanceWindow;
}
