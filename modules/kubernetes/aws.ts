import { CloudwatchLogGroup } from "@cdktf/provider-aws/lib/cloudwatch-log-group";
import { DataAwsCallerIdentity } from "@cdktf/provider-aws/lib/data-aws-caller-identity";
import { DataAwsEksAddonVersion } from "@cdktf/provider-aws/lib/data-aws-eks-addon-version";
import { DataAwsIamPolicyDocument } from "@cdktf/provider-aws/lib/data-aws-iam-policy-document";
import { EksAddon } from "@cdktf/provider-aws/lib/eks-addon";
import { EksCluster } from "@cdktf/provider-aws/lib/eks-cluster";
import { EksNodeGroup } from "@cdktf/provider-aws/lib/eks-node-group";
import { IamOpenidConnectProvider } from "@cdktf/provider-aws/lib/iam-openid-connect-provider";
import { IamRole } from "@cdktf/provider-aws/lib/iam-role";
import { IamRolePolicyAttachment } from "@cdktf/provider-aws/lib/iam-role-policy-attachment";
import { KmsGrant } from "@cdktf/provider-aws/lib/kms-grant";
import { LaunchTemplate } from "@cdktf/provider-aws/lib/launch-template";
import { VpcSecurityGroupIngressRule } from "@cdktf/provider-aws/lib/vpc-security-group-ingress-rule";
import { Fn } from "cdktf";
import { Construct } from "constructs";
import type { Keys } from "../keys/contract";
import { nameTagged } from "../shared/tags";
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
import { AWS_SPOT_TYPES, MACHINE_TYPES } from "./machines";

export interface AwsKubernetesProps extends KubernetesProps {
  /** The environment's key (ARN): secrets envelope encryption, the log group, node volumes. */
  readonly keyArn: string;
  /** The keys module, to let the cluster role use the key. */
  readonly keys: Keys;
}

/** Every control-plane log type EKS can write. */
export const EKS_LOG_TYPES = ["api", "audit", "authenticator", "controllerManager", "scheduler"];

/** Managed policies, and nothing else: the control plane's, and what nodes need to join and pull images. */
export const EKS_CLUSTER_POLICIES = ["arn:aws:iam::aws:policy/AmazonEKSClusterPolicy"];
export const EKS_NODE_POLICIES = [
  "arn:aws:iam::aws:policy/AmazonEKSWorkerNodePolicy",
  "arn:aws:iam::aws:policy/AmazonEC2ContainerRegistryReadOnly",
  "arn:aws:iam::aws:policy/AmazonEKS_CNI_Policy",
];

/** Core add-ons, each at the default version EKS gives the cluster's Kubernetes version: those nodes need to join, then those that run on them. */
export const EKS_NODE_ADDONS = ["vpc-cni", "kube-proxy", "eks-pod-identity-agent"];
export const EKS_POD_ADDONS = ["coredns"];

/**
 * AWS EKS: a private cluster (public endpoint off) whose secrets are envelope-encrypted with
 * the environment's KMS key, all five control-plane log types in a KMS-encrypted log group
 * created first, access entries only (`API`, no implicit creator admin), managed node groups
 * in the private subnets from a launch template that enforces IMDSv2 and encrypted volumes,
 * spot capacity where the environment allows it, the core add-ons, and an OIDC provider for
 * IAM roles for service accounts.
 */
export class AwsKubernetes extends Construct implements Kubernetes {
  readonly outputs: KubernetesOutputs;
  readonly cluster: EksCluster;
  readonly nodeGroups: EksNodeGroup[];
  private readonly oidc: IamOpenidConnectProvider;
  private readonly identities = new Map<string, WorkloadIdentity>();
  private readonly name: string;
  private readonly tags: Readonly<Record<string, string>>;

