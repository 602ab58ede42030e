/** Each edge extractor on a small hand-written stack: the whole profile, and what breaks it. */
import { awsEdge, elbPolicyFloor } from "../../parity/extractors/edge/aws";
import { azureEdge, azureSslFloor } from "../../parity/extractors/edge/azure";
import { gcpEdge } from "../../parity/extractors/edge/gcp";
import { ibmEdge } from "../../parity/extractors/edge/ibm";
import { ociEdge } from "../../parity/extractors/edge/oci";
import type { Profile } from "../../parity/model";
import { index } from "./support";

const values = (profile: Profile) => Object.fromEntries(Object.entries(profile).map(([k, o]) => [k, o.value]));
const protect = { lifecycle: { prevent_destroy: true } };
const nothing = { tlsFloor: null, httpRedirect: null, waf: null, deletionProtection: null, logRetentionDays: null, backendPort: null, ingressRegistered: null };

const awsStack = (o: { lb?: Record<string, unknown>; override?: Record<string, unknown>; attached?: boolean; http?: Record<string, unknown> } = {}) => ({
  aws_lb: { lb: { internal: false, enable_deletion_protection: true, access_logs: { bucket: "${aws_s3_bucket.logs.bucket}", enabled: true }, ...protect, ...o.lb } },
  aws_s3_bucket: { logs: {} },
  aws_s3_bucket_lifecycle_configuration: { retention: { bucket: "${aws_s3_bucket.logs.id}", rule: [{ expiration: [{ days: 180 }], status: "Enabled" }] } },
  aws_lb_target_group: { ingress: { port: 30443, target_type: "instance" } },
  aws_lb_listener: {
    https: { load_balancer_arn: "${aws_lb.lb.arn}", protocol: "HTTPS", ssl_policy: "ELBSecurityPolicy-TLS13-1-2-2021-06", default_action: [{ type: "forward", target_group_arn: "${aws_lb_target_group.ingress.arn}" }] },
    http: { load_balancer_arn: "${aws_lb.lb.arn}", protocol: "HTTP", default_action: [{ type: "redirect", redirect: { protocol: "HTTPS", port: "443" } }], ...o.http },
  },
  aws_wafv2_web_acl: { acl: { rule: [{ override_action: o.override ?? { none: {} } }, { override_action: o.override ?? { none: {} } }] } },
  aws_wafv2_web_acl_association: { assoc: { resource_arn: "${aws_lb.lb.arn}", web_acl_arn: "${aws_wafv2_web_acl.acl.arn}" } },
  ...(o.attached === false ? {} : { aws_autoscaling_attachment: { nodes: { autoscaling_group_name: "asg", lb_target_group_arn: "${aws_lb_target_group.ingress.arn}" } } }),
});

describe("AWS edge extractor", () => {
  test("reads the ALB's TLS policy floor, redirect, WAF mode, protection, access-log expiry, target port and the Auto Scaling attachment", () => {
    const profile = awsEdge(index(awsStack()));
    expect(values(profile)).toEqual({ tlsFloor: "1.2", httpRedirect: true, waf: "prevention", deletionProtection: true, logRetentionDays: 180, backendPort: 30443, ingressRegistered: "attached" });
    expect(profile.ingressRegistered.addresses).toEqual(["aws_lb_target_group.ingress", "aws_autoscaling_attachment.nodes"]);
  });

  test("sees a counting WAF, an HTTP listener that forwards, no protection and no attached group", () => {
    const broken = awsStack({ override: { count: {} }, attached: false, lb: { lifecycle: {} }, http: { default_action: [{ type: "forward", target_group_arn: "${aws_lb_target_group.ingress.arn}" }] } });
    expect(values(awsEdge(index(broken)))).toMatchObject({ waf: "detection", httpRedirect: false, deletionProtection: false, ingressRegistered: "none" });
    expect(values(awsEdge(index({})))).toEqual(nothing);
    expect([elbPolicyFloor("ELBSecurityPolicy-TLS13-1-3-2021-06"), elbPolicyFloor("ELBSecurityPolicy-TLS-1-1-2017-01"), elbPolicyFloor("ELBSecurityPolicy-2016-08")]).toEqual(["1.3", "1.1", "ELBSecurityPolicy-2016-08"]);
  });
});

