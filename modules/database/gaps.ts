/**
 * Where a cloud cannot do what the database contract promises at the pinned provider
 * versions: declared here, in one place, with the reason and the nearest alternative.
 * README's module table shows them.
 */
export type DatabaseCloud = "aws" | "azure" | "gcp" | "oci" | "ibm";

export interface DatabaseGap {
  readonly cloud: DatabaseCloud;
  /** What the contract promises that this cloud does not do. */
  readonly what: string;
  readonly reason: string;
  readonly alternative: string;
}

export const DATABASE_GAPS = {
  azureGeoBackup: {
    cloud: "azure",
    what: "geo-redundant backups in prod",
    reason: "with a customer-managed key, geo-redundant backup needs a second key and identity in the paired region (customer_managed_key.geo_backup_*), and each environment's key lives in its own region only",
    alternative: "dr holds a cross-region read replica of prod (create_mode = \"Replica\"), encrypted with dr's key; backups stay zone-redundant in prod's region",
  },
  azureReplicaStandby: {
    cloud: "azure",
    what: "high availability of dr's database",
    reason: "Flexible Server refuses a standby on a read replica (high_availability is for primaries only)",
    alternative: "dr's replica runs without a standby; promote it, then turn on zone-redundant HA (high_availability.mode = \"ZoneRedundant\") on the promoted server",
  },
  gcpCrossProjectReplica: {
    cloud: "gcp",
    what: "dr as a cross-region replica of prod",
    reason: "a Cloud SQL read replica (master_instance_name, replica_configuration) is created in its primary's project, and dr has a project of its own (siros-dr): a replica would sit in prod's project (its IAM, quotas and failure domain) with its private IP in the producer network peered to prod's VPC, which dr's cluster cannot reach (VPC peering is not transitive)",
    alternative: "dr runs an instance of prod's shape; recovery restores prod's latest backup into it (gcloud sql backups restore <backup> --restore-instance=<dr> --backup-instance=<prod> --backup-project=<prod project>); Cloud SQL backups are multi-regional by default",
  },
  gcpClientFirewall: {
    cloud: "gcp",
    what: "admitting only the cluster's nodes",
    reason: "a Cloud SQL private IP lives in Google's peered producer network, which VPC firewall rules of the consumer network do not filter, and authorized networks apply to public IPs only",
    alternative: "private IP only, TLS required (ENCRYPTED_ONLY), IAM database authentication; egress firewall rules of the network module may restrict which subnets reach the private services range",
  },
  gcpCloudSqlAgent: {
    cloud: "gcp",
    what: "creating the Cloud SQL service agent before it is granted the key",
    reason: "google_project_service_identity exists only in google-beta, not in google 6.50.0",
    alternative: "run `gcloud beta services identity create --service=sqladmin.googleapis.com --project=<project>` once per project before the first apply",
  },
  ociCustomerManagedKey: {
    cloud: "oci",
    what: "encryption with the environment's key",
    reason: "oci_psql_db_system has no customer-managed key argument at 8.28.0 (storage_details takes none)",
    alternative: "Oracle-managed encryption at rest; the administrator's password is still in the environment's Vault, encrypted with its key",
  },
  ociReplica: {
    cloud: "oci",
    what: "dr as a replica of prod",
    reason: "the module copies prod's daily backups to the dr region (backup_policy.copy_policy) rather than running a cross-region replica",
    alternative: "dr runs a db system of prod's shape; recovery creates a db system from the newest copied backup (source_type = \"BACKUP\")",
  },
  ociDeletionProtection: {
    cloud: "oci",
    what: "the cloud's own deletion protection",
    reason: "oci_psql_db_system has no deletion-protection argument at 8.28.0",
    alternative: "Terraform's prevent_destroy in prod and dr, and the backups kept after deletion (backup_policy.retention_days)",
  },
  ibmReplicaMembers: {
    cloud: "ibm",
    what: "high availability of dr's database",
    reason: "an IBM Cloud Databases read replica is a single member; ibm_database takes no member count for a replica (members are set on the leader)",
    alternative: "promote the read replica, then scale it to three members (group member allocation_count = 3)",
  },
  ibmBackupRetention: {
    cloud: "ibm",
    what: "backup retention per environment",
    reason: "ibm_database has no backup-retention argument at 2.5.0; IBM Cloud Databases takes a daily backup and keeps it 30 days on every deployment",
    alternative: "30 days everywhere (more than dev and staging ask, less than prod's 35); longer retention needs on-demand backups or logical dumps the operator keeps",
  },
  ibmAdminPassword: {
    cloud: "ibm",
    what: "the administrator's password generated into the secret store",
    reason: "ibm_database's adminpassword is stored in state and is not write-only at 2.5.0, and IBM Secrets Manager secrets need their payload at creation (keys gap ibmSecretValues)",
    alternative: "Terraform sets no password; the operator sets it once (ibmcloud cdb deployment-user-password <crn> admin) and stores it in the secret group the module creates",
  },
  ibmEndpoint: {
    cloud: "ibm",
    what: "the endpoint and port as outputs",
    reason: "ibm_database exports no host name or port; they come from the ibm_database_connection data source, not part of this module's schema excerpt",
    alternative: "the endpoint output is the deployment's CRN: `ibmcloud cdb deployment-connections <crn> --endpoint-type private` prints the host and port",
  },
} as const satisfies Record<string, DatabaseGap>;

export type DatabaseGapId = keyof typeof DATABASE_GAPS;
