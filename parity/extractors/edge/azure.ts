/** Azure edge profile: the Application Gateway, its WAF policy, delete lock and log workspace. */
import type { StackIndex } from "../../../policy/terraform-json";
import type { Profile, Value } from "../../model";
import { numberOr, observe } from "../shared";
import { ATTACHED, type EdgeReadings, listOf, NO_WAF, NOT_ATTACHED, preventsDestroy, tlsVersionOf } from "./shared";

/** The TLS floor of Application Gateway's predefined policies (Azure's documented table). */
const PREDEFINED_FLOORS: Readonly<Record<string, string>> = {
  AppGwSslPolicy20150501: "1.0",
  AppGwSslPolicy20170401: "1.1",
  AppGwSslPolicy20170401S: "1.2",
  AppGwSslPolicy20220101: "1.2",
  AppGwSslPolicy20220101S: "1.2",
};

type SslPolicy = { policy_type?: string; policy_name?: string; min_protocol_version?: string } | undefined;
type Named = { name?: string };

export function azureSslFloor(policy: SslPolicy): Value {
  if (!policy) return "1.0"; // no ssl_policy: Azure's default policy (AppGwSslPolicy20150501)
  if (policy.policy_type === "Predefined") return PREDEFINED_FLOORS[String(policy.policy_name)] ?? String(policy.policy_name);
  return tlsVersionOf(policy.min_protocol_version);
}

export function azureEdge(stack: StackIndex): Profile {
  const gateway = stack.ofType("azurerm_application_gateway")[0];
  const v = gateway?.values ?? {};
  const listeners = listOf<Named & { protocol?: string }>(v.http_listener);
  const rules = listOf<Named & { http_listener_name?: string; redirect_configuration_name?: string }>(v.request_routing_rule);
  const redirects = listOf<Named & { target_listener_name?: string }>(v.redirect_configuration);
  const isHttps = (name: unknown) => listeners.some((l) => l.name === name && l.protocol === "Https");
  const plain = listeners.filter((l) => l.protocol === "Http");
  const redirectsToHttps = (listener: Named) =>
    rules.filter((r) => r.http_listener_name === listener.name).every((r) => isHttps(redirects.find((c) => c.name === r.redirect_configuration_name)?.target_listener_name)) &&
    rules.some((r) => r.http_listener_name === listener.name);
  const policy = typeof v.firewall_policy_id === "string" ? stack.resolve(v.firewall_policy_id) : undefined;
  const settings = policy?.values.policy_settings as { enabled?: boolean; mode?: string } | undefined;
  const lock = gateway ? stack.referencing(gateway, "azurerm_management_lock").find((l) => l.values.lock_level === "CanNotDelete") : undefined;
  const diagnostics = gateway ? stack.referencing(gateway, "azurerm_monitor_diagnostic_setting")[0] : undefined;
  const workspace = diagnostics ? stack.referencedBy(diagnostics, "log_analytics_workspace_id", "azurerm_log_analytics_workspace") : undefined;
  const settingsPort = listOf<{ port?: number }>(v.backend_http_settings)[0]?.port;
  const pools = listOf<{ ip_addresses?: unknown[]; fqdns?: unknown[] }>(v.backend_address_pool);
  const filled = pools.some((p) => (p.ip_addresses?.length ?? 0) + (p.fqdns?.length ?? 0) > 0);
  const members = gateway ? stack.referencing(gateway, "azurerm_network_interface_application_gateway_backend_address_pool_association") : [];
  const readings: EdgeReadings = {
    tlsFloor: observe(gateway ? azureSslFloor(v.ssl_policy as SslPolicy) : null, [gateway]),
    httpRedirect: observe(gateway ? plain.length > 0 && plain.every(redirectsToHttps) : null, [gateway]),
    waf: observe(gateway ? (settings?.enabled === true ? String(settings.mode).toLowerCase() : NO_WAF) : null, [policy]),
    deletionProtection: observe(gateway ? preventsDestroy(gateway) && lock !== undefined : null, [gateway, lock]),
    logRetentionDays: observe(gateway ? (workspace ? numberOr(workspace.values.retention_in_days) : "none") : null, [diagnostics, workspace]),
    backendPort: observe(numberOr(settingsPort), [gateway]),
    ingressRegistered: observe(gateway ? (filled || members.length > 0 ? ATTACHED : NOT_ATTACHED) : null, [gateway, ...members]),
  };
  return { ...readings };
}
