/** Google Cloud edge profile: forwarding rules, proxies, URL maps, the backend service and Cloud Armor. */
import type { Block, StackIndex } from "../../../policy/terraform-json";
import type { Profile } from "../../model";
import { agreed, numberOr, observe } from "../shared";
import { ATTACHED, type EdgeReadings, listOf, NO_WAF, NOT_ATTACHED, PLATFORM_LOGS, preventsDestroy, tlsVersionOf, wafModeOf } from "./shared";

export function gcpEdge(stack: StackIndex): Profile {
  const rules = stack.ofType("google_compute_global_forwarding_rule").filter((r) => r.values.load_balancing_scheme === "EXTERNAL_MANAGED");
  const target = (port: string, type: string) => {
    const rule = rules.find((r) => String(r.values.port_range) === port);
    return rule ? stack.referencedBy(rule, "target", type) : undefined;
  };
  const httpsProxy = target("443", "google_compute_target_https_proxy");
  const httpProxy = target("80", "google_compute_target_http_proxy");
  const sslPolicy = httpsProxy ? stack.referencedBy(httpsProxy, "ssl_policy", "google_compute_ssl_policy") : undefined;
  const redirectMap = httpProxy ? stack.referencedBy(httpProxy, "url_map", "google_compute_url_map") : undefined;
  const redirect = redirectMap?.values.default_url_redirect as { https_redirect?: boolean } | undefined;
  const httpsMap = httpsProxy ? stack.referencedBy(httpsProxy, "url_map", "google_compute_url_map") : undefined;
  const backend = httpsMap ? stack.referencedBy(httpsMap, "default_service", "google_compute_backend_service") : undefined;
  const armor = backend ? stack.referencedBy(backend, "security_policy", "google_compute_security_policy") : undefined;
  // The WAF rules are the preconfigured-WAF expressions that deny; preview only logs.
  const wafRules = listOf<{ action?: string; preview?: boolean; match?: { expr?: { expression?: string } } }>(armor?.values.rule).filter(
    (r) => String(r.action).startsWith("deny") && /evaluatePreconfiguredWaf|evaluatePreconfiguredExpr/.test(String(r.match?.expr?.expression)),
  );
  const address = rules.map((r) => (typeof r.values.ip_address === "string" ? stack.resolve(r.values.ip_address) : undefined)).find((b): b is Block => b !== undefined);
  const groups = listOf<{ group?: string }>(backend?.values.backend).map((b) => b.group);
  // The backend service reaches each group through its named port: the port is the one the groups name.
  const namedPorts = stack.ofType("google_compute_instance_group_named_port").filter((p) => backend !== undefined && p.values.name === backend.values.port_name && groups.includes(p.values.group as string));
  const named = groups.length > 0 && groups.every((g) => namedPorts.some((p) => p.values.group === g));
  const readings: EdgeReadings = {
    tlsFloor: observe(httpsProxy ? (sslPolicy ? tlsVersionOf(sslPolicy.values.min_tls_version) : "1.0") : null, [sslPolicy ?? httpsProxy]),
    httpRedirect: observe(httpProxy ? redirect?.https_redirect === true && redirectMap?.values.default_service === undefined : null, [redirectMap]),
    waf: observe(backend ? (armor ? wafModeOf(wafRules.map((r) => r.preview !== true)) : NO_WAF) : null, [armor]),
    deletionProtection: observe(address ? preventsDestroy(address) : null, [address]),
    // Request logs go to the project's _Default bucket: no retention of the edge's own.
    logRetentionDays: observe(backend ? PLATFORM_LOGS : null, [backend]),
    backendPort: observe(named ? agreed(namedPorts.map((p) => numberOr(p.values.port))) : backend ? "no named port" : null, namedPorts),
    ingressRegistered: observe(backend ? (groups.length > 0 ? ATTACHED : NOT_ATTACHED) : null, [backend]),
  };
  return { ...readings };
}
