import { ComputeGlobalAddress } from "@cdktf/provider-google/lib/compute-global-address";
import { DataGoogleProject } from "@cdktf/provider-google/lib/data-google-project";
import { ServiceNetworkingConnection } from "@cdktf/provider-google/lib/service-networking-connection";
import { SqlDatabase } from "@cdktf/provider-google/lib/sql-database";
import { SqlDatabaseInstance } from "@cdktf/provider-google/lib/sql-database-instance";
import { SqlUser } from "@cdktf/provider-google/lib/sql-user";
import type { ITerraformDependable } from "cdktf";
import { Construct } from "constructs";
import { cidrSubnet, parseCidr } from "../../lib/cidr";
import type { Keys } from "../keys/contract";
import { writeOnlyValue } from "../keys/contract";
import { ephemeralPassword } from "../shared/ephemeral-password";
import { enableGcpServices } from "../shared/gcp-services";
import {
  ADMIN_USER,
  DATABASE_NAME,
  databaseName,
  POSTGRES_PORT,
  protectedLifecycle,
  resolveDatabaseProps,
  suppressWhenUnprotected,
  WEEKDAYS,
  type Database,
  type DatabaseOutputs,
  type DatabaseProps,
} from "./contract";
import { DATABASE_OFFERS } from "./sizes";

export interface GcpDatabaseProps extends DatabaseProps {
  readonly project: string;
  /** The network's address range: the private services range is carved from it (see `privateServicesRange`). */
  readonly networkCidr: string;
  /** The environment's Cloud KMS key id (keys module). */
  readonly keyId: string;
  readonly keys: Keys;
  /** Grants an IAM member use of the key; returns the binding to depend on (GcpKeys.principalGrant). */
  readonly grantKey: (member: string) => ITerraformDependable;
}

export const GCP_DATABASE_APIS = ["sqladmin.googleapis.com", "servicenetworking.googleapis.com"] as const;

/**
 * Flags of every instance: IAM authentication, and the logging CIS benchmarks (and scanners
 * such as Checkov) expect of Cloud SQL for PostgreSQL.
 */
export const GCP_DATABASE_FLAGS: Readonly<Record<string, string>> = {
  "cloudsql.iam_authentication": "on",
  // pgAudit (CREATE EXTENSION pgaudit in the database) logs DDL and role changes to Cloud Audit Logs.
  "cloudsql.enable_pgaudit": "on",
  "pgaudit.log": "ddl,role",
  log_hostname: "on",
  log_checkpoints: "on",
  log_connections: "on",
  log_disconnections: "on",
  log_lock_waits: "on",
  log_min_error_statement: "error",
  log_min_messages: "warning",
  log_temp_files: "0",
  log_min_duration_statement: "-1",
  log_statement: "ddl",
};

/** Special characters Cloud SQL passwords take without quoting trouble in connection strings. */
const PASSWORD_SPECIALS = "-_.~!#%^*";

/**
 * The range Cloud SQL's producer network takes through private services access: a /20 of a
 * /16 (1/16 of the environment's range, the 13th block), which the regional subnet plan leaves
 * free, so it stays inside the range validation proved disjoint from every other network.
 */
export function privateServicesRange(cidr: string): { address: string; prefixLength: number } {
  const block = cidrSubnet(cidr, 4, 12);
  const parsed = parseCidr(block)!;
  return { address: block.split("/")[0], prefixLength: parsed.prefix };
}

/** Cloud SQL numbers the days from Monday (1) to Sunday (7). */
const cloudSqlDay = (day: (typeof WEEKDAYS)[number]) => (WEEKDAYS.indexOf(day) === 0 ? 7 : WEEKDAYS.indexOf(day));

/**
 * Google Cloud: Cloud SQL for PostgreSQL with a private IP only, through private services
 * access (a reserved range of the environment's own range and the peering connection),
 * encrypted with the environment's key (the Cloud SQL service agent is granted it),
 * TLS required, REGIONAL (a standby in another zone) where highly available, backups with
 * point-in-time recovery, deletion protection both in the API and in Terraform, and the
 * administrator's password generated ephemerally into Secret Manager and the user
 * (write-only on both). dr: an instance of prod's shape in its own project (see gaps).
 */
export class GcpDatabase extends Construct implements Database {
  readonly outputs: DatabaseOutputs;
  readonly instance: SqlDatabaseInstance;

