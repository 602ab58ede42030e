import { existsSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { bundlePath } from "./app.js";
import { Aborted, RunError, runBench, type Way } from "./bench/measure";
import { HELP, UsageError, parseBenchArgs, type WayId } from "./bench/options";
import { formatTable, summarize } from "./bench/report";

/**
 * `npm run bench`: wall time and peak memory of synthesizing the project several ways (see
 * HELP in bench/options.ts). Temporary output goes to one folder that is removed on every path:
 * success, a failed run, or an interrupt.
 */
const ROOT = join(__dirname, "..");
const GNU_TIME = "/usr/bin/time";

/** A word for sh: single-quoted, any single quote in it closed, escaped and reopened. */
const quote = (word: string) => `'${word.replace(/'/g, `'\\''`)}'`;

/** The ways, by id, built from the project's own configuration. */
function projectWays(): Record<WayId, Way> {
  const app: string = JSON.parse(readFileSync(join(ROOT, "cdktf.json"), "utf8")).app;
  // The app alone is told where to write as the CLI tells it; the others take --output.
  const appInto = (outdir: string) => `CDKTF_OUTDIR=${quote(outdir)} ${app}`;
  const npmSynthInto = (outdir: string) => `npm run synth -- --output ${quote(outdir)}`;
  return {
    app: { id: "app", label: "the project's app (cdktf.json)", command: appInto, scope: "all stacks" },
    "app-one-env": {
      id: "app-one-env",
      label: "the app, one environment (dev)",
      command: (outdir) => `SIROS_ENVS=dev ${appInto(outdir)}`,
      scope: "one environment",
    },
    "app-no-snapshot": {
      id: "app-no-snapshot",
      label: "the app, without the snapshot",
      command: (outdir) => `SIROS_APP_SNAPSHOT=0 ${appInto(outdir)}`,
      scope: "all stacks",
    },
    "npm-synth": { id: "npm-synth", label: "npm run synth", command: npmSynthInto, scope: "all stacks" },
    "npm-synth-rebuild": {
      id: "npm-synth-rebuild",
      label: "npm run synth after an edit (rebuild)",
      command: npmSynthInto,
      // What an edit does: the bundle no longer matches its sources.
      prepare: () => rmSync(bundlePath("main.ts"), { force: true }),
      scope: "all stacks",
    },
    "cdktf-synth": {
      id: "cdktf-synth",
      label: "cdktf synth",
      command: (outdir) => `node_modules/.bin/cdktf synth --output ${quote(outdir)}`,
      scope: "all stacks",
    },
    "ts-node": {
      id: "ts-node",
      label: "npx ts-node main.ts",
      command: (outdir) => `CDKTF_OUTDIR=${quote(outdir)} npx ts-node main.ts`,
      scope: "all stacks",
    },
  };
}

/** The environment of every run: every stack (no narrowing), no version checks over the network. */
function runEnvironment(): NodeJS.ProcessEnv {
  const env = Object.fromEntries(Object.entries(process.env).filter(([key]) => key !== "SIROS_CLOUDS" && key !== "SIROS_ENVS"));
  return { ...env, CHECKPOINT_DISABLE: "1" };
}

async function main(argv: readonly string[]): Promise<number> {
  let options;
  try {
    options = parseBenchArgs(argv);
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    console.error(`bench: ${error.message}\n\n${HELP}`);
    return 2;
  }
  if (options.help) {
    console.log(HELP);
    return 0;
  }
  if (!existsSync(GNU_TIME)) {
    console.error(`bench: GNU time is needed at ${GNU_TIME} to read peak memory; install it (Debian/Ubuntu: apt-get install time).`);
    return 1;
  }
  const all = projectWays();
  const ways = options.ways.map((id) => all[id]);
  const controller = new AbortController();
  const interrupted: NodeJS.Signals[] = [];
  const onSignal = (signal: NodeJS.Signals) => {
    interrupted.push(signal);
    controller.abort();
  };
  process.on("SIGINT", onSignal);
  process.on("SIGTERM", onSignal);
  try {
    const run = await runBench(ways, options.rounds, {
      cwd: ROOT,
      env: runEnvironment(),
      timeBinary: GNU_TIME,
      signal: controller.signal,
      tempParent: tmpdir(),
    });
    const summary = summarize(run, options.rounds);
    console.log(options.json ? JSON.stringify(summary, null, 2) : formatTable(summary));
    return 0;
  } catch (error) {
    if (error instanceof Aborted) {
      console.error(`bench: interrupted by ${interrupted[0]}; nothing measured`);
      return interrupted[0] === "SIGTERM" ? 143 : 130;
    }
    if (error instanceof RunError) {
      console.error(`bench: ${error.message}`);
      return 1;
    }
    throw error;
  } finally {
    process.off("SIGINT", onSignal);
    process.off("SIGTERM", onSignal);
  }
}

main(process.argv.slice(2)).then(
  (code) => (process.exitCode = code),
  (error: unknown) => {
    console.error(error);
    process.exitCode = 1;
  },
);
