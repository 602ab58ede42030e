import { NetworkWatcherFlowLog } from "@cdktf/provider-azurerm/lib/network-watcher-flow-log";
import { StorageAccount } from "@cdktf/provider-azurerm/lib/storage-account";
import { VirtualNetwork } from "@cdktf/provider-azurerm/lib/virtual-network";
import { byName, countOf, referenceTo, resources, synthStack } from "./support/synth";

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
    const subnets = resources(prod.tf, "azurerm_subnet");
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
    expect(countOf(prod.tf, "azurerm_subnet_network_security_group_association")).toBe(6);
    const nsgs = byName(prod.tf, "azurerm_network_security_group");
    const denyInternet = expect.objectContaining({ direction: "Inbound", access: "Deny", source_address_prefix: "Internet", priority: 4000 });
    expect(nsgs["siros-prod-private"].security_rule).toEqual([denyInternet]);
    expect(nsgs["siros-prod-public"].security_rule).toEqual([
      expect.objectContaining({ access: "Allow", protocol: "Tcp", destination_port_range: "443", source_address_prefix: "0.0.0.0/0", priority: 100 }),
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

  test("keeps VNet flow logs for the environment's retention in a locked-down storage account", () => {
    expect(prod.json).toHaveResourceWithProperties(NetworkWatcherFlowLog, {
      target_resource_id: referenceTo(prod.tf, "azurerm_virtual_network", () => true),
      enabled: true,
      version: 2,
      retention_policy: { enabled: true, days: 180 },
      network_watcher_name: "NetworkWatcher_westeurope",
    });
    expect(prod.json).toHaveResourceWithProperties(StorageAccount, {
      https_traffic_only_enabled: true,
      min_tls_version: "TLS1_2",
      allow_nested_items_to_be_public: false,
      infrastructure_encryption_enabled: true,
    });
    expect(resources(prod.tf, "azurerm_storage_account")[0].name).toMatch(/^[a-z0-9]{3,24}$/);
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
