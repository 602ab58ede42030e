/**
 * The project's 20 stacks, synthesized once per test run by the real app (cdktf.json's app command,
 * run as `cdktf synth` and `npm run synth` run it) and shared by every test file that reads them as
 * they are.
 *
 * Before, each test file built and synthesized the stacks it read in its own module registry, so one
 * `npm test` synthesized every stack many times over. Now the first test file that asks runs the app
 * once into the run's folder (a lock folder makes the other worker wait instead of synthesizing
 * too); every later ask reads the files. `project-stacks.test.ts` proves that what this returns is,
 * stack for stack, what building the stack in-process returns, so nothing a test asserts changed.
 *
 * The folder is read-only for tests: a test that edits a stack copies it first.
 */
import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { stableJson } from "./stable-json";

const ROOT = join(__dirname, "..", "..");
/** Set by __tests__/support/global-setup.js for the whole run; a process of its own otherwise. */
export const RUN_DIR_VARIABLE = "SIROS_TEST_RUN_DIR";
/** How long a worker waits for the other worker's synth before it says so. */
const WAIT_MS = 180_000;

let runDir: string | undefined;
const parsed = new Map<string, unknown>();

function currentRunDir(): string {
  if (runDir) return runDir;
  runDir = process.env[RUN_DIR_VARIABLE];
  if (!runDir) {
    // No run folder (a Jest config without the global setup, e.g. the e2e suite's): this process's own, removed when it exits.
    const own = mkdtempSync(join(tmpdir(), "siros-test-run-"));
    process.on("exit", () => rmSync(own, { recursive: true, force: true }));
    runDir = own;
  }
  return runDir;
}

/**
 * The output folder of `npm run synth` for every stack (manifest.json, stacks/<id>/cdk.tf.json),
 * synthesized on first use in this run. Throws with the app's output when the app fails.
 */
export function projectOutputFolder(): string {
  const dir = currentRunDir();
  const output = join(dir, "project");
  const done = join(dir, "project.done");
  const failed = join(dir, "project.failed");
  if (!existsSync(done) && !existsSync(failed)) {
    if (claim(join(dir, "project.lock"))) synthesizeInto(output, done, failed);
    else waitFor([done, failed]);
  }
  if (existsSync(failed)) throw new Error(`the app failed to synthesize the project's stacks:\n${readFileSync(failed, "utf8")}`);
  return output;
}

/** What the app printed on stderr while synthesizing the project (a clean run prints nothing). */
export function projectSynthStderr(): string {
  projectOutputFolder();
  return readFileSync(join(currentRunDir(), "project.done"), "utf8");
}

/** One stack as `cdktf synth` writes it, `"//"` metadata included (parsed once per test file). */
export function projectStackFile<T = Record<string, unknown>>(stackId: string): T {
  const file = join(projectOutputFolder(), "stacks", stackId, "cdk.tf.json");
  if (!parsed.has(file)) {
    if (!existsSync(file)) throw new Error(`the project synthesizes no stack "${stackId}"`);
    parsed.set(file, JSON.parse(readFileSync(file, "utf8")));
  }
  // A fresh copy each time: tests may change what they get without changing what others read.
  return structuredClone(parsed.get(file)) as T;
}

/** What cdktf's `Testing.synth` returns for a stack: the same document without `"//"` metadata, as its stable JSON. */
export function asTestingSynth(document: unknown): string {
  return stableJson(withoutMetadata(document));
}

function withoutMetadata(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(withoutMetadata);
  if (value === null || typeof value !== "object") return value;
  return Object.fromEntries(Object.entries(value as Record<string, unknown>).filter(([key]) => key !== "//").map(([key, child]) => [key, withoutMetadata(child)]));
}

function claim(lock: string): boolean {
  try {
    mkdirSync(lock);
    return true;
  } catch {
    return false;
  }
}

function synthesizeInto(output: string, done: string, failed: string): void {
  // The app as a user runs it with no settings: no selection, default state settings, no context.
  const env = Object.fromEntries(
    Object.entries(process.env).filter(([name]) => !/^(SIROS_|CDKTF_|TF_VAR_)/.test(name)),
  ) as NodeJS.ProcessEnv;
  const app = (JSON.parse(readFileSync(join(ROOT, "cdktf.json"), "utf8")) as { app: string }).app;
  const result = spawnSync(app, {
    shell: true,
    cwd: ROOT,
    // Without the packages' startup snapshot: every test file waits for this synth, and building the
    // snapshot first in a fresh clone would add 2 s to that wait. app-snapshot.test.ts holds the
    // app from the snapshot to these very files, byte for byte.
    env: { ...env, CDKTF_OUTDIR: output, SIROS_APP_SNAPSHOT: "0" },
    encoding: "utf8",
    maxBuffer: 64 * 1024 * 1024,
  });
  if (result.status === 0) writeFileSync(done, result.stderr);
  else writeFileSync(failed, `exit ${result.status ?? result.signal}\n${result.stderr}${result.stdout}`);
}

function waitFor(files: readonly string[]): void {
  const pause = new Int32Array(new SharedArrayBuffer(4));
  const deadline = Date.now() + WAIT_MS;
  while (!files.some((file) => existsSync(file))) {
    if (Date.now() > deadline) throw new Error(`waited ${WAIT_MS / 1000} s for another test worker to synthesize the project's stacks`);
    Atomics.wait(pause, 0, 0, 50);
  }
}
