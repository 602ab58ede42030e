import { Construct } from "constructs";
import { CoreDefaultSecurityList } from "../../.gen/providers/oci/core-default-security-list";
import { CoreInternetGateway } from "../../.gen/providers/oci/core-internet-gateway";
import { CoreNatGateway } from "../../.gen/providers/oci/core-nat-gateway";
import { CoreRouteTable, type CoreRouteTableRouteRules } from "../../.gen/providers/oci/core-route-table";
import { CoreSecurityList, type CoreSecurityListIngressSecurityRules } from "../../.gen/providers/oci/core-security-list";
import { CoreServiceGateway } from "../../.gen/providers/oci/core-service-gateway";
import { CoreSubnet } from "../../.gen/providers/oci/core-subnet";
import { CoreVcn } from "../../.gen/providers/oci/core-vcn";
import { DataOciCoreServices } from "../../.gen/providers/oci/data-oci-core-services";
import { LoggingLog } from "../../.gen/providers/oci/logging-log";
import { LoggingLogGroup } from "../../.gen/providers/oci/logging-log-group";
import {
  networkOutputs,
  resolveNetworkProps,
  type Network,
  type NetworkOutputs,
  type NetworkProps,
  type ResolvedNetworkProps,
} from "./contract";
import { publicIngressRules, type ProtocolSpelling } from "./ingress";
import { regionalSubnetPlan } from "./subnet-plan";

export interface OciNetworkProps extends NetworkProps {
  /** The environment's compartment (created once, before the keys), which holds every resource of the network. */
  readonly compartmentId: string;
}

// OCI's security rules spell protocols as IANA numbers, or `all`.
const PROTOCOL_NUMBERS: ProtocolSpelling = { tcp: "6", udp: "17" };
const ALL_PROTOCOLS = "all";

/**
 * Oracle Cloud: in the environment's compartment, a VCN with a regional public and private subnet
 * (the private one refuses public IPs and internet ingress), internet, NAT and service
 * gateways with a route table per tier, security lists that allow only the VCN and the
 * declared ingress, the VCN's default security list emptied, and subnet flow logs in the
 * Logging service. OCI's NAT gateway is a regional, highly available service: one per
 * VCN serves every availability domain, whatever the strategy.
 */
export class OciNetwork extends Construct implements Network {
  readonly outputs: NetworkOutputs;
  readonly compartmentId: string;
  readonly vcn: CoreVcn;

