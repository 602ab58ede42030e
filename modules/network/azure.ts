import type { ITerraformDependable } from "cdktf";
import { DataAzurermNetworkWatcher } from "@cdktf/provider-azurerm/lib/data-azurerm-network-watcher";
import { NatGateway } from "@cdktf/provider-azurerm/lib/nat-gateway";
import { NatGatewayPublicIpAssociation } from "@cdktf/provider-azurerm/lib/nat-gateway-public-ip-association";
import { NetworkSecurityGroup, type NetworkSecurityGroupSecurityRule } from "@cdktf/provider-azurerm/lib/network-security-group";
import { NetworkWatcherFlowLog } from "@cdktf/provider-azurerm/lib/network-watcher-flow-log";
import { PublicIp } from "@cdktf/provider-azurerm/lib/public-ip";
import { ResourceGroup } from "@cdktf/provider-azurerm/lib/resource-group";
import { StorageAccount } from "@cdktf/provider-azurerm/lib/storage-account";
import { StorageAccountCustomerManagedKeyA } from "@cdktf/provider-azurerm/lib/storage-account-customer-managed-key";
import { Subnet } from "@cdktf/provider-azurerm/lib/subnet";
import { SubnetNatGatewayAssociation } from "@cdktf/provider-azurerm/lib/subnet-nat-gateway-association";
import { SubnetNetworkSecurityGroupAssociation } from "@cdktf/provider-azurerm/lib/subnet-network-security-group-association";
import { VirtualNetwork } from "@cdktf/provider-azurerm/lib/virtual-network";
import { Construct } from "constructs";
import {
  natLayout,
  networkOutputs,
  resolveNetworkProps,
  type Network,
  type NetworkOutputs,
  type NetworkProps,
  type ResolvedNetworkProps,
} from "./contract";
import { publicIngressRules, type ProtocolSpelling } from "./ingress";
import { zonalSubnetPlan } from "./subnet-plan";
import { globalName } from "../shared/global-name";

export interface AzureNetworkProps extends NetworkProps {
  /**
   * Name of the region's Network Watcher, which owns the flow logs. Azure creates one per
   * subscription and region, named like this, when a virtual network is first created;
   * subscriptions whose policy creates it elsewhere name their own.
   * @default `NetworkWatcher_<location>`
   */
  readonly networkWatcherName?: string;
  /**
   * Resource group of that Network Watcher.
   * @default "NetworkWatcherRG"
   */
  readonly networkWatcherResourceGroupName?: string;
  /**
   * The environment's key (modules/keys), which encrypts the flow-log storage account.
   * @default - Microsoft-managed keys
   */
  readonly flowLogKey?: AzureCustomerManagedKey;
}

/** A Key Vault key as a storage account takes it, and how to let the account's identity use it. */
export interface AzureCustomerManagedKey {
  readonly keyVaultId: string;
  readonly keyName: string;
  /** Lets a managed identity wrap and unwrap with the key; returns what must exist before the key is used. */
  authorize(principalId: string): ITerraformDependable;
}

/** Where Azure puts the watcher it creates automatically. */
const defaultNetworkWatcher = (location: string) => ({ name: `NetworkWatcher_${location}`, resourceGroupName: "NetworkWatcherRG" });

// Storage account names: 3 to 24 lowercase letters and digits, unique across Azure.
const STORAGE_ACCOUNT_NAME_MAX = 24;
// Days a deleted flow-log blob or container can be restored (the provider's default, stated).
const SOFT_DELETE_DAYS = 7;
// Longest validity a shared access signature on the flow-log account should have (DD.HH:MM:SS).
const SAS_EXPIRATION_PERIOD = "01.00:00:00";

// Azure evaluates NSG rules by priority; user rules sit well above the final deny.
const FIRST_RULE_PRIORITY = 100;
const NSG_PROTOCOL: ProtocolSpelling = { tcp: "Tcp", udp: "Udp" };
const DENY_INTERNET_PRIORITY = 4000;

/**
 * Application Gateway v2 (the edge, in the first public subnet) fails to deploy unless its
 * subnet admits Azure's GatewayManager on these ports; the ports answer only Azure's
 * infrastructure (certificate-authenticated), not the public.
 */
