import type { Construct } from "constructs";
import { IbmProvider } from "../.gen/providers/ibm/provider";
import type { EnvironmentConfig } from "../environments/types";

/**
 * The API key comes from IC_API_KEY at plan time. The provider has no default tags;
 * the modules tag each resource.
 */
export function ibmProvider(scope: Construct, env: EnvironmentConfig): IbmProvider {
  return new IbmProvider(scope, "ibm", { region: env.ibm.region });
}
