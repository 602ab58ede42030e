import { Construct } from "constructs";
import { CoreNetworkSecurityGroup } from "../../.gen/providers/oci/core-network-security-group";
import { CoreNetworkSecurityGroupSecurityRule, type CoreNetworkSecurityGroupSecurityRuleConfig } from "../../.gen/providers/oci/core-network-security-group-security-rule";
import { LoadBalancerBackendSet } from "../../.gen/providers/oci/load-balancer-backend-set";
import { LoadBalancerListener } from "../../.gen/providers/oci/load-balancer-listener";
import { LoadBalancerLoadBalancer } from "../../.gen/providers/oci/load-balancer-load-balancer";
import { LoadBalancerRuleSet } from "../../.gen/providers/oci/load-balancer-rule-set";
import { LoggingLog } from "../../.gen/providers/oci/logging-log";
import { LoggingLogGroup } from "../../.gen/providers/oci/logging-log-group";
import { WafWebAppFirewall } from "../../.gen/providers/oci/waf-web-app-firewall";
import { WafWebAppFirewallPolicy } from "../../.gen/providers/oci/waf-web-app-firewall-policy";
import {
  edgeName,
  HTTP_PORT,
  HTTPS_PORT,
  resolveEdgeProps,
  storedCertificate,
  type Edge,
  type EdgeOutputs,
  type EdgeProps,
  type MinTlsVersion,
  type ResolvedEdgeProps,
} from "./contract";

export interface OciEdgeProps extends EdgeProps {
  /** The environment's compartment, which holds every resource of the edge. */
  readonly compartmentId: string;
}

/** TLS protocols and the predefined cipher suite that offers them, per floor. */
export const OCI_TLS: Readonly<Record<MinTlsVersion, { protocols: string[]; cipherSuite: string }>> = {
  "1.2": { protocols: ["TLSv1.2", "TLSv1.3"], cipherSuite: "oci-default-http2-tls-12-13-ssl-cipher-suite-v1" },
  "1.3": { protocols: ["TLSv1.3"], cipherSuite: "oci-tls-13-recommended-ssl-cipher-suite-v1" },
};

/** OCI WAF's collaborative protection group (OWASP-style request inspection, scored across its member rules). */
export const OCI_PROTECTION_CAPABILITIES = [{ key: "9300000", version: 1 }] as const;

// Flexible shape bandwidth (Mbps): the minimum is always available, the maximum caps the bill.
const BANDWIDTH = { min: 10, max: 100 } as const;
const TCP = "6";
const BACKEND_SET = "ingress";
const REDIRECT_RULE_SET = "http_to_https";

/**
 * Oracle Cloud: a public flexible load balancer in the network's public subnet with its own
 * NSG (HTTPS and HTTP in, the cluster's ingress port out to the nodes' NSG and nothing else),
 * delete protection in prod; an HTTPS listener with TLS 1.2/1.3 and a certificate from the
 * Certificates service; a listener on 80 whose rule set only redirects; a backend set with
 * a TCP health check on the ingress port; an OCI WAF policy (the collaborative protection
 * group, blocking in prevention, logging in detection) attached to the load balancer; access
 * and error logs kept for the retention.
 */
export class OciEdge extends Construct implements Edge {
  readonly outputs: EdgeOutputs;
  readonly loadBalancer: LoadBalancerLoadBalancer;
  readonly securityGroup: CoreNetworkSecurityGroup;
  readonly firewall: WafWebAppFirewall;

  constructor(scope: Construct, id: string, input: OciEdgeProps) {
    super(scope, id);
    const props = resolveEdgeProps(input);
    const { compartmentId } = input;
    const name = edgeName(props);
    const freeformTags = { ...props.tags };

    this.securityGroup = this.networkSecurityGroup(props, compartmentId, name);
    this.loadBalancer = new LoadBalancerLoadBalancer(this, "load-balancer", {
      compartmentId,
      displayName: name,
      shape: "flexible",
      shapeDetails: { minimumBandwidthInMbps: BANDWIDTH.min, maximumBandwidthInMbps: BANDWIDTH.max },
      subnetIds: [...props.publicSubnetIds],
      isPrivate: false,
      networkSecurityGroupIds: [this.securityGroup.id],
      isDeleteProtectionEnabled: props.deletionProtection,
      freeformTags,
      ...(props.deletionProtection ? { lifecycle: { preventDestroy: true } } : {}),
    });
    const loadBalancerId = this.loadBalancer.id;

    const backendSet = new LoadBalancerBackendSet(this, "backend-set", {
      loadBalancerId,
      name: BACKEND_SET,
      policy: "ROUND_ROBIN",
      healthChecker: { protocol: "TCP", port: props.cluster.ingress.nodePort, intervalMs: 10000, timeoutInMillis: 3000, retries: 3 },
      // The ingress serves TLS on its NodePort; the load balancer re-encrypts without pinning its certificate.
      sslConfiguration: { protocols: OCI_TLS["1.2"].protocols, cipherSuiteName: OCI_TLS["1.2"].cipherSuite, verifyPeerCertificate: false },
    });
    const tls = OCI_TLS[props.minTlsVersion];
    new LoadBalancerListener(this, "https", {
      loadBalancerId,
      name: "https",
      port: HTTPS_PORT,
      protocol: "HTTP",
      defaultBackendSetName: backendSet.name,
      sslConfiguration: {
        certificateIds: [storedCertificate(this, "OCID of a certificate in the OCI Certificates service")],
        protocols: tls.protocols,
        cipherSuiteName: tls.cipherSuite,
        serverOrderPreference: "ENABLED",
        verifyPeerCertificate: false,
      },
    });
    const redirect = new LoadBalancerRuleSet(this, "http-redirect", {
      loadBalancerId,
      name: REDIRECT_RULE_SET,
      items: [
        {
          action: "REDIRECT",
          description: "Every plain HTTP request to HTTPS",
          responseCode: 301,
          conditions: [{ attributeName: "PATH", attributeValue: "/", operator: "PREFIX_MATCH" }],
          redirectUri: { protocol: "HTTPS", port: HTTPS_PORT, host: "{host}", path: "{path}", query: "{query}" },
        },
      ],
    });
    new LoadBalancerListener(this, "http-redirect-listener", {
      loadBalancerId,
      name: "http",
      port: HTTP_PORT,
      protocol: "HTTP",
      defaultBackendSetName: backendSet.name,
      ruleSetNames: [redirect.name],
    });

    this.firewall = this.webAppFirewall(props, compartmentId, name, freeformTags);
    this.logs(props, compartmentId, name, freeformTags);
    this.outputs = { address: this.loadBalancer.ipAddressDetails.get(0).ipAddress, certificateValidationRecords: "[]", identity: "", backendId: backendSet.name, metricScopes: [{ resourceId: this.loadBalancer.id }] };
  }

