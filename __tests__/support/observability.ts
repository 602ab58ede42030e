import type { EnvironmentConfig } from "../../environments/types";
import type { ObservabilityProps, ObservedResources } from "../../modules/observability/contract";
import type { MetricScope } from "../../modules/shared/monitoring";
import { observabilityProps } from "../../stacks/siros-stack";

/**
 * A test fixture: what the database, edge, cluster and network modules give the observability
 * module, as plain strings (never used outside tests). `scopes` are each cloud's metricScopes.
 */
export function observedFixture(
  env: EnvironmentConfig,
  scopes: { database: MetricScope[]; edge: MetricScope[]; cluster: MetricScope[]; network: MetricScope[] },
): ObservedResources {
  return {
    database: {
      outputs: { databaseId: "fixture-database-id", endpoint: "db.internal", port: 5432, databaseName: "siros", credentialsSecretId: "fixture-secret", metricScopes: scopes.database },
      size: env.database.size,
      storageGb: env.database.storageGb,
      replica: env.replicaOf !== undefined,
    },
    edge: { address: "edge.example.com", certificateValidationRecords: "[]", identity: "", backendId: "fixture-backend", metricScopes: scopes.edge },
    cluster: {
      outputs: {
        clusterName: `siros-${env.name}-k8s`,
        clusterId: "fixture-cluster-id",
        endpoint: "https://cluster.internal",
        oidcIssuer: "https://oidc.internal",
        nodeAccess: { securityGroupIds: [], subnetCidrs: ["10.0.0.0/20"], networkTags: [] },
        ingress: { nodePort: 30443, nodeGroupIds: ["fixture-pool"] },
        metricScopes: scopes.cluster,
      },
      workloadPoolMaxNodes: env.kubernetes.workloadPool.maxNodes,
      systemPoolMaxNodes: env.kubernetes.systemPool.maxNodes,
    },
    network: { networkId: "fixture-network", cidr: env.aws.cidr, publicSubnetIds: ["p0"], privateSubnetIds: ["q0"], metricScopes: scopes.network },
  };
}

/** The contract's props from an environment, as the composition builds them (stacks/siros-stack.ts). */
export function observabilityPropsOf(env: EnvironmentConfig, observed: ObservedResources): ObservabilityProps {
  return observabilityProps(`${env.project}-${env.name}`, env.aws.region, env, observed);
}
