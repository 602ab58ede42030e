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

  test("SIROS_TOKEN_STACK_TRACES=1 (token creation stacks recorded) writes the same stack", () => {
    const run = synth({ SIROS_CLOUDS: "gcp", SIROS_ENVS: "prod", SIROS_TOKEN_STACK_TRACES: "1" });
    try {
      expect(run.status).toBe(0);
      const file = join("stacks", "gcp-prod", "cdk.tf.json");
      expect(readFileSync(join(run.outdir, file), "utf8")).toBe(readFileSync(join(projectOutputFolder(), file), "utf8"));
    } finally {
      run.cleanup();
    }
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
    [{ SIROS_TOKEN_STACK_TRACES: "yes" }, `SIROS_TOKEN_STACK_TRACES: "yes" is not a switch; use 1 to record where each token was created (slower), or 0`],
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
  function runTestApp(refuseAt?: string) {
    const work = mkdtempSync(join(tmpdir(), "siros-runner-"));
    const outdir = join(work, "cdktf.out");
    const result = spawnSync(process.execPath, ["--import", "tsx", join(__dirname, "support", "apps", "refusing-app.ts")], {
      cwd: root,
      env: { ...process.env, CDKTF_OUTDIR: outdir, ...(refuseAt ? { REFUSE_AT: refuseAt } : {}) },
      encoding: "utf8",
      timeout: 60_000,
    });
    return { ...result, outdir, cleanup: () => rmSync(work, { recursive: true, force: true }) };
  }

  test("synthesizes what the build added", () => {
    const run = runTestApp();
    try {
      expect(run.stderr).toBe("");
      expect(run.status).toBe(0);
      expect(readdirSync(join(run.outdir, "stacks"))).toEqual(["only"]);
    } finally {
      run.cleanup();
    }
  });

  test.each([
    ["build", "siros: Refused while building (1 problem):\n  - stack only: refused on purpose\n"],
    ["empty", "siros: Nothing to synthesize (1 problem):\n  - the app built no stack; check the stack selection\n"],
  ])("fails if refused at %s, after the App created its output folder: exit 1, the message, and the folder removed", (refuseAt, message) => {
    const run = runTestApp(refuseAt);
    try {
      expect(run.stderr).toBe(message);
      expect(run.status).toBe(1);
      expect(existsSync(run.outdir)).toBe(false);
    } finally {
      run.cleanup();
    }
  });
});
