import { AzurermProvider } from "@cdktf/provider-azurerm/lib/provider";
import type { Construct } from "constructs";
import type { EnvironmentConfig } from "../environments/types";

/**
 * azurerm has no default tags, so modules tag each resource themselves. The
 * subscription comes from ARM_SUBSCRIPTION_ID at plan time, never from code.
 */
export function azureProvider(scope: Construct, _env: EnvironmentConfig): AzurermProvider {
  return new AzurermProvider(scope, "azurerm", {
    features: [{}],
  });
}
