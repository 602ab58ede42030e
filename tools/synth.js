// @ts-check
/**
 * `npm run synth`: what `cdktf synth` does, without loading the cdktf CLI (about 3.5 s of the 5 s
 * it took). It writes the same files, so `cdktf diff` and `cdktf deploy` find the same output.
 *
 * Mirrors cdktf-cli 0.21 (`SynthStack.synth` in @cdktf/cli-core and `printAnnotations`):
 * - refuses to run when providers or modules are configured and `codeMakerOutput` (.gen) is missing;
 * - runs cdktf.json's `app` through a shell in the project folder, with the environment the CLI
 *   gives it: TF_VAR_* removed (only meant for plan and apply), NODE_ENV defaulting to production,
 *   TF_PLUGIN_CACHE_DIR defaulting to ~/.terraform.d/plugin-cache (unless
 *   CDKTF_DISABLE_PLUGIN_CACHE_ENV is set; the folder is left to diff and deploy to create, as synth
 *   runs no Terraform), NODE_OPTIONS defaulting to --max-old-space-size=4096, CDKTF_OUTDIR,
 *   CDKTF_CONTINUE_SYNTH_ON_ERROR_ANNOTATIONS=true, SYNTH_HCL_OUTPUT=false and CDKTF_CONTEXT_JSON:
 *   cdktf.json's `context` (or the variable's own value when cdktf.json has none) plus
 *   `cdktfRelativeModules`, its local modules;
 * - fails when the app fails or wrote no manifest;
 * - prints every stack's annotations and fails on an error annotation;
 * - removes folders under <output>/stacks that existed before and hold no stack any more.
 * Plain JavaScript, so no TypeScript loader starts before the app does.
 */
const { runChild } = require("./child");
const { existsSync, readdirSync, readFileSync, rmSync, statSync } = require("node:fs");
const { homedir } = require("node:os");
const { basename, join, resolve } = require("node:path");
const { parseArgs } = require("node:util");

const ROOT = join(__dirname, "..");

const HELP = `Usage: npm run synth -- [--output DIR]

Synthesizes the stacks with cdktf.json's app, as "cdktf synth" does, into the output folder:
manifest.json and stacks/<stack>/cdk.tf.json. SIROS_CLOUDS and SIROS_ENVS narrow the stacks.

Options:
  --output DIR, -o DIR  where to write (default: "output" of cdktf.json, cdktf.out)
  --help, -h            show this text`;

class UsageError extends Error {}
class SynthError extends Error {}

/**
 * @param {readonly string[]} argv
 * @returns {{ help: boolean, output?: string }}
 */
function parseSynthArgs(argv) {
  let parsed;
  try {
    parsed = parseArgs({
      args: [...argv],
      options: { output: { type: "string", short: "o" }, help: { type: "boolean", short: "h" } },
      strict: true,
      allowPositionals: false,
    });
  } catch (error) {
    throw new UsageError(/** @type {Error} */ (error).message);
  }
  const { output, help } = parsed.values;
  if (output !== undefined && output.trim() === "") throw new UsageError(`--output: "${output}" is empty; name a folder`);
  return { help: help === true, output };
}

/**
 * @typedef {{ app: string, output: string, codeMakerOutput: string, context?: Record<string, unknown>,
 *   terraformProviders: unknown[], terraformModules: (string | { source: string })[] }} CdktfConfig
 * @returns {CdktfConfig}
 */
function readConfig(root = ROOT) {
  const file = join(root, "cdktf.json");
  let config;
  try {
    config = JSON.parse(readFileSync(file, "utf8"));
  } catch (error) {
    throw new SynthError(`cannot read ${file}: ${/** @type {Error} */ (error).message}`);
  }
  if (typeof config.app !== "string" || config.app.trim() === "") throw new SynthError(`${file} names no "app" command`);
  return { output: "cdktf.out", codeMakerOutput: ".gen", terraformProviders: [], terraformModules: [], ...config };
}

/**
 * The environment cdktf-cli 0.21 gives the app.
 * @param {NodeJS.ProcessEnv} parent
 * @param {CdktfConfig} config
 * @param {string} outdir
 * @returns {NodeJS.ProcessEnv}
 */
function appEnvironment(parent, config, outdir) {
  const env = Object.fromEntries(Object.entries(parent).filter(([key]) => !key.startsWith("TF_VAR_")));
  if (!env.NODE_ENV) env.NODE_ENV = "production";
  if (!env.CDKTF_DISABLE_PLUGIN_CACHE_ENV) env.TF_PLUGIN_CACHE_DIR = env.TF_PLUGIN_CACHE_DIR || join(homedir(), ".terraform.d", "plugin-cache");
  if (!env.NODE_OPTIONS) env.NODE_OPTIONS = "--max-old-space-size=4096";
  // The CLI's config reader overwrites CDKTF_CONTEXT_JSON with cdktf.json's context when there is one.
  const context = config.context ? config.context : parent.CDKTF_CONTEXT_JSON ? JSON.parse(parent.CDKTF_CONTEXT_JSON) : {};
  const relativeModules = config.terraformModules.filter((module) => {
    const source = typeof module === "string" ? module : module.source;
    return source.startsWith("./") || source.startsWith("../");
  });
  return {
    ...env,
    CDKTF_OUTDIR: outdir,
    CDKTF_CONTINUE_SYNTH_ON_ERROR_ANNOTATIONS: "true",
    CDKTF_CONTEXT_JSON: JSON.stringify({ ...context, cdktfRelativeModules: relativeModules }),
    SYNTH_HCL_OUTPUT: "false",
  };
}

