import { CLOUD_CATALOG, regionNames } from "../environments/catalog";
import { ConfigError } from "../lib/errors";

/**
 * Where Terraform state lives: two sites, each an S3 bucket and a DynamoDB lock table in one
 * AWS region. The primary site holds every environment's state but the replicas'; the dr
 * site, in another region, holds the replica environments' state (dr) and, by S3
 * replication, a copy of their primaries' state (prod) that the replicas read. Losing the
 * primary's region leaves dr able to init, lock, plan and read prod's last outputs.
 * The defaults below are the single source of these names; the state bootstrap stack
 * creates exactly what the backend construct then points at.
 */
export type LockingMode = "dynamodb" | "lockfile" | "both";
export const LOCKING_MODES: readonly LockingMode[] = ["dynamodb", "lockfile", "both"];

/** One site of state: a bucket and a lock table in one region, and the endpoints that reach them. */
export interface StateLocation {
  readonly bucket: string;
  readonly lockTable: string;
  readonly region: string;
  /** S3 API endpoint of an S3-compatible store; unset means AWS. */
  readonly s3Endpoint?: string;
  /** DynamoDB API endpoint of a compatible server; unset means AWS. */
  readonly dynamodbEndpoint?: string;
}

/** The primary site's location at the top level (as before the dr site existed), the dr site under `dr`. */
export interface StateSettings extends StateLocation {
  /**
   * How Terraform locks state, on both sites. `dynamodb` works on every Terraform version
   * the backend supports; `lockfile` (an S3 object beside the state) needs Terraform 1.10
   * or later; `both` takes both locks, the documented path from DynamoDB to lock files.
   * @default "dynamodb"
   */
  readonly locking: LockingMode;
  /**
   * The dr site, in another region than the primary: replica environments' state and lock,
   * and the replica of their primaries' state. Its endpoints default to the primary's.
   * @default siros-terraform-state-dr / siros-terraform-locks-dr in eu-central-1
   */
  readonly dr: StateLocation;
}

/** Which site an environment's state lives at. */
export type StateSite = "primary" | "dr";

export const DEFAULT_STATE_SETTINGS: StateSettings = {
  bucket: "siros-terraform-state",
  lockTable: "siros-terraform-locks",
  region: "eu-west-1",
  locking: "dynamodb",
  dr: { bucket: "siros-terraform-state-dr", lockTable: "siros-terraform-locks-dr", region: "eu-central-1" },
};

/** The environment variables that override the primary site's defaults and the locking mode. */
export const STATE_ENV_VARS = {
  bucket: "SIROS_STATE_BUCKET",
  lockTable: "SIROS_STATE_LOCK_TABLE",
  region: "SIROS_STATE_REGION",
  locking: "SIROS_STATE_LOCKING",
  s3Endpoint: "SIROS_STATE_ENDPOINT",
  dynamodbEndpoint: "SIROS_STATE_DYNAMODB_ENDPOINT",
} as const satisfies Record<Exclude<keyof StateSettings, "dr">, string>;

/** The environment variables that override the dr site's defaults. */
export const DR_STATE_ENV_VARS = {
  bucket: "SIROS_STATE_DR_BUCKET",
  lockTable: "SIROS_STATE_DR_LOCK_TABLE",
  region: "SIROS_STATE_DR_REGION",
  s3Endpoint: "SIROS_STATE_DR_ENDPOINT",
  dynamodbEndpoint: "SIROS_STATE_DR_DYNAMODB_ENDPOINT",
} as const satisfies Record<keyof StateLocation, string>;

