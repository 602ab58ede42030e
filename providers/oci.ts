import type { Construct } from "constructs";
import { OciProvider } from "../.gen/providers/oci/provider";
import type { EnvironmentConfig } from "../environments/types";

/**
 * Credentials come from the OCI CLI config (or OCI_* variables) at plan time. The
 * provider has no default tags; the modules set freeform tags on each resource.
 */
export function ociProvider(scope: Construct, env: EnvironmentConfig): OciProvider {
  return new OciProvider(scope, "oci", { region: env.oci.region });
}
