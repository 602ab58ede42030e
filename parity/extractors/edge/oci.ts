/** Oracle Cloud edge profile: the load balancer, its listeners, redirect rule set, WAF and logs. */
import type { StackIndex } from "../../../policy/terraform-json";
import type { Profile } from "../../model";
import { agreed, numberOr, observe } from "../shared";
import { type EdgeReadings, listOf, lowestTls, NO_WAF, preventsDestroy, registration, wafModeOf } from "./shared";

type Item = { action?: string; redirect_uri?: { protocol?: string } };

export function ociEdge(stack: StackIndex): Profile {
  const lb = stack.ofType("oci_load_balancer_load_balancer").find((b) => b.values.is_private === false);
  const listeners = lb ? stack.referencing(lb, "oci_load_balancer_listener") : [];
  const https = listeners.find((l) => l.values.ssl_configuration !== undefined);
  const http = listeners.find((l) => l.values.ssl_configuration === undefined);
  const ruleSets = http ? listOf<string>(http.values.rule_set_names).map((n) => stack.resolve(n)) : [];
  const items = ruleSets.flatMap((r) => listOf<Item>(r?.values.items));
  const firewall = lb ? stack.referencing(lb, "oci_waf_web_app_firewall")[0] : undefined;
  const policy = firewall ? stack.referencedBy(firewall, "web_app_firewall_policy_id", "oci_waf_web_app_firewall_policy") : undefined;
  const actions = listOf<{ name?: string; type?: string }>(policy?.values.actions);
  const protection = listOf<{ type?: string; action_name?: string }>((policy?.values.request_protection as { rules?: unknown } | undefined)?.rules).filter((r) => r.type === "PROTECTION");
  const blocks = protection.map((r) => actions.find((a) => a.name === r.action_name)?.type === "RETURN_HTTP_RESPONSE");
  const logs = lb ? stack.referencing(lb, "oci_logging_log") : [];
  const backendSet = lb ? stack.referencing(lb, "oci_load_balancer_backend_set")[0] : undefined;
  const ssl = https?.values.ssl_configuration as { protocols?: unknown[] } | undefined;
  const readings: EdgeReadings = {
    tlsFloor: observe(https ? lowestTls(ssl?.protocols ?? []) : null, [https]),
    httpRedirect: observe(http ? items.length > 0 && items.every((i) => i.action === "REDIRECT" && i.redirect_uri?.protocol === "HTTPS") : null, [http, ...ruleSets]),
    waf: observe(lb ? (policy ? wafModeOf(blocks) : NO_WAF) : null, [firewall, policy]),
    deletionProtection: observe(lb ? lb.values.is_delete_protection_enabled === true && preventsDestroy(lb) : null, [lb]),
    logRetentionDays: observe(lb ? (logs.length ? agreed(logs.map((l) => numberOr(l.values.retention_duration))) : "none") : null, logs),
    backendPort: observe(numberOr((backendSet?.values.health_checker as { port?: number } | undefined)?.port), [backendSet]),
    ingressRegistered: registration(stack, backendSet, "oci_load_balancer_backend"),
  };
  return { ...readings };
}
