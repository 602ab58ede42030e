import { AZURE_SERVER_PARAMETERS } from "../modules/database/azure";
import { referenceTo, resources, synthStack } from "./support/synth";

const body = (block: Record<string, any>) => Object.fromEntries(Object.entries(block).filter(([k]) => k !== "depends_on" && k !== "lifecycle"));
const tags = { project: "siros", owner: "platform-team", "cost-center": "cc-platform", "managed-by": "cdktf", environment: "prod" };

describe("Azure database", () => {
  const prod = synthStack("azure", "prod");
  const dev = synthStack("azure", "dev");
  const dr = synthStack("azure", "dr");
  const server = (tf: typeof prod.tf) => resources(tf, "azurerm_postgresql_flexible_server")[0];

  test("prod: Flexible Server 16 in a delegated subnet, private only, zone-redundant, the environment's key, the password write-only", () => {
    const identity = referenceTo(prod.tf, "azurerm_user_assigned_identity", (b) => b.name === "siros-prod-pg-identity");
    const password = server(prod.tf).administrator_password_wo;
    expect(password).toBe("${ephemeral.random_password.siros_prod_pg_admin_password.result}");
    expect(body(server(prod.tf))).toEqual({
      name: expect.stringMatching(/^siros-prod-pg-\$\{random_id\.database_server-name_[A-F0-9]+\.hex\}$/),
      location: "westeurope",
      resource_group_name: referenceTo(prod.tf, "azurerm_resource_group", (b) => b.name === "siros-prod-database", "name"),
      version: "16",
      sku_name: "GP_Standard_D4ds_v5",
      storage_mb: 262144,
      auto_grow_enabled: true,
      backup_retention_days: 35,
      geo_redundant_backup_enabled: false,
      public_network_access_enabled: false,
      delegated_subnet_id: referenceTo(prod.tf, "azurerm_subnet", (b) => b.name === "siros-prod-pg-delegated"),
      private_dns_zone_id: referenceTo(prod.tf, "azurerm_private_dns_zone", () => true),
      zone: "1",
      high_availability: { mode: "ZoneRedundant", standby_availability_zone: "2" },
      identity: { type: "UserAssigned", identity_ids: [identity] },
      customer_managed_key: { key_vault_key_id: referenceTo(prod.tf, "azurerm_key_vault_key", () => true, "versionless_id"), primary_user_assigned_identity_id: identity },
      maintenance_window: { day_of_week: 0, start_hour: 3, start_minute: 0 },
      create_mode: "Default",
      administrator_login: "siros_admin",
      administrator_password_wo: password,
      administrator_password_wo_version: 1,
      authentication: { active_directory_auth_enabled: true, password_auth_enabled: true, tenant_id: expect.stringMatching(/^\$\{data\.azurerm_client_config\.database_client_[A-F0-9]+\.tenant_id\}$/) },
      tags,
    });
    expect(server(prod.tf).lifecycle).toEqual({ prevent_destroy: true });
  });

  test("the same generated password goes write-only into Key Vault", () => {
    const secret = resources(prod.tf, "azurerm_key_vault_secret").find((s) => s.name === "database-admin")!;
    expect(secret.value_wo).toBe(server(prod.tf).administrator_password_wo);
    expect(secret).not.toHaveProperty("value");
  });

  test("pgvector is allowlisted, TLS required, connections and checkpoints logged", () => {
    const parameters = resources(prod.tf, "azurerm_postgresql_flexible_server_configuration").map((p) => [p.name, p.value]);
    expect(Object.fromEntries(parameters)).toEqual(AZURE_SERVER_PARAMETERS);
    expect(AZURE_SERVER_PARAMETERS["azure.extensions"]).toBe("VECTOR");
    expect(AZURE_SERVER_PARAMETERS.require_secure_transport).toBe("on");
  });

  test("the delegated subnet admits PostgreSQL only from the cluster's node subnets", () => {
    const subnet = resources(prod.tf, "azurerm_subnet").find((s) => s.name === "siros-prod-pg-delegated")!;
    expect(subnet.address_prefixes).toEqual(["10.18.200.0/24"]);
    expect(subnet.delegation).toEqual([{ name: "postgresql-flexible-server", service_delegation: { name: "Microsoft.DBforPostgreSQL/flexibleServers", actions: ["Microsoft.Network/virtualNetworks/subnets/join/action"] } }]);
    const nsg = resources(prod.tf, "azurerm_network_security_group").find((n) => n.name === "siros-prod-pg-nsg")!;
    const nodes = prod.tf.output.kubernetes_node_subnet_cidrs.value as string[];
    // Inline rules carry every optional attribute as null (attributes as blocks); compare what is set.
    const set = (rule: Record<string, unknown>) => Object.fromEntries(Object.entries(rule).filter(([, v]) => v !== null));
    expect((nsg.security_rule as Record<string, unknown>[]).map(set)).toEqual([
      ...nodes.map((cidr, i) => ({ name: `postgres-from-nodes-${i}`, description: "PostgreSQL from the cluster's node subnets", priority: 100 + i, direction: "Inbound", access: "Allow", protocol: "Tcp", source_port_range: "*", destination_port_range: "5432", source_address_prefix: cidr, destination_address_prefix: "*" })),
      { name: "postgres-within-subnet", description: "Replication between the server and its standby", priority: 200, direction: "Inbound", access: "Allow", protocol: "Tcp", source_port_range: "*", destination_port_range: "5432", source_address_prefix: "10.18.200.0/24", destination_address_prefix: "*" },
      // dr's replica, in dr's delegated subnet, replicates from this server.
      { name: "postgres-replication-0", description: "Replication to a read replica in another region", priority: 300, direction: "Inbound", access: "Allow", protocol: "Tcp", source_port_range: "*", destination_port_range: "5432", source_address_prefix: "10.19.200.0/24", destination_address_prefix: "*" },
      { name: "deny-other-inbound", description: "Nothing else in the network reaches the database", priority: 4000, direction: "Inbound", access: "Deny", protocol: "*", source_port_range: "*", destination_port_range: "*", source_address_prefix: "VirtualNetwork", destination_address_prefix: "*" },
    ]);
  });

  test("the server's identity may wrap and unwrap with the key", () => {
    const principal = referenceTo(prod.tf, "azurerm_user_assigned_identity", (b) => b.name === "siros-prod-pg-identity", "principal_id");
    expect(resources(prod.tf, "azurerm_role_assignment").filter((r) => r.principal_id === principal)).toHaveLength(1);
  });

  test("dev: burstable, no standby, a week of backups, deletable", () => {
    expect(server(dev.tf)).toMatchObject({ sku_name: "B_Standard_B2s", storage_mb: 32768, backup_retention_days: 7 });
    expect(server(dev.tf)).not.toHaveProperty("high_availability");
    expect(server(dev.tf)).not.toHaveProperty("lifecycle");
  });

  test("dr: a cross-region replica of prod's server, read through remote state, without its own administrator", () => {
    expect(server(dr.tf)).toMatchObject({ create_mode: "Replica", source_server_id: "${data.terraform_remote_state.primary.outputs.database_id}", location: "northeurope" });
    for (const inherited of ["administrator_login", "administrator_password_wo", "authentication", "high_availability"]) expect(server(dr.tf)).not.toHaveProperty(inherited);
    expect(resources(dr.tf, "azurerm_postgresql_flexible_server_database")).toEqual([]);
  });

  test("fails if dr's replica cannot reach prod's server privately: the VNets peered both ways, both NSGs admitting the other's delegated subnet, both zones linked to both VNets", () => {
    const prodNetwork = "${data.terraform_remote_state.primary.outputs.network_id}";
    const drNetwork = referenceTo(dr.tf, "azurerm_virtual_network", () => true);
    const idPart = (i: number) => `\${element(split("/", data.terraform_remote_state.primary.outputs.network_id), ${i})}`;
    expect(resources(dr.tf, "azurerm_virtual_network_peering")).toEqual([
      { name: "siros-dr-pg-from-replica", resource_group_name: idPart(4), virtual_network_name: idPart(8), remote_virtual_network_id: drNetwork, allow_virtual_network_access: true, allow_forwarded_traffic: false },
      {
        name: "siros-dr-pg-to-primary",
        resource_group_name: referenceTo(dr.tf, "azurerm_resource_group", (g) => g.name === "siros-dr-network", "name"),
        virtual_network_name: referenceTo(dr.tf, "azurerm_virtual_network", () => true, "name"),
        remote_virtual_network_id: prodNetwork,
        allow_virtual_network_access: true,
        allow_forwarded_traffic: false,
      },
    ]);
    // The database's own links (the storage and the edge link their private endpoints' zones too).
    const links = Object.entries(dr.tf.resource.azurerm_private_dns_zone_virtual_network_link)
      .filter(([address]) => address.startsWith("database_"))
      .map(([, l]) => [l.name, l.private_dns_zone_name, l.resource_group_name, l.virtual_network_id]);
    const zone = referenceTo(dr.tf, "azurerm_private_dns_zone", () => true, "name");
    expect(links).toHaveLength(3);
    expect(links).toEqual(expect.arrayContaining([
      ["siros-dr-pg-vnet", zone, referenceTo(dr.tf, "azurerm_resource_group", (g) => g.name === "siros-dr-database", "name"), drNetwork],
      ["siros-dr-pg-primary-vnet", zone, referenceTo(dr.tf, "azurerm_private_dns_zone", () => true, "resource_group_name"), prodNetwork],
      // prod's zone, named as prod's module names it, linked to dr's VNet.
      ["siros-dr-pg-vnet", "siros-prod.private.postgres.database.azure.com", "siros-prod-database", drNetwork],
    ]));
    expect(Object.entries(prod.tf.resource.azurerm_private_dns_zone).filter(([address]) => address.startsWith("database_")).map(([, z]) => z.name)).toEqual(["siros-prod.private.postgres.database.azure.com"]);
    expect(resources(prod.tf, "azurerm_resource_group").map((g) => g.name)).toContain("siros-prod-database");
    const nsg = resources(dr.tf, "azurerm_network_security_group").find((n) => n.name === "siros-dr-pg-nsg")!;
    expect((nsg.security_rule as Record<string, unknown>[]).find((r) => r.name === "postgres-replication-0")).toMatchObject({ source_address_prefix: "10.18.200.0/24", destination_port_range: "5432", access: "Allow", priority: 300 });
    // The replica is created only once the path exists.
    const dependsOn = server(dr.tf).depends_on as string[];
    expect(dependsOn.filter((d) => /peering|dns_zone_virtual_network_link/.test(d))).toHaveLength(5);
  });
});
