import type { Rule } from "../../rule";
import type { Block } from "../../terraform-json";
import { OBSERVABILITY_RULES } from "./observability";
import { PLATFORM_RULES } from "./platform";
import { coversPort, docs, first, isAnywhere, isFalse, isSet, isTrue, nested, numberOf, rule, type Values } from "../helpers";

const SG_TYPES = ["ibm_is_security_group", "ibm_is_security_group_rule"];
const ACL = ["ibm_is_network_acl"];
const SG_DOCS = "https://cloud.ibm.com/docs/vpc?topic=vpc-using-security-groups";
const ACL_DOCS = "https://cloud.ibm.com/docs/vpc?topic=vpc-using-acls";
/** Protocols that include TCP: IBM's "anything" values. */
const ALL_PROTOCOLS = ["all", "any", "icmp_tcp_udp"];

interface IbmRule {
  readonly protocol: string;
  readonly min: unknown;
  readonly max: unknown;
  readonly label: string;
}

/** Ports of a rule: top-level port_min/port_max (2.x) or the older tcp/udp blocks. */
function portsOf(r: Values): { min: unknown; max: unknown } {
  const legacy = first(r, "tcp") ?? first(r, "udp");
  return { min: r.port_min ?? legacy?.port_min, max: r.port_max ?? legacy?.port_max };
}

function protocolOf(r: Values): string {
  if (isSet(r.protocol)) return String(r.protocol);
  if (first(r, "tcp")) return "tcp";
  if (first(r, "udp")) return "udp";
  if (first(r, "icmp")) return "icmp";
  return "all";
}

/** Inbound security group rules from the internet. */
function sgInternetIngress(block: Block): IbmRule[] {
  const rules = block.type === "ibm_is_security_group" ? nested(block.values, "rules") : [block.values];
  return rules
    .filter((r) => r.direction === "inbound" && isAnywhere(r.remote))
    .map((r, i) => ({ protocol: protocolOf(r), ...portsOf(r), label: block.type === "ibm_is_security_group" ? `rules[${i}]` : "rule" }));
}

/** Inbound ACL allow rules from the internet. */
function aclInternetAllows(acl: Block): IbmRule[] {
  return nested(acl.values, "rules")
    .map((r, i) => ({ r, i }))
    .filter(({ r }) => r.direction === "inbound" && r.action === "allow" && isAnywhere(r.source))
    .map(({ r, i }) => ({ protocol: protocolOf(r), ...portsOf(r), label: `rules[${i}] ${String(r.name ?? "")}`.trim() }));
}

const admitsTcp = (port: number) => (r: IbmRule) => ALL_PROTOCOLS.includes(r.protocol) || (r.protocol === "tcp" && coversPort(r.min, r.max, port));

function sgPortRule(id: string, port: number, service: string): Rule {
  return rule({
    id,
    level: "error",
    pack: "baseline",
    cloud: "ibm",
    resourceTypes: SG_TYPES,
    title: `Security groups allow no ${service} (port ${port}) from the internet`,
    rationale: `${service} open to 0.0.0.0/0 is found and attacked within minutes; use a bastion or the edge.`,
    docs: SG_DOCS,
    fix: `Narrow the remote of the rule that admits TCP ${port}, or remove it.`,
    check: (block) => sgInternetIngress(block).filter(admitsTcp(port)).map((r) => `${r.label} admits TCP ${port} from 0.0.0.0/0`),
  });
}

