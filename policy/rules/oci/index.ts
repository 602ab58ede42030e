import type { Rule } from "../../rule";
import type { Block, StackIndex } from "../../terraform-json";
import { OBSERVABILITY_RULES } from "./observability";
import { PLATFORM_RULES } from "./platform";
import { coversPort, docs, first, isAnywhere, isFalse, isSet, isTrue, nested, numberOf, rule, type Values } from "../helpers";

const SECURITY_TYPES = ["oci_core_security_list", "oci_core_default_security_list", "oci_core_network_security_group_security_rule"];
const SECURITY_DOCS = "https://docs.oracle.com/en-us/iaas/Content/Network/Concepts/securityrules.htm";

/** Ingress rules from the internet, with their TCP destination range (undefined bounds: every port). */
function internetIngress(block: Block): { protocol: string; min: unknown; max: unknown; label: string }[] {
  const rules: { values: Values; label: string; ports?: Values }[] =
    block.type === "oci_core_network_security_group_security_rule"
      ? block.values.direction === "INGRESS"
        ? [{ values: block.values, label: "rule", ports: first(block.values, "tcp_options.destination_port_range") }]
        : []
      : nested(block.values, "ingress_security_rules").map((r, i) => ({ values: r, label: `ingress_security_rules[${i}]`, ports: first(r, "tcp_options") }));
  return rules
    .filter(({ values }) => isAnywhere(values.source))
    .map(({ values, label, ports }) => ({ protocol: String(values.protocol), min: ports?.min, max: ports?.max, label }));
}

const opens = (port: number) => (r: { protocol: string; min: unknown; max: unknown }) => r.protocol === "all" || (r.protocol === "6" && coversPort(r.min, r.max, port));

function internetPortRule(id: string, checkov: string | undefined, port: number, service: string): Rule {
  return rule({
    id,
    ...(checkov ? { checkov } : {}),
    level: "error",
    pack: "baseline",
    cloud: "oci",
    resourceTypes: SECURITY_TYPES,
    title: `Security lists and NSGs allow no ${service} (port ${port}) from the internet`,
    rationale: `${service} open to 0.0.0.0/0 is found and attacked within minutes; use the Bastion service or the edge.`,
    docs: SECURITY_DOCS,
    fix: `Narrow the source of the rule that admits TCP ${port}, or remove it.`,
    check: (block) => internetIngress(block).filter(opens(port)).map((r) => `${r.label} admits TCP ${port} from 0.0.0.0/0`),
  });
}

/** True when a route table sends traffic to an internet gateway: its subnets are public. */
function routesToInternet(table: Block | undefined, stack: StackIndex): boolean {
  if (!table) return false;
  return nested(table.values, "route_rules").some((r) => stack.resolve(String(r.network_entity_id ?? ""))?.type === "oci_core_internet_gateway");
}

