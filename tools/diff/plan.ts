import { spawn, type ChildProcess } from "node:child_process";
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
  readonly timeoutMs: number;
  readonly env: NodeJS.ProcessEnv;
}

interface Outcome {
  readonly code: number | null;
  readonly output: string;
  readonly timedOut: boolean;
}

// Each Terraform process leads its own process group, so that a timeout or Ctrl-C also ends
// what it started (provider plugins, provisioners).
const running = new Set<ChildProcess>();

/** Kills every Terraform process group still running; for timeouts and signals. */
export function killRunning(): void {
  for (const child of running) killGroup(child);
}

function killGroup(child: ChildProcess): void {
  try {
    if (child.pid !== undefined) process.kill(-child.pid, "SIGKILL");
  } catch {
    // Already gone.
  }
}

function terraform(args: readonly string[], cwd: string, settings: PlanSettings, deadline: number): Promise<Outcome> {
  return new Promise((resolve) => {
    const child = spawn(settings.terraform, [...args, "-no-color"], {
      cwd,
      env: { ...settings.env, TF_IN_AUTOMATION: "1", TF_INPUT: "0" },
      detached: true,
      stdio: ["ignore", "pipe", "pipe"],
    });
    running.add(child);
    let output = "";
    child.stdout!.on("data", (chunk: Buffer) => (output += chunk.toString("utf8")));
    child.stderr!.on("data", (chunk: Buffer) => (output += chunk.toString("utf8")));
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      killGroup(child);
    }, Math.max(0, deadline - Date.now()));
    const finish = (code: number | null) => {
      clearTimeout(timer);
      running.delete(child);
      resolve({ code, output, timedOut });
    };
    child.on("error", (error) => {
      output += error.message;
      finish(null);
    });
    child.on("close", finish);
  });
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
  const failed = (step: string, outcome: Outcome) => {
    const reason = outcome.timedOut ? `timed out after ${settings.timeoutMs / 1000} s` : `exit ${outcome.code ?? "signal"}`;
    const error = terraformError(outcome.output);
    return done({ status: "error", summary: `terraform ${step} failed (${reason}): ${firstLine(error)}`, actions: [], error });
  };

  const init = await terraform(["init", "-input=false", "-reconfigure"], stack.directory, settings, deadline);
  if (init.code !== 0 || init.timedOut) return failed("init", init);
  const plan = await terraform(
    ["plan", "-detailed-exitcode", "-input=false", `-lock-timeout=${settings.lockTimeout}`],
    stack.directory,
    settings,
    deadline,
  );
  if (plan.timedOut || (plan.code !== 0 && plan.code !== 2)) return failed("plan", plan);
  const actions = plannedActions(plan.output);
  if (plan.code === 0) return done({ status: "no-changes", summary: "No changes.", actions });
  const planLine = /^Plan: .*$/m.exec(plan.output)?.[0];
  return done({ status: "changes", summary: planLine ?? "Changes to outputs only.", actions });
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
