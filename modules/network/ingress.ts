import type { NetworkProps } from "./contract";

/** One inbound flow of the contract's `publicIngress` (taken from the contract, not from environments). */
type IngressRule = NonNullable<NetworkProps["publicIngress"]>[number];
export type IngressProtocol = IngressRule["protocol"];

/** A declared public ingress flow with what every cloud's rule for it needs besides the flow. */
export interface PublicIngressRule extends IngressRule {
  /** `allow-<protocol>-<port>-<position>`: unique in the list, and valid as a rule name on every cloud. */
  readonly name: string;
  /** Position in the environment's list, for construct ids and rule priorities that stay put. */
  readonly position: number;
}

/**
 * The environment's public ingress, named once for every cloud. Each implementation maps
 * these to its own rule shape; the name and the order are the same everywhere.
 */
export function publicIngressRules(rules: readonly IngressRule[]): PublicIngressRule[] {
  return rules.map((rule, position) => ({ ...rule, name: `allow-${rule.protocol}-${rule.port}-${position}`, position }));
}

/** How a cloud spells the protocols an ingress rule may use, e.g. OCI's protocol numbers. */
export type ProtocolSpelling<T extends string = string> = Readonly<Record<IngressProtocol, T>>;
