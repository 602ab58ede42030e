import { TerraformVariable } from "cdktf";
import type { Construct } from "constructs";
import type { CloudName, CloudPlacements, EnvironmentConfig } from "../environments/types";
import { AwsKeys } from "../modules/keys/aws";
import { AzureKeys } from "../modules/keys/azure";
import type { KeysProps } from "../modules/keys/contract";
import { GcpKeys } from "../modules/keys/gcp";
import { IbmKeys } from "../modules/keys/ibm";
import { OciKeys } from "../modules/keys/oci";
import { AwsNetwork } from "../modules/network/aws";
import { AzureNetwork } from "../modules/network/azure";
import type { Network, NetworkProps } from "../modules/network/contract";
import { GcpNetwork } from "../modules/network/gcp";
import { IbmNetwork } from "../modules/network/ibm";
import { OciNetwork } from "../modules/network/oci";
import { AwsEdge } from "../modules/edge/aws";
import { AzureEdge } from "../modules/edge/azure";
import type { Edge, EdgeProps } from "../modules/edge/contract";
import { GcpEdge } from "../modules/edge/gcp";
import { IbmEdge } from "../modules/edge/ibm";
import { OciEdge } from "../modules/edge/oci";
import { AwsKubernetes } from "../modules/kubernetes/aws";
import { AzureKubernetes } from "../modules/kubernetes/azure";
import type { Kubernetes, KubernetesProps } from "../modules/kubernetes/contract";
import { AwsDatabase } from "../modules/database/aws";
import { AzureDatabase } from "../modules/database/azure";
import type { Database, DatabaseProps } from "../modules/database/contract";
import { GcpDatabase } from "../modules/database/gcp";
import { IbmDatabase } from "../modules/database/ibm";
import { OciDatabase } from "../modules/database/oci";
import { GcpKubernetes } from "../modules/kubernetes/gcp";
import { IbmKubernetes } from "../modules/kubernetes/ibm";
import { OciKubernetes } from "../modules/kubernetes/oci";
import { GKE_RANGE_NAMES } from "../modules/network/gcp";
import { regionalSubnetPlan, zonalSubnetPlan } from "../modules/network/subnet-plan";
import { ibmResourceGroup, ociCompartment } from "../modules/shared/environment-scope";
import { stackVariable } from "../modules/shared/stack-variable";
import { AwsStorage } from "../modules/storage/aws";
import { AzureStorage } from "../modules/storage/azure";
import type { Storage, StorageProps } from "../modules/storage/contract";
import { GcpStorage } from "../modules/storage/gcp";
import { IbmStorage } from "../modules/storage/ibm";
import { OciStorage } from "../modules/storage/oci";
import { AwsObservability, CONTAINER_INSIGHTS_AGENT } from "../modules/observability/aws";
import { AzureObservability } from "../modules/observability/azure";
import type { Observability, ObservabilityProps } from "../modules/observability/contract";
import { GcpObservability } from "../modules/observability/gcp";
import { IbmObservability } from "../modules/observability/ibm";
import { OciObservability } from "../modules/observability/oci";
import { awsProvider, awsRegionProvider } from "../providers/aws";
import { azureProvider } from "../providers/azure";
import { gcpProvider } from "../providers/gcp";
import { ibmProvider } from "../providers/ibm";
import { ociHomeRegionProvider, ociProvider, ociRegionProvider } from "../providers/oci";

/** What every module of a stack shares on each cloud: the placement, plus OCI's compartment and IBM's resource group. */
export interface CloudScopes {
  readonly aws: CloudPlacements["aws"];
  readonly azure: CloudPlacements["azure"];
  readonly gcp: CloudPlacements["gcp"];
  readonly oci: CloudPlacements["oci"] & { readonly compartmentId: string };
  readonly ibm: CloudPlacements["ibm"] & { readonly resourceGroupId: string };
}

/** Each cloud's keys implementation, so that its consumers get the key in the form they need. */
export interface CloudKeys {
  readonly aws: AwsKeys;
  readonly azure: AzureKeys;
  readonly gcp: GcpKeys;
  readonly oci: OciKeys;
  readonly ibm: IbmKeys;
}

/** Each cloud's network implementation, so that the cluster gets what its cloud needs. */
export interface CloudNetworks {
  readonly aws: AwsNetwork;
  readonly azure: AzureNetwork;
  readonly gcp: GcpNetwork;
  readonly oci: OciNetwork;
  readonly ibm: IbmNetwork;
}

/** What the composition gives every cluster; the network's subnets and ranges are added per cloud. */
export type ClusterProps = Omit<KubernetesProps, "privateSubnetIds" | "privateSubnetCidrs" | "networkId">;

/**
 * What a cloud must provide for the composition to build its stack: a configured
 * provider, the scope its modules share, and one implementation of every module
 * contract. Keyed by CloudName, so adding a cloud without implementing every module
 * fails the type-check.
 */
