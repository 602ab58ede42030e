import type { Rule } from "../../rule";
import type { Block } from "../../terraform-json";
import { docs, first, isAnywhere, isFalse, isTrue, nested, numberOf, portStringCovers, rule, strings, type Values } from "../helpers";

const NSG_TYPES = ["azurerm_network_security_group", "azurerm_network_security_rule"];

/** An NSG's inbound Allow rules from the internet: inline `security_rule` blocks or a separate rule. */
function internetAllows(block: Block): { rule: Values; label: string }[] {
  const rules = block.type === "azurerm_network_security_group" ? nested(block.values, "security_rule") : [block.values];
  return rules
    .map((r, i) => ({ rule: r, label: block.type === "azurerm_network_security_group" ? `security_rule ${String(r.name ?? i)}` : `rule ${String(r.name ?? "")}` }))
    .filter(({ rule: r }) => r.access === "Allow" && r.direction === "Inbound" && [r.source_address_prefix, ...strings(r.source_address_prefixes)].some(isAnywhere));
}

function ports(r: Values): string[] {
  return [...strings(r.destination_port_range), ...strings(r.destination_port_ranges)];
}

function internetPortRule(id: string, checkov: string, port: number, service: string, level: "error" | "warning"): Rule {
  return rule({
    id,
    checkov,
    level,
    pack: "baseline",
    cloud: "azure",
    resourceTypes: NSG_TYPES,
    title: `Network security groups allow no ${service} (port ${port}) from the internet`,
    rationale: `${service} open to the internet is found and attacked within minutes; reach workloads through Bastion, a VPN or the edge.`,
    docs: "https://learn.microsoft.com/en-us/azure/virtual-network/network-security-groups-overview",
    fix: `Remove the inbound Allow for port ${port} from Internet/*, or narrow its source to known ranges.`,
    check: (block) =>
      internetAllows(block)
        .filter(({ rule: r }) => ["Tcp", "*"].includes(String(r.protocol)) && ports(r).some((p) => portStringCovers(p, port)))
        .map(({ label }) => `${label} allows port ${port} from the internet`),
  });
}

export const NETWORK_RULES: readonly Rule[] = [
  internetPortRule("SIROS-AZURE-NET-1", "CKV_AZURE_10", 22, "SSH", "error"),
  internetPortRule("SIROS-AZURE-NET-2", "CKV_AZURE_9", 3389, "RDP", "error"),
  internetPortRule("SIROS-AZURE-NET-3", "CKV_AZURE_160", 80, "HTTP", "warning"),
  rule({
    id: "SIROS-AZURE-NET-4",
    checkov: "CKV_AZURE_77",
    level: "error",
    pack: "baseline",
    cloud: "azure",
    resourceTypes: NSG_TYPES,
    title: "Network security groups allow no UDP from the internet",
    rationale: "Open UDP services are used for amplification attacks and are rarely meant to face the internet.",
    docs: "https://learn.microsoft.com/en-us/azure/virtual-network/network-security-groups-overview",
    fix: "Remove inbound Allow rules with protocol Udp or * from Internet/*.",
    check: (block) => internetAllows(block).filter(({ rule: r }) => ["Udp", "*"].includes(String(r.protocol))).map(({ label }) => `${label} allows UDP from the internet`),
  }),
  rule({
    id: "SIROS-AZURE-NET-5",
    level: "warning",
    pack: "baseline",
    cloud: "azure",
    resourceTypes: NSG_TYPES,
    title: "Internet ingress is declared for the edge only",
    rationale: "Any inbound Allow from the internet is an entry point; the project allows them only as the edge's declared public ingress, which this warning lists for review.",
    docs: "https://learn.microsoft.com/en-us/azure/virtual-network/network-security-groups-overview",
    fix: "Keep internet ingress to the edge's declared ports (environment publicIngress); suppress with the reason on the edge's NSG.",
    check: (block) => internetAllows(block).map(({ label, rule: r }) => `${label} allows ${String(r.protocol)} ${ports(r).join(",")} from the internet`),
  }),
  rule({
    id: "SIROS-AZURE-NET-6",
    checkov: "CKV2_AZURE_31",
    level: "error",
    pack: "baseline",
    cloud: "azure",
    resourceTypes: ["azurerm_subnet"],
    title: "Subnets have a network security group",
    rationale: "A subnet without an NSG has only Azure's defaults between its workloads and the rest of the network.",
    docs: docs.azurerm("subnet_network_security_group_association"),
    fix: "Add an azurerm_subnet_network_security_group_association for the subnet.",
    check: (subnet, stack) => {
      // Azure refuses NSGs on these service subnets.
      if (["GatewaySubnet", "AzureFirewallSubnet", "AzureFirewallManagementSubnet", "RouteServerSubnet"].includes(String(subnet.values.name))) return undefined;
      return stack.referencing(subnet, "azurerm_subnet_network_security_group_association", "subnet_id").length ? undefined : "no network security group is associated";
    },
  }),
  rule({
    id: "SIROS-AZURE-NET-7",
    level: "error",
    pack: "baseline",
    cloud: "azure",
    resourceTypes: ["azurerm_subnet"],
    title: "Subnets disable default outbound access",
    rationale: "Default outbound access gives VMs an implicit, unowned public IP for egress; egress goes through the NAT gateway instead.",
    docs: docs.azurerm("subnet"),
    fix: "Set default_outbound_access_enabled = false and give the subnet a NAT gateway.",
    check: (subnet) => (isFalse(subnet.values.default_outbound_access_enabled) ? undefined : "default_outbound_access_enabled is not false (the provider's default is true)"),
  }),
  rule({
    id: "SIROS-AZURE-NET-8",
    level: "error",
    pack: "baseline",
    cloud: "azure",
    resourceTypes: ["azurerm_virtual_network"],
    title: "Virtual networks have an enabled flow log",
    rationale: "VNet flow logs are the record of which addresses talked to which, needed to investigate any incident.",
    docs: docs.azurerm("network_watcher_flow_log"),
    fix: "Add an azurerm_network_watcher_flow_log with target_resource_id set to the virtual network and enabled = true.",
    check: (vnet, stack) =>
      stack.referencing(vnet, "azurerm_network_watcher_flow_log", "target_resource_id").some((log) => isTrue(log.values.enabled)) ? undefined : "no enabled flow log targets this virtual network",
  }),
  rule({
    id: "SIROS-AZURE-NET-9",
    checkov: "CKV_AZURE_12",
    level: "error",
    pack: "production",
    cloud: "azure",
    resourceTypes: ["azurerm_network_watcher_flow_log"],
    title: "Production flow logs are kept at least 90 days",
    rationale: "Incidents are often found weeks after they start; 90 days of flow logs is the usual minimum for an investigation.",
    docs: docs.azurerm("network_watcher_flow_log"),
    fix: "Set retention_policy { enabled = true, days = 90 or more } (the environment's flow-log retention).",
    check: (log) => {
      const policy = first(log.values, "retention_policy");
      const days = numberOf(policy?.days);
      if (!isTrue(policy?.enabled)) return "retention_policy is not enabled";
      return days !== undefined && days !== 0 && days < 90 ? `retention_policy.days is ${days}` : undefined;
    },
  }),
];
