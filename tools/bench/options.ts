import { parseArgs } from "node:util";

/** The ways `npm run bench` can measure, by the name `--ways` takes. */
export const WAY_IDS = ["app", "app-one-env", "app-no-snapshot", "npm-synth", "npm-synth-rebuild", "cdktf-synth", "ts-node"] as const;
export type WayId = (typeof WAY_IDS)[number];

export interface BenchOptions {
  readonly help: boolean;
  readonly rounds: number;
  readonly json: boolean;
  readonly ways: readonly WayId[];
}

export class UsageError extends Error {}

export const DEFAULT_ROUNDS = 3;
export const MAX_ROUNDS = 100;

export const HELP = `Usage: npm run bench -- [options]

Synthesizes the project several ways, alternating them round by round so machine noise hits
all alike, and prints the median wall time and peak memory of each:
  app                the project's app (cdktf.json), all stacks
  app-one-env        the same, one environment's stacks (SIROS_ENVS=dev): how synth grows
  app-no-snapshot    the app, all stacks, without its packages' startup snapshot (SIROS_APP_SNAPSHOT=0)
  npm-synth          npm run synth
  npm-synth-rebuild  npm run synth right after an edit (the app is rebuilt first)
  cdktf-synth        cdktf synth (the CLI)
  ts-node            npx ts-node main.ts, the way cdktf init sets a project up
Peak memory is the largest resident set of any one process of the run (GNU time's %M).

Options:
  --rounds N    measured runs of each way, after one warm-up run (1 to ${MAX_ROUNDS}, default ${DEFAULT_ROUNDS})
  --ways a,b    only these ways (default: all)
  --json        print the figures as JSON instead of a table
  --help        show this text

Exit status: 0 measured, 1 a run failed or wrote other stacks than expected, 2 bad options.`;

/** `--rounds -1` is a bad number of rounds, not a missing value followed by an option. */
function joinNegativeValues(argv: readonly string[]): string[] {
  const joined: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    if (argv[i] === "--rounds" && /^-\d/.test(argv[i + 1] ?? "")) joined.push(`--rounds=${argv[++i]}`);
    else joined.push(argv[i]);
  }
  return joined;
}

function parseRounds(value: string | undefined): number {
  if (value === undefined) return DEFAULT_ROUNDS;
  const rounds = Number(value);
  if (!/^\d+$/.test(value.trim()) || !Number.isSafeInteger(rounds) || rounds < 1 || rounds > MAX_ROUNDS) {
    throw new UsageError(`--rounds: "${value}" is not a whole number from 1 to ${MAX_ROUNDS}`);
  }
  return rounds;
}

function parseWays(value: string | undefined): WayId[] {
  if (value === undefined) return [...WAY_IDS];
  const names = value.split(",").map((name) => name.trim());
  const unknown = names.filter((name) => !(WAY_IDS as readonly string[]).includes(name));
  if (unknown.length > 0) throw new UsageError(`--ways: "${unknown[0]}" is not a way to measure; valid: ${WAY_IDS.join(", ")}`);
  const duplicates = names.filter((name, index) => names.indexOf(name) !== index);
  if (duplicates.length > 0) throw new UsageError(`--ways: "${duplicates[0]}" named twice`);
  return names as WayId[];
}

export function parseBenchArgs(argv: readonly string[]): BenchOptions {
  let parsed;
  try {
    parsed = parseArgs({
      args: joinNegativeValues(argv),
      options: {
        rounds: { type: "string" },
        ways: { type: "string" },
        json: { type: "boolean" },
        help: { type: "boolean", short: "h" },
      },
      strict: true,
      allowPositionals: false,
      tokens: true,
    });
  } catch (error) {
    throw new UsageError((error as Error).message.split("\n")[0]);
  }
  const seen = new Set<string>();
  for (const token of parsed.tokens) {
    if (token.kind !== "option") continue;
    if (seen.has(token.name)) throw new UsageError(`--${token.name} given twice`);
    seen.add(token.name);
  }
  const { values } = parsed;
  return {
    help: values.help === true,
    rounds: parseRounds(values.rounds),
    json: values.json === true,
    ways: parseWays(values.ways),
  };
}
