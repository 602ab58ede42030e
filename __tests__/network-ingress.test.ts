import type { IngressRule } from "../environments";
import { publicIngressRules } from "../modules/network/ingress";
import { byName, environments, resources, synthStack as synthWholeStack, withoutModule } from "./support/synth";

/** The network as composed, without the edge (which adds security groups, log groups and public IPs of its own). */
const synthStack = (...args: Parameters<typeof synthWholeStack>) => withoutModule(synthWholeStack(...args), "edge");

const ingress: IngressRule[] = [
  { description: "HTTPS to public load balancers", protocol: "tcp", port: 443, sourceCidr: "0.0.0.0/0" },
  { description: "WireGuard from the office", protocol: "udp", port: 51820, sourceCidr: "203.0.113.0/24" },
];
const withIngress = { ...environments.prod, network: { ...environments.prod.network, publicIngress: ingress } };

describe("declared public ingress, on every cloud", () => {
  test("is named and ordered once: allow-<protocol>-<port>-<position>", () => {
    expect(publicIngressRules(ingress)).toEqual([
      { ...ingress[0], name: "allow-tcp-443-0", position: 0 },
      { ...ingress[1], name: "allow-udp-51820-1", position: 1 },
    ]);
  });

  test("AWS: one ingress rule per flow on the public-ingress security group", () => {
    // The database's rule (nodes to PostgreSQL, 5432) is tested in database-aws.test.ts.
    const rules = resources(synthStack("aws", withIngress).tf, "aws_vpc_security_group_ingress_rule").filter((r) => r.from_port !== 5432);
    expect(rules.map((r) => [r.ip_protocol, r.from_port, r.to_port, r.cidr_ipv4]).sort()).toEqual([
      ["tcp", 443, 443, "0.0.0.0/0"],
      ["udp", 51820, 51820, "203.0.113.0/24"],
    ]);
  });

  test("Azure: NSG rules in the declared order, ten priorities apart, before the internet deny", () => {
    const nsg = byName(synthStack("azure", withIngress).tf, "azurerm_network_security_group")["siros-prod-public"];
    expect(nsg.security_rule.map((r: Record<string, unknown>) => [r.name, r.priority, r.protocol, r.destination_port_range, r.source_address_prefix])).toEqual([
      ["allow-tcp-443-0", 100, "Tcp", "443", "0.0.0.0/0"],
      ["allow-udp-51820-1", 110, "Udp", "51820", "203.0.113.0/24"],
      ["allow-gateway-manager", 3900, "Tcp", "65200-65535", "GatewayManager"],
      ["deny-internet-inbound", 4000, "*", "*", "Internet"],
    ]);
  });

  test("Google Cloud: a firewall rule per flow, for instances tagged public-ingress", () => {
    const rules = byName(synthStack("gcp", withIngress).tf, "google_compute_firewall");
    expect(rules["siros-prod-allow-tcp-443-0"]).toMatchObject({ source_ranges: ["0.0.0.0/0"], allow: [{ protocol: "tcp", ports: ["443"] }], target_tags: ["public-ingress"] });
    expect(rules["siros-prod-allow-udp-51820-1"]).toMatchObject({ source_ranges: ["203.0.113.0/24"], allow: [{ protocol: "udp", ports: ["51820"] }], target_tags: ["public-ingress"] });
  });

  test("Oracle Cloud: public security list rules with protocol numbers and port options", () => {
    const lists = resources(synthStack("oci", withIngress).tf, "oci_core_security_list");
    const publicList = lists.find((l) => l.display_name === "siros-prod-public")!;
    expect(publicList.ingress_security_rules.slice(1)).toEqual([
      { description: ingress[0].description, protocol: "6", source: "0.0.0.0/0", source_type: "CIDR_BLOCK", tcp_options: { min: 443, max: 443 } },
      { description: ingress[1].description, protocol: "17", source: "203.0.113.0/24", source_type: "CIDR_BLOCK", udp_options: { min: 51820, max: 51820 } },
    ]);
  });

  test("IBM Cloud: public ACL rules between the VPC rule and the final deny, and security-group rules", () => {
    const tf = synthStack("ibm", withIngress).tf;
    const acl = byName(tf, "ibm_is_network_acl")["siros-prod-public"];
    expect(acl.rules.map((r: Record<string, unknown>) => r.name)).toEqual([
      "allow-vpc-inbound",
      "allow-tcp-443-0",
      "allow-udp-51820-1",
      "allow-tcp-replies",
      "allow-udp-replies",
      "allow-icmp-fragmentation-needed",
      "deny-all-inbound",
      "allow-all-outbound",
    ]);
    expect(acl.rules[2]).toEqual({
      name: "allow-udp-51820-1", action: "allow", direction: "inbound", source: "203.0.113.0/24", destination: "10.66.0.0/16", protocol: "udp", port_min: 51820, port_max: 51820,
    });
    const inbound = resources(tf, "ibm_is_security_group_rule").filter((r) => r.remote !== "10.66.0.0/16" && r.direction === "inbound");
    expect(inbound.map((r) => [r.protocol, r.port_min, r.port_max, r.remote]).sort()).toEqual([
      ["tcp", 443, 443, "0.0.0.0/0"],
      ["udp", 51820, 51820, "203.0.113.0/24"],
    ]);
  });
});
