import { DataAzurermClientConfig } from "@cdktf/provider-azurerm/lib/data-azurerm-client-config";
import { DiskEncryptionSet } from "@cdktf/provider-azurerm/lib/disk-encryption-set";
import { FederatedIdentityCredential } from "@cdktf/provider-azurerm/lib/federated-identity-credential";
import { KeyVaultKey } from "@cdktf/provider-azurerm/lib/key-vault-key";
import { KubernetesCluster } from "@cdktf/provider-azurerm/lib/kubernetes-cluster";
import { KubernetesClusterNodePool } from "@cdktf/provider-azurerm/lib/kubernetes-cluster-node-pool";
import { ManagementLock } from "@cdktf/provider-azurerm/lib/management-lock";
import { ResourceGroup } from "@cdktf/provider-azurerm/lib/resource-group";
import { RoleAssignment } from "@cdktf/provider-azurerm/lib/role-assignment";
import { UserAssignedIdentity } from "@cdktf/provider-azurerm/lib/user-assigned-identity";
import type { ITerraformDependable } from "cdktf";
import { Construct } from "constructs";
import {
  checkWorkloadName,
  clusterName,
  INGRESS_NODE_PORT,
  resolveKubernetesProps,
  KUBERNETES_VERSIONS,
  type Kubernetes,
  type KubernetesOutputs,
  type KubernetesProps,
  type WorkloadIdentity,
} from "./contract";
import { POOL_LABEL, poolPlans } from "./pools";
import { MACHINE_TYPES } from "./machines";

/** The environment's Key Vault and key, and how an identity is let use that key (the keys module). */
export interface AzureClusterKey {
  readonly keyVaultId: string;
  /** Versionless id of the environment's key (wrap/unwrap): the disk encryption set uses it. */
  readonly keyId: string;
  /** Lets a managed identity wrap and unwrap with the environment's key; the returned assignment is waited for. */
  readonly authorize: (principalId: string) => RoleAssignment;
  /** The vault's data-plane access for Terraform, which a new key in the vault waits for. */
  readonly vaultReady: ITerraformDependable;
}

export interface AzureKubernetesProps extends KubernetesProps {
  readonly key: AzureClusterKey;
}

/** Built-in roles the cluster's identity needs, at the narrowest scope that works. */
export const AKS_ROLES = {
  /** KMS etcd encryption: encrypt/decrypt with the cluster's key. */
  cryptoUser: "Key Vault Crypto User",
  /** Joining nodes and load balancers to the private subnet (user-assigned identity). */
  network: "Network Contributor",
  /** Reading the disk encryption set the nodes' disks use. */
  reader: "Reader",
} as const;

/** Azure requires this taint (and label) on spot pools; workloads that accept reclaim tolerate it. */
export const AZURE_SPOT_TAINT = "kubernetes.azure.com/scalesetpriority=spot:NoSchedule";

const SIZE_RSA = 2048;

/**
 * Azure AKS: a private cluster (no public FQDN) with Entra ID authentication, Azure RBAC and
 * local accounts disabled, OIDC issuer and workload identity, KMS etcd encryption with a key
 * of the environment's vault, node disks through a disk encryption set on the environment's
 * key, Azure CNI overlay with Calico network policy, egress through the network's NAT
 * gateways, a system pool for critical add-ons only and a user pool (spot where allowed),
 * both autoscaling across zones, automatic patch and node-image upgrades, the Azure Policy
 * add-on, and a CanNotDelete lock under deletion protection.
 */
export class AzureKubernetes extends Construct implements Kubernetes {
  readonly outputs: KubernetesOutputs;
  readonly cluster: KubernetesCluster;
  readonly resourceGroup: ResourceGroup;
  private readonly identities = new Map<string, WorkloadIdentity>();
  private readonly name: string;
  private readonly tags: Readonly<Record<string, string>>;

