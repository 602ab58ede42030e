import { KUBERNETES_GAPS } from "../modules/kubernetes/gaps";
import { resources, synthStack as synthWholeStack, withoutModule } from "./support/synth";
import { byConstruct, only, synthWarnings, synthWithIdentity } from "./support/kubernetes";

/** The cluster as composed, without the edge (which adds its own rule to the nodes' security group, its own delete lock). */
const synthStack = (...args: Parameters<typeof synthWholeStack>) => withoutModule(synthWholeStack(...args), "edge");

const KP = "${ibm_resource_instance.keys_key-protect_02942E0E.guid}";
const ROOT_KEY = "${ibm_kms_key.keys_root-key_67E425E5.key_id}";
const ref = (type: string, name: string, attr = "id") => expect.stringMatching(new RegExp(`^\\$\\{${type}\\.kubernetes_${name}_[0-9A-F]+\\.${attr}\\}$`));

describe("IBM Cloud Kubernetes Service on VPC", () => {
  const prod = synthStack("ibm", "prod");
  const dev = synthStack("ibm", "dev");
  const cluster = only(prod.tf, "ibm_container_vpc_cluster");

  test("the cluster has no public service endpoint and encrypts secrets and worker volumes with the root key, after the authorizations", () => {
    expect(cluster).toMatchObject({
      name: "siros-prod-k8s",
      kube_version: "1.33",
      disable_public_service_endpoint: true,
      disable_outbound_traffic_protection: false,
      kms_config: { instance_id: KP, crk_id: ROOT_KEY, private_endpoint: true },
      kms_instance_id: KP,
      crk: ROOT_KEY,
      wait_till: "OneWorkerNodeReady",
      lifecycle: { prevent_destroy: true },
    });
    // The provider refuses enable_secure_by_default when creating a cluster (it converts existing ones).
    expect(cluster).not.toHaveProperty("enable_secure_by_default");
    const readers = byConstruct(prod.tf, "ibm_iam_authorization_policy");
    expect(readers["key-reader-cluster"]).toMatchObject({ source_service_name: "containers-kubernetes", target_service_name: "kms", target_resource_instance_id: KP, roles: ["Reader"] });
    expect(readers["key-reader-volumes"]).toMatchObject({ source_service_name: "server-protect", target_service_name: "kms", target_resource_instance_id: KP, roles: ["Reader"] });
    expect(cluster.depends_on.sort()).toEqual(Object.keys(prod.tf.resource.ibm_iam_authorization_policy).filter((k) => k.startsWith("kubernetes_")).map((k) => `ibm_iam_authorization_policy.${k}`).sort());
    expect(only(dev.tf, "ibm_container_vpc_cluster")).not.toHaveProperty("lifecycle");
  });

  test("prod: system workers and a workload pool in each of three zones on the private subnets, with the marker security group", () => {
    const zones = [0, 1, 2].map((i) => ({ name: `eu-de-${i + 1}`, subnet_id: expect.stringMatching(new RegExp(`ibm_is_subnet\\.network_private-subnet-${i}_`)) }));
    expect(cluster).toMatchObject({ flavor: "bx2.4x16", worker_count: 1, zones, security_groups: ["cluster", ref("ibm_is_security_group", "node-security-group")], worker_labels: { "siros.io/pool": "system" } });
    expect(only(prod.tf, "ibm_container_vpc_worker_pool")).toMatchObject({
      worker_pool_name: "workload",
      flavor: "bx2.8x32",
      worker_count: 1,
      zones,
      kms_instance_id: KP,
      crk: ROOT_KEY,
      labels: { "siros.io/pool": "workload" },
      lifecycle: { ignore_changes: ["worker_count"] },
    });
    const group = byConstruct(prod.tf, "ibm_is_security_group")["node-security-group"];
    expect(group).toMatchObject({ name: "siros-prod-k8s-nodes" });
    expect(Object.values(prod.tf.resource.ibm_is_security_group_rule).filter((r) => String(r.group).includes("node-security-group"))).toEqual([]);
  });

  test("dev: two zones, small workers, on demand (IBM has no spot workers: a declared gap)", () => {
    const pool = only(dev.tf, "ibm_container_vpc_worker_pool");
    expect(pool.zones.map((z: { name: string }) => z.name)).toEqual(["eu-de-1", "eu-de-2"]);
    expect(pool.flavor).toBe("bx2.2x8");
    // Said at synth, not skipped silently.
    const warnings = synthWarnings("ibm", "dev");
    expect(warnings).toEqual([`kubernetes (ibm): spot workers (nodePools.*.spot) (workload pool) is not supported: ${KUBERNETES_GAPS.ibmSpot.reason}. Instead: ${KUBERNETES_GAPS.ibmSpot.alternative}`]);
    expect(synthWarnings("ibm", "prod")).toEqual([]);
  });

  test("the cluster autoscaler add-on, managed alone (IBM's default add-ons stay IBM's)", () => {
    expect(only(prod.tf, "ibm_container_addons")).toMatchObject({ cluster: ref("ibm_container_vpc_cluster", "cluster"), manage_all_addons: false, addons: [{ name: "cluster-autoscaler" }] });
  });

  test("a workload identity is a trusted profile linked to the cluster's service account (IKS_SA), asked once however often", () => {
    const { tf, identity } = synthWithIdentity("ibm", "dev", "backup", "writer");
    const [profileName, profile] = Object.entries(tf.resource.ibm_iam_trusted_profile).find(([, p]) => String(p.name).endsWith("-backup-writer"))!;
    expect(profile).toMatchObject({ name: expect.stringMatching(/-backup-writer$/), description: expect.stringContaining("backup/writer") });
    expect(resources(tf, "ibm_iam_trusted_profile_link").filter((l) => l.profile_id === `\${ibm_iam_trusted_profile.${profileName}.id}`)).toEqual([
      expect.objectContaining({ cr_type: "IKS_SA", link: { crn: ref("ibm_container_vpc_cluster", "cluster", "crn"), namespace: "backup", name: "writer" } }),
    ]);
    expect(identity).toEqual({ principal: `\${ibm_iam_trusted_profile.${profileName}.iam_id}`, annotation: `\${ibm_iam_trusted_profile.${profileName}.id}`, policyCondition: "" });
  });

  test("fails if a workload identity names no Kubernetes service account", () => {
    expect(() => synthWithIdentity("ibm", "dev", "", "writer")).toThrow('kubernetes (ibm): workloadIdentity namespace "" is not a Kubernetes name');
  });

  test("exports the marker group and the zones' private ranges", () => {
    expect(prod.tf.output).toMatchObject({
      kubernetes_endpoint: { value: ref("ibm_container_vpc_cluster", "cluster", "private_service_endpoint_url") },
      kubernetes_node_security_group_ids: { value: [ref("ibm_is_security_group", "node-security-group")] },
      kubernetes_node_subnet_cidrs: { value: ["10.66.0.0/19", "10.66.32.0/19", "10.66.64.0/19"] },
      kubernetes_ingress_node_groups: { value: [ref("ibm_container_vpc_worker_pool", "workload-pool", "worker_pool_id")] },
    });
  });
});