export const OCI_RULES: readonly Rule[] = [
  internetPortRule("SIROS-OCI-NET-1", "CKV_OCI_19", 22, "SSH"),
  internetPortRule("SIROS-OCI-NET-2", "CKV_OCI_20", 3389, "RDP"),
  rule({
    id: "SIROS-OCI-NET-3",
    level: "error",
    pack: "baseline",
    cloud: "oci",
    resourceTypes: SECURITY_TYPES,
    title: "Security lists and NSGs allow no protocol-wide ingress from the internet",
    rationale: "Protocol \"all\" from 0.0.0.0/0 exposes every service of every VNIC in the subnet.",
    docs: SECURITY_DOCS,
    fix: "Admit only the ports the edge serves, or narrow the source.",
    check: (block) => internetIngress(block).filter((r) => r.protocol === "all").map((r) => `${r.label} admits every protocol from 0.0.0.0/0`),
  }),
  rule({
    id: "SIROS-OCI-NET-4",
    level: "warning",
    pack: "baseline",
    cloud: "oci",
    resourceTypes: SECURITY_TYPES,
    title: "Internet ingress is declared for the edge only",
    rationale: "Any rule open to 0.0.0.0/0 is an entry point; the project allows them only as the edge's declared public ingress, which this warning lists for review.",
    docs: SECURITY_DOCS,
    fix: "Keep internet ingress to the edge's declared ports (environment publicIngress); suppress with the reason on the edge's security list.",
    check: (block) => internetIngress(block).filter((r) => r.protocol !== "all").map((r) => `${r.label} admits protocol ${r.protocol} ${String(r.min ?? "")}-${String(r.max ?? "")} from 0.0.0.0/0`),
  }),
  rule({
    id: "SIROS-OCI-NET-5",
    level: "error",
    pack: "baseline",
    cloud: "oci",
    resourceTypes: ["oci_core_vcn"],
    title: "Every VCN's default security list is managed with no rules",
    rationale: "OCI creates the default security list allowing SSH from anywhere and ICMP; any subnet created without a list gets it.",
    docs: "https://github.com/oracle/terraform-provider-oci/blob/v8.28.0/website/docs/guides/managing_default_resources.html.markdown",
    fix: "Add an oci_core_default_security_list with manage_default_resource_id = the VCN's default_security_list_id and no rules.",
    check: (vcn, stack) => {
      const managed = stack.referencing(vcn, "oci_core_default_security_list", "manage_default_resource_id");
      if (managed.length === 0) return "the default security list is not managed (it keeps SSH from 0.0.0.0/0)";
      return managed.some((l) => nested(l.values, "ingress_security_rules").length || nested(l.values, "egress_security_rules").length) ? "the managed default security list has rules" : undefined;
    },
  }),
  rule({
    id: "SIROS-OCI-NET-6",
    level: "error",
    pack: "baseline",
    cloud: "oci",
    resourceTypes: ["oci_core_subnet"],
    title: "Subnets without a route to the internet gateway prohibit public IPs",
    rationale: "A private subnet's VNICs must not get public IPs or internet ingress, whatever an instance asks for.",
    docs: docs.oci("core_subnet"),
    fix: "Set prohibit_public_ip_on_vnic = true and prohibit_internet_ingress = true on private subnets.",
    check: (subnet, stack) => {
      if (routesToInternet(stack.referencedBy(subnet, "route_table_id"), stack)) return undefined;
      return isTrue(subnet.values.prohibit_public_ip_on_vnic) || isTrue(subnet.values.prohibit_internet_ingress) ? undefined : "a private subnet allows public IPs on its VNICs";
    },
  }),
  rule({
    id: "SIROS-OCI-NET-7",
    level: "error",
    pack: "baseline",
    cloud: "oci",
    resourceTypes: ["oci_core_subnet"],
    title: "Subnets have flow logs",
    rationale: "Flow logs are the record of which addresses talked to which, needed to investigate any incident.",
    docs: docs.oci("logging_log"),
    fix: "Add an oci_logging_log of log_type SERVICE with configuration.source { service = \"flowlogs\", resource = the subnet's id, category = \"all\" }.",
    check: (subnet, stack) =>
      stack.referencing(subnet, "oci_logging_log", "configuration").some((log) => first(log.values, "configuration.source")?.service === "flowlogs" && !isFalse(log.values.is_enabled))
        ? undefined
        : "no enabled flowlogs log has this subnet as its source",
  }),
  rule({
    id: "SIROS-OCI-LOG-1",
    level: "error",
    pack: "production",
    cloud: "oci",
    resourceTypes: ["oci_logging_log"],
    title: "Production service logs are kept at least 90 days",
    rationale: "Incidents are often found weeks after they start; the Logging service's default is 30 days.",
    docs: docs.oci("logging_log"),
    fix: "Set retention_duration to 90 or more (30-day steps up to 180).",
    check: (log) => {
      const days = numberOf(log.values.retention_duration) ?? 30;
      return days < 90 ? `retention_duration is ${days}` : undefined;
    },
  }),
  rule({
    id: "SIROS-OCI-KMS-1",
    level: "error",
    pack: "baseline",
    cloud: "oci",
    resourceTypes: ["oci_kms_key"],
    title: "Vault keys rotate automatically",
    rationale: "Automatic rotation creates new key versions on schedule, limiting how much data one version protects.",
    docs: docs.oci("kms_key"),
    fix: "Set is_auto_rotation_enabled = true and auto_key_rotation_details { rotation_interval_in_days = 90 }.",
    check: (key) => (isTrue(key.values.is_auto_rotation_enabled) ? undefined : "is_auto_rotation_enabled is not true"),
  }),
  rule({
    id: "SIROS-OCI-KMS-2",
    level: "error",
    pack: "production",
    cloud: "oci",
    resourceTypes: ["oci_kms_key"],
    title: "Production vault keys are HSM-protected",
    rationale: "Keys with protection mode HSM never leave the vault's FIPS 140-2 Level 3 HSM; SOFTWARE keys are held in software.",
    docs: docs.oci("kms_key"),
    fix: "Set protection_mode = \"HSM\".",
    check: (key) => (key.values.protection_mode === undefined || key.values.protection_mode === "HSM" ? undefined : `protection_mode is ${JSON.stringify(key.values.protection_mode)}`),
  }),
  rule({
    id: "SIROS-OCI-KMS-3",
    level: "warning",
    pack: "production",
    cloud: "oci",
    resourceTypes: ["oci_kms_vault"],
    title: "Production vaults are virtual private vaults",
    rationale: "A VIRTUAL_PRIVATE vault has its own HSM partition, isolated from other tenants' keys.",
    docs: docs.oci("kms_vault"),
    fix: "Set vault_type = \"VIRTUAL_PRIVATE\".",
    check: (vault) => (vault.values.vault_type === "VIRTUAL_PRIVATE" ? undefined : `vault_type is ${JSON.stringify(vault.values.vault_type)}`),
  }),
  rule({
    id: "SIROS-OCI-OBJ-1",
    checkov: "CKV_OCI_10",
    level: "error",
    pack: "baseline",
    cloud: "oci",
    resourceTypes: ["oci_objectstorage_bucket"],
    title: "Object Storage buckets are not public",
    rationale: "ObjectRead or ObjectReadWithoutList lets anyone on the internet read the objects.",
    docs: docs.oci("objectstorage_bucket"),
    fix: "Set access_type = \"NoPublicAccess\" (the default).",
    check: (bucket) => (bucket.values.access_type === undefined || bucket.values.access_type === "NoPublicAccess" ? undefined : `access_type is ${JSON.stringify(bucket.values.access_type)}`),
  }),
  rule({
    id: "SIROS-OCI-OBJ-2",
    checkov: "CKV_OCI_9",
    level: "error",
    pack: "baseline",
    cloud: "oci",
    resourceTypes: ["oci_objectstorage_bucket"],
    title: "Object Storage buckets are encrypted with a customer-managed key",
    rationale: "A vault key puts reads under a key policy that can be audited and revoked; Oracle-managed keys cannot.",
    docs: docs.oci("objectstorage_bucket"),
    fix: "Set kms_key_id to the environment's vault key.",
    check: (bucket) => (isSet(bucket.values.kms_key_id) ? undefined : "kms_key_id is not set"),
  }),
  rule({
    id: "SIROS-OCI-OBJ-3",
    checkov: "CKV_OCI_8",
    level: "warning",
    pack: "baseline",
    cloud: "oci",
    resourceTypes: ["oci_objectstorage_bucket"],
    title: "Object Storage buckets keep object versions, or a retention rule protects the objects",
    rationale: "Versioning keeps overwritten and deleted objects recoverable; OCI refuses retention rules on a versioned bucket, and a retention rule keeps every object undeletable and unchangeable instead.",
    docs: docs.oci("objectstorage_bucket"),
    fix: "Set versioning = \"Enabled\", or give the bucket a retention_rules block.",
    check: (bucket) =>
      bucket.values.versioning === "Enabled" || nested(bucket.values, "retention_rules").length > 0
        ? undefined
        : "versioning is not Enabled and no retention rule protects the objects",
  }),
  ...PLATFORM_RULES,
  ...OBSERVABILITY_RULES,
];
