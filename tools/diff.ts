import { execFile } from "node:child_process";
import { mkdirSync, writeFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { ConfigError } from "../lib/errors";
import { HELP, parseOptions, UsageError } from "./diff/options";
import { planStack } from "./diff/plan";
import { renderJson, renderMarkdown, renderText, summarize } from "./diff/report";
import { planInOrder } from "./diff/schedule";
import { chooseStacks, defaultOutdir, DiffError, readSynthOutput } from "./diff/stacks";

/**
 * `npm run diff`: terraform init + plan of every synthesized stack, one matrix of the
 * results, optional JSON and Markdown summaries. See HELP in ./diff/options.ts.
 */
const ROOT = join(__dirname, "..");

// Ctrl-C or SIGTERM (a cancelled CI job): interrupt every running Terraform so it releases its
// lock, start nothing new, and still print and write the report. A second signal kills at once.
const stop = new AbortController();
const kill = new AbortController();
for (const signal of ["SIGINT", "SIGTERM"] as const) {
  process.on(signal, () => {
    if (!stop.signal.aborted) {
      console.error(`diff: ${signal} received: interrupting running Terraform processes (they get --kill-grace to release their locks); ${signal} again kills them.`);
      stop.abort();
    } else if (!kill.signal.aborted) {
      console.error(`diff: ${signal} received again: killing running Terraform processes; their state locks may remain.`);
      kill.abort();
    }
  });
}

async function main(argv: readonly string[], env: NodeJS.ProcessEnv): Promise<number> {
  const options = parseOptions(argv);
  if (options.help) {
    console.log(HELP);
    return 0;
  }
  const outdir = options.outdir ? resolve(options.outdir) : defaultOutdir(ROOT);
  const stacks = chooseStacks(readSynthOutput(outdir), options.stacks, env);
  const terraform = env.TERRAFORM_BINARY_NAME || "terraform";
  await requireTerraform(terraform, env);

  console.error(`Planning ${stacks.length} stack${stacks.length === 1 ? "" : "s"} from ${outdir}, ${options.parallel} at a time…`);
  const settings = {
    terraform,
    lockTimeout: options.lockTimeout,
    noLock: options.noLock,
    timeoutMs: options.timeoutSeconds * 1000,
    killGraceMs: options.killGraceSeconds * 1000,
    env,
    stop: stop.signal,
    kill: kill.signal,
  };
  const results = await planInOrder(stacks, options.parallel, (stack) => planStack(stack, settings), (id, result) =>
    console.error(`  ${id}: ${result.status} (${(result.durationMs / 1000).toFixed(1)} s) ${result.summary}`),
  );

  const summary = summarize(stacks, results);
  console.log(renderText(summary));
  if (options.json) writeReport(options.json, renderJson(summary));
  if (options.markdown) writeReport(options.markdown, renderMarkdown(summary));
  if (stop.signal.aborted) {
    console.error("diff: stopped before every stack was planned; the report above is incomplete.");
    return 1;
  }
  return summary.exitCode;
}

function writeReport(path: string, content: string): void {
  mkdirSync(dirname(resolve(path)), { recursive: true });
  writeFileSync(path, content);
}

function requireTerraform(terraform: string, env: NodeJS.ProcessEnv): Promise<void> {
  return new Promise((ok, fail) =>
    execFile(terraform, ["version"], { env, timeout: 60_000 }, (error) =>
      error
        ? fail(new DiffError(`Cannot run the Terraform CLI "${terraform}" (${error.message.split("\n")[0]}). Install Terraform 1.10 or later, or set TERRAFORM_BINARY_NAME.`))
        : ok(),
    ),
  );
}

main(process.argv.slice(2), process.env).then(
  (code) => (process.exitCode = code),
  (error: unknown) => {
    const known = error instanceof UsageError || error instanceof DiffError || error instanceof ConfigError;
    console.error(known ? `diff: ${(error as Error).message}` : error);
    if (error instanceof UsageError) console.error(`Run "npm run diff -- --help" for the options.`);
    process.exitCode = 1;
  },
);
