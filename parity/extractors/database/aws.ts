/** AWS database profile: the RDS for PostgreSQL instance and its parameter group. */
import type { StackIndex } from "../../../policy/terraform-json";
import type { Profile } from "../../model";
import { numberOr, observe } from "../shared";
import { type DatabaseReadings, databaseEncryption, majorOf, PGVECTOR_FROM, preventsDestroy, roleOf, vectorFrom } from "./shared";

export function awsDatabase(stack: StackIndex): Profile {
  const db = stack.ofType("aws_db_instance")[0];
  const parameters = typeof db?.values.parameter_group_name === "string" ? stack.resolve(db.values.parameter_group_name) : undefined;
  // A read replica takes its source's engine version and sets none; RDS holds its parameter
  // group's family (postgres16) to the engine's major version, so the family says it.
  const version = db ? majorOf(db.values.engine_version ?? parameters?.values.family) : null;
  const at = [db];
  const readings: DatabaseReadings = {
    engineVersion: observe(version, [db, parameters]),
    privateOnly: observe(db ? db.values.publicly_accessible === false : null, at),
    storageEncrypted: db?.values.storage_encrypted === true ? databaseEncryption(stack, db, db.values.kms_key_id) : observe(db ? "none" : null, at),
    highAvailability: observe(db ? db.values.multi_az === true : null, at),
    backupRetentionDays: observe(db ? numberOr(db.values.backup_retention_period) : null, at),
    deletionProtection: observe(db ? db.values.deletion_protection === true && preventsDestroy(db) : null, at),
    pgvector: observe(vectorFrom(PGVECTOR_FROM.aws, version), [db, parameters]),
    role: observe(roleOf(db, db?.values.replicate_source_db), at),
  };
  return { ...readings };
}
