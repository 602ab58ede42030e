import { CloudwatchLogGroup } from "@cdktf/provider-aws/lib/cloudwatch-log-group";
import { DataAwsAvailabilityZones } from "@cdktf/provider-aws/lib/data-aws-availability-zones";
import { DataAwsCallerIdentity } from "@cdktf/provider-aws/lib/data-aws-caller-identity";
import { DefaultSecurityGroup } from "@cdktf/provider-aws/lib/default-security-group";
import { Eip } from "@cdktf/provider-aws/lib/eip";
import { FlowLog } from "@cdktf/provider-aws/lib/flow-log";
import { IamRole } from "@cdktf/provider-aws/lib/iam-role";
import { IamRolePolicy } from "@cdktf/provider-aws/lib/iam-role-policy";
import { InternetGateway } from "@cdktf/provider-aws/lib/internet-gateway";
import { NatGateway } from "@cdktf/provider-aws/lib/nat-gateway";
import { Route } from "@cdktf/provider-aws/lib/route";
import { RouteTable } from "@cdktf/provider-aws/lib/route-table";
import { RouteTableAssociation } from "@cdktf/provider-aws/lib/route-table-association";
import { SecurityGroup } from "@cdktf/provider-aws/lib/security-group";
import { Subnet } from "@cdktf/provider-aws/lib/subnet";
import { Vpc } from "@cdktf/provider-aws/lib/vpc";
import { VpcSecurityGroupEgressRule } from "@cdktf/provider-aws/lib/vpc-security-group-egress-rule";
import { VpcSecurityGroupIngressRule } from "@cdktf/provider-aws/lib/vpc-security-group-ingress-rule";
import { Fn } from "cdktf";
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
import { publicIngressRules } from "./ingress";
import { zonalSubnetPlan } from "./subnet-plan";
import { nameTagged } from "../shared/tags";

export interface AwsNetworkProps extends NetworkProps {
  /**
   * ARN of the KMS key that encrypts the flow-log group; its key policy must let this
   * region's CloudWatch Logs use it (the keys module's `grant({ service: "logs" })`).
   * @default - CloudWatch Logs' own encryption
   */
  readonly flowLogKeyArn?: string;
}

/**
 * AWS: a VPC with a public and a private subnet per zone, an internet gateway, NAT
 * gateways per the strategy, the default security group stripped of its rules, a
 * security group for the declared public ingress, and VPC flow logs to CloudWatch.
 */
export class AwsNetwork extends Construct implements Network {
  readonly outputs: NetworkOutputs;
  readonly vpc: Vpc;
  /** Security group for public entry points (load balancers): declared ingress only. */
  readonly publicIngressSecurityGroup: SecurityGroup;

  constructor(scope: Construct, id: string, input: AwsNetworkProps) {
    super(scope, id);
    const props = resolveNetworkProps(input);
    const tagged = (name: string, extra: Record<string, string> = {}) => nameTagged(props.tags, name, extra);
    const plan = zonalSubnetPlan(props.cidr, props.zones);
    const zones = new DataAwsAvailabilityZones(this, "zones", {
      state: "available",
      filter: [{ name: "opt-in-status", values: ["opt-in-not-required"] }],
    });

    this.vpc = new Vpc(this, "vpc", {
      cidrBlock: props.cidr,
      enableDnsSupport: true,
      enableDnsHostnames: true,
      tags: tagged(props.name),
    });
    const vpcId = this.vpc.id;

    // Managing the default group with no ingress or egress blocks removes AWS's allow-all rules.
    new DefaultSecurityGroup(this, "default-security-group", { vpcId, tags: tagged(`${props.name}-default-deny-all`) });

    const subnets = (tier: "public" | "private", ranges: string[]) =>
      ranges.map(
        (cidrBlock, zone) =>
          new Subnet(this, `${tier}-subnet-${zone}`, {
            vpcId,
            cidrBlock,
            availabilityZone: Fn.element(zones.names, zone),
            mapPublicIpOnLaunch: false,
            tags: tagged(`${props.name}-${tier}-${zone}`, { tier }),
          }),
      );
    const publicSubnets = subnets("public", plan.public);
    const privateSubnets = subnets("private", plan.private);

    const internetGateway = new InternetGateway(this, "internet-gateway", { vpcId, tags: tagged(props.name) });
    const publicRoutes = new RouteTable(this, "public-routes", { vpcId, tags: tagged(`${props.name}-public`) });
    new Route(this, "public-default-route", {
      routeTableId: publicRoutes.id,
      destinationCidrBlock: "0.0.0.0/0",
      gatewayId: internetGateway.id,
    });
    publicSubnets.forEach((subnet, zone) => {
      new RouteTableAssociation(this, `public-route-association-${zone}`, { subnetId: subnet.id, routeTableId: publicRoutes.id });
    });

    const nat = natLayout(props);
    const natGateways = Array.from({ length: nat.count }, (_, i) => {
      const address = new Eip(this, `nat-address-${i}`, { domain: "vpc", tags: tagged(`${props.name}-nat-${i}`) });
      return new NatGateway(this, `nat-gateway-${i}`, {
        allocationId: address.id,
        subnetId: publicSubnets[i].id,
        tags: tagged(`${props.name}-nat-${i}`),
        dependsOn: [internetGateway],
      });
    });
    privateSubnets.forEach((subnet, zone) => {
      const routes = new RouteTable(this, `private-routes-${zone}`, { vpcId, tags: tagged(`${props.name}-private-${zone}`) });
      new Route(this, `private-default-route-${zone}`, {
        routeTableId: routes.id,
        destinationCidrBlock: "0.0.0.0/0",
        natGatewayId: natGateways[nat.forZone(zone)].id,
      });
      new RouteTableAssociation(this, `private-route-association-${zone}`, { subnetId: subnet.id, routeTableId: routes.id });
    });

    this.publicIngressSecurityGroup = this.publicIngress(props, vpcId, tagged);
    if (props.flowLogs.enabled) this.flowLogs(props, vpcId, tagged, input.flowLogKeyArn);

    this.outputs = {
      ...networkOutputs(this.vpc, props.cidr, { public: publicSubnets, private: privateSubnets }),
      metricScopes: natGateways.map((gateway) => ({ NatGatewayId: gateway.id })),
    };
  }

