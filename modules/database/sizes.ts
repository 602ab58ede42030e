import type { DatabaseSize } from "./contract";

/**
 * What each cloud sells for each cloud-neutral size, with where the offer is documented.
 * Validation refuses a size outside DATABASE_SIZES, so every stack gets one of these.
 */
export interface DatabaseOffer {
  readonly aws: string;
  readonly azure: string;
  readonly gcp: string;
  readonly oci: { readonly shape: string; readonly ocpus: number; readonly memoryGb: number };
  /** Memory per member (MB). */
  readonly ibm: { readonly memoryMb: number };
  /** vCPUs and GiB of memory, roughly, on every cloud. */
  readonly label: string;
}

export const DATABASE_OFFERS: Readonly<Record<DatabaseSize, DatabaseOffer>> = {
  small: {
    // Burstable: no zone-redundant HA on Azure's B series, so validation keeps it out of HA environments.
    aws: "db.t4g.medium",
    azure: "B_Standard_B2s",
    gcp: "db-custom-1-3840",
    oci: { shape: "PostgreSQL.VM.Standard.E5.Flex", ocpus: 2, memoryGb: 32 },
    ibm: { memoryMb: 4096 },
    label: "1-2 vCPU, 4 GiB (OCI: its smallest shape)",
  },
  medium: {
    aws: "db.m7g.large",
    azure: "GP_Standard_D2ds_v5",
    gcp: "db-custom-2-8192",
    oci: { shape: "PostgreSQL.VM.Standard.E5.Flex", ocpus: 2, memoryGb: 32 },
    ibm: { memoryMb: 8192 },
    label: "2 vCPU, 8 GiB",
  },
  large: {
    aws: "db.r7g.xlarge",
    azure: "GP_Standard_D4ds_v5",
    gcp: "db-custom-4-16384",
    oci: { shape: "PostgreSQL.VM.Standard.E5.Flex", ocpus: 4, memoryGb: 64 },
    ibm: { memoryMb: 16384 },
    label: "4 vCPU, 16-32 GiB",
  },
};

/**
 * Where the offers above come from (the services' own instance lists):
 * - AWS: RDS for PostgreSQL DB instance classes (db.t4g, db.m7g, db.r7g support PostgreSQL 16, Performance Insights).
 * - Azure: Flexible Server compute options (Burstable B2s, General Purpose Ddsv5).
 * - Google: Cloud SQL custom machine types `db-custom-<vCPU>-<MiB>` (Enterprise edition; 0.9 to 6.5 GiB per vCPU, MiB a multiple of 256).
 * - OCI: Database with PostgreSQL flexible shapes (E5.Flex with 16 GB per OCPU: 2/32, 4/64, 8/128, ...).
 * - IBM: Databases for PostgreSQL member allocation (memory per member, from 4 GB).
 */
export const DATABASE_OFFER_SOURCES = ["aws", "azure", "gcp", "oci", "ibm"] as const;
