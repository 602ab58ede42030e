import { DataAzurermClientConfig } from "@cdktf/provider-azurerm/lib/data-azurerm-client-config";
import { NetworkSecurityGroup } from "@cdktf/provider-azurerm/lib/network-security-group";
import { PostgresqlFlexibleServer } from "@cdktf/provider-azurerm/lib/postgresql-flexible-server";
import { PostgresqlFlexibleServerConfiguration } from "@cdktf/provider-azurerm/lib/postgresql-flexible-server-configuration";
import { PostgresqlFlexibleServerDatabase } from "@cdktf/provider-azurerm/lib/postgresql-flexible-server-database";
import { PrivateDnsZone } from "@cdktf/provider-azurerm/lib/private-dns-zone";
import { PrivateDnsZoneVirtualNetworkLink } from "@cdktf/provider-azurerm/lib/private-dns-zone-virtual-network-link";
import { ResourceGroup } from "@cdktf/provider-azurerm/lib/resource-group";
import { Subnet } from "@cdktf/provider-azurerm/lib/subnet";
import { SubnetNetworkSecurityGroupAssociation } from "@cdktf/provider-azurerm/lib/subnet-network-security-group-association";
import { UserAssignedIdentity } from "@cdktf/provider-azurerm/lib/user-assigned-identity";
import { VirtualNetworkPeering } from "@cdktf/provider-azurerm/lib/virtual-network-peering";
import { Fn, type ITerraformDependable } from "cdktf";
import { Construct } from "constructs";
import { cidrSubnet } from "../../lib/cidr";
import { writeOnlyValue, type Keys } from "../keys/contract";
import { ephemeralPassword } from "../shared/ephemeral-password";
import { globalName } from "../shared/global-name";
import {
  ADMIN_USER,
  DATABASE_NAME,
  databaseName,
  POSTGRES_PORT,
  protectedLifecycle,
  resolveDatabaseProps,
  WEEKDAYS,
  type Database,
  type DatabaseOutputs,
  type DatabaseProps,
} from "./contract";
import { DATABASE_OFFERS } from "./sizes";

export interface AzureDatabaseProps extends DatabaseProps {
  /** The network's address range: the delegated subnet is carved from it (see `delegatedSubnetRange`). */
  readonly networkCidr: string;
  readonly virtualNetworkName: string;
  readonly networkResourceGroupName: string;
  /** The environment's versionless Key Vault key id (keys module). */
  readonly keyId: string;
  readonly keys: Keys;
  /** Lets a managed identity wrap and unwrap with the key (AzureKeys.roleFor); returns the assignment to depend on. */
  readonly grantKey: (principalId: string) => ITerraformDependable;
}

/**
 * Server parameters of every server: `azure.extensions` allowlists pgvector (CREATE EXTENSION
 * vector fails without it), TLS is required, and connections, checkpoints and throttling are
 * logged as scanners expect.
 */
export const AZURE_SERVER_PARAMETERS: Readonly<Record<string, string>> = {
  "azure.extensions": "VECTOR",
  require_secure_transport: "on",
  log_connections: "on",
  log_disconnections: "on",
  log_checkpoints: "on",
  "connection_throttle.enable": "on",
};

const PASSWORD_SPECIALS = "-_.~!#%^*";

/**
 * The subnet delegated to Flexible Server: a /24 of a /16 (the 201st 1/256 block), past the
 * public tier in the half of the range the zonal subnet plan leaves free.
 */
export const delegatedSubnetRange = (cidr: string): string => cidrSubnet(cidr, 8, 200);

/** The private DNS zone of an environment's server, and the resource group it lives in: a replica links the primary's by name. */
export const privateZoneName = (name: string): string => `${name}.private.postgres.database.azure.com`;
export const databaseResourceGroupName = (name: string): string => `${name}-database`;

/**
 * Azure: Database for PostgreSQL Flexible Server in a subnet of the VNet delegated to it,
 * resolved through a private DNS zone linked to the VNet, public network access off, an NSG
 * that admits PostgreSQL only from the cluster's node subnets, zone-redundant HA where highly
 * available, the customer-managed key through a user-assigned identity, Entra ID and
 * password authentication with the administrator's password generated ephemerally into Key
 * Vault and the server (write-only on both), and `azure.extensions` allowlisting VECTOR.
 * dr: a cross-region read replica of prod (`create_mode = "Replica"`).
 */
export class AzureDatabase extends Construct implements Database {
  readonly outputs: DatabaseOutputs;
  readonly server: PostgresqlFlexibleServer;

