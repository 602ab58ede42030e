import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { CLOUDS, ENVIRONMENTS } from "../environments";
import { projectOutputFolder, projectSynthStderr } from "./support/project-stacks";

const root = join(__dirname, "..");

/** cdktf.json's app command (the precompiled app), as `cdktf synth` and `npm run synth` run it. */
const APP: string = JSON.parse(readFileSync(join(root, "cdktf.json"), "utf8")).app;

/** Runs the app the way `cdktf synth` does, into a fresh output folder. */
function synth(env: Record<string, string>) {
  const work = mkdtempSync(join(tmpdir(), "siros-synth-"));
  const outdir = join(work, "cdktf.out");
  const inherited = Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith("SIROS_")));
  const result = spawnSync(APP, {
    shell: true,
    cwd: root,
    env: { ...inherited, CDKTF_OUTDIR: outdir, ...env },
    encoding: "utf8",
    timeout: 120_000,
  });
  const stacks = existsSync(join(outdir, "stacks")) ? readdirSync(join(outdir, "stacks")).sort() : [];
  return { ...result, outdir, stacks, cleanup: () => rmSync(work, { recursive: true, force: true }) };
}

describe("synthesizing the app", () => {
  // The run's single synth of the project is exactly this: cdktf.json's app, no settings (support/project-stacks.ts).
  test("writes one stack per cloud and environment by default", () => {
    expect(projectSynthStderr()).toBe("");
    const outdir = projectOutputFolder();
    expect(readdirSync(join(outdir, "stacks")).sort()).toEqual(CLOUDS.flatMap((c) => ENVIRONMENTS.map((e) => `${c}-${e}`)).sort());
    const manifest = JSON.parse(readFileSync(join(outdir, "manifest.json"), "utf8"));
    expect(Object.keys(manifest.stacks)).toHaveLength(CLOUDS.length * ENVIRONMENTS.length);
  });

  test("SIROS_CLOUDS and SIROS_ENVS narrow the stacks", () => {
    const run = synth({ SIROS_CLOUDS: "gcp", SIROS_ENVS: "prod" });
    try {
      expect(run.status).toBe(0);
      expect(run.stacks).toEqual(["gcp-prod"]);
    } finally {
      run.cleanup();
    }
  });

  test.each([
    [{ SIROS_CLOUDS: "aws,azur" }, `SIROS_CLOUDS: "azur" is not a cloud; valid: aws, azure, gcp`],
    [{ SIROS_ENVS: "prod,qa" }, `SIROS_ENVS: "qa" is not an environment; valid: dev, staging, prod, dr`],
    [{ SIROS_STATE_BUCKET: "Not_A_Bucket" }, `SIROS_STATE_BUCKET (state bucket): "Not_A_Bucket" is not a valid S3 bucket name`],
    [{ SIROS_STATE_DR_REGION: "eu-west-1" }, `SIROS_STATE_DR_REGION (dr state region): "eu-west-1" is the primary state region (SIROS_STATE_REGION)`],
  ])("fails if %j, exiting non-zero and writing nothing", (env, message) => {
    const run = synth(env);
    try {
      expect(run.status).toBe(1);
      expect(run.stderr).toContain(message);
      expect(existsSync(run.outdir)).toBe(false);
    } finally {
      run.cleanup();
    }
  });
});

describe("the app runner (lib/run-app.ts)", () => {
  /** Runs the test app as cdktf would, into an output folder that does not exist yet. */
  function runTestApp(env: Record<string, string> = {}) {
    const work = mkdtempSync(join(tmpdir(), "siros-runner-"));
    const outdir = join(work, "cdktf.out");
    const inherited = Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith("SIROS_")));
    const result = spawnSync(process.execPath, ["tools/app.js", join("__tests__", "support", "apps", "refusing-app.ts")], {
      cwd: root,
      env: { ...inherited, CDKTF_OUTDIR: outdir, ...env },
      encoding: "utf8",
      timeout: 60_000,
    });
    const files = existsSync(outdir) ? readdirSync(outdir, { recursive: true, encoding: "utf8" }).sort() : [];
    return { ...result, outdir, files, cleanup: () => rmSync(work, { recursive: true, force: true }) };
  }

  test.each([["1"], ["2"]])("synthesizes what the build added, the same files with SIROS_SYNTH_WORKERS=%s", (workers) => {
    const run = runTestApp({ SIROS_SYNTH_WORKERS: workers });
    try {
      expect(run.stderr).toBe("");
      expect(run.status).toBe(0);
      expect(run.files).toEqual(["manifest.json", "stacks", "stacks/one", "stacks/one/cdk.tf.json", "stacks/two", "stacks/two/cdk.tf.json"]);
      expect(Object.keys(JSON.parse(readFileSync(join(run.outdir, "manifest.json"), "utf8")).stacks)).toEqual(["one", "two"]);
    } finally {
      run.cleanup();
    }
  });

  test.each([
    ["build", "1", "siros: Refused while building (1 problem):\n  - stack one: refused on purpose\n"],
    ["empty", "1", "siros: Nothing to synthesize (1 problem):\n  - the app built no stack; check the stack selection\n"],
    [
      "two",
      "2",
      "siros: Refused while building (1 problem):\n  - stack two: refused on purpose\nsiros: Synthesis failed (1 problem):\n  - part 2 of 2 (a process of its own) exited with 1; its messages are above\n",
    ],
  ])("fails if refused at %s (SIROS_SYNTH_WORKERS=%s), after the App created its output folder: exit 1, the message, and the folder removed", (refuseAt, workers, message) => {
    const run = runTestApp({ REFUSE_AT: refuseAt, SIROS_SYNTH_WORKERS: workers });
    try {
      expect(run.stderr).toBe(message);
      expect(run.status).toBe(1);
      expect(existsSync(run.outdir)).toBe(false);
    } finally {
      run.cleanup();
    }
  });

  test.each([["0"], ["two"], ["-1"], ["1.5"]])("fails if SIROS_SYNTH_WORKERS=%s: exit 1, what is valid, nothing written", (workers) => {
    const run = runTestApp({ SIROS_SYNTH_WORKERS: workers });
    try {
      expect(run.stderr).toBe(
        `siros: Invalid synth settings (1 problem):\n  - SIROS_SYNTH_WORKERS: "${workers}" is not a positive integer; use 1 to synthesize in one process, or more for that many at once\n`,
      );
      expect(run.status).toBe(1);
      expect(existsSync(run.outdir)).toBe(false);
    } finally {
      run.cleanup();
    }
  });
});

describe("synthesizing in several processes", () => {
  test("writes byte for byte what one process writes, for every stack and the manifest", () => {
    const serial = synth({ SIROS_SYNTH_WORKERS: "1" });
    try {
      expect(serial.status).toBe(0);
      const parallel = projectOutputFolder();
      const files = (dir: string) => readdirSync(dir, { recursive: true, encoding: "utf8" }).sort();
      expect(files(parallel)).toEqual(files(serial.outdir));
      const different = files(serial.outdir).filter((file) => file.endsWith(".json") && !readFileSync(join(serial.outdir, file)).equals(readFileSync(join(parallel, file))));
      expect(different).toEqual([]);
    } finally {
      serial.cleanup();
    }
  });
});
