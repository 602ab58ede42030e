import { TerraformVariable } from "cdktf";
import type { Construct } from "constructs";
import type { CloudName, CloudPlacements, EnvironmentConfig } from "../environments/types";
import { AwsNetwork } from "../modules/network/aws";
import { AzureNetwork } from "../modules/network/azure";
import type { Network, NetworkProps } from "../modules/network/contract";
import { GcpNetwork } from "../modules/network/gcp";
import { IbmNetwork } from "../modules/network/ibm";
import { OciNetwork } from "../modules/network/oci";
import { awsProvider } from "../providers/aws";
import { azureProvider } from "../providers/azure";
import { gcpProvider } from "../providers/gcp";
import { ibmProvider } from "../providers/ibm";
import { ociHomeRegionProvider, ociProvider } from "../providers/oci";

/**
 * What a cloud must provide for the composition to build its stack: a configured
 * provider and one implementation of every module contract. Keyed by CloudName, so
 * adding a cloud without implementing every module fails the type-check.
 */
export interface CloudImplementation<C extends CloudName> {
  provider(scope: Construct, env: EnvironmentConfig): void;
  network(scope: Construct, id: string, props: NetworkProps, placement: CloudPlacements[C]): Network;
}

export const CLOUD_IMPLEMENTATIONS: { readonly [C in CloudName]: CloudImplementation<C> } = {
  aws: {
    provider: awsProvider,
    network: (scope, id, props) => new AwsNetwork(scope, id, props),
  },
  azure: {
    provider: azureProvider,
    network: (scope, id, props, placement) =>
      new AzureNetwork(scope, id, {
        ...props,
        networkWatcherName: placement.networkWatcherName,
        networkWatcherResourceGroupName: placement.networkWatcherResourceGroupName,
      }),
  },
  gcp: {
    provider: gcpProvider,
    network: (scope, id, props, placement) => new GcpNetwork(scope, id, { ...props, project: placement.project }),
  },
  oci: {
    provider: ociProvider,
    network: (scope, id, props, placement) =>
      new OciNetwork(scope, id, {
        ...props,
        parentCompartmentId: placement.parentCompartmentId ?? parentCompartmentVariable(scope),
        identityProvider: ociHomeRegionProvider(scope),
      }),
  },
  ibm: {
    provider: ibmProvider,
    network: (scope, id, props, placement) => new IbmNetwork(scope, id, { ...props, resourceGroupId: placement.resourceGroupId }),
  },
};

/** Asked at plan time (TF_VAR_oci_parent_compartment_ocid) when the environment names no parent. */
function parentCompartmentVariable(scope: Construct): string {
  return new TerraformVariable(scope, "oci_parent_compartment_ocid", {
    type: "string",
    description: "OCID of the tenancy or compartment that holds this environment's compartment",
    nullable: false,
  }).stringValue;
}
