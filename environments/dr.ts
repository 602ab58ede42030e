import { PRODUCTION_SHAPE } from "./defaults";
import type { EnvironmentDefinition } from "./types";

/** Disaster recovery: prod's shape in a different region of every cloud, reading prod's outputs. */
export const dr: EnvironmentDefinition = {
  name: "dr",
  ...PRODUCTION_SHAPE,
  replicaOf: "prod",
  aws: { region: "eu-central-1", cidr: "10.3.0.0/16", zones: 3 },
  azure: { region: "northeurope", cidr: "10.19.0.0/16", zones: 3 },
  gcp: { region: "europe-west4", cidr: "10.35.0.0/16", zones: 3, project: "siros-dr" },
  oci: { region: "uk-london-1", cidr: "10.51.0.0/16", zones: 3 },
  ibm: { region: "eu-gb", cidr: "10.67.0.0/16", zones: 3 },
};
