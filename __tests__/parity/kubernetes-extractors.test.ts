/** Each Kubernetes extractor on a small hand-written stack: the whole profile, and what breaks it. */
import { awsKubernetes } from "../../parity/extractors/kubernetes/aws";
import { azureKubernetes } from "../../parity/extractors/kubernetes/azure";
import { gcpKubernetes } from "../../parity/extractors/kubernetes/gcp";
import { ibmKubernetes } from "../../parity/extractors/kubernetes/ibm";
import { ociKubernetes } from "../../parity/extractors/kubernetes/oci";
import type { Profile } from "../../parity/model";
import { index } from "./support";

const values = (profile: Profile) => Object.fromEntries(Object.entries(profile).map(([k, o]) => [k, o.value]));
const protect = { lifecycle: { prevent_destroy: true } };
/** The keys module's contract: the stack's `key_id` output names the environment's key. */
const keyOutput = (expression: string) => ({ output: { key_id: { value: expression } } });

const awsStack = (overrides: { cluster?: Record<string, unknown>; workload?: Record<string, unknown> } = {}) => ({
  aws_kms_key: { key: {}, other: {} },
  aws_subnet: { a: { availability_zone: "eu-west-1a" }, b: { availability_zone: "eu-west-1b" } },
  aws_cloudwatch_log_group: { logs: { name: "/aws/eks/siros-dev-k8s/cluster", retention_in_days: 30 }, flow: { name: "/siros-dev/vpc-flow-logs", retention_in_days: 90 } },
  aws_eks_cluster: {
    cluster: {
      name: "siros-dev-k8s",
      version: "1.33",
      vpc_config: { endpoint_private_access: true, endpoint_public_access: false },
      encryption_config: { provider: { key_arn: "${aws_kms_key.key.arn}" }, resources: ["secrets"] },
      deletion_protection: true,
      ...protect,
      ...overrides.cluster,
    },
  },
  aws_eks_node_group: {
    "system-nodes": { subnet_ids: ["${aws_subnet.a.id}", "${aws_subnet.b.id}"], capacity_type: "ON_DEMAND", scaling_config: { min_size: 1, max_size: 2, desired_size: 1 } },
    "workload-nodes": { subnet_ids: ["${aws_subnet.a.id}", "${aws_subnet.b.id}"], capacity_type: "SPOT", scaling_config: { min_size: 1, max_size: 3, desired_size: 1 }, ...overrides.workload },
  },
});

describe("AWS Kubernetes extractor", () => {
  test("reads the EKS cluster, its node groups' zones and limits, spot capacity and the control-plane log group", () => {
    const profile = awsKubernetes(index(awsStack(), keyOutput("${aws_kms_key.key.key_id}")));
    expect(values(profile)).toEqual({
      version: "1.33", privateEndpointOnly: true, secretsEncrypted: "environment key", zones: 2,
      systemMinNodes: 1, systemMaxNodes: 2, workloadMinNodes: 1, workloadMaxNodes: 3, workloadSpot: true,
      deletionProtection: true, logRetentionDays: 30,
    });
    expect(profile.logRetentionDays.addresses).toEqual(["aws_cloudwatch_log_group.logs"]);
    expect(profile.workloadMaxNodes.addresses).toEqual(["aws_eks_node_group.workload-nodes"]);
  });

  test("sees a public endpoint, another key, no secrets encryption, one zone, and deletion protection without prevent_destroy", () => {
    const publicEndpoint = awsStack({ cluster: { vpc_config: { endpoint_private_access: true, endpoint_public_access: true }, lifecycle: {} }, workload: { subnet_ids: ["${aws_subnet.a.id}"] } });
    expect(values(awsKubernetes(index(publicEndpoint, keyOutput("${aws_kms_key.key.key_id}"))))).toMatchObject({ privateEndpointOnly: false, deletionProtection: false, zones: "mixed: 2, 1" });
    expect(values(awsKubernetes(index(awsStack(), keyOutput("${aws_kms_key.other.key_id}"))))).toMatchObject({ secretsEncrypted: "other key" });
    expect(values(awsKubernetes(index(awsStack({ cluster: { encryption_config: undefined } }))))).toMatchObject({ secretsEncrypted: "provider-managed" });
    expect(values(awsKubernetes(index({})))).toMatchObject({ version: null, privateEndpointOnly: null, secretsEncrypted: null, workloadSpot: null, logRetentionDays: "none" });
  });
});