export interface CloudImplementation<C extends CloudName> {
  provider(scope: Construct, env: EnvironmentConfig): void;
  scope(scope: Construct, env: EnvironmentConfig, placement: CloudPlacements[C]): CloudScopes[C];
  keys(scope: Construct, id: string, props: KeysProps, shared: CloudScopes[C]): CloudKeys[C];
  network(scope: Construct, id: string, props: NetworkProps, shared: CloudScopes[C], keys: CloudKeys[C]): CloudNetworks[C];
  kubernetes(scope: Construct, id: string, props: ClusterProps, shared: CloudScopes[C], keys: CloudKeys[C], network: CloudNetworks[C]): Kubernetes;
  /** The buckets; the cluster's backup job (BACKUP_WRITER) is granted write on `backups`. */
  storage(scope: Construct, id: string, props: StorageProps, shared: CloudScopes[C], keys: CloudKeys[C], env: EnvironmentConfig, cluster: Kubernetes, network: CloudNetworks[C]): Storage;
  edge(scope: Construct, id: string, props: EdgeProps, shared: CloudScopes[C], keys: CloudKeys[C], network: CloudNetworks[C]): Edge;
  database(scope: Construct, id: string, props: DatabaseProps, shared: CloudScopes[C], keys: CloudKeys[C], network: CloudNetworks[C]): Database;
  /** The notification path, alarms on the modules before it, the log store and the budget; AWS's agent runs as a workload of `cluster`. */
  observability(scope: Construct, id: string, props: ObservabilityProps, shared: CloudScopes[C], keys: CloudKeys[C], env: EnvironmentConfig, cluster: Kubernetes): Observability;
}

/** The network's private tier as a cluster takes it: subnets, their ranges (from the shared subnet plan), the network. */
function clusterNetwork(network: Network, ranges: readonly string[]) {
  const { networkId, privateSubnetIds } = network.outputs;
  return { networkId, privateSubnetIds, privateSubnetCidrs: [...ranges] };
}
const zonalRanges = (network: Network, zones: number) => clusterNetwork(network, zonalSubnetPlan(network.outputs.cidr, zones).private);
const regionalRanges = (network: Network) => clusterNetwork(network, [regionalSubnetPlan(network.outputs.cidr).private]);

/** The alias of the provider a replica's stack uses in its primary's region (replication configurations live on the primary's buckets). */
const PRIMARY_ALIAS = "primary";
/** The primary's region, when the stack receives replicas. */
const primaryRegion = (props: StorageProps): string | undefined => Object.values(props.replicaOf ?? {})[0]?.region;

/** The Kubernetes service account of the backup job, which writes the `backups` bucket through workload identity. */
export const BACKUP_WRITER = { namespace: "siros", serviceAccount: "backup" } as const;

/** Grants the cluster's backup job write access to `backups` (its workload identity, in the cloud's spelling). */
function backupWriter(storage: Storage, cluster: Kubernetes): Storage {
  const identity = cluster.workloadIdentity(BACKUP_WRITER.namespace, BACKUP_WRITER.serviceAccount);
  storage.grantWrite("backups", { principal: identity.principal, ...(identity.policyCondition ? { condition: identity.policyCondition } : {}) });
  return storage;
}

const environmentName = (env: EnvironmentConfig) => `${env.project}-${env.name}`;

