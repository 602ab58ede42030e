import { PrivateDnsZone } from "@cdktf/provider-azurerm/lib/private-dns-zone";
import { PrivateDnsZoneVirtualNetworkLink } from "@cdktf/provider-azurerm/lib/private-dns-zone-virtual-network-link";
import { PrivateEndpoint } from "@cdktf/provider-azurerm/lib/private-endpoint";
import { ResourceGroup } from "@cdktf/provider-azurerm/lib/resource-group";
import { RoleAssignment } from "@cdktf/provider-azurerm/lib/role-assignment";
import { RoleDefinition } from "@cdktf/provider-azurerm/lib/role-definition";
import { StorageAccount } from "@cdktf/provider-azurerm/lib/storage-account";
import { StorageAccountCustomerManagedKeyA } from "@cdktf/provider-azurerm/lib/storage-account-customer-managed-key";
import { StorageContainer } from "@cdktf/provider-azurerm/lib/storage-container";
import { StorageManagementPolicy } from "@cdktf/provider-azurerm/lib/storage-management-policy";
import { StorageObjectReplication } from "@cdktf/provider-azurerm/lib/storage-object-replication";
import { Construct } from "constructs";
import { globalName } from "../shared/global-name";
import {
  BUCKET_PURPOSES,
  protectedBucket,
  replicatedPurposes,
  resolveStorageProps,
  StorageBase,
  type BucketOutputs,
  type BucketProps,
  type BucketPurpose,
  type BucketRole,
  type ResolvedStorageProps,
  type StorageAccess,
  type StorageGrantee,
  type StorageOutputs,
  type StorageProps,
} from "./contract";

/** The environment's key as a storage account takes it, and how to let the account's identity use it. */
export interface AzureStorageKey {
  readonly keyVaultId: string;
  readonly keyName: string;
  /** The role assignment that lets a managed identity wrap and unwrap with the key. */
  authorize(principalId: string): RoleAssignment;
}

/** Where the accounts' private endpoints go: the accounts refuse every public network. */
export interface AzureStorageNetwork {
  /** The virtual network whose clients (the cluster, the runners) resolve the accounts to their private endpoints. */
  readonly virtualNetworkId: string;
  /** A private subnet of that network, which holds the endpoints' network interfaces. */
  readonly subnetId: string;
}

export interface AzureStorageProps extends StorageProps {
  readonly key: AzureStorageKey;
  readonly network: AzureStorageNetwork;
  /**
   * Geo-zone-redundant accounts (GZRS, RA-GZRS for backups) for production-shaped
   * environments; zone-redundant (ZRS) otherwise.
   * @default true
   */
  readonly geoRedundant?: boolean;
}

/** Storage account names: 3-24 lowercase letters and digits, global across Azure. */
export const STORAGE_ACCOUNT_NAME_MAX = 24;
/** Days deleted blobs and containers stay recoverable (soft delete), and the change feed is kept. */
export const SOFT_DELETE_DAYS = 30;
/** The private DNS zone Azure resolves `<account>.blob.core.windows.net` through for a blob private endpoint. */
export const BLOB_PRIVATE_DNS_ZONE = "privatelink.blob.core.windows.net";
/** Blob Storage's private-link sub-resource: the endpoint serves the blob service only (no file, queue, table). */
export const BLOB_SUBRESOURCE = "blob";
/** Readers get the built-in data-plane role: list and read blobs. */
export const BLOB_READER_ROLE = "Storage Blob Data Reader";
/**
 * Writers get a custom role: Storage Blob Data Contributor without any delete (blobs or
 * containers), since the contract's writers never delete; an overwrite keeps the old version.
 */
export const BLOB_WRITER_PERMISSIONS = {
  actions: ["Microsoft.Storage/storageAccounts/blobServices/containers/read"],
  dataActions: [
    "Microsoft.Storage/storageAccounts/blobServices/containers/blobs/read",
    "Microsoft.Storage/storageAccounts/blobServices/containers/blobs/write",
    "Microsoft.Storage/storageAccounts/blobServices/containers/blobs/add/action",
  ],
} as const;

interface AzureBucket {
  readonly account: StorageAccount;
  readonly container: StorageContainer;
}

/**
 * Azure: per purpose a StorageV2 account (names collision-proof) with HTTPS only and TLS
 * 1.2, shared keys off (Entra ID only), public network access off, no public blobs,
 * infrastructure encryption and the environment's key (customer-managed, versionless so it
 * follows rotations), blob versioning, change feed, soft delete for blobs and containers,
 * a version-level immutability policy where the bucket has a lock, a management policy
 * (old versions deleted, backups tiered to cool) and one private container. GZRS (RA-GZRS
 * for backups) in production-shaped environments.
 *
 * Incomplete uploads: Blob Storage discards uncommitted blocks after 7 days by itself; no
 * rule is needed. Object replication of backups to dr is owned by dr's stack (see AwsStorage).
 */
