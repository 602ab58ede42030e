import type { Construct } from "constructs";
import { ResourceGroup } from "../../.gen/providers/ibm/resource-group";
import { IdentityCompartment } from "../../.gen/providers/oci/identity-compartment";
import { ibmTags } from "./ibm-tags";

/**
 * The container every module of an environment's stack shares on clouds that group
 * resources that way: created once, before the first module (the keys), so that the key,
 * the network and every later module live in the same place.
 */
export interface EnvironmentScopeProps {
  /** Prefix of every resource name, e.g. `siros-prod`. */
  readonly name: string;
  readonly tags: Readonly<Record<string, string>>;
}

/** OCI: the environment's own compartment under a parent (usually the tenancy). */
export function ociCompartment(scope: Construct, props: EnvironmentScopeProps & { readonly parentCompartmentId: string }): string {
  return new IdentityCompartment(scope, "compartment", {
    compartmentId: props.parentCompartmentId,
    name: props.name,
    description: `Keys, network and workloads of ${props.name}`,
    freeformTags: { ...props.tags },
  }).id;
}

/** IBM Cloud: the environment's resource group, unless the environment names an existing one. */
export function ibmResourceGroup(scope: Construct, props: EnvironmentScopeProps & { readonly resourceGroupId?: string }): string {
  return props.resourceGroupId ?? new ResourceGroup(scope, "resource-group", { name: props.name, tags: ibmTags(props.tags) }).id;
}
