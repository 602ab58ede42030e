import { IsFlowLog } from "../.gen/providers/ibm/is-flow-log";
import { IsVpc } from "../.gen/providers/ibm/is-vpc";
import { IbmProvider } from "../.gen/providers/ibm/provider";
import { byName, countOf, environments, referenceTo, resources, synthStack as synthWholeStack, withoutModule, unordered } from "./support/synth";

/** The network as composed, without the edge (which adds security groups, log groups and public IPs of its own). */
const synthStack = (...args: Parameters<typeof synthWholeStack>) => withoutModule(synthWholeStack(...args), "edge");

describe("IBM Cloud network", () => {
  const prod = synthStack("ibm", "prod");
  const dev = synthStack("ibm", "dev");
  const expectedTags = ["project:siros", "owner:platform-team", "cost-center:cc-platform", "managed-by:cdktf", "environment:prod"];

  test("is a VPC with manual address prefixes and no default allow rules, in the environment's resource group", () => {
    const group = referenceTo(prod.tf, "ibm_resource_group", () => true);
    expect(prod.json).toHaveResourceWithProperties(IsVpc, {
      name: "siros-prod",
      address_prefix_management: "manual",
      no_sg_acl_rules: true,
      resource_group: group,
    });
    // Deprecated at 2.5.0 (and false by default): setting it prints a warning on every plan.
    expect(resources(prod.tf, "ibm_is_vpc")[0]).not.toHaveProperty("classic_access");
    expect(prod.json).toHaveProviderWithProperties(IbmProvider, { region: "eu-de" });
  });

  test("uses the configured resource group when the environment names one", () => {
    const id = "0123456789abcdef0123456789abcdef";
    const custom = synthStack("ibm", { ...environments.prod, ibm: { ...environments.prod.ibm, resourceGroupId: id } });
    expect(countOf(custom.tf, "ibm_resource_group")).toBe(0);
    expect(resources(custom.tf, "ibm_is_vpc")[0].resource_group).toBe(id);
  });

  test("has a public and a private subnet per zone, each inside an address prefix of its zone", () => {
    const subnets = byName(prod.tf, "ibm_is_subnet");
    const prefixes = byName(prod.tf, "ibm_is_vpc_address_prefix");
    expect(Object.keys(subnets).sort()).toEqual([1, 2, 3].flatMap((z) => [`siros-prod-private-${z}`, `siros-prod-public-${z}`]).sort());
    for (const [name, subnet] of Object.entries(subnets)) {
      expect(prefixes[name]).toMatchObject({ cidr: subnet.ipv4_cidr_block, zone: subnet.zone });
      expect(subnet.depends_on).toEqual([expect.stringContaining("ibm_is_vpc_address_prefix.")]);
    }
    expect(subnets["siros-prod-private-2"]).toMatchObject({ zone: "eu-de-2", ipv4_cidr_block: "10.66.32.0/19" });
    expect(subnets["siros-prod-public-3"]).toMatchObject({ zone: "eu-de-3", ipv4_cidr_block: "10.66.136.0/22" });
  });

  test("private subnets egress through their zone's public gateway; public subnets have none", () => {
    const gateways = byName(prod.tf, "ibm_is_public_gateway");
    expect(Object.values(gateways).map((g) => g.zone).sort()).toEqual(["eu-de-1", "eu-de-2", "eu-de-3"]);
    for (const [name, subnet] of Object.entries(byName(prod.tf, "ibm_is_subnet"))) {
      if (name.includes("public")) {
        expect(subnet).not.toHaveProperty("public_gateway");
      } else {
        expect(subnet.public_gateway).toBe(referenceTo(prod.tf, "ibm_is_public_gateway", (g) => g.zone === subnet.zone));
      }
    }
    // A public gateway serves only its own zone, so dev has one per zone too.
    expect(countOf(dev.tf, "ibm_is_public_gateway")).toBe(2);
  });

  test("network ACLs allow the VPC, the declared ingress, replies and path-MTU discovery on both tiers, and deny every other protocol inbound", () => {
    const acls = byName(prod.tf, "ibm_is_network_acl");
    const vpcIn = { name: "allow-vpc-inbound", action: "allow", direction: "inbound", source: "10.66.0.0/16", destination: "0.0.0.0/0", protocol: "icmp_tcp_udp" };
    const denyIn = { name: "deny-all-inbound", action: "deny", direction: "inbound", source: "0.0.0.0/0", destination: "0.0.0.0/0", protocol: "any" };
    const allOut = { name: "allow-all-outbound", action: "allow", direction: "outbound", source: "0.0.0.0/0", destination: "0.0.0.0/0", protocol: "icmp_tcp_udp" };
    const replies = (protocol: string) => ({
      name: `allow-${protocol}-replies`, action: "allow", direction: "inbound", source: "0.0.0.0/0", destination: "0.0.0.0/0", protocol, port_min: 1024, port_max: 65535,
    });
    // ICMP type 3 code 4 ("fragmentation needed"), through the top-level type/code of 2.5.0 (the icmp block is deprecated).
    const fragmentationNeeded = {
      name: "allow-icmp-fragmentation-needed", action: "allow", direction: "inbound", source: "0.0.0.0/0", destination: "0.0.0.0/0", protocol: "icmp", type: 3, code: 4,
    };
    expect(acls["siros-prod-public"].rules).toEqual([
      vpcIn,
      { name: "allow-tcp-443-0", action: "allow", direction: "inbound", source: "0.0.0.0/0", destination: "10.66.0.0/16", protocol: "tcp", port_min: 443, port_max: 443 },
      { name: "allow-tcp-80-1", action: "allow", direction: "inbound", source: "0.0.0.0/0", destination: "10.66.0.0/16", protocol: "tcp", port_min: 80, port_max: 80 },
      replies("tcp"),
      replies("udp"),
      fragmentationNeeded,
      denyIn,
      allOut,
    ]);
    expect(acls["siros-prod-private"].rules).toEqual([vpcIn, replies("tcp"), replies("udp"), fragmentationNeeded, denyIn, allOut]);
    for (const subnet of Object.values(byName(prod.tf, "ibm_is_subnet"))) {
      const tier = subnet.name.includes("public") ? "public" : "private";
      expect(subnet.network_acl).toBe(referenceTo(prod.tf, "ibm_is_network_acl", (a) => a.name === `siros-prod-${tier}`));
    }
  });

  test("the workload security group lets in the VPC and the declared ingress only", () => {
    // The network's workload group (the Kubernetes module adds a rule-less marker group for its workers).
    const group = referenceTo(prod.tf, "ibm_is_security_group", (block) => block.name === "siros-prod-workloads");
    expect(unordered(resources(prod.tf, "ibm_is_security_group_rule"))).toEqual(
      unordered([
        { group, direction: "inbound", protocol: "icmp_tcp_udp", remote: "10.66.0.0/16" },
        { group, direction: "inbound", port_max: 443, port_min: 443, protocol: "tcp", remote: "0.0.0.0/0" },
        { group, direction: "inbound", port_max: 80, port_min: 80, protocol: "tcp", remote: "0.0.0.0/0" },
        { direction: "outbound", group, protocol: "icmp_tcp_udp", remote: "0.0.0.0/0" },
      ]),
    );
  });

  test("flow logs go to a bucket encrypted with the environment's root key (no second key), with only the authorizations they need", () => {
    expect(prod.json).toHaveResourceWithProperties(IsFlowLog, {
      target: referenceTo(prod.tf, "ibm_is_vpc", () => true),
      active: true,
      storage_bucket: referenceTo(prod.tf, "ibm_cos_bucket", () => true, "bucket_name"),
    });
    // The flow-log bucket itself (the storage module's buckets are encrypted too, and must not stand in for it).
    expect(resources(prod.tf, "ibm_cos_bucket").filter((bucket) => String(bucket.bucket_name).includes("-vpc-flow-logs-"))).toEqual([
      expect.objectContaining({ kms_key_crn: referenceTo(prod.tf, "ibm_kms_key", () => true, "crn"), region_location: "eu-de" }),
    ]);
    // expire_rule is deprecated at 2.5.0; the lifecycle configuration resource replaces it.
    expect(resources(prod.tf, "ibm_cos_bucket")[0]).not.toHaveProperty("expire_rule");
    const flowLogBucket = referenceTo(prod.tf, "ibm_cos_bucket", (b) => String(b.bucket_name).includes("-vpc-flow-logs-"), "crn");
    // The storage module's buckets have lifecycle configurations of their own.
    expect(resources(prod.tf, "ibm_cos_bucket_lifecycle_configuration").filter((c) => c.bucket_crn === flowLogBucket)).toEqual([
      {
        bucket_crn: flowLogBucket,
        bucket_location: "eu-de",
        lifecycle_rule: [{ rule_id: "expire-flow-logs", status: "enable", filter: { prefix: "" }, expiration: { days: 180 } }],
      },
    ]);
    expect(resources(dev.tf, "ibm_cos_bucket_lifecycle_configuration")[0].lifecycle_rule[0].expiration).toEqual({ days: 30 });
    // One root key and one Key Protect instance per stack: the keys module's.
    expect(countOf(prod.tf, "ibm_kms_key")).toBe(1);
    expect(resources(prod.tf, "ibm_resource_instance").filter((i) => i.service === "kms")).toHaveLength(1);
    const storage = referenceTo(prod.tf, "ibm_resource_instance", (i) => i.service === "cloud-object-storage", "guid");
    const keyProtect = referenceTo(prod.tf, "ibm_resource_instance", (i) => i.service === "kms", "guid");
    const networkPolicies = Object.entries(prod.tf.resource.ibm_iam_authorization_policy)
      .filter(([name]) => name.startsWith("network_"))
      .map(([, p]) => [p.source_service_name, p.source_resource_instance_id ?? p.source_resource_type, p.target_service_name, p.target_resource_instance_id, p.roles]);
    expect(networkPolicies.sort()).toEqual([
      ["cloud-object-storage", storage, "kms", keyProtect, ["Reader"]],
      ["is", "flow-log-collector", "cloud-object-storage", storage, ["Writer"]],
    ]);
    const [flowLog] = resources(prod.tf, "ibm_is_flow_log");
    expect(flowLog.depends_on).toEqual([expect.stringContaining("ibm_iam_authorization_policy.")]);
  });

  test("the flow-log bucket's name is global: a readable base and a random suffix kept in state", () => {
    const suffix = Object.keys(prod.tf.resource.random_id)[0];
    expect(resources(prod.tf, "ibm_cos_bucket")[0].bucket_name).toBe(`siros-prod-vpc-flow-logs-\${random_id.${suffix}.hex}`);
    expect(prod.tf.resource.random_id[suffix]).toEqual({ byte_length: 3, keepers: { base: "siros-prod-vpc-flow-logs" } });
  });

  test("every resource that takes tags carries the environment's tags", () => {
    const tagged = Object.values(prod.tf.resource).flatMap((blocks) => Object.values(blocks)).filter((b) => "tags" in b);
    expect(tagged.length).toBeGreaterThanOrEqual(15);
    for (const block of tagged) expect([...block.tags].sort()).toEqual([...expectedTags].sort());
    for (const type of ["ibm_is_vpc", "ibm_is_subnet", "ibm_is_public_gateway", "ibm_is_network_acl", "ibm_is_security_group", "ibm_is_flow_log", "ibm_resource_instance"]) {
      for (const block of resources(prod.tf, type)) expect(block).toHaveProperty("tags");
    }
  });
});