export class AzureStorage extends StorageBase {
  protected readonly cloud = "azure";
  readonly outputs: StorageOutputs;
  readonly resourceGroup: ResourceGroup;
  private readonly props: ResolvedStorageProps & { readonly geoRedundant: boolean; readonly key: AzureStorageKey; readonly network: AzureStorageNetwork };
  /** The privatelink.blob zone every account's endpoint registers in, linked to the network. */
  private readonly blobZone: PrivateDnsZone;
  private readonly buckets = {} as Record<BucketPurpose, AzureBucket>;
  private readonly grants = new Map<string, RoleAssignment>();
  /** The writers' role, defined on the storage resource group at the first write grant. */
  private writerRole?: RoleDefinition;

  constructor(scope: Construct, id: string, input: AzureStorageProps) {
    super(scope, id);
    this.props = { ...resolveStorageProps(input), geoRedundant: input.geoRedundant ?? true, key: input.key, network: input.network };
    this.resourceGroup = new ResourceGroup(this, "resource-group", { name: `${this.props.name}-storage`, location: this.props.region, tags: this.props.tags });
    this.blobZone = this.privateDnsZone();
    const outputs = {} as Record<BucketPurpose, BucketOutputs>;
    for (const purpose of BUCKET_PURPOSES) {
      const bucket = this.bucket(purpose, this.props.buckets[purpose]);
      this.buckets[purpose] = bucket;
      outputs[purpose] = { name: bucket.account.name, id: bucket.account.id, url: `${bucket.account.primaryBlobEndpoint}${purpose}` };
    }
    const replicas: Partial<Record<BucketPurpose, BucketOutputs>> = {};
    for (const purpose of replicatedPurposes(this.props)) {
      // A replica account of its own: object replication makes the destination container read-only.
      const replica = this.bucket(`${purpose}-replica`, this.props.buckets[purpose]);
      // Object replication writes policies on both accounts: from the primary's container into the replica's.
      new StorageObjectReplication(this, `${purpose}-replication`, {
        sourceStorageAccountId: this.props.replicaOf[purpose]!.id,
        destinationStorageAccountId: replica.account.id,
        // Everything: backups written before the policy existed are copied too.
        rules: [{ sourceContainerName: purpose, destinationContainerName: replica.container.name, copyBlobsCreatedAfter: "Everything" }],
      });
      replicas[purpose] = { name: replica.account.name, id: replica.account.id, url: `${replica.account.primaryBlobEndpoint}${replica.container.name}` };
    }
    this.outputs = { buckets: outputs, replicas };
  }

  protected grant(access: StorageAccess, purpose: BucketPurpose, grantee: StorageGrantee): void {
    const key = `${access}:${purpose}:${grantee.principal}`;
    if (this.grants.has(key)) return;
    this.grants.set(
      key,
      new RoleAssignment(this, `${purpose}-${access}-${this.grants.size}`, {
        // The container only, not the account.
        scope: this.buckets[purpose].container.id,
        ...(access === "read" ? { roleDefinitionName: BLOB_READER_ROLE } : { roleDefinitionId: this.blobWriterRole().roleDefinitionResourceId }),
        principalId: grantee.principal,
        description: `${access === "read" ? "Reads" : "Writes"} ${this.props.name}'s ${purpose}`,
      }),
    );
  }

  private blobWriterRole(): RoleDefinition {
    const scope = this.resourceGroup.id;
    this.writerRole ??= new RoleDefinition(this, "blob-writer-role", {
      name: `${this.props.name}-blob-writer`,
      scope,
      description: `Reads and writes blobs of ${this.props.name}'s storage accounts, never deletes them`,
      permissions: [{ actions: [...BLOB_WRITER_PERMISSIONS.actions], dataActions: [...BLOB_WRITER_PERMISSIONS.dataActions] }],
      assignableScopes: [scope],
    });
    return this.writerRole;
  }

  /** One privatelink.blob zone for the stack's accounts, resolvable from the environment's network. */
  private privateDnsZone(): PrivateDnsZone {
    const { name, tags, network } = this.props;
    const zone = new PrivateDnsZone(this, "blob-dns-zone", { name: BLOB_PRIVATE_DNS_ZONE, resourceGroupName: this.resourceGroup.name, tags });
    new PrivateDnsZoneVirtualNetworkLink(this, "blob-dns-zone-link", {
      name: `${name}-storage-blob`,
      resourceGroupName: this.resourceGroup.name,
      privateDnsZoneName: zone.name,
      virtualNetworkId: network.virtualNetworkId,
      registrationEnabled: false,
      tags,
    });
    return zone;
  }

