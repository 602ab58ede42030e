import type { Rule } from "../../rule";
import { docs, first, isSet, isTrue, rule, strings } from "../helpers";

/** Load balancer listener protocols that are TLS 1.2 or newer. */
const TLS12_PROTOCOLS = ["TLSv1.2", "TLSv1.3"];

/** Rules for the Kubernetes (OKE), PostgreSQL (OCI Database with PostgreSQL) and edge (load balancer, WAF) modules. */
export const PLATFORM_RULES: readonly Rule[] = [
  rule({
    id: "SIROS-OCI-OKE-1",
    level: "error",
    pack: "baseline",
    cloud: "oci",
    resourceTypes: ["oci_containerengine_cluster"],
    title: "OKE cluster API endpoints have no public IP address",
    rationale: "A public endpoint exposes the Kubernetes API to the internet; a private endpoint in a private subnet is reached from the VCN or the Bastion service.",
    docs: docs.oci("containerengine_cluster"),
    fix: "Set endpoint_config { is_public_ip_enabled = false, subnet_id = <a private subnet> }.",
    check: (cluster) => {
      const endpoint = first(cluster.values, "endpoint_config");
      if (!endpoint) return "endpoint_config is not set (the API endpoint is then the legacy public one)";
      return isTrue(endpoint.is_public_ip_enabled) ? "endpoint_config.is_public_ip_enabled is true" : undefined;
    },
  }),
  rule({
    id: "SIROS-OCI-OKE-2",
    level: "error",
    pack: "baseline",
    cloud: "oci",
    resourceTypes: ["oci_containerengine_cluster"],
    title: "OKE clusters encrypt Kubernetes secrets with a Vault key",
    rationale: "With kms_key_id the cluster envelope-encrypts Secrets in etcd with a customer-managed key whose use is logged and can be revoked.",
    docs: docs.oci("containerengine_cluster"),
    fix: "Set kms_key_id to the environment's Vault key and allow the cluster to use it (IAM policy).",
    check: (cluster) => (isSet(cluster.values.kms_key_id) ? undefined : "kms_key_id is not set"),
  }),
  rule({
    id: "SIROS-OCI-PSQL-1",
    level: "error",
    pack: "baseline",
    cloud: "oci",
    resourceTypes: ["oci_psql_db_system"],
    title: "PostgreSQL DB systems are in a private subnet behind a network security group",
    rationale: "The DB system's endpoint takes an address in its subnet; a subnet that prohibits public IPs and an NSG keep PostgreSQL off the internet and open only to its clients.",
    docs: docs.oci("psql_db_system"),
    fix: "Set network_details { subnet_id = <a subnet with prohibit_public_ip_on_vnic = true>, nsg_ids = [<the database NSG>] }.",
    check: (db, stack) => {
      const network = first(db.values, "network_details");
      const problems: string[] = [];
      if (strings(network?.nsg_ids).length === 0) problems.push("network_details.nsg_ids is empty");
      const subnet = stack.referencedBy(db, "network_details", "oci_core_subnet");
      if (subnet && !isTrue(subnet.values.prohibit_public_ip_on_vnic)) problems.push(`network_details.subnet_id is ${subnet.address}, which allows public IPs`);
      return problems;
    },
  }),
  rule({
    id: "SIROS-OCI-PSQL-2",
    level: "error",
    pack: "baseline",
    cloud: "oci",
    resourceTypes: ["oci_psql_db_system"],
    title: "PostgreSQL DB systems take automatic backups",
    rationale: "Without a backup policy a deleted table or a lost DB system cannot be restored.",
    docs: docs.oci("psql_db_system"),
    fix: "Set management_policy { backup_policy { kind = \"DAILY\", retention_days = ... } }.",
    check: (db) => {
      const kind = first(db.values, "management_policy.backup_policy")?.kind;
      return isSet(kind) && kind !== "NONE" ? undefined : `management_policy.backup_policy.kind is ${JSON.stringify(kind ?? "not set")}`;
    },
  }),
  rule({
    id: "SIROS-OCI-LB-1",
    level: "error",
    pack: "baseline",
    cloud: "oci",
    resourceTypes: ["oci_load_balancer_listener"],
    title: "TLS listeners accept only TLS 1.2 and 1.3",
    rationale: "Without protocols the listener's cipher suite decides, and older suites still accept TLS 1.0 and 1.1.",
    docs: docs.oci("load_balancer_listener"),
    fix: "Set ssl_configuration { protocols = [\"TLSv1.2\", \"TLSv1.3\"] } with a TLS 1.2+ cipher suite.",
    check: (listener) => {
      const ssl = first(listener.values, "ssl_configuration");
      if (!ssl) return undefined;
      const protocols = strings(ssl.protocols);
      if (protocols.length === 0) return "ssl_configuration.protocols is not set";
      const old = protocols.filter((p) => !TLS12_PROTOCOLS.includes(p));
      return old.length ? `ssl_configuration.protocols accepts ${old.join(", ")}` : undefined;
    },
  }),
  rule({
    id: "SIROS-OCI-LB-2",
    level: "error",
    pack: "baseline",
    cloud: "oci",
    resourceTypes: ["oci_load_balancer_load_balancer"],
    title: "Public load balancers are protected by a web application firewall",
    rationale: "The edge is the one place the internet reaches; the WAF filters common exploits and rate-limits before requests reach the cluster.",
    docs: docs.oci("waf_web_app_firewall"),
    fix: "Add an oci_waf_web_app_firewall with backend_type = \"LOAD_BALANCER\" and load_balancer_id = the load balancer's id.",
    check: (lb, stack) => {
      if (isTrue(lb.values.is_private)) return undefined;
      return stack.referencing(lb, "oci_waf_web_app_firewall", "load_balancer_id").length ? undefined : "no oci_waf_web_app_firewall names this load balancer";
    },
  }),
];
