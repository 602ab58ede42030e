/** Azure network profile: VNet, subnets, NAT gateways, VNet flow log, network security groups. */
import type { StackIndex } from "../../../policy/terraform-json";
import type { Profile } from "../../model";
import { agreed, encryptionOf, ingressList, isInternet, natStrategy, observe, privateOnes } from "../shared";

interface SecurityRule {
  readonly access?: string;
  readonly direction?: string;
  readonly protocol?: string;
  readonly source_address_prefix?: string;
  readonly destination_port_range?: string;
}

const rulesOf = (values: Readonly<Record<string, unknown>>): SecurityRule[] => (values.security_rule as SecurityRule[] | undefined) ?? [];

export function azureNetwork(stack: StackIndex): Profile {
  // Azure subnets are regional; the network builds one private subnet per zone.
  const privateSubnets = privateOnes(stack.ofType("azurerm_subnet"));
  const nats = stack.ofType("azurerm_nat_gateway");
  const flowLogs = stack.ofType("azurerm_network_watcher_flow_log").filter((f) => stack.referencedBy(f, "target_resource_id", "azurerm_virtual_network"));
  const retention = flowLogs.map((f) => f.values.retention_policy as { days?: number; enabled?: boolean } | undefined);
  const accounts = flowLogs.map((f) => stack.referencedBy(f, "storage_account_id", "azurerm_storage_account"));
  // A storage account uses a customer-managed key through its own resource (or an inline block).
  const keyOf = (account: NonNullable<(typeof accounts)[number]>) =>
    stack.referencing(account, "azurerm_storage_account_customer_managed_key").map((c) => stack.referencedBy(c, "key_name", "azurerm_key_vault_key"))[0];
  // The network's own groups: other modules (the database's delegated subnet) keep NSGs of their own.
  const groups = stack.ofType("azurerm_network_security_group").filter((g) => g.constructPath?.includes("/network/") ?? true);
  const inbound = groups.flatMap((g) => rulesOf(g.values).filter((r) => r.direction === "Inbound" && isInternet(r.source_address_prefix)).map((r) => ({ g, r })));
  const allowed = inbound.filter(({ r }) => r.access === "Allow");
  return {
    zones: observe(privateSubnets.length || null, privateSubnets),
    nat: observe(natStrategy(nats.length, privateSubnets.length), nats),
    flowLogs: observe(flowLogs.some((f) => f.values.enabled === true), flowLogs),
    flowLogRetentionDays: observe(retention.length && retention.every((r) => r?.enabled) ? (retention[0]?.days ?? null) : null, flowLogs),
    flowLogsEncrypted: observe(agreed(accounts.map((a) => (a ? encryptionOf(stack, keyOf(a)) : null))), accounts),
    // No default outbound access: a VM gets no implicit public address.
    privateNoPublicIp: observe(privateSubnets.length > 0 && privateSubnets.every((s) => s.values.default_outbound_access_enabled === false), privateSubnets),
    publicIngress: observe(ingressList(allowed.map(({ r }) => `${(r.protocol ?? "*").toLowerCase()}/${r.destination_port_range === "*" ? "all" : r.destination_port_range}`)), allowed.map(({ g }) => g)),
    defaultDeny: observe(groups.length > 0 && groups.every((g) => rulesOf(g.values).some((r) => r.direction === "Inbound" && r.access === "Deny" && isInternet(r.source_address_prefix) && r.protocol === "*")), groups),
  };
}
