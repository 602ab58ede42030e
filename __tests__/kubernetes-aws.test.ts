import { synthStack } from "./support/synth";
import { byConstruct, only, synthWithIdentity } from "./support/kubernetes";

const KEY = /^\$\{aws_kms_key\.keys_key_[0-9A-F]+\.arn\}$/;
const ref = (type: string, name: string, attr = "id") => expect.stringMatching(new RegExp(`^\\$\\{${type}\\.kubernetes_${name}_[0-9A-F]+\\.${attr}\\}$`));

describe("AWS Kubernetes (EKS)", () => {
  const prod = synthStack("aws", "prod");
  const dev = synthStack("aws", "dev");
  const cluster = only(prod.tf, "aws_eks_cluster");

  test("the cluster is private, envelope-encrypts secrets with the environment's key, logs everything, and uses access entries only", () => {
    expect(cluster).toMatchObject({
      name: "siros-prod-k8s",
      version: "1.33",
      role_arn: ref("aws_iam_role", "cluster-role", "arn"),
      vpc_config: { endpoint_private_access: true, endpoint_public_access: false, subnet_ids: [expect.stringMatching(/private-subnet-0/), expect.stringMatching(/private-subnet-1/), expect.stringMatching(/private-subnet-2/)] },
      encryption_config: { resources: ["secrets"], provider: { key_arn: expect.stringMatching(KEY) } },
      enabled_cluster_log_types: ["api", "audit", "authenticator", "controllerManager", "scheduler"],
      access_config: { authentication_mode: "API", bootstrap_cluster_creator_admin_permissions: false },
      upgrade_policy: { support_type: "STANDARD" },
      bootstrap_self_managed_addons: false,
      deletion_protection: true,
      lifecycle: { prevent_destroy: true },
    });
    expect(cluster.vpc_config).not.toHaveProperty("public_access_cidrs");
  });

  test("control-plane logs go to a KMS-encrypted log group created before the cluster", () => {
    const group = Object.entries(prod.tf.resource.aws_cloudwatch_log_group).find(([, g]) => g.name === "/aws/eks/siros-prod-k8s/cluster")!;
    expect(group[1]).toMatchObject({ retention_in_days: 180, kms_key_id: expect.stringMatching(KEY) });
    expect(cluster.depends_on).toEqual([`aws_cloudwatch_log_group.${group[0]}`]);
    expect(Object.values(dev.tf.resource.aws_cloudwatch_log_group).find((g) => g.name === "/aws/eks/siros-dev-k8s/cluster")!.retention_in_days).toBe(30);
  });

  test("the cluster role may use the key (key policy) and has only the EKS cluster policy", () => {
    const key = only(prod.tf, "aws_kms_key");
    const named = JSON.parse(key.policy).Statement.find((s: { Sid: string }) => s.Sid === "NamedPrincipalsUseKey");
    expect(named.Principal).toEqual({ AWS: [ref("aws_iam_role", "cluster-role", "arn")] });
    // The module's own attachments (observability attaches the Container Insights agent's policy).
    const attachments = Object.entries(prod.tf.resource.aws_iam_role_policy_attachment)
      .filter(([name]) => name.startsWith("kubernetes_"))
      .map(([, a]) => [a.role, a.policy_arn]);
    expect(attachments).toEqual([
      [ref("aws_iam_role", "cluster-role", "name"), "arn:aws:iam::aws:policy/AmazonEKSClusterPolicy"],
      [ref("aws_iam_role", "node-role", "name"), "arn:aws:iam::aws:policy/AmazonEKSWorkerNodePolicy"],
      [ref("aws_iam_role", "node-role", "name"), "arn:aws:iam::aws:policy/AmazonEC2ContainerRegistryReadOnly"],
      [ref("aws_iam_role", "node-role", "name"), "arn:aws:iam::aws:policy/AmazonEKS_CNI_Policy"],
    ]);
    const roles = byConstruct(prod.tf, "aws_iam_role");
    expect(JSON.parse(roles["cluster-role"].assume_role_policy).Statement).toEqual([{ Effect: "Allow", Principal: { Service: "eks.amazonaws.com" }, Action: ["sts:AssumeRole", "sts:TagSession"] }]);
    expect(JSON.parse(roles["node-role"].assume_role_policy).Statement).toEqual([{ Effect: "Allow", Principal: { Service: "ec2.amazonaws.com" }, Action: ["sts:AssumeRole"] }]);
  });

  test("nodes launch with IMDSv2 only (one hop) and volumes encrypted with the environment's key", () => {
    const template = only(prod.tf, "aws_launch_template");
    expect(template.metadata_options).toEqual({ http_endpoint: "enabled", http_tokens: "required", http_put_response_hop_limit: 1, instance_metadata_tags: "disabled" });
    expect(template.block_device_mappings).toEqual([
      { device_name: "/dev/xvda", ebs: { volume_size: 50, volume_type: "gp3", encrypted: "true", kms_key_id: expect.stringMatching(KEY), delete_on_termination: "true" } },
    ]);
    // EC2 Auto Scaling launches the nodes: it gets a grant on the key for their volumes.
    expect(only(prod.tf, "aws_kms_grant")).toMatchObject({
      key_id: expect.stringMatching(KEY),
      grantee_principal: expect.stringMatching(/:role\/aws-service-role\/autoscaling\.amazonaws\.com\/AWSServiceRoleForAutoScaling$/),
      operations: ["Encrypt", "Decrypt", "ReEncryptFrom", "ReEncryptTo", "GenerateDataKey", "GenerateDataKeyWithoutPlaintext", "DescribeKey", "CreateGrant"],
    });
  });

  test("prod: a tainted system pool and a workload pool, on demand, in the private subnets, from the template", () => {
    const groups = byConstruct(prod.tf, "aws_eks_node_group");
    expect(groups["system-nodes"]).toMatchObject({
      node_group_name: "siros-prod-k8s-system",
      capacity_type: "ON_DEMAND",
      instance_types: ["m6i.xlarge"],
      ami_type: "AL2023_x86_64_STANDARD",
      scaling_config: { min_size: 3, max_size: 6, desired_size: 3 },
      update_config: { max_unavailable: 1 },
      labels: { "siros.io/pool": "system" },
      taint: [{ key: "CriticalAddonsOnly", value: "true", effect: "NO_SCHEDULE" }],
      launch_template: { id: ref("aws_launch_template", "node-template"), version: expect.stringContaining("latest_version") },
      lifecycle: { ignore_changes: ["scaling_config[0].desired_size"] },
    });
    expect(groups["workload-nodes"]).toMatchObject({ capacity_type: "ON_DEMAND", instance_types: ["m6i.2xlarge"], scaling_config: { min_size: 3, max_size: 30, desired_size: 3 } });
    expect(groups["workload-nodes"]).not.toHaveProperty("taint");
    expect(groups["system-nodes"].subnet_ids).toEqual(cluster.vpc_config.subnet_ids);
  });

  test("dev: a spot workload pool of several same-size types, small pools, no deletion protection", () => {
    const groups = byConstruct(dev.tf, "aws_eks_node_group");
    expect(groups["workload-nodes"]).toMatchObject({ capacity_type: "SPOT", instance_types: ["m6i.large", "m6a.large", "m5.large"], scaling_config: { min_size: 1, max_size: 3, desired_size: 1 } });
    expect(groups["system-nodes"]).toMatchObject({ capacity_type: "ON_DEMAND", instance_types: ["m6i.large"] });
    const devCluster = only(dev.tf, "aws_eks_cluster");
    expect(devCluster.deletion_protection).toBe(false);
    expect(devCluster).not.toHaveProperty("lifecycle");
    expect(devCluster.vpc_config.subnet_ids).toHaveLength(2);
  });

  test("core add-ons at the version EKS gives the cluster's Kubernetes version: the network ones before the nodes, CoreDNS after", () => {
    // The module's own add-ons (observability adds amazon-cloudwatch-observability).
    const addons = Object.fromEntries(Object.entries(byConstruct(prod.tf, "aws_eks_addon")).filter(([name]) => name.startsWith("addon-")));
    expect(Object.values(addons).map((a) => a.addon_name).sort()).toEqual(["coredns", "eks-pod-identity-agent", "kube-proxy", "vpc-cni"]);
    for (const addon of Object.values(addons)) {
      expect(addon).toMatchObject({ addon_version: expect.stringMatching(/^\$\{data\.aws_eks_addon_version\./), resolve_conflicts_on_create: "OVERWRITE", resolve_conflicts_on_update: "OVERWRITE" });
    }
    const groups = Object.keys(prod.tf.resource.aws_eks_node_group).map((k) => `aws_eks_node_group.${k}`);
    expect(addons["addon-coredns"].depends_on).toEqual(groups);
    const networkAddons = Object.keys(prod.tf.resource.aws_eks_addon).filter((k) => k.startsWith("kubernetes_") && !k.includes("coredns")).map((k) => `aws_eks_addon.${k}`);
    for (const group of Object.values(prod.tf.resource.aws_eks_node_group)) expect([...group.depends_on].sort()).toEqual(networkAddons.sort());
    for (const name of ["addon-vpc-cni", "addon-kube-proxy", "addon-eks-pod-identity-agent"]) expect(addons[name]).not.toHaveProperty("depends_on");
  });

  test("IRSA: an OIDC provider for the cluster's issuer, and a role per service account trusting exactly it", () => {
    expect(only(prod.tf, "aws_iam_openid_connect_provider")).toMatchObject({ url: "${aws_eks_cluster.kubernetes_cluster_C712C9BD.identity[0].oidc[0].issuer}", client_id_list: ["sts.amazonaws.com"] });
    const { tf, identity } = synthWithIdentity("aws", "prod", "backup", "writer");
    expect(identity).toEqual({ principal: ref("aws_iam_role", "workload-backup-writer", "arn"), annotation: ref("aws_iam_role", "workload-backup-writer", "arn"), policyCondition: "" });
    expect(byConstruct(tf, "aws_iam_role")["workload-backup-writer"]).toMatchObject({ name: "siros-prod-k8s-backup-writer", assume_role_policy: expect.stringMatching(/^\$\{data\.aws_iam_policy_document\..+\.json\}$/) });
    // The document the backup writer's role trusts (the stack has other workload roles).
    const trustKey = /^\$\{data\.aws_iam_policy_document\.(.+)\.json\}$/.exec(byConstruct(tf, "aws_iam_role")["workload-backup-writer"].assume_role_policy)![1];
    const trust = tf.data!.aws_iam_policy_document[trustKey];
    expect(trust.statement[0].actions).toEqual(["sts:AssumeRoleWithWebIdentity"]);
    expect(trust.statement[0].condition).toEqual([
      { test: "StringEquals", variable: expect.stringMatching(/:sub$/), values: ["system:serviceaccount:backup:writer"] },
      { test: "StringEquals", variable: expect.stringMatching(/:aud$/), values: ["sts.amazonaws.com"] },
    ]);
    expect(trust.statement[0].principals).toEqual([{ type: "Federated", identifiers: [ref("aws_iam_openid_connect_provider", "oidc", "arn")] }]);
  });

  test("fails if a workload identity names a service account Kubernetes would refuse", () => {
    expect(() => synthWithIdentity("aws", "dev", "Backup", "writer")).toThrow(
      'kubernetes (aws): workloadIdentity namespace "Backup" is not a Kubernetes name; use 1 to 63 lowercase letters, digits or hyphens, starting and ending with a letter or digit',
    );
  });

  test("exports what the database and edge modules need", () => {
    expect(prod.tf.output).toMatchObject({
      kubernetes_cluster_name: { value: ref("aws_eks_cluster", "cluster", "name") },
      kubernetes_endpoint: { value: ref("aws_eks_cluster", "cluster", "endpoint") },
      kubernetes_node_security_group_ids: { value: ["${aws_eks_cluster.kubernetes_cluster_C712C9BD.vpc_config[0].cluster_security_group_id}"] },
      kubernetes_node_subnet_cidrs: { value: ["10.2.0.0/19", "10.2.32.0/19", "10.2.64.0/19"] },
      kubernetes_ingress_node_port: { value: 30443 },
    });
  });
});
