import type { IConstruct } from "constructs";
import type { MetricScope } from "../shared/monitoring";

/**
 * A private, encrypted, autoscaling managed Kubernetes cluster: the control plane reachable
 * only inside the network (or from declared CIDRs), secrets encrypted with the environment's
 * key, node pools in the network's private subnets. Each cloud implements this contract once
 * (EKS, AKS, GKE, OKE, IBM Cloud Kubernetes Service on VPC).
 */
export interface KubernetesProps {
  /** Prefix of every resource name, e.g. `siros-prod`; the cluster is `<name>-k8s`. */
  readonly name: string;
  /** Region (Azure: location) the cluster lives in. */
  readonly region: string;
  /**
   * Kubernetes minor version, e.g. `1.33`: one value per environment, the same on every
   * cloud. Validated at load against `KUBERNETES_VERSIONS` (what each cloud accepts).
   */
  readonly version: string;
  /** The network's private subnets (one per zone, from the network module), where nodes and the endpoint live. */
  readonly privateSubnetIds: readonly string[];
  /** Their address ranges, in the same order: what a database or load balancer admits from the nodes. */
  readonly privateSubnetCidrs: readonly string[];
  /** The network (VPC / VNet / VCN id) the subnets belong to. */
  readonly networkId: string;
  /** How many zones the node pools spread across (the first `zones` private subnets). */
  readonly zones: number;
  /** The system pool (cluster add-ons) and the workload pool (the platform's containers). */
  readonly nodePools: { readonly system: NodePoolProps; readonly workload: NodePoolProps };
  /** @default - private endpoint only */
  readonly apiAccess?: ApiAccessProps;
  /**
   * Days control-plane logs are kept (where the cluster writes them to a log group it owns).
   * @default 90
   */
  readonly logRetentionDays?: number;
  /**
   * Refuse to delete the cluster (the cloud's own deletion protection where it has one,
   * and Terraform's `prevent_destroy`).
   * @default true
   */
  readonly deletionProtection?: boolean;
  /**
   * Tags (Google: labels) for every taggable resource.
   * @default {}
   */
  readonly tags?: Readonly<Record<string, string>>;
}

export interface NodePoolProps {
  /** Machine size in cloud-neutral terms; each cloud maps it to its own instance type/shape/flavor. */
  readonly size: NodeSize;
  /** Nodes per pool at least (across all zones). */
  readonly minNodes: number;
  /** Nodes per pool at most (the autoscaler's ceiling). */
  readonly maxNodes: number;
  /**
   * Run on spot/preemptible capacity where the cloud offers it (reclaimable, much cheaper).
   * @default false
   */
  readonly spot?: boolean;
}

/** Cloud-neutral machine sizes: vCPUs x GiB of memory. */
export const NODE_SIZES = ["small", "medium", "large"] as const;
export type NodeSize = (typeof NODE_SIZES)[number];

export interface ApiAccessProps {
  /**
   * Extra ranges allowed to reach the API endpoint (e.g. a runner's network, peered or via VPN).
   * The endpoint stays private: these ranges must reach it through the network.
   * @default []
   */
  readonly allowedCidrs?: readonly string[];
}

/** What a database or load balancer must admit so that the cluster's pods can reach it. */
export interface NodeAccess {
  /**
   * The nodes' security group / NSG ids where the cloud has them (AWS security group,
   * OCI NSG, IBM security group); empty where it has none (Azure, Google use subnets/tags).
   */
  readonly securityGroupIds: readonly string[];
  /** The node subnets' CIDRs: what every cloud's firewall can admit. */
  readonly subnetCidrs: readonly string[];
  /** Google: the network tag on every node (firewall rules target it); empty elsewhere. */
  readonly networkTags: readonly string[];
}

/** What the edge needs to send traffic to the cluster's ingress. */
export interface IngressTarget {
  /** The NodePort on every node the ingress controller's Service listens on. */
  readonly nodePort: number;
  /** The workload node pools' groups/ids a load balancer's backend set or target group is built from. */
  readonly nodeGroupIds: readonly string[];
}

/** What later modules and other stacks consume; exported as stack outputs. */
export interface KubernetesOutputs {
  readonly clusterName: string;
  /** The cloud's id of the cluster: ARN, Azure resource id, Google id, OCID, IBM cluster id. */
  readonly clusterId: string;
  /** The (private) API server endpoint. */
  readonly endpoint: string;
  /**
   * Where service-account tokens are issued: the OIDC issuer URL (AWS, Azure, OCI, IBM) or
   * the workload-identity pool (Google: `<project>.svc.id.goog`).
   */
  readonly oidcIssuer: string;
  readonly nodeAccess: NodeAccess;
  readonly ingress: IngressTarget;
  /**
   * How the cloud's monitoring service addresses this module's resources, one scope per
   * monitored workload node pool: AWS `{ ClusterName }`, Google `{ cluster_name, node_pool_name }`; the observability module alarms on them. Azure, OCI: the resource id
   * (`{ resourceId }`); IBM: the CRN (`{ crn }`).
   * @default [] - nothing to alarm on
   */
  readonly metricScopes?: readonly MetricScope[];
}

