/** What every cloud's Kubernetes extractor reads the same way. */
import type { CloudName } from "../../../environments/types";
import type { Block, StackIndex } from "../../../policy/terraform-json";
import type { Observation, Value } from "../../model";
import { encryptionOf, observe } from "../shared";
import { preventsDestroy } from "../keys/shared";

export { preventsDestroy };

/** The minor version (`1.33`) of `1.33`, `v1.33.1`, `1.33.5-gke.1`. */
export function minorOf(version: unknown): Value {
  const match = /^v?(\d+\.\d+)/.exec(String(version ?? ""));
  return match ? match[1] : version === undefined ? null : String(version);
}

/**
 * The clouds whose module keeps control-plane logs in a store it sets the environment's
 * retention on (EKS's log group). Elsewhere the logs stay in the platform's own store
 * (AKS platform logs until the workspace exists, Cloud Logging's _Default bucket, OKE and
 * IKS service logs): those cells must show this value, so a cloud that starts keeping them
 * is told to join the list.
 */
export const MANAGED_CONTROL_PLANE_LOGS: readonly CloudName[] = ["aws"];
export const PLATFORM_LOGS = "platform default";

/** IBM's autoscaler reads pool limits from its in-cluster ConfigMap, which no Terraform resource writes. */
export const IN_CLUSTER = "in-cluster";

/** How the cluster's secrets (etcd) are encrypted, from the key block its setting refers to. */
export function secretsEncryption(stack: StackIndex, cluster: Block | undefined, expression: unknown): Observation {
  if (!cluster) return observe(null);
  const key = typeof expression === "string" ? stack.resolve(expression) : undefined;
  return observe(encryptionOf(stack, key), [cluster, key]);
}

/** The cluster and its pools' properties every extractor returns, in the registry's order. */
export interface KubernetesReadings {
  readonly version: Observation;
  readonly privateEndpointOnly: Observation;
  readonly secretsEncrypted: Observation;
  readonly zones: Observation;
  readonly systemMinNodes: Observation;
  readonly systemMaxNodes: Observation;
  readonly workloadMinNodes: Observation;
  readonly workloadMaxNodes: Observation;
  readonly workloadSpot: Observation;
  readonly deletionProtection: Observation;
  readonly logRetentionDays: Observation;
}

/** The pool the module names `system` or `workload` (pool names or labels carry the role). */
export function poolOf(blocks: readonly Block[], role: "system" | "workload"): Block | undefined {
  return blocks.find((b) => new RegExp(`(^|[-_])${role}([-_]|$)`).test(b.name));
}
