/** Oracle Cloud Kubernetes profile: the OKE cluster, its node pools and the cluster autoscaler add-on. */
import type { Block, StackIndex } from "../../../policy/terraform-json";
import type { Profile, Value } from "../../model";
import { agreed, observe } from "../shared";
import { type KubernetesReadings, minorOf, PLATFORM_LOGS, poolOf, preventsDestroy, secretsEncryption } from "./shared";

type Placement = { preemptible_node_config?: unknown };
const placements = (pool: Block | undefined): Placement[] => ((pool?.values.node_config_details as { placement_configs?: Placement[] } | undefined)?.placement_configs ?? []);

/** The autoscaler add-on's `nodes` setting: `min:max:<pool id>` per pool, comma-separated. */
function limitsOf(stack: StackIndex, addon: Block | undefined, pool: Block | undefined): { min: Value; max: Value } {
  const nodes = ((addon?.values.configurations as { key?: string; value?: string }[] | undefined) ?? []).find((c) => c.key === "nodes")?.value ?? "";
  const entry = pool ? nodes.split(/,(?=\d+:\d+:)/).find((e) => stack.resolve(e.split(":").slice(2).join(":")) === pool) : undefined;
  const [min, max] = entry ? entry.split(":").map(Number) : [null, null];
  return { min, max };
}

export function ociKubernetes(stack: StackIndex): Profile {
  const cluster = stack.ofType("oci_containerengine_cluster")[0];
  const pools = stack.ofType("oci_containerengine_node_pool");
  const system = poolOf(pools, "system");
  const workload = poolOf(pools, "workload");
  const addon = stack.ofType("oci_containerengine_addon").find((a) => a.values.addon_name === "ClusterAutoscaler");
  const systemLimits = limitsOf(stack, addon, system);
  const workloadLimits = limitsOf(stack, addon, workload);
  const endpoint = cluster?.values.endpoint_config as { is_public_ip_enabled?: boolean } | undefined;
  const spot = placements(workload);
  const readings: KubernetesReadings = {
    version: observe(cluster ? minorOf(cluster.values.kubernetes_version) : null, [cluster]),
    privateEndpointOnly: observe(cluster ? endpoint?.is_public_ip_enabled === false : null, [cluster]),
    secretsEncrypted: cluster?.values.kms_key_id ? secretsEncryption(stack, cluster, cluster.values.kms_key_id) : observe(cluster ? "provider-managed" : null, [cluster]),
    zones: observe(agreed(pools.map((p) => placements(p).length)), pools),
    systemMinNodes: observe(systemLimits.min, [addon, system]),
    systemMaxNodes: observe(systemLimits.max, [addon, system]),
    workloadMinNodes: observe(workloadLimits.min, [addon, workload]),
    workloadMaxNodes: observe(workloadLimits.max, [addon, workload]),
    workloadSpot: observe(workload ? agreed(spot.map((p) => p.preemptible_node_config !== undefined)) : null, [workload]),
    deletionProtection: observe(cluster ? preventsDestroy(cluster) : null, [cluster]),
    // The module creates no OKE control-plane log; the platform's own retention applies.
    logRetentionDays: observe(cluster ? PLATFORM_LOGS : null, [cluster]),
  };
  return { ...readings };
}
