import { DataAzurermClientConfig } from "@cdktf/provider-azurerm/lib/data-azurerm-client-config";
import { KeyVault } from "@cdktf/provider-azurerm/lib/key-vault";
import { KeyVaultKey } from "@cdktf/provider-azurerm/lib/key-vault-key";
import { KeyVaultSecret } from "@cdktf/provider-azurerm/lib/key-vault-secret";
import { ResourceGroup } from "@cdktf/provider-azurerm/lib/resource-group";
import { RoleAssignment } from "@cdktf/provider-azurerm/lib/role-assignment";
import { Construct } from "constructs";
import { globalName } from "../shared/global-name";
import {
  checkSecretProps,
  protectedLifecycle,
  resolveKeysProps,
  type KeyGrantee,
  type Keys,
  type KeysOutputs,
  type KeysProps,
  type ResolvedKeysProps,
  type SecretProps,
  type SecretRef,
} from "./contract";
import { gapError } from "./gaps";

/** Built-in roles (Key Vault RBAC): the deployer manages keys and secrets; consumers only wrap and unwrap. */
export const KEY_VAULT_ROLES = {
  cryptoOfficer: "Key Vault Crypto Officer",
  secretsOfficer: "Key Vault Secrets Officer",
  encryptionUser: "Key Vault Crypto Service Encryption User",
} as const;

/** Key Vault names: 3-24 letters, digits and hyphens, global, reserved while soft-deleted. */
const VAULT_NAME_MAX = 24;
const KEY_SIZE = 3072;

/**
 * Azure: a Key Vault with RBAC authorization, purge protection (with deletion protection),
 * soft-delete retention of the deletion window, public network access off and network ACLs
 * denying by default (trusted Azure services bypass), in its own resource group; an RSA key
 * (RSA-HSM in a premium vault for `hsm` protection) that rotates automatically; secrets in
 * the same vault. The vault's name has a random suffix kept in state, since vault names are
 * global and stay reserved while soft-deleted.
 *
 * Terraform writes the key and secrets through the vault's data plane: with public access
 * off, deploy from a runner that reaches the vault over a private endpoint (see README).
 */
export class AzureKeys extends Construct implements Keys {
  readonly outputs: KeysOutputs;
  readonly resourceGroup: ResourceGroup;
  readonly vault: KeyVault;
  readonly key: KeyVaultKey;
  private readonly props: ResolvedKeysProps;
  private readonly grantees = new Map<string, RoleAssignment>();
  private readonly deployerRoles: RoleAssignment[];

  constructor(scope: Construct, id: string, input: KeysProps) {
    super(scope, id);
    this.props = resolveKeysProps(input);
    const { name, region: location, tags, protection, rotationDays } = this.props;
    const hsm = protection === "hsm";
    const client = new DataAzurermClientConfig(this, "client");

    this.resourceGroup = new ResourceGroup(this, "resource-group", { name: `${name}-keys`, location, tags });
    this.vault = new KeyVault(this, "vault", {
      name: globalName(this, "vault-name", { base: `${name}-kv`, maxLength: VAULT_NAME_MAX, charset: "lower-alnum-hyphen" }),
      location,
      resourceGroupName: this.resourceGroup.name,
      tenantId: client.tenantId,
      // HSM-protected keys need the premium tier.
      skuName: hsm ? "premium" : "standard",
      rbacAuthorizationEnabled: true,
      // Always on: Azure services refuse customer-managed keys from a vault without it.
      // Deletion protection adds prevent_destroy below.
      purgeProtectionEnabled: true,
      softDeleteRetentionDays: this.props.deletionWindowDays,
      publicNetworkAccessEnabled: false,
      networkAcls: { defaultAction: "Deny", bypass: "AzureServices" },
      tags,
      ...protectedLifecycle(this.props),
    });

    // With RBAC authorization, whoever runs Terraform needs data-plane roles to write keys and secrets.
    this.deployerRoles = [KEY_VAULT_ROLES.cryptoOfficer, KEY_VAULT_ROLES.secretsOfficer].map(
      (role, i) =>
        new RoleAssignment(this, `deployer-role-${i}`, {
          scope: this.vault.id,
          roleDefinitionName: role,
          principalId: client.objectId,
          description: `Terraform manages the keys and secrets of ${name}`,
        }),
    );

    this.key = new KeyVaultKey(this, "key", {
      name,
      keyVaultId: this.vault.id,
      keyType: hsm ? "RSA-HSM" : "RSA",
      keySize: KEY_SIZE,
      keyOpts: ["wrapKey", "unwrapKey"],
      rotationPolicy: {
        automatic: { timeAfterCreation: `P${rotationDays}D` },
        // A version that failed to rotate expires a rotation period later, with a month's warning.
        expireAfter: `P${rotationDays * 2}D`,
        notifyBeforeExpiry: "P30D",
      },
      tags,
      dependsOn: this.deployerRoles,
      ...protectedLifecycle(this.props),
    });
    this.props.principals.forEach((principal) => this.grant({ principal }));

    this.outputs = { keyId: this.key.versionlessId, secretStoreId: this.vault.id };
  }

  grant(grantee: KeyGrantee): void {
    if ("service" in grantee) throw gapError("azureServiceGrants", `(service ${JSON.stringify(grantee.service)})`);
    this.roleFor(grantee.principal);
  }

  /** The role assignment that lets a managed identity wrap and unwrap with the key (created once per identity). */
  roleFor(principalId: string): RoleAssignment {
    const existing = this.grantees.get(principalId);
    if (existing) return existing;
    const role = new RoleAssignment(this, `key-user-${this.grantees.size}`, {
      scope: this.key.resourceVersionlessId,
      roleDefinitionName: KEY_VAULT_ROLES.encryptionUser,
      principalId,
      description: `Wraps and unwraps data keys with ${this.props.name}'s key`,
    });
    this.grantees.set(principalId, role);
    return role;
  }

  addSecret(id: string, props: SecretProps): SecretRef {
    checkSecretProps("keys (azure)", props);
    if (!props.value) throw gapError("azureEmptySecrets", `(secret ${JSON.stringify(props.name)})`);
    const secret = new KeyVaultSecret(this, `secret-${id}`, {
      name: props.name,
      keyVaultId: this.vault.id,
      valueWo: props.value.reference,
      valueWoVersion: props.value.version,
      contentType: "text/plain",
      tags: this.props.tags,
      dependsOn: this.deployerRoles,
    });
    return { id: secret.resourceVersionlessId, name: secret.name };
  }
}
