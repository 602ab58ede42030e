/** IBM Cloud Kubernetes profile: the VPC cluster (its default pool is the system pool) and its worker pool. */
import type { Block, StackIndex } from "../../../policy/terraform-json";
import type { Profile } from "../../model";
import { agreed, observe } from "../shared";
import { IN_CLUSTER, type KubernetesReadings, minorOf, PLATFORM_LOGS, preventsDestroy, secretsEncryption } from "./shared";

export function ibmKubernetes(stack: StackIndex): Profile {
  const cluster = stack.ofType("ibm_container_vpc_cluster")[0];
  const workload = stack.ofType("ibm_container_vpc_worker_pool").find((p) => p.values.worker_pool_name === "workload");
  const kms = cluster?.values.kms_config as { crk_id?: string } | undefined;
  const zones = [cluster, workload].flatMap((b) => (b ? [((b.values.zones as unknown[] | undefined) ?? []).length] : []));
  // Pool limits live in the autoscaler's ConfigMap (modules/kubernetes/gaps.ts ibmPoolLimits).
  const limits = (block: Block | undefined) => observe(block ? IN_CLUSTER : null, [block]);
  const readings: KubernetesReadings = {
    version: observe(cluster ? minorOf(cluster.values.kube_version) : null, [cluster]),
    privateEndpointOnly: observe(cluster ? cluster.values.disable_public_service_endpoint === true : null, [cluster]),
    secretsEncrypted: kms?.crk_id ? secretsEncryption(stack, cluster, kms.crk_id) : observe(cluster ? "provider-managed" : null, [cluster]),
    zones: observe(agreed(zones), [cluster, workload]),
    systemMinNodes: limits(cluster),
    systemMaxNodes: limits(cluster),
    workloadMinNodes: limits(workload),
    workloadMaxNodes: limits(workload),
    // ibm_container_vpc_worker_pool has no capacity type (gaps.ts ibmSpot).
    workloadSpot: observe(workload ? false : null, [workload]),
    deletionProtection: observe(cluster ? preventsDestroy(cluster) : null, [cluster]),
    logRetentionDays: observe(cluster ? PLATFORM_LOGS : null, [cluster]),
  };
  return { ...readings };
}
