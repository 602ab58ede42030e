/** AWS keys profile: the KMS key (always in AWS's HSMs) and its rotation. */
import type { StackIndex } from "../../../policy/terraform-json";
import type { Profile } from "../../model";
import { observe } from "../shared";
import { preventsDestroy } from "./shared";

/** KMS rotates yearly when rotation is on and no period is given. */
const DEFAULT_ROTATION_DAYS = 365;

export function awsKeys(stack: StackIndex): Profile {
  const key = stack.ofType("aws_kms_key")[0];
  const rotation = key?.values.enable_key_rotation === true ? ((key.values.rotation_period_in_days as number | undefined) ?? DEFAULT_ROTATION_DAYS) : "none";
  return {
    customerManagedKey: observe(key !== undefined && key.values.key_usage !== "SIGN_VERIFY", [key]),
    rotationDays: observe(key ? rotation : null, [key]),
    // KMS keeps every key's material in its FIPS-validated HSMs: there is no software tier.
    protection: observe(key ? "hsm" : null, [key]),
    deletionProtection: observe(preventsDestroy(key), [key]),
    // Secrets Manager is reached through its regional endpoint; the module adds no VPC endpoint.
    secretStorePrivate: observe("public endpoint", []),
  };
}
