import { PRODUCTION_SHAPE } from "./defaults";
import type { EnvironmentDefinition } from "./types";

export const prod: EnvironmentDefinition = {
  name: "prod",
  ...PRODUCTION_SHAPE,
  // Prod's backups are replicated to dr (whose stacks build the replica side).
  storage: { backups: { replicate: true } },
  aws: { region: "eu-west-1", cidr: "10.2.0.0/16", zones: 3 },
  azure: { region: "westeurope", cidr: "10.18.0.0/16", zones: 3 },
  gcp: { region: "europe-west1", cidr: "10.34.0.0/16", zones: 3, project: "siros-prod" },
  oci: { region: "eu-frankfurt-1", cidr: "10.50.0.0/16", zones: 3 },
  ibm: { region: "eu-de", cidr: "10.66.0.0/16", zones: 3 },
};
