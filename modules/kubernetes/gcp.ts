import { ContainerCluster } from "@cdktf/provider-google/lib/container-cluster";
import { ContainerNodePool } from "@cdktf/provider-google/lib/container-node-pool";
import { DataGoogleComputeZones } from "@cdktf/provider-google/lib/data-google-compute-zones";
import { DataGoogleProject } from "@cdktf/provider-google/lib/data-google-project";
import { ProjectIamMember } from "@cdktf/provider-google/lib/project-iam-member";
import { ServiceAccount } from "@cdktf/provider-google/lib/service-account";
import { ServiceAccountIamMember } from "@cdktf/provider-google/lib/service-account-iam-member";
import { dependable, Fn, type TerraformResource } from "cdktf";
import { Construct } from "constructs";
import { enableGcpServices } from "../shared/gcp-services";
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
import { POOL_LABEL, poolPlans, SYSTEM_TAINT } from "./pools";
import { MACHINE_TYPES } from "./machines";

export interface GcpKubernetesProps extends KubernetesProps {
  readonly project: string;
  /** The environment's crypto key id. */
  readonly keyId: string;
  /** Grants an IAM member encrypter/decrypter on the key; the binding is waited for. */
  readonly grantKey: (member: string) => TerraformResource;
  /** The network's secondary ranges for pods and services on the private subnetwork. */
  readonly secondaryRanges: { readonly pods: string; readonly services: string };
}

/** The APIs the module calls. */
export const KUBERNETES_APIS = { container: "container.googleapis.com" } as const;

/** Google's one role for a least-privilege node service account (logs, metrics, image pulls of the project). */
export const NODE_SERVICE_ACCOUNT_ROLES = ["roles/container.defaultNodeServiceAccount", "roles/artifactregistry.reader"];

/** Network tag on every node, for the firewall rules of later modules (database, edge). */
export const NODE_TAG_SUFFIX = "k8s-node";

/**
 * Google GKE: a regional cluster with private nodes and a private endpoint restricted to the
 * network's private range (and declared ranges), workload identity, application-layer secrets
 * encryption with the environment's key (the GKE service agent granted first), the REGULAR
 * release channel, shielded nodes, Dataplane V2 (network policy), the default node pool
 * removed, and autoscaling node pools with a dedicated least-privilege service account,
 * `GKE_METADATA`, secure boot, CMEK boot disks and spot nodes where allowed; deletion
 * protection as the environment says. Pods and services use the network's secondary ranges.
 */
export class GcpKubernetes extends Construct implements Kubernetes {
  readonly outputs: KubernetesOutputs;
  readonly cluster: ContainerCluster;
  readonly nodeServiceAccount: ServiceAccount;
  private readonly identities = new Map<string, WorkloadIdentity>();
  private readonly project: string;
  private readonly workloadPool: string;

