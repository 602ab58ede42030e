import type { Rule } from "../../rule";
import type { Block } from "../../terraform-json";
import { docs, first, isAnywhere, isFalse, isSet, isTrue, nested, numberOf, portStringCovers, rule, strings } from "../helpers";

const FIREWALL = ["google_compute_firewall"];
const FIREWALL_DOCS = "https://cloud.google.com/firewall/docs/firewalls";

/** An enabled ingress firewall's allows, when it admits the internet. */
function internetAllows(firewall: Block): { protocol: string; ports: string[] }[] {
  const direction = String(firewall.values.direction ?? "INGRESS");
  if (direction !== "INGRESS" || isTrue(firewall.values.disabled) || !strings(firewall.values.source_ranges).some(isAnywhere)) return [];
  return nested(firewall.values, "allow").map((a) => ({ protocol: String(a.protocol), ports: strings(a.ports) }));
}

/** True when an allow admits TCP `port` (no ports listed means every port). */
const admitsTcp = (port: number) => (a: { protocol: string; ports: string[] }) =>
  ["tcp", "all", "6"].includes(a.protocol) && (a.ports.length === 0 || a.ports.some((p) => portStringCovers(p, port)));

function internetPortRule(id: string, checkov: string, port: number, service: string, level: "error" | "warning"): Rule {
  return rule({
    id,
    checkov,
    level,
    pack: "baseline",
    cloud: "gcp",
    resourceTypes: FIREWALL,
    title: `Firewalls allow no ${service} (port ${port}) from the internet`,
    rationale: `${service} open to 0.0.0.0/0 is found and attacked within minutes; use IAP TCP forwarding (35.235.240.0/20) or the edge instead.`,
    docs: FIREWALL_DOCS,
    fix: `Narrow source_ranges of the rule that admits port ${port}, or remove the port.`,
    check: (firewall) => (internetAllows(firewall).some(admitsTcp(port)) ? `admits TCP ${port} from 0.0.0.0/0` : undefined),
  });
}

