import { AzurermProvider } from "@cdktf/provider-azurerm/lib/provider";
import { NetworkWatcherFlowLog } from "@cdktf/provider-azurerm/lib/network-watcher-flow-log";
import { VirtualNetwork } from "@cdktf/provider-azurerm/lib/virtual-network";
import { byName, countOf, environments, referenceTo, resources, synthStack as synthWholeStack, withoutModule } from "./support/synth";

/** The network as composed, without the edge (which adds security groups, log groups and public IPs of its own). */
const synthStack = (...args: Parameters<typeof synthWholeStack>) => withoutModule(synthWholeStack(...args), "edge");

describe("Azure network", () => {
  const prod = synthStack("azure", "prod");
  const dev = synthStack("azure", "dev");

  test("is a virtual network on the environment's range in its own resource group", () => {
    expect(prod.json).toHaveResourceWithProperties(VirtualNetwork, {
      address_space: ["10.18.0.0/16"],
      location: "westeurope",
      resource_group_name: referenceTo(prod.tf, "azurerm_resource_group", (g) => g.name === "siros-prod-network", "name"),
    });
  });

  test("has a public and a private subnet per zone, none with implicit outbound access", () => {
    // The database's delegated subnet is tested in database-azure.test.ts.
    const subnets = resources(prod.tf, "azurerm_subnet").filter((s) => !String(s.name).endsWith("-pg-delegated"));
    expect(subnets.map((s) => [s.name, s.address_prefixes[0]]).sort()).toEqual([
      ["private-1", "10.18.0.0/19"],
      ["private-2", "10.18.32.0/19"],
      ["private-3", "10.18.64.0/19"],
      ["public-1", "10.18.128.0/22"],
      ["public-2", "10.18.132.0/22"],
      ["public-3", "10.18.136.0/22"],
    ]);
    for (const subnet of subnets) expect(subnet.default_outbound_access_enabled).toBe(false);
  });

  test("every subnet has an NSG that denies the internet except the declared ingress", () => {
    // Six network subnets, and the database's delegated subnet (database-azure.test.ts).
    expect(countOf(prod.tf, "azurerm_subnet_network_security_group_association")).toBe(7);
    const nsgs = byName(prod.tf, "azurerm_network_security_group");
    // security_rule is an attribute list: Terraform needs every field, so the unused ones are written as null.
    const unusedFields = {
      source_port_ranges: null,
      destination_port_ranges: null,
      source_address_prefixes: null,
      destination_address_prefixes: null,
      source_application_security_group_ids: null,
      destination_application_security_group_ids: null,
    };
    const denyInternet = {
      ...unusedFields,
      name: "deny-internet-inbound",
      description: "Nothing from the internet but the rules above",
      priority: 4000,
      direction: "Inbound",
      access: "Deny",
      protocol: "*",
      source_port_range: "*",
      destination_port_range: "*",
      source_address_prefix: "Internet",
      destination_address_prefix: "*",
    };
    expect(nsgs["siros-prod-private"].security_rule).toEqual([denyInternet]);
    expect(nsgs["siros-prod-public"].security_rule).toEqual([
      {
        ...unusedFields,
        name: "allow-tcp-443-0",
        description: "HTTPS to public load balancers",
        priority: 100,
        direction: "Inbound",
        access: "Allow",
        protocol: "Tcp",
        source_port_range: "*",
        destination_port_range: "443",
        source_address_prefix: "0.0.0.0/0",
        destination_address_prefix: "VirtualNetwork",
      },
      {
        ...unusedFields,
        name: "allow-tcp-80-1",
        description: "HTTP to public load balancers, which only redirect it to HTTPS",
        priority: 110,
        direction: "Inbound",
        access: "Allow",
        protocol: "Tcp",
        source_port_range: "*",
        destination_port_range: "80",
        source_address_prefix: "0.0.0.0/0",
        destination_address_prefix: "VirtualNetwork",
      },
      {
        ...unusedFields,
        name: "allow-gateway-manager",
        description: "Azure's infrastructure ports of an Application Gateway v2 (the edge), which Azure requires open",
        priority: 3900,
        direction: "Inbound",
        access: "Allow",
        protocol: "Tcp",
        source_port_range: "*",
        destination_port_range: "65200-65535",
        source_address_prefix: "GatewayManager",
        destination_address_prefix: "*",
      },
      denyInternet,
    ]);
  });

  test("prod has a zonal NAT gateway with its own public IP per zone, one per private subnet", () => {
    const gateways = resources(prod.tf, "azurerm_nat_gateway");
    expect(gateways.map((g) => g.zones)).toEqual([["1"], ["2"], ["3"]]);
    expect(resources(prod.tf, "azurerm_public_ip").map((ip) => [ip.sku, ip.allocation_method, ip.zones])).toEqual([
      ["Standard", "Static", ["1"]],
      ["Standard", "Static", ["2"]],
      ["Standard", "Static", ["3"]],
    ]);
    expect(countOf(prod.tf, "azurerm_nat_gateway_public_ip_association")).toBe(3);
    const used = resources(prod.tf, "azurerm_subnet_nat_gateway_association").map((a) => a.nat_gateway_id);
    expect(new Set(used).size).toBe(3);
  });

  test("dev shares one NAT gateway between its private subnets", () => {
    expect(countOf(dev.tf, "azurerm_nat_gateway")).toBe(1);
    const nat = referenceTo(dev.tf, "azurerm_nat_gateway", () => true);
    expect(resources(dev.tf, "azurerm_subnet_nat_gateway_association").map((a) => a.nat_gateway_id)).toEqual([nat, nat]);
  });

  test("keeps VNet flow logs for the environment's retention, through the region's Network Watcher read at plan time", () => {
    const watcher = (attribute: string) => `\${data.azurerm_network_watcher.${Object.keys(prod.tf.data!.azurerm_network_watcher)[0]}.${attribute}}`;
    expect(Object.values(prod.tf.data!.azurerm_network_watcher)).toEqual([
      {
        name: "NetworkWatcher_westeurope",
        resource_group_name: "NetworkWatcherRG",
        lifecycle: {
          postcondition: [
            {
              condition: '${self.location == "westeurope"}',
              error_message: "The Network Watcher must be in westeurope, the network's region: flow logs belong to the watcher of their target's region.",
            },
          ],
        },
      },
    ]);
    expect(prod.json).toHaveResourceWithProperties(NetworkWatcherFlowLog, {
      network_watcher_name: watcher("name"),
      resource_group_name: watcher("resource_group_name"),
      location: watcher("location"),
      target_resource_id: referenceTo(prod.tf, "azurerm_virtual_network", () => true),
      storage_account_id: referenceTo(prod.tf, "azurerm_storage_account", () => true),
      enabled: true,
      version: 2,
      retention_policy: { enabled: true, days: 180 },
    });
  });

  test("reads the Network Watcher the environment names", () => {
    const custom = synthStack("azure", {
      ...environments.dr,
      azure: { ...environments.dr.azure, networkWatcherName: "nw-northeurope", networkWatcherResourceGroupName: "rg-network-watchers" },
    });
    const [watcher] = Object.values(custom.tf.data!.azurerm_network_watcher);
    expect(watcher).toMatchObject({ name: "nw-northeurope", resource_group_name: "rg-network-watchers" });
    expect(watcher.lifecycle.postcondition[0].condition).toBe('${self.location == "northeurope"}');
  });

  test("the flow-log storage account denies every network but trusted Azure services, keeps deleted blobs and containers, and has a global name", () => {
    const [account] = resources(prod.tf, "azurerm_storage_account");
    const suffix = Object.keys(prod.tf.resource.random_id).find((id) => id.startsWith("network_"))!;
    expect(account).toEqual({
      name: `sirosprodflowlogs\${random_id.${suffix}.hex}`,
      location: "westeurope",
      resource_group_name: referenceTo(prod.tf, "azurerm_resource_group", (g) => g.name === "siros-prod-network", "name"),
      account_tier: "Standard",
      account_replication_type: "ZRS",
      account_kind: "StorageV2",
      https_traffic_only_enabled: true,
      min_tls_version: "TLS1_2",
      allow_nested_items_to_be_public: false,
      infrastructure_encryption_enabled: true,
      cross_tenant_replication_enabled: false,
      local_user_enabled: false,
      sas_policy: { expiration_period: "01.00:00:00", expiration_action: "Log" },
      network_rules: { default_action: "Deny", bypass: ["AzureServices"] },
      blob_properties: { delete_retention_policy: { days: 7 }, container_delete_retention_policy: { days: 7 } },
      identity: { type: "SystemAssigned" },
      tags: expect.objectContaining({ environment: "prod" }),
    });
    expect(prod.tf.resource.random_id[suffix]).toEqual({ byte_length: 3, keepers: { base: "sirosprodflowlogs" } });
  });

  test("the provider manages storage accounts through Resource Manager only, so the firewalled flow-log account can be applied", () => {
    // With the data plane on, azurerm polls the account's blob and queue endpoints after create
    // and on every refresh; the account's firewall answers 403 to the machine running Terraform.
    for (const stack of [prod, dev]) {
      expect(stack.tf.provider.azurerm).toEqual([{ features: [{ storage: [{ data_plane_available: false }] }] }]);
    }
    expect(prod.json).toHaveProviderWithProperties(AzurermProvider, { features: [{ storage: [{ data_plane_available: false }] }] });
  });

  test("every resource that takes tags carries the environment's tags", () => {
    const tagged = Object.entries(prod.tf.resource).flatMap(([type, blocks]) =>
      Object.values(blocks).filter((b) => "tags" in b).map((b) => [type, b.tags] as const),
    );
    const types = new Set(tagged.map(([type]) => type));
    for (const type of ["azurerm_resource_group", "azurerm_virtual_network", "azurerm_network_security_group", "azurerm_nat_gateway", "azurerm_public_ip", "azurerm_storage_account", "azurerm_network_watcher_flow_log"]) {
      expect(types).toContain(type);
    }
    for (const [, tags] of tagged) expect(tags).toEqual(expect.objectContaining({ environment: "prod", project: "siros", owner: "platform-team", "cost-center": "cc-platform", "managed-by": "cdktf" }));
  });
});
