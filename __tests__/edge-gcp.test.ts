import { GcpEdge } from "../modules/edge/gcp";
import { EDGE_GAPS } from "../modules/edge/gaps";
import { byAddress, edgeOf, ref } from "./support/edge";
import { dependenciesOf, dependencyOn } from "./support/gcp-dependencies";
import { synthModule } from "./support/module-stack";
import { environments, synthStack } from "./support/synth";

const cluster = (networkTags: string[], nodeGroupIds = ["group-a", "group-b"]) => ({ ingress: { nodePort: 30443, nodeGroupIds }, nodeAccess: { securityGroupIds: [], subnetCidrs: ["10.0.0.0/20"], networkTags } });
const props = { name: "siros-test", region: "europe-west1", project: "siros-test", networkId: "network", publicSubnetIds: ["public"] };

describe("Google Cloud edge", () => {
  const prod = synthStack("gcp", "prod");
  const dev = synthStack("gcp", "dev");
  const edge = edgeOf(prod.tf);

  test("a global external Application Load Balancer on a reserved address, HTTPS and HTTP forwarding rules", () => {
    expect(edge("google_compute_global_address", "address")).toMatchObject({ name: "siros-prod-edge", address_type: "EXTERNAL", ip_version: "IPV4", lifecycle: { prevent_destroy: true } });
    expect(edgeOf(dev.tf)("google_compute_global_address", "address").lifecycle).toBeUndefined();
    for (const [id, port, proxy] of [["https", "443", ref(edge, "google_compute_target_https_proxy", "https-proxy")], ["http", "80", ref(edge, "google_compute_target_http_proxy", "http-redirect-proxy")]] as const) {
      expect(edge("google_compute_global_forwarding_rule", `${id}-forwarding-rule`)).toMatchObject({
        load_balancing_scheme: "EXTERNAL_MANAGED",
        ip_protocol: "TCP",
        port_range: port,
        ip_address: ref(edge, "google_compute_global_address", "address"),
        target: proxy,
      });
    }
  });

  test("TLS 1.2 floor with the RESTRICTED profile on the HTTPS proxy; HTTP's URL map only redirects to HTTPS", () => {
    expect(edge("google_compute_ssl_policy", "ssl-policy")).toMatchObject({ min_tls_version: "TLS_1_2", profile: "RESTRICTED" });
    expect(edge("google_compute_target_https_proxy", "https-proxy")).toMatchObject({ ssl_policy: ref(edge, "google_compute_ssl_policy", "ssl-policy"), url_map: ref(edge, "google_compute_url_map", "https-url-map") });
    expect(edge("google_compute_url_map", "http-redirect-url-map").default_url_redirect).toEqual({ https_redirect: true, strip_query: false, redirect_response_code: "MOVED_PERMANENTLY_DEFAULT" });
    expect(edge("google_compute_url_map", "http-redirect-url-map").default_service).toBeUndefined();
  });

  test("with domains a Google-managed certificate named after them, created before the old one goes", () => {
    expect(edge("google_compute_target_https_proxy", "https-proxy").ssl_certificates).toEqual([expect.stringMatching(/^\$\{var\.edge_edge_certificate_[0-9A-F]+\}$/)]);
    const named = synthStack("gcp", { ...environments.prod, edge: { ...environments.prod.edge, domains: ["app.example.com"] } });
    const certificate = edgeOf(named.tf)("google_compute_managed_ssl_certificate", "certificate");
    expect(certificate).toMatchObject({ managed: { domains: ["app.example.com"] }, lifecycle: { create_before_destroy: true } });
    expect(certificate.name).toMatch(/^siros-prod-edge-[0-9a-f]{8}$/);
  });

  test("Cloud Armor: preconfigured WAF rules deny in prod, preview in dev; adaptive protection; attached to the backend", () => {
    const policy = edge("google_compute_security_policy", "security-policy");
    expect(policy.adaptive_protection_config).toEqual({ layer_7_ddos_defense_config: { enable: true } });
    const waf = policy.rule.filter((r: any) => r.match.expr);
    // Fails without the cve-canary rule: the OWASP sets do not match Log4Shell's JNDI lookups (Checkov CKV_GCP_73).
    expect(waf.map((r: any) => [r.action, r.preview, r.match.expr.expression])).toEqual([
      ...["sqli", "xss", "lfi", "rfi", "rce", "methodenforcement", "scannerdetection", "protocolattack", "sessionfixation"].map((rule) => [
        "deny(403)",
        false,
        `evaluatePreconfiguredWaf('${rule}-v33-stable', {'sensitivity': 1})`,
      ]),
      ["deny(403)", false, "evaluatePreconfiguredExpr('cve-canary')"],
    ]);
    expect(waf.map((r: any) => r.priority)).toEqual([1000, 1001, 1002, 1003, 1004, 1005, 1006, 1007, 1008, 1009]);
    expect(edgeOf(dev.tf)("google_compute_security_policy", "security-policy").rule.filter((r: any) => r.match.expr).every((r: any) => r.preview === true)).toBe(true);
    expect(edge("google_compute_backend_service", "backend-service")).toMatchObject({
      load_balancing_scheme: "EXTERNAL_MANAGED",
      protocol: "HTTPS",
      port_name: "ingress",
      security_policy: ref(edge, "google_compute_security_policy", "security-policy"),
      log_config: { enable: true, sample_rate: 1 },
      health_checks: [ref(edge, "google_compute_health_check", "health-check")],
    });
  });

  test("every instance group of the workload pool is a backend and names the ingress port the backend service reaches it through", () => {
    const groups = [0, 1, 2].map((i) => `\${element(${`google_container_node_pool.${byAddress(prod.tf).key("google_container_node_pool", "kubernetes_workload-pool")}`}.managed_instance_group_urls, ${i})}`);
    const byAddressKey = (id: string) => edgeOf(prod.tf)("google_compute_instance_group_named_port", id);
    // Fails without the named port: the backend service's port_name would name a port no group has.
    expect([0, 1, 2].map((i) => byAddressKey(`ingress-named-port-${i}`))).toEqual(
      groups.map((group) => expect.objectContaining({ group, name: "ingress", port: 30443, project: expect.any(String) })),
    );
    const backend = edge("google_compute_backend_service", "backend-service");
    expect(backend.backend).toEqual(groups.map((group) => ({ group, balancing_mode: "UTILIZATION", capacity_scaler: 1 })));
    expect(backend.depends_on).toEqual(expect.arrayContaining([0, 1, 2].map((i) => `google_compute_instance_group_named_port.${edge.key("google_compute_instance_group_named_port", `ingress-named-port-${i}`)}`)));
    expect(edgeOf(dev.tf)("google_compute_backend_service", "backend-service").backend).toHaveLength(2);
  });

  test("fails if the cluster gives no instance group", () => {
    expect(() => synthModule((scope) => new GcpEdge(scope, "edge", { ...props, cluster: cluster(["nodes"], []) }))).toThrow(
      "edge (gcp): the cluster gives no instance group for its ingress; the backend service would have no backend",
    );
  });

  test("only Google's front ends reach the cluster's nodes (by tag), only on the ingress port", () => {
    expect(edge("google_compute_firewall", "allow-front-ends")).toMatchObject({
      direction: "INGRESS",
      source_ranges: ["35.191.0.0/16", "130.211.0.0/22"],
      allow: [{ protocol: "tcp", ports: ["30443"] }],
      target_tags: [expect.any(String)],
    });
    expect(edge("google_compute_health_check", "health-check").https_health_check).toEqual({ port: 30443, request_path: "/healthz" });
  });

  test("every edge resource waits for the Compute API", () => {
    const api = dependencyOn(prod.tf, "compute.googleapis.com");
    const addresses = Object.entries(prod.tf.resource)
      .filter(([type]) => type.startsWith("google_compute_"))
      .flatMap(([type, blocks]) => Object.keys(blocks).filter((name) => name.startsWith("edge_")).map((name) => `${type}.${name}`));
    expect(addresses.length).toBeGreaterThan(10);
    for (const address of addresses) expect([address, dependenciesOf(prod.tf, address).has(api)]).toEqual([address, true]);
  });

  test("fails if the minimum TLS version is 1.3", () => {
    expect(() => synthModule((scope) => new GcpEdge(scope, "edge", { ...props, cluster: cluster(["nodes"]), minTlsVersion: "1.3" }))).toThrow(
      `edge (gcp): ${EDGE_GAPS.gcpTls13Floor.what} is not supported: ${EDGE_GAPS.gcpTls13Floor.reason}. Instead: ${EDGE_GAPS.gcpTls13Floor.alternative}`,
    );
  });

  test("fails if the cluster gives no node network tag", () => {
    expect(() => synthModule((scope) => new GcpEdge(scope, "edge", { ...props, cluster: cluster([]) }))).toThrow(
      "edge (gcp): the cluster gives no node network tag; without one the firewall rule would open port 30443 on every instance of the network",
    );
  });
});
