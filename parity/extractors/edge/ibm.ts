/** IBM Cloud edge profile: the VPC load balancer, its listeners and pool. No WAF, no TLS setting. */
import type { StackIndex } from "../../../policy/terraform-json";
import type { Profile } from "../../model";
import { numberOr, observe } from "../shared";
import { type EdgeReadings, NO_WAF, PLATFORM_LOGS, preventsDestroy, PROVIDER_TLS, registration } from "./shared";

export function ibmEdge(stack: StackIndex): Profile {
  const lb = stack.ofType("ibm_is_lb").find((b) => b.values.type === "public");
  const listeners = lb ? stack.referencing(lb, "ibm_is_lb_listener") : [];
  const https = listeners.find((l) => l.values.protocol === "https");
  const http = listeners.find((l) => l.values.protocol === "http");
  const redirect = http?.values.https_redirect as { listener?: { id?: string } } | undefined;
  const redirectTarget = typeof redirect?.listener?.id === "string" ? stack.resolve(redirect.listener.id) : undefined;
  const pool = typeof https?.values.default_pool === "string" ? stack.resolve(https.values.default_pool) : undefined;
  const readings: EdgeReadings = {
    // ibm_is_lb_listener has no TLS protocol setting at 2.5.0.
    tlsFloor: observe(https ? PROVIDER_TLS : null, [https]),
    httpRedirect: observe(http ? redirectTarget !== undefined && redirectTarget === https : null, [http]),
    // No WAF on IBM's VPC load balancers.
    waf: observe(lb ? NO_WAF : null, [lb]),
    deletionProtection: observe(lb ? preventsDestroy(lb) : null, [lb]),
    // Datapath logs go to the account's logging instance, whose plan sets the retention.
    logRetentionDays: observe(lb ? (lb.values.logging === true ? PLATFORM_LOGS : "none") : null, [lb]),
    backendPort: observe(numberOr(pool?.values.health_monitor_port), [pool]),
    ingressRegistered: registration(stack, pool, "ibm_is_lb_pool_member"),
  };
  return { ...readings };
}
