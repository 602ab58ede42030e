import type { Rule } from "../../rule";
import { docs, first, isFalse, isSet, isTrue, nested, rule } from "../helpers";

/** Cloud SQL SSL modes that refuse unencrypted connections. */
const ENCRYPTED_SSL_MODES = ["ENCRYPTED_ONLY", "TRUSTED_CLIENT_CERTIFICATE_REQUIRED"];
/** Backend-service schemes that face the internet, where Cloud Armor applies. */
const EXTERNAL_SCHEMES = ["EXTERNAL", "EXTERNAL_MANAGED"];

/** Rules for the Kubernetes (GKE), PostgreSQL (Cloud SQL), storage (GCS) and edge (HTTPS load balancer) modules. */
export const PLATFORM_RULES: readonly Rule[] = [
  rule({
    id: "SIROS-GCP-GKE-1",
    checkov: "CKV_GCP_64",
    level: "error",
    pack: "baseline",
    cloud: "gcp",
    resourceTypes: ["google_container_cluster"],
    title: "GKE clusters have private nodes",
    rationale: "Private nodes have internal addresses only, so no node is reachable from the internet; egress goes through Cloud NAT.",
    docs: docs.google("container_cluster"),
    fix: "Set private_cluster_config { enable_private_nodes = true }.",
    check: (cluster) => (isTrue(first(cluster.values, "private_cluster_config")?.enable_private_nodes) ? undefined : "private_cluster_config.enable_private_nodes is not true"),
  }),
  rule({
    id: "SIROS-GCP-GKE-2",
    level: "error",
    pack: "baseline",
    cloud: "gcp",
    resourceTypes: ["google_container_cluster"],
    title: "GKE clusters enable Workload Identity",
    rationale: "Workload Identity gives pods their own Google service accounts instead of the node's, and hides the node's credentials from them.",
    docs: docs.google("container_cluster"),
    fix: "Set workload_identity_config { workload_pool = \"<project>.svc.id.goog\" }.",
    check: (cluster) => (isSet(first(cluster.values, "workload_identity_config")?.workload_pool) ? undefined : "workload_identity_config.workload_pool is not set"),
  }),
  rule({
    id: "SIROS-GCP-GKE-3",
    level: "error",
    pack: "baseline",
    cloud: "gcp",
    resourceTypes: ["google_container_cluster"],
    title: "GKE clusters encrypt Kubernetes secrets with a Cloud KMS key",
    rationale: "Application-layer secrets encryption envelope-encrypts Secrets in etcd with a key whose use is logged and can be revoked.",
    docs: docs.google("container_cluster"),
    fix: "Set database_encryption { state = \"ENCRYPTED\", key_name = <the environment's crypto key> }.",
    check: (cluster) => {
      const encryption = first(cluster.values, "database_encryption");
      return encryption?.state === "ENCRYPTED" && isSet(encryption.key_name) ? undefined : "database_encryption is not ENCRYPTED with a key_name";
    },
  }),
  rule({
    id: "SIROS-GCP-GKE-4",
    checkov: "CKV_GCP_71",
    level: "error",
    pack: "baseline",
    cloud: "gcp",
    resourceTypes: ["google_container_cluster"],
    title: "GKE clusters require Shielded GKE Nodes",
    rationale: "Shielded nodes prove their identity to the control plane with a vTPM, so a compromised machine cannot impersonate a node.",
    docs: docs.google("container_cluster"),
    fix: "Leave enable_shielded_nodes unset or set it to true.",
    check: (cluster) => (isFalse(cluster.values.enable_shielded_nodes) ? "enable_shielded_nodes is false" : undefined),
  }),
  rule({
    id: "SIROS-GCP-SQL-1",
    checkov: "CKV_GCP_60",
    level: "error",
    pack: "baseline",
    cloud: "gcp",
    resourceTypes: ["google_sql_database_instance"],
    title: "Cloud SQL instances have no public IP address",
    rationale: "A public IPv4 address puts PostgreSQL on the internet behind authorized networks only; private services access keeps it in the VPC.",
    docs: docs.google("sql_database_instance"),
    fix: "Set settings { ip_configuration { ipv4_enabled = false, private_network = <the VPC> } }.",
    check: (instance) => (isFalse(first(instance.values, "settings.ip_configuration")?.ipv4_enabled) ? undefined : "settings.ip_configuration.ipv4_enabled is not false"),
  }),
  rule({
    id: "SIROS-GCP-SQL-2",
    level: "error",
    pack: "baseline",
    cloud: "gcp",
    resourceTypes: ["google_sql_database_instance"],
    title: "Cloud SQL instances refuse unencrypted connections",
    rationale: "The default SSL mode accepts plaintext connections, so credentials and rows can cross the network unencrypted.",
    docs: docs.google("sql_database_instance"),
    fix: "Set settings { ip_configuration { ssl_mode = \"ENCRYPTED_ONLY\" } } (or TRUSTED_CLIENT_CERTIFICATE_REQUIRED).",
    check: (instance) => {
      const mode = first(instance.values, "settings.ip_configuration")?.ssl_mode;
      return ENCRYPTED_SSL_MODES.includes(String(mode)) ? undefined : `settings.ip_configuration.ssl_mode is ${JSON.stringify(mode ?? "ALLOW_UNENCRYPTED_AND_ENCRYPTED")}`;
    },
  }),
  rule({
    id: "SIROS-GCP-SQL-3",
    checkov: "CKV_GCP_14",
    level: "error",
    pack: "baseline",
    cloud: "gcp",
    resourceTypes: ["google_sql_database_instance"],
    title: "Cloud SQL instances take automated backups",
    rationale: "Without automated backups a deleted table or a corrupted volume cannot be restored.",
    docs: docs.google("sql_database_instance"),
    fix: "Set settings { backup_configuration { enabled = true, point_in_time_recovery_enabled = true } }.",
    check: (instance) => {
      if (isSet(instance.values.master_instance_name)) return undefined;
      return isTrue(first(instance.values, "settings.backup_configuration")?.enabled) ? undefined : "settings.backup_configuration.enabled is not true";
    },
  }),
  rule({
    id: "SIROS-GCP-SQL-4",
    level: "error",
    pack: "production",
    cloud: "gcp",
    resourceTypes: ["google_sql_database_instance"],
    title: "Production Cloud SQL instances keep point-in-time recovery",
    rationale: "Daily backups alone lose up to a day of writes; point-in-time recovery replays the write-ahead log to any second in its retention.",
    docs: docs.google("sql_database_instance"),
    fix: "Set settings { backup_configuration { point_in_time_recovery_enabled = true } }.",
    check: (instance) => {
      if (isSet(instance.values.master_instance_name)) return undefined;
      return isTrue(first(instance.values, "settings.backup_configuration")?.point_in_time_recovery_enabled) ? undefined : "settings.backup_configuration.point_in_time_recovery_enabled is not true";
    },
  }),
  rule({
    id: "SIROS-GCP-SQL-5",
    level: "error",
    pack: "production",
    cloud: "gcp",
    resourceTypes: ["google_sql_database_instance"],
    title: "Production Cloud SQL instances have deletion protection in the API and in Terraform",
    rationale: "settings.deletion_protection_enabled makes the Cloud SQL API refuse to delete the instance, whoever asks (console, gcloud, another tool); deletion_protection makes Terraform refuse a plan that would.",
    docs: docs.google("sql_database_instance"),
    fix: "Set deletion_protection = true and settings { deletion_protection_enabled = true }.",
    check: (instance) => [
      ...(isFalse(instance.values.deletion_protection) ? ["deletion_protection is false"] : []),
      ...(isTrue(first(instance.values, "settings")?.deletion_protection_enabled) ? [] : ["settings.deletion_protection_enabled is not true"]),
    ],
  }),
  rule({
    id: "SIROS-GCP-SQL-6",
    checkov: "CKV_GCP_110",
    level: "warning",
    pack: "baseline",
    cloud: "gcp",
    resourceTypes: ["google_sql_database_instance"],
    title: "Cloud SQL for PostgreSQL instances enable pgAudit",
    rationale: "PostgreSQL's own logs do not say who changed a role or a table's definition; pgAudit writes those statements to Cloud Audit Logs with the session that ran them.",
    docs: docs.google("sql_database_instance"),
    fix: "Add settings { database_flags { name = \"cloudsql.enable_pgaudit\", value = \"on\" } } (and pgaudit.log), then CREATE EXTENSION pgaudit.",
    check: (instance) => {
      if (!String(instance.values.database_version ?? "").startsWith("POSTGRES")) return undefined;
      const flags = nested(first(instance.values, "settings") ?? {}, "database_flags");
      return flags.some((f) => f.name === "cloudsql.enable_pgaudit" && f.value === "on") ? undefined : "database flag cloudsql.enable_pgaudit is not on";
    },
  }),
  rule({
    id: "SIROS-GCP-GCS-3",
    level: "error",
    pack: "baseline",
    cloud: "gcp",
    resourceTypes: ["google_storage_bucket"],
    title: "Cloud Storage buckets encrypt objects with a customer-managed key",
    rationale: "CMEK puts the objects under the environment's Cloud KMS key, whose use is logged and whose revocation makes them unreadable.",
    docs: docs.google("storage_bucket"),
    fix: "Set encryption { default_kms_key_name = <the environment's crypto key> } and grant the Cloud Storage service agent the key.",
    check: (bucket) => (isSet(first(bucket.values, "encryption")?.default_kms_key_name) ? undefined : "encryption.default_kms_key_name is not set"),
  }),
  rule({
    id: "SIROS-GCP-LB-1",
    level: "error",
    pack: "baseline",
    cloud: "gcp",
    resourceTypes: ["google_compute_ssl_policy"],
    title: "SSL policies refuse TLS below 1.2",
    rationale: "The default minimum is TLS 1.0, whose ciphers and handshake have known weaknesses.",
    docs: docs.google("compute_ssl_policy"),
    fix: "Set min_tls_version = \"TLS_1_2\" with profile MODERN or RESTRICTED.",
    check: (policy) => (["TLS_1_2", "TLS_1_3"].includes(String(policy.values.min_tls_version)) ? undefined : `min_tls_version is ${JSON.stringify(policy.values.min_tls_version ?? "TLS_1_0")}`),
  }),
  rule({
    id: "SIROS-GCP-LB-2",
    level: "error",
    pack: "baseline",
    cloud: "gcp",
    resourceTypes: ["google_compute_target_https_proxy"],
    title: "HTTPS proxies have an SSL policy",
    rationale: "Without an SSL policy the proxy uses Google's default, which accepts TLS 1.0.",
    docs: docs.google("compute_target_https_proxy"),
    fix: "Set ssl_policy to a google_compute_ssl_policy with min_tls_version = \"TLS_1_2\".",
    check: (proxy) => (isSet(proxy.values.ssl_policy) ? undefined : "ssl_policy is not set"),
  }),
  rule({
    id: "SIROS-GCP-LB-3",
    level: "error",
    pack: "baseline",
    cloud: "gcp",
    resourceTypes: ["google_compute_backend_service"],
    title: "Internet-facing backend services are protected by a Cloud Armor policy",
    rationale: "The edge is the one place the internet reaches; Cloud Armor filters common exploits and rate-limits before requests reach the cluster.",
    docs: docs.google("compute_backend_service"),
    fix: "Set security_policy to a google_compute_security_policy.",
    check: (service) => {
      if (!EXTERNAL_SCHEMES.includes(String(service.values.load_balancing_scheme ?? "EXTERNAL"))) return undefined;
      return isSet(service.values.security_policy) ? undefined : "security_policy is not set";
    },
  }),
  rule({
    id: "SIROS-GCP-LB-4",
    checkov: "CKV_GCP_73",
    level: "error",
    pack: "production",
    cloud: "gcp",
    resourceTypes: ["google_compute_security_policy"],
    title: "Production Cloud Armor policies block Log4Shell (the cve-canary signatures)",
    rationale: "CVE-2021-44228 is still probed on every public endpoint; the OWASP rule sets do not cover its JNDI lookups, the cve-canary set does.",
    docs: "https://cloud.google.com/armor/docs/waf-rules",
    fix: "Add a rule matching evaluatePreconfiguredExpr('cve-canary') with action deny(403) and preview off.",
    check: (policy) => {
      const rules = (Array.isArray(policy.values.rule) ? policy.values.rule : []) as { action?: string; preview?: boolean; match?: { expr?: { expression?: string } } }[];
      const canary = rules.filter((r) => /^evaluatePreconfigured(Expr|Waf)\('cve-canary'/.test(String(r.match?.expr?.expression ?? "")));
      if (canary.length === 0) return "no rule evaluates the cve-canary signatures";
      return canary.some((r) => String(r.action).startsWith("deny") && r.preview !== true) ? undefined : "the cve-canary rule does not deny (preview, or allow)";
    },
  }),
];
