/** What every cloud's edge extractor reads the same way. */
import type { Block, StackIndex } from "../../../policy/terraform-json";
import type { Observation, Value } from "../../model";
import { observe } from "../shared";
import { preventsDestroy } from "../keys/shared";

export { preventsDestroy };

/** The load balancer's own TLS setting is absent (IBM: the listener negotiates its own floor). */
export const PROVIDER_TLS = "provider default";
/** No web application firewall in front of the load balancer. */
export const NO_WAF = "none";
/** Access logs go to a store whose retention the stack does not set (the platform's). */
export const PLATFORM_LOGS = "platform default";
/** The cluster's ingress is registered as the load balancer's backend by Terraform. */
export const ATTACHED = "attached";
/** Nothing in the stack registers a backend: the cluster has to (a declared gap). */
export const NOT_ATTACHED = "none";

/** The edge's properties every extractor returns, in the registry's order. */
export interface EdgeReadings {
  readonly tlsFloor: Observation;
  readonly httpRedirect: Observation;
  readonly waf: Observation;
  readonly deletionProtection: Observation;
  readonly logRetentionDays: Observation;
  readonly backendPort: Observation;
  readonly ingressRegistered: Observation;
}

/** `1.2` from `TLSv1.2`, `TLSv1_2`, `TLS_1_2`. */
export function tlsVersionOf(text: unknown): Value {
  const match = /^TLS(?:v|_)?1[._](\d)$/i.exec(String(text ?? ""));
  return match ? `1.${match[1]}` : text === undefined || text === null ? null : String(text);
}

/** The lowest of several TLS protocol names, as `1.x`. */
export function lowestTls(protocols: readonly unknown[]): Value {
  const versions = protocols.map(tlsVersionOf).filter((v): v is string => typeof v === "string" && /^1\.\d$/.test(v));
  return versions.length ? [...versions].sort()[0] : null;
}

/** `prevention` when every rule blocks, `detection` when every rule only logs, else what was seen. */
export function wafModeOf(blocking: readonly boolean[]): Value {
  if (blocking.length === 0) return NO_WAF;
  if (blocking.every(Boolean)) return "prevention";
  if (!blocking.some(Boolean)) return "detection";
  return "mixed: prevention, detection";
}

/** The blocks of `type` that refer to `target` (an attachment, a member) — "attached" when there is one. */
export function registration(stack: StackIndex, target: Block | undefined, type: string): Observation {
  if (!target) return observe(null);
  const found = stack.referencing(target, type);
  return observe(found.length ? ATTACHED : NOT_ATTACHED, [target, ...found]);
}

/** A list-or-object block attribute as a list (cdktf writes single nested blocks as objects). */
export const listOf = <T>(value: unknown): T[] => (Array.isArray(value) ? (value as T[]) : value === undefined || value === null ? [] : [value as T]);