  constructor(scope: Construct, id: string, input: AwsKubernetesProps) {
    super(scope, id);
    const props = resolveKubernetesProps(input);
    const name = clusterName(props);
    this.name = name;
    this.tags = props.tags;
    const account = new DataAwsCallerIdentity(this, "account");

    const clusterRole = this.serviceRole("cluster-role", `${name}-cluster`, "eks.amazonaws.com", EKS_CLUSTER_POLICIES);
    // The control plane encrypts secrets with the key under its own role.
    input.keys.grant({ principal: clusterRole.arn });

    // Created before the cluster so that EKS does not create an unencrypted, never-expiring one.
    const logGroup = new CloudwatchLogGroup(this, "log-group", {
      name: `/aws/eks/${name}/cluster`,
      retentionInDays: props.logRetentionDays,
      kmsKeyId: input.keyArn,
      tags: nameTagged(props.tags, name),
    });

    this.cluster = new EksCluster(this, "cluster", {
      name,
      version: KUBERNETES_VERSIONS.aws.spell(props.version),
      roleArn: clusterRole.arn,
      vpcConfig: { subnetIds: [...props.privateSubnetIds], endpointPrivateAccess: true, endpointPublicAccess: false },
      encryptionConfig: { resources: ["secrets"], provider: { keyArn: input.keyArn } },
      enabledClusterLogTypes: EKS_LOG_TYPES,
      accessConfig: { authenticationMode: "API", bootstrapClusterCreatorAdminPermissions: false },
      // Stay on standard support: a cluster left on an old version is upgraded, not billed for extended support.
      upgradePolicy: { supportType: "STANDARD" },
      bootstrapSelfManagedAddons: false,
      deletionProtection: props.deletionProtection,
      tags: nameTagged(props.tags, name),
      dependsOn: [logGroup],
      ...(props.deletionProtection ? { lifecycle: { preventDestroy: true } } : {}),
    });
    const clusterSecurityGroupId = this.cluster.vpcConfig.clusterSecurityGroupId;
    // The endpoint is private: declared ranges reach it through the network (peering, VPN).
    props.apiAccess.allowedCidrs.forEach(
      (cidr, i) =>
        new VpcSecurityGroupIngressRule(this, `api-access-${i}`, {
          securityGroupId: clusterSecurityGroupId,
          description: "Kubernetes API from a declared range",
          ipProtocol: "tcp",
          fromPort: 443,
          toPort: 443,
          cidrIpv4: cidr,
          tags: props.tags,
        }),
    );

    const nodeRole = this.serviceRole("node-role", `${name}-node`, "ec2.amazonaws.com", EKS_NODE_POLICIES);
    // EC2 Auto Scaling launches the nodes and must create grants on the key for their encrypted volumes.
    new KmsGrant(this, "autoscaling-volume-grant", {
      name: `${name}-node-volumes`,
      keyId: input.keyArn,
      granteePrincipal: `arn:aws:iam::${account.accountId}:role/aws-service-role/autoscaling.amazonaws.com/AWSServiceRoleForAutoScaling`,
      operations: ["Encrypt", "Decrypt", "ReEncryptFrom", "ReEncryptTo", "GenerateDataKey", "GenerateDataKeyWithoutPlaintext", "DescribeKey", "CreateGrant"],
    });
    const launchTemplate = new LaunchTemplate(this, "node-template", {
      name: `${name}-node`,
      description: `Nodes of ${name}: IMDSv2 only, encrypted volumes`,
      // IMDSv2 only, one hop: pods cannot reach the node's credentials; they use their own roles.
      metadataOptions: { httpEndpoint: "enabled", httpTokens: "required", httpPutResponseHopLimit: 1, instanceMetadataTags: "disabled" },
      blockDeviceMappings: [
        { deviceName: "/dev/xvda", ebs: { volumeSize: 50, volumeType: "gp3", encrypted: "true", kmsKeyId: input.keyArn, deleteOnTermination: "true" } },
      ],
      tagSpecifications: [
        { resourceType: "instance", tags: nameTagged(props.tags, `${name}-node`) },
        { resourceType: "volume", tags: nameTagged(props.tags, `${name}-node`) },
      ],
      tags: nameTagged(props.tags, `${name}-node`),
    });

    // The network add-ons first: nodes join only once the VPC CNI and kube-proxy exist
    // (bootstrap_self_managed_addons is off); CoreDNS after the nodes it runs on.
    const addon = (addonName: string, dependsOn?: EksNodeGroup[]) => {
      const version = new DataAwsEksAddonVersion(this, `${addonName}-version`, { addonName, kubernetesVersion: this.cluster.version });
      return new EksAddon(this, `addon-${addonName}`, {
        clusterName: this.cluster.name,
        addonName,
        addonVersion: version.version,
        resolveConflictsOnCreate: "OVERWRITE",
        resolveConflictsOnUpdate: "OVERWRITE",
        tags: nameTagged(props.tags, `${name}-${addonName}`),
        dependsOn,
      });
    };
    const networkAddons = EKS_NODE_ADDONS.map((name) => addon(name));

    this.nodeGroups = poolPlans(props).map(({ role, pool, spot }) => {
      const group = new EksNodeGroup(this, `${role}-nodes`, {
        clusterName: this.cluster.name,
        nodeGroupName: `${name}-${role}`,
        nodeRoleArn: nodeRole.arn,
        subnetIds: [...props.privateSubnetIds],
        capacityType: spot ? "SPOT" : "ON_DEMAND",
        instanceTypes: spot ? [...AWS_SPOT_TYPES[pool.size]] : [MACHINE_TYPES.aws[pool.size]],
        amiType: "AL2023_x86_64_STANDARD",
        scalingConfig: { minSize: pool.minNodes, maxSize: pool.maxNodes, desiredSize: pool.minNodes },
        updateConfig: { maxUnavailable: 1 },
        launchTemplate: { id: launchTemplate.id, version: Fn.tostring(launchTemplate.latestVersion) },
        labels: { [POOL_LABEL]: role },
        taint: role === "system" ? [{ key: SYSTEM_TAINT.key, value: SYSTEM_TAINT.value, effect: "NO_SCHEDULE" }] : undefined,
        tags: nameTagged(props.tags, `${name}-${role}`),
        // The cluster autoscaler owns the current size.
        lifecycle: { ignoreChanges: ["scaling_config[0].desired_size"] },
        dependsOn: networkAddons,
      });
      return group;
    });
    EKS_POD_ADDONS.forEach((name) => addon(name, this.nodeGroups));

    this.oidc = new IamOpenidConnectProvider(this, "oidc", {
      url: this.cluster.identity.get(0).oidc.get(0).issuer,
      clientIdList: ["sts.amazonaws.com"],
      tags: nameTagged(props.tags, `${name}-oidc`),
    });

    this.outputs = {
      clusterName: this.cluster.name,
      clusterId: this.cluster.arn,
      endpoint: this.cluster.endpoint,
      oidcIssuer: this.cluster.identity.get(0).oidc.get(0).issuer,
      nodeAccess: { securityGroupIds: [clusterSecurityGroupId], subnetCidrs: [...props.privateSubnetCidrs], networkTags: [] },
      // The workload node group's Auto Scaling group: what a load balancer's target group attaches to.
      ingress: { nodePort: INGRESS_NODE_PORT, nodeGroupIds: [this.nodeGroups[1].resources.get(0).autoscalingGroups.get(0).name] },
      metricScopes: [{ ClusterName: this.cluster.name }],
    };
  }

