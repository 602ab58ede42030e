import { Construct } from "constructs";
import { CosBucket } from "../../.gen/providers/ibm/cos-bucket";
import { CosBucketLifecycleConfiguration } from "../../.gen/providers/ibm/cos-bucket-lifecycle-configuration";
import { IamAuthorizationPolicy } from "../../.gen/providers/ibm/iam-authorization-policy";
import { IsFlowLog } from "../../.gen/providers/ibm/is-flow-log";
import { IsNetworkAcl, type IsNetworkAclRules } from "../../.gen/providers/ibm/is-network-acl";
import { IsPublicGateway } from "../../.gen/providers/ibm/is-public-gateway";
import { IsSecurityGroup } from "../../.gen/providers/ibm/is-security-group";
import { IsSecurityGroupRule } from "../../.gen/providers/ibm/is-security-group-rule";
import { IsSubnet } from "../../.gen/providers/ibm/is-subnet";
import { IsVpc } from "../../.gen/providers/ibm/is-vpc";
import { IsVpcAddressPrefix } from "../../.gen/providers/ibm/is-vpc-address-prefix";
import { ResourceGroup } from "../../.gen/providers/ibm/resource-group";
import { ResourceInstance } from "../../.gen/providers/ibm/resource-instance";
import {
  networkOutputs,
  resolveNetworkProps,
  zoneIndexes,
  type Network,
  type NetworkOutputs,
  type NetworkProps,
  type ResolvedNetworkProps,
} from "./contract";
import { publicIngressRules } from "./ingress";
import { zonalSubnetPlan } from "./subnet-plan";
import { globalName } from "../shared/global-name";
import { keyValueTags } from "../shared/tags";

export interface IbmNetworkProps extends NetworkProps {
  /**
   * Resource group for every resource of the network.
   * @default - a new resource group named after the network
   */
  readonly resourceGroupId?: string;
  /** The environment's root key (modules/keys), which encrypts the flow-log bucket. */
  readonly flowLogKey: IbmRootKey;
}

/** A Key Protect root key as Object Storage takes it: the key's CRN and its instance, which COS must be authorized to read. */
export interface IbmRootKey {
  readonly keyProtectGuid: string;
  readonly keyCrn: string;
}

const ANYWHERE = "0.0.0.0/0";
/**
 * IBM's protocol names (the provider's allowed list since `all` was retired): the API's old
 * `all` meant ICMP, TCP and UDP, which is what the allow rules keep (`icmp_tcp_udp`); the
 * final deny covers every IP protocol (`any`, what the provider itself uses for a deny rule
 * without a protocol), so nothing but the rules above it gets in.
 */
const IBM_PROTOCOL = { icmpTcpUdp: "icmp_tcp_udp", any: "any" } as const;
// COS bucket names: 3 to 63 lowercase letters, digits and hyphens.
const COS_BUCKET_NAME_MAX = 63;
// Network ACLs are stateless: replies to connections opened from inside arrive on these ports.
const EPHEMERAL_PORTS = { portMin: 1024, portMax: 65535 } as const;
// ICMP "destination unreachable / fragmentation needed": path-MTU discovery breaks without it.
const ICMP_FRAGMENTATION_NEEDED = { type: 3, code: 4 } as const;

/**
 * IBM Cloud: a VPC with manual address prefixes from the CIDR plan and no default
 * allow rules, a public and a private subnet per zone, a public gateway per zone for the
 * private tier's egress (a public gateway serves only its own zone, so there is one per
 * zone whatever the NAT strategy), stateless network ACLs (the VPC, the declared ingress,
 * replies on ephemeral ports and path-MTU ICMP in) and a security group that allows only the
 * VPC and the declared ingress, and flow logs to a Cloud Object Storage bucket encrypted
 * with the environment's root key (modules/keys), each service authorized for exactly the access it needs.
 */
export class IbmNetwork extends Construct implements Network {
  readonly outputs: NetworkOutputs;
  readonly vpc: IsVpc;
  readonly resourceGroupId: string;
  /** Security group for workloads: the VPC and the declared ingress in, anything out. */
  readonly securityGroup: IsSecurityGroup;

