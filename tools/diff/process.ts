import { spawn, type ChildProcess } from "node:child_process";

/**
 * Runs Terraform the way it expects to be stopped. Each process leads its own process group
 * (so its provider plugins are reached too). To stop it — on the stack's deadline or when
 * `stop` aborts (Ctrl-C, SIGTERM of a cancelled CI job) — the group gets SIGINT, which is what
 * Ctrl-C in a terminal sends and what makes Terraform cancel, release its state lock and exit;
 * only if it is still running after `graceMs` does the group get SIGKILL, and then a lock may
 * remain. A run ends when the process exits; output streams held open by a grandchild get
 * `STREAM_GRACE_MS` more, then the group is killed and the run ends anyway.
 */
export interface RunSettings {
  readonly cwd: string;
  readonly env: NodeJS.ProcessEnv;
  /** Epoch ms after which the process is stopped. */
  readonly deadline: number;
  /** Interrupt-to-kill grace. */
  readonly graceMs: number;
  /** Aborting stops the process as the deadline does. */
  readonly stop?: AbortSignal;
  /** Aborting kills at once (a second Ctrl-C). */
  readonly kill?: AbortSignal;
}

export interface RunOutcome {
  readonly code: number | null;
  readonly output: string;
  /** Stopped because the deadline passed. */
  readonly timedOut: boolean;
  /** Stopped because `stop` was aborted. */
  readonly interrupted: boolean;
  /** Still running after the interrupt's grace (or killed at once): it could not release a lock. */
  readonly killed: boolean;
}

/** After the process exits, how long its output may keep flowing before the run ends. */
export const STREAM_GRACE_MS = 2000;

export function runProcess(command: string, args: readonly string[], settings: RunSettings): Promise<RunOutcome> {
  return new Promise((resolve) => {
    let output = "";
    let timedOut = false;
    let interrupted = false;
    let killed = false;
    let exitCode: number | null = null;
    let settled = false;
    const timers: NodeJS.Timeout[] = [];
    const later = (ms: number, action: () => void) => timers.push(setTimeout(action, Math.max(0, ms)));

    const child = spawn(command, [...args], { cwd: settings.cwd, env: settings.env, detached: true, stdio: ["ignore", "pipe", "pipe"] });
    const append = (chunk: Buffer) => (output += chunk.toString("utf8"));
    child.stdout!.on("data", append);
    child.stderr!.on("data", append);

    const finish = () => {
      if (settled) return;
      settled = true;
      for (const timer of timers) clearTimeout(timer);
      settings.stop?.removeEventListener("abort", onStop);
      settings.kill?.removeEventListener("abort", onKill);
      child.stdout!.destroy();
      child.stderr!.destroy();
      resolve({ code: exitCode, output, timedOut, interrupted, killed });
    };
    let stopping = false;
    const stop = () => {
      if (stopping || settled) return;
      stopping = true;
      signalGroup(child, "SIGINT");
      later(settings.graceMs, onKill);
    };
    const onStop = () => {
      interrupted = !timedOut;
      stop();
    };
    const onKill = () => {
      if (settled || child.exitCode !== null || child.signalCode !== null) return;
      killed = true;
      signalGroup(child, "SIGKILL");
    };

    later(settings.deadline - Date.now(), () => {
      timedOut = !interrupted;
      stop();
    });
    if (settings.stop?.aborted) onStop();
    else settings.stop?.addEventListener("abort", onStop);
    if (settings.kill?.aborted) onKill();
    else settings.kill?.addEventListener("abort", onKill);

    child.on("error", (error) => {
      output += error.message;
      finish();
    });
    child.on("exit", (code) => {
      exitCode = code;
      // Whatever the process left behind in its group must not keep the stack open.
      later(STREAM_GRACE_MS, () => {
        signalGroup(child, "SIGKILL");
        finish();
      });
    });
    child.on("close", finish);
  });
}

function signalGroup(child: ChildProcess, signal: NodeJS.Signals): void {
  try {
    if (child.pid !== undefined) process.kill(-child.pid, signal);
  } catch {
    // The group is gone already.
  }
}