const azureStack = (o: { gateway?: Record<string, unknown>; mode?: string; lock?: boolean } = {}) => ({
  azurerm_web_application_firewall_policy: { waf: { policy_settings: { enabled: true, mode: o.mode ?? "Prevention" } } },
  azurerm_log_analytics_workspace: { logs: { retention_in_days: 180 } },
  azurerm_application_gateway: {
    gateway: {
      firewall_policy_id: "${azurerm_web_application_firewall_policy.waf.id}",
      ssl_policy: { policy_type: "Predefined", policy_name: "AppGwSslPolicy20220101S" },
      http_listener: [{ name: "https", protocol: "Https" }, { name: "http", protocol: "Http" }],
      redirect_configuration: [{ name: "to-https", target_listener_name: "https" }],
      request_routing_rule: [{ name: "https", http_listener_name: "https" }, { name: "to-https", http_listener_name: "http", redirect_configuration_name: "to-https" }],
      backend_address_pool: [{ name: "ingress" }],
      backend_http_settings: [{ name: "ingress", port: 30443 }],
      ...protect,
      ...o.gateway,
    },
  },
  ...(o.lock === false ? {} : { azurerm_management_lock: { lock: { scope: "${azurerm_application_gateway.gateway.id}", lock_level: "CanNotDelete" } } }),
  azurerm_monitor_diagnostic_setting: { logs: { target_resource_id: "${azurerm_application_gateway.gateway.id}", log_analytics_workspace_id: "${azurerm_log_analytics_workspace.logs.id}" } },
});

describe("Azure edge extractor", () => {
  test("reads the gateway's TLS policy floor, redirect, WAF policy mode, lock, workspace retention and backend port; an empty pool is not registered", () => {
    expect(values(azureEdge(index(azureStack())))).toEqual({ tlsFloor: "1.2", httpRedirect: true, waf: "prevention", deletionProtection: true, logRetentionDays: 180, backendPort: 30443, ingressRegistered: "none" });
  });

  test("sees detection, no lock, a plain listener that forwards, and addresses in the pool", () => {
    const broken = azureStack({
      mode: "Detection",
      lock: false,
      gateway: { request_routing_rule: [{ name: "https", http_listener_name: "https" }, { name: "plain", http_listener_name: "http" }], backend_address_pool: [{ name: "ingress", ip_addresses: ["10.0.0.4"] }] },
    });
    expect(values(azureEdge(index(broken)))).toMatchObject({ waf: "detection", deletionProtection: false, httpRedirect: false, ingressRegistered: "attached" });
    expect(values(azureEdge(index({})))).toEqual(nothing);
    expect([azureSslFloor(undefined), azureSslFloor({ policy_type: "CustomV2", min_protocol_version: "TLSv1_3" }), azureSslFloor({ policy_type: "Predefined", policy_name: "AppGwSslPolicy20170401" })]).toEqual(["1.0", "1.3", "1.1"]);
  });
});

const gcpStack = (o: { preview?: boolean; named?: boolean; address?: Record<string, unknown> } = {}) => ({
  google_compute_global_address: { address: { ...protect, ...o.address } },
  google_compute_ssl_policy: { tls: { min_tls_version: "TLS_1_2", profile: "RESTRICTED" } },
  google_compute_security_policy: {
    armor: {
      rule: [
        { action: "deny(403)", preview: o.preview ?? false, match: { expr: { expression: "evaluatePreconfiguredWaf('sqli-v33-stable', {'sensitivity': 1})" } } },
        { action: "allow", match: { versioned_expr: "SRC_IPS_V1" } },
      ],
    },
  },
  google_compute_backend_service: { backend: { port_name: "ingress", security_policy: "${google_compute_security_policy.armor.id}", backend: [{ group: "${element(pool.urls, 0)}" }, { group: "${element(pool.urls, 1)}" }] } },
  ...(o.named === false ? {} : { google_compute_instance_group_named_port: { a: { group: "${element(pool.urls, 0)}", name: "ingress", port: 30443 }, b: { group: "${element(pool.urls, 1)}", name: "ingress", port: 30443 } } }),
  google_compute_url_map: { https: { default_service: "${google_compute_backend_service.backend.id}" }, redirect: { default_url_redirect: { https_redirect: true } } },
  google_compute_target_https_proxy: { https: { url_map: "${google_compute_url_map.https.id}", ssl_policy: "${google_compute_ssl_policy.tls.id}" } },
  google_compute_target_http_proxy: { http: { url_map: "${google_compute_url_map.redirect.id}" } },
  google_compute_global_forwarding_rule: {
    https: { load_balancing_scheme: "EXTERNAL_MANAGED", port_range: "443", ip_address: "${google_compute_global_address.address.id}", target: "${google_compute_target_https_proxy.https.id}" },
    http: { load_balancing_scheme: "EXTERNAL_MANAGED", port_range: "80", ip_address: "${google_compute_global_address.address.id}", target: "${google_compute_target_http_proxy.http.id}" },
  },
});

describe("Google Cloud edge extractor", () => {
  test("follows the forwarding rules to the SSL policy, the redirect map, Cloud Armor, and the named port every backend group carries", () => {
    const profile = gcpEdge(index(gcpStack()));
    expect(values(profile)).toEqual({ tlsFloor: "1.2", httpRedirect: true, waf: "prevention", deletionProtection: true, logRetentionDays: "platform default", backendPort: 30443, ingressRegistered: "attached" });
    expect(profile.backendPort.addresses).toEqual(["google_compute_instance_group_named_port.a", "google_compute_instance_group_named_port.b"]);
  });

  test("sees WAF rules in preview, groups without the named port, and an unprotected address", () => {
    expect(values(gcpEdge(index(gcpStack({ preview: true, named: false, address: { lifecycle: {} } }))))).toMatchObject({ waf: "detection", backendPort: "no named port", deletionProtection: false });
    expect(values(gcpEdge(index({})))).toEqual(nothing);
  });
});

