import { cidrSubnet } from "../../lib/cidr";
import { MAX_ZONES } from "../../lib/zones";

/**
 * How every network module divides its range, whatever the cloud, so the same
 * environment CIDR yields the same tiers everywhere:
 *
 *   first half   private tier: one block of 1/8 per zone (up to 4 zones)
 *   from 1/2     public tier: one block of 1/64 per zone
 *
 * Clouds whose subnets are regional (GCP, OCI) use the regional plan instead: a
 * private quarter, a quarter for Kubernetes pods, and 1/16 blocks for the public
 * tier and for Kubernetes services. Both plans stay inside the environment CIDR,
 * so ranges that validation proved disjoint stay disjoint after carving.
 */

export interface ZonalSubnetPlan {
  readonly public: string[];
  readonly private: string[];
}

export function zonalSubnetPlan(cidr: string, zones: number): ZonalSubnetPlan {
  if (!Number.isInteger(zones) || zones < 1 || zones > MAX_ZONES) {
    throw new Error(`zonalSubnetPlan: zones must be 1 to ${MAX_ZONES}, got ${zones}`);
  }
  const indexes = Array.from({ length: zones }, (_, i) => i);
  return {
    private: indexes.map((i) => cidrSubnet(cidr, 3, i)),
    public: indexes.map((i) => cidrSubnet(cidr, 6, 32 + i)),
  };
}

export interface RegionalSubnetPlan {
  readonly public: string;
  readonly private: string;
  readonly pods: string;
  readonly services: string;
}

export function regionalSubnetPlan(cidr: string): RegionalSubnetPlan {
  return {
    private: cidrSubnet(cidr, 2, 0),
    pods: cidrSubnet(cidr, 2, 1),
    public: cidrSubnet(cidr, 4, 8),
    services: cidrSubnet(cidr, 4, 9),
  };
}
