/** Google Cloud keys profile: the Cloud KMS crypto key and its key ring. */
import type { StackIndex } from "../../../policy/terraform-json";
import type { Profile } from "../../model";
import { observe } from "../shared";
import { daysOfSeconds, preventsDestroy } from "./shared";

export function gcpKeys(stack: StackIndex): Profile {
  const key = stack.ofType("google_kms_crypto_key").find((k) => (k.values.purpose ?? "ENCRYPT_DECRYPT") === "ENCRYPT_DECRYPT");
  const ring = key ? stack.referencedBy(key, "key_ring", "google_kms_key_ring") : undefined;
  const level = (key?.values.version_template as { protection_level?: string } | undefined)?.protection_level ?? "SOFTWARE";
  return {
    customerManagedKey: observe(key !== undefined, [key]),
    rotationDays: observe(key ? (key.values.rotation_period ? daysOfSeconds(key.values.rotation_period) : "none") : null, [key]),
    protection: observe(key ? level.toLowerCase() : null, [key]),
    deletionProtection: observe(preventsDestroy(key) && preventsDestroy(ring), [key, ring]),
    // Secret Manager is a Google API with no network setting per project.
    secretStorePrivate: observe("public endpoint", []),
  };
}
