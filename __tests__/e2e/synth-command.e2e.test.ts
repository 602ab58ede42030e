import { spawnSync } from "node:child_process";
import { appendFileSync, copyFileSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { ROOT, copyProject, inheritedEnv, type ProjectCopy } from "../support/project-copy";

/** One stack is enough to see an edit (every stack is built from the same sources). */
const ONE_STACK = { SIROS_CLOUDS: "aws", SIROS_ENVS: "dev" };

const CDKTF_CLI = join(ROOT, "node_modules", ".bin", "cdktf");
const SYNTH = join(ROOT, "tools", "synth.js");

/** Every file under `dir`, relative, sorted. */
function filesUnder(dir: string): string[] {
  return readdirSync(dir, { recursive: true, encoding: "utf8" })
    .filter((path) => statSync(join(dir, path)).isFile())
    .sort();
}

function run(command: string, args: string[], cwd: string, env: Record<string, string> = {}) {
  return spawnSync(command, args, { cwd, env: { ...inheritedEnv(), CHECKPOINT_DISABLE: "1", ...env }, encoding: "utf8", timeout: 120_000 });
}

describe("npm run synth", () => {
  let work: string;
  beforeEach(() => {
    work = mkdtempSync(join(tmpdir(), "siros-synth-command-"));
  });
  afterEach(() => rmSync(work, { recursive: true, force: true }));

  test("writes exactly what cdktf synth writes, byte for byte, and removes the same stale stack folders", () => {
    const cli = join(work, "cli.out");
    const own = join(work, "own.out");
    // A folder of a stack that no longer exists, which cdktf synth removes.
    for (const outdir of [cli, own]) mkdirSync(join(outdir, "stacks", "retired-stack"), { recursive: true });

    const viaCli = run(CDKTF_CLI, ["synth", "--output", cli], ROOT);
    expect(viaCli.status).toBe(0);
    const viaNpm = run("npm", ["run", "synth", "--", "--output", own], ROOT);
    expect(viaNpm.stderr.replace(/^npm warn .*\n/gm, "")).toBe("");
    expect(viaNpm.status).toBe(0);

    const files = filesUnder(cli);
    expect(files).toContain("manifest.json");
    expect(files.filter((file) => file.endsWith("cdk.tf.json"))).toHaveLength(20);
    expect(existsSync(join(cli, "stacks", "retired-stack"))).toBe(false);
    expect(filesUnder(own)).toEqual(files);
    const different = files.filter((file) => !readFileSync(join(own, file)).equals(readFileSync(join(cli, file))));
    expect(different).toEqual([]);
  });

  test.each([
    [{ SIROS_CLOUDS: "aws,azur" }, `Invalid stack selection (1 problem):\n  - SIROS_CLOUDS: "azur" is not a cloud; valid: aws, azure, gcp, oci, ibm`],
    [
      { SIROS_STATE_BUCKET: "Not_A_Bucket" },
      `Invalid state backend settings (1 problem):\n  - SIROS_STATE_BUCKET (state bucket): "Not_A_Bucket" is not a valid S3 bucket name; use 3 to 63 lowercase letters, digits, dots or hyphens, starting and ending with a letter or digit`,
    ],
  ])("fails if %j: exit 1, the app's message alone, nothing written", (env, message) => {
    const outdir = join(work, "cdktf.out");
    const result = run(process.execPath, [SYNTH, "--output", outdir], ROOT, env);
    expect(result.status).toBe(1);
    expect(result.stderr).toBe(`siros: ${message}\n`);
    expect(existsSync(outdir)).toBe(false);
  });

  test.each([
    [["--outdir", "x"], `Unknown option '--outdir'`],
    [["--output"], `Option '-o, --output <value>' argument missing`],
    [["--output", ""], `--output: "" is empty; name a folder`],
    [["aws-dev"], `Unexpected argument 'aws-dev'`],
  ])("fails if given %j: exit 2, the problem and the usage", (args, message) => {
    const result = run(process.execPath, [SYNTH, ...args], work);
    expect(result.status).toBe(2);
    expect(result.stderr).toContain(`synth: ${message}`);
    expect(result.stderr).toContain("Usage: npm run synth -- [--output DIR]");
    expect(readdirSync(work)).toEqual([]);
  });

  test("--help prints the usage", () => {
    const result = run(process.execPath, [SYNTH, "--help"], work);
    expect(result.status).toBe(0);
    expect(result.stdout).toContain("Usage: npm run synth -- [--output DIR]");
  });
});

/**
 * A probe project: tools/synth.js (and tools/child.js) beside a cdktf.json whose app records the environment it was
 * given and writes a one-stack manifest with an annotation, so the CLI and npm run synth can be
 * compared on everything they pass and print.
 */
describe("npm run synth gives the app what cdktf synth gives it", () => {
  let probe: string;
  beforeEach(() => {
    probe = mkdtempSync(join(tmpdir(), "siros-synth-probe-"));
    mkdirSync(join(probe, "tools"));
    mkdirSync(join(probe, ".gen"));
    // tools/synth.js with the one file it requires (how it runs and stops the app).
    copyFileSync(SYNTH, join(probe, "tools", "synth.js"));
    copyFileSync(join(ROOT, "tools", "child.js"), join(probe, "tools", "child.js"));
    writeFileSync(
      join(probe, "cdktf.json"),
      JSON.stringify({
        language: "typescript",
        app: "node probe-app.js",
        output: "cdktf.out",
        context: { team: "platform" },
        terraformProviders: ["hashicorp/random@3.7.2"],
        terraformModules: ["./modules/local", "terraform-aws-modules/vpc/aws@5.0.0"],
      }),
    );
    writeFileSync(
      join(probe, "probe-app.js"),
      `const fs = require("fs"), path = require("path");
const out = process.env.CDKTF_OUTDIR;
fs.mkdirSync(path.join(out, "stacks", "one"), { recursive: true });
fs.writeFileSync(path.join(out, "env.json"), JSON.stringify(process.env));
fs.writeFileSync(path.join(out, "stacks", "one", "cdk.tf.json"), JSON.stringify({ "//": { metadata: {} }, terraform: { required_providers: {} } }));
const annotations = [{ constructPath: "one/thing", level: "@cdktf/" + process.env.PROBE_LEVEL, message: "probe says hello" }];
fs.writeFileSync(path.join(out, "manifest.json"), JSON.stringify({ version: "0.21.0", stacks: { one: {
  name: "one", constructPath: "one", annotations, dependencies: [],
  synthesizedStackPath: "stacks/one/cdk.tf.json", workingDirectory: "stacks/one", stackMetadataPath: "stacks/one/metadata.json" } } }));
`,
    );
  });
  afterEach(() => rmSync(probe, { recursive: true, force: true }));

  const env = { PROBE_LEVEL: "warn", TF_VAR_region: "eu-west-1", CDKTF_CONTEXT_JSON: `{"ignored":true}` };

  test("the same environment, and the same warning printed", () => {
    const viaCli = run(CDKTF_CLI, ["synth", "--output", "cli.out"], probe, env);
    const own = run(process.execPath, ["tools/synth.js", "--output", "own.out"], probe, env);
    expect(viaCli.status).toBe(0);
    expect(own.status).toBe(0);
    const given = (outdir: string) => JSON.parse(readFileSync(join(probe, outdir, "env.json"), "utf8"));
    const cliEnv = given("cli.out");
    expect({ ...given("own.out"), CDKTF_OUTDIR: "cli.out" }).toEqual(cliEnv);
    // What that environment holds, as read from the CLI's source.
    expect(cliEnv.TF_VAR_region).toBeUndefined();
    expect(JSON.parse(cliEnv.CDKTF_CONTEXT_JSON)).toEqual({ team: "platform", cdktfRelativeModules: ["./modules/local"] });
    expect(cliEnv.CDKTF_CONTINUE_SYNTH_ON_ERROR_ANNOTATIONS).toBe("true");
    expect(viaCli.stdout).toContain("WARN [one/thing]: probe says hello");
    expect(own.stdout).toBe("WARN [one/thing]: probe says hello\nGenerated Terraform code for the stacks: one\n");
  });

  test("fails if the app reports an error annotation, as the CLI does", () => {
    const errorEnv = { ...env, PROBE_LEVEL: "error" };
    const viaCli = run(CDKTF_CLI, ["synth", "--output", "cli.out"], probe, errorEnv);
    const own = run(process.execPath, ["tools/synth.js", "--output", "own.out"], probe, errorEnv);
    const message = "While synthesizing one or more error annotations have been encountered. Please check the log output above.";
    expect(viaCli.status).toBe(1);
    expect(viaCli.stdout + viaCli.stderr).toContain(message);
    expect(own.status).toBe(1);
    expect(own.stdout).toContain("ERROR [one/thing]: probe says hello");
    expect(own.stderr).toContain(`siros: ${message}`);
  });

  test("fails if cdktf.json cannot be read, naming it", () => {
    rmSync(join(probe, "cdktf.json"));
    const own = run(process.execPath, ["tools/synth.js"], probe, env);
    const file = join(probe, "cdktf.json");
    expect(own.status).toBe(1);
    expect(own.stderr).toBe(`siros: cannot read ${file}: ENOENT: no such file or directory, open '${file}'\n`);
  });

  test("fails if the provider bindings are missing, as the CLI does", () => {
    rmSync(join(probe, ".gen"), { recursive: true });
    const viaCli = run(CDKTF_CLI, ["synth"], probe, env);
    const own = run(process.execPath, ["tools/synth.js"], probe, env);
    expect(viaCli.status).toBe(1);
    expect(viaCli.stderr).toContain(`run "cdktf get" to generate providers in .gen`);
    expect(own.status).toBe(1);
    expect(own.stderr).toBe(`siros: .gen is missing: run "npm run get" to generate the provider bindings\n`);
    expect(readdirSync(probe).sort()).toEqual(["cdktf.json", "probe-app.js", "tools"]);
  });
});

describe("cdktf synth runs the precompiled app (tools/app.js)", () => {
  let project: ProjectCopy;
  beforeAll(() => {
    project = copyProject();
  });
  afterAll(() => project.remove());

  test("an edit to a .ts file shows in the next cdktf synth, after npm run synth built the app before it", () => {
    const first = project.run("npm run synth -- --output npm.out", ONE_STACK);
    expect(first.status).toBe(0);
    appendFileSync(join(project.dir, "environments", "defaults.ts"), `\n(SHARED_DEFAULTS.tags as Record<string, string>)["edited"] = "after-npm-synth";\n`);
    const cli = project.run("node_modules/.bin/cdktf synth --output cli.out", ONE_STACK);
    expect(cli.status).toBe(0);
    expect(readFileSync(join(project.dir, "cli.out", "stacks", "aws-dev", "cdk.tf.json"), "utf8")).toContain("after-npm-synth");
  });
});
