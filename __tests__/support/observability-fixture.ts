import type { EnvironmentConfig } from "../../environments";
import type { ObservabilityProps, ObservedResources } from "../../modules/observability/contract";
import { observabilityProps as composedProps } from "../../stacks/siros-stack";
import { environments } from "./synth";

/**
 * A test double of what the database, edge, kubernetes and network modules expose to the
 * observability module on one cloud: literal ids in that cloud's spelling, so module-level
 * tests can assert exactly where each alarm points (the composition passes the real outputs).
 */
export interface ObservedIds {
  readonly database: string;
  readonly edge: string;
  readonly cluster: string;
  readonly workloadPool: string;
  readonly nat: readonly string[];
}

export function observedFixture(env: EnvironmentConfig, ids: ObservedIds, replica = env.replicaOf !== undefined): ObservedResources {
  return {
    database: {
      outputs: { databaseId: ids.database, endpoint: "db.internal", port: 5432, databaseName: "siros", credentialsSecretId: "secret", metricScopes: [{ resourceId: ids.database }] },
      size: env.database.size,
      storageGb: env.database.storageGb,
      replica,
    },
    edge: { address: "203.0.113.10", certificateValidationRecords: "[]", identity: "", backendId: `${ids.edge}/backend`, metricScopes: [{ resourceId: ids.edge }] },
    cluster: {
      outputs: {
        clusterName: "siros-k8s",
        clusterId: ids.cluster,
        endpoint: "k8s.internal",
        oidcIssuer: "https://issuer.example",
        nodeAccess: { securityGroupIds: [], subnetCidrs: [], networkTags: [] },
        ingress: { nodePort: 30443, nodeGroupIds: [ids.workloadPool] },
        metricScopes: [{ resourceId: ids.workloadPool }],
      },
      workloadPoolMaxNodes: env.kubernetes.workloadPool.maxNodes,
    },
    network: { networkId: "network", cidr: "10.0.0.0/16", publicSubnetIds: [], privateSubnetIds: [], metricScopes: ids.nat.map((resourceId) => ({ resourceId })) },
  };
}

/** The observability props an environment's data gives, as the composition builds them (stacks/siros-stack.ts). */
export function observabilityProps(envName: keyof typeof environments, region: string, ids: ObservedIds, replica?: boolean): ObservabilityProps {
  const env = environments[envName];
  return composedProps(`${env.project}-${env.name}`, region, env, observedFixture(env, ids, replica));
}
