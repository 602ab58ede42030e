import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

/**
 * `npm run bench`: wall time and peak memory of synthesizing every stack with the
 * project's app command (cdktf.json) beside `npx ts-node main.ts`, the way `cdktf init`
 * sets a project up. Runs alternate so that machine noise hits both ways alike.
 * Options: --rounds N (default 3), --json.
 */
const ROOT = join(__dirname, "..");
const GNU_TIME = "/usr/bin/time";

interface Way {
  readonly name: string;
  readonly command: string;
}

interface Sample {
  readonly seconds: number;
  readonly peakMiB: number;
}

function run(way: Way, expectedStacks: number): Sample {
  const outdir = mkdtempSync(join(tmpdir(), "siros-bench-"));
  try {
    // GNU time reports the largest resident set of the command and everything it waited for.
    const result = spawnSync(GNU_TIME, ["-f", "%e %M", "sh", "-c", way.command], {
      cwd: ROOT,
      env: { ...process.env, CDKTF_OUTDIR: outdir, SIROS_CLOUDS: "", SIROS_ENVS: "" },
      encoding: "utf8",
    });
    const last = result.stderr.trim().split("\n").pop() ?? "";
    const [seconds, kib] = last.split(" ").map(Number);
    if (result.status !== 0 || !Number.isFinite(seconds)) {
      throw new Error(`${way.name} failed (exit ${result.status}):\n${result.stderr}`);
    }
    const stacks = existsSync(join(outdir, "stacks")) ? readdirSync(join(outdir, "stacks")).length : 0;
    if (stacks !== expectedStacks) throw new Error(`${way.name} wrote ${stacks} stacks, expected ${expectedStacks}`);
    return { seconds, peakMiB: kib / 1024 };
  } finally {
    rmSync(outdir, { recursive: true, force: true });
  }
}

const median = (values: number[]): number => {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
};

function main(): void {
  if (!existsSync(GNU_TIME)) {
    console.error(`bench needs GNU time at ${GNU_TIME} to read peak memory; install it (Debian: apt-get install time).`);
    process.exit(1);
  }
  const rounds = Number(process.argv[process.argv.indexOf("--rounds") + 1]) || 3;
  const app = JSON.parse(readFileSync(join(ROOT, "cdktf.json"), "utf8")).app as string;
  const ways: Way[] = [
    { name: "project app", command: app },
    { name: "ts-node", command: "npx ts-node main.ts" },
  ];
  // Every stack of every cloud and environment, counted from a warm-up run of the project app.
  const warm = mkdtempSync(join(tmpdir(), "siros-bench-"));
  spawnSync("sh", ["-c", app], { cwd: ROOT, env: { ...process.env, CDKTF_OUTDIR: warm, SIROS_CLOUDS: "", SIROS_ENVS: "" } });
  const expectedStacks = readdirSync(join(warm, "stacks")).length;
  rmSync(warm, { recursive: true, force: true });

  const samples = new Map<string, Sample[]>(ways.map((w) => [w.name, []]));
  for (let round = 0; round < rounds; round++) {
    for (const way of round % 2 === 0 ? ways : [...ways].reverse()) samples.get(way.name)!.push(run(way, expectedStacks));
  }
  const summary = ways.map((way) => {
    const s = samples.get(way.name)!;
    return {
      way: way.name,
      command: way.command,
      medianSeconds: median(s.map((x) => x.seconds)),
      medianPeakMiB: Math.round(median(s.map((x) => x.peakMiB))),
      runs: s,
    };
  });
  const [project, tsNode] = summary;
  const ratio = project.medianSeconds / tsNode.medianSeconds;
  if (process.argv.includes("--json")) {
    console.log(JSON.stringify({ stacks: expectedStacks, rounds, summary, wallTimeRatio: ratio }, null, 2));
    return;
  }
  console.log(`Synthesizing ${expectedStacks} stacks, ${rounds} alternating rounds (median):`);
  for (const s of summary) {
    console.log(`  ${s.way.padEnd(12)} ${s.medianSeconds.toFixed(2).padStart(6)} s  ${String(s.medianPeakMiB).padStart(5)} MiB peak   ${s.command}`);
  }
  console.log(`  project app / ts-node wall time: ${ratio.toFixed(2)} (${(1 / ratio).toFixed(1)}x faster)`);
}

main();