/** A cloud identity a Kubernetes service account can act as. */
export interface WorkloadIdentity {
  /**
   * The principal in the cloud's IAM spelling, for grants: AWS IAM role ARN (IRSA),
   * Azure user-assigned identity principal id (federated credential), Google service
   * account member `serviceAccount:<email>`, OCI workload policy subject
   * (`any-user` with request.principal conditions, see `policyCondition`), IBM trusted profile IAM id
   * (`iam-Profile-...`).
   */
  readonly principal: string;
  /** What the service account is annotated with to use it (role ARN, client id, SA email, ...); empty where nothing is needed. */
  readonly annotation: string;
  /**
   * OCI: the `where` clause a policy statement needs to name the workload; empty elsewhere.
   */
  readonly policyCondition: string;
}

export interface Kubernetes extends IConstruct {
  readonly outputs: KubernetesOutputs;
  /**
   * An identity the pods of `namespace`/`serviceAccount` can act as, without static
   * credentials; later modules grant it what it needs (e.g. storage's backup writer).
   * Calling it twice with the same pair returns the same identity.
   */
  workloadIdentity(namespace: string, serviceAccount: string): WorkloadIdentity;
}

/** The NodePort the ingress controller's Service is pinned to on every cloud. */
export const INGRESS_NODE_PORT = 30443;
export const DEFAULT_LOG_RETENTION_DAYS = 90;

export interface ResolvedKubernetesProps extends Required<Omit<KubernetesProps, "apiAccess">> {
  readonly apiAccess: Required<ApiAccessProps>;
}

/** The defaults documented above, applied in one place for every implementation. */
export function resolveKubernetesProps(props: KubernetesProps): ResolvedKubernetesProps {
  return {
    logRetentionDays: DEFAULT_LOG_RETENTION_DAYS,
    deletionProtection: true,
    tags: {},
    ...props,
    apiAccess: { allowedCidrs: [], ...props.apiAccess },
  };
}

const K8S_NAME = /^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$/;

/** Namespace and service-account names as Kubernetes accepts them (RFC 1123 labels), checked alike on every cloud. */
export function checkWorkloadName(cloud: string, namespace: string, serviceAccount: string): void {
  for (const [field, value] of [
    ["namespace", namespace],
    ["serviceAccount", serviceAccount],
  ] as const) {
    if (!K8S_NAME.test(value)) {
      throw new Error(`kubernetes (${cloud}): workloadIdentity ${field} ${JSON.stringify(value)} is not a Kubernetes name; use 1 to 63 lowercase letters, digits or hyphens, starting and ending with a letter or digit`);
    }
  }
}

/** The cluster's name, from the environment's prefix. */
export const clusterName = (props: { readonly name: string }): string => `${props.name}-k8s`;

/** The clouds this module builds on (the keys module's names; no import of environments/). */
export type KubernetesCloud = "aws" | "azure" | "gcp" | "oci" | "ibm";

/**
 * Kubernetes minor versions each managed service accepts for a new cluster, with where that
 * was read. The environment's `kubernetes.version` must be in every cloud's list, so one
 * value runs everywhere. Refresh when a provider pin moves or a minor leaves standard support.
 */
export interface VersionSupport {
  /** Minor versions a new cluster may be created with, e.g. `1.33`. */
  readonly minors: readonly string[];
  /** How the cloud spells a version in the cluster resource, from the minor. */
  readonly spell: (minor: string) => string;
  readonly source: string;
}

export const KUBERNETES_VERSIONS: Readonly<Record<KubernetesCloud, VersionSupport>> = {
  aws: {
    minors: ["1.31", "1.32", "1.33", "1.34"],
    spell: (minor) => minor,
    source: "Amazon EKS Kubernetes versions (standard support), docs.aws.amazon.com/eks/latest/userguide/kubernetes-versions.html; aws_eks_cluster.version takes the minor",
  },
  azure: {
    minors: ["1.31", "1.32", "1.33", "1.34"],
    spell: (minor) => minor,
    source: "AKS supported Kubernetes versions (az aks get-versions); azurerm_kubernetes_cluster.kubernetes_version takes the minor (the latest patch is chosen)",
  },
  gcp: {
    minors: ["1.31", "1.32", "1.33", "1.34"],
    spell: (minor) => minor,
    source: "GKE release notes, versions in the REGULAR and STABLE channels; min_master_version takes a version prefix",
  },
  oci: {
    minors: ["1.32", "1.33", "1.34"],
    // OKE takes a full version; these are the patch releases OKE offers for each minor.
    spell: (minor) => ({ "1.32": "v1.32.1", "1.33": "v1.33.1", "1.34": "v1.34.1" })[minor] ?? `v${minor}.1`,
    source: "OKE supported Kubernetes versions (docs.oracle.com, Container Engine for Kubernetes, Supported Versions); oci_containerengine_cluster.kubernetes_version takes vX.Y.Z",
  },
  ibm: {
    minors: ["1.31", "1.32", "1.33", "1.34"],
    spell: (minor) => minor,
    source: "IBM Cloud Kubernetes Service version information (ibmcloud ks versions); ibm_container_vpc_cluster.kube_version takes major.minor",
  },
};

/** The minors every cloud accepts: what an environment may choose. */
export function commonKubernetesVersions(): string[] {
  const [first, ...rest] = Object.values(KUBERNETES_VERSIONS);
  return first.minors.filter((minor) => rest.every((cloud) => cloud.minors.includes(minor)));
}

/** Node pool limits every cloud's autoscaler accepts for one pool (AKS 0-1000, EKS, GKE per zone, OKE, IBM per zone). */
export const NODE_COUNT = { min: 0, max: 100 } as const;
