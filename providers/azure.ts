import { AzurermProvider } from "@cdktf/provider-azurerm/lib/provider";
import type { Construct } from "constructs";
import type { EnvironmentConfig } from "../environments/types";

/**
 * azurerm has no default tags, so modules tag each resource themselves. An environment that
 * names its subscription pins the provider to it (a wrong-subscription guard); otherwise the
 * subscription comes from ARM_SUBSCRIPTION_ID at plan time, which azurerm 4 then requires.
 *
 * `storage.data_plane_available = false`: azurerm 4 otherwise polls a new storage account's blob
 * and queue endpoints after create and reads queue and static-website properties on every
 * refresh. Our storage accounts refuse every network but trusted Azure services, so those calls
 * from the machine running Terraform get 403 and the apply fails. With the flag off the provider
 * manages storage accounts through Azure Resource Manager only (blob properties included); the
 * price is that `queue_properties` and `static_website` cannot be set on any storage account of
 * the stack, which nothing here uses.
 */
export function azureProvider(scope: Construct, env: EnvironmentConfig): AzurermProvider {
  return new AzurermProvider(scope, "azurerm", {
    features: [{ storage: [{ dataPlaneAvailable: false }] }],
    ...(env.azure.subscriptionId ? { subscriptionId: env.azure.subscriptionId } : {}),
  });
}
