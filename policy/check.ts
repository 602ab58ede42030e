/**
 * `npm run check`: the policy pack over a synthesized output folder. See HELP in ./options.ts.
 */
import { mkdirSync, writeFileSync } from "node:fs";
import { dirname, resolve } from "node:path";
import { exitCodeOf, runChecks } from "./engine";
import { HELP, parseOptions, UsageError, type CheckOptions } from "./options";
import { render } from "./report";
import { RULES } from "./rules";
import { rulesTable } from "./rules-table";
import { loadOutputFolder, OutputFolderError } from "./terraform-json";

export interface CheckOutcome {
  readonly exitCode: 0 | 1 | 2;
  /** What goes to standard output (the report, unless --output names a file). */
  readonly stdout: string;
  /** Messages for people: usage errors, where the report went. */
  readonly stderr: string;
}

/** The whole command, without touching the process: testable, and main() only wires it up. */
export function runCheck(argv: readonly string[]): CheckOutcome {
  let options: CheckOptions;
  try {
    options = parseOptions(argv);
  } catch (error) {
    if (error instanceof UsageError) return { exitCode: 2, stdout: "", stderr: `check: ${error.message}\nRun "npm run check -- --help" for the options.\n` };
    throw error;
  }
  if (options.help) return { exitCode: 0, stdout: `${HELP}\n`, stderr: "" };
  if (options.rulesTable) return { exitCode: 0, stdout: rulesTable(RULES), stderr: "" };

  let loaded;
  try {
    loaded = loadOutputFolder(options.dir);
  } catch (error) {
    if (error instanceof OutputFolderError) return { exitCode: 2, stdout: "", stderr: `check: ${error.message}\n` };
    throw error;
  }
  const run = runChecks(loaded, RULES, options.pack);
  const report = render(options.format, { run, failLevel: options.level, dir: options.dir, loaded });
  const exitCode = exitCodeOf(run, options.level);
  if (options.output === undefined) return { exitCode, stdout: report, stderr: "" };
  mkdirSync(dirname(resolve(options.output)), { recursive: true });
  writeFileSync(options.output, report);
  return { exitCode, stdout: "", stderr: `check: ${options.format} report written to ${options.output}${exitCode ? " (failed)" : ""}\n` };
}

if (require.main === module) {
  const outcome = runCheck(process.argv.slice(2));
  process.stdout.write(outcome.stdout);
  process.stderr.write(outcome.stderr);
  process.exitCode = outcome.exitCode;
}
