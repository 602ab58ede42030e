import { Construct } from "constructs";
import { CosBucket } from "../../.gen/providers/ibm/cos-bucket";
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
import { ibmTags } from "../shared/ibm-tags";
import {
  networkOutputs,
  resolveNetworkProps,
  zoneIndexes,
  type Network,
  type NetworkOutputs,
  type NetworkProps,
  type ResolvedNetworkProps,
} from "./contract";
import { zonalSubnetPlan } from "./subnet-plan";

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
// Network ACLs are stateless: replies to connections opened from inside arrive on these ports.
const EPHEMERAL_PORTS = { portMin: 1024, portMax: 65535 } as const;

/**
 * IBM Cloud: a VPC with manual address prefixes from the CIDR plan and no default
 * allow rules, a public and a private subnet per zone, a public gateway per zone for the
 * private tier's egress (a public gateway serves only its own zone, so there is one per
 * zone whatever the NAT strategy), network ACLs and a security group that allow only the
 * VPC and the declared ingress, and flow logs to a Cloud Object Storage bucket encrypted
 * with the environment's root key, each service authorized for exactly the access it needs.
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
    const tags = ibmTags(props.tags);
    const plan = zonalSubnetPlan(props.cidr, props.zones);
    this.resourceGroupId = input.resourceGroupId ?? new ResourceGroup(this, "resource-group", { name: props.name, tags }).id;
    const resourceGroup = this.resourceGroupId;

    this.vpc = new IsVpc(this, "vpc", {
      name: props.name,
      resourceGroup,
      addressPrefixManagement: "manual",
      // Strips the allow rules IBM puts in the default security group and ACL.
      noSgAclRules: true,
      classicAccess: false,
      tags,
    });
    const vpc = this.vpc.id;

    const zoneName = (zone: number) => `${props.region}-${zone + 1}`;
    const publicAcl = this.networkAcl("public", props, resourceGroup, tags, publicIngressAclRules(props));
    const privateAcl = this.networkAcl("private", props, resourceGroup, tags, returnTrafficAclRules());
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
        { name: "allow-vpc-inbound", action: "allow", direction: "inbound", source: props.cidr, destination: ANYWHERE, protocol: "all" },
        ...inbound,
        { name: "deny-all-inbound", action: "deny", direction: "inbound", source: ANYWHERE, destination: ANYWHERE, protocol: "all" },
        { name: "allow-all-outbound", action: "allow", direction: "outbound", source: ANYWHERE, destination: ANYWHERE, protocol: "all" },
      ],
    });
  }

  private workloadSecurityGroup(props: ResolvedNetworkProps, resourceGroup: string, tags: string[]): IsSecurityGroup {
    const group = new IsSecurityGroup(this, "security-group", { name: `${props.name}-workloads`, vpc: this.vpc.id, resourceGroup, tags });
    const rule = (id: string, config: Omit<ConstructorParameters<typeof IsSecurityGroupRule>[2], "group">) =>
      new IsSecurityGroupRule(this, id, { group: group.id, ...config });
    rule("allow-vpc-inbound", { direction: "inbound", remote: props.cidr, protocol: "all" });
    props.publicIngress.forEach((ingress, i) =>
      rule(`allow-public-${i}`, { direction: "inbound", remote: ingress.sourceCidr, protocol: ingress.protocol, portMin: ingress.port, portMax: ingress.port }),
    );
    rule("allow-all-outbound", { direction: "outbound", remote: ANYWHERE, protocol: "all" });
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
      bucketName: `${props.name}-vpc-flow-logs`,
      resourceInstanceId: storage.id,
      regionLocation: props.region,
      storageClass: "standard",
      kmsKeyCrn: key.keyCrn,
      expireRule: [{ ruleId: "expire-flow-logs", enable: true, days: props.flowLogs.retentionDays }],
      dependsOn: [storageReadsKey],
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

function publicIngressAclRules(props: ResolvedNetworkProps): IsNetworkAclRules[] {
  return props.publicIngress.map((rule, i) => ({
    name: `allow-${rule.protocol}-${rule.port}-${i}`,
    action: "allow",
    direction: "inbound",
    source: rule.sourceCidr,
    destination: props.cidr,
    protocol: rule.protocol,
    portMin: rule.port,
    portMax: rule.port,
  }));
}

function returnTrafficAclRules(): IsNetworkAclRules[] {
  return (["tcp", "udp"] as const).map((protocol) => ({
    name: `allow-${protocol}-replies`,
    action: "allow",
    direction: "inbound",
    source: ANYWHERE,
    destination: ANYWHERE,
    protocol,
    ...EPHEMERAL_PORTS,
  }));
}
