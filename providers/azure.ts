import { AzurermProvider } from "@cdktf/provider-azurerm/lib/provider";
import type { Construct } from "constructs";
import type { EnvironmentConfig } from "../environments/types";

/**
 * azurerm has no default tags, so modules tag each resource themselves. An environment that
 * names its subscription pins the provider to it (a wrong-subscription guard); otherwise the
 * subscription comes from ARM_SUBSCRIPTION_ID at plan time, which azurerm 4 then requires.
 */
export function azureProvider(scope: Construct, env: EnvironmentConfig): AzurermProvider {
  return new AzurermProvider(scope, "azurerm", {
    features: [{}],
    ...(env.azure.subscriptionId ? { subscriptionId: env.azure.subscriptionId } : {}),
  });
}