  /** The load balancer's NSG: HTTPS and HTTP from anywhere; out only to the nodes' NSG on the ingress port; the nodes admit it there. */
  private networkSecurityGroup(props: ResolvedEdgeProps, compartmentId: string, name: string): CoreNetworkSecurityGroup {
    const group = new CoreNetworkSecurityGroup(this, "security-group", { compartmentId, vcnId: props.networkId, displayName: name, freeformTags: { ...props.tags } });
    type Rule = Omit<CoreNetworkSecurityGroupSecurityRuleConfig, "networkSecurityGroupId" | "stateless" | "protocol">;
    const rule = (id: string, networkSecurityGroupId: string, spec: Rule) =>
      new CoreNetworkSecurityGroupSecurityRule(this, id, { networkSecurityGroupId, stateless: false, protocol: TCP, ...spec });
    for (const port of [HTTPS_PORT, HTTP_PORT]) {
      rule(`from-internet-${port}`, group.id, {
        direction: "INGRESS",
        source: "0.0.0.0/0",
        sourceType: "CIDR_BLOCK",
        description: port === HTTPS_PORT ? "HTTPS from the internet" : "HTTP from the internet, redirected to HTTPS",
        tcpOptions: { destinationPortRange: { min: port, max: port } },
      });
    }
    const { nodePort } = props.cluster.ingress;
    const ingressPort = { destinationPortRange: { min: nodePort, max: nodePort } };
    props.cluster.nodeAccess.securityGroupIds.forEach((nodes, i) => {
      rule(`to-ingress-${i}`, group.id, { direction: "EGRESS", destination: nodes, destinationType: "NETWORK_SECURITY_GROUP", description: "To the cluster's ingress", tcpOptions: ingressPort });
      rule(`ingress-from-edge-${i}`, nodes, { direction: "INGRESS", source: group.id, sourceType: "NETWORK_SECURITY_GROUP", description: "The cluster's ingress, from the public edge only", tcpOptions: ingressPort });
    });
    return group;
  }

  /** The WAF policy: the collaborative protection group blocks with 403 (prevention) or only logs (detection). */
  private webAppFirewall(props: ResolvedEdgeProps, compartmentId: string, name: string, freeformTags: Record<string, string>): WafWebAppFirewall {
    const policy = new WafWebAppFirewallPolicy(this, "waf-policy", {
      compartmentId,
      displayName: name,
      actions: [
        { name: "allow", type: "ALLOW" },
        { name: "log-only", type: "CHECK" },
        { name: "block", type: "RETURN_HTTP_RESPONSE", code: 403, body: { type: "STATIC_TEXT", text: "Forbidden" } },
      ],
      requestProtection: {
        rules: [
          {
            name: "owasp-collaborative",
            type: "PROTECTION",
            actionName: props.wafMode === "prevention" ? "block" : "log-only",
            isBodyInspectionEnabled: true,
            protectionCapabilities: OCI_PROTECTION_CAPABILITIES.map((capability) => ({ ...capability })),
          },
        ],
      },
      freeformTags,
    });
    return new WafWebAppFirewall(this, "waf", {
      compartmentId,
      displayName: name,
      backendType: "LOAD_BALANCER",
      loadBalancerId: this.loadBalancer.id,
      webAppFirewallPolicyId: policy.id,
      freeformTags,
    });
  }

  /** Access and error logs of the load balancer, and the WAF's log, kept for the environment's retention. */
  private logs(props: ResolvedEdgeProps, compartmentId: string, name: string, freeformTags: Record<string, string>): void {
    const group = new LoggingLogGroup(this, "log-group", { compartmentId, displayName: `${name}-logs`, description: `Access, error and WAF logs of ${name}`, freeformTags });
    const sources = [
      { id: "access", service: "loadbalancer", category: "access", resource: this.loadBalancer.id },
      { id: "error", service: "loadbalancer", category: "error", resource: this.loadBalancer.id },
      { id: "waf", service: "waf", category: "all", resource: this.firewall.id },
    ];
    for (const source of sources) {
      new LoggingLog(this, `${source.id}-log`, {
        displayName: `${name}-${source.id}`,
        logGroupId: group.id,
        logType: "SERVICE",
        isEnabled: true,
        retentionDuration: props.logRetentionDays,
        configuration: { compartmentId, source: { category: source.category, resource: source.resource, service: source.service, sourceType: "OCISERVICE" } },
        freeformTags,
      });
    }
  }
}
