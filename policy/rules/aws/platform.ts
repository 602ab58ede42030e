import type { Rule } from "../../rule";
import { docs, first, isFalse, isSet, isTrue, numberOf, rule, strings } from "../helpers";

/** Every EKS control-plane log type the provider accepts at 6.25.0. */
const EKS_LOG_TYPES = ["api", "audit", "authenticator", "controllerManager", "scheduler"];

/** ELB security policies that refuse TLS 1.0 and 1.1 (the TLS13 family, the TLS-1-2 and FS-1-2 families). */
const TLS12_POLICY = /^ELBSecurityPolicy-(TLS13-|TLS-1-2-|FS-1-2-)/;

/** Rules for the Kubernetes (EKS), PostgreSQL (RDS) and edge (ALB) modules. */
export const PLATFORM_RULES: readonly Rule[] = [
  rule({
    id: "SIROS-AWS-EKS-1",
    checkov: "CKV_AWS_39",
    level: "error",
    pack: "baseline",
    cloud: "aws",
    resourceTypes: ["aws_eks_cluster"],
    title: "EKS API server endpoints are private",
    rationale: "A public endpoint exposes the Kubernetes API to the internet, where only its authentication stands between an attacker and the cluster; the provider's default is public.",
    docs: docs.aws("eks_cluster"),
    fix: "Set vpc_config { endpoint_public_access = false, endpoint_private_access = true } and reach the API from inside the VPC.",
    check: (cluster) => (isFalse(first(cluster.values, "vpc_config")?.endpoint_public_access) ? undefined : "vpc_config.endpoint_public_access is not false"),
  }),
  rule({
    id: "SIROS-AWS-EKS-2",
    checkov: "CKV_AWS_58",
    level: "error",
    pack: "baseline",
    cloud: "aws",
    resourceTypes: ["aws_eks_cluster"],
    title: "EKS clusters envelope-encrypt Kubernetes secrets with KMS",
    rationale: "Without envelope encryption, Secrets sit in etcd protected only by the volume encryption AWS manages; a KMS key adds a key whose use is logged and can be revoked.",
    docs: docs.aws("eks_cluster"),
    fix: "Add encryption_config { resources = [\"secrets\"] } with the environment's KMS key.",
    check: (cluster) => (strings(first(cluster.values, "encryption_config")?.resources).includes("secrets") ? undefined : "encryption_config does not cover secrets"),
  }),
  rule({
    id: "SIROS-AWS-EKS-3",
    checkov: "CKV_AWS_37",
    level: "error",
    pack: "baseline",
    cloud: "aws",
    resourceTypes: ["aws_eks_cluster"],
    title: "EKS clusters send every control-plane log type to CloudWatch",
    rationale: "The audit and authenticator logs are the only record of who did what through the Kubernetes API; none is sent unless enabled.",
    docs: docs.aws("eks_cluster"),
    fix: `Set enabled_cluster_log_types = ${JSON.stringify(EKS_LOG_TYPES)}.`,
    check: (cluster) => {
      const enabled = strings(cluster.values.enabled_cluster_log_types);
      const absent = EKS_LOG_TYPES.filter((t) => !enabled.includes(t));
      return absent.length ? `enabled_cluster_log_types lacks ${absent.join(", ")}` : undefined;
    },
  }),
  rule({
    id: "SIROS-AWS-RDS-1",
    checkov: "CKV_AWS_16",
    level: "error",
    pack: "baseline",
    cloud: "aws",
    resourceTypes: ["aws_db_instance"],
    title: "RDS instances encrypt their storage",
    rationale: "Storage encryption covers the volumes, automated backups, snapshots and read replicas; it cannot be turned on after creation.",
    docs: docs.aws("db_instance"),
    fix: "Set storage_encrypted = true and kms_key_id to the environment's key.",
    check: (db) => (isTrue(db.values.storage_encrypted) || isSet(db.values.replicate_source_db) ? undefined : "storage_encrypted is not true"),
  }),
  rule({
    id: "SIROS-AWS-RDS-2",
    checkov: "CKV_AWS_17",
    level: "error",
    pack: "baseline",
    cloud: "aws",
    resourceTypes: ["aws_db_instance"],
    title: "RDS instances are not publicly accessible",
    rationale: "A publicly accessible instance gets a public DNS name and address; only its security group stands between PostgreSQL and the internet.",
    docs: docs.aws("db_instance"),
    fix: "Set publicly_accessible = false and place the instance in private subnets.",
    check: (db) => (isTrue(db.values.publicly_accessible) ? "publicly_accessible is true" : undefined),
  }),
  rule({
    id: "SIROS-AWS-RDS-3",
    checkov: "CKV_AWS_293",
    level: "error",
    pack: "production",
    cloud: "aws",
    resourceTypes: ["aws_db_instance"],
    title: "Production RDS instances have deletion protection",
    rationale: "Deletion protection makes the API refuse to delete the instance, whatever a plan or a console user asks.",
    docs: docs.aws("db_instance"),
    fix: "Set deletion_protection = true.",
    check: (db) => (isTrue(db.values.deletion_protection) ? undefined : "deletion_protection is not true"),
  }),
  rule({
    id: "SIROS-AWS-RDS-4",
    checkov: "CKV_AWS_161",
    level: "warning",
    pack: "baseline",
    cloud: "aws",
    resourceTypes: ["aws_db_instance"],
    title: "RDS instances accept IAM database authentication",
    rationale: "IAM authentication lets workloads connect with short-lived tokens from their IAM role instead of stored passwords.",
    docs: docs.aws("db_instance"),
    fix: "Set iam_database_authentication_enabled = true.",
    check: (db) => (isTrue(db.values.iam_database_authentication_enabled) ? undefined : "iam_database_authentication_enabled is not true"),
  }),
  rule({
    id: "SIROS-AWS-RDS-5",
    checkov: "CKV_AWS_118",
    level: "warning",
    pack: "baseline",
    cloud: "aws",
    resourceTypes: ["aws_db_instance"],
    title: "RDS instances publish Enhanced Monitoring",
    rationale: "Enhanced Monitoring samples the host's processes, memory and disks from an agent on the instance; CloudWatch's hypervisor metrics cannot tell a runaway query from a noisy neighbour.",
    docs: docs.aws("db_instance"),
    fix: "Set monitoring_interval (1, 5, 10, 15, 30 or 60) and monitoring_role_arn (a role monitoring.rds.amazonaws.com assumes, with AmazonRDSEnhancedMonitoringRole).",
    check: (db) => {
      const interval = numberOf(db.values.monitoring_interval) ?? 0;
      if (interval <= 0) return `monitoring_interval is ${interval}`;
      return isSet(db.values.monitoring_role_arn) ? undefined : "monitoring_role_arn is not set";
    },
  }),
  rule({
    id: "SIROS-AWS-ELB-1",
    checkov: "CKV_AWS_131",
    level: "error",
    pack: "baseline",
    cloud: "aws",
    resourceTypes: ["aws_lb", "aws_alb"],
    title: "Application load balancers drop invalid HTTP header fields",
    rationale: "Headers with invalid names are a request-smuggling and header-injection vector toward the backends; the ALB forwards them unless told to drop them.",
    docs: docs.aws("lb"),
    fix: "Set drop_invalid_header_fields = true.",
    check: (lb) => {
      if (isSet(lb.values.load_balancer_type) && lb.values.load_balancer_type !== "application") return undefined;
      return isTrue(lb.values.drop_invalid_header_fields) ? undefined : "drop_invalid_header_fields is not true";
    },
  }),
  rule({
    id: "SIROS-AWS-ELB-2",
    checkov: "CKV_AWS_103",
    level: "error",
    pack: "baseline",
    cloud: "aws",
    resourceTypes: ["aws_lb_listener", "aws_alb_listener"],
    title: "HTTPS and TLS listeners use a security policy that refuses TLS 1.0 and 1.1",
    rationale: "Without ssl_policy the listener gets ELBSecurityPolicy-2016-08, which still accepts TLS 1.0 and 1.1.",
    docs: "https://docs.aws.amazon.com/elasticloadbalancing/latest/application/describe-ssl-policies.html",
    fix: "Set ssl_policy = \"ELBSecurityPolicy-TLS13-1-2-2021-06\".",
    check: (listener) => {
      if (!["HTTPS", "TLS"].includes(String(listener.values.protocol))) return undefined;
      const policy = listener.values.ssl_policy;
      if (!isSet(policy)) return "ssl_policy is not set (defaults to ELBSecurityPolicy-2016-08)";
      return typeof policy === "string" && !policy.startsWith("${") && !TLS12_POLICY.test(policy) ? `ssl_policy ${policy} accepts TLS below 1.2` : undefined;
    },
  }),
  rule({
    id: "SIROS-AWS-ELB-3",
    checkov: "CKV2_AWS_28",
    level: "error",
    pack: "baseline",
    cloud: "aws",
    resourceTypes: ["aws_lb", "aws_alb"],
    title: "Internet-facing application load balancers are protected by a WAF web ACL",
    rationale: "The edge is the one place the internet reaches; a web ACL filters common exploits and rate-limits before requests reach the cluster.",
    docs: docs.aws("wafv2_web_acl_association"),
    fix: "Add an aws_wafv2_web_acl_association whose resource_arn is the load balancer's arn.",
    check: (lb, stack) => {
      if (isTrue(lb.values.internal) || (isSet(lb.values.load_balancer_type) && lb.values.load_balancer_type !== "application")) return undefined;
      return stack.referencing(lb, "aws_wafv2_web_acl_association", "resource_arn").length ? undefined : "no aws_wafv2_web_acl_association names this load balancer";
    },
  }),
];