const BUCKET_NAME = /^(?!xn--)(?!.*\.\.)[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/;
const TABLE_NAME = /^[A-Za-z0-9_.-]{3,255}$/;

/**
 * Reads overrides from `env` (pass `process.env`) over the defaults and validates
 * the result. Only main.ts and the tools call this; constructs receive the result.
 */
export function resolveStateSettings(env: Readonly<Record<string, string | undefined>>): StateSettings {
  const read = (variable: string): string | undefined => {
    const value = env[variable];
    return value === undefined || value === "" ? undefined : value;
  };
  const defaults = DEFAULT_STATE_SETTINGS;
  const s3Endpoint = read(STATE_ENV_VARS.s3Endpoint);
  const dynamodbEndpoint = read(STATE_ENV_VARS.dynamodbEndpoint);
  const settings: StateSettings = {
    bucket: read(STATE_ENV_VARS.bucket) ?? defaults.bucket,
    lockTable: read(STATE_ENV_VARS.lockTable) ?? defaults.lockTable,
    region: read(STATE_ENV_VARS.region) ?? defaults.region,
    locking: (read(STATE_ENV_VARS.locking) ?? defaults.locking) as LockingMode,
    s3Endpoint,
    dynamodbEndpoint,
    dr: {
      bucket: read(DR_STATE_ENV_VARS.bucket) ?? defaults.dr.bucket,
      lockTable: read(DR_STATE_ENV_VARS.lockTable) ?? defaults.dr.lockTable,
      region: read(DR_STATE_ENV_VARS.region) ?? defaults.dr.region,
      // A compatible store usually serves both sites; a second one is named explicitly.
      s3Endpoint: read(DR_STATE_ENV_VARS.s3Endpoint) ?? s3Endpoint,
      dynamodbEndpoint: read(DR_STATE_ENV_VARS.dynamodbEndpoint) ?? dynamodbEndpoint,
    },
  };
  const problems = validateStateSettings(settings);
  if (problems.length > 0) throw new ConfigError("Invalid state backend settings", problems);
  return settings;
}

export function validateStateSettings(settings: StateSettings): string[] {
  const problems: string[] = [];
  const primary = locationReporter(problems, settings, STATE_ENV_VARS, "state");
  const dr = locationReporter(problems, settings.dr, DR_STATE_ENV_VARS, "dr state");
  for (const site of [primary, dr]) checkLocation(site);
  if (!LOCKING_MODES.includes(settings.locking)) {
    problems.push(`${STATE_ENV_VARS.locking} (state locking): ${JSON.stringify(settings.locking)} is not a locking mode; valid: ${LOCKING_MODES.join(", ")}`);
  }
  if (settings.dr.region === settings.region) {
    dr.report("region", `is the primary state region (${STATE_ENV_VARS.region}); dr's state must survive the loss of that region: choose another AWS region, e.g. ${settings.region === "eu-central-1" ? "eu-west-1" : "eu-central-1"}`);
  }
  if (settings.dr.bucket === settings.bucket) {
    dr.report("bucket", `is also the primary state bucket (${STATE_ENV_VARS.bucket}); the dr site needs a bucket of its own in its own region`);
  }
  return problems;
}

interface LocationReporter {
  readonly location: StateLocation;
  report(key: keyof StateLocation, problem: string): void;
}

function locationReporter(problems: string[], location: StateLocation, variables: Record<keyof StateLocation, string>, label: string): LocationReporter {
  return {
    location,
    report: (key, problem) => problems.push(`${variables[key]} (${label} ${key}): ${JSON.stringify(location[key])} ${problem}`),
  };
}

function checkLocation({ location, report }: LocationReporter): void {
  if (!BUCKET_NAME.test(location.bucket)) {
    report("bucket", "is not a valid S3 bucket name; use 3 to 63 lowercase letters, digits, dots or hyphens, starting and ending with a letter or digit");
  }
  if (!TABLE_NAME.test(location.lockTable)) {
    report("lockTable", "is not a valid DynamoDB table name; use 3 to 255 letters, digits, '_', '-' or '.'");
  }
  if (!(location.region in CLOUD_CATALOG.aws.regions)) {
    report("region", `is not a region of AWS; valid: ${regionNames("aws").join(", ")}`);
  }
  for (const key of ["s3Endpoint", "dynamodbEndpoint"] as const) {
    const value = location[key];
    if (value !== undefined && !isHttpUrl(value)) report(key, "is not an http(s) URL, e.g. http://127.0.0.1:4569");
  }
}

/**
 * Replica environments keep their state at the dr site: a replica exists to take over when
 * its primary's region is lost, so its state, lock and view of the primary must not be there.
 */
export function stateSiteOf(environment: { readonly replicaOf?: string }): StateSite {
  return environment.replicaOf === undefined ? "primary" : "dr";
}

interface StateOwner {
  readonly name: string;
  readonly project: string;
  readonly replicaOf?: string;
}

/**
 * The state key prefixes the dr site holds a replica of: those of every replica's primary
 * (`siros/prod/` for dr), once each, sorted.
 */
export function replicatedStatePrefixes(environments: Iterable<StateOwner>): string[] {
  const all = [...environments];
  const primaries = all.filter((e) => all.some((replica) => replica.replicaOf === e.name));
  return [...new Set(primaries.map((e) => statePrefix(e.project, e.name)))].sort();
}

/** The bucket, table, region and endpoints of one site. */
export function stateLocation(settings: StateSettings, site: StateSite): StateLocation {
  if (site === "dr") return settings.dr;
  const { bucket, lockTable, region, s3Endpoint, dynamodbEndpoint } = settings;
  return { bucket, lockTable, region, s3Endpoint, dynamodbEndpoint };
}

function isHttpUrl(value: string): boolean {
  try {
    const url = new URL(value);
    return url.protocol === "http:" || url.protocol === "https:";
  } catch {
    return false;
  }
}

/** `<project>/<environment>/<component>/terraform.tfstate`: unique per stack, readable in a bucket listing. */
export function stateKey(project: string, environment: string, component: string): string {
  return `${statePrefix(project, environment)}${component}/terraform.tfstate`;
}

/** `<project>/<environment>/`: every stack of the environment keeps its state below it. */
export function statePrefix(project: string, environment: string): string {
  return `${project}/${environment}/`;
}

/** Settings only the state bootstrap stack uses. */
export interface BootstrapSettings {
  /** @default 90 */
  readonly noncurrentVersionDays: number;
  /** Existing bucket in the primary state region for the primary bucket's access logs. @default - no access logging */
  readonly accessLogBucket?: string;
  /** Existing bucket in the dr state region for the dr bucket's access logs. @default - no access logging */
  readonly drAccessLogBucket?: string;
  /** @default "local" */
  readonly backend: "local" | "s3";
}

export const BOOTSTRAP_ENV_VARS = {
  noncurrentVersionDays: "SIROS_STATE_NONCURRENT_DAYS",
  accessLogBucket: "SIROS_STATE_ACCESS_LOG_BUCKET",
  drAccessLogBucket: "SIROS_STATE_DR_ACCESS_LOG_BUCKET",
  backend: "SIROS_STATE_BOOTSTRAP_BACKEND",
} as const satisfies Record<keyof BootstrapSettings, string>;

export function resolveBootstrapSettings(env: Readonly<Record<string, string | undefined>>): BootstrapSettings {
  const value = (key: keyof BootstrapSettings) => env[BOOTSTRAP_ENV_VARS[key]] || undefined;
  const days = value("noncurrentVersionDays");
  const settings: BootstrapSettings = {
    noncurrentVersionDays: days === undefined ? 90 : Number(days),
    accessLogBucket: value("accessLogBucket"),
    drAccessLogBucket: value("drAccessLogBucket"),
    backend: (value("backend") ?? "local") as BootstrapSettings["backend"],
  };
  const problems: string[] = [];
  const report = (key: keyof BootstrapSettings, raw: unknown, problem: string) =>
    problems.push(`${BOOTSTRAP_ENV_VARS[key]} (bootstrap ${key}): ${JSON.stringify(raw)} ${problem}`);
  if (!Number.isInteger(settings.noncurrentVersionDays) || settings.noncurrentVersionDays < 1) {
    report("noncurrentVersionDays", days, "is not a whole number of days of at least 1");
  }
  for (const key of ["accessLogBucket", "drAccessLogBucket"] as const) {
    const bucket = settings[key];
    if (bucket !== undefined && !BUCKET_NAME.test(bucket)) report(key, bucket, "is not a valid S3 bucket name");
  }
  if (settings.backend !== "local" && settings.backend !== "s3") {
    report("backend", settings.backend, 'is not a backend for the bootstrap stack; valid: "local", "s3"');
  }
  if (problems.length > 0) throw new ConfigError("Invalid state bootstrap settings", problems);
  return settings;
}