  /** An IAM role the service account assumes through the cluster's OIDC provider (IRSA), bound to that one account. */
  workloadIdentity(namespace: string, serviceAccount: string): WorkloadIdentity {
    checkWorkloadName("aws", namespace, serviceAccount);
    const key = `${namespace}/${serviceAccount}`;
    const existing = this.identities.get(key);
    if (existing) return existing;
    const id = `workload-${namespace}-${serviceAccount}`;
    const issuer = Fn.replace(this.oidc.url, "https://", "");
    const trust = new DataAwsIamPolicyDocument(this, `${id}-trust`, {
      statement: [
        {
          effect: "Allow",
          actions: ["sts:AssumeRoleWithWebIdentity"],
          principals: [{ type: "Federated", identifiers: [this.oidc.arn] }],
          condition: [
            { test: "StringEquals", variable: `${issuer}:sub`, values: [`system:serviceaccount:${namespace}:${serviceAccount}`] },
            { test: "StringEquals", variable: `${issuer}:aud`, values: ["sts.amazonaws.com"] },
          ],
        },
      ],
    });
    const role = new IamRole(this, id, {
      name: `${this.name}-${namespace}-${serviceAccount}`.slice(0, 64),
      assumeRolePolicy: trust.json,
      tags: nameTagged(this.tags, `${this.name}-${namespace}-${serviceAccount}`),
    });
    const identity = { principal: role.arn, annotation: role.arn, policyCondition: "" };
    this.identities.set(key, identity);
    return identity;
  }

  /** A role only `service` may assume, with exactly the managed policies given. */
  private serviceRole(id: string, name: string, service: string, policies: readonly string[]): IamRole {
    const role = new IamRole(this, id, {
      name,
      assumeRolePolicy: JSON.stringify({
        Version: "2012-10-17",
        Statement: [{ Effect: "Allow", Principal: { Service: service }, Action: ["sts:AssumeRole", ...(service.startsWith("eks") ? ["sts:TagSession"] : [])] }],
      }),
      tags: nameTagged(this.tags, name),
    });
    policies.forEach((policyArn, i) => new IamRolePolicyAttachment(this, `${id}-policy-${i}`, { role: role.name, policyArn }));
    return role;
  }
}
