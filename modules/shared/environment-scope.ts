import type { TerraformProvider } from "cdktf";
import type { Construct } from "constructs";
import { ResourceGroup } from "../../.gen/providers/ibm/resource-group";
import { IdentityCompartment } from "../../.gen/providers/oci/identity-compartment";
import { keyValueTags } from "./tags";

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

export interface OciCompartmentProps extends EnvironmentScopeProps {
  /** Compartment (or tenancy) OCID under which the environment's compartment is created. */
  readonly parentCompartmentId: string;
  /**
   * Provider configuration for OCI Identity: it must act in the tenancy's home region,
   * the only region where compartments can be created, changed or deleted.
   */
  readonly identityProvider: TerraformProvider;
}

/** OCI: the environment's own compartment under a parent (usually the tenancy). */
export function ociCompartment(scope: Construct, props: OciCompartmentProps): string {
  return new IdentityCompartment(scope, "compartment", {
    provider: props.identityProvider,
    compartmentId: props.parentCompartmentId,
    name: props.name,
    description: `Keys, network and workloads of ${props.name}`,
    // Without it, destroy only forgets the compartment and leaves it in the tenancy. With it,
    // the provider (8.28.0) no longer adopts an existing compartment of the same name on a
    // 409 conflict: create fails and asks for `terraform import` instead.
    enableDelete: true,
    freeformTags: { ...props.tags },
  }).id;
}

/** IBM Cloud: the environment's resource group, unless the environment names an existing one. */
export function ibmResourceGroup(scope: Construct, props: EnvironmentScopeProps & { readonly resourceGroupId?: string }): string {
  return props.resourceGroupId ?? new ResourceGroup(scope, "resource-group", { name: props.name, tags: keyValueTags(props.tags) }).id;
}