  constructor(scope: Construct, id: string, input: IbmNetworkProps) {
    super(scope, id);
    const props = resolveNetworkProps(input);
    const tags = keyValueTags(props.tags);
    const plan = zonalSubnetPlan(props.cidr, props.zones);
    this.resourceGroupId = input.resourceGroupId ?? new ResourceGroup(this, "resource-group", { name: props.name, tags }).id;
    const resourceGroup = this.resourceGroupId;

    this.vpc = new IsVpc(this, "vpc", {
      name: props.name,
      resourceGroup,
      addressPrefixManagement: "manual",
      // Strips the allow rules IBM puts in the default security group and ACL.
      noSgAclRules: true,
      // classic_access is deprecated at 2.5.0 and defaults to false: left unset, no warning.
      tags,
    });
    const vpc = this.vpc.id;

    const zoneName = (zone: number) => `${props.region}-${zone + 1}`;
    const publicAcl = this.networkAcl("public", props, resourceGroup, tags, aclIngressRules(props));
    const privateAcl = this.networkAcl("private", props, resourceGroup, tags, []);
    const gateways = zoneIndexes(props.zones).map(
      (zone) => new IsPublicGateway(this, `public-gateway-${zone}`, { name: `${props.name}-${zoneName(zone)}`, vpc, zone: zoneName(zone), resourceGroup, tags }),
    );
    const subnets = (tier: "public" | "private", ranges: string[], networkAcl: string) =>
      ranges.map((cidr, zone) => {
        const prefix = new IsVpcAddressPrefix(this, `${tier}-prefix-${zone}`, {
          name: `${props.name}-${tier}-${zone + 1}`,
          vpc,
          zone: zoneName(zone),
          cidr,
        });
        return new IsSubnet(this, `${tier}-subnet-${zone}`, {
          name: `${props.name}-${tier}-${zone + 1}`,
          vpc,
          zone: zoneName(zone),
          ipv4CidrBlock: cidr,
          resourceGroup,
          networkAcl,
          ...(tier === "private" ? { publicGateway: gateways[zone].id } : {}),
          tags,
          dependsOn: [prefix],
        });
      });
    const publicSubnets = subnets("public", plan.public, publicAcl.id);
    const privateSubnets = subnets("private", plan.private, privateAcl.id);

    this.securityGroup = this.workloadSecurityGroup(props, resourceGroup, tags);
    if (props.flowLogs.enabled) this.flowLogs(props, resourceGroup, tags, input.flowLogKey);

    this.outputs = networkOutputs(this.vpc, props.cidr, { public: publicSubnets, private: privateSubnets });
  }

  private networkAcl(tier: string, props: ResolvedNetworkProps, resourceGroup: string, tags: string[], inbound: IsNetworkAclRules[]): IsNetworkAcl {
    return new IsNetworkAcl(this, `${tier}-acl`, {
      name: `${props.name}-${tier}`,
      vpc: this.vpc.id,
      resourceGroup,
      tags,
      rules: [
        { name: "allow-vpc-inbound", action: "allow", direction: "inbound", source: props.cidr, destination: ANYWHERE, protocol: IBM_PROTOCOL.icmpTcpUdp },
        ...inbound,
        ...returnTrafficAclRules(),
        { name: "deny-all-inbound", action: "deny", direction: "inbound", source: ANYWHERE, destination: ANYWHERE, protocol: IBM_PROTOCOL.any },
        { name: "allow-all-outbound", action: "allow", direction: "outbound", source: ANYWHERE, destination: ANYWHERE, protocol: IBM_PROTOCOL.icmpTcpUdp },
      ],
    });
  }

  private workloadSecurityGroup(props: ResolvedNetworkProps, resourceGroup: string, tags: string[]): IsSecurityGroup {
    const group = new IsSecurityGroup(this, "security-group", { name: `${props.name}-workloads`, vpc: this.vpc.id, resourceGroup, tags });
    const rule = (id: string, config: Omit<ConstructorParameters<typeof IsSecurityGroupRule>[2], "group">) =>
      new IsSecurityGroupRule(this, id, { group: group.id, ...config });
    rule("allow-vpc-inbound", { direction: "inbound", remote: props.cidr, protocol: IBM_PROTOCOL.icmpTcpUdp });
    publicIngressRules(props.publicIngress).forEach((ingress) =>
      rule(`allow-public-${ingress.position}`, { direction: "inbound", remote: ingress.sourceCidr, protocol: ingress.protocol, portMin: ingress.port, portMax: ingress.port }),
    );
    rule("allow-all-outbound", { direction: "outbound", remote: ANYWHERE, protocol: IBM_PROTOCOL.icmpTcpUdp });
    return group;
  }

