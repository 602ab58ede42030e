/** Azure keys profile: the Key Vault key, its rotation policy, the vault's network access. */
import type { StackIndex } from "../../../policy/terraform-json";
import type { Profile } from "../../model";
import { observe } from "../shared";
import { daysOfIso, preventsDestroy } from "./shared";

export function azureKeys(stack: StackIndex): Profile {
  const key = stack.ofType("azurerm_key_vault_key")[0];
  const vault = key ? stack.referencedBy(key, "key_vault_id", "azurerm_key_vault") : undefined;
  const automatic = (key?.values.rotation_policy as { automatic?: { time_after_creation?: string } } | undefined)?.automatic;
  const acls = vault?.values.network_acls as { default_action?: string } | undefined;
  return {
    customerManagedKey: observe(key !== undefined, [key]),
    rotationDays: observe(key ? (automatic ? daysOfIso(automatic.time_after_creation) : "none") : null, [key]),
    protection: observe(key ? (String(key.values.key_type).endsWith("-HSM") ? "hsm" : "software") : null, [key]),
    deletionProtection: observe(preventsDestroy(key) && preventsDestroy(vault), [key, vault]),
    secretStorePrivate: observe(vault ? vault.values.public_network_access_enabled === false && acls?.default_action === "Deny" : null, [vault]),
  };
}