/** @param {string} outdir */
function stackFolders(outdir) {
  const stacks = join(outdir, "stacks");
  if (!existsSync(stacks)) return [];
  return readdirSync(stacks)
    .map((name) => join(stacks, name))
    .filter((path) => statSync(path).isDirectory());
}

/**
 * @typedef {{ level: string, constructPath: string, message: string, stacktrace?: string[] }} Annotation
 * @param {string} outdir
 * @returns {Record<string, { annotations?: Annotation[] }>}
 */
function readManifestStacks(outdir) {
  const file = join(outdir, "manifest.json");
  if (!existsSync(file)) {
    throw new SynthError(`the app did not call synth(): ${file} was not written`);
  }
  return JSON.parse(readFileSync(file, "utf8")).stacks;
}

/**
 * Prints annotations as the CLI does; an error annotation fails the synth, as there.
 * @param {Record<string, { annotations?: Annotation[] }>} stacks
 * @param {(line: string) => void} print
 */
function reportAnnotations(stacks, print) {
  const labels = /** @type {Record<string, string>} */ ({ "@cdktf/info": "INFO", "@cdktf/warn": "WARN", "@cdktf/error": "ERROR" });
  let errors = 0;
  for (const stack of Object.values(stacks)) {
    for (const annotation of stack.annotations ?? []) {
      const level = labels[annotation.level] ?? annotation.level;
      print(`${level} [${annotation.constructPath}]: ${annotation.message}`);
      if (level === "ERROR") {
        errors++;
        if (annotation.stacktrace) print(annotation.stacktrace.join("\n"));
      }
    }
  }
  if (errors > 0) {
    throw new SynthError("While synthesizing one or more error annotations have been encountered. Please check the log output above.");
  }
}

/** cdktf.json's app when it is the project's own runner: `node tools/app.js <entry>` (see runApp). */
const PROJECT_RUNNER = /^node tools\/app\.js ([\w./-]+\.ts)$/;

/**
 * Runs cdktf.json's app as the CLI does: through a shell. When the app is the project's own runner
 * (`node tools/app.js <entry>`) and the startup snapshot of its packages can be used, this process
 * prepares the app as that command would (builds it if stale, finds or builds the snapshot) and
 * starts the app's Node directly: the same process with the same environment, without a shell and
 * a Node in between (about 0.1 s).
 * @param {CdktfConfig} config
 * @param {string} root
 * @param {NodeJS.ProcessEnv} env
 * @returns {ReturnType<typeof runChild>}
 */
async function runApp(config, root, env) {
  const runner = PROJECT_RUNNER.exec(config.app);
  const appTool = join(root, "tools", "app.js");
  if (runner && existsSync(appTool)) {
    /** @type {typeof import("./app.js")} */
    const app = require(appTool);
    let prepared;
    try {
      // A snapshot that could not be built is reported by the app itself, run below without it.
      prepared = await app.prepare(runner[1], env, () => {});
    } catch (error) {
      // What the app would have said and exited 1 with (a compile error: esbuild's messages above).
      if (error instanceof app.AppError || error instanceof app.SnapshotSettingError) throw new SynthError(error.message);
      throw error;
    }
    const { bundle, snapshot } = prepared;
    if (snapshot !== undefined) {
      const command = app.snapshotCommand(snapshot, bundle);
      return runChild(command.file, command.args, { cwd: root, env });
    }
  }
  return runChild(config.app, [], { cwd: root, env, shell: true });
}

/**
 * Runs the app and does what the CLI does around it. Returns the exit code.
 * @param {{ output?: string }} options
 */
async function synth(options, root = ROOT) {
  const config = readConfig(root);
  if (config.terraformProviders.length + config.terraformModules.length > 0 && !existsSync(resolve(root, config.codeMakerOutput))) {
    throw new SynthError(`${config.codeMakerOutput} is missing: run "npm run get" to generate the provider bindings`);
  }
  const outdir = options.output ?? config.output;
  const existing = stackFolders(resolve(root, outdir));
  const app = await runApp(config, root, appEnvironment(process.env, config, outdir));
  if (app.error) throw new SynthError(`could not run the app "${config.app}": ${app.error.message}`);
  // The app says why it failed (a refusal names the setting and what is valid); a signal does not.
  if (app.signal) console.error(`siros: the app "${config.app}" was stopped by ${app.signal}`);
  if (app.status !== 0) return app.status || 1;
  const stacks = readManifestStacks(resolve(root, outdir));
  reportAnnotations(stacks, (line) => console.log(line));
  for (const folder of existing) {
    if (!(basename(folder) in stacks)) rmSync(folder, { recursive: true, force: true });
  }
  const names = Object.keys(stacks);
  if (names.length === 0) console.error("ERROR: No Terraform code synthesized.");
  console.log(`Generated Terraform code for the stacks: ${names.join(", ")}`);
  return 0;
}

module.exports = { HELP, SynthError, UsageError, appEnvironment, parseSynthArgs, readConfig, reportAnnotations, synth };

async function main() {
  try {
    const options = parseSynthArgs(process.argv.slice(2));
    if (options.help) {
      console.log(HELP);
    } else {
      process.exitCode = await synth(options);
    }
  } catch (error) {
    if (error instanceof UsageError) {
      console.error(`synth: ${error.message}\n\n${HELP}`);
      process.exitCode = 2;
    } else if (error instanceof SynthError) {
      console.error(`siros: ${error.message}`);
      process.exitCode = 1;
    } else {
      throw error;
    }
  }
}

if (require.main === module) main();
