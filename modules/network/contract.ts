import type { IConstruct } from "constructs";
import type { IngressRule, NatStrategy } from "../../lib/network-types";
import type { MetricScope } from "../shared/monitoring";

/**
 * The network every cloud provides: one private range split into a public and a private
 * tier across zones, egress through NAT, flow logs kept, and nothing reachable from
 * outside but the declared public ingress. Each cloud implements this contract once.
 */
export interface NetworkProps {
  /** Prefix of every resource name, e.g. `siros-prod`. */
  readonly name: string;
  /** Region (Azure: location) the network lives in. */
  readonly region: string;
  /** The network's range; subnets are carved from it by the shared subnet plan. */
  readonly cidr: string;
  /** Zones to spread subnets (and, per zone, NAT) across. */
  readonly zones: number;
  /**
   * `per-zone` keeps egress up when a zone fails; `single` shares one NAT to save cost.
   * @default "per-zone"
   */
  readonly natStrategy?: NatStrategy;
  /** @default - flow logs on, kept 90 days */
  readonly flowLogs?: FlowLogProps;
  /**
   * Inbound flows the public tier accepts from outside the network.
   * @default [] - nothing from outside reaches the network
   */
  readonly publicIngress?: readonly IngressRule[];
  /**
   * Tags (Google: labels) for every taggable resource.
   * @default {}
   */
  readonly tags?: Readonly<Record<string, string>>;
}

export interface FlowLogProps {
  /** @default true */
  readonly enabled?: boolean;
  /** @default 90 */
  readonly retentionDays?: number;
}

/** What later modules and other stacks consume; exported as stack outputs. */
export interface NetworkOutputs {
  readonly networkId: string;
  readonly cidr: string;
  readonly publicSubnetIds: string[];
  readonly privateSubnetIds: string[];
  /**
   * How the cloud's monitoring service addresses this module's resources, one scope per
   * monitored NAT gateway: AWS `{ NatGatewayId }`, Google `{ router_id, gateway_name }`; the observability module alarms on them. Azure, OCI: the resource id
   * (`{ resourceId }`); IBM: the CRN (`{ crn }`).
   * @default [] - nothing to alarm on
   */
  readonly metricScopes?: readonly MetricScope[];
}

export interface Network extends IConstruct {
  readonly outputs: NetworkOutputs;
}

export interface ResolvedNetworkProps extends Required<Omit<NetworkProps, "flowLogs">> {
  readonly flowLogs: Required<FlowLogProps>;
}

/** The defaults documented above, applied in one place for every implementation. */
export function resolveNetworkProps(props: NetworkProps): ResolvedNetworkProps {
  return {
    natStrategy: "per-zone",
    publicIngress: [],
    tags: {},
    ...props,
    flowLogs: { enabled: true, retentionDays: 90, ...props.flowLogs },
  };
}

/** How many NAT gateways the strategy needs, and which one serves zone `zone`. */
export function natLayout(props: ResolvedNetworkProps): { count: number; forZone: (zone: number) => number } {
  const count = props.natStrategy === "single" ? 1 : props.zones;
  return { count, forZone: (zone) => Math.min(zone, count - 1) };
}

/** The contract's outputs from what every implementation has: a network and its subnets per tier. */
export function networkOutputs(
  network: { readonly id: string },
  cidr: string,
  subnets: { readonly public: readonly { readonly id: string }[]; readonly private: readonly { readonly id: string }[] },
): NetworkOutputs {
  return {
    networkId: network.id,
    cidr,
    publicSubnetIds: subnets.public.map((s) => s.id),
    privateSubnetIds: subnets.private.map((s) => s.id),
  };
}

export const zoneIndexes = (zones: number): number[] => Array.from({ length: zones }, (_, i) => i);