  private flowLogs(props: ResolvedNetworkProps, resourceGroupId: string, tags: string[], key: IbmRootKey): void {
    const storage = new ResourceInstance(this, "flow-log-storage", {
      name: `${props.name}-flow-logs`,
      service: "cloud-object-storage",
      plan: "standard",
      location: "global",
      resourceGroupId,
      tags,
    });
    const storageReadsKey = new IamAuthorizationPolicy(this, "storage-reads-key", {
      sourceServiceName: "cloud-object-storage",
      sourceResourceInstanceId: storage.guid,
      targetServiceName: "kms",
      targetResourceInstanceId: key.keyProtectGuid,
      roles: ["Reader"],
      description: "Object Storage unwraps the flow-log bucket's key",
    });
    const bucket = new CosBucket(this, "flow-log-bucket", {
      // Bucket names are global across all of IBM Cloud: a random suffix kept in state avoids collisions.
      bucketName: globalName(this, "flow-log-bucket-suffix", { base: `${props.name}-vpc-flow-logs`, maxLength: COS_BUCKET_NAME_MAX, charset: "lower-alnum-hyphen" }),
      resourceInstanceId: storage.id,
      regionLocation: props.region,
      storageClass: "standard",
      kmsKeyCrn: key.keyCrn,
      dependsOn: [storageReadsKey],
    });
    // The bucket's own expire_rule is deprecated at 2.5.0 in favour of this resource.
    new CosBucketLifecycleConfiguration(this, "flow-log-expiry", {
      bucketCrn: bucket.crn,
      bucketLocation: props.region,
      lifecycleRule: [
        {
          ruleId: "expire-flow-logs",
          status: "enable",
          // The bucket holds flow logs only: the rule applies to every object.
          filter: { prefix: "" },
          expiration: { days: props.flowLogs.retentionDays },
        },
      ],
    });
    const collectorWrites = new IamAuthorizationPolicy(this, "flow-logs-write-storage", {
      sourceServiceName: "is",
      sourceResourceType: "flow-log-collector",
      targetServiceName: "cloud-object-storage",
      targetResourceInstanceId: storage.guid,
      roles: ["Writer"],
      description: "VPC flow log collectors write to the flow-log bucket's instance",
    });
    new IsFlowLog(this, "flow-log", {
      name: `${props.name}-vpc`,
      target: this.vpc.id,
      active: true,
      storageBucket: bucket.bucketName,
      resourceGroup: resourceGroupId,
      tags,
      dependsOn: [collectorWrites],
    });
  }
}

function aclIngressRules(props: ResolvedNetworkProps): IsNetworkAclRules[] {
  return publicIngressRules(props.publicIngress).map((rule) => ({
    name: rule.name,
    action: "allow",
    direction: "inbound",
    source: rule.sourceCidr,
    destination: props.cidr,
    protocol: rule.protocol,
    portMin: rule.port,
    portMax: rule.port,
  }));
}

/**
 * What a stateless ACL must let in for connections opened from inside, on both tiers (outbound
 * is open on both, and every other cloud's public tier is stateful): TCP and UDP to the
 * ephemeral ports, and ICMP "fragmentation needed". These rules cannot tell a reply from a new
 * connection to a high port: what stops unsolicited traffic there is the stateful security
 * group every instance and load balancer has (the workload group lets in only the VPC and the
 * declared ingress).
 */
function returnTrafficAclRules(): IsNetworkAclRules[] {
  const replies = (["tcp", "udp"] as const).map((protocol) => ({
    name: `allow-${protocol}-replies`,
    action: "allow",
    direction: "inbound",
    source: ANYWHERE,
    destination: ANYWHERE,
    protocol,
    ...EPHEMERAL_PORTS,
  }));
  const pathMtu = {
    name: "allow-icmp-fragmentation-needed",
    action: "allow",
    direction: "inbound",
    source: ANYWHERE,
    destination: ANYWHERE,
    protocol: "icmp",
    ...ICMP_FRAGMENTATION_NEEDED,
  };
  return [...replies, pathMtu];
}
