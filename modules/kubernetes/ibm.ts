import { Annotations } from "cdktf";
import { Construct } from "constructs";
import { ContainerAddons } from "../../.gen/providers/ibm/container-addons";
import { ContainerVpcCluster } from "../../.gen/providers/ibm/container-vpc-cluster";
import { ContainerVpcWorkerPool } from "../../.gen/providers/ibm/container-vpc-worker-pool";
import { IamAuthorizationPolicy } from "../../.gen/providers/ibm/iam-authorization-policy";
import { IamTrustedProfile } from "../../.gen/providers/ibm/iam-trusted-profile";
import { IamTrustedProfileLink } from "../../.gen/providers/ibm/iam-trusted-profile-link";
import { IsSecurityGroup } from "../../.gen/providers/ibm/is-security-group";
import { keyValueTags } from "../shared/tags";
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
import { gapError } from "./gaps";
import { POOL_LABEL, poolPlans } from "./pools";
import { MACHINE_TYPES } from "./machines";

export interface IbmKubernetesProps extends KubernetesProps {
  readonly resourceGroupId: string;
  /** The environment's Key Protect instance (GUID) and its root key's id. */
  readonly keyProtectGuid: string;
  readonly rootKeyId: string;
}

/** The services that unwrap with the root key: the cluster (secrets) and Block Storage (worker boot volumes). */
export const IBM_KEY_SOURCES = { cluster: "containers-kubernetes", volumes: "server-protect" } as const;

/**
 * IBM Cloud Kubernetes Service on VPC: a cluster with its public service endpoint disabled,
 * Kubernetes secrets (KMS) and worker boot volumes encrypted with the environment's Key
 * Protect root key over its private endpoint (each with the service-to-service authorization
 * it needs, created first), outbound traffic protection kept on, the system workers as the
 * default pool and a workload pool, one subnet per zone in the private tier, a marker security
 * group on every worker for later modules to admit, and the cluster autoscaler add-on.
 * IBM has no spot workers (KUBERNETES_GAPS.ibmSpot).
 */
export class IbmKubernetes extends Construct implements Kubernetes {
  readonly outputs: KubernetesOutputs;
  private readonly identities = new Map<string, WorkloadIdentity>();
  readonly cluster: ContainerVpcCluster;
  readonly workloadPool: ContainerVpcWorkerPool;
  readonly nodeSecurityGroup: IsSecurityGroup;

