/**
 * `npm run parity`: the capability matrix of every synthesized stack, judged against the
 * declared differences. See HELP.
 */
import { mkdirSync, writeFileSync } from "node:fs";
import { dirname, resolve } from "node:path";
import { loadEnvironments } from "../environments";
import { DIFFERS_FROM_PROD } from "../environments/shape";
import { loadOutputFolder, OutputFolderError } from "../policy/terraform-json";
import { parseCommandLine, UsageError } from "../tools/args";
import { GAPS } from "./gaps";
import { buildMatrix } from "./matrix";
import type { ParityMatrix } from "./model";
import { CAPABILITIES } from "./registry";
import { renderHtml, renderJson, renderText, summary } from "./render";

export const HELP = `Usage: npm run parity -- [options]

Reads every synthesized stack (<cloud>-<environment>) and prints, per capability, each
cloud-neutral property for every cloud and environment. A cell is equal, a declared
difference (a setting environments/shape.ts lets this environment change), a cloud gap
(declared in the module's gaps.ts) or undeclared drift. It does NOT synthesize: run
"npm run synth" first.

Options:
  --dir DIR          cdktf output folder to read (default cdktf.out)
  --json FILE        also write the matrix as JSON to FILE
  --html FILE        also write the page (one grid per capability, self-contained) to FILE
  --fail-on-drift    exit 1 when any cell is undeclared drift
  --help             show this text

Exit status: 0 (also with drift, unless --fail-on-drift), 1 drift with --fail-on-drift,
2 bad options or an output folder that cannot be read.`;

export interface ParityOptions {
  readonly help: boolean;
  readonly dir: string;
  readonly json?: string;
  readonly html?: string;
  readonly failOnDrift: boolean;
}

export function parseParityOptions(argv: readonly string[]): ParityOptions {
  const values = parseCommandLine(argv, {
    help: { type: "boolean" },
    dir: { type: "string" },
    json: { type: "string" },
    html: { type: "string" },
    "fail-on-drift": { type: "boolean" },
  });
  const path = (flag: string): string | undefined => {
    const value = values[flag] as string | undefined;
    if (value !== undefined && value.trim() === "") throw new UsageError(`--${flag} needs a value`);
    return value;
  };
  return { help: values.help === true, dir: path("dir") ?? "cdktf.out", json: path("json"), html: path("html"), failOnDrift: values["fail-on-drift"] === true };
}

/** The matrix of one output folder, with the project's declarations. */
export function parityOf(dir: string): ParityMatrix {
  return buildMatrix({ stacks: loadOutputFolder(dir), environments: loadEnvironments(), capabilities: CAPABILITIES, gaps: GAPS, differsFromProd: DIFFERS_FROM_PROD });
}

export interface ParityOutcome {
  readonly exitCode: 0 | 1 | 2;
  readonly stdout: string;
  readonly stderr: string;
}

/** The whole command without touching the process; main only wires it up. */
export function runParity(argv: readonly string[]): ParityOutcome {
  let options: ParityOptions;
  try {
    options = parseParityOptions(argv);
  } catch (error) {
    if (error instanceof UsageError) return { exitCode: 2, stdout: "", stderr: `parity: ${error.message}\nRun "npm run parity -- --help" for the options.\n` };
    throw error;
  }
  if (options.help) return { exitCode: 0, stdout: `${HELP}\n`, stderr: "" };
  let matrix: ParityMatrix;
  try {
    matrix = parityOf(options.dir);
  } catch (error) {
    if (error instanceof OutputFolderError) return { exitCode: 2, stdout: "", stderr: `parity: ${error.message}\n` };
    throw error;
  }
  if (matrix.cells.length === 0) return { exitCode: 2, stdout: "", stderr: `parity: ${options.dir}: no <cloud>-<environment> stack to compare\n` };
  const written: string[] = [];
  for (const [file, text] of [
    [options.json, () => renderJson(matrix)],
    [options.html, () => renderHtml(matrix, options.dir)],
  ] as const) {
    if (file === undefined) continue;
    mkdirSync(dirname(resolve(file)), { recursive: true });
    writeFileSync(file, text());
    written.push(`parity: written ${file}\n`);
  }
  const drift = matrix.counts.drift > 0;
  return { exitCode: drift && options.failOnDrift ? 1 : 0, stdout: renderText(matrix), stderr: `${written.join("")}${drift ? `${summary(matrix)}: undeclared drift\n` : ""}` };
}

if (require.main === module) {
  const outcome = runParity(process.argv.slice(2));
  process.stdout.write(outcome.stdout);
  process.stderr.write(outcome.stderr);
  process.exitCode = outcome.exitCode;
}
