import { spawn } from "node:child_process";
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { join } from "node:path";

/** One way of synthesizing the project. */
export interface Way {
  readonly id: string;
  readonly label: string;
  /** The shell command that synthesizes into `outdir`. */
  command(outdir: string): string;
  /** Runs before every run of this way, e.g. to make the app stale. */
  readonly prepare?: () => void;
  /** Runs of one scope must all write the same number of stacks. */
  readonly scope: "all stacks" | "one environment";
}

export interface Sample {
  readonly seconds: number;
  /** User + system CPU time of the run and everything it waited for: less swayed by other load than wall time. */
  readonly cpuSeconds: number;
  readonly peakMiB: number;
  /**
   * The largest sum of the resident sets of all its processes at one moment (sampled every 20 ms
   * from /proc): what the run needs, where `peakMiB` is its largest single process. They differ when
   * the run synthesizes in several processes at once.
   */
  readonly totalMiB: number;
  readonly stacks: number;
}

/** A run that failed: the message names the way, the command, the exit and the end of its output. */
export class RunError extends Error {}

export class Aborted extends Error {}

export interface RunContext {
  /** Where the commands run (the project). */
  readonly cwd: string;
  /** The environment of every run. */
  readonly env: NodeJS.ProcessEnv;
  /** GNU time, which reports the peak resident set of what it runs. */
  readonly timeBinary: string;
  /** Aborting stops the running command (its whole process group). */
  readonly signal?: AbortSignal;
}

/** Prefix of GNU time's line, so it is told apart from what the command itself prints. */
const TIME_MARK = "siros-bench-time";
const TAIL_LINES = 20;

/** The last lines of what a command printed, without GNU time's own lines. */
export function outputTail(output: string, lines = TAIL_LINES): string {
  return output
    .split("\n")
    .filter((line) => !line.startsWith(TIME_MARK) && !/^Command (exited with non-zero status|terminated by signal) \d+$/.test(line))
    .join("\n")
    .trim()
    .split("\n")
    .slice(-lines)
    .join("\n");
}

function stackCount(outdir: string): number {
  const stacks = join(outdir, "stacks");
  return existsSync(stacks) ? readdirSync(stacks).length : 0;
}

/**
 * Runs `way` once into a fresh folder under `temp` (removed afterwards), under GNU time.
 * Rejects with a RunError when the command fails or its time cannot be read.
 */
export async function runOnce(way: Way, temp: string, context: RunContext): Promise<Sample> {
  const outdir = join(mkdtempSync(join(temp, `${way.id}-`)), "out");
  const command = way.command(outdir);
  try {
    way.prepare?.();
    const { code, signal, stdout, stderr, totalKiB } = await spawnTimed(command, context);
    const timeLine = stderr.split("\n").reverse().find((line) => line.startsWith(TIME_MARK));
    const [seconds, user, system, kib] = (timeLine ?? "").slice(TIME_MARK.length).trim().split(" ").map(Number);
    if (code !== 0 || signal !== null) {
      const tail = outputTail(stderr) || outputTail(stdout);
      throw new RunError(
        `${way.label} failed (${signal ? `signal ${signal}` : `exit ${code}`}): ${command}\n` +
          (tail ? `last lines of its output:\n${tail.replace(/^/gm, "  ")}` : "it printed nothing"),
      );
    }
    if (![seconds, user, system, kib].every(Number.isFinite)) {
      throw new RunError(`${way.label}: could not read GNU time's figures for: ${command}\n${outputTail(stderr)}`);
    }
    // A run too short to be sampled, or a system without /proc: its largest process is the best known figure.
    return { seconds, cpuSeconds: Number((user + system).toFixed(2)), peakMiB: kib / 1024, totalMiB: Math.max(totalKiB, kib) / 1024, stacks: stackCount(outdir) };
  } finally {
    rmSync(join(outdir, ".."), { recursive: true, force: true });
  }
}

interface Finished {
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
  readonly stdout: string;
  readonly stderr: string;
  /** The largest summed resident set of the process tree seen while it ran, in KiB (0 if never sampled). */
  readonly totalKiB: number;
}

/** How often the process tree's resident sets are summed. */
const SAMPLE_MS = 20;