  constructor(scope: Construct, id: string, input: OciNetworkProps) {
    super(scope, id);
    const props = resolveNetworkProps(input);
    const freeformTags = { ...props.tags };
    const plan = regionalSubnetPlan(props.cidr);

    this.compartmentId = input.compartmentId;
    const compartmentId = this.compartmentId;
    this.vcn = new CoreVcn(this, "vcn", {
      compartmentId,
      cidrBlocks: [props.cidr],
      displayName: props.name,
      dnsLabel: dnsLabel(props.name),
      freeformTags,
    });
    const vcnId = this.vcn.id;
    const common = { compartmentId, vcnId, freeformTags };

    // Managed with no rules: the default list OCI creates allows SSH from anywhere.
    new CoreDefaultSecurityList(this, "default-security-list", {
      manageDefaultResourceId: this.vcn.defaultSecurityListId,
      displayName: `${props.name}-default-deny-all`,
      freeformTags,
    });

    const internetGateway = new CoreInternetGateway(this, "internet-gateway", { ...common, displayName: `${props.name}-igw`, enabled: true });
    const natGateway = new CoreNatGateway(this, "nat-gateway", { ...common, displayName: `${props.name}-nat` });
    const oracleServices = new DataOciCoreServices(this, "oracle-services", {
      filter: [{ name: "name", values: ["All .* Services In Oracle Services Network"], regex: true }],
    });
    const allServices = oracleServices.services.get(0);
    const serviceGateway = new CoreServiceGateway(this, "service-gateway", {
      ...common,
      displayName: `${props.name}-sgw`,
      services: [{ serviceId: allServices.id }],
    });

    const routeTable = (tier: string, routeRules: CoreRouteTableRouteRules[]) =>
      new CoreRouteTable(this, `${tier}-routes`, { ...common, displayName: `${props.name}-${tier}`, routeRules });
    const publicRoutes = routeTable("public", [
      { destination: "0.0.0.0/0", destinationType: "CIDR_BLOCK", networkEntityId: internetGateway.id, description: "Internet" },
    ]);
    const privateRoutes = routeTable("private", [
      { destination: "0.0.0.0/0", destinationType: "CIDR_BLOCK", networkEntityId: natGateway.id, description: "Internet through NAT" },
      {
        destination: allServices.cidrBlock,
        destinationType: "SERVICE_CIDR_BLOCK",
        networkEntityId: serviceGateway.id,
        description: "Oracle services without leaving Oracle's network",
      },
    ]);

    const fromVcn: CoreSecurityListIngressSecurityRules = {
      description: "Anything inside the VCN",
      protocol: ALL_PROTOCOLS,
      source: props.cidr,
      sourceType: "CIDR_BLOCK",
    };
    const publicList = new CoreSecurityList(this, "public-security-list", {
      ...common,
      displayName: `${props.name}-public`,
      ingressSecurityRules: [fromVcn, ...securityListIngressRules(props)],
      egressSecurityRules: [
        { description: "To targets inside the VCN", protocol: ALL_PROTOCOLS, destination: props.cidr, destinationType: "CIDR_BLOCK" },
      ],
    });
    const privateList = new CoreSecurityList(this, "private-security-list", {
      ...common,
      displayName: `${props.name}-private`,
      ingressSecurityRules: [fromVcn],
      egressSecurityRules: [
        { description: "Out through NAT and the service gateway", protocol: ALL_PROTOCOLS, destination: "0.0.0.0/0", destinationType: "CIDR_BLOCK" },
      ],
    });

    const subnet = (tier: "public" | "private", cidrBlock: string, routeTableId: string, securityListId: string) =>
      new CoreSubnet(this, `${tier}-subnet`, {
        ...common,
        cidrBlock,
        displayName: `${props.name}-${tier}`,
        dnsLabel: tier,
        routeTableId,
        securityListIds: [securityListId],
        prohibitPublicIpOnVnic: tier === "private",
        prohibitInternetIngress: tier === "private",
      });
    const publicSubnet = subnet("public", plan.public, publicRoutes.id, publicList.id);
    const privateSubnet = subnet("private", plan.private, privateRoutes.id, privateList.id);

    if (props.flowLogs.enabled) this.flowLogs(props, compartmentId, [publicSubnet, privateSubnet], freeformTags);

    this.outputs = { ...networkOutputs(this.vcn, props.cidr, { public: [publicSubnet], private: [privateSubnet] }), metricScopes: [{ resourceId: natGateway.id }] };
  }

  private flowLogs(props: ResolvedNetworkProps, compartmentId: string, subnets: CoreSubnet[], freeformTags: Record<string, string>): void {
    const logGroup = new LoggingLogGroup(this, "flow-log-group", {
      compartmentId,
      displayName: `${props.name}-vcn-flow-logs`,
      description: `VCN flow logs of ${props.name}`,
      freeformTags,
    });
    subnets.forEach((subnet, i) => {
      new LoggingLog(this, `flow-log-${i}`, {
        displayName: `${props.name}-flow-log-${i}`,
        logGroupId: logGroup.id,
        logType: "SERVICE",
        isEnabled: true,
        retentionDuration: props.flowLogs.retentionDays,
        configuration: {
          compartmentId,
          source: { category: "all", resource: subnet.id, service: "flowlogs", sourceType: "OCISERVICE" },
        },
        freeformTags,
      });
    });
  }
}

function securityListIngressRules(props: ResolvedNetworkProps): CoreSecurityListIngressSecurityRules[] {
  return publicIngressRules(props.publicIngress).map((rule) => {
    const ports = { min: rule.port, max: rule.port };
    return {
      description: rule.description,
      protocol: PROTOCOL_NUMBERS[rule.protocol],
      source: rule.sourceCidr,
      sourceType: "CIDR_BLOCK",
      ...(rule.protocol === "tcp" ? { tcpOptions: ports } : { udpOptions: ports }),
    };
  });
}

/** OCI DNS labels: a letter, then letters and digits, at most 15 characters. */
function dnsLabel(name: string): string {
  return name.replace(/[^a-z0-9]/gi, "").toLowerCase().slice(0, 15);
}
