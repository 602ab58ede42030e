import { parseArgs } from "node:util";
import type { PackSelection } from "./engine";
import { FORMATS, type Format } from "./report";
import type { Level } from "./rule";

/** What `npm run check` was asked to do. */
export interface CheckOptions {
  readonly help: boolean;
  /** Print the README's rules table instead of checking. */
  readonly rulesTable: boolean;
  readonly dir: string;
  readonly format: Format;
  readonly output?: string;
  /** Lowest unsuppressed level that fails the run. */
  readonly level: Level;
  readonly pack: PackSelection;
}

export class UsageError extends Error {}

const LEVELS: readonly Level[] = ["error", "warning"];
const PACKS: readonly PackSelection[] = ["auto", "baseline", "production"];

export const HELP = `Usage: npm run check -- [options]

Checks synthesized Terraform JSON against the policy rules (policy/rules) and reports
every finding by stack. It does NOT synthesize: run "npm run synth" first.

Options:
  --dir DIR          cdktf output folder to read (default cdktf.out): the stacks its
                     manifest.json lists, or every stacks/*/cdk.tf.json
  --format F         text (default), json or sarif (SARIF 2.1.0, for code scanning)
  --output FILE      write the report to FILE instead of standard output
  --level L          error (default): fail on unsuppressed errors;
                     warning: fail on unsuppressed warnings too
  --pack P           auto (default): production rules for stacks of prod, staging and dr
                     (and state-bootstrap), baseline for the others;
                     baseline or production: that pack for every stack
  --rules-table      print the rules as the Markdown table README.md shows, and exit
  --help             show this text

Exit status: 0 no failing finding, 1 a failing finding (level above), 2 bad options or
an output folder that cannot be read.`;

export function parseOptions(argv: readonly string[]): CheckOptions {
  let parsed;
  try {
    parsed = parseArgs({
      args: [...argv],
      strict: true,
      allowPositionals: false,
      options: {
        help: { type: "boolean", short: "h", default: false },
        "rules-table": { type: "boolean", default: false },
        dir: { type: "string", default: "cdktf.out" },
        format: { type: "string", default: "text" },
        output: { type: "string" },
        level: { type: "string", default: "error" },
        pack: { type: "string", default: "auto" },
      },
    });
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
  const { values } = parsed;
  return {
    help: values.help === true,
    rulesTable: values["rules-table"] === true,
    dir: nonEmpty("--dir", values.dir as string),
    format: oneOf("--format", values.format as string, FORMATS),
    output: values.output === undefined ? undefined : nonEmpty("--output", values.output),
    level: oneOf("--level", values.level as string, LEVELS),
    pack: oneOf("--pack", values.pack as string, PACKS),
  };
}

function oneOf<T extends string>(flag: string, value: string, allowed: readonly T[]): T {
  if (!(allowed as readonly string[]).includes(value)) {
    throw new UsageError(`${flag}: "${value}" is not one of ${allowed.join(", ")}`);
  }
  return value as T;
}

function nonEmpty(flag: string, value: string): string {
  if (value.trim() === "") throw new UsageError(`${flag} needs a value`);
  return value;
}
