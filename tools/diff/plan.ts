import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { runProcess, type RunOutcome } from "./process";
import type { SynthesizedStack } from "./stacks";

export type PlanStatus = "no-changes" | "changes" | "error";

export interface PlanResult {
  readonly status: PlanStatus;
  /** One line: Terraform's "Plan: …" line, "No changes.", or what went wrong. */
  readonly summary: string;
  /** Resources the plan would touch, e.g. "terraform_data.marker will be updated in-place". */
  readonly actions: readonly string[];
  /** Terraform's error output, for an error. */
  readonly error?: string;
  /** The stack was not planned (its dependency failed, or a cycle). */
  readonly skipped?: boolean;
  readonly startedAt: string;
  readonly finishedAt: string;
  readonly durationMs: number;
}

export interface PlanSettings {
  readonly terraform: string;
  readonly lockTimeout: string;
  /** Plan with -lock=false (no lock taken). */
  readonly noLock?: boolean;
  readonly timeoutMs: number;
  /** Interrupt-to-kill grace when Terraform is stopped. */
  readonly killGraceMs: number;
  readonly env: NodeJS.ProcessEnv;
  /** Aborted on Ctrl-C / SIGTERM: running Terraform is interrupted, nothing new starts. */
  readonly stop?: AbortSignal;
  /** Aborted on a second Ctrl-C: running Terraform is killed at once. */
  readonly kill?: AbortSignal;
}

/**
 * init, then plan with -detailed-exitcode (0 no changes, 2 changes, 1 error). init runs with
 * -reconfigure: cdktf keeps `.terraform` across synths, and a backend changed since the last
 * init must be planned against as configured now, never migrated to.
 */
export async function planStack(stack: SynthesizedStack, settings: PlanSettings): Promise<PlanResult> {
  const started = Date.now();
  const deadline = started + settings.timeoutMs;
  const done = (result: Pick<PlanResult, "status" | "summary" | "actions" | "error">): PlanResult => ({
    ...result,
    startedAt: new Date(started).toISOString(),
    finishedAt: new Date().toISOString(),
    durationMs: Date.now() - started,
  });
  const run = (args: readonly string[], extraEnv: NodeJS.ProcessEnv = {}) =>
    runProcess(settings.terraform, [...args, "-no-color"], {
      cwd: stack.directory,
      env: { ...settings.env, TF_IN_AUTOMATION: "1", TF_INPUT: "0", ...extraEnv },
      deadline,
      graceMs: settings.killGraceMs,
      stop: settings.stop,
      kill: settings.kill,
    });
  const failed = (step: "init" | "plan", outcome: RunOutcome, lockId?: string) => {
    const error = terraformError(outcome.output);
    const stopped = stoppedSummary(step, outcome, settings);
    if (stopped) {
      const lockNote = step === "plan" && !settings.noLock && mayHoldLock(outcome) ? staleLockNote(stack, lockId) : undefined;
      return done({ status: "error", summary: stopped, actions: [], error: [lockNote, error].filter(Boolean).join("\n\n") });
    }
    return done({ status: "error", summary: `terraform ${step} failed (exit ${outcome.code ?? "signal"}): ${firstLine(error)}`, actions: [], error });
  };

  if (settings.stop?.aborted) return notPlanned("not planned: diff was stopped");
  const init = await run(["init", "-input=false", "-reconfigure"]);
  if (init.code !== 0 || init.timedOut || init.interrupted) return failed("init", init);
  if (settings.stop?.aborted) return notPlanned("not planned: diff was stopped after terraform init");
  const lock = settings.noLock ? ["-lock=false"] : [`-lock-timeout=${settings.lockTimeout}`];
  const log = settings.noLock ? undefined : lockLog(settings.env);
  let plan: RunOutcome;
  let lockId: string | undefined;
  try {
    plan = await run(["plan", "-detailed-exitcode", "-input=false", ...lock], log?.env);
    if (mayHoldLock(plan)) lockId = lockIdIn(`${log ? readLog(log.path) : ""}\n${plan.output}`);
  } finally {
    log?.remove();
  }
  if (plan.timedOut || plan.interrupted || (plan.code !== 0 && plan.code !== 2)) return failed("plan", plan, lockId);
  const actions = plannedActions(plan.output);
  if (plan.code === 0) return done({ status: "no-changes", summary: "No changes.", actions });
  const planLine = /^Plan: .*$/m.exec(plan.output)?.[0];
  return done({ status: "changes", summary: planLine ?? "Changes to outputs only.", actions });
}

