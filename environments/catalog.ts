import type { CloudName } from "./types";

/**
 * Region names each cloud accepts, with the number of availability zones (OCI:
 * availability domains) a network may spread across there. Validation checks
 * environments against this table, so a typo fails at synth rather than at apply.
 */
export interface CloudCatalogEntry {
  readonly label: string;
  readonly zoneWord: string;
  readonly regions: Readonly<Record<string, number>>;
}

const zonesEach = (count: number, names: string[]): Record<string, number> =>
  Object.fromEntries(names.map((n) => [n, count]));

export const CLOUD_CATALOG: Readonly<Record<CloudName, CloudCatalogEntry>> = {
  aws: {
    label: "AWS",
    zoneWord: "availability zones",
    regions: {
      ...zonesEach(3, [
        "us-east-2", "ca-central-1", "ca-west-1", "eu-west-1", "eu-west-2", "eu-west-3",
        "eu-central-1", "eu-central-2", "eu-north-1", "eu-south-1", "eu-south-2", "ap-south-1",
        "ap-south-2", "ap-southeast-1", "ap-southeast-2", "ap-southeast-3", "ap-southeast-4",
        "ap-southeast-5", "ap-southeast-7", "ap-northeast-1", "ap-northeast-3", "ap-east-1",
        "sa-east-1", "me-south-1", "me-central-1", "af-south-1", "il-central-1", "mx-central-1",
      ]),
      "us-east-1": 6,
      "us-west-1": 2,
      "us-west-2": 4,
      "ap-northeast-2": 4,
    },
  },
  azure: {
    label: "Azure",
    zoneWord: "availability zones",
    // Only regions with availability zones: zonal NAT gateways need them.
    regions: zonesEach(3, [
      "eastus", "eastus2", "westus2", "westus3", "centralus", "southcentralus", "canadacentral",
      "brazilsouth", "mexicocentral", "northeurope", "westeurope", "uksouth", "francecentral",
      "germanywestcentral", "swedencentral", "switzerlandnorth", "norwayeast", "polandcentral",
      "italynorth", "spaincentral", "eastasia", "southeastasia", "japaneast", "koreacentral",
      "australiaeast", "centralindia", "uaenorth", "southafricanorth", "qatarcentral", "israelcentral",
    ]),
  },
  gcp: {
    label: "Google Cloud",
    zoneWord: "zones",
    regions: {
      ...zonesEach(3, [
        "us-east1", "us-east4", "us-east5", "us-south1", "us-west1", "us-west2", "us-west3",
        "us-west4", "northamerica-northeast1", "northamerica-northeast2", "southamerica-east1",
        "southamerica-west1", "europe-west1", "europe-west2", "europe-west3", "europe-west4",
        "europe-west6", "europe-west8", "europe-west9", "europe-west10", "europe-west12",
        "europe-north1", "europe-central2", "europe-southwest1", "asia-east1", "asia-east2",
        "asia-northeast1", "asia-northeast2", "asia-northeast3", "asia-south1", "asia-south2",
        "asia-southeast1", "asia-southeast2", "australia-southeast1", "australia-southeast2",
        "me-west1", "me-central1", "me-central2", "africa-south1",
      ]),
      "us-central1": 4,
    },
  },
  oci: {
    label: "Oracle Cloud",
    zoneWord: "availability domains",
    regions: {
      ...zonesEach(1, [
        "us-sanjose-1", "us-chicago-1", "ca-toronto-1", "ca-montreal-1", "eu-amsterdam-1", "eu-zurich-1",
        "eu-madrid-1", "eu-marseille-1", "eu-milan-1", "eu-paris-1", "eu-stockholm-1", "uk-cardiff-1",
        "ap-tokyo-1", "ap-osaka-1", "ap-seoul-1", "ap-chuncheon-1", "ap-mumbai-1", "ap-hyderabad-1",
        "ap-sydney-1", "ap-melbourne-1", "ap-singapore-1", "sa-saopaulo-1", "sa-santiago-1",
        "sa-vinhedo-1", "me-jeddah-1", "me-dubai-1", "af-johannesburg-1", "il-jerusalem-1",
        "mx-queretaro-1", "mx-monterrey-1",
      ]),
      ...zonesEach(3, ["us-ashburn-1", "us-phoenix-1", "eu-frankfurt-1", "uk-london-1"]),
    },
  },
  ibm: {
    label: "IBM Cloud",
    zoneWord: "zones",
    // Multizone regions only: VPC subnets and public gateways are zonal.
    regions: zonesEach(3, [
      "us-south", "us-east", "ca-tor", "ca-mon", "br-sao", "eu-gb", "eu-de", "eu-es", "jp-tok", "jp-osa", "au-syd",
    ]),
  },
};

export function regionNames(cloud: CloudName): string[] {
  return Object.keys(CLOUD_CATALOG[cloud].regions).sort();
}
