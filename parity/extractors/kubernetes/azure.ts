/** Azure Kubernetes profile: the AKS cluster, its default (system) pool and its user (workload) pool. */
import type { Block, StackIndex } from "../../../policy/terraform-json";
import type { Profile } from "../../model";
import { agreed, environmentKey, numberOr, observe } from "../shared";
import { type KubernetesReadings, minorOf, PLATFORM_LOGS, preventsDestroy, secretsEncryption } from "./shared";

/** A key of its own in the vault of the environment's key (the Azure etcd key, see modules/kubernetes/gaps.ts azureEtcdKey). */
export const OWN_KEY_IN_VAULT = "own key in the environment's vault";

type Pool = { min_count?: number; max_count?: number; zones?: string[]; priority?: string };

export function azureKubernetes(stack: StackIndex): Profile {
  const cluster = stack.ofType("azurerm_kubernetes_cluster")[0];
  const system = cluster?.values.default_node_pool as Pool | undefined;
  const workloadBlock = stack.ofType("azurerm_kubernetes_cluster_node_pool").find((p) => p.values.mode === "User");
  const workload = workloadBlock?.values as Pool | undefined;
  const kms = cluster?.values.key_management_service as { key_vault_key_id?: string } | undefined;
  const pools = [system, workload].filter((p): p is Pool => p !== undefined);
  const readings: KubernetesReadings = {
    version: observe(cluster ? minorOf(cluster.values.kubernetes_version) : null, [cluster]),
    privateEndpointOnly: observe(cluster ? cluster.values.private_cluster_enabled === true : null, [cluster]),
    secretsEncrypted: etcdEncryption(stack, cluster, kms?.key_vault_key_id),
    zones: observe(agreed(pools.map((p) => p.zones?.length ?? 0)), [cluster, workloadBlock]),
    systemMinNodes: observe(numberOr(system?.min_count), [cluster]),
    systemMaxNodes: observe(numberOr(system?.max_count), [cluster]),
    workloadMinNodes: observe(numberOr(workload?.min_count), [workloadBlock]),
    workloadMaxNodes: observe(numberOr(workload?.max_count), [workloadBlock]),
    workloadSpot: observe(workload ? workload.priority === "Spot" : null, [workloadBlock]),
    deletionProtection: observe(cluster ? preventsDestroy(cluster) : null, [cluster]),
    // No Log Analytics workspace yet (modules/kubernetes/gaps.ts azureMonitoring).
    logRetentionDays: observe(cluster ? PLATFORM_LOGS : null, [cluster]),
  };
  return { ...readings };
}

/** The environment's key, or a key of the cluster's own in the same vault (what AKS KMS needs). */
function etcdEncryption(stack: StackIndex, cluster: Block | undefined, keyId: string | undefined) {
  const found = secretsEncryption(stack, cluster, keyId);
  const key = keyId ? stack.resolve(keyId) : undefined;
  const environment = environmentKey(stack);
  const sameVault = key && environment && stack.referencedBy(key, "key_vault_id") === stack.referencedBy(environment, "key_vault_id") && stack.referencedBy(key, "key_vault_id") !== undefined;
  return found.value === "other key" && sameVault ? { ...found, value: OWN_KEY_IN_VAULT } : found;
}
