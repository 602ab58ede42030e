import { synthStack as synthWholeStack, withoutModule } from "./support/synth";
import { byConstruct, only, synthWithIdentity } from "./support/kubernetes";

/** The cluster as composed, without the edge (which adds its own rule to the nodes' security group, its own delete lock). */
const synthStack = (...args: Parameters<typeof synthWholeStack>) => withoutModule(synthWholeStack(...args), "edge");

const KEY = "${oci_kms_key.keys_key_1855D61B.id}";
const COMPARTMENT = "${oci_identity_compartment.compartment.id}";
const ref = (type: string, name: string, attr = "id") => expect.stringMatching(new RegExp(`^\\$\\{${type}\\.kubernetes_${name}_[0-9A-F]+\\.${attr}\\}$`));

describe("Oracle Kubernetes (OKE)", () => {
  const prod = synthStack("oci", "prod");
  const dev = synthStack("oci", "dev");
  const cluster = only(prod.tf, "oci_containerengine_cluster");

  test("an enhanced cluster, its API endpoint private behind its own NSG, secrets encrypted with the environment's key after the policy", () => {
    expect(cluster).toMatchObject({
      compartment_id: COMPARTMENT,
      name: "siros-prod-k8s",
      type: "ENHANCED_CLUSTER",
      kubernetes_version: "v1.33.1",
      kms_key_id: KEY,
      endpoint_config: { subnet_id: expect.stringMatching(/oci_core_subnet\.network_private-subnet_/), is_public_ip_enabled: false, nsg_ids: [ref("oci_core_network_security_group", "api-nsg")] },
      cluster_pod_network_options: [{ cni_type: "FLANNEL_OVERLAY" }],
      options: { add_ons: { is_kubernetes_dashboard_enabled: false, is_tiller_enabled: false }, open_id_connect_discovery: { is_open_id_connect_discovery_enabled: true } },
      depends_on: [expect.stringMatching(/^oci_identity_policy\.kubernetes_key-policy_/)],
      lifecycle: { prevent_destroy: true },
    });
    expect(only(dev.tf, "oci_containerengine_cluster")).not.toHaveProperty("lifecycle");
  });

  test("the key policy, in the home region, lets OKE, Block Volume and the cluster's node pools use this key only", () => {
    expect(byConstruct(prod.tf, "oci_identity_policy")["key-policy"]).toMatchObject({
      provider: "oci.home",
      statements: [
        `Allow any-user to use keys in compartment id ${COMPARTMENT} where ALL {request.principal.type = 'cluster', target.key.id = '${KEY}'}`,
        `Allow service oke to use key-delegates in compartment id ${COMPARTMENT} where target.key.id = '${KEY}'`,
        `Allow service blockstorage to use keys in compartment id ${COMPARTMENT} where target.key.id = '${KEY}'`,
        `Allow any-user to use key-delegates in compartment id ${COMPARTMENT} where ALL {request.principal.type = 'nodepool', target.key.id = '${KEY}'}`,
      ],
    });
  });

  test("the API NSG admits the API ports from the network only; the node NSG admits the network", () => {
    // The cluster's own NSGs only: the database's NSG (nodes to PostgreSQL) is tested in database-oci.test.ts.
    const clusterRules = Object.values(prod.tf.resource.oci_core_network_security_group_security_rule).filter((r) => String(r.network_security_group_id).includes("kubernetes_"));
    const rules: Record<string, unknown>[] = clusterRules.map(({ "//": _, network_security_group_id: group, ...rule }) => ({
      group: String(group).includes("api-nsg") ? "api" : "nodes",
      ...rule,
    }));
    const api = (port: number) => ({ group: "api", direction: "INGRESS", protocol: "6", source: "10.50.0.0/16", source_type: "CIDR_BLOCK", stateless: false, description: `Kubernetes API (${port}) from the network`, tcp_options: { destination_port_range: { min: port, max: port } } });
    expect(rules).toEqual(
      expect.arrayContaining([
        api(6443),
        api(12250),
        { group: "api", direction: "EGRESS", protocol: "all", destination: "10.50.0.0/16", destination_type: "CIDR_BLOCK", stateless: false, description: "Control plane to nodes" },
        { group: "nodes", direction: "INGRESS", protocol: "all", source: "10.50.0.0/16", source_type: "CIDR_BLOCK", stateless: false, description: "Nodes, control plane and load balancers in the network" },
      ]),
    );
    expect(rules).toHaveLength(6);
    expect(rules.filter((r) => r.direction === "INGRESS").map((r) => r.source)).not.toContain("0.0.0.0/0");
  });

  test("node pools span the availability domains in the private subnet, encrypt volumes in transit and at rest, from an OKE image of the version", () => {
    const pools = byConstruct(prod.tf, "oci_containerengine_node_pool");
    expect(pools["system-pool"]).toMatchObject({
      name: "siros-prod-k8s-system",
      kubernetes_version: "v1.33.1",
      node_shape: "VM.Standard.E5.Flex",
      node_shape_config: { ocpus: 2, memory_in_gbs: 16 },
      node_source_details: { source_type: "IMAGE", boot_volume_size_in_gbs: "50", image_id: expect.stringMatching(/^\$\{\[for s in data\.oci_containerengine_node_pool_option\..+OKE-1\\\\\.33\\\\\..+\]\[0\]\}$/) },
      node_config_details: { size: 3, kms_key_id: KEY, is_pv_encryption_in_transit_enabled: true, nsg_ids: [ref("oci_core_network_security_group", "node-nsg")] },
      initial_node_labels: [{ key: "siros.io/pool", value: "system" }],
      lifecycle: { ignore_changes: ["node_config_details[0].size"] },
    });
    const placements = pools["workload-pool"].node_config_details.placement_configs;
    expect(placements.map((p: { availability_domain: string }) => p.availability_domain)).toEqual([0, 1, 2].map((i) => expect.stringContaining(`availability_domains[${i}].name`)));
    for (const placement of placements) expect(placement).not.toHaveProperty("preemptible_node_config");
    expect(pools["workload-pool"].node_shape_config).toEqual({ ocpus: 4, memory_in_gbs: 32 });
  });

  test("dev: preemptible workload nodes in two availability domains", () => {
    const pools = byConstruct(dev.tf, "oci_containerengine_node_pool");
    expect(pools["workload-pool"].node_config_details.placement_configs).toEqual([0, 1].map(() => expect.objectContaining({ preemptible_node_config: { preemption_action: { type: "TERMINATE", is_preserve_boot_volume: false } } })));
    for (const placement of pools["system-pool"].node_config_details.placement_configs) expect(placement).not.toHaveProperty("preemptible_node_config");
  });

  test("the cluster autoscaler add-on resizes both pools within their limits, through workload identity", () => {
    expect(only(prod.tf, "oci_containerengine_addon")).toMatchObject({
      addon_name: "ClusterAutoscaler",
      remove_addon_resources_on_delete: true,
      configurations: [
        { key: "authType", value: "workload" },
        { key: "nodes", value: expect.stringMatching(/^3:6:\$\{oci_containerengine_node_pool\.kubernetes_system-pool_[0-9A-F]+\.id\},3:30:\$\{oci_containerengine_node_pool\.kubernetes_workload-pool_[0-9A-F]+\.id\}$/) },
      ],
    });
    const policy = byConstruct(prod.tf, "oci_identity_policy")["autoscaler-policy"];
    expect(policy.statements).toHaveLength(6);
    for (const statement of policy.statements) {
      expect(statement).toMatch(/^Allow any-user to .+ where ALL \{request\.principal\.type = 'workload', request\.principal\.namespace = 'kube-system', request\.principal\.service_account = 'cluster-autoscaler', request\.principal\.cluster_id = '\$\{oci_containerengine_cluster\./);
    }
  });

  test("workload identity: no resource, a policy subject and condition naming the service account", () => {
    const { identity } = synthWithIdentity("oci", "prod", "backup", "writer");
    expect(identity).toEqual({
      principal: "any-user",
      annotation: "",
      policyCondition: expect.stringMatching(/^ALL \{request\.principal\.type = 'workload', request\.principal\.namespace = 'backup', request\.principal\.service_account = 'writer', request\.principal\.cluster_id = '\$\{oci_containerengine_cluster\.kubernetes_cluster_[0-9A-F]+\.id\}'\}$/),
    });
  });

  test("fails if a workload identity names a service account Kubernetes would refuse", () => {
    expect(() => synthWithIdentity("oci", "dev", "backup", "Writer_1")).toThrow('kubernetes (oci): workloadIdentity serviceAccount "Writer_1" is not a Kubernetes name');
  });

  test("exports the node NSG and range, the private endpoint and the OIDC discovery endpoint", () => {
    expect(prod.tf.output).toMatchObject({
      kubernetes_endpoint: { value: "${oci_containerengine_cluster.kubernetes_cluster_C712C9BD.endpoints[0].private_endpoint}" },
      kubernetes_oidc_issuer: { value: ref("oci_containerengine_cluster", "cluster", "open_id_connect_discovery_endpoint") },
      kubernetes_node_security_group_ids: { value: [ref("oci_core_network_security_group", "node-nsg")] },
      kubernetes_node_subnet_cidrs: { value: ["10.50.0.0/18"] },
    });
  });
});
