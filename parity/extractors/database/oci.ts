/** Oracle Cloud database profile: the OCI Database with PostgreSQL db system and its configuration. */
import type { StackIndex } from "../../../policy/terraform-json";
import type { Profile } from "../../model";
import { numberOr, observe } from "../shared";
import { allowsVector, type DatabaseReadings, majorOf, preventsDestroy, PRIMARY } from "./shared";

type Overrides = { items?: { config_key?: string; overriden_config_value?: string }[] };

export function ociDatabase(stack: StackIndex): Profile {
  const db = stack.ofType("oci_psql_db_system")[0];
  const configuration = typeof db?.values.config_id === "string" ? stack.resolve(db.values.config_id) : undefined;
  const allowed = ((configuration?.values.db_configuration_overrides as Overrides | undefined)?.items ?? []).find((i) => i.config_key === "oci.allowed_extensions");
  const subnet = typeof (db?.values.network_details as { subnet_id?: string } | undefined)?.subnet_id === "string" ? stack.resolve((db!.values.network_details as { subnet_id: string }).subnet_id) : undefined;
  const backups = (db?.values.management_policy as { backup_policy?: { kind?: string; retention_days?: number } } | undefined)?.backup_policy;
  const at = [db];
  const readings: DatabaseReadings = {
    engineVersion: observe(db ? majorOf(db.values.db_version) : null, at),
    // The endpoint takes an address in its subnet: private when the subnet refuses public IPs.
    privateOnly: observe(db ? subnet?.values.prohibit_public_ip_on_vnic === true : null, [db, subnet]),
    // oci_psql_db_system takes no customer-managed key at 8.28.0.
    storageEncrypted: observe(db ? "provider-managed" : null, at),
    highAvailability: observe(db ? Number(db.values.instance_count ?? 1) >= 2 && (db.values.storage_details as { is_regionally_durable?: boolean } | undefined)?.is_regionally_durable === true : null, at),
    backupRetentionDays: observe(db ? (backups?.kind && backups.kind !== "NONE" ? numberOr(backups.retention_days) : "none") : null, at),
    // No deletion-protection argument at 8.28.0: Terraform's prevent_destroy is the guard.
    deletionProtection: observe(db ? preventsDestroy(db) : null, at),
    pgvector: observe(db ? allowsVector(allowed?.overriden_config_value) : null, [db, configuration]),
    // A db system replicates no other region's: dr restores prod's copied backups (a declared gap).
    role: observe(db ? PRIMARY : null, at),
  };
  return { ...readings };
}
