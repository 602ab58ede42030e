import { GoogleProvider } from "@cdktf/provider-google/lib/provider";
import type { Construct } from "constructs";
import type { EnvironmentConfig } from "../environments/types";

/** Every labelable Google resource carries the environment's tags as labels. */
export function gcpProvider(scope: Construct, env: EnvironmentConfig): GoogleProvider {
  const provider = new GoogleProvider(scope, "google", {
    project: env.gcp.project,
    region: env.gcp.region,
  });
  // cdktf 0.21 snake-cases map keys in provider blocks (cost-center -> cost_center);
  // an override is written verbatim, so the labels match the tags on every other cloud.
  provider.addOverride("default_labels", { ...env.tags });
  return provider;
}
