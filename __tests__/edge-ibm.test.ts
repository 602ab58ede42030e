import { EDGE_GAPS } from "../modules/edge/gaps";
import { IbmEdge } from "../modules/edge/ibm";
import { edgeOf, ref } from "./support/edge";
import { synthModule } from "./support/module-stack";
import { synthStack } from "./support/synth";

describe("IBM Cloud edge", () => {
  const prod = synthStack("ibm", "prod");
  const dev = synthStack("ibm", "dev");
  const edge = edgeOf(prod.tf);

  test("a public VPC application load balancer in the public subnets with logging and its own security group", () => {
    expect(edge("ibm_is_lb", "load-balancer")).toMatchObject({
      name: "siros-prod-edge",
      type: "public",
      logging: true,
      security_groups: [ref(edge, "ibm_is_security_group", "security-group")],
      lifecycle: { prevent_destroy: true },
    });
    expect(edge("ibm_is_lb", "load-balancer").subnets).toHaveLength(3);
    expect(edgeOf(dev.tf)("ibm_is_lb", "load-balancer").lifecycle).toBeUndefined();
  });

  test("HTTPS with a Secrets Manager certificate the load balancer service may read; HTTP redirects to it", () => {
    expect(edge("ibm_is_lb_listener", "https")).toMatchObject({
      port: 443,
      protocol: "https",
      certificate_instance: expect.stringMatching(/^\$\{var\.edge_edge_certificate_[0-9A-F]+\}$/),
      default_pool: ref(edge, "ibm_is_lb_pool", "pool", "pool_id"),
    });
    expect(edge("ibm_is_lb_listener", "http-redirect")).toMatchObject({
      port: 80,
      protocol: "http",
      https_redirect: { http_status_code: 301, listener: { id: ref(edge, "ibm_is_lb_listener", "https", "listener_id") } },
    });
    expect(edge("ibm_is_lb_listener", "http-redirect").default_pool).toBeUndefined();
    expect(edge("ibm_iam_authorization_policy", "load-balancer-reads-certificate")).toMatchObject({
      source_service_name: "is",
      source_resource_type: "load-balancer",
      target_service_name: "secrets-manager",
      roles: ["SecretsReader"],
    });
  });

  test("the pool health-checks the cluster's ingress port over HTTPS", () => {
    expect(edge("ibm_is_lb_pool", "pool")).toMatchObject({ protocol: "https", health_type: "https", health_monitor_port: 30443, health_monitor_url: "/healthz", health_delay: 10, health_timeout: 5, health_retries: 3 });
  });

  test("only the load balancer's security group reaches the workers, only on the ingress port", () => {
    const group = ref(edge, "ibm_is_security_group", "security-group");
    const rules = Object.entries(prod.tf.resource.ibm_is_security_group_rule).filter(([k]) => k.startsWith("edge_")).map(([, r]) => r as any);
    expect(rules.map((r) => [r.group === group ? "edge" : "workers", r.direction, r.remote === group ? "edge" : r.remote, r.port_min, r.port_max])).toEqual([
      ["edge", "inbound", "0.0.0.0/0", 443, 443],
      ["edge", "inbound", "0.0.0.0/0", 80, 80],
      // Terraform JSON orders resources by address: ingress-from-edge before to-ingress.
      ["workers", "inbound", "edge", 30443, 30443],
      ["edge", "outbound", expect.stringMatching(/^\$\{ibm_is_security_group\.kubernetes_/), 30443, 30443],
    ]);
  });

  test("has no WAF: the gap is declared with IBM Cloud Internet Services as the alternative", () => {
    expect(Object.keys(prod.tf.resource).filter((t) => /waf|firewall/.test(t))).toEqual([]);
    expect(EDGE_GAPS.ibmWaf.alternative).toMatch(/IBM Cloud Internet Services/);
  });

  test("fails if the minimum TLS version is 1.3", () => {
    const cluster = { ingress: { nodePort: 30443, nodeGroupIds: [] }, nodeAccess: { securityGroupIds: [], subnetCidrs: [], networkTags: [] } };
    expect(() =>
      synthModule((scope) => new IbmEdge(scope, "edge", { name: "siros-test", region: "eu-de", networkId: "vpc", publicSubnetIds: ["a"], cluster, minTlsVersion: "1.3", resourceGroupId: "rg", secretsManagerGuid: "sm" })),
    ).toThrow(`edge (ibm): ${EDGE_GAPS.ibmTlsPolicy.what} is not supported: ${EDGE_GAPS.ibmTlsPolicy.reason}. Instead: ${EDGE_GAPS.ibmTlsPolicy.alternative}`);
  });
});
