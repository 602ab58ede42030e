/** Oracle Cloud keys profile: the vault and its master encryption key. */
import type { StackIndex } from "../../../policy/terraform-json";
import type { Profile } from "../../model";
import { observe } from "../shared";
import { preventsDestroy } from "./shared";

export function ociKeys(stack: StackIndex): Profile {
  const key = stack.ofType("oci_kms_key")[0];
  const vault = key ? stack.referencedBy(key, "management_endpoint", "oci_kms_vault") : undefined;
  const rotation = (key?.values.auto_key_rotation_details as { rotation_interval_in_days?: number } | undefined)?.rotation_interval_in_days;
  return {
    customerManagedKey: observe(key !== undefined, [key]),
    rotationDays: observe(key ? (key.values.is_auto_rotation_enabled === true ? (rotation ?? null) : "none") : null, [key]),
    protection: observe(key ? String(key.values.protection_mode ?? "HSM").toLowerCase() : null, [key]),
    deletionProtection: observe(preventsDestroy(key) && preventsDestroy(vault), [key, vault]),
    // A vault has no network access setting: its endpoints are reached over the internet or a service gateway.
    secretStorePrivate: observe("public endpoint", [vault]),
  };
}
