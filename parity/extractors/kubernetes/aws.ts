/** AWS Kubernetes profile: the EKS cluster, its managed node groups and its log group. */
import type { StackIndex } from "../../../policy/terraform-json";
import type { Profile } from "../../model";
import { agreed, numberOr, observe } from "../shared";
import { type KubernetesReadings, minorOf, poolOf, preventsDestroy, secretsEncryption } from "./shared";

type Scaling = { min_size?: number; max_size?: number } | undefined;

export function awsKubernetes(stack: StackIndex): Profile {
  const cluster = stack.ofType("aws_eks_cluster")[0];
  const groups = stack.ofType("aws_eks_node_group");
  const system = poolOf(groups, "system");
  const workload = poolOf(groups, "workload");
  const scaling = (group: typeof system) => group?.values.scaling_config as Scaling;
  const vpc = cluster?.values.vpc_config as { endpoint_private_access?: boolean; endpoint_public_access?: boolean } | undefined;
  const encryption = (cluster?.values.encryption_config as { provider?: { key_arn?: string }; resources?: string[] } | undefined) ?? {};
  const zonesOf = (group: NonNullable<typeof system>) =>
    new Set(((group.values.subnet_ids as string[] | undefined) ?? []).map((id) => stack.resolve(id)?.values.availability_zone ?? id)).size;
  // EKS writes control-plane logs to /aws/eks/<cluster>/cluster, the group the module creates first.
  const logs = stack.ofType("aws_cloudwatch_log_group").find((g) => cluster !== undefined && g.values.name === `/aws/eks/${String(cluster.values.name)}/cluster`);
  const readings: KubernetesReadings = {
    version: observe(cluster ? minorOf(cluster.values.version) : null, [cluster]),
    privateEndpointOnly: observe(vpc ? vpc.endpoint_private_access === true && vpc.endpoint_public_access === false : null, [cluster]),
    secretsEncrypted: encryption.resources?.includes("secrets") ? secretsEncryption(stack, cluster, encryption.provider?.key_arn) : observe(cluster ? "provider-managed" : null, [cluster]),
    zones: observe(agreed(groups.map(zonesOf)), groups),
    systemMinNodes: observe(numberOr(scaling(system)?.min_size), [system]),
    systemMaxNodes: observe(numberOr(scaling(system)?.max_size), [system]),
    workloadMinNodes: observe(numberOr(scaling(workload)?.min_size), [workload]),
    workloadMaxNodes: observe(numberOr(scaling(workload)?.max_size), [workload]),
    workloadSpot: observe(workload ? workload.values.capacity_type === "SPOT" : null, [workload]),
    deletionProtection: observe(cluster ? cluster.values.deletion_protection === true && preventsDestroy(cluster) : null, [cluster]),
    logRetentionDays: observe(logs ? numberOr(logs.values.retention_in_days) : "none", [logs]),
  };
  return { ...readings };
}
