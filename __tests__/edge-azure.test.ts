import { backendHostName } from "../modules/edge/azure";
import { edgeOf, ref } from "./support/edge";
import { environments, synthStack } from "./support/synth";

describe("Azure edge", () => {
  const prod = synthStack("azure", "prod");
  const dev = synthStack("azure", "dev");
  const edge = edgeOf(prod.tf);
  const gateway = edge("azurerm_application_gateway", "gateway");

  test("is a zone-redundant, autoscaling Application Gateway v2 with WAF in the network's first public subnet", () => {
    expect(gateway).toMatchObject({
      name: "siros-prod-edge",
      sku: { name: "WAF_v2", tier: "WAF_v2" },
      zones: ["1", "2", "3"],
      autoscale_configuration: { min_capacity: 2, max_capacity: 10 },
      firewall_policy_id: ref(edge, "azurerm_web_application_firewall_policy", "waf-policy"),
      force_firewall_policy_association: true,
      lifecycle: { prevent_destroy: true },
    });
    expect(gateway.gateway_ip_configuration).toEqual([{ name: "gateway", subnet_id: expect.stringMatching(/^\$\{azurerm_subnet\.network_public-subnet-0_[0-9A-F]+\.id\}$/) }]);
    expect(edgeOf(dev.tf)("azurerm_application_gateway", "gateway").zones).toEqual(["1", "2"]);
  });

  test("a modern predefined TLS policy, an HTTPS listener with the Key Vault certificate, and HTTP only redirecting", () => {
    expect(gateway.ssl_policy).toEqual({ policy_type: "Predefined", policy_name: "AppGwSslPolicy20220101S" });
    expect(gateway.ssl_certificate).toEqual([{ name: "edge", key_vault_secret_id: expect.stringMatching(/^\$\{var\.edge_edge_certificate_[0-9A-F]+\}$/) }]);
    expect(gateway.http_listener.map((l: any) => [l.name, l.frontend_port_name, l.protocol, l.ssl_certificate_name])).toEqual([
      ["https", "https", "Https", "edge"],
      ["http", "http", "Http", undefined],
    ]);
    expect(gateway.frontend_port).toEqual([{ name: "https", port: 443 }, { name: "http", port: 80 }]);
    expect(gateway.redirect_configuration).toEqual([{ name: "http-to-https", redirect_type: "Permanent", target_listener_name: "https", include_path: true, include_query_string: true }]);
    expect(gateway.request_routing_rule).toEqual([
      { name: "https", rule_type: "Basic", priority: 100, http_listener_name: "https", backend_address_pool_name: "ingress", backend_http_settings_name: "ingress" },
      { name: "http-to-https", rule_type: "Basic", priority: 200, http_listener_name: "http", redirect_configuration_name: "http-to-https" },
    ]);
  });

  test("reads the certificate through its own identity, which may read only the certificate's own secret", () => {
    expect(gateway.identity).toEqual({ type: "UserAssigned", identity_ids: [ref(edge, "azurerm_user_assigned_identity", "identity")] });
    const certificate = gateway.ssl_certificate[0].key_vault_secret_id.slice(2, -1);
    // Fails if the grant covers the whole vault (where the database's credentials live too).
    expect(edge("azurerm_role_assignment", "identity-reads-certificate")).toMatchObject({
      role_definition_name: "Key Vault Secrets User",
      principal_id: ref(edge, "azurerm_user_assigned_identity", "identity", "principal_id"),
      principal_type: "ServicePrincipal",
      scope: expect.stringMatching(new RegExp(`^\\$\\{azurerm_key_vault\\.keys_vault_[0-9A-F]+\\.id\\}/secrets/\\$\\{element\\(split\\("/", ${certificate.replace(/[.]/g, "\\.")}\\), 4\\)\\}$`)),
    });
    expect(prod.tf.output.edge_identity.value).toBe(ref(edge, "azurerm_user_assigned_identity", "identity", "principal_id"));
  });

  test("reaches the private vault through a private endpoint in the network, whose name resolves through Key Vault's private DNS zone", () => {
    const vault = expect.stringMatching(/^\$\{azurerm_key_vault\.keys_vault_[0-9A-F]+\.id\}$/);
    const network = expect.stringMatching(/^\$\{azurerm_virtual_network\.network_virtual-network_[0-9A-F]+\.id\}$/);
    expect(edge("azurerm_private_dns_zone", "vault-dns-zone")).toMatchObject({ name: "privatelink.vaultcore.azure.net" });
    expect(edge("azurerm_private_dns_zone_virtual_network_link", "vault-dns-link")).toMatchObject({
      private_dns_zone_name: ref(edge, "azurerm_private_dns_zone", "vault-dns-zone", "name"),
      virtual_network_id: network,
      registration_enabled: false,
    });
    const endpoint = edge("azurerm_private_endpoint", "vault-endpoint");
    expect(endpoint).toMatchObject({
      name: "siros-prod-edge-vault",
      subnet_id: expect.stringMatching(/^\$\{azurerm_subnet\.network_private-subnet-0_[0-9A-F]+\.id\}$/),
      private_service_connection: { name: "siros-prod-edge-vault", private_connection_resource_id: vault, subresource_names: ["vault"], is_manual_connection: false },
      private_dns_zone_group: { name: "vault", private_dns_zone_ids: [ref(edge, "azurerm_private_dns_zone", "vault-dns-zone")] },
    });
    // Fails if the gateway may start before it can reach (and is allowed to read) its certificate.
    expect(gateway.depends_on).toEqual(
      expect.arrayContaining([`azurerm_role_assignment.${edge.key("azurerm_role_assignment", "identity-reads-certificate")}`, `azurerm_private_endpoint.${edge.key("azurerm_private_endpoint", "vault-endpoint")}`]),
    );
  });

  test("the WAF policy runs OWASP 3.2 and bot rules, preventing in prod and detecting in dev", () => {
    const policy = (tf: typeof prod.tf) => edgeOf(tf)("azurerm_web_application_firewall_policy", "waf-policy");
    expect(policy(prod.tf)).toMatchObject({
      name: "sirosprodedge",
      policy_settings: { enabled: true, mode: "Prevention", request_body_check: true },
      managed_rules: { managed_rule_set: [{ type: "OWASP", version: "3.2" }, { type: "Microsoft_BotManagerRuleSet", version: "1.0" }] },
    });
    expect(policy(dev.tf).policy_settings.mode).toBe("Detection");
  });

  test("forwards only to the cluster's ingress port, health-checked over HTTPS", () => {
    expect(gateway.backend_address_pool).toEqual([{ name: "ingress" }]);
    expect(gateway.backend_http_settings).toEqual([
      { name: "ingress", port: 30443, protocol: "Https", cookie_based_affinity: "Disabled", request_timeout: 30, probe_name: "ingress" },
    ]);
    expect(gateway.probe[0]).toMatchObject({ protocol: "Https", path: "/healthz", match: { status_code: ["200-399"] } });
  });

  test("with domains, the backend and its probe send the first named host, whose name the ingress's certificate is checked against", () => {
    // Fails if the gateway sends the node's IP address: Application Gateway v2 checks the backend certificate's name.
    const named = edgeOf(synthStack("azure", { ...environments.prod, edge: { ...environments.prod.edge, domains: ["*.example.com", "app.example.com"] } }).tf)("azurerm_application_gateway", "gateway");
    expect(named.backend_http_settings[0].host_name).toBe("app.example.com");
    expect(named.probe[0]).toMatchObject({ pick_host_name_from_backend_http_settings: true });
    expect(named.probe[0].host).toBeUndefined();
    expect(gateway.probe[0]).toMatchObject({ host: "localhost" });
    expect(gateway.backend_http_settings[0].host_name).toBeUndefined();
    expect([backendHostName(["*.example.com"]), backendHostName([])]).toEqual([undefined, undefined]);
  });

  test("access and firewall logs go to a workspace kept for the retention; prod has a delete lock, dev none", () => {
    expect(edge("azurerm_log_analytics_workspace", "logs")).toMatchObject({ retention_in_days: 180, local_authentication_enabled: false });
    expect(edgeOf(dev.tf)("azurerm_log_analytics_workspace", "logs").retention_in_days).toBe(30);
    expect(edge("azurerm_monitor_diagnostic_setting", "gateway-logs")).toMatchObject({
      target_resource_id: ref(edge, "azurerm_application_gateway", "gateway"),
      enabled_log: [{ category: "ApplicationGatewayAccessLog" }, { category: "ApplicationGatewayFirewallLog" }],
    });
    expect(edge("azurerm_management_lock", "delete-lock")).toMatchObject({ lock_level: "CanNotDelete", scope: ref(edge, "azurerm_application_gateway", "gateway") });
    expect(Object.keys(dev.tf.resource.azurerm_management_lock ?? {}).filter((k) => k.startsWith("edge_"))).toEqual([]);
  });

  test("the public subnets admit Azure's GatewayManager ports, which Application Gateway v2 requires", () => {
    const nsg = Object.values(prod.tf.resource.azurerm_network_security_group).find((g: any) => g.name === "siros-prod-public") as any;
    expect(nsg.security_rule).toContainEqual(expect.objectContaining({ name: "allow-gateway-manager", source_address_prefix: "GatewayManager", destination_port_range: "65200-65535", access: "Allow" }));
  });
});