export const NETWORK_RULES: readonly Rule[] = [
  internetPortRule("SIROS-GCP-NET-1", "CKV_GCP_2", 22, "SSH", "error"),
  internetPortRule("SIROS-GCP-NET-2", "CKV_GCP_3", 3389, "RDP", "error"),
  internetPortRule("SIROS-GCP-NET-3", "CKV_GCP_106", 80, "HTTP", "warning"),
  rule({
    id: "SIROS-GCP-NET-4",
    checkov: "CKV2_GCP_12",
    level: "error",
    pack: "baseline",
    cloud: "gcp",
    resourceTypes: FIREWALL,
    title: "Firewalls allow no traffic on every port from the internet",
    rationale: "Every port from 0.0.0.0/0 exposes every service an instance runs, including those meant for the network only.",
    docs: FIREWALL_DOCS,
    fix: "Allow only the ports the edge serves, or narrow source_ranges.",
    check: (firewall) => (internetAllows(firewall).some((a) => a.protocol === "all" || a.ports.length === 0) ? "admits every port from 0.0.0.0/0" : undefined),
  }),
  rule({
    id: "SIROS-GCP-NET-5",
    level: "warning",
    pack: "baseline",
    cloud: "gcp",
    resourceTypes: FIREWALL,
    title: "Internet ingress is declared for the edge only",
    rationale: "Any firewall open to 0.0.0.0/0 is an entry point; the project allows them only as the edge's declared public ingress, which this warning lists for review.",
    docs: FIREWALL_DOCS,
    fix: "Keep internet ingress to the edge's declared ports (environment publicIngress); suppress with the reason on the edge's rule.",
    check: (firewall) => internetAllows(firewall).map((a) => `admits ${a.protocol} ${a.ports.join(",") || "every port"} from 0.0.0.0/0`),
  }),
  rule({
    id: "SIROS-GCP-NET-6",
    level: "warning",
    pack: "baseline",
    cloud: "gcp",
    resourceTypes: FIREWALL,
    title: "Firewall rules log their matches",
    rationale: "Firewall rules logging records which connections each rule allowed or denied.",
    docs: docs.google("compute_firewall"),
    fix: "Set log_config { metadata = \"INCLUDE_ALL_METADATA\" }.",
    check: (firewall) => (first(firewall.values, "log_config") ? undefined : "no log_config"),
  }),
  rule({
    id: "SIROS-GCP-NET-7",
    checkov: "CKV_GCP_26",
    level: "error",
    pack: "baseline",
    cloud: "gcp",
    resourceTypes: ["google_compute_subnetwork"],
    title: "Subnetworks have VPC flow logs",
    rationale: "Flow logs are the record of which addresses talked to which, needed to investigate any incident.",
    docs: docs.google("compute_subnetwork"),
    fix: "Set log_config { aggregation_interval, flow_sampling, metadata } on the subnetwork.",
    check: (subnet) => {
      // Proxy-only and private service connect subnets cannot log flows.
      if (["REGIONAL_MANAGED_PROXY", "GLOBAL_MANAGED_PROXY", "PRIVATE_SERVICE_CONNECT", "INTERNAL_HTTPS_LOAD_BALANCER"].includes(String(subnet.values.purpose))) return undefined;
      return first(subnet.values, "log_config") ? undefined : "no log_config";
    },
  }),
  rule({
    id: "SIROS-GCP-NET-8",
    checkov: "CKV_GCP_74",
    level: "error",
    pack: "baseline",
    cloud: "gcp",
    resourceTypes: ["google_compute_subnetwork"],
    title: "Subnetworks have Private Google Access",
    rationale: "Without it, instances without external IPs reach Google APIs only through NAT, over public addresses.",
    docs: docs.google("compute_subnetwork"),
    fix: "Set private_ip_google_access = true.",
    check: (subnet) => {
      if (isSet(subnet.values.purpose) && subnet.values.purpose !== "PRIVATE") return undefined;
      return isTrue(subnet.values.private_ip_google_access) ? undefined : "private_ip_google_access is not true";
    },
  }),
  rule({
    id: "SIROS-GCP-NET-9",
    level: "warning",
    pack: "production",
    cloud: "gcp",
    resourceTypes: ["google_compute_subnetwork"],
    title: "Production subnetworks sample every flow",
    rationale: "A sampling rate below 1.0 drops flows at random: the one connection an investigation needs may be missing.",
    docs: docs.google("compute_subnetwork"),
    fix: "Set log_config.flow_sampling = 1.0.",
    check: (subnet) => {
      const log = first(subnet.values, "log_config");
      const sampling = numberOf(log?.flow_sampling) ?? 0.5;
      return log && sampling < 1 ? `log_config.flow_sampling is ${sampling}` : undefined;
    },
  }),
  rule({
    id: "SIROS-GCP-NET-10",
    level: "error",
    pack: "baseline",
    cloud: "gcp",
    resourceTypes: ["google_compute_network"],
    title: "VPC networks are custom mode",
    rationale: "Auto mode creates a subnetwork in every region with fixed ranges, outside the project's address plan and without flow logs.",
    docs: docs.google("compute_network"),
    fix: "Set auto_create_subnetworks = false and declare the subnetworks.",
    check: (network) => (isFalse(network.values.auto_create_subnetworks) ? undefined : "auto_create_subnetworks is not false (the provider's default is true)"),
  }),
  rule({
    id: "SIROS-GCP-NET-11",
    level: "warning",
    pack: "baseline",
    cloud: "gcp",
    resourceTypes: ["google_compute_router_nat"],
    title: "Cloud NAT logs",
    rationale: "NAT logs show which instance used which external address and port, and which connections were dropped for lack of ports.",
    docs: docs.google("compute_router_nat"),
    fix: "Set log_config { enable = true, filter = \"ERRORS_ONLY\" or \"ALL\" }.",
    check: (nat) => (isTrue(first(nat.values, "log_config")?.enable) ? undefined : "log_config.enable is not true"),
  }),
  rule({
    id: "SIROS-GCP-LOG-1",
    level: "error",
    pack: "production",
    cloud: "gcp",
    resourceTypes: ["google_logging_project_bucket_config"],
    title: "Production log buckets keep logs at least 90 days",
    rationale: "Incidents are often found weeks after they start; Logging's default bucket keeps only 30 days.",
    docs: docs.google("logging_project_bucket_config"),
    fix: "Set retention_days to 90 or more (the environment's flow-log retention).",
    check: (bucket) => {
      const days = numberOf(bucket.values.retention_days) ?? 30;
      return days < 90 ? `retention_days is ${days}` : undefined;
    },
  }),
];
