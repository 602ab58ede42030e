import type { TerraformProvider } from "cdktf";
import { Construct } from "constructs";
import { ContainerengineAddon } from "../../.gen/providers/oci/containerengine-addon";
import { ContainerengineCluster } from "../../.gen/providers/oci/containerengine-cluster";
import { ContainerengineNodePool } from "../../.gen/providers/oci/containerengine-node-pool";
import { CoreNetworkSecurityGroup } from "../../.gen/providers/oci/core-network-security-group";
import { CoreNetworkSecurityGroupSecurityRule } from "../../.gen/providers/oci/core-network-security-group-security-rule";
import { DataOciContainerengineNodePoolOption } from "../../.gen/providers/oci/data-oci-containerengine-node-pool-option";
import { DataOciIdentityAvailabilityDomains } from "../../.gen/providers/oci/data-oci-identity-availability-domains";
import { IdentityPolicy } from "../../.gen/providers/oci/identity-policy";
import {
  checkWorkloadName,
  clusterName,
  INGRESS_NODE_PORT,
  resolveKubernetesProps,
  KUBERNETES_VERSIONS,
  type Kubernetes,
  type KubernetesOutputs,
  type KubernetesProps,
  type WorkloadIdentity,
} from "./contract";
import { POOL_LABEL, poolPlans } from "./pools";
import { MACHINE_TYPES } from "./machines";

export interface OciKubernetesProps extends KubernetesProps {
  readonly compartmentId: string;
  /** The environment's key OCID (the keys module). */
  readonly keyId: string;
  /** The network's range: API endpoint and nodes talk within it. */
  readonly networkCidr: string;
  /** Provider configuration for OCI Identity (policies are created in the home region). */
  readonly identityProvider?: TerraformProvider;
}

const TCP = "6";
const ALL = "all";
/** Kubernetes API, and the port worker nodes use to reach the control plane. */
export const OKE_API_PORTS = [6443, 12250];
/** The cluster autoscaler add-on runs as this service account and acts through workload identity. */
export const AUTOSCALER_SERVICE_ACCOUNT = { namespace: "kube-system", name: "cluster-autoscaler" } as const;

/**
 * Oracle OKE: an enhanced cluster whose API endpoint sits in the private subnet with no
 * public IP behind its own NSG (API ports from the network and declared ranges only),
 * Kubernetes secrets encrypted with the environment's key (with the IAM policies OKE and
 * Block Volume need for the key, created first), OIDC discovery for workload identity,
 * node pools placed across the region's availability domains in the private subnet with
 * in-transit encryption and boot volumes encrypted with the key, preemptible where
 * allowed, and the cluster autoscaler add-on acting through workload identity.
 */
export class OciKubernetes extends Construct implements Kubernetes {
  readonly outputs: KubernetesOutputs;
  readonly cluster: ContainerengineCluster;
  readonly nodePools: ContainerengineNodePool[];
  readonly nodeSecurityGroup: CoreNetworkSecurityGroup;
  private readonly props: ReturnType<typeof resolveKubernetesProps> & OciKubernetesProps;
  private readonly identities = new Map<string, WorkloadIdentity>();

