import { ApplicationGateway, type ApplicationGatewaySslPolicy } from "@cdktf/provider-azurerm/lib/application-gateway";
import { LogAnalyticsWorkspace } from "@cdktf/provider-azurerm/lib/log-analytics-workspace";
import { ManagementLock } from "@cdktf/provider-azurerm/lib/management-lock";
import { MonitorDiagnosticSetting } from "@cdktf/provider-azurerm/lib/monitor-diagnostic-setting";
import { PrivateDnsZone } from "@cdktf/provider-azurerm/lib/private-dns-zone";
import { PrivateDnsZoneVirtualNetworkLink } from "@cdktf/provider-azurerm/lib/private-dns-zone-virtual-network-link";
import { PrivateEndpoint } from "@cdktf/provider-azurerm/lib/private-endpoint";
import { PublicIp } from "@cdktf/provider-azurerm/lib/public-ip";
import { ResourceGroup } from "@cdktf/provider-azurerm/lib/resource-group";
import { RoleAssignment } from "@cdktf/provider-azurerm/lib/role-assignment";
import { UserAssignedIdentity } from "@cdktf/provider-azurerm/lib/user-assigned-identity";
import { WebApplicationFirewallPolicy } from "@cdktf/provider-azurerm/lib/web-application-firewall-policy";
import { Fn } from "cdktf";
import { Construct } from "constructs";
import {
  edgeName,
  HTTP_PORT,
  HTTPS_PORT,
  INGRESS_HEALTH_PATH,
  resolveEdgeProps,
  storedCertificate,
  type Edge,
  type EdgeOutputs,
  type EdgeProps,
  type MinTlsVersion,
  type ResolvedEdgeProps,
} from "./contract";

export interface AzureEdgeProps extends EdgeProps {
  /** The environment's Key Vault (modules/keys), which holds the edge's certificate. */
  readonly keyVaultId: string;
  /**
   * Where the vault's private endpoint goes: a private subnet of the gateway's network. The
   * vault refuses public network access, and the gateway's own subnet may hold nothing else.
   */
  readonly vaultEndpointSubnetId: string;
}

/** The private DNS zone through which Key Vault names resolve to private endpoints. */
export const KEY_VAULT_PRIVATE_DNS_ZONE = "privatelink.vaultcore.azure.net";
/** Key Vault's private-link sub-resource. */
export const KEY_VAULT_SUBRESOURCE = "vault";

/** Application Gateway's TLS policies: the predefined modern one (TLS 1.2 floor, 1.3 offered), or a custom TLS 1.3-only one. */
export const AZURE_SSL_POLICIES: Readonly<Record<MinTlsVersion, ApplicationGatewaySslPolicy>> = {
  "1.2": { policyType: "Predefined", policyName: "AppGwSslPolicy20220101S" },
  "1.3": { policyType: "CustomV2", minProtocolVersion: "TLSv1_3" },
};

/** OWASP core rule set and Microsoft's bot rules, both managed by Azure. */
export const AZURE_MANAGED_RULE_SETS = [
  { type: "OWASP", version: "3.2" },
  { type: "Microsoft_BotManagerRuleSet", version: "1.0" },
] as const;

/** Lets the gateway's identity read its certificate (as a secret) from Key Vault; assigned on that one secret only. */
export const KEY_VAULT_SECRETS_USER = "Key Vault Secrets User";
// Capacity units: two keep a zone-redundant gateway up; ten absorb a burst without a manual change.
const AUTOSCALE = { min: 2, max: 10 } as const;

/**
 * Azure: an Application Gateway v2 (WAF_v2) across the zones in the network's first public
 * subnet (the gateway's own: nothing else is placed there), autoscaling, on a zonal static
 * public IP; a WAF policy of OWASP 3.2 and bot rules (prevention, or detection in dev);
 * the certificate read from the environment's Key Vault, over a private endpoint for the
 * vault, through a user-assigned identity allowed to read that one secret; a modern predefined TLS policy; an HTTPS listener, a
 * listener on 80 that only redirects; a backend pool and probe towards the cluster's
 * ingress port; access and firewall logs to a Log Analytics workspace kept for the
 * retention; a delete lock in prod.
 */
export class AzureEdge extends Construct implements Edge {
  readonly outputs: EdgeOutputs;
  readonly gateway: ApplicationGateway;
  readonly firewallPolicy: WebApplicationFirewallPolicy;
  readonly identity: UserAssignedIdentity;

