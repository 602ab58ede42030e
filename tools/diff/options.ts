/** What `npm run diff` was asked to do. */
export interface DiffOptions {
  readonly help: boolean;
  /** Stack ids named with --stacks; undefined means every synthesized stack (narrowed by SIROS_CLOUDS/SIROS_ENVS). */
  readonly stacks?: readonly string[];
  readonly parallel: number;
  readonly outdir?: string;
  readonly json?: string;
  readonly markdown?: string;
  /** Passed to `terraform plan -lock-timeout`. */
  readonly lockTimeout: string;
  /** Init and plan of one stack together, after which its processes are killed. */
  readonly timeoutSeconds: number;
}

export class UsageError extends Error {}

export const DEFAULTS = { parallel: 2, lockTimeout: "5m", timeoutSeconds: 1800 } as const;

export const HELP = `Usage: npm run diff -- [options]

Plans every synthesized stack with the Terraform CLI and prints one matrix, cloud x
environment, whose cells say "no changes", "changes" or "error". Stacks whose id is not
<cloud>-<env> are listed under "other stacks".

It does NOT synthesize: run "npm run synth" first (SIROS_CLOUDS / SIROS_ENVS narrow both).
For each stack, in its folder under cdktf.out/stacks and in dependency order (from
cdktf.out/manifest.json), it runs
  terraform init -input=false -reconfigure
  terraform plan -detailed-exitcode -input=false -lock-timeout=<lock-timeout>
A stack whose dependency failed is not planned and counts as an error.

Options:
  --stacks a,b          only these stacks, e.g. --stacks aws-dev,gcp-prod
                        (default: all, narrowed by SIROS_CLOUDS / SIROS_ENVS when set)
  --parallel N          stacks planned at once (default ${DEFAULTS.parallel})
  --json FILE           write a machine-readable summary
  --markdown FILE       write a summary for a pull-request comment
  --outdir DIR          the synth output to read (default: "output" of cdktf.json, cdktf.out)
  --lock-timeout T      how long plan waits for a state lock, e.g. 30s, 5m (default ${DEFAULTS.lockTimeout})
  --timeout SECONDS     limit for init + plan of one stack (default ${DEFAULTS.timeoutSeconds})
  --help                show this text

Exit status: 0 nothing would change, 2 some stack would change (drift), 1 any error.
Terraform is taken from PATH, or from TERRAFORM_BINARY_NAME as cdktf does; it needs the
credentials of the state bucket and of each stack's cloud.`;

const LOCK_TIMEOUT = /^\d+(ms|s|m|h)$/;

export function parseOptions(argv: readonly string[]): DiffOptions {
  let help = false;
  let stacks: string[] | undefined;
  let parallel: number = DEFAULTS.parallel;
  let lockTimeout: string = DEFAULTS.lockTimeout;
  let timeoutSeconds: number = DEFAULTS.timeoutSeconds;
  let outdir: string | undefined;
  let json: string | undefined;
  let markdown: string | undefined;

  for (let i = 0; i < argv.length; i++) {
    const [flag, inline] = argv[i].startsWith("--") && argv[i].includes("=") ? splitOnce(argv[i]) : [argv[i], undefined];
    const value = (): string => {
      const next = inline ?? argv[++i];
      if (next === undefined || next === "") throw new UsageError(`${flag} needs a value`);
      return next;
    };
    switch (flag) {
      case "--help":
      case "-h":
        help = true;
        break;
      case "--stacks":
        stacks = [...(stacks ?? []), ...value().split(",").map((s) => s.trim()).filter(Boolean)];
        break;
      case "--parallel":
        parallel = positiveInteger(flag, value());
        break;
      case "--lock-timeout":
        lockTimeout = value();
        if (!LOCK_TIMEOUT.test(lockTimeout)) throw new UsageError(`--lock-timeout: "${lockTimeout}" is not a duration such as 30s or 5m`);
        break;
      case "--timeout":
        timeoutSeconds = positiveInteger(flag, value());
        break;
      case "--outdir":
        outdir = value();
        break;
      case "--json":
        json = value();
        break;
      case "--markdown":
        markdown = value();
        break;
      default:
        throw new UsageError(`unknown argument "${argv[i]}"`);
    }
  }
  return { help, stacks, parallel, lockTimeout, timeoutSeconds, outdir, json, markdown };
}

function splitOnce(arg: string): [string, string] {
  const at = arg.indexOf("=");
  return [arg.slice(0, at), arg.slice(at + 1)];
}

function positiveInteger(flag: string, raw: string): number {
  const value = Number(raw);
  if (!Number.isInteger(value) || value < 1) throw new UsageError(`${flag}: "${raw}" is not a positive whole number`);
  return value;
}