  constructor(scope: Construct, id: string, input: AzureDatabaseProps) {
    super(scope, id);
    const props = resolveDatabaseProps(input);
    const { region: location, tags, replicaOf } = props;
    const name = databaseName(props);
    const group = new ResourceGroup(this, "resource-group", { name: databaseResourceGroupName(props.name), location, tags });
    const resourceGroupName = group.name;

    const nsg = new NetworkSecurityGroup(this, "nsg", {
      name: `${name}-nsg`,
      location,
      resourceGroupName,
      securityRule: [
        // One rule per node range: what the cluster's pods reach the database from.
        ...props.clientAccess.subnetCidrs.map((cidr, i) => ({
          name: `postgres-from-nodes-${i}`,
          description: "PostgreSQL from the cluster's node subnets",
          priority: 100 + i,
          direction: "Inbound",
          access: "Allow",
          protocol: "Tcp",
          sourcePortRange: "*",
          destinationPortRange: String(POSTGRES_PORT),
          sourceAddressPrefix: cidr,
          destinationAddressPrefix: "*",
        })),
        {
          // The primary and its zone-redundant standby replicate inside the delegated subnet.
          name: "postgres-within-subnet",
          description: "Replication between the server and its standby",
          priority: 200,
          direction: "Inbound",
          access: "Allow",
          protocol: "Tcp",
          sourcePortRange: "*",
          destinationPortRange: String(POSTGRES_PORT),
          sourceAddressPrefix: delegatedSubnetRange(input.networkCidr),
          destinationAddressPrefix: "*",
        },
        // Replication crosses regions over the peered VNets: prod admits dr's replica, dr its primary.
        ...[...props.replicaNetworkCidrs, ...(replicaOf ? [replicaOf.networkCidr] : [])].map((cidr, i) => ({
          name: `postgres-replication-${i}`,
          description: replicaOf ? "Replication with the primary's server" : "Replication to a read replica in another region",
          priority: 300 + i,
          direction: "Inbound",
          access: "Allow",
          protocol: "Tcp",
          sourcePortRange: "*",
          destinationPortRange: String(POSTGRES_PORT),
          sourceAddressPrefix: delegatedSubnetRange(cidr),
          destinationAddressPrefix: "*",
        })),
        {
          name: "deny-other-inbound",
          description: "Nothing else in the network reaches the database",
          priority: 4000,
          direction: "Inbound",
          access: "Deny",
          protocol: "*",
          sourcePortRange: "*",
          destinationPortRange: "*",
          sourceAddressPrefix: "VirtualNetwork",
          destinationAddressPrefix: "*",
        },
      ],
      tags,
    });
    const subnet = new Subnet(this, "delegated-subnet", {
      name: `${name}-delegated`,
      resourceGroupName: input.networkResourceGroupName,
      virtualNetworkName: input.virtualNetworkName,
      addressPrefixes: [delegatedSubnetRange(input.networkCidr)],
      defaultOutboundAccessEnabled: false,
      delegation: [
        {
          name: "postgresql-flexible-server",
          serviceDelegation: { name: "Microsoft.DBforPostgreSQL/flexibleServers", actions: ["Microsoft.Network/virtualNetworks/subnets/join/action"] },
        },
      ],
    });
    const nsgAssociation = new SubnetNetworkSecurityGroupAssociation(this, "delegated-subnet-nsg", { subnetId: subnet.id, networkSecurityGroupId: nsg.id });
    const zone = new PrivateDnsZone(this, "dns-zone", { name: privateZoneName(props.name), resourceGroupName, tags });
    const link = new PrivateDnsZoneVirtualNetworkLink(this, "dns-zone-link", {
      name: `${name}-vnet`,
      resourceGroupName,
      privateDnsZoneName: zone.name,
      virtualNetworkId: props.networkId,
      registrationEnabled: false,
      tags,
    });

    const replication = replicaOf ? this.replicationPath(name, input, zone, replicaOf) : [];

    // The server unwraps its data key as this identity, which must hold the key before creation.
    const identity = new UserAssignedIdentity(this, "identity", { name: `${name}-identity`, location, resourceGroupName, tags });
    const keyRole = input.grantKey(identity.principalId);
    const client = new DataAzurermClientConfig(this, "client");

    const common = {
      name: globalName(this, "server-name", { base: name, maxLength: 63, charset: "lower-alnum-hyphen" }),
      location,
      resourceGroupName,
      version: props.engineVersion,
      skuName: DATABASE_OFFERS[props.size].azure,
      storageMb: props.storageGb * 1024,
      autoGrowEnabled: true,
      backupRetentionDays: props.backupRetentionDays,
      // Geo-redundant backups with a customer-managed key need a key in the paired region (see gaps).
      geoRedundantBackupEnabled: false,
      publicNetworkAccessEnabled: false,
      delegatedSubnetId: subnet.id,
      privateDnsZoneId: zone.id,
      zone: "1",
      // A read replica takes no standby of its own (Flexible Server refuses HA on replicas).
      highAvailability: props.highAvailability && !replicaOf ? { mode: "ZoneRedundant", standbyAvailabilityZone: "2" } : undefined,
      identity: { type: "UserAssigned", identityIds: [identity.id] },
      customerManagedKey: { keyVaultKeyId: input.keyId, primaryUserAssignedIdentityId: identity.id },
      maintenanceWindow: { dayOfWeek: WEEKDAYS.indexOf(props.maintenanceWindow.day), startHour: props.maintenanceWindow.hour, startMinute: 0 },
      tags,
      dependsOn: [link, nsgAssociation, keyRole, ...replication],
      ...protectedLifecycle(props),
    };
    let secretId: string;
    if (replicaOf) {
      this.server = new PostgresqlFlexibleServer(this, "server", { ...common, createMode: "Replica", sourceServerId: replicaOf.id });
      secretId = replicaOf.credentialsSecretId;
    } else {
      const password = ephemeralPassword(this, `${name}-admin-password`, { length: 32, specials: PASSWORD_SPECIALS });
      secretId = input.keys.addSecret("database-admin", {
        name: "database-admin",
        description: `Password of ${ADMIN_USER} on ${name}`,
        value: writeOnlyValue(password),
      }).id;
      this.server = new PostgresqlFlexibleServer(this, "server", {
        ...common,
        createMode: "Default",
        administratorLogin: ADMIN_USER,
        administratorPasswordWo: password,
        administratorPasswordWoVersion: 1,
        authentication: { activeDirectoryAuthEnabled: true, passwordAuthEnabled: true, tenantId: client.tenantId },
      });
      new PostgresqlFlexibleServerDatabase(this, "database", { name: DATABASE_NAME, serverId: this.server.id, charset: "UTF8", collation: "en_US.utf8" });
    }
    Object.entries(AZURE_SERVER_PARAMETERS).forEach(([parameter, value], i) => {
      new PostgresqlFlexibleServerConfiguration(this, `parameter-${i}`, { name: parameter, serverId: this.server.id, value });
    });

    this.outputs = {
      databaseId: this.server.id,
      endpoint: this.server.fqdn,
      port: POSTGRES_PORT,
      databaseName: DATABASE_NAME,
      credentialsSecretId: secretId,
      metricScopes: [{ resourceId: this.server.id }],
    };
  }

