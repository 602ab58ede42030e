/**
 * The app's process from the packages' startup snapshot (tools/app-snapshot.js), as a process:
 * stopping the runner stops it, and cdktf's own script for asset archives runs as without it.
 * Here rather than in the unit suite: each starts apps of their own, with snapshots of their own.
 */
import { spawn } from "node:child_process";
import { once } from "node:events";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createInterface } from "node:readline";
import { appEnv, ASSET_PROBE, filesOf, goneWithin, PROBE, runApp } from "../support/app-probes";
import { ROOT } from "../support/project-copy";

const scratch = mkdtempSync(join(tmpdir(), "siros-app-process-"));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

describe("the app's process from the startup snapshot", () => {
  test("stopping the runner stops the app: SIGTERM is passed on to the snapshot's process", async () => {
    const runner = spawn(process.execPath, ["tools/app.js", PROBE], { cwd: ROOT, env: appEnv({ PROBE: "wait" }), stdio: ["ignore", "pipe", "inherit"] });
    const exited = once(runner, "exit");
    const [line] = (await once(createInterface({ input: runner.stdout! }), "line")) as [string];
    const app = JSON.parse(line) as { pid: number; execArgv: string[] };
    expect(app.execArgv).toContain("--snapshot-blob");
    expect(app.pid).not.toBe(runner.pid);
    runner.kill("SIGTERM");
    expect(await exited).toEqual([null, "SIGTERM"]);
    expect(await goneWithin(app.pid, 5_000)).toBe(true);
  });

  test("an asset's archive is written from the snapshot as without it (cdktf runs one of its own files to write it)", () => {
    const folder = join(scratch, "asset");
    mkdirSync(folder);
    writeFileSync(join(folder, "index.js"), "exports.handler = async () => ({ statusCode: 200 });\n");
    const [fromSnapshot, plain] = ["asset-snapshot.out", "asset-plain.out"].map((name) => join(scratch, name));
    for (const [outdir, env] of [[fromSnapshot, {}], [plain, { SIROS_APP_SNAPSHOT: "0" }]] as const) {
      const result = runApp(["tools/app.js", ASSET_PROBE], appEnv({ ...env, CDKTF_OUTDIR: outdir, PROBE_ASSET_DIR: folder }));
      expect(result.stderr).toBe("");
      expect(result.status).toBe(0);
    }
    const files = filesOf(fromSnapshot);
    expect(Object.keys(files).filter((file) => file.endsWith(".zip"))).toHaveLength(1);
    expect(Object.keys(files)).toEqual(Object.keys(filesOf(plain)));
    expect(files[join("stacks", "assets", "cdk.tf.json")]).toBe(filesOf(plain)[join("stacks", "assets", "cdk.tf.json")]);
  });

});
