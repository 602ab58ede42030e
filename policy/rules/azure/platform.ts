import type { Rule } from "../../rule";
import { docs, first, isFalse, isSet, isTrue, nested, rule } from "../helpers";

/** Predefined Application Gateway SSL policies whose minimum protocol is TLS 1.2. */
const TLS12_PREDEFINED = ["AppGwSslPolicy20170401S", "AppGwSslPolicy20220101", "AppGwSslPolicy20220101S"];
const TLS12_MINIMUM = ["TLSv1_2", "TLSv1_3"];

/** Rules for the Kubernetes (AKS), PostgreSQL (flexible server) and edge (Application Gateway) modules. */
export const PLATFORM_RULES: readonly Rule[] = [
  rule({
    id: "SIROS-AZURE-AKS-1",
    checkov: "CKV_AZURE_115",
    level: "error",
    pack: "baseline",
    cloud: "azure",
    resourceTypes: ["azurerm_kubernetes_cluster"],
    title: "AKS clusters are private",
    rationale: "A private cluster's API server has only a private address in the virtual network, so the Kubernetes API is not reachable from the internet.",
    docs: docs.azurerm("kubernetes_cluster"),
    fix: "Set private_cluster_enabled = true.",
    check: (cluster) => (isTrue(cluster.values.private_cluster_enabled) ? undefined : "private_cluster_enabled is not true"),
  }),
  rule({
    id: "SIROS-AZURE-AKS-2",
    checkov: "CKV_AZURE_141",
    level: "error",
    pack: "baseline",
    cloud: "azure",
    resourceTypes: ["azurerm_kubernetes_cluster"],
    title: "AKS clusters have local accounts disabled",
    rationale: "The local clusterAdmin credential bypasses Entra ID and Azure RBAC, is not audited per person and cannot be revoked short of rotating the cluster certificates.",
    docs: docs.azurerm("kubernetes_cluster"),
    fix: "Set local_account_disabled = true (it requires Entra ID integration).",
    check: (cluster) => (isTrue(cluster.values.local_account_disabled) ? undefined : "local_account_disabled is not true"),
  }),
  rule({
    id: "SIROS-AZURE-AKS-3",
    level: "error",
    pack: "baseline",
    cloud: "azure",
    resourceTypes: ["azurerm_kubernetes_cluster"],
    title: "AKS clusters authorize Kubernetes API calls with Azure RBAC",
    rationale: "Azure RBAC grants cluster access through Entra ID role assignments that are reviewed, logged and removed with the rest of the subscription's access.",
    docs: docs.azurerm("kubernetes_cluster"),
    fix: "Set azure_active_directory_role_based_access_control { azure_rbac_enabled = true, tenant_id = ... }.",
    check: (cluster) =>
      isTrue(first(cluster.values, "azure_active_directory_role_based_access_control")?.azure_rbac_enabled) ? undefined : "azure_active_directory_role_based_access_control.azure_rbac_enabled is not true",
  }),
  rule({
    id: "SIROS-AZURE-PG-1",
    level: "error",
    pack: "baseline",
    cloud: "azure",
    resourceTypes: ["azurerm_postgresql_flexible_server"],
    title: "PostgreSQL flexible servers disable public network access",
    rationale: "With public access on, the server has a public endpoint guarded only by firewall rules; VNet integration keeps it on a delegated private subnet.",
    docs: docs.azurerm("postgresql_flexible_server"),
    fix: "Set public_network_access_enabled = false and delegated_subnet_id with private_dns_zone_id.",
    check: (server) => (isFalse(server.values.public_network_access_enabled) ? undefined : "public_network_access_enabled is not false"),
  }),
  rule({
    id: "SIROS-AZURE-PG-2",
    level: "error",
    pack: "production",
    cloud: "azure",
    resourceTypes: ["azurerm_postgresql_flexible_server"],
    title: "Production PostgreSQL flexible servers encrypt data with a customer-managed key",
    rationale: "A customer-managed key puts the data and backups under a Key Vault key whose use is logged and whose revocation makes the data unreadable.",
    docs: docs.azurerm("postgresql_flexible_server"),
    fix: "Add customer_managed_key { key_vault_key_id, primary_user_assigned_identity_id } with the environment's key.",
    check: (server) => (isSet(first(server.values, "customer_managed_key")?.key_vault_key_id) ? undefined : "customer_managed_key.key_vault_key_id is not set"),
  }),
  rule({
    id: "SIROS-AZURE-AGW-1",
    checkov: "CKV_AZURE_120",
    level: "error",
    pack: "baseline",
    cloud: "azure",
    resourceTypes: ["azurerm_application_gateway"],
    title: "Application Gateways run a web application firewall",
    rationale: "The edge is the one place the internet reaches; the WAF filters the OWASP core rule set's attacks before requests reach the cluster.",
    docs: docs.azurerm("application_gateway"),
    fix: "Use the WAF_v2 SKU with firewall_policy_id set to an azurerm_web_application_firewall_policy.",
    check: (gateway) => (isSet(gateway.values.firewall_policy_id) || isTrue(first(gateway.values, "waf_configuration")?.enabled) ? undefined : "neither firewall_policy_id nor an enabled waf_configuration is set"),
  }),
  rule({
    id: "SIROS-AZURE-AGW-2",
    level: "error",
    pack: "production",
    cloud: "azure",
    resourceTypes: ["azurerm_web_application_firewall_policy"],
    title: "Production WAF policies are enabled in Prevention mode",
    rationale: "Detection mode only logs matches; in production the WAF must block them.",
    docs: docs.azurerm("web_application_firewall_policy"),
    fix: "Set policy_settings { enabled = true, mode = \"Prevention\" }.",
    check: (policy) => {
      const settings = first(policy.values, "policy_settings");
      if (isFalse(settings?.enabled)) return "policy_settings.enabled is false";
      return settings?.mode === "Prevention" ? undefined : `policy_settings.mode is ${JSON.stringify(settings?.mode ?? "Detection")}`;
    },
  }),
  rule({
    id: "SIROS-AZURE-AGW-3",
    level: "error",
    pack: "baseline",
    cloud: "azure",
    resourceTypes: ["azurerm_application_gateway"],
    title: "Application Gateways refuse TLS below 1.2",
    rationale: "Without an ssl_policy the gateway's default predefined policy depends on the API version and may accept TLS 1.0 and 1.1.",
    docs: "https://learn.microsoft.com/en-us/azure/application-gateway/application-gateway-ssl-policy-overview",
    fix: "Set ssl_policy { policy_type = \"Predefined\", policy_name = \"AppGwSslPolicy20220101S\" }.",
    check: (gateway) => {
      const policy = nested(gateway.values, "ssl_policy")[0];
      if (!policy) return "ssl_policy is not set";
      if (policy.policy_type === "Predefined") return TLS12_PREDEFINED.includes(String(policy.policy_name)) ? undefined : `ssl_policy.policy_name ${String(policy.policy_name)} accepts TLS below 1.2`;
      return TLS12_MINIMUM.includes(String(policy.min_protocol_version)) ? undefined : `ssl_policy.min_protocol_version is ${JSON.stringify(policy.min_protocol_version)}`;
    },
  }),
  rule({
    id: "SIROS-AZURE-AGW-4",
    level: "error",
    pack: "baseline",
    cloud: "azure",
    resourceTypes: ["azurerm_role_assignment"],
    title: "An Application Gateway's identity reads only its certificate's secret, not a whole key vault",
    rationale: "The environment's vault also holds the database's credentials; a gateway identity with a vault-wide secrets role could read them.",
    docs: "https://learn.microsoft.com/en-us/azure/key-vault/general/rbac-guide",
    fix: "Scope the Key Vault Secrets User assignment to <vault id>/secrets/<certificate name>.",
    check: (assignment, stack) => {
      const identity = typeof assignment.values.principal_id === "string" ? stack.resolve(assignment.values.principal_id) : undefined;
      if (identity?.type !== "azurerm_user_assigned_identity" || stack.referencing(identity, "azurerm_application_gateway", "identity").length === 0) return undefined;
      if (!/^Key Vault /.test(String(assignment.values.role_definition_name ?? ""))) return undefined;
      // The secret's name may be an expression (`${element(split("/", var.x), 4)}`), itself holding slashes.
      return /\/secrets\/(\$\{[^}]*\}|[^/]+)$/.test(String(assignment.values.scope ?? "")) ? undefined : `scope ${String(assignment.values.scope)} is not one secret`;
    },
  }),
];