const ociStack = (o: { action?: string; lb?: Record<string, unknown>; redirect?: string } = {}) => ({
  oci_load_balancer_load_balancer: { lb: { is_private: false, is_delete_protection_enabled: true, ...protect, ...o.lb } },
  oci_load_balancer_backend_set: { ingress: { load_balancer_id: "${oci_load_balancer_load_balancer.lb.id}", name: "ingress", health_checker: { port: 30443, protocol: "TCP" } } },
  oci_load_balancer_rule_set: { redirect: { load_balancer_id: "${oci_load_balancer_load_balancer.lb.id}", items: [{ action: "REDIRECT", redirect_uri: { protocol: o.redirect ?? "HTTPS" } }] } },
  oci_load_balancer_listener: {
    https: { load_balancer_id: "${oci_load_balancer_load_balancer.lb.id}", port: 443, ssl_configuration: { protocols: ["TLSv1.3", "TLSv1.2"] } },
    http: { load_balancer_id: "${oci_load_balancer_load_balancer.lb.id}", port: 80, rule_set_names: ["${oci_load_balancer_rule_set.redirect.name}"] },
  },
  oci_waf_web_app_firewall_policy: {
    policy: {
      actions: [{ name: "block", type: "RETURN_HTTP_RESPONSE" }, { name: "log-only", type: "CHECK" }],
      request_protection: { rules: [{ type: "PROTECTION", action_name: o.action ?? "block" }] },
    },
  },
  oci_waf_web_app_firewall: { waf: { load_balancer_id: "${oci_load_balancer_load_balancer.lb.id}", web_app_firewall_policy_id: "${oci_waf_web_app_firewall_policy.policy.id}" } },
  oci_logging_log: { access: { retention_duration: 180, configuration: { source: { resource: "${oci_load_balancer_load_balancer.lb.id}" } } } },
});

describe("Oracle Cloud edge extractor", () => {
  test("reads the HTTPS listener's lowest protocol, the redirect rule set, the WAF policy's action, protection, log retention and the backend set", () => {
    expect(values(ociEdge(index(ociStack())))).toEqual({ tlsFloor: "1.2", httpRedirect: true, waf: "prevention", deletionProtection: true, logRetentionDays: 180, backendPort: 30443, ingressRegistered: "none" });
  });

  test("sees a log-only WAF, a redirect to HTTP, delete protection off, and registered backends", () => {
    const broken = { ...ociStack({ action: "log-only", redirect: "HTTP", lb: { is_delete_protection_enabled: false } }), oci_load_balancer_backend: { node: { backendset_name: "${oci_load_balancer_backend_set.ingress.name}" } } };
    expect(values(ociEdge(index(broken)))).toMatchObject({ waf: "detection", httpRedirect: false, deletionProtection: false, ingressRegistered: "attached" });
    expect(values(ociEdge(index({})))).toEqual(nothing);
  });
});

const ibmStack = (o: { lb?: Record<string, unknown>; redirect?: boolean } = {}) => ({
  ibm_is_lb: { lb: { type: "public", logging: true, ...protect, ...o.lb } },
  ibm_is_lb_pool: { pool: { lb: "${ibm_is_lb.lb.id}", health_monitor_port: 30443 } },
  ibm_is_lb_listener: {
    https: { lb: "${ibm_is_lb.lb.id}", protocol: "https", default_pool: "${ibm_is_lb_pool.pool.pool_id}" },
    http: { lb: "${ibm_is_lb.lb.id}", protocol: "http", ...(o.redirect === false ? {} : { https_redirect: { http_status_code: 301, listener: { id: "${ibm_is_lb_listener.https.listener_id}" } } }) },
  },
});

describe("IBM Cloud edge extractor", () => {
  test("reads the redirect listener, protection and the pool's port; no TLS setting, no WAF, the platform's log retention", () => {
    expect(values(ibmEdge(index(ibmStack())))).toEqual({ tlsFloor: "provider default", httpRedirect: true, waf: "none", deletionProtection: true, logRetentionDays: "platform default", backendPort: 30443, ingressRegistered: "none" });
  });

  test("sees an HTTP listener without redirect, logging off, no prevent_destroy, and pool members", () => {
    const broken = { ...ibmStack({ redirect: false, lb: { logging: false, lifecycle: {} } }), ibm_is_lb_pool_member: { node: { pool: "${ibm_is_lb_pool.pool.pool_id}" } } };
    expect(values(ibmEdge(index(broken)))).toMatchObject({ httpRedirect: false, logRetentionDays: "none", deletionProtection: false, ingressRegistered: "attached" });
    expect(values(ibmEdge(index({})))).toEqual(nothing);
  });
});
