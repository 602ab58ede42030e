import { Construct } from "constructs";
import { IamAuthorizationPolicy } from "../../.gen/providers/ibm/iam-authorization-policy";
import { IsLb } from "../../.gen/providers/ibm/is-lb";
import { IsLbListener } from "../../.gen/providers/ibm/is-lb-listener";
import { IsLbPool } from "../../.gen/providers/ibm/is-lb-pool";
import { IsSecurityGroup } from "../../.gen/providers/ibm/is-security-group";
import { IsSecurityGroupRule } from "../../.gen/providers/ibm/is-security-group-rule";
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
import { keyValueTags } from "../shared/tags";

export interface IbmEdgeProps extends EdgeProps {
  readonly resourceGroupId: string;
  /** GUID of the environment's Secrets Manager instance (modules/keys), which holds the certificate. */
  readonly secretsManagerGuid: string;
}

/** What the load balancer service may do in Secrets Manager: read the certificate, nothing else. */
export const IBM_CERTIFICATE_ROLE = "SecretsReader";

/**
 * IBM Cloud: a public VPC application load balancer in the network's public subnets with
 * its own security group (HTTPS and HTTP in; out only to the workers' security group on the
 * ingress port, which admits it there) and datapath logging; an HTTPS listener with a
 * certificate from Secrets Manager, which the load balancer service is authorized to read;
 * a listener on 80 that only redirects; a pool with HTTPS health checks on the ingress port.
 * No WAF and no TLS setting at 2.5.0: see the declared gaps.
 */
export class IbmEdge extends Construct implements Edge {
  readonly outputs: EdgeOutputs;
  readonly loadBalancer: IsLb;
  readonly securityGroup: IsSecurityGroup;
  readonly pool: IsLbPool;

  constructor(scope: Construct, id: string, input: IbmEdgeProps) {
    super(scope, id);
    const props = resolveEdgeProps(input);
    if (props.minTlsVersion !== "1.2") throw gapError("ibmTlsPolicy");
    const { resourceGroupId } = input;
    const name = edgeName(props);

    const readCertificate = new IamAuthorizationPolicy(this, "load-balancer-reads-certificate", {
      sourceServiceName: "is",
      sourceResourceType: "load-balancer",
      sourceResourceGroupId: resourceGroupId,
      targetServiceName: "secrets-manager",
      targetResourceInstanceId: input.secretsManagerGuid,
      roles: [IBM_CERTIFICATE_ROLE],
      description: `Load balancers of ${props.name} read their certificates from ${props.name}'s Secrets Manager`,
    });
    this.securityGroup = this.loadBalancerSecurityGroup(props, resourceGroupId, name);
    this.loadBalancer = new IsLb(this, "load-balancer", {
      name,
      type: "public",
      subnets: [...props.publicSubnetIds],
      securityGroups: [this.securityGroup.id],
      logging: true,
      resourceGroup: resourceGroupId,
      tags: keyValueTags(props.tags),
      ...(props.deletionProtection ? { lifecycle: { preventDestroy: true } } : {}),
    });
    const lb = this.loadBalancer.id;
    const { nodePort } = props.cluster.ingress;
    this.pool = new IsLbPool(this, "pool", {
      lb,
      name: "ingress",
      algorithm: "round_robin",
      protocol: "https",
      healthType: "https",
      healthMonitorUrl: INGRESS_HEALTH_PATH,
      healthMonitorPort: nodePort,
      healthDelay: 10,
      healthRetries: 3,
      healthTimeout: 5,
    });
    const https = new IsLbListener(this, "https", {
      lb,
      port: HTTPS_PORT,
      protocol: "https",
      certificateInstance: storedCertificate(this, "CRN of a certificate in the environment's Secrets Manager"),
      defaultPool: this.pool.poolId,
      dependsOn: [readCertificate],
    });
    new IsLbListener(this, "http-redirect", {
      lb,
      port: HTTP_PORT,
      protocol: "http",
      httpsRedirect: { httpStatusCode: 301, listener: { id: https.listenerId } },
    });
    this.outputs = { address: this.loadBalancer.hostname, certificateValidationRecords: "[]", identity: "", backendId: this.pool.id };
  }

  /** HTTPS and HTTP from anywhere; out only to the workers on the ingress port; the workers admit the load balancer there. */
  private loadBalancerSecurityGroup(props: ResolvedEdgeProps, resourceGroupId: string, name: string): IsSecurityGroup {
    const group = new IsSecurityGroup(this, "security-group", { name, vpc: props.networkId, resourceGroup: resourceGroupId, tags: keyValueTags(props.tags) });
    const { nodePort } = props.cluster.ingress;
    for (const port of [HTTPS_PORT, HTTP_PORT]) {
      new IsSecurityGroupRule(this, `from-internet-${port}`, { group: group.id, direction: "inbound", remote: "0.0.0.0/0", protocol: "tcp", portMin: port, portMax: port });
    }
    props.cluster.nodeAccess.securityGroupIds.forEach((nodes, i) => {
      new IsSecurityGroupRule(this, `to-ingress-${i}`, { group: group.id, direction: "outbound", remote: nodes, protocol: "tcp", portMin: nodePort, portMax: nodePort });
      new IsSecurityGroupRule(this, `ingress-from-edge-${i}`, { group: nodes, direction: "inbound", remote: group.id, protocol: "tcp", portMin: nodePort, portMax: nodePort });
    });
    return group;
  }
}
