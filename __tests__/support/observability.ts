import type { EnvironmentConfig } from "../../environments/types";
import type { ObservabilityProps, ObservedResources } from "../../modules/observability/contract";
import type { MetricScope } from "../../modules/shared/monitoring";
import { observabilityProps } from "../../stacks/siros-stack";
import { environments } from "./synth";

/**
 * Literal ids of the observed resources in one cloud's spelling, for module-level tests that assert
 * exactly where each alarm points (the composition passes the real outputs).
 */
export interface ObservedIds {
  readonly database: string;
  readonly edge: string;
  readonly cluster: string;
  readonly workloadPool: string;
  readonly nat: readonly string[];
}

/**
 * A test fixture: what the database, edge, cluster and network modules give the observability
 * module, as plain strings (never used outside tests). `scopes` are each cloud's metricScopes;
 * `ids`, where given, name the database, the edge's backend, the cluster and its workload pool.
 */
export function observedFixture(
  env: EnvironmentConfig,
  scopes: { database: MetricScope[]; edge: MetricScope[]; cluster: MetricScope[]; network: MetricScope[] },
  ids?: ObservedIds,
  replica = env.replicaOf !== undefined,
): ObservedResources {
  return {
    database: {
      outputs: {
        databaseId: ids?.database ?? "fixture-database-id",
        endpoint: "db.internal",
        port: 5432,
        databaseName: "siros",
        credentialsSecretId: "fixture-secret",
        metricScopes: scopes.database,
      },
      size: env.database.size,
      storageGb: env.database.storageGb,
      replica,
    },
    edge: { address: "edge.example.com", certificateValidationRecords: "[]", identity: "", backendId: ids ? `${ids.edge}/backend` : "fixture-backend", metricScopes: scopes.edge },
    cluster: {
      outputs: {
        clusterName: `siros-${env.name}-k8s`,
        clusterId: ids?.cluster ?? "fixture-cluster-id",
        endpoint: "https://cluster.internal",
        oidcIssuer: "https://oidc.internal",
        nodeAccess: { securityGroupIds: [], subnetCidrs: ["10.0.0.0/20"], networkTags: [] },
        ingress: { nodePort: 30443, nodeGroupIds: [ids?.workloadPool ?? "fixture-pool"] },
        metricScopes: scopes.cluster,
      },
      workloadPoolMaxNodes: env.kubernetes.workloadPool.maxNodes,
      systemPoolMaxNodes: env.kubernetes.systemPool.maxNodes,
    },
    network: { networkId: "fixture-network", cidr: env.aws.cidr, publicSubnetIds: ["p0"], privateSubnetIds: ["q0"], metricScopes: scopes.network },
  };
}

/** The contract's props from an environment, as the composition builds them (stacks/siros-stack.ts). */
export function observabilityPropsOf(env: EnvironmentConfig, observed: ObservedResources, region = env.aws.region): ObservabilityProps {
  return observabilityProps(`${env.project}-${env.name}`, region, env, observed);
}

/** The props an environment's data gives on a cloud whose resources `ids` name, each alarm scoped by the resource's id. */
export function observabilityPropsWithIds(envName: keyof typeof environments, region: string, ids: ObservedIds, replica?: boolean): ObservabilityProps {
  const env = environments[envName];
  const byId = (resourceId: string): MetricScope => ({ resourceId });
  const scopes = { database: [byId(ids.database)], edge: [byId(ids.edge)], cluster: [byId(ids.workloadPool)], network: ids.nat.map(byId) };
  return observabilityPropsOf(env, observedFixture(env, scopes, ids, replica), region);
}
