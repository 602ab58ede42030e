import { KeyVault } from "@cdktf/provider-azurerm/lib/key-vault";
import { KeyVaultKey } from "@cdktf/provider-azurerm/lib/key-vault-key";
import { TerraformVariable } from "cdktf";
import { AzureKeys } from "../modules/keys/azure";
import { writeOnlyValue } from "../modules/keys/contract";
import { synthModule } from "./support/module-stack";
import { referenceTo, resources, synthStack } from "./support/synth";

describe("Azure keys", () => {
  const prod = synthStack("azure", "prod");
  const dev = synthStack("azure", "dev");

  test("is a premium Key Vault with RBAC, purge protection, no public access and a default-deny firewall", () => {
    expect(prod.json).toHaveResourceWithProperties(KeyVault, {
      sku_name: "premium",
      rbac_authorization_enabled: true,
      purge_protection_enabled: true,
      soft_delete_retention_days: 30,
      public_network_access_enabled: false,
      network_acls: { default_action: "Deny", bypass: "AzureServices" },
      location: "westeurope",
      lifecycle: { prevent_destroy: true },
    });
  });

  test("the vault's global name gets a random suffix kept in state", () => {
    const [vault] = resources(prod.tf, "azurerm_key_vault");
    expect(vault.name).toMatch(/^siros-prod-kv-\$\{random_id\.keys_vault-name_[0-9A-F]+\.hex\}$/);
    expect(Object.values(prod.tf.resource.random_id).map((r) => r.keepers)).toContainEqual({ base: "siros-prod-kv" });
  });

  test("holds an RSA-HSM key that rotates every 90 days and expires only if rotation stops", () => {
    expect(prod.json).toHaveResourceWithProperties(KeyVaultKey, {
      name: "siros-prod",
      key_type: "RSA-HSM",
      key_size: 3072,
      key_opts: ["wrapKey", "unwrapKey"],
      rotation_policy: { automatic: { time_after_creation: "P90D" }, expire_after: "P180D", notify_before_expiry: "P30D" },
      lifecycle: { prevent_destroy: true },
    });
  });

  test("the deployer gets only the data-plane roles it needs, before the key is written", () => {
    const roles = resources(prod.tf, "azurerm_role_assignment").filter((r) => r.description?.startsWith("Terraform manages"));
    expect(roles.map((r) => [r.role_definition_name, r.scope])).toEqual([
      ["Key Vault Crypto Officer", referenceTo(prod.tf, "azurerm_key_vault", () => true)],
      ["Key Vault Secrets Officer", referenceTo(prod.tf, "azurerm_key_vault", () => true)],
    ]);
    expect(resources(prod.tf, "azurerm_key_vault_key")[0].depends_on).toHaveLength(2);
  });

  test("dev is cheap and disposable: standard vault, software RSA key, a week of soft delete, no prevent_destroy", () => {
    const [vault] = resources(dev.tf, "azurerm_key_vault");
    // Purge protection stays on: storage accounts refuse customer-managed keys from a vault without it.
    expect(vault).toMatchObject({ sku_name: "standard", purge_protection_enabled: true, soft_delete_retention_days: 7, public_network_access_enabled: false });
    expect(vault).not.toHaveProperty("lifecycle");
    expect(resources(dev.tf, "azurerm_key_vault_key")[0]).toMatchObject({ key_type: "RSA" });
  });

  test("the VNet flow-log storage account is encrypted with the key, once its own identity may use it", () => {
    for (const { tf } of [prod, dev]) {
      const [account] = resources(tf, "azurerm_storage_account");
      expect(account.identity).toEqual({ type: "SystemAssigned" });
      const accountRef = referenceTo(tf, "azurerm_storage_account", () => true);
      const [cmk] = resources(tf, "azurerm_storage_account_customer_managed_key");
      const role = Object.entries(tf.resource.azurerm_role_assignment).find(([, r]) => r.role_definition_name === "Key Vault Crypto Service Encryption User")!;
      expect(role[1]).toMatchObject({ principal_id: accountRef.replace(/\.id\}$/, ".identity[0].principal_id}"), scope: referenceTo(tf, "azurerm_key_vault_key", () => true, "resource_versionless_id") });
      expect(cmk).toEqual({
        storage_account_id: accountRef,
        key_vault_id: referenceTo(tf, "azurerm_key_vault", () => true),
        key_name: referenceTo(tf, "azurerm_key_vault_key", () => true, "name"),
        depends_on: [`azurerm_role_assignment.${role[0]}`],
      });
    }
  });

  test("exports the versionless key id (so consumers follow rotation) and the vault id", () => {
    expect(prod.tf.output.key_id.value).toBe(referenceTo(prod.tf, "azurerm_key_vault_key", () => true, "versionless_id"));
    expect(prod.tf.output.secret_store_id.value).toBe(referenceTo(prod.tf, "azurerm_key_vault", () => true));
  });

  test("grants wrap/unwrap on the key only, to each principal once; secrets go in write-only", () => {
    const { tf } = synthModule((scope) => {
      const keys = new AzureKeys(scope, "keys", { name: "siros-test", region: "westeurope", principals: ["00000000-0000-0000-0000-000000000001"] });
      keys.grant({ principal: "00000000-0000-0000-0000-000000000001" });
      keys.grant({ principal: "00000000-0000-0000-0000-000000000002" });
      const value = new TerraformVariable(scope, "token", { type: "string", sensitive: true });
      keys.addSecret("token", { name: "api-token", description: "API token", value: writeOnlyValue(value.stringValue) });
    });
    const users = resources(tf, "azurerm_role_assignment").filter((r) => r.role_definition_name === "Key Vault Crypto Service Encryption User");
    expect(users.map((r) => [r.principal_id, r.scope])).toEqual([
      ["00000000-0000-0000-0000-000000000001", referenceTo(tf, "azurerm_key_vault_key", () => true, "resource_versionless_id")],
      ["00000000-0000-0000-0000-000000000002", referenceTo(tf, "azurerm_key_vault_key", () => true, "resource_versionless_id")],
    ]);
    const [secret] = resources(tf, "azurerm_key_vault_secret");
    expect(secret).toMatchObject({ name: "api-token", value_wo: "${var.token}", value_wo_version: 1, content_type: "text/plain" });
    expect(secret).not.toHaveProperty("value");
  });

  test("fails if a whole service is granted, naming the alternative", () => {
    expect(() => synthModule((scope) => new AzureKeys(scope, "keys", { name: "siros-test", region: "westeurope" }).grant({ service: "logs" }))).toThrow(
      `keys (azure): grant({ service }) for a whole service (service "logs") is not supported: Azure services use a customer-managed key through their own managed identity; Key Vault has no service-wide grant. Instead: grant({ principal }) with the consuming resource's managed identity`,
    );
  });

  test("fails if a secret has no write-only value", () => {
    expect(() =>
      synthModule((scope) => new AzureKeys(scope, "keys", { name: "siros-test", region: "westeurope" }).addSecret("x", { name: "empty", description: "x" })),
    ).toThrow(`keys (azure): addSecret without a value (secret "empty") is not supported: a Key Vault secret always has a value; azurerm_key_vault_secret needs value or value_wo. Instead: pass the value write-only (value_wo) with writeOnlyValue(...)`);
    // Every secret of the stack (the database's administrator password) is written write-only.
    expect(resources(dev.tf, "azurerm_key_vault_secret").filter((secret) => secret.value_wo === undefined)).toEqual([]);
  });
});
