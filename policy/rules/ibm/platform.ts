import type { Rule } from "../../rule";
import { docs, first, isAnywhere, isSet, isTrue, nested, rule } from "../helpers";

/** Rules for the Kubernetes (IKS on VPC), PostgreSQL (Databases for PostgreSQL) and edge (VPC load balancer) modules. */
export const PLATFORM_RULES: readonly Rule[] = [
  rule({
    id: "SIROS-IBM-IKS-1",
    level: "error",
    pack: "baseline",
    cloud: "ibm",
    resourceTypes: ["ibm_container_vpc_cluster"],
    title: "Kubernetes clusters have their public service endpoint disabled",
    rationale: "With the public service endpoint the cluster master is reachable from the internet; the private endpoint keeps it on IBM's private network and the VPC.",
    docs: docs.ibm("container_vpc_cluster"),
    fix: "Set disable_public_service_endpoint = true.",
    check: (cluster) => (isTrue(cluster.values.disable_public_service_endpoint) ? undefined : "disable_public_service_endpoint is not true"),
  }),
  rule({
    id: "SIROS-IBM-IKS-2",
    level: "error",
    pack: "baseline",
    cloud: "ibm",
    resourceTypes: ["ibm_container_vpc_cluster"],
    title: "Kubernetes clusters encrypt secrets with a Key Protect root key",
    rationale: "The KMS provider envelope-encrypts Kubernetes Secrets with a root key whose use is logged and whose revocation makes them unreadable.",
    docs: docs.ibm("container_vpc_cluster"),
    fix: "Set kms_config { instance_id = <the Key Protect instance guid>, crk_id = <the root key id>, private_endpoint = true }.",
    check: (cluster) => {
      const kms = first(cluster.values, "kms_config");
      return isSet(kms?.crk_id) && isSet(kms?.instance_id) ? undefined : "kms_config with crk_id and instance_id is not set";
    },
  }),
  rule({
    id: "SIROS-IBM-ICD-1",
    level: "error",
    pack: "baseline",
    cloud: "ibm",
    resourceTypes: ["ibm_database"],
    title: "Cloud Databases deployments expose only private endpoints",
    rationale: "A public endpoint puts PostgreSQL on the internet behind its allowlist only; private endpoints keep it on IBM's private network.",
    docs: docs.ibm("database"),
    fix: "Set service_endpoints = \"private\".",
    check: (db) => (db.values.service_endpoints === "private" ? undefined : `service_endpoints is ${JSON.stringify(db.values.service_endpoints ?? "public")}`),
  }),
  rule({
    id: "SIROS-IBM-ICD-2",
    level: "error",
    pack: "baseline",
    cloud: "ibm",
    resourceTypes: ["ibm_database"],
    title: "Cloud Databases deployments encrypt disks and backups with a Key Protect root key",
    rationale: "Bring-your-own-key puts the data and its backups under a root key whose use is logged and whose revocation makes them unreadable.",
    docs: docs.ibm("database"),
    fix: "Set key_protect_key and backup_encryption_key_crn to the root key's CRN.",
    check: (db) => [
      ...(isSet(db.values.key_protect_key) ? [] : ["key_protect_key is not set"]),
      ...(isSet(db.values.backup_encryption_key_crn) ? [] : ["backup_encryption_key_crn is not set"]),
    ],
  }),
  rule({
    id: "SIROS-IBM-ICD-3",
    level: "error",
    pack: "baseline",
    cloud: "ibm",
    resourceTypes: ["ibm_database"],
    title: "Cloud Databases allowlists do not admit the whole internet",
    rationale: "An allowlist entry of 0.0.0.0/0 admits every address, undoing the allowlist.",
    docs: docs.ibm("database"),
    fix: "List only the clients' subnets in allowlist.",
    check: (db) => nested(db.values, "allowlist").filter((entry) => isAnywhere(entry.address)).map((entry) => `allowlist admits ${String(entry.address)}`),
  }),
  rule({
    id: "SIROS-IBM-ICD-4",
    level: "error",
    pack: "production",
    cloud: "ibm",
    resourceTypes: ["ibm_database"],
    title: "Production Cloud Databases deployments have deletion protection and are kept by prevent_destroy",
    rationale: "deletion_protection makes the provider refuse to delete the deployment; prevent_destroy makes Terraform refuse a plan that would. A deleted deployment takes its data with it.",
    docs: docs.ibm("database"),
    fix: "Set deletion_protection = true and lifecycle { prevent_destroy = true }.",
    check: (db) => [
      ...(isTrue(db.values.deletion_protection) ? [] : ["deletion_protection is not true"]),
      ...(isTrue(first(db.values, "lifecycle")?.prevent_destroy) ? [] : ["lifecycle.prevent_destroy is not set"]),
    ],
  }),
  rule({
    id: "SIROS-IBM-LB-1",
    level: "error",
    pack: "baseline",
    cloud: "ibm",
    resourceTypes: ["ibm_is_lb_listener"],
    title: "Plain-HTTP listeners of public load balancers redirect to HTTPS",
    rationale: "A listener that serves HTTP sends requests, cookies and tokens in clear text across the internet.",
    docs: docs.ibm("is_lb_listener"),
    fix: "Set https_redirect { http_status_code = 301, listener { id = <the HTTPS listener> } } on the HTTP listener.",
    check: (listener, stack) => {
      if (String(listener.values.protocol) !== "http") return undefined;
      const lb = stack.referencedBy(listener, "lb", "ibm_is_lb");
      if (lb && lb.values.type === "private") return undefined;
      return first(listener.values, "https_redirect") ? undefined : "protocol is http without https_redirect";
    },
  }),
  rule({
    id: "SIROS-IBM-LB-2",
    level: "warning",
    pack: "baseline",
    cloud: "ibm",
    resourceTypes: ["ibm_is_lb"],
    title: "Load balancers send data-path logs",
    rationale: "Data-path logs record every connection to the edge; without them an incident at the entry point leaves no trace.",
    docs: docs.ibm("is_lb"),
    fix: "Set logging = true (logs go to the region's logging instance).",
    check: (lb) => (isTrue(lb.values.logging) ? undefined : "logging is not true"),
  }),
];
