/** IBM Cloud network profile: VPC subnets, public gateways, flow log to Object Storage, ACLs, security group. */
import type { StackIndex } from "../../../policy/terraform-json";
import type { Profile } from "../../model";
import { agreed, encryptionOf, ingressList, natStrategy, numberOr, observe, portRange, privateOnes } from "../shared";

interface AclRule {
  readonly action?: string;
  readonly direction?: string;
  readonly source?: string;
  readonly protocol?: string;
}

interface LifecycleRule {
  readonly status?: string;
  readonly expiration?: { days?: number };
}

export function ibmNetwork(stack: StackIndex): Profile {
  const vpc = stack.ofType("ibm_is_vpc")[0];
  const privateSubnets = privateOnes(stack.ofType("ibm_is_subnet"));
  const zones = new Set(privateSubnets.map((s) => String(s.values.zone)));
  const gateways = [...new Set(privateSubnets.map((s) => stack.referencedBy(s, "public_gateway", "ibm_is_public_gateway")).filter((g) => g !== undefined))];
  const flowLogs = stack.ofType("ibm_is_flow_log").filter((f) => vpc && stack.referencedBy(f, "target") === vpc);
  const buckets = flowLogs.map((f) => stack.referencedBy(f, "storage_bucket", "ibm_cos_bucket"));
  const lifecycles = buckets.flatMap((b) => (b ? stack.referencing(b, "ibm_cos_bucket_lifecycle_configuration") : []));
  const expiry = lifecycles.flatMap((l) => ((l.values.lifecycle_rule as LifecycleRule[] | undefined) ?? []).filter((r) => r.status === "enable" && r.expiration?.days !== undefined));
  // The stateful security group decides what reaches an instance; the ACLs' reply rules do not open services.
  const open = stack.ofType("ibm_is_security_group_rule").filter((r) => r.values.direction === "inbound" && r.values.remote === "0.0.0.0/0");
  const acls = stack.ofType("ibm_is_network_acl");
  const denies = (rules: readonly AclRule[]) => rules.some((r) => r.action === "deny" && r.direction === "inbound" && r.source === "0.0.0.0/0" && r.protocol === "any");
  return {
    zones: observe(privateSubnets.length ? zones.size : null, privateSubnets),
    // A public gateway serves only its own zone: one per zone whatever the strategy (a declared gap in dev).
    nat: observe(natStrategy(gateways.length, zones.size), gateways),
    flowLogs: observe(flowLogs.some((f) => f.values.active === true), flowLogs),
    flowLogRetentionDays: observe(agreed(expiry.map((r) => numberOr(r.expiration?.days))), [...buckets, ...lifecycles]),
    flowLogsEncrypted: observe(agreed(buckets.map((b) => (b ? encryptionOf(stack, stack.referencedBy(b, "kms_key_crn", "ibm_kms_key")) : null))), buckets),
    // Public addresses (floating IPs) are per instance on IBM: no subnet setting to show (a declared gap).
    privateNoPublicIp: observe("per instance", []),
    publicIngress: observe(ingressList(open.map((r) => `${r.values.protocol}/${portRange(r.values.port_min, r.values.port_max)}`)), open),
    defaultDeny: observe(vpc?.values.no_sg_acl_rules === true && acls.length > 0 && acls.every((a) => denies((a.values.rules as AclRule[] | undefined) ?? [])), [vpc, ...acls]),
  };
}
