/** Azure storage profile: the storage accounts of both purposes, their containers, keys and policies. */
import type { Block, StackIndex } from "../../../policy/terraform-json";
import type { Profile } from "../../model";
import { observe } from "../shared";
import { bothBuckets, NO_LOGS, SERVICE_LOG, bucketEncryption, bucketOf, daysOr, LOCKED_AFTER_CREATION, many, NO_LOCK, one, overBuckets, protectedBuckets, type StorageReadings } from "./shared";

const ACCOUNT = "azurerm_storage_account";

export function azureStorage(stack: StackIndex): Profile {
  const accounts = bothBuckets(stack, ACCOUNT);
  const assets = bucketOf(stack, ACCOUNT, "assets");
  const backups = bucketOf(stack, ACCOUNT, "backups");
  const on = (account: Block | undefined, type: string) => (account ? stack.referencing(account, type, "storage_account_id") : []);
  const actions = (account: Block | undefined) => on(account, "azurerm_storage_management_policy").flatMap((p) => many(p.values.rule)).map((r) => one(r.actions) ?? {});
  const noncurrent = actions(assets).map((a) => one(a.version)?.delete_after_days_since_creation).find((d) => d !== undefined);
  const cold = actions(backups).map((a) => one(a.base_blob)?.tier_to_cool_after_days_since_creation_greater_than).find((d) => d !== undefined);
  const immutability = one(backups?.values.immutability_policy);
  const writers = backupWriters(stack, on(backups, "azurerm_storage_container"));
  const replication = stack.ofType("azurerm_storage_object_replication");
  const readings: StorageReadings = {
    bucketsEncrypted: bucketEncryption(stack, accounts, (a) => on(a, "azurerm_storage_account_customer_managed_key")[0]?.values.key_name),
    publicAccessBlocked: overBuckets(accounts, (a) => a.values.public_network_access_enabled === false && a.values.allow_nested_items_to_be_public === false),
    assetsVersioning: observe(assets ? one(assets.values.blob_properties)?.versioning_enabled === true : null, [assets]),
    backupsVersioning: observe(backups ? one(backups.values.blob_properties)?.versioning_enabled === true : null, [backups]),
    noncurrentVersionDays: observe(daysOr(assets, noncurrent, null), [assets]),
    backupsColdAfterDays: observe(daysOr(backups, cold), [backups]),
    backupsLockDays: observe(daysOr(backups, immutability?.period_since_creation_in_days, 0), [backups]),
    backupsLockMode: observe(backups ? lockMode(backups, immutability?.state) : null, [backups]),
    backupWriterGranted: observe(backups ? writers.length > 0 : null, [backups, ...writers]),
    receivesReplica: observe(accounts.length ? replication.length > 0 : null, replication),
    // Blob resource logs go through a diagnostic setting on the account's blob service (modules/storage/gaps.ts azureAccessLogs).
    accessLogs: overBuckets(accounts, (a) => (stack.all().some((b) => b.type === "azurerm_monitor_diagnostic_setting" && String(b.values.target_resource_id ?? "").includes(a.address)) ? SERVICE_LOG : NO_LOGS)),
    deletionProtection: protectedBuckets(accounts),
  };
  return { ...readings };
}

function lockMode(account: Block, state: unknown): string {
  if (state === "Locked") return "compliance";
  if (state !== "Unlocked") return NO_LOCK;
  const ignored = (account.values.lifecycle as { ignore_changes?: unknown } | undefined)?.ignore_changes;
  return Array.isArray(ignored) && ignored.includes("immutability_policy[0].state") ? LOCKED_AFTER_CREATION : "governance";
}

const BLOB_WRITE = "Microsoft.Storage/storageAccounts/blobServices/containers/blobs/write";

/** Role assignments on the backups container that let a workload's managed identity write blobs (a built-in contributor role, or a custom role with blob writes). */
function backupWriters(stack: StackIndex, containers: readonly Block[]): Block[] {
  const writes = (assignment: Block) => {
    if (assignment.values.role_definition_name === "Storage Blob Data Contributor") return true;
    const role = stack.resolve(String(assignment.values.role_definition_id ?? ""));
    return role?.type === "azurerm_role_definition" && many(role.values.permissions).some((p) => (p.data_actions as unknown[] | undefined)?.includes(BLOB_WRITE) === true);
  };
  return containers.flatMap((c) =>
    stack
      .referencing(c, "azurerm_role_assignment", "scope")
      .filter((r) => writes(r) && stack.resolve(String(r.values.principal_id ?? ""))?.type === "azurerm_user_assigned_identity"),
  );
}