  constructor(scope: Construct, id: string, input: OciKubernetesProps) {
    super(scope, id);
    const props = { ...input, ...resolveKubernetesProps(input) };
    this.props = props;
    const { compartmentId, keyId } = props;
    const name = clusterName(props);
    const freeformTags = { ...props.tags };
    const version = KUBERNETES_VERSIONS.oci.spell(props.version);
    const privateSubnet = props.privateSubnetIds[0];

    const apiSecurityGroup = new CoreNetworkSecurityGroup(this, "api-nsg", { compartmentId, vcnId: props.networkId, displayName: `${name}-api`, freeformTags });
    this.nodeSecurityGroup = new CoreNetworkSecurityGroup(this, "node-nsg", { compartmentId, vcnId: props.networkId, displayName: `${name}-nodes`, freeformTags });
    this.securityRules(apiSecurityGroup.id, this.nodeSecurityGroup.id);

    // OKE must be allowed to use the key before the cluster (secrets) and the pools (boot volumes) exist.
    const keyPolicy = new IdentityPolicy(this, "key-policy", {
      provider: props.identityProvider,
      compartmentId,
      name: `${name}-key-use`,
      description: `Lets ${name} (secrets) and its node pools (boot volumes) use ${props.name}'s key and no other`,
      statements: [
        `Allow any-user to use keys in compartment id ${compartmentId} where ALL {request.principal.type = 'cluster', target.key.id = '${keyId}'}`,
        `Allow service oke to use key-delegates in compartment id ${compartmentId} where target.key.id = '${keyId}'`,
        `Allow service blockstorage to use keys in compartment id ${compartmentId} where target.key.id = '${keyId}'`,
        `Allow any-user to use key-delegates in compartment id ${compartmentId} where ALL {request.principal.type = 'nodepool', target.key.id = '${keyId}'}`,
      ],
      freeformTags,
    });

    this.cluster = new ContainerengineCluster(this, "cluster", {
      compartmentId,
      name,
      vcnId: props.networkId,
      kubernetesVersion: version,
      type: "ENHANCED_CLUSTER",
      kmsKeyId: keyId,
      endpointConfig: { subnetId: privateSubnet, isPublicIpEnabled: false, nsgIds: [apiSecurityGroup.id] },
      clusterPodNetworkOptions: [{ cniType: "FLANNEL_OVERLAY" }],
      options: {
        addOns: { isKubernetesDashboardEnabled: false, isTillerEnabled: false },
        openIdConnectDiscovery: { isOpenIdConnectDiscoveryEnabled: true },
        persistentVolumeConfig: { freeformTags },
        serviceLbConfig: { freeformTags },
      },
      freeformTags,
      dependsOn: [keyPolicy],
      ...(props.deletionProtection ? { lifecycle: { preventDestroy: true } } : {}),
    });

    const domains = new DataOciIdentityAvailabilityDomains(this, "availability-domains", { compartmentId });
    const images = new DataOciContainerengineNodePoolOption(this, "node-images", {
      nodePoolOptionId: this.cluster.id,
      compartmentId,
      nodePoolK8SVersion: version,
      nodePoolOsType: "OL8",
    });
    const minor = props.version.replace(".", "\\\\.");
    // The newest Oracle Linux 8 x86 image OKE built for this Kubernetes version (not GPU, not Arm).
    const imageId = `\${[for s in ${images.fqn}.sources : s.image_id if length(regexall("^Oracle-Linux-8\\\\.[0-9]+-20[0-9.-]+-OKE-${minor}\\\\.", s.source_name)) > 0][0]}`;

    this.nodePools = poolPlans(props).map(({ role, pool, spot }) => {
      const [shape, ocpus, memory] = MACHINE_TYPES.oci[pool.size].split(":");
      return new ContainerengineNodePool(this, `${role}-pool`, {
        clusterId: this.cluster.id,
        compartmentId,
        name: `${name}-${role}`,
        kubernetesVersion: version,
        nodeShape: shape,
        nodeShapeConfig: { ocpus: Number(ocpus), memoryInGbs: Number(memory) },
        nodeSourceDetails: { sourceType: "IMAGE", imageId, bootVolumeSizeInGbs: "50" },
        nodeConfigDetails: {
          size: pool.minNodes,
          nsgIds: [this.nodeSecurityGroup.id],
          kmsKeyId: keyId,
          isPvEncryptionInTransitEnabled: true,
          placementConfigs: Array.from({ length: props.zones }, (_, ad) => ({
            availabilityDomain: domains.availabilityDomains.get(ad).name,
            subnetId: privateSubnet,
            ...(spot ? { preemptibleNodeConfig: { preemptionAction: { type: "TERMINATE", isPreserveBootVolume: false } } } : {}),
          })),
          freeformTags,
        },
        initialNodeLabels: [{ key: POOL_LABEL, value: role }],
        nodePoolCyclingDetails: { isNodeCyclingEnabled: true, maximumSurge: "1", maximumUnavailable: "0" },
        nodeEvictionNodePoolSettings: { evictionGraceDuration: "PT30M", isForceDeleteAfterGraceDuration: true },
        freeformTags,
        // The cluster autoscaler owns the current size.
        lifecycle: { ignoreChanges: ["node_config_details[0].size"] },
      });
    });

    const autoscaler = this.workloadIdentity(AUTOSCALER_SERVICE_ACCOUNT.namespace, AUTOSCALER_SERVICE_ACCOUNT.name);
    const autoscalerPolicy = new IdentityPolicy(this, "autoscaler-policy", {
      provider: props.identityProvider,
      compartmentId,
      name: `${name}-cluster-autoscaler`,
      description: `Lets ${name}'s cluster autoscaler resize its node pools`,
      statements: ["manage cluster-node-pools", "manage instance-family", "use subnets", "read virtual-network-family", "use vnics", "inspect compartments"].map(
        (permission) => `Allow ${autoscaler.principal} to ${permission} in compartment id ${compartmentId} where ${autoscaler.policyCondition}`,
      ),
      freeformTags,
    });
    new ContainerengineAddon(this, "cluster-autoscaler", {
      clusterId: this.cluster.id,
      addonName: "ClusterAutoscaler",
      removeAddonResourcesOnDelete: true,
      configurations: [
        { key: "authType", value: "workload" },
        // min:max:pool for every pool, the add-on's format.
        { key: "nodes", value: poolPlans(props).map(({ pool }, i) => `${pool.minNodes}:${pool.maxNodes}:${this.nodePools[i].id}`).join(",") },
      ],
      dependsOn: [autoscalerPolicy],
    });

    this.outputs = {
      clusterName: this.cluster.name,
      clusterId: this.cluster.id,
      endpoint: this.cluster.endpoints.get(0).privateEndpoint,
      oidcIssuer: this.cluster.openIdConnectDiscoveryEndpoint,
      nodeAccess: { securityGroupIds: [this.nodeSecurityGroup.id], subnetCidrs: [...props.privateSubnetCidrs], networkTags: [] },
      ingress: { nodePort: INGRESS_NODE_PORT, nodeGroupIds: [this.nodePools[1].id] },
      metricScopes: [{ resourceId: this.nodePools[1].id }],
    };
  }