const GATEWAY_MANAGER_RULE: NetworkSecurityGroupSecurityRule = {
  name: "allow-gateway-manager",
  description: "Azure's infrastructure ports of an Application Gateway v2 (the edge), which Azure requires open",
  priority: 3900,
  direction: "Inbound",
  access: "Allow",
  protocol: "Tcp",
  sourcePortRange: "*",
  destinationPortRange: "65200-65535",
  sourceAddressPrefix: "GatewayManager",
  destinationAddressPrefix: "*",
};

/**
 * Azure: a resource group and virtual network with a public and a private subnet per
 * zone, NSGs that let in only the declared flows, zonal NAT gateways for the private
 * tier, no default outbound access, and VNet flow logs to a locked-down storage account.
 */
export class AzureNetwork extends Construct implements Network {
  readonly outputs: NetworkOutputs;
  readonly resourceGroup: ResourceGroup;
  readonly virtualNetwork: VirtualNetwork;

  constructor(scope: Construct, id: string, input: AzureNetworkProps) {
    super(scope, id);
    const props = resolveNetworkProps(input);
    const { name, region: location, tags } = props;
    const plan = zonalSubnetPlan(props.cidr, props.zones);

    this.resourceGroup = new ResourceGroup(this, "resource-group", { name: `${name}-network`, location, tags });
    const resourceGroupName = this.resourceGroup.name;
    this.virtualNetwork = new VirtualNetwork(this, "virtual-network", {
      name,
      location,
      resourceGroupName,
      addressSpace: [props.cidr],
      tags,
    });

    const publicNsg = this.securityGroup("public", props, [...nsgIngressRules(props), GATEWAY_MANAGER_RULE]);
    const privateNsg = this.securityGroup("private", props, []);
    const subnets = (tier: "public" | "private", ranges: string[], nsg: NetworkSecurityGroup) =>
      ranges.map((range, zone) => {
        const subnet = new Subnet(this, `${tier}-subnet-${zone}`, {
          name: `${tier}-${zone + 1}`,
          resourceGroupName,
          virtualNetworkName: this.virtualNetwork.name,
          addressPrefixes: [range],
          // Implicit outbound internet access is retired; egress goes through NAT only.
          defaultOutboundAccessEnabled: false,
        });
        new SubnetNetworkSecurityGroupAssociation(this, `${tier}-nsg-${zone}`, {
          subnetId: subnet.id,
          networkSecurityGroupId: nsg.id,
        });
        return subnet;
      });
    const publicSubnets = subnets("public", plan.public, publicNsg);
    const privateSubnets = subnets("private", plan.private, privateNsg);

    const nat = natLayout(props);
    const natGateways = Array.from({ length: nat.count }, (_, i) => {
      // The gateway and its address share name, place and zone.
      const placed = { name: `${name}-nat-${i + 1}`, location, resourceGroupName, zones: [String(i + 1)], tags };
      const address = new PublicIp(this, `nat-address-${i}`, { ...placed, allocationMethod: "Static", sku: "Standard" });
      const gateway = new NatGateway(this, `nat-gateway-${i}`, { ...placed, skuName: "Standard", idleTimeoutInMinutes: 4 });
      new NatGatewayPublicIpAssociation(this, `nat-address-association-${i}`, {
        natGatewayId: gateway.id,
        publicIpAddressId: address.id,
      });
      return gateway;
    });
    privateSubnets.forEach((subnet, zone) => {
      new SubnetNatGatewayAssociation(this, `private-nat-${zone}`, {
        subnetId: subnet.id,
        natGatewayId: natGateways[nat.forZone(zone)].id,
      });
    });

    if (props.flowLogs.enabled) this.flowLogs(props, this.networkWatcher(props.region, input), input.flowLogKey);

    this.outputs = { ...networkOutputs(this.virtualNetwork, props.cidr, { public: publicSubnets, private: privateSubnets }), metricScopes: natGateways.map((g) => ({ resourceId: g.id })) };
  }

  private securityGroup(
    tier: "public" | "private",
    props: ResolvedNetworkProps,
    allowed: NetworkSecurityGroupSecurityRule[],
  ): NetworkSecurityGroup {
    return new NetworkSecurityGroup(this, `${tier}-nsg`, {
      name: `${props.name}-${tier}`,
      location: props.region,
      resourceGroupName: this.resourceGroup.name,
      securityRule: [
        ...allowed,
        {
          name: "deny-internet-inbound",
          description: "Nothing from the internet but the rules above",
          priority: DENY_INTERNET_PRIORITY,
          direction: "Inbound",
          access: "Deny",
          protocol: "*",
          sourcePortRange: "*",
          destinationPortRange: "*",
          sourceAddressPrefix: "Internet",
          destinationAddressPrefix: "*",
        },
      ],
      tags: props.tags,
    });
  }

