import { readFileSync } from "node:fs";
import { join } from "node:path";
import { CoreDefaultSecurityList } from "../.gen/providers/oci/core-default-security-list";
import { CoreSubnet } from "../.gen/providers/oci/core-subnet";
import { CoreVcn } from "../.gen/providers/oci/core-vcn";
import { LoggingLog } from "../.gen/providers/oci/logging-log";
import { OciProvider } from "../.gen/providers/oci/provider";
import { environments, referenceTo, resources, synthStack as synthWholeStack, withoutModule } from "./support/synth";

/** The network as composed, without the edge (which adds security groups, log groups and public IPs of its own). */
const synthStack = (...args: Parameters<typeof synthWholeStack>) => withoutModule(synthWholeStack(...args), "edge");

describe("Oracle Cloud network", () => {
  const prod = synthStack("oci", "prod");
  const dev = synthStack("oci", "dev");
  const expectedTags = { project: "siros", environment: "prod", owner: "platform-team", "cost-center": "cc-platform", "managed-by": "cdktf" };

  test("lives in its own compartment under the parent asked for at plan time, created in the tenancy's home region and deleted on destroy", () => {
    expect(resources(prod.tf, "oci_identity_compartment")).toEqual([
      {
        provider: "oci.home",
        compartment_id: "${var.oci_parent_compartment_ocid}",
        name: "siros-prod",
        description: "Keys, network and workloads of siros-prod",
        enable_delete: true,
        freeform_tags: expectedTags,
      },
    ]);
    // Everything else is regional: the default provider, in the stack's region (IAM policies, like the compartment, go to the home region).
    // Budgets too are managed in the home region (the observability module's).
    const homeRegion = ["oci_identity_compartment", "oci_identity_policy", "oci_budget_budget", "oci_budget_alert_rule"];
    for (const blocks of Object.entries(prod.tf.resource).filter(([type]) => !homeRegion.includes(type)).map(([, b]) => Object.values(b))) {
      for (const block of blocks) expect(block).not.toHaveProperty("provider");
    }
    const compartmentId = referenceTo(prod.tf, "oci_identity_compartment", () => true);
    for (const type of ["oci_core_vcn", "oci_core_subnet", "oci_core_route_table", "oci_core_security_list", "oci_core_nat_gateway", "oci_logging_log_group"]) {
      for (const block of resources(prod.tf, type)) expect(block.compartment_id).toBe(compartmentId);
    }
  });

  test("uses the configured parent compartment when the environment names one", () => {
    const parent = "ocid1.tenancy.oc1..aaaaaaaabbbbbbbbccccccccdddddddd";
    const custom = synthStack("oci", { ...environments.prod, oci: { ...environments.prod.oci, parentCompartmentId: parent } });
    expect(resources(custom.tf, "oci_identity_compartment")[0].compartment_id).toBe(parent);
    expect(custom.tf.variable).not.toHaveProperty("oci_parent_compartment_ocid");
  });

  test("is a VCN on the environment's range with a public and a private regional subnet", () => {
    expect(prod.json).toHaveResourceWithProperties(CoreVcn, { cidr_blocks: ["10.50.0.0/16"], dns_label: "sirosprod" });
    expect(prod.json).toHaveResourceWithProperties(CoreSubnet, {
      display_name: "siros-prod-private",
      cidr_block: "10.50.0.0/18",
      prohibit_public_ip_on_vnic: true,
      prohibit_internet_ingress: true,
    });
    expect(prod.json).toHaveResourceWithProperties(CoreSubnet, {
      display_name: "siros-prod-public",
      cidr_block: "10.50.128.0/20",
      prohibit_public_ip_on_vnic: false,
    });
    for (const subnet of resources(prod.tf, "oci_core_subnet")) expect(subnet).not.toHaveProperty("availability_domain");
  });

  test("routes the public tier to the internet gateway and the private tier to NAT and the service gateway", () => {
    const tables = Object.fromEntries(resources(prod.tf, "oci_core_route_table").map((t) => [t.display_name, t.route_rules]));
    expect(tables["siros-prod-public"]).toEqual([
      expect.objectContaining({ destination: "0.0.0.0/0", network_entity_id: referenceTo(prod.tf, "oci_core_internet_gateway", () => true) }),
    ]);
    expect(tables["siros-prod-private"]).toEqual([
      expect.objectContaining({ destination: "0.0.0.0/0", network_entity_id: referenceTo(prod.tf, "oci_core_nat_gateway", () => true) }),
      expect.objectContaining({ destination_type: "SERVICE_CIDR_BLOCK", network_entity_id: referenceTo(prod.tf, "oci_core_service_gateway", () => true) }),
    ]);
    const subnets = Object.fromEntries(resources(prod.tf, "oci_core_subnet").map((s) => [s.display_name, s.route_table_id]));
    expect(subnets["siros-prod-private"]).toBe(referenceTo(prod.tf, "oci_core_route_table", (t) => t.display_name === "siros-prod-private"));
  });

  test("the service gateway reaches all Oracle services of the region", () => {
    const [gateway] = resources(prod.tf, "oci_core_service_gateway");
    expect(gateway.services).toEqual([{ service_id: expect.stringMatching(/^\$\{data\.oci_core_services\.[^.]+\.services\[0\]\.id\}$/) }]);
    const [services] = Object.values(prod.tf.data!.oci_core_services);
    expect(services.filter).toEqual([{ name: "name", regex: true, values: ["All .* Services In Oracle Services Network"] }]);
  });

  test("security lists allow the VCN and the declared ingress only; the default list is emptied", () => {
    const lists = Object.fromEntries(resources(prod.tf, "oci_core_security_list").map((l) => [l.display_name, l]));
    const fromVcn = { description: "Anything inside the VCN", protocol: "all", source: "10.50.0.0/16", source_type: "CIDR_BLOCK" };
    expect(lists["siros-prod-private"].ingress_security_rules).toEqual([fromVcn]);
    expect(lists["siros-prod-private"].egress_security_rules).toEqual([
      { description: "Out through NAT and the service gateway", protocol: "all", destination: "0.0.0.0/0", destination_type: "CIDR_BLOCK" },
    ]);
    expect(lists["siros-prod-public"].ingress_security_rules).toEqual([
      fromVcn,
      { description: "HTTPS to public load balancers", protocol: "6", source: "0.0.0.0/0", source_type: "CIDR_BLOCK", tcp_options: { min: 443, max: 443 } },
      { description: "HTTP to public load balancers, which only redirect it to HTTPS", protocol: "6", source: "0.0.0.0/0", source_type: "CIDR_BLOCK", tcp_options: { min: 80, max: 80 } },
    ]);
    expect(lists["siros-prod-public"].egress_security_rules).toEqual([
      { description: "To targets inside the VCN", protocol: "all", destination: "10.50.0.0/16", destination_type: "CIDR_BLOCK" },
    ]);
    expect(prod.json).toHaveResource(CoreDefaultSecurityList);
    const [defaultList] = resources(prod.tf, "oci_core_default_security_list");
    expect(defaultList.manage_default_resource_id).toBe(referenceTo(prod.tf, "oci_core_vcn", () => true, "default_security_list_id"));
    expect(defaultList).not.toHaveProperty("ingress_security_rules");
    expect(defaultList).not.toHaveProperty("egress_security_rules");
  });

  test("keeps flow logs of every subnet in the Logging service for the environment's retention", () => {
    const flowLogs = Object.keys(prod.tf.resource.oci_logging_log).filter((name) => name.startsWith("network_"));
    expect(flowLogs).toHaveLength(2);
    expect(prod.json).toHaveResourceWithProperties(LoggingLog, {
      log_type: "SERVICE",
      is_enabled: true,
      retention_duration: 180,
      log_group_id: referenceTo(prod.tf, "oci_logging_log_group", (g) => !String(g.display_name).endsWith("-observability")),
    });
    const sources = flowLogs.map((name) => prod.tf.resource.oci_logging_log[name].configuration.source);
    expect(sources).toEqual(
      ["siros-prod-public", "siros-prod-private"].map((name) =>
        expect.objectContaining({
          service: "flowlogs",
          category: "all",
          source_type: "OCISERVICE",
          resource: referenceTo(prod.tf, "oci_core_subnet", (s) => s.display_name === name),
        }),
      ),
    );
    const devFlowLogs = Object.entries(dev.tf.resource.oci_logging_log).filter(([name]) => name.startsWith("network_"));
    expect(devFlowLogs.map(([, l]) => l.retention_duration)).toEqual([30, 30]);
  });

  test("dev and prod differ in range, region and retention, not in shape", () => {
    expect(resources(dev.tf, "oci_core_vcn")[0].cidr_blocks).toEqual(["10.48.0.0/16"]);
    expect(Object.keys(dev.tf.resource).sort()).toEqual(Object.keys(prod.tf.resource).sort());
    expect(synthStack("oci", "dr").json).toHaveProviderWithProperties(OciProvider, { region: "uk-london-1" });
  });

  test("has a provider in the stack's region and one aliased to the tenancy's home region", () => {
    expect(prod.tf.provider.oci).toEqual([{ alias: "home", region: "eu-frankfurt-1" }, { region: "eu-frankfurt-1" }]);
    // dr runs in London, but its compartment is still created in the home region.
    // ... and the storage module writes the replication policy on prod's bucket through prod's region.
    expect(synthStack("oci", "dr").tf.provider.oci).toEqual([{ alias: "home", region: "eu-frankfurt-1" }, { region: "uk-london-1" }, { alias: "primary", region: "eu-frankfurt-1" }]);
  });

  test("every taggable resource carries the environment's freeform tags", () => {
    // Taggable: the types whose schema has freeform_tags (not NSG rules or add-ons).
    const schemas = Object.values(JSON.parse(readFileSync(join(__dirname, "..", "providers", "schemas", "oci.json"), "utf8")).provider_schemas as Record<string, any>)[0].resource_schemas;
    const taggable = Object.entries(prod.tf.resource)
      .filter(([type]) => schemas[type].block.attributes.freeform_tags !== undefined)
      .flatMap(([, blocks]) => Object.values(blocks));
    expect(taggable.length).toBeGreaterThan(20);
    // The storage module's buckets add the bucket's purpose; nothing else.
    for (const block of taggable) {
      const { purpose: _purpose, ...environmentTags } = block.freeform_tags;
      expect(environmentTags).toEqual(expectedTags);
    }
  });
});
