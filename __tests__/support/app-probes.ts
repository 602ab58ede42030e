/**
 * Running the app's probes (support/apps/) and the app itself as processes, for the tests of the
 * packages' startup snapshot (app-snapshot.test.ts, e2e/app-process.e2e.test.ts).
 */
import { spawnSync, type SpawnSyncReturns } from "node:child_process";
import { readdirSync, readFileSync } from "node:fs";
import { join, relative } from "node:path";
import { inheritedEnv, ROOT } from "./project-copy";

export const PROBE = "__tests__/support/apps/token-probe.ts";
export const ASSET_PROBE = "__tests__/support/apps/asset-probe.ts";

/** The test process's environment without SIROS_* and NODE_OPTIONS, plus `env`. */
export function appEnv(env: Record<string, string> = {}): Record<string, string> {
  const { NODE_OPTIONS: _ignored, ...inherited } = inheritedEnv();
  return { ...inherited, CHECKPOINT_DISABLE: "1", ...env };
}

export function runApp(args: string[], env: Record<string, string>): SpawnSyncReturns<string> {
  return spawnSync(process.execPath, args, { cwd: ROOT, env, encoding: "utf8", timeout: 120_000 });
}

/** Every file under `dir`, by relative path, with its content. */
export function filesOf(dir: string): Record<string, string> {
  const files: Record<string, string> = {};
  const walk = (folder: string) => {
    for (const entry of readdirSync(folder, { withFileTypes: true })) {
      const path = join(folder, entry.name);
      if (entry.isDirectory()) walk(path);
      else files[relative(dir, path)] = readFileSync(path, "utf8");
    }
  };
  walk(dir);
  return files;
}


/** True once no process has `pid` (polled), false if one still has it after `ms`. */
export async function goneWithin(pid: number, ms: number): Promise<boolean> {
  for (const started = Date.now(); Date.now() - started < ms; await new Promise((resolve) => setTimeout(resolve, 50))) {
    try {
      process.kill(pid, 0);
    } catch {
      return true;
    }
  }
  return false;
}
/** The token probe's line: its token's creation stack, its Node's flags and its pid. */
export function runProbe(env: Record<string, string> = {}): { creationStack: string[]; execArgv: string[]; pid: number } {
  const result = runApp(["tools/app.js", PROBE], appEnv(env));
  expect(result.stderr).toBe("");
  expect(result.status).toBe(0);
  return JSON.parse(result.stdout.trim().split("\n").pop()!);
}
