/** AWS network profile: VPC, subnets, NAT gateways, flow log, security groups. */
import type { StackIndex } from "../../../policy/terraform-json";
import type { Profile } from "../../model";
import { agreed, encryptionOf, ingressList, isInternet, natStrategy, numberOr, observe, portRange, privateOnes } from "../shared";

export function awsNetwork(stack: StackIndex): Profile {
  const vpc = stack.ofType("aws_vpc")[0];
  const privateSubnets = privateOnes(stack.ofType("aws_subnet"));
  const zones = new Set(privateSubnets.map((s) => String(s.values.availability_zone)));
  const nats = stack.ofType("aws_nat_gateway");
  const flowLogs = stack.ofType("aws_flow_log").filter((f) => vpc && stack.referencedBy(f, "vpc_id") === vpc);
  const groups = flowLogs.map((f) => stack.referencedBy(f, "log_destination", "aws_cloudwatch_log_group"));
  const ingress = stack.ofType("aws_vpc_security_group_ingress_rule").filter((r) => isInternet(r.values.cidr_ipv4));
  const defaultGroup = stack.ofType("aws_default_security_group")[0];
  return {
    zones: observe(privateSubnets.length ? zones.size : null, privateSubnets),
    nat: observe(natStrategy(nats.length, zones.size), nats),
    flowLogs: observe(flowLogs.some((f) => f.values.traffic_type === "ALL"), flowLogs),
    flowLogRetentionDays: observe(agreed(groups.map((g) => numberOr(g?.values.retention_in_days))), groups),
    flowLogsEncrypted: observe(agreed(groups.map((g) => (g ? encryptionOf(stack, stack.referencedBy(g, "kms_key_id", "aws_kms_key")) : null))), groups),
    privateNoPublicIp: observe(privateSubnets.length > 0 && privateSubnets.every((s) => s.values.map_public_ip_on_launch === false), privateSubnets),
    publicIngress: observe(ingressList(ingress.map((r) => `${r.values.ip_protocol}/${portRange(r.values.from_port, r.values.to_port)}`)), ingress),
    // The default group keeps no rule when it is managed without ingress or egress blocks.
    defaultDeny: observe(defaultGroup !== undefined && !defaultGroup.values.ingress && !defaultGroup.values.egress, [defaultGroup]),
  };
}
