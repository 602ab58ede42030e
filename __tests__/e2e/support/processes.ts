import { execFile, spawn, type ChildProcess } from "node:child_process";

export interface RunResult {
  /** Exit code; null when the process was killed by a signal. */
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
  /** stdout and stderr interleaved as they arrived, ANSI colours removed. */
  readonly output: string;
  readonly durationMs: number;
  readonly timedOut: boolean;
}

export interface RunOptions {
  readonly cwd: string;
  readonly env: NodeJS.ProcessEnv;
  /** The whole process group is killed after this long; nothing the suite starts may hang it. */
  readonly timeoutMs: number;
}

export interface Running {
  readonly pid: number;
  readonly done: Promise<RunResult>;
  /** Output so far, for polling a long run. */
  output(): string;
}

const ANSI = /\u001b\[[0-9;?]*[A-Za-z]|\u001b\][^\u0007]*\u0007/g;
export const stripAnsi = (text: string): string => text.replace(ANSI, "");

// Every child leads its own process group. cdktf starts Terraform in a session of its own,
// though, so stopping a run means killing the group of every process in its tree.
const live = new Set<ChildProcess>();

/**
 * Starts a command without blocking this process. The state servers run inside the test
 * process, so a synchronous spawn would stall them and deadlock Terraform's requests.
 */
export function start(command: string, args: readonly string[], { cwd, env, timeoutMs }: RunOptions): Running {
  const began = Date.now();
  const child = spawn(command, args, { cwd, env, detached: true, stdio: ["ignore", "pipe", "pipe"] });
  live.add(child);
  let output = "";
  const append = (chunk: Buffer) => (output += chunk.toString("utf8"));
  child.stdout!.on("data", append);
  child.stderr!.on("data", append);
  let timedOut = false;
  const timer = setTimeout(() => {
    timedOut = true;
    void processGroupsOf(child).then((groups) => signalGroups(groups, "SIGKILL"));
  }, timeoutMs);
  const done = new Promise<RunResult>((resolve) => {
    const finish = (code: number | null, signal: NodeJS.Signals | null) => {
      clearTimeout(timer);
      live.delete(child);
      resolve({ code, signal, output: stripAnsi(output), durationMs: Date.now() - began, timedOut });
    };
    child.on("error", (error) => {
      output += `\n${error.message}`;
      finish(127, null);
    });
    child.on("close", finish);
  });
  return { pid: child.pid ?? -1, done, output: () => stripAnsi(output) };
}

export function run(command: string, args: readonly string[], options: RunOptions): Promise<RunResult> {
  return start(command, args, options).done;
}

/** `pid` and every process it started, found through the parent links. */
export async function processTree(pid: number): Promise<ProcessEntry[]> {
  const table = await processTable();
  const tree = new Set([pid]);
  let grew = true;
  while (grew) {
    grew = false;
    for (const entry of table) {
      if (tree.has(entry.ppid) && !tree.has(entry.pid)) {
        tree.add(entry.pid);
        grew = true;
      }
    }
  }
  return table.filter((entry) => tree.has(entry.pid));
}

/** The process groups of `child` and of everything it started. */
async function processGroupsOf(child: ChildProcess): Promise<number[]> {
  if (child.pid === undefined) return [];
  const own = (await processTable()).find((entry) => entry.pid === process.pid)?.pgid;
  const groups = new Set([child.pid, ...(await processTree(child.pid)).map((entry) => entry.pgid)]);
  return [...groups].filter((group) => group > 1 && group !== own);
}

interface ProcessEntry {
  readonly pid: number;
  readonly ppid: number;
  readonly pgid: number;
}

function processTable(): Promise<ProcessEntry[]> {
  return new Promise((resolve) =>
    execFile("ps", ["-A", "-o", "pid=,ppid=,pgid="], (error, stdout) =>
      resolve(
        error
          ? []
          : stdout
              .trim()
              .split("\n")
              .map((line) => line.trim().split(/\s+/).map(Number))
              .map(([pid, ppid, pgid]) => ({ pid, ppid, pgid })),
      ),
    ),
  );
}

function signalGroups(groups: readonly number[], signal: NodeJS.Signals): void {
  for (const group of groups) {
    try {
      process.kill(-group, signal);
    } catch {
      // The group is already gone.
    }
  }
}

/** Ends every process tree this module started: TERM first, KILL what is left after a grace period. */
export async function stopAll(graceMs = 3_000): Promise<void> {
  const children = [...live];
  if (children.length === 0) return;
  // Collected before signalling: once cdktf dies, Terraform is re-parented and out of reach.
  const groups = (await Promise.all(children.map(processGroupsOf))).flat();
  signalGroups(groups, "SIGTERM");
  const closed = Promise.all(children.map((c) => new Promise((resolve) => (c.exitCode !== null || c.signalCode !== null ? resolve(null) : c.once("close", resolve)))));
  await Promise.race([closed, delay(graceMs)]);
  signalGroups(groups, "SIGKILL");
}

export const delay = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** Polls `condition` until it holds; fails with `what` after `timeoutMs`. */
export async function waitFor(what: string, condition: () => boolean | Promise<boolean>, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await delay(200);
  }
}
