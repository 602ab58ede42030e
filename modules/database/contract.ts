import type { TerraformResource } from "cdktf";
import type { IConstruct } from "constructs";
import type { NodeAccess } from "../kubernetes/contract";
import { suppressUnprotected } from "../shared/suppress";
import type { MetricScope } from "../shared/monitoring";

/**
 * A private, encrypted managed PostgreSQL with the pgvector extension allowed: RDS for
 * PostgreSQL, Azure Database for PostgreSQL Flexible Server, Cloud SQL for PostgreSQL, OCI
 * Database with PostgreSQL, IBM Cloud Databases for PostgreSQL. Only the cluster's nodes
 * reach it; its administrator credentials live in the environment's secret store.
 */
export interface DatabaseProps {
  /** Prefix of every resource name, e.g. `siros-prod`; the database is `<name>-pg`. */
  readonly name: string;
  /** Region (Azure: location) the database lives in. */
  readonly region: string;
  /** PostgreSQL major version; one of `POSTGRES_VERSIONS` (pgvector with HNSW on every cloud). */
  readonly engineVersion: PostgresVersion;
  /** Size in cloud-neutral terms; each cloud maps it to what it sells (`DATABASE_SIZES` in sizes.ts). */
  readonly size: DatabaseSize;
  /** Allocated storage in GiB (OCI: its storage grows by itself; the figure is not used there). */
  readonly storageGb: number;
  /**
   * A standby in another zone with automatic failover (Multi-AZ, zone-redundant HA, REGIONAL,
   * two or more OCI instances, IBM's members across zones).
   * @default true
   */
  readonly highAvailability?: boolean;
  /**
   * Days automated backups (and the point-in-time recovery log) are kept.
   * @default 35
   */
  readonly backupRetentionDays?: number;
  /**
   * Refuse to delete the database (the cloud's own protection where it has one, and
   * Terraform's `prevent_destroy`); a final snapshot is kept where the cloud takes one.
   * @default true
   */
  readonly deletionProtection?: boolean;
  /**
   * Weekly maintenance window, UTC.
   * @default { day: "sun", hour: 3 }
   */
  readonly maintenanceWindow?: MaintenanceWindow;
  /** The network's private subnets (from the network module), where the database's endpoint lives. */
  readonly privateSubnetIds: readonly string[];
  /** The network (VPC / VNet / VCN id) the subnets belong to. */
  readonly networkId: string;
  /** The cluster's nodes: the only clients the database admits (kubernetes `nodeAccess`). */
  readonly clientAccess: NodeAccess;
  /**
   * dr: the primary this database replicates (or is restored from), as the primary's stack
   * exports it in `database_id`, and the primary's region.
   * @default - a primary, not a replica
   */
  readonly replicaOf?: PrimaryDatabase;
  /**
   * Regions the backups are copied to (OCI's backup copy policy): the dr environment's region.
   * @default []
   */
  readonly backupCopyRegions?: readonly string[];
  /**
   * Address ranges of the networks of the environments that replicate this database (dr's):
   * where a cloud replicates over private addresses (Azure), the database admits its replicas
   * from there.
   * @default []
   */
  readonly replicaNetworkCidrs?: readonly string[];
  /**
   * Tags (Google: labels) for every taggable resource.
   * @default {}
   */
  readonly tags?: Readonly<Record<string, string>>;
}

/** Major versions with pgvector 0.5 or later (HNSW) on all five managed services. */
export const POSTGRES_VERSIONS = ["16"] as const;

/**
 * The first PostgreSQL major version on which a service offers pgvector without an allowlist
 * setting (Azure and OCI allowlist it per server, which the module does), as far as this
 * project claims it: IBM Cloud Databases from 15 (IBM Cloud Docs, "Exploring vector-based
 * search in Databases for PostgreSQL using pgvector"); RDS and Cloud SQL only for 16, the
 * version POSTGRES_VERSIONS holds (both list pgvector with HNSW there; earlier versions are
 * not claimed).
 */
export const PGVECTOR_SINCE = { aws: 16, gcp: 16, ibm: 15 } as const;
export type PostgresVersion = (typeof POSTGRES_VERSIONS)[number];

/** Storage in GiB every cloud takes: Azure's storage_mb list (32 GiB .. 32 TiB, powers of two), within RDS gp3's 20..65536. */
export const STORAGE_GB = [32, 64, 128, 256, 512, 1024, 2048, 4096] as const;
/** Backup retention every cloud accepts: RDS 1-35 days, Azure 7-35, Cloud SQL PITR logs 1-7 days (backups 1-365), OCI 1-35, IBM fixed. */
export const BACKUP_RETENTION_DAYS = { min: 7, max: 35 } as const;

export const DATABASE_SIZES = ["small", "medium", "large"] as const;
export type DatabaseSize = (typeof DATABASE_SIZES)[number];