export const IBM_RULES: readonly Rule[] = [
  rule({
    id: "SIROS-IBM-VPC-1",
    checkov: "CKV2_IBM_2",
    level: "error",
    pack: "baseline",
    cloud: "ibm",
    resourceTypes: ["ibm_is_vpc"],
    title: "VPCs have no classic access",
    rationale: "Classic access connects the VPC to the account's classic infrastructure network, outside the VPC's ACLs and security groups.",
    docs: docs.ibm("is_vpc"),
    fix: "Remove classic_access (or set it to false).",
    check: (vpc) => (isTrue(vpc.values.classic_access) ? "classic_access is true" : undefined),
  }),
  rule({
    id: "SIROS-IBM-VPC-2",
    level: "error",
    pack: "baseline",
    cloud: "ibm",
    resourceTypes: ["ibm_is_vpc"],
    title: "VPCs create their default security group and ACL without allow rules",
    rationale: "IBM's default ACL allows all traffic and the default security group allows all inbound from its members; anything created without an explicit group or ACL gets them.",
    docs: docs.ibm("is_vpc"),
    fix: "Set no_sg_acl_rules = true.",
    check: (vpc) => (isTrue(vpc.values.no_sg_acl_rules) ? undefined : "no_sg_acl_rules is not true"),
  }),
  rule({
    id: "SIROS-IBM-VPC-3",
    level: "error",
    pack: "baseline",
    cloud: "ibm",
    resourceTypes: ["ibm_is_vpc"],
    title: "VPCs have an active flow log collector",
    rationale: "Flow logs are the record of which addresses talked to which, needed to investigate any incident.",
    docs: docs.ibm("is_flow_log"),
    fix: "Add an ibm_is_flow_log with target = the VPC's id and active = true.",
    check: (vpc, stack) => (stack.referencing(vpc, "ibm_is_flow_log", "target").some((log) => !isFalse(log.values.active)) ? undefined : "no active flow log targets this VPC"),
  }),
  rule({
    id: "SIROS-IBM-ACL-1",
    level: "error",
    pack: "baseline",
    cloud: "ibm",
    resourceTypes: ACL,
    title: "Network ACLs allow no SSH (port 22) from the internet",
    rationale: "SSH open to 0.0.0.0/0 is found and attacked within minutes; the ACL is the subnet's first filter.",
    docs: ACL_DOCS,
    fix: "Remove the inbound allow covering TCP 22 from 0.0.0.0/0, or narrow its source.",
    check: (acl) => aclInternetAllows(acl).filter(admitsTcp(22)).map((r) => `${r.label} admits TCP 22 from 0.0.0.0/0`),
  }),
  rule({
    id: "SIROS-IBM-ACL-2",
    level: "error",
    pack: "baseline",
    cloud: "ibm",
    resourceTypes: ACL,
    title: "Network ACLs allow no protocol-wide ingress from the internet",
    rationale: "An inbound allow of every protocol from 0.0.0.0/0 leaves the subnet to its security groups alone.",
    docs: ACL_DOCS,
    fix: "Allow only the replies (TCP/UDP 1024-65535) and the ports the edge serves from 0.0.0.0/0.",
    check: (acl) => aclInternetAllows(acl).filter((r) => ALL_PROTOCOLS.includes(r.protocol)).map((r) => `${r.label} admits ${r.protocol} from 0.0.0.0/0`),
  }),
  sgPortRule("SIROS-IBM-SG-1", 22, "SSH"),
  sgPortRule("SIROS-IBM-SG-2", 3389, "RDP"),
  rule({
    id: "SIROS-IBM-SG-3",
    level: "error",
    pack: "baseline",
    cloud: "ibm",
    resourceTypes: SG_TYPES,
    title: "Security groups allow no protocol-wide ingress from the internet",
    rationale: "Every protocol from 0.0.0.0/0 exposes every service of every interface in the group.",
    docs: SG_DOCS,
    fix: "Admit only the ports the edge serves, or narrow the remote.",
    check: (block) => sgInternetIngress(block).filter((r) => ALL_PROTOCOLS.includes(r.protocol)).map((r) => `${r.label} admits ${r.protocol} from 0.0.0.0/0`),
  }),
  rule({
    id: "SIROS-IBM-SG-4",
    level: "warning",
    pack: "baseline",
    cloud: "ibm",
    resourceTypes: SG_TYPES,
    title: "Internet ingress is declared for the edge only",
    rationale: "Any rule open to 0.0.0.0/0 is an entry point; the project allows them only as the edge's declared public ingress, which this warning lists for review.",
    docs: SG_DOCS,
    fix: "Keep internet ingress to the edge's declared ports (environment publicIngress); suppress with the reason on the edge's rules.",
    check: (block) => sgInternetIngress(block).filter((r) => !ALL_PROTOCOLS.includes(r.protocol)).map((r) => `${r.label} admits ${r.protocol} ${String(r.min ?? "")}-${String(r.max ?? "")} from 0.0.0.0/0`),
  }),
  rule({
    id: "SIROS-IBM-COS-1",
    level: "error",
    pack: "baseline",
    cloud: "ibm",
    resourceTypes: ["ibm_cos_bucket"],
    title: "Object Storage buckets are encrypted with a Key Protect or HPCS root key",
    rationale: "A customer root key puts every object under a key whose use is logged and can be revoked (crypto-shredding).",
    docs: docs.ibm("cos_bucket"),
    fix: "Set kms_key_crn to a root key's CRN and authorize COS to read it (ibm_iam_authorization_policy).",
    check: (bucket) => (isSet(bucket.values.kms_key_crn) || isSet(bucket.values.key_protect) ? undefined : "neither kms_key_crn nor key_protect is set"),
  }),
  rule({
    id: "SIROS-IBM-COS-2",
    level: "warning",
    pack: "production",
    cloud: "ibm",
    resourceTypes: ["ibm_cos_bucket"],
    title: "Production Object Storage buckets record activity and metrics",
    rationale: "Activity Tracker events record who read and wrote objects; metrics monitoring shows usage and errors.",
    docs: docs.ibm("cos_bucket"),
    fix: "Add activity_tracking { read_data_events, write_data_events, management_events } and metrics_monitoring { usage_metrics_enabled, request_metrics_enabled }.",
    check: (bucket) => {
      const missing = ["activity_tracking", "metrics_monitoring"].filter((k) => !first(bucket.values, k));
      return missing.length ? `no ${missing.join(" or ")}` : undefined;
    },
  }),
  rule({
    id: "SIROS-IBM-KMS-1",
    level: "error",
    pack: "baseline",
    cloud: "ibm",
    resourceTypes: ["ibm_kms_key"],
    title: "Key Protect keys are root keys",
    rationale: "Standard keys are exported to their users and cannot wrap other keys; envelope encryption (COS, block storage, databases) needs a root key.",
    docs: docs.ibm("kms_key"),
    fix: "Set standard_key = false.",
    check: (key) => (isTrue(key.values.standard_key) ? "standard_key is true" : undefined),
  }),
  rule({
    id: "SIROS-IBM-KMS-2",
    level: "error",
    pack: "baseline",
    cloud: "ibm",
    resourceTypes: ["ibm_kms_key"],
    title: "Key Protect keys in use cannot be force-deleted",
    rationale: "force_delete destroys a key even while resources are registered to it, making their data unreadable.",
    docs: docs.ibm("kms_key"),
    fix: "Set force_delete = false (the default).",
    check: (key) => (isTrue(key.values.force_delete) ? "force_delete is true" : undefined),
  }),
  rule({
    id: "SIROS-IBM-KMS-3",
    level: "error",
    pack: "baseline",
    cloud: "ibm",
    resourceTypes: ["ibm_kms_key"],
    title: "Key Protect root keys rotate at least yearly",
    rationale: "A rotation policy creates new key material on schedule; without it a root key protects data with one version forever.",
    docs: docs.ibm("kms_key_policies"),
    fix: "Add an ibm_kms_key_policies for the key with rotation { enabled = true, interval_month = 12 or less }.",
    check: (key, stack) => {
      if (isTrue(key.values.standard_key)) return undefined;
      const rotations = stack.referencing(key, "ibm_kms_key_policies", "key_id").map((p) => first(p.values, "rotation")).filter((r): r is Values => r !== undefined);
      if (!rotations.some((r) => !isFalse(r.enabled))) return "no ibm_kms_key_policies with rotation for this key";
      const months = Math.min(...rotations.map((r) => numberOf(r.interval_month) ?? 1));
      return months > 12 ? `rotation interval_month is ${months}` : undefined;
    },
  }),
  rule({
    id: "SIROS-IBM-KMS-4",
    level: "warning",
    pack: "production",
    cloud: "ibm",
    resourceTypes: ["ibm_kms_key"],
    title: "Production root keys need dual authorization to delete",
    rationale: "With dual authorization, deleting a key takes two people, so one compromised or mistaken identity cannot destroy it.",
    docs: docs.ibm("kms_key_policies"),
    fix: "Add dual_auth_delete { enabled = true } to the key's ibm_kms_key_policies.",
    check: (key, stack) =>
      stack.referencing(key, "ibm_kms_key_policies", "key_id").some((p) => isTrue(first(p.values, "dual_auth_delete")?.enabled)) ? undefined : "dual_auth_delete is not enabled",
  }),
  rule({
    id: "SIROS-IBM-SM-1",
    level: "error",
    pack: "baseline",
    cloud: "ibm",
    resourceTypes: ["ibm_resource_instance"],
    title: "Secrets Manager instances are reachable through private endpoints only",
    rationale: "A public endpoint exposes the secrets API to the internet; workloads reach it over IBM's private network.",
    docs: "https://cloud.ibm.com/docs/secrets-manager?topic=secrets-manager-endpoints",
    fix: "Set parameters = { allowed_network = \"private-only\" } (and service_endpoints = \"private\").",
    check: (instance) => {
      if (instance.values.service !== "secrets-manager") return undefined;
      return privateOnly(instance) ? undefined : "parameters.allowed_network is not private-only";
    },
  }),
  rule({
    id: "SIROS-IBM-KP-1",
    level: "warning",
    pack: "production",
    cloud: "ibm",
    resourceTypes: ["ibm_resource_instance"],
    title: "Production Key Protect instances are reachable through private endpoints only",
    rationale: "Services use Key Protect over IBM's private network; a public endpoint is an attack surface nothing needs.",
    docs: "https://cloud.ibm.com/docs/key-protect?topic=key-protect-private-endpoints",
    fix: "Set parameters = { allowed_network = \"private-only\" }.",
    check: (instance) => {
      if (instance.values.service !== "kms") return undefined;
      return privateOnly(instance) ? undefined : "parameters.allowed_network is not private-only";
    },
  }),
  ...PLATFORM_RULES,
  ...OBSERVABILITY_RULES,
];

/** `allowed_network = "private-only"` in parameters or parameters_json, or private service endpoints only. */
function privateOnly(instance: Block): boolean {
  const parameters = instance.values.parameters as Values | undefined;
  if (parameters?.allowed_network === "private-only" || instance.values.service_endpoints === "private") return true;
  try {
    return (JSON.parse(String(instance.values.parameters_json ?? "{}")) as Values).allowed_network === "private-only";
  } catch {
    return false;
  }
}
