/**
 * Where a cloud cannot do what the Kubernetes contract promises at the pinned provider
 * versions: declared here, in one place, with the reason and the nearest alternative.
 * README's module table shows them; implementations refuse (with this text) instead of
 * skipping silently.
 */
import type { KubernetesCloud } from "./contract";
export type { KubernetesCloud };

export interface KubernetesGap {
  readonly cloud: KubernetesCloud;
  /** What the contract promises that this cloud does not do. */
  readonly what: string;
  readonly reason: string;
  readonly alternative: string;
}

export const KUBERNETES_GAPS = {
  ibmSpot: {
    cloud: "ibm",
    what: "spot workers (nodePools.*.spot)",
    reason: "IBM Cloud Kubernetes Service on VPC has no spot or preemptible workers, and ibm_container_vpc_worker_pool has no capacity-type attribute at 2.5.0",
    alternative: "on-demand workers; dev keeps its pools small instead",
  },
  ibmPoolLimits: {
    cloud: "ibm",
    what: "per-pool minimum and maximum nodes applied by Terraform",
    reason: "ibm_container_vpc_worker_pool takes a fixed worker_count per zone; the cluster autoscaler add-on reads each pool's limits from its ConfigMap (iks-ca-configmap), which no IBM resource writes",
    alternative: "the pools start at minNodes per zone; the add-on is installed, and the ConfigMap entry with minNodes/maxNodes is applied in-cluster (README)",
  },
  azureApiCidrs: {
    cloud: "azure",
    what: "apiAccess.allowedCidrs on a private cluster",
    reason: "AKS authorized IP ranges apply only to a public API server; a private cluster's endpoint is a private endpoint in the node subnet",
    alternative: "declared ranges reach the endpoint through peering or VPN, which the network's subnet security group admits as VirtualNetwork traffic",
  },
  azureMonitoring: {
    cloud: "azure",
    what: "container insights to the environment's Log Analytics workspace",
    reason: "no environment has a workspace yet (the observability module will create it)",
    alternative: "control-plane logs stay in AKS's platform logs; oms_agent is wired when the workspace exists",
  },
  azureEtcdKey: {
    cloud: "azure",
    what: "secrets encrypted with the environment's key",
    reason: "AKS KMS etcd encryption calls encrypt and decrypt on its key, and the environment's key allows only wrapKey and unwrapKey",
    alternative: "the cluster's own RSA-HSM key in the environment's vault, rotated every 90 days",
  },
} as const satisfies Record<string, KubernetesGap>;

export type KubernetesGapId = keyof typeof KUBERNETES_GAPS;

/** The refusal an implementation raises where its cloud has a declared gap. */
export function gapError(gap: KubernetesGapId, detail = ""): Error {
  const { cloud, what, reason, alternative } = KUBERNETES_GAPS[gap];
  return new Error(`kubernetes (${cloud}): ${what}${detail ? ` ${detail}` : ""} is not supported: ${reason}. Instead: ${alternative}`);
}