  constructor(scope: Construct, id: string, input: AzureEdgeProps) {
    super(scope, id);
    const props = resolveEdgeProps(input);
    const name = edgeName(props);
    const { region: location, tags } = props;
    const zones = props.publicSubnetIds.map((_, i) => String(i + 1));
    const group = new ResourceGroup(this, "resource-group", { name, location, tags });
    const placed = { location, resourceGroupName: group.name, tags };

    this.identity = new UserAssignedIdentity(this, "identity", { name, ...placed });
    const certificateId = storedCertificate(this, "versionless secret id of a certificate in the environment's Key Vault (https://<vault>.vault.azure.net/secrets/<name>)");
    // Scoped to the certificate's own secret: the vault also holds the database's credentials, which the gateway must not read.
    const readCertificate = new RoleAssignment(this, "identity-reads-certificate", {
      scope: certificateSecretScope(input.keyVaultId, certificateId),
      roleDefinitionName: KEY_VAULT_SECRETS_USER,
      principalId: this.identity.principalId,
      principalType: "ServicePrincipal",
      description: `${name} reads its TLS certificate`,
    });
    const vaultEndpoint = this.vaultEndpoint(input, name, placed);
    const address = new PublicIp(this, "address", { name, ...placed, allocationMethod: "Static", sku: "Standard", zones });
    this.firewallPolicy = new WebApplicationFirewallPolicy(this, "waf-policy", {
      // Letters and digits only: what every Azure WAF policy name accepts.
      name: name.replace(/[^A-Za-z0-9]/g, ""),
      ...placed,
      policySettings: {
        enabled: true,
        mode: props.wafMode === "prevention" ? "Prevention" : "Detection",
        requestBodyCheck: true,
      },
      managedRules: { managedRuleSet: AZURE_MANAGED_RULE_SETS.map((set) => ({ ...set })) },
    });

    const backendHost = backendHostName(props.domains);
    const names = { frontend: "public", https: "https", http: "http", pool: "ingress", settings: "ingress", probe: "ingress", certificate: "edge", redirect: "http-to-https" };
    const protect = props.deletionProtection ? { lifecycle: { preventDestroy: true } } : {};
    this.gateway = new ApplicationGateway(this, "gateway", {
      name,
      ...placed,
      zones,
      sku: { name: "WAF_v2", tier: "WAF_v2" },
      autoscaleConfiguration: { minCapacity: AUTOSCALE.min, maxCapacity: AUTOSCALE.max },
      enableHttp2: true,
      identity: { type: "UserAssigned", identityIds: [this.identity.id] },
      firewallPolicyId: this.firewallPolicy.id,
      forceFirewallPolicyAssociation: true,
      gatewayIpConfiguration: [{ name: "gateway", subnetId: props.publicSubnetIds[0] }],
      frontendIpConfiguration: [{ name: names.frontend, publicIpAddressId: address.id }],
      frontendPort: [
        { name: names.https, port: HTTPS_PORT },
        { name: names.http, port: HTTP_PORT },
      ],
      sslPolicy: AZURE_SSL_POLICIES[props.minTlsVersion],
      sslCertificate: [{ name: names.certificate, keyVaultSecretId: certificateId }],
      httpListener: [
        { name: names.https, frontendIpConfigurationName: names.frontend, frontendPortName: names.https, protocol: "Https", sslCertificateName: names.certificate },
        { name: names.http, frontendIpConfigurationName: names.frontend, frontendPortName: names.http, protocol: "Http" },
      ],
      backendAddressPool: [{ name: names.pool }],
      probe: [
        {
          name: names.probe,
          protocol: "Https",
          // The probe sends the backend settings' host name where there is one (see backendHost), else localhost.
          ...(backendHost ? { pickHostNameFromBackendHttpSettings: true } : { host: "localhost" }),
          path: INGRESS_HEALTH_PATH,
          interval: 15,
          timeout: 10,
          unhealthyThreshold: 3,
          match: { statusCode: ["200-399"] },
        },
      ],
      backendHttpSettings: [
        {
          name: names.settings,
          port: props.cluster.ingress.nodePort,
          protocol: "Https",
          cookieBasedAffinity: "Disabled",
          requestTimeout: 30,
          probeName: names.probe,
          ...(backendHost ? { hostName: backendHost } : {}),
        },
      ],
      redirectConfiguration: [{ name: names.redirect, redirectType: "Permanent", targetListenerName: names.https, includePath: true, includeQueryString: true }],
      requestRoutingRule: [
        { name: names.https, ruleType: "Basic", priority: 100, httpListenerName: names.https, backendAddressPoolName: names.pool, backendHttpSettingsName: names.settings },
        { name: names.redirect, ruleType: "Basic", priority: 200, httpListenerName: names.http, redirectConfigurationName: names.redirect },
      ],
      // The gateway fetches the certificate at creation: the grant and the private path to the vault come first.
      dependsOn: [readCertificate, vaultEndpoint],
      ...protect,
    });
    if (props.deletionProtection) {
      new ManagementLock(this, "delete-lock", { name: `${name}-no-delete`, scope: this.gateway.id, lockLevel: "CanNotDelete", notes: "The public entry point of a production-shaped environment" });
    }
    this.logs(props, name, placed);
    this.outputs = { address: address.ipAddress, certificateValidationRecords: "[]", identity: this.identity.principalId, backendId: `${this.gateway.id}/backendAddressPools/${names.pool}`, metricScopes: [{ resourceId: this.gateway.id }] };
  }

