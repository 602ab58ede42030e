/**
 * Network vocabulary shared by the environment data (which sets it) and the network
 * module contract (which consumes it). It lives here so that neither has to import the
 * other: modules never import environments/, environments never import module code.
 */

/** One NAT for the whole network (cheap, a single zone's outage cuts egress) or one per zone. */
export type NatStrategy = "single" | "per-zone";

/** An inbound flow the public tier accepts. Nothing else reaches it. */
export interface IngressRule {
  readonly description: string;
  readonly protocol: "tcp" | "udp";
  readonly port: number;
  readonly sourceCidr: string;
}