export const CLOUD_IMPLEMENTATIONS: { readonly [C in CloudName]: CloudImplementation<C> } = {
  aws: {
    provider: awsProvider,
    scope: (_scope, _env, placement) => placement,
    keys: (scope, id, props) => new AwsKeys(scope, id, props),
    network: (scope, id, props, _shared, keys) => {
      keys.grant({ service: "logs" });
      return new AwsNetwork(scope, id, { ...props, flowLogKeyArn: keys.key.arn });
    },
    kubernetes: (scope, id, props, _shared, keys, network) =>
      new AwsKubernetes(scope, id, { ...props, ...zonalRanges(network, props.zones), keyArn: keys.key.arn, keys }),
    storage: (scope, id, props, _shared, keys, env, cluster) => {
      // S3 may use the key for this account's callers: the backup job's role needs no key grant of its own.
      keys.grant({ service: "object-storage" });
      const region = primaryRegion(props);
      return backupWriter(new AwsStorage(scope, id, { ...props, primaryProvider: region ? awsRegionProvider(scope, env, PRIMARY_ALIAS, region) : undefined }), cluster);
    },
    edge: (scope, id, props, _shared, keys) => new AwsEdge(scope, id, { ...props, logKeyArn: keys.key.arn }),
    database: (scope, id, props, _shared, keys) => new AwsDatabase(scope, id, { ...props, keyArn: keys.key.arn }),
    observability: (scope, id, props, _shared, keys, _env, cluster) =>
      new AwsObservability(scope, id, {
        ...props,
        keyArn: keys.key.arn,
        keys,
        agentIdentity: cluster.workloadIdentity(CONTAINER_INSIGHTS_AGENT.namespace, CONTAINER_INSIGHTS_AGENT.serviceAccount),
      }),
  },
  azure: {
    provider: azureProvider,
    scope: (_scope, _env, placement) => placement,
    keys: (scope, id, props) => new AzureKeys(scope, id, props),
    network: (scope, id, props, placement, keys) =>
      new AzureNetwork(scope, id, {
        ...props,
        networkWatcherName: placement.networkWatcherName,
        networkWatcherResourceGroupName: placement.networkWatcherResourceGroupName,
        flowLogKey: { keyVaultId: keys.vault.id, keyName: keys.key.name, authorize: (principalId) => keys.roleFor(principalId) },
      }),
    kubernetes: (scope, id, props, _shared, keys, network) =>
      new AzureKubernetes(scope, id, {
        ...props,
        ...zonalRanges(network, props.zones),
        key: { keyVaultId: keys.vault.id, keyId: keys.key.versionlessId, authorize: (principalId) => keys.roleFor(principalId), vaultReady: keys.key },
      }),
    storage: (scope, id, props, _shared, keys, env, cluster, network) =>
      backupWriter(
        new AzureStorage(scope, id, {
          ...props,
          geoRedundant: env.highAvailability,
          // The accounts refuse public networks: their endpoints sit in the first private subnet, resolvable from the whole network.
          network: { virtualNetworkId: network.virtualNetwork.id, subnetId: network.outputs.privateSubnetIds[0] },
          key: { keyVaultId: keys.vault.id, keyName: keys.key.name, authorize: (principalId) => keys.roleFor(principalId) },
        }),
        cluster,
      ),
    // The gateway reaches the private vault through an endpoint in the first private subnet (its own subnet takes nothing else).
    edge: (scope, id, props, _shared, keys, network) =>
      new AzureEdge(scope, id, { ...props, keyVaultId: keys.vault.id, vaultEndpointSubnetId: network.outputs.privateSubnetIds[0] }),
    database: (scope, id, props, _shared, keys, network) =>
      new AzureDatabase(scope, id, {
        ...props,
        networkCidr: network.outputs.cidr,
        virtualNetworkName: network.virtualNetwork.name,
        networkResourceGroupName: network.resourceGroup.name,
        keyId: keys.key.versionlessId,
        keys,
        grantKey: (principalId) => keys.roleFor(principalId),
      }),
    observability: (scope, id, props) => new AzureObservability(scope, id, props),
  },
  gcp: {
    provider: gcpProvider,
    scope: (_scope, _env, placement) => placement,
    keys: (scope, id, props, shared) => new GcpKeys(scope, id, { ...props, project: shared.project }),
    network: (scope, id, props, shared, keys) =>
      new GcpNetwork(scope, id, { ...props, project: shared.project, flowLogKey: { keyId: keys.key.id, loggingMayUseKey: keys.serviceGrant("logs") } }),
    kubernetes: (scope, id, props, shared, keys, network) =>
      new GcpKubernetes(scope, id, {
        ...props,
        ...regionalRanges(network),
        project: shared.project,
        keyId: keys.key.id,
        grantKey: (member) => keys.principalGrant(member),
        secondaryRanges: GKE_RANGE_NAMES,
      }),
    storage: (scope, id, props, shared, keys, _env, cluster) =>
      backupWriter(new GcpStorage(scope, id, { ...props, project: shared.project, keyGrant: keys.serviceGrant("object-storage") }), cluster),
    edge: (scope, id, props, shared) => new GcpEdge(scope, id, { ...props, project: shared.project }),
    database: (scope, id, props, shared, keys, network) =>
      new GcpDatabase(scope, id, {
        ...props,
        project: shared.project,
        networkCidr: network.outputs.cidr,
        keyId: keys.key.id,
        keys,
        grantKey: (member) => keys.principalGrant(member),
      }),
    observability: (scope, id, props, shared, keys, env) =>
      new GcpObservability(scope, id, {
        ...props,
        project: shared.project,
        keyId: keys.key.id,
        loggingMayUseKey: keys.serviceGrant("logs"),
        billingAccount: env.observability.budget.gcpBillingAccount ?? gcpBillingAccountVariable(scope),
      }),
  },
  oci: {
    provider: ociProvider,
    scope: (scope, env, placement) => ({
      ...placement,
      compartmentId: ociCompartment(scope, {
        name: environmentName(env),
        tags: env.tags,
        parentCompartmentId: placement.parentCompartmentId ?? parentCompartmentVariable(scope),
        identityProvider: ociHomeRegionProvider(scope),
      }),
    }),
    keys: (scope, id, props, shared) =>
      new OciKeys(scope, id, { ...props, compartmentId: shared.compartmentId, identityProvider: ociHomeRegionProvider(scope) }),
    network: (scope, id, props, shared) => new OciNetwork(scope, id, { ...props, compartmentId: shared.compartmentId }),
    kubernetes: (scope, id, props, shared, keys, network) =>
      new OciKubernetes(scope, id, {
        ...props,
        ...regionalRanges(network),
        compartmentId: shared.compartmentId,
        keyId: keys.key.id,
        networkCidr: network.outputs.cidr,
        identityProvider: ociHomeRegionProvider(scope),
      }),
    storage: (scope, id, props, shared, keys, _env, cluster) => {
      keys.grant({ service: "object-storage" });
      const region = primaryRegion(props);
      const storage = new OciStorage(scope, id, {
        ...props,
        compartmentId: shared.compartmentId,
        identityProvider: ociHomeRegionProvider(scope),
        primaryProvider: region ? ociRegionProvider(scope, PRIMARY_ALIAS, region) : undefined,
      });
      return backupWriter(storage, cluster);
    },
    edge: (scope, id, props, shared) => new OciEdge(scope, id, { ...props, compartmentId: shared.compartmentId }),
    database: (scope, id, props, shared, keys) => new OciDatabase(scope, id, { ...props, compartmentId: shared.compartmentId, keys, identityProvider: ociHomeRegionProvider(scope) }),
    observability: (scope, id, props, shared) =>
      new OciObservability(scope, id, { ...props, compartmentId: shared.compartmentId, identityProvider: ociHomeRegionProvider(scope) }),
  },
  ibm: {
    provider: ibmProvider,
    scope: (scope, env, placement) => ({
      ...placement,
      resourceGroupId: ibmResourceGroup(scope, { name: environmentName(env), tags: env.tags, resourceGroupId: placement.resourceGroupId }),
    }),
    keys: (scope, id, props, shared) => new IbmKeys(scope, id, { ...props, resourceGroupId: shared.resourceGroupId }),
    network: (scope, id, props, shared, keys) =>
      new IbmNetwork(scope, id, {
        ...props,
        resourceGroupId: shared.resourceGroupId,
        flowLogKey: { keyProtectGuid: keys.keyProtect.guid, keyCrn: keys.rootKey.crn },
      }),
    kubernetes: (scope, id, props, shared, keys, network) =>
      new IbmKubernetes(scope, id, {
        ...props,
        ...zonalRanges(network, props.zones),
        resourceGroupId: shared.resourceGroupId,
        keyProtectGuid: keys.keyProtect.guid,
        rootKeyId: keys.rootKey.keyId,
      }),
    // The storage module authorizes its own Object Storage instance on the key (narrower than grant({ service })).
    storage: (scope, id, props, shared, _keys, _env, cluster) => backupWriter(new IbmStorage(scope, id, { ...props, resourceGroupId: shared.resourceGroupId }), cluster),
    edge: (scope, id, props, shared, keys) =>
      new IbmEdge(scope, id, { ...props, resourceGroupId: shared.resourceGroupId, secretsManagerGuid: keys.secretsManager.guid }),
    database: (scope, id, props, shared, keys) =>
      new IbmDatabase(scope, id, {
        ...props,
        resourceGroupId: shared.resourceGroupId,
        keyCrn: keys.rootKey.crn,
        keys,
        grantKey: (source) => keys.sourceGrant(source),
      }),
    observability: (scope, id, props, shared, keys, env) =>
      new IbmObservability(scope, id, {
        ...props,
        resourceGroupId: shared.resourceGroupId,
        key: { keyProtectGuid: keys.keyProtect.guid, keyProtectCrn: keys.keyProtect.crn, rootKeyId: keys.rootKey.keyId, rootKeyCrn: keys.rootKey.crn },
        // One platform-metrics receiver per region and account: prod's in its region, dr's in its own (dev and staging share prod's).
        platformMetrics: env.name === "prod" || env.replicaOf !== undefined,
      }),
  },
};

/** Asked at plan time (TF_VAR_oci_parent_compartment_ocid) when the environment names no parent. */
function parentCompartmentVariable(scope: Construct): string {
  return new TerraformVariable(scope, "oci_parent_compartment_ocid", {
    type: "string",
    description: "OCID of the tenancy or compartment that holds this environment's compartment",
    nullable: false,
  }).stringValue;
}

/** Asked at plan time (TF_VAR_gcp_billing_account) when the environment names no billing account for the budget. */
function gcpBillingAccountVariable(scope: Construct): string {
  return stackVariable(scope, "gcp_billing_account", "Google Cloud billing account (XXXXXX-XXXXXX-XXXXXX) the project's monthly budget belongs to");
}
