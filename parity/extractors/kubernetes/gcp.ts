/** Google Cloud Kubernetes profile: the GKE cluster and its node pools. */
import type { Block, StackIndex } from "../../../policy/terraform-json";
import type { Profile } from "../../model";
import { agreed, numberOr, observe } from "../shared";
import { type KubernetesReadings, minorOf, PLATFORM_LOGS, poolOf, preventsDestroy, secretsEncryption } from "./shared";

type Autoscaling = { total_min_node_count?: number; total_max_node_count?: number } | undefined;

/** Zones of a pool: a list, or the module's `slice(<zones>, 0, n)` of the region's zones. */
function zoneCount(locations: unknown): number | string {
  if (Array.isArray(locations)) return locations.length;
  const slice = /slice\(.*,\s*(\d+),\s*(\d+)\)/.exec(String(locations ?? ""));
  return slice ? Number(slice[2]) - Number(slice[1]) : String(locations);
}

export function gcpKubernetes(stack: StackIndex): Profile {
  const cluster = stack.ofType("google_container_cluster")[0];
  const pools = stack.ofType("google_container_node_pool");
  const system = poolOf(pools, "system");
  const workload = poolOf(pools, "workload");
  const scaling = (pool: Block | undefined) => pool?.values.autoscaling as Autoscaling;
  const encryption = cluster?.values.database_encryption as { state?: string; key_name?: string } | undefined;
  const readings: KubernetesReadings = {
    version: observe(cluster ? minorOf(cluster.values.min_master_version) : null, [cluster]),
    privateEndpointOnly: observe(cluster ? (cluster.values.private_cluster_config as { enable_private_endpoint?: boolean } | undefined)?.enable_private_endpoint === true : null, [cluster]),
    secretsEncrypted: encryption?.state === "ENCRYPTED" ? secretsEncryption(stack, cluster, encryption.key_name) : observe(cluster ? "provider-managed" : null, [cluster]),
    zones: observe(agreed(pools.map((p) => zoneCount(p.values.node_locations))), pools),
    systemMinNodes: observe(numberOr(scaling(system)?.total_min_node_count), [system]),
    systemMaxNodes: observe(numberOr(scaling(system)?.total_max_node_count), [system]),
    workloadMinNodes: observe(numberOr(scaling(workload)?.total_min_node_count), [workload]),
    workloadMaxNodes: observe(numberOr(scaling(workload)?.total_max_node_count), [workload]),
    workloadSpot: observe(workload ? (workload.values.node_config as { spot?: boolean } | undefined)?.spot === true : null, [workload]),
    deletionProtection: observe(cluster ? cluster.values.deletion_protection === true && preventsDestroy(cluster) : null, [cluster]),
    // Control-plane logs go to Cloud Logging's _Default bucket; the module sets no retention on it.
    logRetentionDays: observe(cluster ? PLATFORM_LOGS : null, [cluster]),
  };
  return { ...readings };
}
