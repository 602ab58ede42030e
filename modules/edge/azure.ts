import { ApplicationGateway, type ApplicationGatewaySslPolicy } from "@cdktf/provider-azurerm/lib/application-gateway";
import { LogAnalyticsWorkspace } from "@cdktf/provider-azurerm/lib/log-analytics-workspace";
import { ManagementLock } from "@cdktf/provider-azurerm/lib/management-lock";
import { MonitorDiagnosticSetting } from "@cdktf/provider-azurerm/lib/monitor-diagnostic-setting";
import { PublicIp } from "@cdktf/provider-azurerm/lib/public-ip";
import { ResourceGroup } from "@cdktf/provider-azurerm/lib/resource-group";
import { RoleAssignment } from "@cdktf/provider-azurerm/lib/role-assignment";
import { UserAssignedIdentity } from "@cdktf/provider-azurerm/lib/user-assigned-identity";
import { WebApplicationFirewallPolicy } from "@cdktf/provider-azurerm/lib/web-application-firewall-policy";
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
}

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

/** Lets the gateway's identity read certificates (as secrets) from Key Vault, and nothing else. */
export const KEY_VAULT_SECRETS_USER = "Key Vault Secrets User";
// Capacity units: two keep a zone-redundant gateway up; ten absorb a burst without a manual change.
const AUTOSCALE = { min: 2, max: 10 } as const;

/**
 * Azure: an Application Gateway v2 (WAF_v2) across the zones in the network's first public
 * subnet (the gateway's own: nothing else is placed there), autoscaling, on a zonal static
 * public IP; a WAF policy of OWASP 3.2 and bot rules (prevention, or detection in dev);
 * the certificate read from the environment's Key Vault through a user-assigned identity
 * allowed only to read secrets; a modern predefined TLS policy; an HTTPS listener, a
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
    const readCertificate = new RoleAssignment(this, "identity-reads-certificate", {
      scope: input.keyVaultId,
      roleDefinitionName: KEY_VAULT_SECRETS_USER,
      principalId: this.identity.principalId,
      principalType: "ServicePrincipal",
    });
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
      sslCertificate: [{ name: names.certificate, keyVaultSecretId: storedCertificate(this, "versionless secret id of a certificate in the environment's Key Vault") }],
      httpListener: [
        { name: names.https, frontendIpConfigurationName: names.frontend, frontendPortName: names.https, protocol: "Https", sslCertificateName: names.certificate },
        { name: names.http, frontendIpConfigurationName: names.frontend, frontendPortName: names.http, protocol: "Http" },
      ],
      backendAddressPool: [{ name: names.pool }],
      probe: [
        {
          name: names.probe,
          protocol: "Https",
          host: "localhost",
          path: INGRESS_HEALTH_PATH,
          interval: 15,
          timeout: 10,
          unhealthyThreshold: 3,
          match: { statusCode: ["200-399"] },
        },
      ],
      backendHttpSettings: [
        { name: names.settings, port: props.cluster.ingress.nodePort, protocol: "Https", cookieBasedAffinity: "Disabled", requestTimeout: 30, probeName: names.probe },
      ],
      redirectConfiguration: [{ name: names.redirect, redirectType: "Permanent", targetListenerName: names.https, includePath: true, includeQueryString: true }],
      requestRoutingRule: [
        { name: names.https, ruleType: "Basic", priority: 100, httpListenerName: names.https, backendAddressPoolName: names.pool, backendHttpSettingsName: names.settings },
        { name: names.redirect, ruleType: "Basic", priority: 200, httpListenerName: names.http, redirectConfigurationName: names.redirect },
      ],
      dependsOn: [readCertificate],
      ...protect,
    });
    if (props.deletionProtection) {
      new ManagementLock(this, "delete-lock", { name: `${name}-no-delete`, scope: this.gateway.id, lockLevel: "CanNotDelete", notes: "The public entry point of a production-shaped environment" });
    }
    this.logs(props, name, placed);
    this.outputs = { address: address.ipAddress, certificateValidationRecords: "[]", identity: this.identity.principalId, backendId: `${this.gateway.id}/backendAddressPools/${names.pool}`, metricScopes: [{ resourceId: this.gateway.id }] };
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
