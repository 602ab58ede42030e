import { spawnSync, type SpawnSyncReturns } from "node:child_process";
import { cpSync, mkdtempSync, rmSync, symlinkSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, relative } from "node:path";

export const ROOT = join(__dirname, "..", "..");

/** What a copy leaves out: installed packages (linked instead), git data and build or synth output. */
const NOT_COPIED = new Set(["node_modules", ".git", ".build", "cdktf.out", "cdktf.out.bootstrap"]);

export interface ProjectCopy {
  readonly dir: string;
  /** Runs `command` through a shell in the copy; SIROS_* of the test process are not passed on. */
  run(command: string, env?: Record<string, string>): SpawnSyncReturns<string>;
  remove(): void;
}

/** A scratch copy of the project (sources, .gen, configuration) whose node_modules links to this one's, to edit freely. */
export function copyProject(): ProjectCopy {
  const dir = mkdtempSync(join(tmpdir(), "siros-copy-"));
  cpSync(ROOT, dir, {
    recursive: true,
    filter: (source) => !NOT_COPIED.has(relative(ROOT, source).split("/")[0]),
  });
  symlinkSync(join(ROOT, "node_modules"), join(dir, "node_modules"), "dir");
  return {
    dir,
    run: (command, env = {}) =>
      spawnSync(command, {
        shell: true,
        cwd: dir,
        env: { ...inheritedEnv(), CHECKPOINT_DISABLE: "1", ...env },
        encoding: "utf8",
        timeout: 120_000,
      }),
    remove: () => rmSync(dir, { recursive: true, force: true }),
  };
}

/** The test process's environment without SIROS_* settings, so runs are not narrowed by accident. */
export function inheritedEnv(): Record<string, string> {
  return Object.fromEntries(Object.entries(process.env).filter((entry): entry is [string, string] => !entry[0].startsWith("SIROS_") && entry[1] !== undefined));
}
