/**
 * Where a cloud cannot do what the edge contract promises at the pinned provider versions:
 * declared here, in one place, with the reason and the nearest alternative. README's module
 * table shows them (a test keeps it in step).
 */
export type EdgeCloud = "aws" | "azure" | "gcp" | "oci" | "ibm";

export interface EdgeGap {
  readonly cloud: EdgeCloud;
  /** What the contract promises that this cloud does not do. */
  readonly what: string;
  readonly reason: string;
  readonly alternative: string;
}

export const EDGE_GAPS = {
  azureManagedCertificate: {
    cloud: "azure",
    what: "a managed certificate for the domains",
    reason: "Application Gateway has no managed certificate service; it reads certificates from Key Vault",
    alternative: "a certificate imported into (or issued by a CA integrated with) the environment's Key Vault, named by the edge_certificate variable",
  },
  azureTargets: {
    cloud: "azure",
    what: "registering the cluster's ingress in the backend pool",
    reason: "azurerm_kubernetes_cluster_node_pool exports neither its scale set nor its nodes' addresses at 4.55.0, and an Application Gateway backend pool takes only IP addresses, host names or network interfaces",
    alternative: "the AKS Application Gateway Ingress Controller add-on (ingress_application_gateway with this gateway's id) fills the pool, or an internal LoadBalancer Service for the ingress with a fixed private IP written to the pool (stack output edge_backend_id)",
  },
  azureAssetsIdentity: {
    cloud: "azure",
    what: "reading the assets bucket with the edge's identity",
    reason: "Application Gateway uses its managed identity only to fetch certificates from Key Vault; it forwards to backends without authenticating as that identity, so a storage grant would give it nothing",
    alternative: "the cluster's ingress serves the assets, read through the workload identity the storage module grants; the edge's identity keeps read access to its one certificate secret only",
  },
  gcpLogRetention: {
    cloud: "gcp",
    what: "access-log retention per environment",
    reason: "load balancer request logs go to the project's _Default log bucket, whose retention is the project's",
    alternative: "set the _Default bucket's retention (google_logging_project_bucket_config) in the project's own stack",
  },
  ociManagedCertificate: {
    cloud: "oci",
    what: "a managed certificate for the domains",
    reason: "the OCI Certificates service issues only from a private CA; publicly trusted certificates are imported",
    alternative: "a certificate imported into the OCI Certificates service, named by the edge_certificate variable",
  },
  ociTargets: {
    cloud: "oci",
    what: "registering the cluster's nodes in the backend set",
    reason: "an OKE node pool has no load balancer attachment at 8.28.0 and oci_load_balancer_backend takes one node IP each, while the cluster autoscaler adds and removes the pool's nodes after apply",
    alternative: "the ingress Service annotated with the backend set (OCI native ingress controller or the cloud controller manager) registers the nodes it runs on",
  },
  gcpTls13Floor: {
    cloud: "gcp",
    what: "minTlsVersion \"1.3\"",
    reason: "google_compute_ssl_policy's min_tls_version accepts TLS_1_0, TLS_1_1 and TLS_1_2 at 6.50.0 (TLS 1.3 is always offered)",
    alternative: "minTlsVersion \"1.2\" with the RESTRICTED profile",
  },
  ibmWaf: {
    cloud: "ibm",
    what: "a web application firewall in front of the load balancer",
    reason: "IBM Cloud VPC load balancers have no WAF at 2.5.0",
    alternative: "IBM Cloud Internet Services (CIS) in front of the load balancer, with its managed WAF rules, once the domains' DNS is delegated to CIS",
  },
  ibmTlsPolicy: {
    cloud: "ibm",
    what: "choosing the minimum TLS version",
    reason: "ibm_is_lb_listener has no TLS protocol or cipher setting; IBM's listener negotiates TLS 1.2 and newer",
    alternative: "minTlsVersion \"1.2\"; TLS 1.3-only needs CIS in front (its minimum TLS setting)",
  },
  ibmManagedCertificate: {
    cloud: "ibm",
    what: "a managed certificate for the domains",
    reason: "a Secrets Manager public certificate needs an ACME CA and DNS provider configured in the instance, outside this stack",
    alternative: "a certificate imported into Secrets Manager, its CRN named by the edge_certificate variable",
  },
  ibmTargets: {
    cloud: "ibm",
    what: "registering the cluster's workers in the pool",
    reason: "ibm_container_vpc_worker_pool exports no worker addresses at 2.5.0 and ibm_is_lb_pool_member takes one address each, while IKS replaces workers (updates, autoscaling) after apply",
    alternative: "register the workers of the worker pool (stack output edge_backend_id) in the pool, or expose the ingress through an IKS-managed VPC load balancer",
  },
  ibmLogRetention: {
    cloud: "ibm",
    what: "access-log retention per environment",
    reason: "the load balancer's datapath logs go to the account's logging instance, whose plan sets the retention",
    alternative: "choose the IBM Cloud Logs retention of the region's logging instance",
  },
} as const satisfies Record<string, EdgeGap>;

export type EdgeGapId = keyof typeof EDGE_GAPS;

/** The refusal an implementation raises where its cloud has a declared gap. */
export function gapError(gap: EdgeGapId, detail = ""): Error {
  const { cloud, what, reason, alternative } = EDGE_GAPS[gap];
  return new Error(`edge (${cloud}): ${what}${detail ? ` ${detail}` : ""} is not supported: ${reason}. Instead: ${alternative}`);
}