/** The one-line summary of a stopped step: why it was stopped and how it ended; undefined if it was not. */
export function stoppedSummary(step: "init" | "plan", outcome: RunOutcome, settings: Pick<PlanSettings, "timeoutMs" | "killGraceMs">): string | undefined {
  if (!outcome.timedOut && !outcome.interrupted) return undefined;
  const why = outcome.timedOut ? `timed out after ${settings.timeoutMs / 1000} s` : "stopped by a signal to npm run diff";
  const how = outcome.killed
    ? `killed: it did not exit within ${settings.killGraceMs / 1000} s of its interrupt${step === "plan" ? ", so its state lock may remain" : ""}`
    : mayHoldLock(outcome)
      ? "interrupted; Terraform exited but could not release its state lock"
      : "interrupted; Terraform exited on its own, releasing any lock it held";
  return `terraform ${step} ${why}; ${how}`;
}

/** A stopped plan may have left its lock if it had to be killed or said it could not release it. */
function mayHoldLock(outcome: RunOutcome): boolean {
  return outcome.killed || /Error releasing the state lock/.test(outcome.output);
}

/** What to do about a lock a killed plan may have left behind. */
export function staleLockNote(stack: Pick<SynthesizedStack, "id" | "directory">, lockId?: string): string {
  const intro = `The state lock of ${stack.id} may remain${lockId ? ` (lock ID ${lockId})` : ""}. Once no other Terraform run uses this state, release it with`;
  const command = `  terraform -chdir=${stack.directory} force-unlock ${lockId ?? "<ID>"}`;
  return lockId ? [intro, command].join("\n") : [intro, command, `where <ID> is the "ID:" under "Lock Info:" in the error of the next plan of ${stack.id}.`].join("\n");
}

/**
 * Terraform logs the ID of the lock it takes (the S3 backend's "tf_backend.lock.id", at INFO)
 * and prints it nowhere else; a plan that is killed cannot say it. So a locking plan writes its
 * core log to a temporary file, read only when the lock may remain, and then removed. A user's
 * own TF_LOG settings are left alone (their log then goes where they said).
 */
function lockLog(env: NodeJS.ProcessEnv): { env: NodeJS.ProcessEnv; path: string; remove: () => void } | undefined {
  if (env.TF_LOG || env.TF_LOG_CORE || env.TF_LOG_PATH) return undefined;
  const dir = mkdtempSync(join(tmpdir(), "siros-diff-log-"));
  const path = join(dir, "terraform.log");
  return { env: { TF_LOG_CORE: "INFO", TF_LOG_PATH: path }, path, remove: () => rmSync(dir, { recursive: true, force: true }) };
}

function readLog(path: string): string {
  try {
    return readFileSync(path, "utf8");
  } catch {
    return "";
  }
}

/** The last lock ID in a Terraform log or output: `tf_backend.lock.id=<uuid>`, or "ID: <uuid>" of a Lock Info. */
export function lockIdIn(text: string): string | undefined {
  const ids = [...text.matchAll(/tf_backend\.lock\.id=([0-9a-f-]{36})|^\s*(?:│\s*)?ID:\s+([0-9a-f-]{36})/gm)].map((m) => m[1] ?? m[2]);
  return ids.at(-1);
}

/** Terraform's "Error: …" blocks, or the end of the output when there are none. */
export function terraformError(output: string): string {
  const at = output.search(/^\s*(│\s*)?Error: /m);
  const text = (at >= 0 ? output.slice(at) : output.slice(-2000)).trim();
  return text.length > 4000 ? `${text.slice(0, 4000)}\n[…]` : text;
}

function firstLine(text: string): string {
  return (text.split("\n").find((line) => line.trim() !== "") ?? "no output").replace(/^\s*(│\s*)?Error:\s*/, "").trim();
}

/** "# aws_vpc.main will be updated in-place" lines of a plan, without the "#". */
function plannedActions(output: string): string[] {
  return [...output.matchAll(/^\s*# (\S+ (?:will|must) be .+)$/gm)].map((m) => m[1].trim());
}

/** A result for a stack that was not planned. */
export function notPlanned(reason: string): PlanResult {
  const now = new Date().toISOString();
  return { status: "error", summary: reason, actions: [], skipped: true, startedAt: now, finishedAt: now, durationMs: 0 };
}