  constructor(scope: Construct, id: string, input: GcpKubernetesProps) {
    super(scope, id);
    const props = resolveKubernetesProps(input);
    const { project, region } = { ...props, project: input.project };
    const name = clusterName(props);
    this.project = project;
    this.workloadPool = `${project}.svc.id.goog`;
    const labels = { ...props.tags };
    const nodeTag = `${props.name}-${NODE_TAG_SUFFIX}`;
    const [containerApi] = enableGcpServices(this, project, [KUBERNETES_APIS.container]);
    const projectData = new DataGoogleProject(this, "project", { projectId: project });

    // GKE encrypts secrets, and Compute Engine the nodes' boot disks, as their service agents: granted before the cluster.
    const keyGrants = [
      input.grantKey(`serviceAccount:service-${projectData.number}@container-engine-robot.iam.gserviceaccount.com`),
      input.grantKey(`serviceAccount:service-${projectData.number}@compute-system.iam.gserviceaccount.com`),
    ];
    // Google creates the GKE service agent when the Kubernetes Engine API is turned on.
    keyGrants.forEach((grant) => (grant.dependsOn = [...(grant.dependsOn ?? []), dependable(containerApi)]));

    this.nodeServiceAccount = new ServiceAccount(this, "node-service-account", {
      accountId: `${props.name}-k8s-nodes`.slice(0, 30),
      displayName: `Nodes of ${name}`,
      description: "GKE nodes: logs, metrics and image pulls only",
      project,
    });
    const nodeRoles = NODE_SERVICE_ACCOUNT_ROLES.map(
      (role, i) => new ProjectIamMember(this, `node-role-${i}`, { project, role, member: this.nodeServiceAccount.member }),
    );

    const zones = new DataGoogleComputeZones(this, "zones", { project, region, status: "UP", dependsOn: [containerApi] });
    const nodeLocations = Fn.slice(zones.names, 0, props.zones);
    const nodeConfig = (spot: boolean) => ({
      serviceAccount: this.nodeServiceAccount.email,
      oauthScopes: ["https://www.googleapis.com/auth/cloud-platform"],
      bootDiskKmsKey: input.keyId,
      diskType: "pd-balanced",
      diskSizeGb: 50,
      imageType: "COS_CONTAINERD",
      spot,
      shieldedInstanceConfig: { enableSecureBoot: true, enableIntegrityMonitoring: true },
      workloadMetadataConfig: { mode: "GKE_METADATA" },
      metadata: { "disable-legacy-endpoints": "true" },
      tags: [nodeTag],
      resourceLabels: labels,
    });

    this.cluster = new ContainerCluster(this, "cluster", {
      name,
      project,
      location: region,
      nodeLocations,
      network: props.networkId,
      subnetwork: props.privateSubnetIds[0],
      networkingMode: "VPC_NATIVE",
      ipAllocationPolicy: { clusterSecondaryRangeName: input.secondaryRanges.pods, servicesSecondaryRangeName: input.secondaryRanges.services },
      minMasterVersion: KUBERNETES_VERSIONS.gcp.spell(props.version),
      releaseChannel: { channel: "REGULAR" },
      // Replaced at once by the pools below; created with the same hardened settings meanwhile.
      removeDefaultNodePool: true,
      initialNodeCount: 1,
      nodeConfig: nodeConfig(false),
      privateClusterConfig: { enablePrivateNodes: true, enablePrivateEndpoint: true },
      masterAuthorizedNetworksConfig: {
        gcpPublicCidrsAccessEnabled: false,
        cidrBlocks: [...props.privateSubnetCidrs, ...props.apiAccess.allowedCidrs].map((cidrBlock) => ({ cidrBlock, displayName: cidrBlock })),
      },
      masterAuth: { clientCertificateConfig: { issueClientCertificate: false } },
      enableLegacyAbac: false,
      enableShieldedNodes: true,
      datapathProvider: "ADVANCED_DATAPATH",
      workloadIdentityConfig: { workloadPool: this.workloadPool },
      databaseEncryption: { state: "ENCRYPTED", keyName: input.keyId },
      loggingConfig: { enableComponents: ["SYSTEM_COMPONENTS", "APISERVER", "CONTROLLER_MANAGER", "SCHEDULER", "WORKLOADS"] },
      deletionProtection: props.deletionProtection,
      resourceLabels: labels,
      dependsOn: [containerApi, ...keyGrants, ...nodeRoles],
      lifecycle: {
        // node_config describes only the removed default pool; a later change to it would replace the cluster.
        ignoreChanges: ["node_config"],
        ...(props.deletionProtection ? { preventDestroy: true } : {}),
      },
    });

    const pools = poolPlans(props).map(
      ({ role, pool, spot }) =>
        new ContainerNodePool(this, `${role}-pool`, {
          name: role,
          project,
          cluster: this.cluster.id,
          location: region,
          nodeLocations,
          autoscaling: { totalMinNodeCount: pool.minNodes, totalMaxNodeCount: pool.maxNodes, locationPolicy: "BALANCED" },
          management: { autoRepair: true, autoUpgrade: true },
          upgradeSettings: { maxSurge: 1, maxUnavailable: 0 },
          nodeConfig: {
            ...nodeConfig(spot),
            machineType: MACHINE_TYPES.gcp[pool.size],
            labels: { [POOL_LABEL]: role },
            taint: role === "system" ? [{ key: SYSTEM_TAINT.key, value: SYSTEM_TAINT.value, effect: "NO_SCHEDULE" }] : undefined,
          },
          lifecycle: { ignoreChanges: ["initial_node_count"] },
        }),
    );

    this.outputs = {
      clusterName: this.cluster.name,
      clusterId: this.cluster.id,
      endpoint: this.cluster.endpoint,
      oidcIssuer: this.workloadPool,
      nodeAccess: { securityGroupIds: [], subnetCidrs: [...props.privateSubnetCidrs], networkTags: [nodeTag] },
      // One instance group per zone of the pool: as many entries as zones, known at synth, each resolved at apply.
      ingress: { nodePort: INGRESS_NODE_PORT, nodeGroupIds: Array.from({ length: props.zones }, (_, i) => Fn.element(pools[1].managedInstanceGroupUrls, i)) },
      metricScopes: [{ cluster_name: this.cluster.name, node_pool_name: pools[1].name }],
    };
  }

  /** A Google service account the Kubernetes service account may impersonate (workload identity). */
  workloadIdentity(namespace: string, serviceAccount: string): WorkloadIdentity {
    checkWorkloadName("gcp", namespace, serviceAccount);
    const key = `${namespace}/${serviceAccount}`;
    const existing = this.identities.get(key);
    if (existing) return existing;
    const id = `workload-${namespace}-${serviceAccount}`;
    const account = new ServiceAccount(this, id, {
      accountId: `wi-${namespace}-${serviceAccount}`.slice(0, 30).replace(/-+$/, ""),
      displayName: `Kubernetes ${namespace}/${serviceAccount}`,
      project: this.project,
    });
    new ServiceAccountIamMember(this, `${id}-binding`, {
      serviceAccountId: account.name,
      role: "roles/iam.workloadIdentityUser",
      member: `serviceAccount:${this.workloadPool}[${namespace}/${serviceAccount}]`,
      // The pool exists once the cluster does.
      dependsOn: [this.cluster],
    });
    const result = { principal: account.member, annotation: account.email, policyCondition: "" };
    this.identities.set(key, result);
    return result;
  }
}