  constructor(scope: Construct, id: string, input: GcpDatabaseProps) {
    super(scope, id);
    const props = resolveDatabaseProps(input);
    const { project, region, tags } = { ...input, tags: props.tags };
    const name = databaseName(props);
    const apis = enableGcpServices(this, project, GCP_DATABASE_APIS);

    const range = privateServicesRange(input.networkCidr);
    const reserved = new ComputeGlobalAddress(this, "private-services-range", {
      name: `${name}-psa`,
      project,
      purpose: "VPC_PEERING",
      addressType: "INTERNAL",
      address: range.address,
      prefixLength: range.prefixLength,
      network: props.networkId,
      description: `Private services access for ${name}`,
      labels: { ...tags },
    });
    const peering = new ServiceNetworkingConnection(this, "private-services-connection", {
      network: props.networkId,
      service: "servicenetworking.googleapis.com",
      reservedPeeringRanges: [reserved.name],
      dependsOn: apis,
    });

    // Cloud SQL encrypts with the key as its service agent, which must hold the key before creation.
    const projectData = new DataGoogleProject(this, "project", { projectId: project });
    const agentGrant = input.grantKey(`serviceAccount:service-${projectData.number}@gcp-sa-cloud-sql.iam.gserviceaccount.com`);

    const retention = props.backupRetentionDays;
    this.instance = new SqlDatabaseInstance(this, "instance", {
      name,
      project,
      region,
      databaseVersion: `POSTGRES_${props.engineVersion}`,
      encryptionKeyName: input.keyId,
      deletionProtection: props.deletionProtection,
      settings: {
        tier: DATABASE_OFFERS[props.size].gcp,
        edition: "ENTERPRISE",
        availabilityType: props.highAvailability ? "REGIONAL" : "ZONAL",
        diskType: "PD_SSD",
        diskSize: props.storageGb,
        diskAutoresize: true,
        diskAutoresizeLimit: props.storageGb * 4,
        deletionProtectionEnabled: props.deletionProtection,
        backupConfiguration: {
          enabled: true,
          pointInTimeRecoveryEnabled: true,
          startTime: `${String((props.maintenanceWindow.hour + 22) % 24).padStart(2, "0")}:00`,
          // Cloud SQL keeps transaction logs (point-in-time recovery) at most 7 days on Enterprise,
          // and fewer days than it keeps backups.
          transactionLogRetentionDays: Math.min(retention - 1, 7),
          backupRetentionSettings: { retainedBackups: retention, retentionUnit: "COUNT" },
        },
        ipConfiguration: {
          ipv4Enabled: false,
          privateNetwork: props.networkId,
          sslMode: "ENCRYPTED_ONLY",
        },
        databaseFlags: Object.entries(GCP_DATABASE_FLAGS).map(([flag, value]) => ({ name: flag, value })),
        maintenanceWindow: { day: cloudSqlDay(props.maintenanceWindow.day), hour: props.maintenanceWindow.hour, updateTrack: "stable" },
        insightsConfig: { queryInsightsEnabled: true, queryStringLength: 1024, recordApplicationTags: false, recordClientAddress: false },
        userLabels: { ...tags },
      },
      dependsOn: [peering, agentGrant, ...apis],
      ...protectedLifecycle(props),
    });
    suppressWhenUnprotected(props, this.instance, "SIROS-GCP-SQL-5");
    new SqlDatabase(this, "database", { name: DATABASE_NAME, project, instance: this.instance.name });

    const password = ephemeralPassword(this, `${name}-admin-password`, { length: 32, specials: PASSWORD_SPECIALS });
    const secret = input.keys.addSecret("database-admin", {
      name: "database-admin",
      description: `Password of ${ADMIN_USER} on ${name}`,
      value: writeOnlyValue(password),
    });
    new SqlUser(this, "admin", {
      name: ADMIN_USER,
      project,
      instance: this.instance.name,
      type: "BUILT_IN",
      passwordWo: password,
      passwordWoVersion: 1,
    });

    this.outputs = {
      databaseId: this.instance.connectionName,
      endpoint: this.instance.privateIpAddress,
      port: POSTGRES_PORT,
      databaseName: DATABASE_NAME,
      credentialsSecretId: secret.id,
      // Cloud SQL's monitored resource names the instance `project:instance`.
      metricScopes: [{ database_id: `${project}:${this.instance.name}` }],
    };
  }
}
