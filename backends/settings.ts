import { CLOUD_CATALOG, regionNames } from "../environments/catalog";
import { ConfigError } from "../lib/errors";

/**
 * Where Terraform state lives: one S3 bucket and one DynamoDB lock table for every
 * stack. The defaults below are the single source of these names; the state bootstrap
 * stack creates exactly what the backend construct then points at.
 */
export type LockingMode = "dynamodb" | "lockfile" | "both";
export const LOCKING_MODES: readonly LockingMode[] = ["dynamodb", "lockfile", "both"];

export interface StateSettings {
  /** @default "siros-terraform-state" */
  readonly bucket: string;
  /** @default "siros-terraform-locks" */
  readonly lockTable: string;
  /** @default "eu-west-1" */
  readonly region: string;
  /**
   * How Terraform locks state. `dynamodb` works on every Terraform version the backend
   * supports; `lockfile` (an S3 object beside the state) needs Terraform 1.10 or later;
   * `both` takes both locks, the documented path from DynamoDB to lock files.
   * @default "dynamodb"
   */
  readonly locking: LockingMode;
  /** S3 API endpoint of an S3-compatible store; unset means AWS. */
  readonly s3Endpoint?: string;
  /** DynamoDB API endpoint of a compatible server; unset means AWS. */
  readonly dynamodbEndpoint?: string;
}

export const DEFAULT_STATE_SETTINGS: StateSettings = {
  bucket: "siros-terraform-state",
  lockTable: "siros-terraform-locks",
  region: "eu-west-1",
  locking: "dynamodb",
};

/** The environment variables that override the defaults, one per setting. */
export const STATE_ENV_VARS = {
  bucket: "SIROS_STATE_BUCKET",
  lockTable: "SIROS_STATE_LOCK_TABLE",
  region: "SIROS_STATE_REGION",
  locking: "SIROS_STATE_LOCKING",
  s3Endpoint: "SIROS_STATE_ENDPOINT",
  dynamodbEndpoint: "SIROS_STATE_DYNAMODB_ENDPOINT",
} as const satisfies Record<keyof StateSettings, string>;

const BUCKET_NAME = /^(?!xn--)(?!.*\.\.)[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/;
const TABLE_NAME = /^[A-Za-z0-9_.-]{3,255}$/;

/**
 * Reads overrides from `env` (pass `process.env`) over the defaults and validates
 * the result. Only main.ts and the tools call this; constructs receive the result.
 */
export function resolveStateSettings(env: Readonly<Record<string, string | undefined>>): StateSettings {
  const pick = (key: keyof StateSettings): string | undefined => {
    const value = env[STATE_ENV_VARS[key]];
    return value === undefined || value === "" ? undefined : value;
  };
  const settings: StateSettings = {
    bucket: pick("bucket") ?? DEFAULT_STATE_SETTINGS.bucket,
    lockTable: pick("lockTable") ?? DEFAULT_STATE_SETTINGS.lockTable,
    region: pick("region") ?? DEFAULT_STATE_SETTINGS.region,
    locking: (pick("locking") ?? DEFAULT_STATE_SETTINGS.locking) as LockingMode,
    s3Endpoint: pick("s3Endpoint"),
    dynamodbEndpoint: pick("dynamodbEndpoint"),
  };
  const problems = validateStateSettings(settings);
  if (problems.length > 0) throw new ConfigError("Invalid state backend settings", problems);
  return settings;
}

export function validateStateSettings(settings: StateSettings): string[] {
  const problems: string[] = [];
  const report = (key: keyof StateSettings, problem: string) =>
    problems.push(`${STATE_ENV_VARS[key]} (state ${key}): ${JSON.stringify(settings[key])} ${problem}`);
  if (!BUCKET_NAME.test(settings.bucket)) {
    report("bucket", "is not a valid S3 bucket name; use 3 to 63 lowercase letters, digits, dots or hyphens, starting and ending with a letter or digit");
  }
  if (!TABLE_NAME.test(settings.lockTable)) {
    report("lockTable", "is not a valid DynamoDB table name; use 3 to 255 letters, digits, '_', '-' or '.'");
  }
  if (!(settings.region in CLOUD_CATALOG.aws.regions)) {
    report("region", `is not a region of AWS; valid: ${regionNames("aws").join(", ")}`);
  }
  if (!LOCKING_MODES.includes(settings.locking)) {
    report("locking", `is not a locking mode; valid: ${LOCKING_MODES.join(", ")}`);
  }
  for (const key of ["s3Endpoint", "dynamodbEndpoint"] as const) {
    const value = settings[key];
    if (value !== undefined && !isHttpUrl(value)) report(key, "is not an http(s) URL, e.g. http://127.0.0.1:4569");
  }
  return problems;
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
  return `${project}/${environment}/${component}/terraform.tfstate`;
}

/** Settings only the state bootstrap stack uses. */
export interface BootstrapSettings {
  /** @default 90 */
  readonly noncurrentVersionDays: number;
  /** @default - no access logging */
  readonly accessLogBucket?: string;
  /** @default "local" */
  readonly backend: "local" | "s3";
}

export const BOOTSTRAP_ENV_VARS = {
  noncurrentVersionDays: "SIROS_STATE_NONCURRENT_DAYS",
  accessLogBucket: "SIROS_STATE_ACCESS_LOG_BUCKET",
  backend: "SIROS_STATE_BOOTSTRAP_BACKEND",
} as const satisfies Record<keyof BootstrapSettings, string>;

export function resolveBootstrapSettings(env: Readonly<Record<string, string | undefined>>): BootstrapSettings {
  const value = (key: keyof BootstrapSettings) => env[BOOTSTRAP_ENV_VARS[key]] || undefined;
  const days = value("noncurrentVersionDays");
  const settings: BootstrapSettings = {
    noncurrentVersionDays: days === undefined ? 90 : Number(days),
    accessLogBucket: value("accessLogBucket"),
    backend: (value("backend") ?? "local") as BootstrapSettings["backend"],
  };
  const problems: string[] = [];
  const report = (key: keyof BootstrapSettings, raw: unknown, problem: string) =>
    problems.push(`${BOOTSTRAP_ENV_VARS[key]} (bootstrap ${key}): ${JSON.stringify(raw)} ${problem}`);
  if (!Number.isInteger(settings.noncurrentVersionDays) || settings.noncurrentVersionDays < 1) {
    report("noncurrentVersionDays", days, "is not a whole number of days of at least 1");
  }
  if (settings.accessLogBucket !== undefined && !BUCKET_NAME.test(settings.accessLogBucket)) {
    report("accessLogBucket", settings.accessLogBucket, "is not a valid S3 bucket name");
  }
  if (settings.backend !== "local" && settings.backend !== "s3") {
    report("backend", settings.backend, 'is not a backend for the bootstrap stack; valid: "local", "s3"');
  }
  if (problems.length > 0) throw new ConfigError("Invalid state bootstrap settings", problems);
  return settings;
}
