import { TerraformOutput, TerraformStack } from "cdktf";
import type { Construct } from "constructs";
import { useS3StateBackend } from "../backends/s3-backend";
import { stateKey, type StateSettings } from "../backends/settings";
import type { CloudName, EnvironmentConfig } from "../environments/types";
import type { Network } from "../modules/network/contract";
import { CLOUD_IMPLEMENTATIONS, type CloudImplementation } from "./clouds";

export interface SirosStackProps {
  readonly cloud: CloudName;
  readonly environment: EnvironmentConfig;
  readonly state: StateSettings;
}

export const stackId = (cloud: CloudName, environment: string): string => `${cloud}-${environment}`;

/**
 * The one composition: every cloud's stack gets the same modules, in the same order,
 * from the same environment data. Only the implementations differ.
 */
export class SirosStack extends TerraformStack {
  readonly network: Network;

  constructor(scope: Construct, { cloud, environment, state }: SirosStackProps) {
    super(scope, stackId(cloud, environment.name));
    // Widened once here so the composition below stays one code path for every cloud.
    const implementation = CLOUD_IMPLEMENTATIONS[cloud] as CloudImplementation<CloudName>;
    const placement = environment[cloud];

    useS3StateBackend(this, {
      settings: state,
      key: stateKey(environment.project, environment.name, cloud),
      access: environment.state,
    });
    implementation.provider(this, environment);

    this.network = implementation.network(
      this,
      "network",
      {
        name: `${environment.project}-${environment.name}`,
        region: placement.region,
        cidr: placement.cidr,
        zones: placement.zones,
        natStrategy: environment.network.natStrategy,
        flowLogs: { enabled: true, retentionDays: environment.network.flowLogRetentionDays },
        publicIngress: environment.network.publicIngress,
        tags: environment.tags,
      },
      placement,
    );
    this.exportOutputs();
  }

  private exportOutputs(): void {
    const { networkId, cidr, publicSubnetIds, privateSubnetIds } = this.network.outputs;
    new TerraformOutput(this, "network_id", { value: networkId, description: "Id of the network" });
    new TerraformOutput(this, "network_cidr", { value: cidr, description: "Address range of the network" });
    new TerraformOutput(this, "public_subnet_ids", { value: publicSubnetIds, description: "Public tier subnets" });
    new TerraformOutput(this, "private_subnet_ids", { value: privateSubnetIds, description: "Private tier subnets" });
  }
}