const azureStack = (keyName: "key" | "etcd" | "elsewhere", overrides: Record<string, unknown> = {}) => ({
  azurerm_key_vault: { vault: {}, other: {} },
  azurerm_key_vault_key: {
    key: { key_vault_id: "${azurerm_key_vault.vault.id}" },
    etcd: { key_vault_id: "${azurerm_key_vault.vault.id}" },
    elsewhere: { key_vault_id: "${azurerm_key_vault.other.id}" },
  },
  azurerm_kubernetes_cluster: {
    cluster: {
      kubernetes_version: "1.33",
      private_cluster_enabled: true,
      key_management_service: { key_vault_key_id: `\${azurerm_key_vault_key.${keyName}.id}`, key_vault_network_access: "Private" },
      default_node_pool: { name: "system", min_count: 3, max_count: 6, zones: ["1", "2", "3"] },
      ...protect,
      ...overrides,
    },
  },
  azurerm_kubernetes_cluster_node_pool: { workload: { mode: "User", min_count: 3, max_count: 30, zones: ["1", "2", "3"], priority: "Regular" } },
});

describe("Azure Kubernetes extractor", () => {
  const environmentKey = keyOutput("${azurerm_key_vault_key.key.versionless_id}");

  test("reads the AKS cluster, its default and user pools; the etcd key of its own in the environment's vault is said so", () => {
    expect(values(azureKubernetes(index(azureStack("etcd"), environmentKey)))).toEqual({
      version: "1.33", privateEndpointOnly: true, secretsEncrypted: "own key in the environment's vault", zones: 3,
      systemMinNodes: 3, systemMaxNodes: 6, workloadMinNodes: 3, workloadMaxNodes: 30, workloadSpot: false,
      deletionProtection: true, logRetentionDays: "platform default",
    });
  });

  test("sees the environment's key itself, a key in another vault, a public cluster, no prevent_destroy", () => {
    expect(values(azureKubernetes(index(azureStack("key"), environmentKey)))).toMatchObject({ secretsEncrypted: "environment key" });
    expect(values(azureKubernetes(index(azureStack("elsewhere", { private_cluster_enabled: false, lifecycle: {} }), environmentKey)))).toMatchObject({
      secretsEncrypted: "other key",
      privateEndpointOnly: false,
      deletionProtection: false,
    });
  });
});

const gcpPool = (min: number, max: number, spot: boolean) => ({
  node_locations: "${slice(data.google_compute_zones.zones.names, 0, 3)}",
  autoscaling: { total_min_node_count: min, total_max_node_count: max },
  node_config: { spot },
});
const gcpStack = (cluster: Record<string, unknown> = {}) => ({
  google_kms_crypto_key: { key: {} },
  google_container_cluster: {
    cluster: {
      min_master_version: "1.33",
      private_cluster_config: { enable_private_endpoint: true, enable_private_nodes: true },
      database_encryption: { state: "ENCRYPTED", key_name: "${google_kms_crypto_key.key.id}" },
      deletion_protection: true,
      ...protect,
      ...cluster,
    },
  },
  google_container_node_pool: { "system-pool": gcpPool(3, 6, false), "workload-pool": gcpPool(3, 30, false) },
});

describe("Google Cloud Kubernetes extractor", () => {
  const environmentKey = keyOutput("${google_kms_crypto_key.key.id}");

  test("reads the GKE cluster, the zones its pools slice from the region, their total limits and spot", () => {
    expect(values(gcpKubernetes(index(gcpStack(), environmentKey)))).toEqual({
      version: "1.33", privateEndpointOnly: true, secretsEncrypted: "environment key", zones: 3,
      systemMinNodes: 3, systemMaxNodes: 6, workloadMinNodes: 3, workloadMaxNodes: 30, workloadSpot: false,
      deletionProtection: true, logRetentionDays: "platform default",
    });
  });

  test("sees a public endpoint, decrypted secrets, and deletion_protection off", () => {
    const open = gcpStack({ private_cluster_config: { enable_private_endpoint: false }, database_encryption: { state: "DECRYPTED" }, deletion_protection: false });
    expect(values(gcpKubernetes(index(open, environmentKey)))).toMatchObject({ privateEndpointOnly: false, secretsEncrypted: "provider-managed", deletionProtection: false });
  });
});

