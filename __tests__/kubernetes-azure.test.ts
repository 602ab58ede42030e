import { synthStack } from "./support/synth";
import { byConstruct, only, synthWithIdentity } from "./support/kubernetes";

const ref = (type: string, name: string, attr = "id") => expect.stringMatching(new RegExp(`^\\$\\{${type}\\.kubernetes_${name}_[0-9A-F]+\\.${attr.replace(/[[\]]/g, "\\$&")}\\}$`));

describe("Azure Kubernetes (AKS)", () => {
  const prod = synthStack("azure", "prod");
  const dev = synthStack("azure", "dev");
  const cluster = only(prod.tf, "azurerm_kubernetes_cluster");

  test("the cluster is private, Entra ID with Azure RBAC only, OIDC and workload identity on, local accounts off", () => {
    expect(cluster).toMatchObject({
      name: "siros-prod-k8s",
      location: "westeurope",
      kubernetes_version: "1.33",
      dns_prefix: "siros-prod-k8s",
      private_cluster_enabled: true,
      private_cluster_public_fqdn_enabled: false,
      private_dns_zone_id: "System",
      local_account_disabled: true,
      role_based_access_control_enabled: true,
      azure_active_directory_role_based_access_control: { azure_rbac_enabled: true, tenant_id: expect.stringMatching(/azurerm_client_config/) },
      oidc_issuer_enabled: true,
      workload_identity_enabled: true,
      azure_policy_enabled: true,
      run_command_enabled: false,
      automatic_upgrade_channel: "patch",
      node_os_upgrade_channel: "NodeImage",
      sku_tier: "Standard",
      identity: { type: "UserAssigned", identity_ids: [ref("azurerm_user_assigned_identity", "cluster-identity")] },
    });
    expect(cluster).not.toHaveProperty("api_server_access_profile");
    // The provider refuses dns_prefix_private_cluster unless the private DNS zone is a custom one.
    expect(cluster).not.toHaveProperty("dns_prefix_private_cluster");
  });

  test("etcd is encrypted with the cluster's own key in the environment's vault (KMS, private access); disks through a disk encryption set on the environment's key", () => {
    expect(cluster.key_management_service).toEqual({ key_vault_key_id: ref("azurerm_key_vault_key", "etcd-key"), key_vault_network_access: "Private" });
    const etcdKey = byConstruct(prod.tf, "azurerm_key_vault_key")["etcd-key"];
    expect(etcdKey).toMatchObject({ name: "siros-prod-k8s-etcd", key_type: "RSA-HSM", key_size: 2048, key_opts: ["encrypt", "decrypt"], rotation_policy: { automatic: { time_after_creation: "P90D" }, expire_after: "P180D", notify_before_expiry: "P30D" } });
    expect(cluster.disk_encryption_set_id).toEqual(ref("azurerm_disk_encryption_set", "disk-encryption"));
    expect(only(prod.tf, "azurerm_disk_encryption_set")).toMatchObject({
      key_vault_key_id: expect.stringMatching(/^\$\{azurerm_key_vault_key\.keys_key_[0-9A-F]+\.versionless_id\}$/),
      auto_key_rotation_enabled: true,
      encryption_type: "EncryptionAtRestWithCustomerKey",
      identity: { type: "SystemAssigned" },
    });
  });

  test("the cluster waits for exactly the roles it needs: crypto user on its key, network contributor on its subnet, reader on the disk set, the disk set's key access", () => {
    const roles = byConstruct(prod.tf, "azurerm_role_assignment");
    expect(roles["etcd-key-user"]).toMatchObject({ role_definition_name: "Key Vault Crypto User", scope: ref("azurerm_key_vault_key", "etcd-key", "resource_versionless_id"), principal_id: ref("azurerm_user_assigned_identity", "cluster-identity", "principal_id") });
    expect(roles["subnet-network"]).toMatchObject({ role_definition_name: "Network Contributor", scope: expect.stringMatching(/private-subnet-0/) });
    expect(roles["disk-encryption-reader"]).toMatchObject({ role_definition_name: "Reader", scope: ref("azurerm_disk_encryption_set", "disk-encryption"), principal_id: ref("azurerm_user_assigned_identity", "cluster-identity", "principal_id") });
    const diskGrant = Object.entries(prod.tf.resource.azurerm_role_assignment).find(([, r]) => String(r.principal_id).includes("azurerm_disk_encryption_set"))!;
    expect(diskGrant[1]).toMatchObject({ role_definition_name: "Key Vault Crypto Service Encryption User" });
    expect(cluster.depends_on.sort()).toEqual(
      [`azurerm_role_assignment.${diskGrant[0]}`, ...Object.keys(prod.tf.resource.azurerm_role_assignment).filter((k) => k.startsWith("kubernetes_")).map((k) => `azurerm_role_assignment.${k}`)].sort(),
    );
  });

  test("Azure CNI overlay with Calico network policy; egress through the network's NAT gateways", () => {
    expect(cluster.network_profile).toEqual({ network_plugin: "azure", network_plugin_mode: "overlay", network_policy: "calico", load_balancer_sku: "standard", outbound_type: "userAssignedNATGateway" });
  });

  test("prod: a system pool for critical add-ons across three zones and an on-demand user pool, both autoscaling", () => {
    expect(cluster.default_node_pool).toMatchObject({
      name: "system",
      vm_size: "Standard_D4s_v5",
      zones: ["1", "2", "3"],
      auto_scaling_enabled: true,
      min_count: 3,
      max_count: 6,
      only_critical_addons_enabled: true,
      os_sku: "AzureLinux",
      node_public_ip_enabled: false,
      vnet_subnet_id: expect.stringMatching(/private-subnet-0/),
    });
    expect(only(prod.tf, "azurerm_kubernetes_cluster_node_pool")).toMatchObject({
      name: "workload",
      mode: "User",
      vm_size: "Standard_D8s_v5",
      zones: ["1", "2", "3"],
      min_count: 3,
      max_count: 30,
      priority: "Regular",
      node_labels: { "siros.io/pool": "workload" },
    });
    expect(only(prod.tf, "azurerm_kubernetes_cluster_node_pool")).not.toHaveProperty("node_taints");
  });

  test("dev: a spot user pool with the taint Azure requires, two zones, the free tier, no lock", () => {
    const pool = only(dev.tf, "azurerm_kubernetes_cluster_node_pool");
    expect(pool).toMatchObject({ priority: "Spot", eviction_policy: "Delete", spot_max_price: -1, node_taints: ["kubernetes.azure.com/scalesetpriority=spot:NoSchedule"], zones: ["1", "2"], min_count: 1, max_count: 3 });
    expect(pool).not.toHaveProperty("upgrade_settings");
    expect(only(dev.tf, "azurerm_kubernetes_cluster").sku_tier).toBe("Free");
    expect(dev.tf.resource.azurerm_management_lock).toBeUndefined();
  });

  test("prod and dr: a CanNotDelete lock and prevent_destroy on the cluster", () => {
    expect(only(prod.tf, "azurerm_management_lock")).toMatchObject({ lock_level: "CanNotDelete", scope: ref("azurerm_kubernetes_cluster", "cluster") });
    expect(cluster.lifecycle).toEqual({ ignore_changes: ["default_node_pool[0].node_count"], prevent_destroy: true });
    expect(only(synthStack("azure", "dr").tf, "azurerm_management_lock").lock_level).toBe("CanNotDelete");
  });

  test("workload identity: a user-assigned identity federated with exactly one service account", () => {
    const { tf, identity } = synthWithIdentity("azure", "prod", "backup", "writer");
    expect(identity).toEqual({
      principal: ref("azurerm_user_assigned_identity", "workload-backup-writer", "principal_id"),
      annotation: ref("azurerm_user_assigned_identity", "workload-backup-writer", "client_id"),
      policyCondition: "",
    });
    expect(only(tf, "azurerm_federated_identity_credential")).toMatchObject({
      audience: ["api://AzureADTokenExchange"],
      issuer: ref("azurerm_kubernetes_cluster", "cluster", "oidc_issuer_url"),
      subject: "system:serviceaccount:backup:writer",
      parent_id: ref("azurerm_user_assigned_identity", "workload-backup-writer"),
    });
  });

  test("fails if a workload identity names a service account Kubernetes would refuse", () => {
    expect(() => synthWithIdentity("azure", "dev", "backup", "-writer")).toThrow(
      'kubernetes (azure): workloadIdentity serviceAccount "-writer" is not a Kubernetes name; use 1 to 63 lowercase letters, digits or hyphens, starting and ending with a letter or digit',
    );
  });

  test("exports the node subnet (Azure has no node security group) and the private FQDN", () => {
    expect(prod.tf.output).toMatchObject({
      kubernetes_endpoint: { value: ref("azurerm_kubernetes_cluster", "cluster", "private_fqdn") },
      kubernetes_oidc_issuer: { value: ref("azurerm_kubernetes_cluster", "cluster", "oidc_issuer_url") },
      kubernetes_node_security_group_ids: { value: [] },
      kubernetes_node_subnet_cidrs: { value: ["10.18.0.0/19"] },
    });
  });
});
