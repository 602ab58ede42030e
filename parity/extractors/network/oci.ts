/** Oracle Cloud network profile: VCN subnets, NAT gateway, security lists, flow logs. */
import type { StackIndex } from "../../../policy/terraform-json";
import type { Profile } from "../../model";
import { agreed, ingressList, isInternet, numberOr, observe, portRange, privateOnes } from "../shared";

interface IngressRule {
  readonly protocol?: string;
  readonly source?: string;
  readonly tcp_options?: { min?: number; max?: number };
  readonly udp_options?: { min?: number; max?: number };
}

const PROTOCOLS: Readonly<Record<string, string>> = { "6": "tcp", "17": "udp", "1": "icmp", all: "all" };

export function ociNetwork(stack: StackIndex): Profile {
  const subnets = stack.ofType("oci_core_subnet");
  const privateSubnets = privateOnes(subnets);
  const nats = stack.ofType("oci_core_nat_gateway");
  const flowLogs = stack.ofType("oci_logging_log").filter((l) => (l.values.configuration as { source?: { service?: string } } | undefined)?.source?.service === "flowlogs");
  const logged = subnets.filter((s) => flowLogs.some((l) => l.values.is_enabled === true && stack.referencedBy(l, "configuration.source.resource") === s));
  const lists = stack.ofType("oci_core_security_list");
  const open = lists.flatMap((l) => ((l.values.ingress_security_rules as IngressRule[] | undefined) ?? []).filter((r) => isInternet(r.source)).map((r) => ({ l, r })));
  const defaults = stack.ofType("oci_core_default_security_list");
  return {
    // Subnets are regional (they span every availability domain): a declared gap.
    zones: observe(subnets.length ? "regional" : null, subnets),
    // One NAT gateway per VCN, a regional service: a declared gap.
    nat: observe(nats.length === 0 ? "none" : nats.length === 1 ? "regional" : `${nats.length} gateways`, nats),
    flowLogs: observe(subnets.length > 0 && logged.length === subnets.length, flowLogs),
    flowLogRetentionDays: observe(agreed(flowLogs.map((l) => numberOr(l.values.retention_duration))), flowLogs),
    // OCI Logging takes no customer-managed key: a declared gap of the keys module.
    flowLogsEncrypted: observe(flowLogs.length ? "provider-managed" : null, flowLogs),
    privateNoPublicIp: observe(privateSubnets.length > 0 && privateSubnets.every((s) => s.values.prohibit_public_ip_on_vnic === true), privateSubnets),
    publicIngress: observe(
      ingressList(open.map(({ r }) => {
        const range = r.tcp_options ?? r.udp_options;
        return `${PROTOCOLS[r.protocol ?? ""] ?? r.protocol}/${portRange(range?.min, range?.max)}`;
      })),
      open.map(({ l }) => l),
    ),
    // The VCN's default security list, managed with no rules, admits nothing.
    defaultDeny: observe(defaults.length > 0 && defaults.every((d) => !d.values.ingress_security_rules && !d.values.egress_security_rules), defaults),
  };
}