  /**
   * The vault refuses public network access: the gateway reaches it through a private endpoint
   * in the network, and resolves the vault's name to it through Key Vault's private DNS zone
   * linked to the network (Application Gateway uses the virtual network's DNS).
   */
  private vaultEndpoint(input: AzureEdgeProps, name: string, placed: { location: string; resourceGroupName: string; tags: Readonly<Record<string, string>> }): PrivateEndpoint {
    const { resourceGroupName, tags } = placed;
    const zone = new PrivateDnsZone(this, "vault-dns-zone", { name: KEY_VAULT_PRIVATE_DNS_ZONE, resourceGroupName, tags });
    const link = new PrivateDnsZoneVirtualNetworkLink(this, "vault-dns-link", {
      name: `${name}-vault`,
      resourceGroupName,
      privateDnsZoneName: zone.name,
      virtualNetworkId: input.networkId,
      registrationEnabled: false,
      tags,
    });
    return new PrivateEndpoint(this, "vault-endpoint", {
      name: `${name}-vault`,
      ...placed,
      subnetId: input.vaultEndpointSubnetId,
      privateServiceConnection: { name: `${name}-vault`, privateConnectionResourceId: input.keyVaultId, subresourceNames: [KEY_VAULT_SUBRESOURCE], isManualConnection: false },
      privateDnsZoneGroup: { name: "vault", privateDnsZoneIds: [zone.id] },
      dependsOn: [link],
    });
  }

  /** Access and firewall logs to a workspace of their own, kept for the environment's retention. */
  private logs(props: ResolvedEdgeProps, name: string, placed: { location: string; resourceGroupName: string; tags: Readonly<Record<string, string>> }): void {
    const workspace = new LogAnalyticsWorkspace(this, "logs", {
      name,
      ...placed,
      sku: "PerGB2018",
      retentionInDays: props.logRetentionDays,
      localAuthenticationEnabled: false,
    });
    new MonitorDiagnosticSetting(this, "gateway-logs", {
      name: "access-and-firewall",
      targetResourceId: this.gateway.id,
      logAnalyticsWorkspaceId: workspace.id,
      logAnalyticsDestinationType: "Dedicated",
      enabledLog: [{ category: "ApplicationGatewayAccessLog" }, { category: "ApplicationGatewayFirewallLog" }],
    });
  }
}

/**
 * The role assignment scope of the certificate's secret: `<vault id>/secrets/<name>`, the name
 * taken from the secret id (`https://<vault>.vault.azure.net/secrets/<name>[/<version>]`).
 */
export function certificateSecretScope(keyVaultId: string, secretId: string): string {
  return `${keyVaultId}/secrets/${Fn.element(Fn.split("/", secretId), 4)}`;
}

/**
 * The host name the gateway sends (and checks the ingress's certificate against) on its HTTPS
 * backend: Application Gateway v2 validates the backend certificate's name, and without a host
 * name it would send the node's IP address. The first domain that is not a wildcard; none without one.
 */
export function backendHostName(domains: readonly string[]): string | undefined {
  return domains.find((domain) => !domain.startsWith("*."));
}