  /**
   * What a read replica in another region needs to reach its primary privately: the two VNets
   * peered both ways (the primary's side written here too, into the primary's VNet, with the
   * stack's provider: dr and prod share a subscription, which validation holds them to), and
   * each side's private DNS zone linked to the other's VNet: the replica resolves the
   * primary's name, and the primary's network the replica's.
   */
  private replicationPath(name: string, input: AzureDatabaseProps, zone: PrivateDnsZone, primary: NonNullable<AzureDatabaseProps["replicaOf"]>): ITerraformDependable[] {
    const idPart = (i: number) => Fn.element(Fn.split("/", primary.networkId), i);
    const toPrimary = new VirtualNetworkPeering(this, "peering-to-primary", {
      name: `${name}-to-primary`,
      resourceGroupName: input.networkResourceGroupName,
      virtualNetworkName: input.virtualNetworkName,
      remoteVirtualNetworkId: primary.networkId,
      allowVirtualNetworkAccess: true,
      allowForwardedTraffic: false,
    });
    // /subscriptions/<s>/resourceGroups/<group>/providers/Microsoft.Network/virtualNetworks/<name>
    const fromPrimary = new VirtualNetworkPeering(this, "peering-from-primary", {
      name: `${name}-from-replica`,
      resourceGroupName: idPart(4),
      virtualNetworkName: idPart(8),
      remoteVirtualNetworkId: input.networkId,
      allowVirtualNetworkAccess: true,
      allowForwardedTraffic: false,
    });
    const primaryLink = new PrivateDnsZoneVirtualNetworkLink(this, "dns-zone-link-primary", {
      name: `${name}-primary-vnet`,
      resourceGroupName: zone.resourceGroupName,
      privateDnsZoneName: zone.name,
      virtualNetworkId: primary.networkId,
      registrationEnabled: false,
      tags: { ...input.tags },
    });
    const replicaLink = new PrivateDnsZoneVirtualNetworkLink(this, "primary-dns-zone-link", {
      name: `${name}-vnet`,
      resourceGroupName: databaseResourceGroupName(primary.name),
      privateDnsZoneName: privateZoneName(primary.name),
      virtualNetworkId: input.networkId,
      registrationEnabled: false,
      tags: { ...input.tags },
    });
    return [toPrimary, fromPrimary, primaryLink, replicaLink];
  }
}
