import { synthStack } from "./support/synth";
import { byConstruct, only, synthWithIdentity } from "./support/kubernetes";

const KEY = /^\$\{google_kms_crypto_key\.keys_key_[0-9A-F]+\.id\}$/;
const ref = (type: string, name: string, attr = "id") => expect.stringMatching(new RegExp(`^\\$\\{${type}\\.kubernetes_${name}_[0-9A-F]+\\.${attr}\\}$`));

describe("Google Kubernetes (GKE)", () => {
  const prod = synthStack("gcp", "prod");
  const dev = synthStack("gcp", "dev");
  const cluster = only(prod.tf, "google_container_cluster");

  test("a regional cluster with private nodes and a private endpoint open to the network's private range only", () => {
    expect(cluster).toMatchObject({
      name: "siros-prod-k8s",
      project: "siros-prod",
      location: "europe-west1",
      node_locations: expect.stringMatching(/^\$\{slice\(data\.google_compute_zones\.kubernetes_zones_[0-9A-F]+\.names, 0, 3\)\}$/),
      network: expect.stringMatching(/google_compute_network\.network_/),
      subnetwork: expect.stringMatching(/google_compute_subnetwork\.network_private-subnetwork_/),
      networking_mode: "VPC_NATIVE",
      ip_allocation_policy: { cluster_secondary_range_name: "pods", services_secondary_range_name: "services" },
      private_cluster_config: { enable_private_nodes: true, enable_private_endpoint: true },
      master_authorized_networks_config: { gcp_public_cidrs_access_enabled: false, cidr_blocks: [{ cidr_block: "10.34.0.0/18", display_name: "10.34.0.0/18" }] },
      master_auth: { client_certificate_config: { issue_client_certificate: false } },
      enable_legacy_abac: false,
    });
  });

  test("workload identity, secrets encrypted with the environment's key after the GKE agent is granted, REGULAR channel, shielded nodes, Dataplane V2", () => {
    expect(cluster).toMatchObject({
      workload_identity_config: { workload_pool: "siros-prod.svc.id.goog" },
      database_encryption: { state: "ENCRYPTED", key_name: expect.stringMatching(KEY) },
      min_master_version: "1.33",
      release_channel: { channel: "REGULAR" },
      enable_shielded_nodes: true,
      datapath_provider: "ADVANCED_DATAPATH",
      logging_config: { enable_components: ["SYSTEM_COMPONENTS", "APISERVER", "CONTROLLER_MANAGER", "SCHEDULER", "WORKLOADS"] },
      remove_default_node_pool: true,
      initial_node_count: 1,
    });
    const members = Object.entries(prod.tf.resource.google_kms_crypto_key_iam_member);
    const agent = (suffix: string) => members.find(([, m]) => String(m.member).endsWith(suffix))!;
    const gke = agent("@container-engine-robot.iam.gserviceaccount.com");
    const compute = agent("@compute-system.iam.gserviceaccount.com");
    for (const [, m] of [gke, compute]) {
      expect(m).toMatchObject({ role: "roles/cloudkms.cryptoKeyEncrypterDecrypter", crypto_key_id: expect.stringMatching(KEY) });
      // The service agents exist once the Kubernetes Engine API is on.
      expect(m.depends_on).toEqual([expect.stringMatching(/^google_project_service\..*containergoogleapiscom/)]);
    }
    expect(cluster.depends_on).toEqual(expect.arrayContaining([`google_kms_crypto_key_iam_member.${gke[0]}`, `google_kms_crypto_key_iam_member.${compute[0]}`, expect.stringMatching(/containergoogleapiscom/)]));
  });

  test("deletion protection in prod and dr, not in dev", () => {
    expect(cluster).toMatchObject({ deletion_protection: true, lifecycle: { ignore_changes: ["node_config"], prevent_destroy: true } });
    expect(only(synthStack("gcp", "dr").tf, "google_container_cluster").deletion_protection).toBe(true);
    expect(only(dev.tf, "google_container_cluster").deletion_protection).toBe(false);
    expect(only(dev.tf, "google_container_cluster").lifecycle).toEqual({ ignore_changes: ["node_config"] });
  });

  test("nodes run as a dedicated service account with Google's least-privilege node role and image pulls only", () => {
    expect(only(prod.tf, "google_service_account")).toMatchObject({ account_id: "siros-prod-k8s-nodes", project: "siros-prod" });
    expect(Object.values(prod.tf.resource.google_project_iam_member).map((m) => [m.role, m.member])).toEqual([
      ["roles/container.defaultNodeServiceAccount", ref("google_service_account", "node-service-account", "member")],
      ["roles/artifactregistry.reader", ref("google_service_account", "node-service-account", "member")],
    ]);
  });

  test("every node: GKE metadata server, secure boot, CMEK boot disks, the node tag; the default pool's config too", () => {
    const hardened = {
      service_account: ref("google_service_account", "node-service-account", "email"),
      boot_disk_kms_key: expect.stringMatching(KEY),
      shielded_instance_config: { enable_secure_boot: true, enable_integrity_monitoring: true },
      workload_metadata_config: { mode: "GKE_METADATA" },
      metadata: { "disable-legacy-endpoints": "true" },
      tags: ["siros-prod-k8s-node"],
      image_type: "COS_CONTAINERD",
    };
    expect(cluster.node_config).toMatchObject(hardened);
    for (const pool of Object.values(prod.tf.resource.google_container_node_pool)) expect(pool.node_config).toMatchObject(hardened);
  });

  test("prod: on-demand pools autoscaling across three zones, the system pool tainted for add-ons", () => {
    const pools = byConstruct(prod.tf, "google_container_node_pool");
    expect(pools["system-pool"]).toMatchObject({
      name: "system",
      autoscaling: { total_min_node_count: 3, total_max_node_count: 6, location_policy: "BALANCED" },
      management: { auto_repair: true, auto_upgrade: true },
      upgrade_settings: { max_surge: 1, max_unavailable: 0 },
      node_config: { machine_type: "n2-standard-4", spot: false, labels: { "siros.io/pool": "system" }, taint: [{ key: "CriticalAddonsOnly", value: "true", effect: "NO_SCHEDULE" }] },
    });
    expect(pools["workload-pool"]).toMatchObject({ autoscaling: { total_min_node_count: 3, total_max_node_count: 30 }, node_config: { machine_type: "n2-standard-8", spot: false } });
  });

  test("dev: spot workload nodes in two zones", () => {
    const pools = byConstruct(dev.tf, "google_container_node_pool");
    expect(pools["workload-pool"]).toMatchObject({ node_locations: expect.stringContaining(", 0, 2)"), node_config: { spot: true, machine_type: "n2-standard-2" }, autoscaling: { total_min_node_count: 1, total_max_node_count: 3 } });
    expect(pools["system-pool"].node_config.spot).toBe(false);
  });

  test("workload identity: a Google service account only that Kubernetes service account may impersonate", () => {
    const { tf, identity } = synthWithIdentity("gcp", "prod", "backup", "writer");
    expect(identity).toEqual({ principal: ref("google_service_account", "workload-backup-writer", "member"), annotation: ref("google_service_account", "workload-backup-writer", "email"), policyCondition: "" });
    expect(byConstruct(tf, "google_service_account")["workload-backup-writer"]).toMatchObject({ account_id: "wi-backup-writer" });
    expect(only(tf, "google_service_account_iam_member")).toMatchObject({ role: "roles/iam.workloadIdentityUser", member: "serviceAccount:siros-prod.svc.id.goog[backup/writer]" });
  });

  test("fails if a workload identity names a namespace Kubernetes would refuse", () => {
    expect(() => synthWithIdentity("gcp", "dev", "a".repeat(64), "writer")).toThrow(`kubernetes (gcp): workloadIdentity namespace "${"a".repeat(64)}" is not a Kubernetes name`);
  });

  test("exports the workload-identity pool as the issuer, the node range and tag", () => {
    expect(prod.tf.output).toMatchObject({
      kubernetes_oidc_issuer: { value: "siros-prod.svc.id.goog" },
      kubernetes_node_security_group_ids: { value: [] },
      kubernetes_node_subnet_cidrs: { value: ["10.34.0.0/18"] },
      kubernetes_node_network_tags: { value: ["siros-prod-k8s-node"] },
    });
  });
});