  /**
   * The existing Network Watcher, read at plan time: a subscription without one (or with
   * one under another name) fails the plan here, naming the watcher, instead of failing
   * the flow log at apply.
   */
  private networkWatcher(location: string, input: AzureNetworkProps): DataAzurermNetworkWatcher {
    const fallback = defaultNetworkWatcher(location);
    return new DataAzurermNetworkWatcher(this, "network-watcher", {
      name: input.networkWatcherName ?? fallback.name,
      resourceGroupName: input.networkWatcherResourceGroupName ?? fallback.resourceGroupName,
      lifecycle: {
        postcondition: [
          {
            condition: `\${self.location == "${location}"}`,
            errorMessage: `The Network Watcher must be in ${location}, the network's region: flow logs belong to the watcher of their target's region.`,
          },
        ],
      },
    });
  }

  private flowLogs(props: ResolvedNetworkProps, watcher: DataAzurermNetworkWatcher, key?: AzureCustomerManagedKey): void {
    const storage = new StorageAccount(this, "flow-log-storage", {
      // Storage account names are global across all of Azure: a random suffix kept in state avoids collisions.
      name: globalName(this, "flow-log-storage-suffix", { base: `${props.name}flowlogs`, maxLength: STORAGE_ACCOUNT_NAME_MAX, charset: "lower-alnum" }),
      location: props.region,
      resourceGroupName: this.resourceGroup.name,
      accountTier: "Standard",
      accountReplicationType: "ZRS",
      accountKind: "StorageV2",
      httpsTrafficOnlyEnabled: true,
      minTlsVersion: "TLS1_2",
      allowNestedItemsToBePublic: false,
      infrastructureEncryptionEnabled: true,
      crossTenantReplicationEnabled: false,
      // No SFTP/NFS local users: nothing but Network Watcher writes here.
      localUserEnabled: false,
      // Nothing in the project issues SAS tokens; one valid longer than a day is logged. "Log",
      // not "Block": which credential Network Watcher's trusted-service writes use is not
      // documented, and a blocked write would drop flow logs without an error anywhere we see.
      sasPolicy: { expirationPeriod: SAS_EXPIRATION_PERIOD, expirationAction: "Log" },
      // Nothing reaches the account over the network but trusted Azure services (Network
      // Watcher writes flow logs as one). Public network access stays at its default,
      // "enabled from selected networks": the trusted-services exception is a rule of that mode.
      networkRules: { defaultAction: "Deny", bypass: ["AzureServices"] },
      blobProperties: {
        deleteRetentionPolicy: { days: SOFT_DELETE_DAYS },
        containerDeleteRetentionPolicy: { days: SOFT_DELETE_DAYS },
      },
      // Its own identity unwraps the customer-managed key.
      ...(key ? { identity: { type: "SystemAssigned" } } : {}),
      tags: props.tags,
    });
    if (key) {
      // Versionless: the account follows the key's rotations.
      new StorageAccountCustomerManagedKeyA(this, "flow-log-storage-key", {
        storageAccountId: storage.id,
        keyVaultId: key.keyVaultId,
        keyName: key.keyName,
        dependsOn: [key.authorize(storage.identity.principalId)],
      });
    }
    new NetworkWatcherFlowLog(this, "flow-log", {
      name: `${props.name}-vnet-flow-log`,
      networkWatcherName: watcher.name,
      resourceGroupName: watcher.resourceGroupName,
      location: watcher.location,
      targetResourceId: this.virtualNetwork.id,
      storageAccountId: storage.id,
      enabled: true,
      version: 2,
      retentionPolicy: { enabled: true, days: props.flowLogs.retentionDays },
      tags: props.tags,
    });
  }
}

function nsgIngressRules(props: ResolvedNetworkProps): NetworkSecurityGroupSecurityRule[] {
  return publicIngressRules(props.publicIngress).map((rule) => ({
    name: rule.name,
    description: rule.description,
    priority: FIRST_RULE_PRIORITY + rule.position * 10,
    direction: "Inbound",
    access: "Allow",
    protocol: NSG_PROTOCOL[rule.protocol],
    sourcePortRange: "*",
    destinationPortRange: String(rule.port),
    sourceAddressPrefix: rule.sourceCidr,
    destinationAddressPrefix: "VirtualNetwork",
  }));
}