  /** The account's blob service on the private subnet, its A record written into the privatelink zone by Azure. */
  private privateEndpoint(role: BucketRole, account: StorageAccount): PrivateEndpoint {
    const { name, region: location, tags, network } = this.props;
    return new PrivateEndpoint(this, `${role}-private-endpoint`, {
      name: `${name}-${role}-blob`,
      location,
      resourceGroupName: this.resourceGroup.name,
      subnetId: network.subnetId,
      privateServiceConnection: { name: `${name}-${role}-blob`, privateConnectionResourceId: account.id, subresourceNames: [BLOB_SUBRESOURCE], isManualConnection: false },
      privateDnsZoneGroup: { name: BLOB_SUBRESOURCE, privateDnsZoneIds: [this.blobZone.id] },
      tags,
    });
  }

  private bucket(role: BucketRole, spec: BucketProps): AzureBucket {
    // A replica's container keeps the primary's container name, so restores find the same paths.
    const purpose = role.replace(/-replica$/, "") as BucketPurpose;
    const { name, region: location, tags } = this.props;
    const replication = !this.props.geoRedundant ? "ZRS" : purpose === "backups" ? "RAGZRS" : "GZRS";
    const account = new StorageAccount(this, role, {
      name: globalName(this, `${role}-name`, { base: `${name}${role}`, maxLength: STORAGE_ACCOUNT_NAME_MAX, charset: "lower-alnum" }),
      location,
      resourceGroupName: this.resourceGroup.name,
      accountKind: "StorageV2",
      accountTier: "Standard",
      accountReplicationType: replication,
      accessTier: "Hot",
      httpsTrafficOnlyEnabled: true,
      minTlsVersion: "TLS1_2",
      // Entra ID only: no account keys, no SAS signed with them, no SFTP/NFS local users.
      sharedAccessKeyEnabled: false,
      defaultToOauthAuthentication: true,
      localUserEnabled: false,
      publicNetworkAccessEnabled: false,
      allowNestedItemsToBePublic: false,
      crossTenantReplicationEnabled: false,
      infrastructureEncryptionEnabled: true,
      networkRules: { defaultAction: "Deny", bypass: ["AzureServices"] },
      identity: { type: "SystemAssigned" },
      blobProperties: {
        versioningEnabled: true,
        changeFeedEnabled: true,
        changeFeedRetentionInDays: SOFT_DELETE_DAYS,
        deleteRetentionPolicy: { days: SOFT_DELETE_DAYS },
        containerDeleteRetentionPolicy: { days: SOFT_DELETE_DAYS },
      },
      // Version-level immutability for every blob of the account. Azure creates a policy only
      // Unlocked (or Disabled); a compliance lock is set once after creation (STORAGE_GAPS.azureComplianceLock).
      ...(spec.lock ? { immutabilityPolicy: { state: "Unlocked", periodSinceCreationInDays: spec.lock.days, allowProtectedAppendWrites: false } } : {}),
      tags: { ...tags, purpose: role },
      ...lifecycleOf(this.props, spec),
    });
    this.privateEndpoint(role, account);
    // Versionless: the account follows the key's rotations.
    new StorageAccountCustomerManagedKeyA(this, `${role}-key`, {
      storageAccountId: account.id,
      keyVaultId: this.props.key.keyVaultId,
      keyName: this.props.key.keyName,
      dependsOn: [this.props.key.authorize(account.identity.principalId)],
    });
    const container = new StorageContainer(this, `${role}-container`, { name: purpose, storageAccountId: account.id, containerAccessType: "private" });
    new StorageManagementPolicy(this, `${role}-lifecycle`, {
      storageAccountId: account.id,
      rule: [
        {
          name: "expire-noncurrent-versions",
          enabled: true,
          filters: { blobTypes: ["blockBlob"] },
          actions: { version: { deleteAfterDaysSinceCreation: spec.noncurrentVersionDays } },
        },
        ...(spec.coldAfterDays !== undefined
          ? [{ name: "move-to-cool-tier", enabled: true, filters: { blobTypes: ["blockBlob"] }, actions: { baseBlob: { tierToCoolAfterDaysSinceCreationGreaterThan: spec.coldAfterDays } } }]
          : []),
      ],
    });
    return { account, container };
  }
}

/**
 * Deletion protection, and for a compliance lock: Terraform leaves the policy's state alone,
 * so locking it once after creation (STORAGE_GAPS.azureComplianceLock) is not reverted, which
 * Azure would refuse anyway (a Locked policy cannot be unlocked).
 */
function lifecycleOf(props: ResolvedStorageProps, spec: BucketProps): { lifecycle?: { preventDestroy?: boolean; ignoreChanges?: string[] } } {
  const protection = protectedBucket(props).lifecycle;
  const locked = spec.lock?.mode === "compliance" ? { ignoreChanges: ["immutability_policy[0].state"] } : {};
  return protection || locked.ignoreChanges ? { lifecycle: { ...protection, ...locked } } : {};
}
