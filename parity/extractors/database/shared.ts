/** What every cloud's database extractor reads the same way. */
import type { Block, StackIndex } from "../../../policy/terraform-json";
import type { Observation, Value } from "../../model";
import { PGVECTOR_SINCE } from "../../../modules/database/contract";
import { preventsDestroy } from "../keys/shared";
import { encryptionOf, observe } from "../shared";

export { preventsDestroy };

/** The database's role: a primary of its own, or a replica of another environment's (dr of prod). */
export const PRIMARY = "primary";
export const READ_REPLICA = "read replica";
/** Backups kept as the service decides, with no setting in the provider (a cloud's declared gap). */
export const SERVICE_RETENTION = "service default";

/** From which major version each service offers pgvector without an allowlist (the module's record). */
export const PGVECTOR_FROM = PGVECTOR_SINCE;

/** The major version (`16`) of `16`, `16.4`, `POSTGRES_16`. */
export function majorOf(version: unknown): Value {
  if (version === undefined || version === null) return null;
  const match = /(\d+)(?:\.\d+)*$/.exec(String(version));
  return match ? match[1] : String(version);
}

/** Whether a service that offers pgvector from `from` offers it at the database's version. */
export function vectorFrom(from: number, version: Value): Value {
  return version === null ? null : Number(version) >= from;
}

/** Whether the extension list (a comma-separated setting value) allowlists `vector`. */
export const allowsVector = (list: unknown): boolean => String(list ?? "").split(",").some((e) => e.trim().toLowerCase() === "vector");

/** The database's key: the environment's, another customer-managed one, or the provider's. */
export function databaseEncryption(stack: StackIndex, db: Block | undefined, expression: unknown): Observation {
  if (!db) return observe(null);
  const key = typeof expression === "string" ? stack.resolve(expression) : undefined;
  return observe(encryptionOf(stack, key), [db, key]);
}

/** `read replica` when the database replicates another (its source set), else `primary`. */
export const roleOf = (db: Block | undefined, source: unknown): Value => (db ? (source !== undefined && source !== null ? READ_REPLICA : PRIMARY) : null);

/** The database's properties every extractor returns, in the registry's order. */
export interface DatabaseReadings {
  readonly engineVersion: Observation;
  readonly privateOnly: Observation;
  readonly storageEncrypted: Observation;
  readonly highAvailability: Observation;
  readonly backupRetentionDays: Observation;
  readonly deletionProtection: Observation;
  readonly pgvector: Observation;
  readonly role: Observation;
}
