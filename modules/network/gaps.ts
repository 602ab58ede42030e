/**
 * Where a cloud's network cannot show what the contract describes in the same terms as the
 * others, at the pinned provider versions: declared here, in one place, with the reason and
 * the nearest alternative. The parity report marks these as gaps, not drift.
 */
export type NetworkCloud = "aws" | "azure" | "gcp" | "oci" | "ibm";

export interface NetworkGap {
  readonly cloud: NetworkCloud;
  /** What the contract describes that this cloud does differently. */
  readonly what: string;
  readonly reason: string;
  readonly alternative: string;
}

export const NETWORK_GAPS = {
  gcpRegionalSubnets: {
    cloud: "gcp",
    what: "a subnet per zone",
    reason: "Google subnetworks are regional: one subnetwork spans every zone of the region",
    alternative: "instances and node pools choose their zones; the regional subnetwork serves them all",
  },
  ociRegionalSubnets: {
    cloud: "oci",
    what: "a subnet per zone",
    reason: "the network uses regional OCI subnets, which span every availability domain of the region",
    alternative: "instances choose their availability domain; the regional subnet serves them all",
  },
  ociRegionalNat: {
    cloud: "oci",
    what: "natStrategy (a NAT per zone, or one)",
    reason: "an OCI NAT gateway is a regional, highly available service and a VCN has one",
    alternative: "nothing to do: the one gateway serves every availability domain",
  },
  ibmZonalGateways: {
    cloud: "ibm",
    what: "natStrategy single",
    reason: "an IBM public gateway serves only the subnets of its own zone",
    alternative: "one public gateway per zone, whatever the strategy",
  },
  gcpInstancePublicIps: {
    cloud: "gcp",
    what: "private subnets that refuse public addresses",
    reason: "a Google subnetwork has no setting for it: external addresses are given per instance",
    alternative: "the organization policy constraints/compute.vmExternalIpAccess, or instance templates without access_config",
  },
  ibmInstancePublicIps: {
    cloud: "ibm",
    what: "private subnets that refuse public addresses",
    reason: "an IBM VPC subnet has no setting for it: floating IPs are bound per instance",
    alternative: "IAM that withholds floating IP creation in the environment's resource group",
  },
} as const satisfies Record<string, NetworkGap>;

export type NetworkGapId = keyof typeof NETWORK_GAPS;
