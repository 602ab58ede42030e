import { spawn } from "node:child_process";
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from "node:fs";
import { availableParallelism } from "node:os";
import { join } from "node:path";
import { App, TerraformStack } from "cdktf";
import { ConfigError } from "./errors";
import { stableJson } from "./stable-json";
import { deferTokenStackTraces } from "./token-stack-traces";

/** How many processes synthesize at once: a positive integer; 1 synthesizes in this process alone. */
export const SYNTH_WORKERS_VARIABLE = "SIROS_SYNTH_WORKERS";
/** Set by the app for the processes it starts: `<part>/<parts>`, the part of the split this process synthesizes. */
const PART_VARIABLE = "SIROS_SYNTH_PART";
/** Where, under the output folder, the other processes write their parts before they are merged in. */
const PARTS_FOLDER = ".parts";
/** Beyond this, more processes cost more memory than they save time on the stacks of this project. */
const DEFAULT_MAX_WORKERS = 4;

export interface RunAppOptions<T> {
  /**
   * Splits the input into at most `count` non-empty parts that are apps of their own: no stack of one
   * part refers to, or depends on, a stack of another (cdktf resolves cross-stack references and
   * dependencies only within one App). Given, the parts are synthesized by that many processes at
   * once (SIROS_SYNTH_WORKERS, default: the cores, at most 4) and their output merged into one
   * folder, the same files one process writes. Must return the same parts for the same input in
   * every process.
   */
  readonly split?: (input: T, count: number) => T[];
}

/**
 * Runs a cdktf app entry point. `load` reads and validates all input before the App
 * exists (creating an App creates its output folder); `build` adds the stacks; only then
 * is anything written. A problem is printed and the process exits 1, removing an output
 * folder this run created, so `cdktf synth` never leaves half an app behind.
 */
export function runApp<T>(load: () => T, build: (app: App, input: T) => void, options: RunAppOptions<T> = {}): void {
  const outdir = process.env.CDKTF_OUTDIR ?? "cdktf.out";
  const createdOutdir = existsSync(outdir) ? undefined : outdir;
  const fail = (error: unknown): never => {
    if (createdOutdir) rmSync(createdOutdir, { recursive: true, force: true });
    else rmSync(join(outdir, PARTS_FOLDER), { recursive: true, force: true });
    console.error(error instanceof ConfigError ? `siros: ${error.message}` : error);
    process.exit(1);
  };
  try {
    // Before any construct exists: every token created from here on formats its trace only if read.
    deferTokenStackTraces();
    const input = load();
    const part = partOfThisProcess();
    if (part) return synthesize(outdir, build, options.split!(input, part.count)[part.index]);
    const parts = options.split ? options.split(input, synthWorkers()) : [input];
    if (parts.length < 2) return synthesize(outdir, build, input);
    synthesizeInParallel(outdir, build, parts).catch(fail);
  } catch (error) {
    fail(error);
  }
}

/** Builds one App from `input` and writes it to `outdir`. */
function synthesize<T>(outdir: string, build: (app: App, input: T) => void, input: T): void {
  // Stack traces on every construct cost synth time and are not needed in the output.
  const app = new App({ outdir, stackTraces: false });
  build(app, input);
  // An app that builds nothing would leave an empty manifest that diff and deploy read as "no stacks".
  if (!app.node.children.some((child) => TerraformStack.isStack(child))) {
    throw new ConfigError("Nothing to synthesize", ["the app built no stack; check the stack selection"]);
  }
  app.synth();
}

/**
 * Part 0 here, the others in processes of their own started first (the same app, told which part
 * is theirs), each into `<outdir>/.parts/<part>`; then their stack folders move into `<outdir>/stacks`
 * and their manifests' stacks join this one's, written as cdktf writes it.
 */
async function synthesizeInParallel<T>(outdir: string, build: (app: App, input: T) => void, parts: T[]): Promise<void> {
  const partsFolder = join(outdir, PARTS_FOLDER);
  rmSync(partsFolder, { recursive: true, force: true });
  mkdirSync(partsFolder, { recursive: true });
  const others = parts.slice(1).map((_, i) => startPart(i + 1, parts.length, join(partsFolder, String(i + 1))));
  try {
    synthesize(outdir, build, parts[0]);
  } catch (error) {
    for (const other of others) other.process.kill();
    throw error;
  }
  const exits = await Promise.all(others.map((other) => other.exit));
  const failed = exits.flatMap((code, i) => (code === 0 ? [] : [`part ${i + 2} of ${parts.length} (a process of its own) exited with ${code}; its messages are above`]));
  if (failed.length > 0) throw new ConfigError("Synthesis failed", failed);

  const manifestFile = join(outdir, "manifest.json");
  const manifest = JSON.parse(readFileSync(manifestFile, "utf8")) as { stacks: Record<string, unknown> };
  for (const other of others) {
    const partManifest = JSON.parse(readFileSync(join(other.outdir, "manifest.json"), "utf8")) as { stacks: Record<string, unknown> };
    for (const stack of readdirSync(join(other.outdir, "stacks"))) {
      rmSync(join(outdir, "stacks", stack), { recursive: true, force: true });
      renameSync(join(other.outdir, "stacks", stack), join(outdir, "stacks", stack));
    }
    Object.assign(manifest.stacks, partManifest.stacks);
  }
  writeFileSync(manifestFile, stableJson(manifest));
  rmSync(partsFolder, { recursive: true, force: true });
}

function startPart(index: number, count: number, outdir: string) {
  // The same script with the same arguments: the bundle (or whatever runs this app) loads the same input.
  const child = spawn(process.execPath, [...process.execArgv, ...process.argv.slice(1)], {
    env: { ...process.env, CDKTF_OUTDIR: outdir, [PART_VARIABLE]: `${index}/${count}` },
    stdio: "inherit",
  });
  const exit = new Promise<number>((resolve) => {
    child.on("error", () => resolve(-1));
    child.on("exit", (code, signal) => resolve(code ?? (signal ? 128 : 1)));
  });
  return { process: child, outdir, exit };
}

function partOfThisProcess(): { index: number; count: number } | undefined {
  const value = process.env[PART_VARIABLE];
  if (value === undefined) return undefined;
  const match = /^(\d+)\/(\d+)$/.exec(value);
  if (!match || Number(match[1]) >= Number(match[2])) throw new Error(`${PART_VARIABLE}=${value}: set by the app for its own processes, as <part>/<parts>`);
  return { index: Number(match[1]), count: Number(match[2]) };
}

/** SIROS_SYNTH_WORKERS, or the cores (at most 4). */
export function synthWorkers(env: Readonly<Record<string, string | undefined>> = process.env, cores = availableParallelism()): number {
  const raw = env[SYNTH_WORKERS_VARIABLE];
  if (raw === undefined || raw.trim() === "") return Math.max(1, Math.min(cores, DEFAULT_MAX_WORKERS));
  if (!/^[1-9]\d*$/.test(raw.trim())) {
    throw new ConfigError("Invalid synth settings", [`${SYNTH_WORKERS_VARIABLE}: ${JSON.stringify(raw)} is not a positive integer; use 1 to synthesize in one process, or more for that many at once`]);
  }
  return Number(raw.trim());
}
