import { AcmCertificate } from "@cdktf/provider-aws/lib/acm-certificate";
import { Lb } from "@cdktf/provider-aws/lib/lb";
import { LbTargetGroup } from "@cdktf/provider-aws/lib/lb-target-group";
import { Wafv2WebAcl } from "@cdktf/provider-aws/lib/wafv2-web-acl";
import { byAddress, edgeOf, ref } from "./support/edge";
import { environments, synthStack } from "./support/synth";

describe("AWS edge", () => {
  const prod = synthStack("aws", "prod");
  const dev = synthStack("aws", "dev");
  const edge = edgeOf(prod.tf);

  test("is an internet-facing ALB in the public subnets that drops invalid headers, logs access and is protected in prod", () => {
    expect(prod.json).toHaveResourceWithProperties(Lb, {
      name: "siros-prod-edge",
      internal: false,
      load_balancer_type: "application",
      drop_invalid_header_fields: true,
      enable_deletion_protection: true,
      access_logs: { bucket: ref(edge, "aws_s3_bucket", "access-logs", "bucket"), enabled: true },
      lifecycle: { prevent_destroy: true },
    });
    const lb = edge("aws_lb", "load-balancer");
    expect(lb.subnets).toEqual([0, 1, 2].map((i) => ref(byAddress(prod.tf), "aws_subnet", `network_public-subnet-${i}`)));
    expect(edgeOf(dev.tf)("aws_lb", "load-balancer")).toMatchObject({ enable_deletion_protection: false });
    expect(edgeOf(dev.tf)("aws_lb", "load-balancer").lifecycle).toBeUndefined();
  });

  test("HTTPS listens with a TLS 1.3 policy (1.2 floor) and forwards to the ingress target group; HTTP only redirects", () => {
    expect(edge("aws_lb_listener", "https")).toMatchObject({
      port: 443,
      protocol: "HTTPS",
      ssl_policy: "ELBSecurityPolicy-TLS13-1-2-2021-06",
      default_action: [{ type: "forward", target_group_arn: ref(edge, "aws_lb_target_group", "ingress", "arn") }],
    });
    expect(edge("aws_lb_listener", "http-redirect")).toMatchObject({
      port: 80,
      protocol: "HTTP",
      default_action: [{ type: "redirect", redirect: { protocol: "HTTPS", port: "443", status_code: "HTTP_301" } }],
    });
    expect(edge("aws_lb_listener", "http-redirect").default_action[0].target_group_arn).toBeUndefined();
  });

  test("without domains the certificate is named at plan time; with domains ACM issues it by DNS and the records are an output", () => {
    expect(edge("aws_lb_listener", "https").certificate_arn).toMatch(/^\$\{var\.edge_edge_certificate_[0-9A-F]+\}$/);
    expect(prod.tf.resource.aws_acm_certificate).toBeUndefined();
    const named = synthStack("aws", { ...environments.prod, edge: { ...environments.prod.edge, domains: ["app.example.com", "www.example.com"] } });
    expect(named.json).toHaveResourceWithProperties(AcmCertificate, {
      domain_name: "app.example.com",
      subject_alternative_names: ["www.example.com"],
      validation_method: "DNS",
      lifecycle: { create_before_destroy: true },
    });
    const listener = edgeOf(named.tf)("aws_lb_listener", "https");
    expect(listener.certificate_arn).toBe(ref(edgeOf(named.tf), "aws_acm_certificate_validation", "certificate-validation", "certificate_arn"));
    expect(named.tf.output.edge_certificate_validation_records.value).toMatch(/^\$\{jsonencode\(tolist\(aws_acm_certificate\.edge_certificate_[0-9A-F]+\.domain_validation_options\)\)\}$/);
  });

  test("the workload node group's Auto Scaling group is attached to an instance target group on the ingress port, health-checked over HTTPS", () => {
    expect(prod.json).toHaveResourceWithProperties(LbTargetGroup, {
      target_type: "instance",
      port: 30443,
      protocol: "HTTPS",
      health_check: { enabled: true, protocol: "HTTPS", port: "traffic-port", path: "/healthz", matcher: "200-399" },
    });
    // Fails without the attachment (no registered target: every request 503) or with the system group's nodes.
    const workloadGroup = byAddress(prod.tf).key("aws_eks_node_group", "kubernetes_workload-nodes");
    expect(edge("aws_autoscaling_attachment", "ingress-nodes-0")).toEqual({
      autoscaling_group_name: `\${aws_eks_node_group.${workloadGroup}.resources[0].autoscaling_groups[0].name}`,
      lb_target_group_arn: ref(edge, "aws_lb_target_group", "ingress", "arn"),
    });
    expect(Object.keys(prod.tf.resource.aws_autoscaling_attachment)).toHaveLength(1);
  });

  test("WAFv2 blocks with AWS managed rule groups in prod, counts in dev, is associated with the ALB and logs", () => {
    const rules = (tf: typeof prod.tf) => edgeOf(tf)("aws_wafv2_web_acl", "web-acl").rule.map((r: any) => [r.name, r.priority, r.override_action, r.statement]);
    const groups = ["AWSManagedRulesAmazonIpReputationList", "AWSManagedRulesCommonRuleSet", "AWSManagedRulesKnownBadInputsRuleSet", "AWSManagedRulesSQLiRuleSet"];
    expect(rules(prod.tf)).toEqual(groups.map((g, i) => [g, i, { none: {} }, { managed_rule_group_statement: { name: g, vendor_name: "AWS" } }]));
    expect(rules(dev.tf)).toEqual(groups.map((g, i) => [g, i, { count: {} }, { managed_rule_group_statement: { name: g, vendor_name: "AWS" } }]));
    expect(prod.json).toHaveResourceWithProperties(Wafv2WebAcl, { scope: "REGIONAL", default_action: { allow: {} } });
    expect(edge("aws_wafv2_web_acl_association", "web-acl-association")).toEqual(
      expect.objectContaining({ resource_arn: ref(edge, "aws_lb", "load-balancer", "arn"), web_acl_arn: ref(edge, "aws_wafv2_web_acl", "web-acl", "arn") }),
    );
    expect(edge("aws_wafv2_web_acl_logging_configuration", "web-acl-logging").log_destination_configs).toEqual([ref(edge, "aws_cloudwatch_log_group", "waf-logs", "arn")]);
    expect(edge("aws_cloudwatch_log_group", "waf-logs")).toMatchObject({ name: "aws-waf-logs-siros-prod-edge", retention_in_days: 180 });
    expect(edgeOf(dev.tf)("aws_cloudwatch_log_group", "waf-logs")).toMatchObject({ retention_in_days: 30 });
  });

  test("only the ALB reaches the nodes, only on the ingress port; the ALB takes 443 and 80 from the internet and sends only there", () => {
    const group = ref(edge, "aws_security_group", "security-group");
    const nodes = expect.stringMatching(/cluster_security_group_id\}$/);
    const rulesOf = (type: string) => Object.entries(prod.tf.resource[type]).filter(([k]) => k.startsWith("edge_")).map(([, r]) => r);
    expect(rulesOf("aws_vpc_security_group_ingress_rule")).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ security_group_id: group, from_port: 443, to_port: 443, cidr_ipv4: "0.0.0.0/0" }),
        expect.objectContaining({ security_group_id: group, from_port: 80, to_port: 80, cidr_ipv4: "0.0.0.0/0" }),
        expect.objectContaining({ security_group_id: nodes, from_port: 30443, to_port: 30443, referenced_security_group_id: group }),
      ]),
    );
    expect(rulesOf("aws_vpc_security_group_ingress_rule")).toHaveLength(3);
    expect(rulesOf("aws_vpc_security_group_egress_rule")).toEqual([
      expect.objectContaining({ security_group_id: group, ip_protocol: "tcp", from_port: 30443, to_port: 30443, referenced_security_group_id: nodes }),
    ]);
  });

  test("access logs go to a private, expiring bucket that only the region's ELB account writes, over TLS", () => {
    expect(edge("aws_s3_bucket_public_access_block", "access-logs-public-access")).toMatchObject({ block_public_acls: true, block_public_policy: true, ignore_public_acls: true, restrict_public_buckets: true });
    expect(edge("aws_s3_bucket_lifecycle_configuration", "access-logs-retention").rule).toEqual([{ id: "expire-access-logs", status: "Enabled", filter: [{ prefix: "" }], expiration: [{ days: 180 }] }]);
    const document = Object.entries(prod.tf.data!.aws_iam_policy_document).find(([k]) => k.startsWith("edge_"))![1] as any;
    expect(document.statement.map((s: any) => [s.sid, s.effect, s.actions])).toEqual([
      ["ElbWritesAccessLogs", "Allow", ["s3:PutObject"]],
      ["DenyInsecureTransport", "Deny", ["s3:*"]],
    ]);
  });

  test("the stack outputs the edge's address, validation records, identity and backend", () => {
    expect(prod.tf.output.edge_address.value).toBe(ref(edge, "aws_lb", "load-balancer", "dns_name"));
    expect(prod.tf.output.edge_certificate_validation_records.value).toBe("[]");
    expect(prod.tf.output.edge_identity.value).toBe("");
    expect(prod.tf.output.edge_backend_id.value).toBe(ref(edge, "aws_lb_target_group", "ingress", "arn"));
  });
});