  constructor(scope: Construct, id: string, input: AzureKubernetesProps) {
    super(scope, id);
    const props = resolveKubernetesProps(input);
    const { region: location, tags } = props;
    const name = clusterName(props);
    this.name = name;
    this.tags = tags;
    const client = new DataAzurermClientConfig(this, "client");
    const zones = Array.from({ length: props.zones }, (_, i) => `${i + 1}`);
    // Azure subnets span the region's zones: the first private subnet holds every pool.
    const subnetId = props.privateSubnetIds[0];

    this.resourceGroup = new ResourceGroup(this, "resource-group", { name: `${props.name}-kubernetes`, location, tags });
    const resourceGroupName = this.resourceGroup.name;
    const identity = new UserAssignedIdentity(this, "cluster-identity", { name: `${name}-cluster`, location, resourceGroupName, tags });

    // KMS etcd encryption calls encrypt/decrypt; the environment's key allows only wrap/unwrap, so the
    // cluster gets its own key in the environment's vault, rotated the same way.
    const etcdKey = new KeyVaultKey(this, "etcd-key", {
      name: `${name}-etcd`,
      keyVaultId: input.key.keyVaultId,
      keyType: "RSA-HSM",
      keySize: SIZE_RSA,
      keyOpts: ["encrypt", "decrypt"],
      rotationPolicy: { automatic: { timeAfterCreation: "P90D" }, expireAfter: "P180D", notifyBeforeExpiry: "P30D" },
      tags,
      dependsOn: [input.key.vaultReady],
    });
    const grants = [
      new RoleAssignment(this, "etcd-key-user", {
        scope: etcdKey.resourceVersionlessId,
        roleDefinitionName: AKS_ROLES.cryptoUser,
        principalId: identity.principalId,
        description: `${name} encrypts its secrets (etcd) with this key`,
      }),
      new RoleAssignment(this, "subnet-network", {
        scope: subnetId,
        roleDefinitionName: AKS_ROLES.network,
        principalId: identity.principalId,
        description: `${name} joins nodes and internal load balancers to its subnet`,
      }),
    ];

    const diskEncryption = new DiskEncryptionSet(this, "disk-encryption", {
      name: `${name}-disks`,
      location,
      resourceGroupName,
      keyVaultKeyId: input.key.keyId,
      autoKeyRotationEnabled: true,
      encryptionType: "EncryptionAtRestWithCustomerKey",
      identity: { type: "SystemAssigned" },
      tags,
    });
    const diskKeyGrant = input.key.authorize(diskEncryption.identity.principalId);
    // A cluster with a user-assigned identity must be able to read the disk encryption set it names.
    const diskSetReader = new RoleAssignment(this, "disk-encryption-reader", {
      scope: diskEncryption.id,
      roleDefinitionName: AKS_ROLES.reader,
      principalId: identity.principalId,
      description: `${name} attaches node disks encrypted through this set`,
    });

    const [system, workload] = poolPlans(props);
    this.cluster = new KubernetesCluster(this, "cluster", {
      name,
      location,
      resourceGroupName,
      // dns_prefix_private_cluster is only for a custom private DNS zone (the provider refuses it with "System").
      dnsPrefix: name,
      kubernetesVersion: KUBERNETES_VERSIONS.azure.spell(props.version),
      // A financially backed API server SLA where the environment spreads across three zones.
      skuTier: props.zones >= 3 ? "Standard" : "Free",
      privateClusterEnabled: true,
      privateClusterPublicFqdnEnabled: false,
      privateDnsZoneId: "System",
      localAccountDisabled: true,
      roleBasedAccessControlEnabled: true,
      azureActiveDirectoryRoleBasedAccessControl: { azureRbacEnabled: true, tenantId: client.tenantId },
      oidcIssuerEnabled: true,
      workloadIdentityEnabled: true,
      azurePolicyEnabled: true,
      automaticUpgradeChannel: "patch",
      nodeOsUpgradeChannel: "NodeImage",
      runCommandEnabled: false,
      identity: { type: "UserAssigned", identityIds: [identity.id] },
      keyManagementService: { keyVaultKeyId: etcdKey.id, keyVaultNetworkAccess: "Private" },
      diskEncryptionSetId: diskEncryption.id,
      networkProfile: {
        networkPlugin: "azure",
        networkPluginMode: "overlay",
        networkPolicy: "calico",
        loadBalancerSku: "standard",
        outboundType: "userAssignedNATGateway",
      },
      defaultNodePool: {
        name: "system",
        vmSize: MACHINE_TYPES.azure[system.pool.size],
        vnetSubnetId: subnetId,
        zones,
        autoScalingEnabled: true,
        minCount: system.pool.minNodes,
        maxCount: system.pool.maxNodes,
        onlyCriticalAddonsEnabled: true,
        osSku: "AzureLinux",
        osDiskType: "Managed",
        nodePublicIpEnabled: false,
        hostEncryptionEnabled: false,
        temporaryNameForRotation: "systemtmp",
        nodeLabels: { [POOL_LABEL]: "system" },
        upgradeSettings: { maxSurge: "33%" },
        tags,
      },
      tags,
      dependsOn: [...grants, diskKeyGrant, diskSetReader],
      lifecycle: {
        // The autoscaler owns node counts.
        ignoreChanges: ["default_node_pool[0].node_count"],
        ...(props.deletionProtection ? { preventDestroy: true } : {}),
      },
    });

    const workloadPool = new KubernetesClusterNodePool(this, "workload-pool", {
      name: "workload",
      kubernetesClusterId: this.cluster.id,
      mode: "User",
      vmSize: MACHINE_TYPES.azure[workload.pool.size],
      vnetSubnetId: subnetId,
      zones,
      autoScalingEnabled: true,
      minCount: workload.pool.minNodes,
      maxCount: workload.pool.maxNodes,
      osSku: "AzureLinux",
      nodePublicIpEnabled: false,
      // AKS adds the spot label itself (kubernetes.azure.com/ labels are reserved); the taint must be declared.
      nodeLabels: { [POOL_LABEL]: "workload" },
      ...(workload.spot
        ? { priority: "Spot", evictionPolicy: "Delete", spotMaxPrice: -1, nodeTaints: [AZURE_SPOT_TAINT] }
        : { priority: "Regular", upgradeSettings: { maxSurge: "33%" } }),
      tags,
      lifecycle: { ignoreChanges: ["node_count"] },
    });

    if (props.deletionProtection) {
      new ManagementLock(this, "delete-lock", {
        name: `${name}-no-delete`,
        scope: this.cluster.id,
        lockLevel: "CanNotDelete",
        notes: "Deletion protection: remove this lock deliberately before deleting the cluster",
      });
    }

    this.outputs = {
      clusterName: this.cluster.name,
      clusterId: this.cluster.id,
      endpoint: this.cluster.privateFqdn,
      oidcIssuer: this.cluster.oidcIssuerUrl,
      // Azure has no node security group to admit: NSGs and firewalls admit the node subnet.
      nodeAccess: { securityGroupIds: [], subnetCidrs: [props.privateSubnetCidrs[0]], networkTags: [] },
      ingress: { nodePort: INGRESS_NODE_PORT, nodeGroupIds: [workloadPool.id] },
      metricScopes: [{ resourceId: workloadPool.id }],
    };
  }

  /** A user-assigned identity with a federated credential trusting exactly this service account. */
  workloadIdentity(namespace: string, serviceAccount: string): WorkloadIdentity {
    checkWorkloadName("azure", namespace, serviceAccount);
    const key = `${namespace}/${serviceAccount}`;
    const existing = this.identities.get(key);
    if (existing) return existing;
    const id = `workload-${namespace}-${serviceAccount}`;
    const identity = new UserAssignedIdentity(this, id, {
      name: `${this.name}-${namespace}-${serviceAccount}`,
      location: this.resourceGroup.location,
      resourceGroupName: this.resourceGroup.name,
      tags: this.tags,
    });
    new FederatedIdentityCredential(this, `${id}-federation`, {
      name: `${namespace}-${serviceAccount}`,
      resourceGroupName: this.resourceGroup.name,
      parentId: identity.id,
      audience: ["api://AzureADTokenExchange"],
      issuer: this.cluster.oidcIssuerUrl,
      subject: `system:serviceaccount:${namespace}:${serviceAccount}`,
    });
    const result = { principal: identity.principalId, annotation: identity.clientId, policyCondition: "" };
    this.identities.set(key, result);
    return result;
  }
}
