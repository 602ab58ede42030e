import { parseCommandLine, UsageError } from "../args";

export { UsageError };

/** What `npm run diff` was asked to do. */
export interface DiffOptions {
  readonly help: boolean;
  /** Stack ids named with --stacks; undefined means every synthesized stack (narrowed by SIROS_CLOUDS/SIROS_ENVS). */
  readonly stacks?: readonly string[];
  readonly parallel: number;
  readonly outdir?: string;
  readonly json?: string;
  readonly markdown?: string;
  /** Plan with `-lock=false`: no lock taken, so a stopped plan cannot leave one (see HELP). */
  readonly noLock: boolean;
  /** Passed to `terraform plan -lock-timeout`, in Terraform's duration syntax. */
  readonly lockTimeout: string;
  /** Init and plan of one stack together, after which Terraform is stopped. */
  readonly timeoutSeconds: number;
  /** How long a stopped Terraform gets, after its interrupt, to release its lock and exit before it is killed. */
  readonly killGraceSeconds: number;
}

export const DEFAULTS = { parallel: 2, lockTimeout: "5m", timeoutSeconds: 1800, killGraceSeconds: 120 } as const;

export const HELP = `Usage: npm run diff -- [options]

Plans every synthesized stack with the Terraform CLI and prints one matrix, cloud x
environment, whose cells say "no changes", "changes" or "error". Stacks whose id is not
<cloud>-<env> are listed under "other stacks".

It does NOT synthesize: run "npm run synth" first (SIROS_CLOUDS / SIROS_ENVS narrow both).
For each stack, in its folder under cdktf.out/stacks and in dependency order (from
cdktf.out/manifest.json), it runs
  terraform init -input=false -reconfigure
  terraform plan -detailed-exitcode -input=false -lock-timeout=<lock-timeout>   (or -lock=false)
A stack whose dependency failed is not planned and counts as an error.

Options:
  --stacks a,b          only these stacks, e.g. --stacks aws-dev,gcp-prod (may repeat)
                        (default: all, narrowed by SIROS_CLOUDS / SIROS_ENVS when set)
  --parallel N          stacks planned at once, 1 to 64 (default ${DEFAULTS.parallel})
  --json FILE           write a machine-readable summary
  --markdown FILE       write a summary for a pull-request comment
  --outdir DIR          the synth output to read (default: "output" of cdktf.json, cdktf.out)
  --lock-timeout T      how long plan waits for a state lock, Terraform's duration syntax,
                        e.g. 30s, 5m, 1m30s (default ${DEFAULTS.lockTimeout})
  --no-lock             plan with -lock=false: no lock is taken, so a plan never waits for a
                        lock and a cancelled plan cannot leave one; a plan may then read state
                        that an apply running at the same time is writing (its result is stale,
                        never the state). For read-only pull-request and drift plans.
  --timeout SECONDS     limit for init + plan of one stack (default ${DEFAULTS.timeoutSeconds})
  --kill-grace SECONDS  after --timeout or Ctrl-C, Terraform gets an interrupt and this long to
                        release its lock and exit before it is killed (default ${DEFAULTS.killGraceSeconds})
  --help                show this text

Stopping: on --timeout, Ctrl-C or SIGTERM (a cancelled CI job) every running Terraform gets
SIGINT, as Ctrl-C in a terminal sends, waits up to --kill-grace for it to release its state
lock, and only then is killed. When a plan had to be killed its lock may remain: the report
says so, with the lock's ID (read from Terraform's log) and the force-unlock command that
releases it. A second Ctrl-C kills at once.

Exit status: 0 nothing would change, 2 some stack would change (drift), 1 any error or a stop.
Terraform is taken from PATH, or from TERRAFORM_BINARY_NAME as cdktf does; it needs the
credentials of the state bucket and of each stack's cloud.`;

/**
 * Terraform's duration syntax (Go's time.ParseDuration, which -lock-timeout uses): one or
 * more number+unit pairs such as 30s, 1m30s, 1.5h, 500ms; "0" alone.
 */
const TERRAFORM_DURATION = /^(?:0|(?:(?:\d+(?:\.\d*)?|\.\d+)(?:ns|us|µs|ms|s|m|h))+)$/;
const STACK_ID = /^[A-Za-z0-9][A-Za-z0-9_.-]*$/;
export const MAX_PARALLEL = 64;

export function parseOptions(argv: readonly string[]): DiffOptions {
  const values = parseCommandLine(argv, {
    help: { type: "boolean", short: "h" },
    stacks: { type: "string", multiple: true },
    parallel: { type: "string" },
    json: { type: "string" },
    markdown: { type: "string" },
    outdir: { type: "string" },
    "lock-timeout": { type: "string" },
    "no-lock": { type: "boolean" },
    timeout: { type: "string" },
    "kill-grace": { type: "string" },
  });
  const string = (name: string) => values[name] as string | undefined;
  if (values["no-lock"] && string("lock-timeout") !== undefined) {
    throw new UsageError(`--lock-timeout and --no-lock exclude each other: without a lock there is nothing to wait for`);
  }
  return {
    help: values.help === true,
    stacks: values.stacks === undefined ? undefined : stackList(values.stacks as string[]),
    parallel: wholeNumber("--parallel", string("parallel"), DEFAULTS.parallel, 1, MAX_PARALLEL),
    outdir: path("--outdir", string("outdir")),
    json: path("--json", string("json")),
    markdown: path("--markdown", string("markdown")),
    noLock: values["no-lock"] === true,
    lockTimeout: duration(string("lock-timeout")),
    timeoutSeconds: wholeNumber("--timeout", string("timeout"), DEFAULTS.timeoutSeconds, 1, 86_400),
    killGraceSeconds: wholeNumber("--kill-grace", string("kill-grace"), DEFAULTS.killGraceSeconds, 1, 3_600),
  };
}

function stackList(raw: readonly string[]): string[] {
  const ids = raw.flatMap((value) => value.split(",").map((s) => s.trim()));
  const bad = ids.filter((id) => !STACK_ID.test(id));
  if (bad.length > 0 || ids.length === 0) {
    throw new UsageError(`--stacks: ${bad.map((b) => JSON.stringify(b)).join(", ")} is not a stack id; give a comma list such as aws-dev,gcp-prod`);
  }
  return [...new Set(ids)];
}

function wholeNumber(flag: string, raw: string | undefined, fallback: number, min: number, max: number): number {
  if (raw === undefined) return fallback;
  const value = /^\d+$/.test(raw) ? Number(raw) : NaN;
  if (!Number.isSafeInteger(value) || value < min || value > max) {
    throw new UsageError(`${flag}: ${JSON.stringify(raw)} is not a whole number from ${min} to ${max}`);
  }
  return value;
}

function path(flag: string, raw: string | undefined): string | undefined {
  if (raw === undefined) return undefined;
  if (raw.trim() === "" || raw.startsWith("-")) {
    throw new UsageError(`${flag}: ${JSON.stringify(raw)} is not a path; name a file or folder (use ./${raw.trim() || "NAME"} for a name starting with "-")`);
  }
  return raw;
}

function duration(raw: string | undefined): string {
  if (raw === undefined) return DEFAULTS.lockTimeout;
  if (!TERRAFORM_DURATION.test(raw)) {
    throw new UsageError(`--lock-timeout: ${JSON.stringify(raw)} is not a Terraform duration; use a number and unit (ms, s, m, h), pairs allowed, e.g. 30s, 5m, 1m30s`);
  }
  return raw;
}
