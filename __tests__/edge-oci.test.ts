import { edgeOf, ref } from "./support/edge";
import { synthStack } from "./support/synth";

describe("Oracle Cloud edge", () => {
  const prod = synthStack("oci", "prod");
  const dev = synthStack("oci", "dev");
  const edge = edgeOf(prod.tf);

  test("a public flexible load balancer in the public subnet with its own NSG, delete-protected in prod", () => {
    expect(edge("oci_load_balancer_load_balancer", "load-balancer")).toMatchObject({
      display_name: "siros-prod-edge",
      shape: "flexible",
      shape_details: { minimum_bandwidth_in_mbps: 10, maximum_bandwidth_in_mbps: 100 },
      is_private: false,
      is_delete_protection_enabled: true,
      network_security_group_ids: [ref(edge, "oci_core_network_security_group", "security-group")],
      subnet_ids: [expect.stringMatching(/^\$\{oci_core_subnet\.network_public-subnet_[0-9A-F]+\.id\}$/)],
      lifecycle: { prevent_destroy: true },
    });
    expect(edgeOf(dev.tf)("oci_load_balancer_load_balancer", "load-balancer").is_delete_protection_enabled).toBe(false);
  });

  test("HTTPS with TLS 1.2 and 1.3 and a stored certificate; HTTP's rule set only redirects", () => {
    expect(edge("oci_load_balancer_listener", "https")).toMatchObject({
      port: 443,
      protocol: "HTTP",
      default_backend_set_name: ref(edge, "oci_load_balancer_backend_set", "backend-set", "name"),
      ssl_configuration: {
        protocols: ["TLSv1.2", "TLSv1.3"],
        cipher_suite_name: "oci-default-http2-tls-12-13-ssl-cipher-suite-v1",
        server_order_preference: "ENABLED",
        certificate_ids: [expect.stringMatching(/^\$\{var\.edge_edge_certificate_[0-9A-F]+\}$/)],
      },
    });
    expect(edge("oci_load_balancer_listener", "http-redirect-listener")).toMatchObject({ port: 80, protocol: "HTTP", rule_set_names: [ref(edge, "oci_load_balancer_rule_set", "http-redirect", "name")] });
    expect(edge("oci_load_balancer_rule_set", "http-redirect").items).toEqual([
      {
        action: "REDIRECT",
        description: "Every plain HTTP request to HTTPS",
        response_code: 301,
        conditions: [{ attribute_name: "PATH", attribute_value: "/", operator: "PREFIX_MATCH" }],
        redirect_uri: { protocol: "HTTPS", port: 443, host: "{host}", path: "{path}", query: "{query}" },
      },
    ]);
  });

  test("the backend set health-checks the cluster's ingress port", () => {
    expect(edge("oci_load_balancer_backend_set", "backend-set")).toMatchObject({ name: "ingress", policy: "ROUND_ROBIN", health_checker: { protocol: "TCP", port: 30443 } });
  });

  test("the WAF blocks with 403 in prod and only logs in dev, attached to the load balancer", () => {
    const rule = (tf: typeof prod.tf) => edgeOf(tf)("oci_waf_web_app_firewall_policy", "waf-policy").request_protection.rules[0];
    expect(rule(prod.tf)).toMatchObject({ type: "PROTECTION", action_name: "block", is_body_inspection_enabled: true, protection_capabilities: [{ key: "9300000", version: 1 }] });
    expect(rule(dev.tf).action_name).toBe("log-only");
    expect(edge("oci_waf_web_app_firewall_policy", "waf-policy").actions).toEqual([
      { name: "allow", type: "ALLOW" },
      { name: "log-only", type: "CHECK" },
      { name: "block", type: "RETURN_HTTP_RESPONSE", code: 403, body: { type: "STATIC_TEXT", text: "Forbidden" } },
    ]);
    expect(edge("oci_waf_web_app_firewall", "waf")).toMatchObject({
      backend_type: "LOAD_BALANCER",
      load_balancer_id: ref(edge, "oci_load_balancer_load_balancer", "load-balancer"),
      web_app_firewall_policy_id: ref(edge, "oci_waf_web_app_firewall_policy", "waf-policy"),
    });
  });

  test("only the load balancer's NSG reaches the nodes' NSG, only on the ingress port", () => {
    const group = ref(edge, "oci_core_network_security_group", "security-group");
    const rules = Object.entries(prod.tf.resource.oci_core_network_security_group_security_rule).filter(([k]) => k.startsWith("edge_")).map(([, r]) => r as any);
    const nodes = expect.stringMatching(/^\$\{oci_core_network_security_group\.kubernetes_/);
    expect(rules.map((r) => [r.network_security_group_id === group ? "edge" : "nodes", r.direction, r.source ?? r.destination, r.tcp_options.destination_port_range.min])).toEqual([
      ["edge", "INGRESS", "0.0.0.0/0", 443],
      ["edge", "INGRESS", "0.0.0.0/0", 80],
      // Terraform JSON orders resources by address: ingress-from-edge before to-ingress.
      ["nodes", "INGRESS", group, 30443],
      ["edge", "EGRESS", nodes, 30443],
    ]);
  });

  test("access, error and WAF logs are kept for the environment's retention", () => {
    const logs = Object.entries(prod.tf.resource.oci_logging_log).filter(([k]) => k.startsWith("edge_")).map(([, l]) => l as any);
    expect(logs.map((l) => [l.configuration.source.service, l.configuration.source.category, l.retention_duration])).toEqual([
      ["loadbalancer", "access", 180],
      ["loadbalancer", "error", 180],
      ["waf", "all", 180],
    ]);
  });
});