  constructor(scope: Construct, id: string, input: IbmKubernetesProps) {
    super(scope, id);
    const props = resolveKubernetesProps(input);
    const { resourceGroupId, keyProtectGuid, rootKeyId } = input;
    const name = clusterName(props);
    const tags = keyValueTags(props.tags);
    const zones = props.privateSubnetIds.slice(0, props.zones).map((subnetId, zone) => ({ name: `${props.region}-${zone + 1}`, subnetId }));

    const keyReaders = Object.entries(IBM_KEY_SOURCES).map(
      ([what, source]) =>
        new IamAuthorizationPolicy(this, `key-reader-${what}`, {
          sourceServiceName: source,
          targetServiceName: "kms",
          targetResourceInstanceId: keyProtectGuid,
          roles: ["Reader"],
          description: `${source} unwraps ${name}'s ${what === "cluster" ? "secrets" : "worker volumes"} with ${props.name}'s root key`,
        }),
    );
    // No rules of its own: it names the workers, so that a database or load balancer can admit them.
    this.nodeSecurityGroup = new IsSecurityGroup(this, "node-security-group", { name: `${name}-nodes`, vpc: props.networkId, resourceGroup: resourceGroupId, tags });

    const [system, workload] = poolPlans(props);
    // Declared, and said at synth: IBM has no spot workers, the pool runs on demand.
    poolPlans(props)
      .filter((plan) => plan.spot)
      .forEach((plan) => Annotations.of(this).addWarning(gapError("ibmSpot", `(${plan.role} pool)`).message));
    const encryptedVolumes = { kmsInstanceId: keyProtectGuid, crk: rootKeyId };
    this.cluster = new ContainerVpcCluster(this, "cluster", {
      name,
      vpcId: props.networkId,
      resourceGroupId,
      kubeVersion: KUBERNETES_VERSIONS.ibm.spell(props.version),
      flavor: MACHINE_TYPES.ibm[system.pool.size],
      workerCount: system.perZone.min,
      zones,
      disablePublicServiceEndpoint: true,
      // Outbound traffic protection on (new clusters are secure by default; enable_secure_by_default
      // itself is refused at create time by the provider and is only for converting old clusters).
      disableOutboundTrafficProtection: false,
      kmsConfig: { instanceId: keyProtectGuid, crkId: rootKeyId, privateEndpoint: true },
      ...encryptedVolumes,
      securityGroups: ["cluster", this.nodeSecurityGroup.id],
      workerLabels: { [POOL_LABEL]: "system" },
      // A private-only cluster has no public ingress to wait for.
      waitTill: "OneWorkerNodeReady",
      tags,
      dependsOn: keyReaders,
      ...(props.deletionProtection ? { lifecycle: { preventDestroy: true } } : {}),
    });

    this.workloadPool = new ContainerVpcWorkerPool(this, "workload-pool", {
      cluster: this.cluster.id,
      workerPoolName: "workload",
      vpcId: props.networkId,
      resourceGroupId,
      flavor: MACHINE_TYPES.ibm[workload.pool.size],
      workerCount: Math.max(1, workload.perZone.min),
      zones,
      ...encryptedVolumes,
      securityGroups: ["cluster", this.nodeSecurityGroup.id],
      labels: { [POOL_LABEL]: "workload" },
      // The autoscaler add-on owns worker counts once it manages the pool.
      lifecycle: { ignoreChanges: ["worker_count"] },
    });

    new ContainerAddons(this, "addons", {
      cluster: this.cluster.id,
      resourceGroupId,
      // Only this add-on: the default ones (VPC block storage driver, ...) stay IBM-managed.
      manageAllAddons: false,
      addons: [{ name: "cluster-autoscaler" }],
      dependsOn: [this.workloadPool],
    });

    this.outputs = {
      clusterName: this.cluster.name,
      clusterId: this.cluster.id,
      endpoint: this.cluster.privateServiceEndpointUrl,
      // IKS serves its service-account issuer at the private service endpoint.
      oidcIssuer: this.cluster.privateServiceEndpointUrl,
      nodeAccess: { securityGroupIds: [this.nodeSecurityGroup.id], subnetCidrs: [...props.privateSubnetCidrs.slice(0, props.zones)], networkTags: [] },
      ingress: { nodePort: INGRESS_NODE_PORT, nodeGroupIds: [this.workloadPool.workerPoolId] },
    };
  }

  /**
   * A trusted profile linked to the service account (compute resource type IKS_SA): pods of that
   * account exchange their service-account token for the profile's IAM token, naming the profile
   * id; nothing else may assume it. Grants go to the profile's IAM id.
   */
  workloadIdentity(namespace: string, serviceAccount: string): WorkloadIdentity {
    checkWorkloadName("ibm", namespace, serviceAccount);
    const key = `${namespace}/${serviceAccount}`;
    const existing = this.identities.get(key);
    if (existing) return existing;
    const id = `workload-${namespace}-${serviceAccount}`;
    const name = `${this.cluster.name}-${namespace}-${serviceAccount}`;
    const profile = new IamTrustedProfile(this, id, { name, description: `Pods of ${namespace}/${serviceAccount} in ${this.cluster.name}` });
    new IamTrustedProfileLink(this, `${id}-link`, {
      profileId: profile.id,
      crType: "IKS_SA",
      name: `${namespace}-${serviceAccount}`,
      link: { crn: this.cluster.crn, namespace, name: serviceAccount },
    });
    const identity = { principal: profile.iamId, annotation: profile.id, policyCondition: "" };
    this.identities.set(key, identity);
    return identity;
  }
}