  private publicIngress(
    props: ResolvedNetworkProps,
    vpcId: string,
    tagged: (name: string) => Record<string, string>,
  ): SecurityGroup {
    const group = new SecurityGroup(this, "public-ingress", {
      name: `${props.name}-public-ingress`,
      description: "Declared public ingress only; egress to the VPC",
      vpcId,
      // No inline rules: the provider says not to mix them with rule resources. Without an
      // egress block the provider still revokes the allow-all egress AWS adds to a new group.
      tags: tagged(`${props.name}-public-ingress`),
    });
    // All protocols, so no ports (the provider leaves them unset for ip_protocol -1).
    new VpcSecurityGroupEgressRule(this, "public-ingress-egress", {
      securityGroupId: group.id,
      description: "To targets inside the VPC",
      ipProtocol: "-1",
      cidrIpv4: props.cidr,
      tags: props.tags,
    });
    publicIngressRules(props.publicIngress).forEach((rule) => {
      new VpcSecurityGroupIngressRule(this, `public-ingress-${rule.position}`, {
        securityGroupId: group.id,
        description: rule.description,
        ipProtocol: rule.protocol,
        fromPort: rule.port,
        toPort: rule.port,
        cidrIpv4: rule.sourceCidr,
        tags: props.tags,
      });
    });
    return group;
  }

  private flowLogs(props: ResolvedNetworkProps, vpcId: string, tagged: (name: string) => Record<string, string>, kmsKeyId?: string): void {
    const account = new DataAwsCallerIdentity(this, "account");
    const logGroup = new CloudwatchLogGroup(this, "flow-log-group", {
      name: `/${props.name}/vpc-flow-logs`,
      retentionInDays: props.flowLogs.retentionDays,
      kmsKeyId,
      tags: tagged(`${props.name}-vpc-flow-logs`),
    });
    const role = new IamRole(this, "flow-log-role", {
      name: `${props.name}-vpc-flow-logs`,
      description: "Lets VPC Flow Logs write to its own log group, nothing else",
      assumeRolePolicy: JSON.stringify({
        Version: "2012-10-17",
        Statement: [
          {
            Effect: "Allow",
            Principal: { Service: "vpc-flow-logs.amazonaws.com" },
            Action: "sts:AssumeRole",
            // Confused-deputy guard: only flow logs of this account may use the role.
            Condition: {
              StringEquals: { "aws:SourceAccount": account.accountId },
              ArnLike: { "aws:SourceArn": `arn:aws:ec2:${props.region}:${account.accountId}:vpc-flow-log/*` },
            },
          },
        ],
      }),
      tags: tagged(`${props.name}-vpc-flow-logs`),
    });
    new IamRolePolicy(this, "flow-log-policy", {
      role: role.id,
      name: "write-vpc-flow-logs",
      policy: JSON.stringify({
        Version: "2012-10-17",
        Statement: [
          {
            Effect: "Allow",
            Action: ["logs:CreateLogStream", "logs:PutLogEvents", "logs:DescribeLogStreams"],
            Resource: `${logGroup.arn}:*`,
          },
          {
            Effect: "Allow",
            Action: "logs:DescribeLogGroups",
            Resource: `arn:aws:logs:${props.region}:${account.accountId}:log-group:*`,
          },
        ],
      }),
    });
    new FlowLog(this, "flow-log", {
      vpcId,
      trafficType: "ALL",
      logDestinationType: "cloud-watch-logs",
      logDestination: logGroup.arn,
      iamRoleArn: role.arn,
      maxAggregationInterval: 60,
      tags: tagged(`${props.name}-vpc-flow-logs`),
    });
  }
}
