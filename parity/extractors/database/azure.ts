/** Azure database profile: the PostgreSQL Flexible Server and its server parameters. */
import type { StackIndex } from "../../../policy/terraform-json";
import type { Profile } from "../../model";
import { numberOr, observe } from "../shared";
import { allowsVector, type DatabaseReadings, databaseEncryption, majorOf, preventsDestroy, roleOf } from "./shared";

export function azureDatabase(stack: StackIndex): Profile {
  const server = stack.ofType("azurerm_postgresql_flexible_server")[0];
  // CREATE EXTENSION vector fails unless the server parameter azure.extensions allowlists it.
  const extensions = server ? stack.referencing(server, "azurerm_postgresql_flexible_server_configuration").find((p) => p.values.name === "azure.extensions") : undefined;
  const key = server?.values.customer_managed_key as { key_vault_key_id?: string } | undefined;
  const ha = server?.values.high_availability as { mode?: string } | undefined;
  const at = [server];
  const readings: DatabaseReadings = {
    engineVersion: observe(server ? majorOf(server.values.version) : null, at),
    // Private access: injected into a delegated subnet, with public network access off.
    privateOnly: observe(server ? server.values.public_network_access_enabled === false && server.values.delegated_subnet_id !== undefined : null, at),
    storageEncrypted: key?.key_vault_key_id ? databaseEncryption(stack, server, key.key_vault_key_id) : observe(server ? "provider-managed" : null, at),
    highAvailability: observe(server ? ha?.mode === "ZoneRedundant" || ha?.mode === "SameZone" : null, at),
    backupRetentionDays: observe(server ? numberOr(server.values.backup_retention_days ?? 7) : null, at),
    // Flexible Server has no deletion-protection argument: Terraform's prevent_destroy is the guard.
    deletionProtection: observe(server ? preventsDestroy(server) : null, at),
    pgvector: observe(server ? allowsVector(extensions?.values.value) : null, [server, extensions]),
    role: observe(roleOf(server, server?.values.create_mode === "Replica" ? server.values.source_server_id : undefined), at),
  };
  return { ...readings };
}
