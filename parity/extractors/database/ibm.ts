/** IBM Cloud database profile: the Databases for PostgreSQL deployment. */
import type { StackIndex } from "../../../policy/terraform-json";
import type { Profile } from "../../model";
import { observe } from "../shared";
import { type DatabaseReadings, databaseEncryption, majorOf, PGVECTOR_FROM, preventsDestroy, roleOf, SERVICE_RETENTION, vectorFrom } from "./shared";
import { IBM_MEMBERS } from "../../../modules/database/ibm";

type Group = { group_id?: string; members?: { allocation_count?: number } };

export function ibmDatabase(stack: StackIndex): Profile {
  const db = stack.ofType("ibm_database").find((b) => b.values.service === "databases-for-postgresql");
  const members = ((db?.values.group as Group[] | Group | undefined) ? ([] as Group[]).concat(db!.values.group as Group[] | Group) : []).find((g) => g.group_id === "member")?.members?.allocation_count;
  const version = db ? majorOf(db.values.version) : null;
  const at = [db];
  const readings: DatabaseReadings = {
    engineVersion: observe(version, at),
    privateOnly: observe(db ? db.values.service_endpoints === "private" : null, at),
    storageEncrypted: db?.values.key_protect_key ? databaseEncryption(stack, db, db.values.key_protect_key) : observe(db ? "provider-managed" : null, at),
    // IBM always runs two members (leader and replica); a third, in a third zone, is what HA adds.
    highAvailability: observe(db ? (members ?? 0) >= IBM_MEMBERS.highAvailability : null, at),
    // ibm_database has no backup-retention argument: the service keeps its daily backups.
    backupRetentionDays: observe(db ? SERVICE_RETENTION : null, at),
    deletionProtection: observe(db ? db.values.deletion_protection === true && preventsDestroy(db) : null, at),
    pgvector: observe(vectorFrom(PGVECTOR_FROM.ibm, version), at),
    role: observe(roleOf(db, db?.values.remote_leader_id), at),
  };
  return { ...readings };
}
