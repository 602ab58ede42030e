import { StorageContainer } from "@cdktf/provider-azurerm/lib/storage-container";
import { AzureStorage } from "../modules/storage/azure";
import { synthModule } from "./support/module-stack";
import { countOf, referenceTo, resources, synthStack, type TerraformJson } from "./support/synth";

const prod = synthStack("azure", "prod");
const staging = synthStack("azure", "staging");
const dev = synthStack("azure", "dev");
const dr = synthStack("azure", "dr");

const account = (tf: TerraformJson, role: string) => resources(tf, "azurerm_storage_account").find((a) => a.tags.purpose === role)!;
const ref = (tf: TerraformJson, role: string, attribute = "id") => referenceTo(tf, "azurerm_storage_account", (a) => a.tags.purpose === role, attribute);
const onAccount = (tf: TerraformJson, type: string, role: string) => resources(tf, type).find((r) => r.storage_account_id === ref(tf, role))!;

const KEY = { keyVaultId: "/subscriptions/s/resourceGroups/g/providers/Microsoft.KeyVault/vaults/v", keyName: "siros-test" };

describe("Azure object storage", () => {
  test("one hardened StorageV2 account per purpose: HTTPS and TLS 1.2 only, Entra ID only, no public network or blobs, infrastructure encryption", () => {
    for (const role of ["assets", "backups"]) {
      expect(account(prod.tf, role)).toMatchObject({
        account_kind: "StorageV2",
        account_tier: "Standard",
        access_tier: "Hot",
        https_traffic_only_enabled: true,
        min_tls_version: "TLS1_2",
        shared_access_key_enabled: false,
        default_to_oauth_authentication: true,
        local_user_enabled: false,
        public_network_access_enabled: false,
        allow_nested_items_to_be_public: false,
        cross_tenant_replication_enabled: false,
        infrastructure_encryption_enabled: true,
        network_rules: { default_action: "Deny", bypass: ["AzureServices"] },
        identity: { type: "SystemAssigned" },
        lifecycle: { prevent_destroy: true },
      });
      expect(account(prod.tf, role).name).toMatch(new RegExp(`^sirosprod${role}\\$\\{random_id\\.[^}]+\\.hex\\}$`));
    }
  });

  test("versioning, change feed and 30-day soft delete for blobs and containers", () => {
    expect(account(prod.tf, "backups").blob_properties).toEqual({
      versioning_enabled: true,
      change_feed_enabled: true,
      change_feed_retention_in_days: 30,
      delete_retention_policy: { days: 30 },
      container_delete_retention_policy: { days: 30 },
    });
  });

  test("GZRS for assets and RA-GZRS for backups in production-shaped environments, ZRS in dev", () => {
    expect([account(prod.tf, "assets").account_replication_type, account(prod.tf, "backups").account_replication_type]).toEqual(["GZRS", "RAGZRS"]);
    expect([account(dev.tf, "assets").account_replication_type, account(dev.tf, "backups").account_replication_type]).toEqual(["ZRS", "ZRS"]);
  });

  test("the environment's key encrypts every account, after the account's identity is granted the key", () => {
    for (const role of ["assets", "backups"]) {
      const cmk = onAccount(prod.tf, "azurerm_storage_account_customer_managed_key", role);
      expect(cmk).toMatchObject({ key_vault_id: referenceTo(prod.tf, "azurerm_key_vault", () => true), key_name: referenceTo(prod.tf, "azurerm_key_vault_key", () => true, "name") });
      const identity = `\${${ref(prod.tf, role).slice(2, -".id}".length)}.identity[0].principal_id}`;
      const [grant] = Object.entries(prod.tf.resource.azurerm_role_assignment).filter(([, r]) => r.principal_id === identity);
      expect(grant[1]).toMatchObject({ role_definition_name: "Key Vault Crypto Service Encryption User", scope: referenceTo(prod.tf, "azurerm_key_vault_key", () => true, "resource_versionless_id") });
      expect(cmk.depends_on).toEqual([`azurerm_role_assignment.${grant[0]}`]);
    }
  });

  test("backups are immutable 35 days, created Unlocked (Azure refuses a policy created Locked); prod's compliance lock is set once and Terraform leaves its state alone", () => {
    expect(account(prod.tf, "backups").immutability_policy).toEqual({ state: "Unlocked", period_since_creation_in_days: 35, allow_protected_append_writes: false });
    expect(account(prod.tf, "backups").lifecycle).toEqual({ prevent_destroy: true, ignore_changes: ["immutability_policy[0].state"] });
    expect(account(staging.tf, "backups").immutability_policy).toEqual({ state: "Unlocked", period_since_creation_in_days: 35, allow_protected_append_writes: false });
    // Staging's lock is governance: nobody locks it, so Terraform keeps watching the state.
    expect(account(staging.tf, "backups").lifecycle ?? {}).not.toHaveProperty("ignore_changes");
    expect(account(prod.tf, "assets")).not.toHaveProperty("immutability_policy");
    expect(account(prod.tf, "assets").lifecycle).toEqual({ prevent_destroy: true });
    expect(account(dev.tf, "backups")).not.toHaveProperty("immutability_policy");
    expect(account(dev.tf, "backups")).not.toHaveProperty("lifecycle");
  });

  test("every account, the replica's too, is reached through a blob private endpoint in the network's first private subnet, resolved by a privatelink.blob zone linked to the network", () => {
    for (const { tf, roles } of [{ tf: prod.tf, roles: ["assets", "backups"] }, { tf: dr.tf, roles: ["assets", "backups", "backups-replica"] }]) {
      const zone = referenceTo(tf, "azurerm_private_dns_zone", (z) => z.name === "privatelink.blob.core.windows.net");
      const subnet = referenceTo(tf, "azurerm_subnet", (s) => s.name === "private-1");
      expect(resources(tf, "azurerm_private_endpoint").filter((e) => String(e.name).endsWith("-blob"))).toEqual(
        roles.map((role) =>
          expect.objectContaining({
            subnet_id: subnet,
            private_service_connection: { name: expect.stringContaining(role), private_connection_resource_id: ref(tf, role), subresource_names: ["blob"], is_manual_connection: false },
            private_dns_zone_group: { name: "blob", private_dns_zone_ids: [zone] },
          }),
        ),
      );
      expect(resources(tf, "azurerm_private_dns_zone_virtual_network_link").filter((l) => l.private_dns_zone_name === `\${${zone.slice(2, -".id}".length)}.name}`)).toEqual([
        expect.objectContaining({ virtual_network_id: referenceTo(tf, "azurerm_virtual_network", () => true), registration_enabled: false }),
      ]);
    }
  });

  test("one private container per account, named by purpose", () => {
    for (const role of ["assets", "backups"]) {
      expect(prod.json).toHaveResourceWithProperties(StorageContainer, { name: role, storage_account_id: ref(prod.tf, role), container_access_type: "private" });
    }
  });

  test("management policies: old versions deleted, backups tiered to cool (whole rule lists)", () => {
    const expire = (days: number) => ({ name: "expire-noncurrent-versions", enabled: true, filters: { blob_types: ["blockBlob"] }, actions: { version: { delete_after_days_since_creation: days } } });
    expect(onAccount(prod.tf, "azurerm_storage_management_policy", "assets").rule).toEqual([expire(90)]);
    expect(onAccount(prod.tf, "azurerm_storage_management_policy", "backups").rule).toEqual([
      expire(90),
      { name: "move-to-cool-tier", enabled: true, filters: { blob_types: ["blockBlob"] }, actions: { base_blob: { tier_to_cool_after_days_since_creation_greater_than: 30 } } },
    ]);
    expect(onAccount(dev.tf, "azurerm_storage_management_policy", "assets").rule).toEqual([expire(7)]);
  });

  test("dr replicates prod's backups container into its own replica account, everything included", () => {
    expect(account(dr.tf, "backups-replica")).toMatchObject({ account_replication_type: "RAGZRS", immutability_policy: { state: "Unlocked" } });
    expect(resources(dr.tf, "azurerm_storage_object_replication")).toEqual([
      expect.objectContaining({
        source_storage_account_id: "${data.terraform_remote_state.primary.outputs.storage_backups_id}",
        destination_storage_account_id: ref(dr.tf, "backups-replica"),
        rules: [{ source_container_name: "backups", destination_container_name: referenceTo(dr.tf, "azurerm_storage_container", (c) => c.storage_account_id === ref(dr.tf, "backups-replica"), "name"), copy_blobs_created_after: "Everything" }],
      }),
    ]);
    expect(countOf(prod.tf, "azurerm_storage_object_replication")).toBe(0);
  });

  test("the cluster's backup job (siros/backup) writes the backups container through its user-assigned identity, with a role that cannot delete", () => {
    const identity = referenceTo(prod.tf, "azurerm_user_assigned_identity", (i) => String(i.name).includes("backup"), "principal_id");
    const container = referenceTo(prod.tf, "azurerm_storage_container", (c) => c.storage_account_id === ref(prod.tf, "backups"));
    const writer = referenceTo(prod.tf, "azurerm_role_definition", (r) => r.name === "siros-prod-blob-writer", "role_definition_resource_id");
    expect(resources(prod.tf, "azurerm_role_assignment").filter((r) => r.scope === container)).toEqual([
      expect.objectContaining({ scope: container, role_definition_id: writer, principal_id: identity }),
    ]);
    const group = referenceTo(prod.tf, "azurerm_resource_group", (g) => g.name === "siros-prod-storage");
    expect(resources(prod.tf, "azurerm_role_definition")).toEqual([
      expect.objectContaining({
        name: "siros-prod-blob-writer",
        scope: group,
        assignable_scopes: [group],
        // Storage Blob Data Contributor without blobs/delete, containers/write or containers/delete.
        permissions: [
          {
            actions: ["Microsoft.Storage/storageAccounts/blobServices/containers/read"],
            data_actions: [
              "Microsoft.Storage/storageAccounts/blobServices/containers/blobs/read",
              "Microsoft.Storage/storageAccounts/blobServices/containers/blobs/write",
              "Microsoft.Storage/storageAccounts/blobServices/containers/blobs/add/action",
            ],
          },
        ],
      }),
    ]);
  });

  test("exports account name, id and container endpoint per purpose", () => {
    expect(prod.tf.output.storage_backups_name.value).toBe(ref(prod.tf, "backups", "name"));
    expect(prod.tf.output.storage_backups_id.value).toBe(ref(prod.tf, "backups"));
    expect(prod.tf.output.storage_backups_url.value).toBe(`${ref(prod.tf, "backups", "primary_blob_endpoint")}backups`);
  });

  test("grants are data-plane roles on the container only, once per principal; readers get the built-in reader role, writers the writer role without delete", () => {
    const { tf } = synthModule((scope) => {
      const storage = new AzureStorage(scope, "storage", {
        name: "siros-test",
        region: "westeurope",
        keyId: "k",
        key: { ...KEY, authorize: () => ({}) as never },
        network: { virtualNetworkId: "vnet", subnetId: "subnet" },
        buckets: { assets: { noncurrentVersionDays: 30, incompleteUploadDays: 7 }, backups: { noncurrentVersionDays: 30, incompleteUploadDays: 7 } },
      });
      storage.grantRead("assets", { principal: "edge-principal" });
      storage.grantRead("assets", { principal: "edge-principal" });
      storage.grantWrite("backups", { principal: "backup-principal" });
    });
    const container = (role: string) => referenceTo(tf, "azurerm_storage_container", (c) => c.name === role);
    expect(resources(tf, "azurerm_role_assignment").map(({ scope, role_definition_name, role_definition_id, principal_id }) => ({ scope, role_definition_name, role_definition_id, principal_id }))).toEqual([
      { scope: container("assets"), role_definition_name: "Storage Blob Data Reader", role_definition_id: undefined, principal_id: "edge-principal" },
      { scope: container("backups"), role_definition_name: undefined, role_definition_id: referenceTo(tf, "azurerm_role_definition", () => true, "role_definition_resource_id"), principal_id: "backup-principal" },
    ]);
  });
});
