import { ComputeBackendService } from "@cdktf/provider-google/lib/compute-backend-service";
import { ComputeFirewall } from "@cdktf/provider-google/lib/compute-firewall";
import { ComputeGlobalAddress } from "@cdktf/provider-google/lib/compute-global-address";
import { ComputeGlobalForwardingRule } from "@cdktf/provider-google/lib/compute-global-forwarding-rule";
import { ComputeHealthCheck } from "@cdktf/provider-google/lib/compute-health-check";
import { ComputeInstanceGroupNamedPortA } from "@cdktf/provider-google/lib/compute-instance-group-named-port";
import { ComputeManagedSslCertificate } from "@cdktf/provider-google/lib/compute-managed-ssl-certificate";
import { ComputeSecurityPolicy, type ComputeSecurityPolicyRule } from "@cdktf/provider-google/lib/compute-security-policy";
import { ComputeSslPolicy } from "@cdktf/provider-google/lib/compute-ssl-policy";
import { ComputeTargetHttpProxy } from "@cdktf/provider-google/lib/compute-target-http-proxy";
import { ComputeTargetHttpsProxy } from "@cdktf/provider-google/lib/compute-target-https-proxy";
import { ComputeUrlMap } from "@cdktf/provider-google/lib/compute-url-map";
import { TerraformResource } from "cdktf";
import { Construct } from "constructs";
import { createHash } from "node:crypto";
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
  type ResolvedEdgeProps,
} from "./contract";
import { gapError } from "./gaps";
import { enableGcpServices } from "../shared/gcp-services";

export interface GcpEdgeProps extends EdgeProps {
  /** Google Cloud project the load balancer lives in. */
  readonly project: string;
}

/** Where Google's front ends and health checkers connect from (the load balancer's proxies included). */
export const GOOGLE_FRONT_END_RANGES = ["35.191.0.0/16", "130.211.0.0/22"] as const;

/** Cloud Armor's preconfigured WAF rules (OWASP CRS 3.3), sensitivity 1: the ones with the fewest false positives. */
export const GCP_WAF_RULES = [
  "sqli-v33-stable",
  "xss-v33-stable",
  "lfi-v33-stable",
  "rfi-v33-stable",
  "rce-v33-stable",
  "methodenforcement-v33-stable",
  "scannerdetection-v33-stable",
  "protocolattack-v33-stable",
  "sessionfixation-v33-stable",
] as const;

/** Every signature of Cloud Armor's cve-canary set (Log4Shell), at every sensitivity. */
export const GCP_LOG4J_EXPRESSION = "evaluatePreconfiguredExpr('cve-canary')";

/** The port name the backend service reaches the instance groups through. */
export const GCP_INGRESS_PORT_NAME = "ingress";
// Cloud Armor's default rule always has the lowest priority.
const DEFAULT_RULE_PRIORITY = 2147483647;
const FIRST_WAF_PRIORITY = 1000;

/**
 * Google Cloud: a global external Application Load Balancer (`EXTERNAL_MANAGED`) on a
 * reserved global address; a Google-managed certificate (named after its domains, created
 * before the old one is destroyed), an SSL policy with a TLS 1.2 floor and the RESTRICTED
 * profile, an HTTPS proxy and URL map to a backend service with request logging and a Cloud
 * Armor policy (preconfigured WAF rules, adaptive protection); an HTTP proxy whose URL map
 * only redirects to HTTPS; and the firewall rule that lets Google's front ends and health
 * checkers reach the nodes on the ingress port, and nothing else.
 */
export class GcpEdge extends Construct implements Edge {
  readonly outputs: EdgeOutputs;
  readonly address: ComputeGlobalAddress;
  readonly backendService: ComputeBackendService;
  readonly securityPolicy: ComputeSecurityPolicy;