export const WEEKDAYS = ["sun", "mon", "tue", "wed", "thu", "fri", "sat"] as const;
export type Weekday = (typeof WEEKDAYS)[number];

export interface MaintenanceWindow {
  readonly day: Weekday;
  /** Hour of the day the window starts, 0 to 23 UTC; it lasts an hour (OCI, Azure: as the service allows). */
  readonly hour: number;
}

export interface PrimaryDatabase {
  /** The primary's `database_id` output: RDS ARN, Azure server id, Cloud SQL connection name, OCI OCID, IBM CRN. */
  readonly id: string;
  readonly region: string;
  /** The primary's `database_credentials_secret_id` output: a replica has the primary's users. */
  readonly credentialsSecretId: string;
  /** The primary's `name` prop (`<project>-<env>`), which names what a replica reaches in it (Azure's private DNS zone). */
  readonly name: string;
  /** The primary's `network_id` output, and its network's range (the primary's environment data). */
  readonly networkId: string;
  readonly networkCidr: string;
}

/** The database every stack creates in it, and the application role the bootstrap SQL creates. */
export const DATABASE_NAME = "siros";
export const ADMIN_USER = "siros_admin";
export const POSTGRES_PORT = 5432;

/** What applications, operators and other stacks need; exported as stack outputs. Never a password. */
export interface DatabaseOutputs {
  /** The cloud's id of the database, what a replica in dr takes as `replicaOf.id`. */
  readonly databaseId: string;
  /** Private host name (or address) clients connect to; IBM: the deployment's CRN (see gaps: ibmEndpoint). */
  readonly endpoint: string;
  /** Absent where the cloud assigns the port per deployment (IBM: read it with the endpoint). */
  readonly port?: number;
  readonly databaseName: string;
  /** Where the administrator's credentials live: a secret (AWS, GCP, Azure, OCI) or secret group (IBM) in the environment's store. */
  readonly credentialsSecretId: string;
  /**
   * How the cloud's monitoring service addresses this module's resources, one scope per
   * monitored database instance: AWS `{ DBInstanceIdentifier }`, Google `{ database_id }` (`project:instance`); the observability module alarms on them. Azure, OCI: the resource id
   * (`{ resourceId }`); IBM: the CRN (`{ crn }`).
   * @default [] - nothing to alarm on
   */
  readonly metricScopes?: readonly MetricScope[];
}

export interface Database extends IConstruct {
  readonly outputs: DatabaseOutputs;
}

export type ResolvedDatabaseProps = Required<Omit<DatabaseProps, "replicaOf">> & Pick<DatabaseProps, "replicaOf">;

export const DEFAULT_BACKUP_RETENTION_DAYS = 35;

/** The defaults documented above, applied in one place for every implementation. */
export function resolveDatabaseProps(props: DatabaseProps): ResolvedDatabaseProps {
  return {
    highAvailability: true,
    backupRetentionDays: DEFAULT_BACKUP_RETENTION_DAYS,
    deletionProtection: true,
    maintenanceWindow: { day: "sun", hour: 3 },
    backupCopyRegions: [],
    replicaNetworkCidrs: [],
    tags: {},
    ...props,
  };
}

/** The database's name on every cloud. */
export const databaseName = (props: { readonly name: string }): string => `${props.name}-pg`;

/** The lifecycle that keeps Terraform from destroying a protected database. */
export const protectedLifecycle = (props: ResolvedDatabaseProps) => (props.deletionProtection ? { lifecycle: { preventDestroy: true } } : {});

const pad = (n: number) => String(n).padStart(2, "0");
const DAY_NAMES = { sun: "Sun", mon: "Mon", tue: "Tue", wed: "Wed", thu: "Thu", fri: "Fri", sat: "Sat" } as const;
/** AWS's `ddd:hh24:mi-ddd:hh24:mi`, one hour long. */
export function awsWindow({ day, hour }: MaintenanceWindow): string {
  const end = (hour + 1) % 24;
  const endDay = end === 0 ? WEEKDAYS[(WEEKDAYS.indexOf(day) + 1) % 7] : day;
  return `${day}:${pad(hour)}:00-${endDay}:${pad(end)}:00`;
}
export const dayName = (day: Weekday) => DAY_NAMES[day];

/** AWS's `hh24:mi-hh24:mi` backup window: the hour that ends an hour before maintenance starts. */
export function backupWindow({ hour }: MaintenanceWindow): string {
  const start = (hour + 22) % 24;
  return `${pad(start)}:00-${pad((start + 1) % 24)}:00`;
}

/**
 * Where the environment turned deletion protection off (a declared knob in environments/shape.ts),
 * the policy rule asking for it is suppressed on that database, saying why.
 */
export function suppressWhenUnprotected(props: ResolvedDatabaseProps, resource: TerraformResource, rule: string): void {
  suppressUnprotected(props.deletionProtection, "database.deletionProtection", resource, rule);
}