const ociPool = (zones: number, preemptible: boolean) => ({
  node_config_details: {
    placement_configs: Array.from({ length: zones }, () => (preemptible ? { preemptible_node_config: { preemption_action: { type: "TERMINATE" } } } : {})),
  },
});
const ociStack = (nodes: string, cluster: Record<string, unknown> = {}) => ({
  oci_kms_key: { key: {} },
  oci_containerengine_cluster: { cluster: { kubernetes_version: "v1.33.1", endpoint_config: { is_public_ip_enabled: false }, kms_key_id: "${oci_kms_key.key.id}", ...protect, ...cluster } },
  oci_containerengine_node_pool: { "system-pool": ociPool(2, false), "workload-pool": ociPool(2, true) },
  oci_containerengine_addon: { autoscaler: { addon_name: "ClusterAutoscaler", configurations: [{ key: "authType", value: "workload" }, { key: "nodes", value: nodes }] } },
});

describe("Oracle Cloud Kubernetes extractor", () => {
  const environmentKey = keyOutput("${oci_kms_key.key.id}");
  const nodes = "1:2:${oci_containerengine_node_pool.system-pool.id},1:3:${oci_containerengine_node_pool.workload-pool.id}";

  test("reads the OKE cluster's minor version, its pools' placements, the autoscaler's limits per pool and preemptible nodes", () => {
    expect(values(ociKubernetes(index(ociStack(nodes), environmentKey)))).toEqual({
      version: "1.33", privateEndpointOnly: true, secretsEncrypted: "environment key", zones: 2,
      systemMinNodes: 1, systemMaxNodes: 2, workloadMinNodes: 1, workloadMaxNodes: 3, workloadSpot: true,
      deletionProtection: true, logRetentionDays: "platform default",
    });
  });

  test("sees a public endpoint, no KMS key, and a pool the autoscaler does not manage", () => {
    const profile = values(ociKubernetes(index(ociStack("1:2:${oci_containerengine_node_pool.system-pool.id}", { endpoint_config: { is_public_ip_enabled: true }, kms_key_id: undefined }), environmentKey)));
    expect(profile).toMatchObject({ privateEndpointOnly: false, secretsEncrypted: "provider-managed", systemMaxNodes: 2, workloadMinNodes: null, workloadMaxNodes: null });
  });
});

const ibmStack = (cluster: Record<string, unknown> = {}) => ({
  ibm_kms_key: { "root-key": { standard_key: false } },
  ibm_container_vpc_cluster: {
    cluster: {
      kube_version: "1.33",
      disable_public_service_endpoint: true,
      kms_config: { crk_id: "${ibm_kms_key.root-key.key_id}", private_endpoint: true },
      worker_count: 1,
      zones: [{ name: "eu-de-1" }, { name: "eu-de-2" }, { name: "eu-de-3" }],
      ...protect,
      ...cluster,
    },
  },
  ibm_container_vpc_worker_pool: { workload: { worker_pool_name: "workload", worker_count: 1, zones: [{ name: "eu-de-1" }, { name: "eu-de-2" }, { name: "eu-de-3" }] } },
});

describe("IBM Cloud Kubernetes extractor", () => {
  const environmentKey = keyOutput("${ibm_kms_key.root-key.key_id}");

  test("reads the VPC cluster and its worker pool; pool limits live in the autoscaler's ConfigMap, workers are on demand", () => {
    expect(values(ibmKubernetes(index(ibmStack(), environmentKey)))).toEqual({
      version: "1.33", privateEndpointOnly: true, secretsEncrypted: "environment key", zones: 3,
      systemMinNodes: "in-cluster", systemMaxNodes: "in-cluster", workloadMinNodes: "in-cluster", workloadMaxNodes: "in-cluster", workloadSpot: false,
      deletionProtection: true, logRetentionDays: "platform default",
    });
  });

  test("sees the public service endpoint, no KMS, and no prevent_destroy", () => {
    expect(values(ibmKubernetes(index(ibmStack({ disable_public_service_endpoint: false, kms_config: undefined, lifecycle: {} }), environmentKey)))).toMatchObject({
      privateEndpointOnly: false,
      secretsEncrypted: "provider-managed",
      deletionProtection: false,
    });
  });
});