  /** OKE workload identity: no resource; policies name the workload by its cluster, namespace and service account. */
  workloadIdentity(namespace: string, serviceAccount: string): WorkloadIdentity {
    checkWorkloadName("oci", namespace, serviceAccount);
    const key = `${namespace}/${serviceAccount}`;
    const existing = this.identities.get(key);
    if (existing) return existing;
    const identity = {
      principal: "any-user",
      annotation: "",
      policyCondition: `ALL {request.principal.type = 'workload', request.principal.namespace = '${namespace}', request.principal.service_account = '${serviceAccount}', request.principal.cluster_id = '${this.cluster.id}'}`,
    };
    this.identities.set(key, identity);
    return identity;
  }

  /** API endpoint: its ports from the network and declared ranges; nodes: anything from the network, egress anywhere (images, OCI services). */
  private securityRules(apiGroup: string, nodeGroup: string): void {
    const { networkCidr, apiAccess } = this.props;
    const rule = (id: string, group: string, spec: Record<string, unknown>) =>
      new CoreNetworkSecurityGroupSecurityRule(this, id, { networkSecurityGroupId: group, stateless: false, ...(spec as { direction: string; protocol: string }) });
    [networkCidr, ...apiAccess.allowedCidrs].forEach((source, i) =>
      OKE_API_PORTS.forEach((port) =>
        rule(`api-in-${i}-${port}`, apiGroup, {
          direction: "INGRESS",
          protocol: TCP,
          source,
          sourceType: "CIDR_BLOCK",
          description: `Kubernetes API (${port}) from ${i === 0 ? "the network" : "a declared range"}`,
          tcpOptions: { destinationPortRange: { min: port, max: port } },
        }),
      ),
    );
    rule("api-out", apiGroup, { direction: "EGRESS", protocol: ALL, destination: networkCidr, destinationType: "CIDR_BLOCK", description: "Control plane to nodes" });
    rule("api-out-services", apiGroup, {
      direction: "EGRESS",
      protocol: TCP,
      destination: "0.0.0.0/0",
      destinationType: "CIDR_BLOCK",
      description: "Control plane to OCI services (HTTPS)",
      tcpOptions: { destinationPortRange: { min: 443, max: 443 } },
    });
    rule("node-in", nodeGroup, { direction: "INGRESS", protocol: ALL, source: networkCidr, sourceType: "CIDR_BLOCK", description: "Nodes, control plane and load balancers in the network" });
    rule("node-out", nodeGroup, { direction: "EGRESS", protocol: ALL, destination: "0.0.0.0/0", destinationType: "CIDR_BLOCK", description: "Images, OCI services, the control plane (through NAT and the service gateway)" });
  }
}
