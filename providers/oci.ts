import { TerraformStack } from "cdktf";
import type { Construct } from "constructs";
import { OciProvider } from "../.gen/providers/oci/provider";
import type { EnvironmentConfig } from "../environments/types";

/** Alias of the provider that acts in the tenancy's home region. */
export const OCI_HOME_REGION_ALIAS = "home";
const HOME_REGION_PROVIDER_ID = "oci-home-region";

/**
 * Credentials come from the OCI CLI config (or OCI_* variables) at plan time. The
 * provider has no default tags; the modules set freeform tags on each resource.
 * Two configurations: the default one in the environment's region, and one aliased to
 * the tenancy's home region, the only region where OCI Identity accepts changes to
 * compartments (elsewhere it answers 403-NotAllowed).
 */
export function ociProvider(scope: Construct, env: EnvironmentConfig): OciProvider {
  new OciProvider(scope, HOME_REGION_PROVIDER_ID, { alias: OCI_HOME_REGION_ALIAS, region: env.oci.homeRegion });
  return new OciProvider(scope, "oci", { region: env.oci.region });
}

/** The home-region provider `ociProvider` added to the stack that holds `scope`. */
export function ociHomeRegionProvider(scope: Construct): OciProvider {
  const provider = TerraformStack.of(scope).node.tryFindChild(HOME_REGION_PROVIDER_ID);
  if (!(provider instanceof OciProvider)) throw new Error("ociHomeRegionProvider: call ociProvider on the stack first");
  return provider;
}

/** A provider aliased to another region, e.g. the primary's region, where a replica's stack writes the replication policy. */
export function ociRegionProvider(scope: Construct, alias: string, region: string): OciProvider {
  const id = `oci-${alias}`;
  const existing = TerraformStack.of(scope).node.tryFindChild(id);
  return existing instanceof OciProvider ? existing : new OciProvider(TerraformStack.of(scope), id, { alias, region });
}