/** `pid` and all its descendants, from /proc (Linux); [] when it is gone or /proc is missing. */
export function processTree(pid: number): number[] {
  const tree: number[] = [];
  const pending = [pid];
  while (pending.length > 0) {
    const current = pending.pop()!;
    let children: string[] = [];
    try {
      children = readdirSync(`/proc/${current}/task`).flatMap((task) => readFileSync(`/proc/${current}/task/${task}/children`, "utf8").trim().split(/\s+/).filter(Boolean));
    } catch {
      continue; // exited between the listing and the read
    }
    tree.push(current);
    pending.push(...children.map(Number));
  }
  return tree;
}

/** The resident set of one process in KiB, 0 when it is gone. */
function residentKiB(pid: number): number {
  try {
    return Number(/^VmRSS:\s+(\d+) kB$/m.exec(readFileSync(`/proc/${pid}/status`, "utf8"))?.[1] ?? 0);
  } catch {
    return 0;
  }
}

/** Samples the summed resident set of `pid`'s tree until stopped; returns the largest seen. */
function sampleTotal(pid: number): () => number {
  let largest = 0;
  const sample = () => {
    largest = Math.max(largest, processTree(pid).reduce((sum, member) => sum + residentKiB(member), 0));
  };
  const timer = setInterval(sample, SAMPLE_MS);
  return () => {
    clearInterval(timer);
    return largest;
  };
}

function spawnTimed(command: string, context: RunContext): Promise<Finished> {
  return new Promise((resolve, reject) => {
    if (context.signal?.aborted) return reject(new Aborted("interrupted"));
    // Its own process group, so an interrupt stops the command and everything it started.
    const child = spawn(context.timeBinary, ["-f", `${TIME_MARK} %e %U %S %M`, "sh", "-c", command], {
      cwd: context.cwd,
      env: context.env,
      detached: true,
      stdio: ["ignore", "pipe", "pipe"],
    });
    let stdout = "";
    let stderr = "";
    const stopSampling = child.pid === undefined ? () => 0 : sampleTotal(child.pid);
    child.stdout.on("data", (chunk: Buffer) => (stdout += chunk));
    child.stderr.on("data", (chunk: Buffer) => (stderr += chunk));
    const stop = () => {
      try {
        if (child.pid !== undefined) process.kill(-child.pid, "SIGTERM");
      } catch {
        // Already gone.
      }
    };
    context.signal?.addEventListener("abort", stop, { once: true });
    child.on("error", (error) => {
      stopSampling();
      context.signal?.removeEventListener("abort", stop);
      reject(new RunError(`could not start ${context.timeBinary}: ${error.message}`));
    });
    child.on("close", (code, signal) => {
      const totalKiB = stopSampling();
      context.signal?.removeEventListener("abort", stop);
      if (context.signal?.aborted) reject(new Aborted("interrupted"));
      else resolve({ code, signal, stdout, stderr, totalKiB });
    });
  });
}

export interface WayResult {
  readonly way: Way;
  readonly samples: readonly Sample[];
}

export interface BenchRun {
  /** Stacks written by the ways of scope "all stacks". */
  readonly stacks: number;
  readonly results: readonly WayResult[];
}

/**
 * One warm-up run of every way (which also proves each works and fixes the stack count of
 * each scope), then `rounds` rounds, alternating the order, in a temporary folder that is
 * removed whatever happens.
 */
export async function runBench(ways: readonly Way[], rounds: number, context: RunContext & { readonly tempParent: string }): Promise<BenchRun> {
  const temp = mkdtempSync(join(context.tempParent, "siros-bench-"));
  try {
    const expected = new Map<Way["scope"], { stacks: number; by: string }>();
    const checked = async (way: Way): Promise<Sample> => {
      const sample = await runOnce(way, temp, context);
      const scope = expected.get(way.scope);
      if (sample.stacks === 0) throw new RunError(`${way.label} wrote no stacks: ${way.command("<outdir>")}`);
      if (!scope) expected.set(way.scope, { stacks: sample.stacks, by: way.label });
      else if (scope.stacks !== sample.stacks) {
        throw new RunError(`${way.label} wrote ${sample.stacks} stacks where ${scope.by} wrote ${scope.stacks} (${way.scope})`);
      }
      return sample;
    };
    for (const way of ways) await checked(way);
    const samples = new Map<Way, Sample[]>(ways.map((way) => [way, []]));
    for (let round = 0; round < rounds; round++) {
      for (const way of round % 2 === 0 ? ways : [...ways].reverse()) samples.get(way)!.push(await checked(way));
    }
    const all = expected.get("all stacks") ?? expected.get("one environment")!;
    return { stacks: all.stacks, results: ways.map((way) => ({ way, samples: samples.get(way)! })) };
  } finally {
    rmSync(temp, { recursive: true, force: true });
  }
}
