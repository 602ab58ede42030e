import { ENVIRONMENT_DEFINITIONS, loadEnvironments, type EnvironmentDefinition, type EnvironmentName } from "../environments";
import { refusal } from "./support/environments";

const environments = loadEnvironments();

function changed(name: EnvironmentName, database: Record<string, unknown>): EnvironmentDefinition[] {
  return ENVIRONMENT_DEFINITIONS.map((d) => (d.name === name ? ({ ...d, database: { ...d.database, ...database } } as EnvironmentDefinition) : d));
}

describe("database settings per environment", () => {
  test("dev is the smallest, in one zone, with a week of backups and no deletion protection", () => {
    expect(environments.dev.database).toEqual({
      engineVersion: "16",
      size: "small",
      storageGb: 32,
      highAvailability: false,
      backupRetentionDays: 7,
      deletionProtection: false,
      maintenanceWindow: { day: "sun", hour: 3 },
    });
  });

  test("staging has prod's shape (HA) at a smaller size, shorter backups, deletable", () => {
    expect(environments.staging.database).toEqual({
      engineVersion: "16",
      size: "medium",
      storageGb: 64,
      highAvailability: true,
      backupRetentionDays: 14,
      deletionProtection: false,
      maintenanceWindow: { day: "sun", hour: 3 },
    });
  });

  test("prod and dr are highly available, keep the longest retention and are protected from deletion", () => {
    const production = { engineVersion: "16", size: "large", storageGb: 256, highAvailability: true, backupRetentionDays: 35, deletionProtection: true, maintenanceWindow: { day: "sun", hour: 3 } };
    expect(environments.prod.database).toEqual(production);
    expect(environments.dr.database).toEqual(production);
  });
});

describe("bad database settings", () => {
  test("fails if the engine version has no pgvector with HNSW on every cloud", () => {
    expect(refusal(changed("dev", { engineVersion: "11" }))).toContain(
      `environment "dev", field database.engineVersion: "11" is not a PostgreSQL major version with pgvector and HNSW indexes on every cloud; valid: "16"`,
    );
  });

  test("fails if the size is not one every cloud sells", () => {
    expect(refusal(changed("prod", { size: "xlarge" }))).toContain(
      `environment "prod", field database.size: "xlarge" is not a database size every cloud sells; valid: "small", "medium", "large" (modules/database/sizes.ts)`,
    );
  });

  test("fails if a highly available database uses the burstable size", () => {
    expect(refusal(changed("staging", { size: "small" }))).toContain(
      `environment "staging", field database.size: "small" cannot be highly available: Azure's burstable tier has no zone-redundant standby; use "medium" or "large"`,
    );
  });

  test("fails if the storage is not a size every cloud sells", () => {
    expect(refusal(changed("dev", { storageGb: 20 }))).toContain(
      `environment "dev", field database.storageGb: 20 is not a storage size every cloud sells; valid: 32, 64, 128, 256, 512, 1024, 2048, 4096`,
    );
  });

  test("fails if the backup retention is out of range", () => {
    expect(refusal(changed("dev", { backupRetentionDays: 3 }))).toContain(
      `environment "dev", field database.backupRetentionDays: 3 is out of range; use a whole number of days from 7 to 35`,
    );
    expect(refusal(changed("prod", { backupRetentionDays: 36 }))).toContain(`field database.backupRetentionDays: 36 is out of range`);
  });

  test("fails if a high-availability environment turns the database's HA off", () => {
    expect(refusal(changed("prod", { highAvailability: false }))).toContain(
      `environment "prod", field database.highAvailability: false is not allowed in a high-availability environment; use true`,
    );
  });

  test("fails if prod or dr drops deletion protection", () => {
    expect(refusal(changed("prod", { deletionProtection: false }))).toContain(
      `environment "prod", field database.deletionProtection: false is not allowed in prod: its data is replicated for disaster recovery; use true`,
    );
    expect(refusal(changed("dr", { deletionProtection: false }))).toContain(`environment "dr", field database.deletionProtection: false is not allowed in dr`);
  });

  test("fails if the maintenance window is not a weekday and an hour", () => {
    const message = refusal(changed("dev", { maintenanceWindow: { day: "sunday", hour: 24 } }));
    expect(message).toContain(`environment "dev", field database.maintenanceWindow.day: "sunday" is not a weekday; valid: "sun", "mon", "tue", "wed", "thu", "fri", "sat"`);
    expect(message).toContain(`environment "dev", field database.maintenanceWindow.hour: 24 is not an hour; use a whole number from 0 to 23 (UTC)`);
  });
});
