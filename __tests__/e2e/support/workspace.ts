import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import type { LockingMode } from "../../../backends/settings";
import { run, type RunResult } from "./processes";
import { LOCAL_CREDENTIALS, LOCAL_REGION, type StateServers } from "./state-servers";

export const ROOT = resolve(__dirname, "..", "..", "..");
export const CDKTF = join(ROOT, "node_modules", ".bin", "cdktf");
const FIXTURE = join(ROOT, "__tests__", "e2e", "fixture");
const TSX_LOADER = join(ROOT, "node_modules", "tsx", "dist", "loader.mjs");

// Variables of the calling shell that would point a child at real clouds, real state or
// someone's Terraform configuration; the suite sets its own.
const FOREIGN = /^(SIROS_|FIXTURE_|TF_|AWS_|ARM_|GOOGLE_|CLOUDSDK_|CDKTF_|npm_|HOME$|TMPDIR$)/;

/**
 * One temp folder per test file holding everything its processes write: a HOME (Terraform's
 * and npm's per-user files), TMPDIR, an empty Terraform CLI configuration, s3rver's objects
 * and the fixture work dirs. Removing it leaves nothing behind.
 */
export class Workspace {
  readonly root: string;
  private readonly baseEnv: NodeJS.ProcessEnv;

  constructor(name: string) {
    this.root = mkdtempSync(join(tmpdir(), `siros-e2e-${name}-`));
    const home = this.dir("home");
    const cliConfig = join(this.root, "terraform.rc");
    writeFileSync(cliConfig, "");
    const inherited = Object.fromEntries(Object.entries(process.env).filter(([key]) => !FOREIGN.test(key)));
    this.baseEnv = {
      ...inherited,
      HOME: home,
      TMPDIR: this.dir("tmp"),
      TF_CLI_CONFIG_FILE: cliConfig,
      CHECKPOINT_DISABLE: "1",
      TF_IN_AUTOMATION: "1",
      // Dummy credentials: the backend must never look for real ones.
      AWS_ACCESS_KEY_ID: LOCAL_CREDENTIALS.accessKeyId,
      AWS_SECRET_ACCESS_KEY: LOCAL_CREDENTIALS.secretAccessKey,
      AWS_EC2_METADATA_DISABLED: "true",
      CI: "1",
      NO_COLOR: "1",
      FORCE_COLOR: "0",
    };
  }

  /** A folder inside the workspace, created if missing. */
  dir(...segments: string[]): string {
    const path = join(this.root, ...segments);
    mkdirSync(path, { recursive: true });
    return path;
  }

  env(extra: Record<string, string | undefined> = {}): NodeJS.ProcessEnv {
    return { ...this.baseEnv, ...extra };
  }

  dispose(): void {
    rmSync(this.root, { recursive: true, force: true });
  }
}

/** Writes the fixture's cdktf.json into `dir`, its app pointed at the fixture in the repo. */
export function writeFixtureApp(dir: string): string {
  const config = JSON.parse(readFileSync(join(FIXTURE, "cdktf.json"), "utf8"));
  config.app = `node --import ${JSON.stringify(TSX_LOADER)} ${JSON.stringify(join(FIXTURE, "main.ts"))}`;
  writeFileSync(join(dir, "cdktf.json"), JSON.stringify(config, null, 2));
  return dir;
}

export interface StateTarget {
  readonly bucket: string;
  readonly table: string;
  readonly locking?: LockingMode;
  /** Overrides the live server's endpoints, e.g. with a closed port. */
  readonly s3Endpoint?: string;
  readonly dynamodbEndpoint?: string;
}

/** The project's SIROS_STATE_* variables, pointed at the local servers. */
export function stateEnv(servers: StateServers, target: StateTarget): Record<string, string> {
  return {
    SIROS_STATE_BUCKET: target.bucket,
    SIROS_STATE_LOCK_TABLE: target.table,
    SIROS_STATE_REGION: LOCAL_REGION,
    SIROS_STATE_LOCKING: target.locking ?? "dynamodb",
    SIROS_STATE_ENDPOINT: target.s3Endpoint ?? servers.s3Endpoint,
    SIROS_STATE_DYNAMODB_ENDPOINT: target.dynamodbEndpoint ?? servers.dynamodbEndpoint,
  };
}

/** Runs the real cdktf CLI in `cwd`. */
export function cdktf(
  workspace: Workspace,
  cwd: string,
  args: readonly string[],
  env: Record<string, string | undefined>,
  timeoutMs = 180_000,
): Promise<RunResult> {
  return run(CDKTF, args, { cwd, env: workspace.env(env), timeoutMs });
}

/** Runs the Terraform CLI in `cwd`. */
export function terraform(workspace: Workspace, cwd: string, args: readonly string[], timeoutMs = 120_000): Promise<RunResult> {
  return run("terraform", [...args, "-no-color"], { cwd, env: workspace.env(), timeoutMs });
}

/** What the S3 backend stores for a state key: Terraform's lock file sits beside the state. */
export const lockFileKey = (stateKey: string) => `${stateKey}.tflock`;
/** Terraform's DynamoDB lock item is `<bucket>/<key>`; a `-md5` item beside it holds the state digest. */
export const lockItemId = (bucket: string, stateKey: string) => `${bucket}/${stateKey}`;

/** Describes a failed run for an assertion message. */
export const describeRun = (what: string, result: RunResult) =>
  `${what} exited ${result.code ?? result.signal}${result.timedOut ? " (timed out)" : ""} after ${result.durationMs} ms:\n${result.output.slice(-4000)}`;