  constructor(scope: Construct, id: string, input: GcpEdgeProps) {
    super(scope, id);
    const props = resolveEdgeProps(input);
    if (props.minTlsVersion !== "1.2") throw gapError("gcpTls13Floor");
    const { project } = input;
    const name = edgeName(props);
    const apis = enableGcpServices(this, project, ["compute.googleapis.com"]);
    const protect = props.deletionProtection ? { lifecycle: { preventDestroy: true } } : {};

    this.address = new ComputeGlobalAddress(this, "address", { project, name, addressType: "EXTERNAL", ipVersion: "IPV4", labels: props.tags, dependsOn: apis, ...protect });
    this.securityPolicy = this.firewallPolicy(props, project, name);
    this.backendService = this.backend(props, project, name);
    this.allowFrontEnds(props, project, name);

    const https = new ComputeUrlMap(this, "https-url-map", { project, name, defaultService: this.backendService.id });
    const sslPolicy = new ComputeSslPolicy(this, "ssl-policy", { project, name, minTlsVersion: "TLS_1_2", profile: "RESTRICTED" });
    const httpsProxy = new ComputeTargetHttpsProxy(this, "https-proxy", {
      project,
      name,
      urlMap: https.id,
      sslCertificates: [this.certificate(props, project, name)],
      sslPolicy: sslPolicy.id,
    });
    this.forwardingRule("https", props, project, `${name}-https`, HTTPS_PORT, httpsProxy.id);

    const redirect = new ComputeUrlMap(this, "http-redirect-url-map", {
      project,
      name: `${name}-http-redirect`,
      defaultUrlRedirect: { httpsRedirect: true, stripQuery: false, redirectResponseCode: "MOVED_PERMANENTLY_DEFAULT" },
    });
    const httpProxy = new ComputeTargetHttpProxy(this, "http-redirect-proxy", { project, name: `${name}-http-redirect`, urlMap: redirect.id });
    this.forwardingRule("http", props, project, `${name}-http`, HTTP_PORT, httpProxy.id);

    // Everything here is created through the Compute API: nothing may start before it is enabled.
    for (const child of this.node.children) {
      if (child instanceof TerraformResource && child !== this.address) child.dependsOn = [...(child.dependsOn ?? []), ...apis.map((api) => api.fqn)];
    }
    this.outputs = {
      address: this.address.address,
      certificateValidationRecords: "[]",
      identity: "",
      backendId: this.backendService.id,
      metricScopes: [{ backend_target_name: this.backendService.name }],
    };
  }

  private forwardingRule(id: string, props: ResolvedEdgeProps, project: string, name: string, port: number, target: string): void {
    new ComputeGlobalForwardingRule(this, `${id}-forwarding-rule`, {
      project,
      name,
      loadBalancingScheme: "EXTERNAL_MANAGED",
      ipProtocol: "TCP",
      ipAddress: this.address.id,
      portRange: String(port),
      target,
      labels: props.tags,
    });
  }

  /**
   * Google-managed, validated by the domains' DNS pointing at the address. The name carries a
   * hash of the domains: a change creates the new certificate before the proxy lets go of the old.
   */
  private certificate(props: ResolvedEdgeProps, project: string, name: string): string {
    if (props.domains.length === 0) {
      return storedCertificate(this, "id of a Compute Engine SSL certificate (self-managed upload), used until the environment names domains");
    }
    const hash = createHash("sha256").update(props.domains.join(",")).digest("hex").slice(0, 8);
    return new ComputeManagedSslCertificate(this, "certificate", {
      project,
      name: `${name}-${hash}`,
      managed: { domains: [...props.domains] },
      lifecycle: { createBeforeDestroy: true },
    }).id;
  }

