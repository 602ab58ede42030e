/** IBM Cloud keys profile: the Key Protect root key, its policies, the Secrets Manager instance. */
import type { StackIndex } from "../../../policy/terraform-json";
import type { Profile } from "../../model";
import { observe } from "../shared";
import { preventsDestroy } from "./shared";

/** IBM rotates by whole months; the environments' periods are multiples of 30 days. */
const DAYS_PER_MONTH = 30;

export function ibmKeys(stack: StackIndex): Profile {
  const key = stack.ofType("ibm_kms_key").find((k) => k.values.standard_key === false);
  const policies = key ? stack.referencing(key, "ibm_kms_key_policies") : [];
  const rotation = policies.flatMap((p) => (p.values.rotation as { enabled?: boolean; interval_month?: number }[] | undefined) ?? []).find((r) => r.enabled);
  const instances = stack.ofType("ibm_resource_instance");
  const keyProtect = instances.find((i) => i.values.service === "kms" && key !== undefined && stack.referencedBy(key, "instance_id") === i);
  const secrets = instances.find((i) => i.values.service === "secrets-manager");
  const network = (instance: typeof secrets) => (instance?.values.parameters as { allowed_network?: string } | undefined)?.allowed_network;
  return {
    customerManagedKey: observe(key !== undefined, [key]),
    rotationDays: observe(key ? (rotation?.interval_month ? rotation.interval_month * DAYS_PER_MONTH : "none") : null, [key, ...policies]),
    // Key Protect keeps root keys in its FIPS 140-2 Level 3 HSMs: there is no software tier.
    protection: observe(key ? "hsm" : null, [key, keyProtect]),
    deletionProtection: observe(preventsDestroy(key) && preventsDestroy(keyProtect), [key, keyProtect]),
    secretStorePrivate: observe(secrets ? network(secrets) === "private-only" && secrets.values.service_endpoints === "private" : null, [secrets]),
  };
}
