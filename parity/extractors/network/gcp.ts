/** Google Cloud network profile: subnetworks, Cloud NAT, firewall, flow-log bucket. */
import type { StackIndex } from "../../../policy/terraform-json";
import type { Profile } from "../../model";
import { agreed, encryptionOf, ingressList, numberOr, observe } from "../shared";

interface FirewallEntry {
  readonly protocol?: string;
  readonly ports?: readonly string[];
}

export function gcpNetwork(stack: StackIndex): Profile {
  const subnetworks = stack.ofType("google_compute_subnetwork");
  const nats = stack.ofType("google_compute_router_nat");
  const nat = nats[0];
  const addresses = (nat?.values.nat_ips as string[] | undefined) ?? [];
  const sinks = stack.ofType("google_logging_project_sink").filter((s) => String(s.values.filter ?? "").includes("vpc_flows"));
  const buckets = sinks.map((s) => stack.referencedBy(s, "destination", "google_logging_project_bucket_config"));
  const firewalls = stack.ofType("google_compute_firewall").filter((f) => f.values.direction === "INGRESS" && ((f.values.source_ranges as string[] | undefined) ?? []).includes("0.0.0.0/0"));
  const allowing = firewalls.filter((f) => f.values.allow);
  const flows = allowing.flatMap((f) => (f.values.allow as FirewallEntry[]).flatMap((a) => (a.ports?.length ? a.ports.map((p) => `${a.protocol}/${p}`) : [`${a.protocol}/all`])));
  const denyAll = firewalls.filter((f) => ((f.values.deny as FirewallEntry[] | undefined) ?? []).some((d) => d.protocol === "all"));
  return {
    // Subnetworks are regional: Google has no zone count to show (a declared gap).
    zones: observe(subnetworks.length ? "regional" : null, subnetworks),
    // Cloud NAT is regional: one reserved address per zone, or one allocated automatically.
    nat: observe(!nat ? "none" : nat.values.nat_ip_allocate_option === "AUTO_ONLY" ? "single" : addresses.length > 1 ? "per-zone" : "single", [nat, ...addresses.map((a) => stack.resolve(a))]),
    flowLogs: observe(subnetworks.length > 0 && subnetworks.every((s) => (s.values.log_config as { flow_sampling?: number } | undefined)?.flow_sampling === 1), subnetworks),
    flowLogRetentionDays: observe(agreed(buckets.map((b) => numberOr(b?.values.retention_days))), [...sinks, ...buckets]),
    flowLogsEncrypted: observe(agreed(buckets.map((b) => (b ? encryptionOf(stack, stack.referencedBy(b, "cmek_settings.kms_key_name", "google_kms_crypto_key")) : null))), buckets),
    // Public addresses are per instance on Google: no subnetwork setting to show (a declared gap).
    privateNoPublicIp: observe("per instance", []),
    publicIngress: observe(ingressList(flows), allowing),
    defaultDeny: observe(denyAll.length > 0, denyAll),
  };
}