  /**
   * Cloud Armor: each preconfigured rule denies (prevention) or only logs in preview (detection),
   * then the Log4Shell signatures (CVE-2021-44228, every one of the cve-canary set); adaptive protection on.
   */
  private firewallPolicy(props: ResolvedEdgeProps, project: string, name: string): ComputeSecurityPolicy {
    const preview = props.wafMode === "detection";
    const deny = (priority: number, description: string, expression: string): ComputeSecurityPolicyRule => ({ priority, action: "deny(403)", preview, description, match: { expr: { expression } } });
    const rules: ComputeSecurityPolicyRule[] = [
      ...GCP_WAF_RULES.map((rule, i) => deny(FIRST_WAF_PRIORITY + i, `Preconfigured WAF rule ${rule}`, `evaluatePreconfiguredWaf('${rule}', {'sensitivity': 1})`)),
      deny(FIRST_WAF_PRIORITY + GCP_WAF_RULES.length, "Log4Shell (CVE-2021-44228) and the other cve-canary signatures", GCP_LOG4J_EXPRESSION),
    ];
    return new ComputeSecurityPolicy(this, "security-policy", {
      project,
      name,
      description: "Preconfigured WAF rules in front of the public edge",
      type: "CLOUD_ARMOR",
      adaptiveProtectionConfig: { layer7DdosDefenseConfig: { enable: true } },
      rule: [
        ...rules,
        {
          priority: DEFAULT_RULE_PRIORITY,
          action: "allow",
          description: "Everything the rules above do not deny",
          match: { versionedExpr: "SRC_IPS_V1", config: { srcIpRanges: ["*"] } },
        },
      ],
    });
  }

  /**
   * The workload pool's instance groups (one per zone, from the cluster), each given the named
   * port `ingress` = the ingress NodePort, which the backend service reaches them through;
   * health-checked on that port, every request logged.
   */
  private backend(props: ResolvedEdgeProps, project: string, name: string): ComputeBackendService {
    const { nodePort, nodeGroupIds } = props.cluster.ingress;
    if (nodeGroupIds.length === 0) throw new Error("edge (gcp): the cluster gives no instance group for its ingress; the backend service would have no backend");
    const healthCheck = new ComputeHealthCheck(this, "health-check", {
      project,
      name,
      httpsHealthCheck: { port: nodePort, requestPath: INGRESS_HEALTH_PATH },
      logConfig: { enable: true },
    });
    // GKE owns the groups; this sets one named port on each without managing the group (zone read from its URL).
    const namedPorts = nodeGroupIds.map((group, i) => new ComputeInstanceGroupNamedPortA(this, `ingress-named-port-${i}`, { project, group, name: GCP_INGRESS_PORT_NAME, port: nodePort }));
    return new ComputeBackendService(this, "backend-service", {
      project,
      name,
      loadBalancingScheme: "EXTERNAL_MANAGED",
      protocol: "HTTPS",
      portName: GCP_INGRESS_PORT_NAME,
      healthChecks: [healthCheck.id],
      securityPolicy: this.securityPolicy.id,
      logConfig: { enable: true, sampleRate: 1 },
      backend: nodeGroupIds.map((group) => ({ group, balancingMode: "UTILIZATION", capacityScaler: 1 })),
      dependsOn: namedPorts,
    });
  }

  /** Only Google's front ends reach the nodes, only on the ingress port, only nodes with the cluster's tag. */
  private allowFrontEnds(props: ResolvedEdgeProps, project: string, name: string): ComputeFirewall {
    const { nodePort } = props.cluster.ingress;
    const { networkTags } = props.cluster.nodeAccess;
    if (networkTags.length === 0) {
      throw new Error(`edge (gcp): the cluster gives no node network tag; without one the firewall rule would open port ${nodePort} on every instance of the network`);
    }
    return new ComputeFirewall(this, "allow-front-ends", {
      project,
      name: `${name}-to-ingress`,
      network: props.networkId,
      description: "Google's load balancer front ends and health checkers to the cluster's ingress",
      direction: "INGRESS",
      priority: 1000,
      sourceRanges: [...GOOGLE_FRONT_END_RANGES],
      targetTags: [...networkTags],
      allow: [{ protocol: "tcp", ports: [String(nodePort)] }],
      logConfig: { metadata: "INCLUDE_ALL_METADATA" },
    });
  }
}
