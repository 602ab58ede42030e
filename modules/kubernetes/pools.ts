import type { NodePoolProps, ResolvedKubernetesProps } from "./contract";

/** The two pools every cloud builds, in the same order and with the same names. */
export type PoolRole = "system" | "workload";
export const POOL_ROLES: readonly PoolRole[] = ["system", "workload"];

/** Label every node carries, so workloads and add-ons can select their pool alike on every cloud. */
export const POOL_LABEL = "siros.io/pool";

/**
 * The system pool is tainted so that only cluster add-ons (which tolerate CriticalAddonsOnly)
 * run there; the platform's containers go to the workload pool.
 */
export const SYSTEM_TAINT = { key: "CriticalAddonsOnly", value: "true", effect: "NoSchedule" } as const;

export interface PoolPlan {
  readonly role: PoolRole;
  readonly pool: NodePoolProps;
  /** Nodes per zone where a cloud sizes pools per zone (GKE, IBM): the totals spread evenly, rounded up. */
  readonly perZone: { readonly min: number; readonly max: number };
  readonly spot: boolean;
}

/** Both pools with what each cloud derives from them. */
export function poolPlans(props: ResolvedKubernetesProps): PoolPlan[] {
  return POOL_ROLES.map((role) => {
    const pool = props.nodePools[role];
    return {
      role,
      pool,
      perZone: { min: Math.ceil(pool.minNodes / props.zones), max: Math.max(1, Math.ceil(pool.maxNodes / props.zones)) },
      spot: pool.spot ?? false,
    };
  });
}
