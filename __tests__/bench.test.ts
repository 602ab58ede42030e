import { spawn, spawnSync } from "node:child_process";
import { mkdtempSync, readdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Aborted, RunError, outputTail, runBench, runOnce, type RunContext, type Way } from "../tools/bench/measure";
import { DEFAULT_ROUNDS, HELP, UsageError, WAY_IDS, parseBenchArgs } from "../tools/bench/options";
import { formatTable, median, summarize } from "../tools/bench/report";
import { ROOT, inheritedEnv } from "./support/project-copy";

const GNU_TIME = "/usr/bin/time";

describe("npm run bench options", () => {
  test("defaults: 3 rounds, every way, a table", () => {
    expect(parseBenchArgs([])).toEqual({ help: false, rounds: DEFAULT_ROUNDS, json: false, ways: [...WAY_IDS] });
  });

  test("reads --rounds, --ways and --json in either form", () => {
    expect(parseBenchArgs(["--rounds", "5", "--ways", "app,cdktf-synth", "--json"])).toEqual({
      help: false,
      rounds: 5,
      json: true,
      ways: ["app", "cdktf-synth"],
    });
    expect(parseBenchArgs(["--rounds=7", "--ways=npm-synth"])).toMatchObject({ rounds: 7, ways: ["npm-synth"] });
    expect(parseBenchArgs(["--help"]).help).toBe(true);
  });

  test.each([
    [["--rounds", "-1"], `--rounds: "-1" is not a whole number from 1 to 100`],
    [["--rounds=-1"], `--rounds: "-1" is not a whole number from 1 to 100`],
    [["--rounds", "0"], `--rounds: "0" is not a whole number from 1 to 100`],
    [["--rounds", "101"], `--rounds: "101" is not a whole number from 1 to 100`],
    [["--rounds", "1.5"], `--rounds: "1.5" is not a whole number from 1 to 100`],
    [["--rounds", "three"], `--rounds: "three" is not a whole number from 1 to 100`],
    [["--rounds", ""], `--rounds: "" is not a whole number from 1 to 100`],
    [["--rounds"], `Option '--rounds <value>' argument missing`],
    [["--rounds", "--json"], `Option '--rounds' argument is ambiguous.`],
    [["--rounds", "2", "--rounds", "3"], `--rounds given twice`],
    [["--ways", "app,cdk"], `--ways: "cdk" is not a way to measure; valid: ${WAY_IDS.join(", ")}`],
    [["--ways", ""], `--ways: "" is not a way to measure; valid: ${WAY_IDS.join(", ")}`],
    [["--ways", "app,app"], `--ways: "app" named twice`],
    [["--json=yes"], `Option '--json' does not take an argument`],
    [["--round", "3"], `Unknown option '--round'`],
    [["3"], `Unexpected argument '3'. This command does not take positional arguments`],
  ])("fails if given %j", (argv, message) => {
    expect(() => parseBenchArgs(argv)).toThrow(UsageError);
    expect(() => parseBenchArgs(argv)).toThrow(message);
  });
});

describe("npm run bench figures", () => {
  test("median of odd and even counts", () => {
    expect(median([3, 1, 2])).toBe(2);
    expect(median([4, 1, 3, 2])).toBe(2.5);
  });

  test("summary: medians per way, growth per stack and the budget of npm run synth", () => {
    const way = (id: string, scope: Way["scope"]): Way => ({ id, label: id, command: (o) => `x ${o}`, scope });
    const samples = (seconds: number[], peakMiB: number, stacks: number) => seconds.map((s) => ({ seconds: s, cpuSeconds: s / 2, peakMiB, totalMiB: peakMiB + 10, stacks }));
    const summary = summarize(
      {
        stacks: 20,
        results: [
          { way: way("app", "all stacks"), samples: samples([0.6, 0.5, 0.7], 120, 20) },
          { way: way("app-one-env", "one environment"), samples: samples([0.3, 0.3, 0.4], 105, 5) },
          { way: way("npm-synth", "all stacks"), samples: samples([0.9, 2, 0.8], 121, 20) },
        ],
      },
      3,
    );
    expect(summary.ways.map((w) => [w.id, w.medianSeconds, w.medianCpuSeconds, w.medianPeakMiB, w.stacks, w.command])).toEqual([
      ["app", 0.6, 0.3, 120, 20, "x <outdir>"],
      ["app-one-env", 0.3, 0.15, 105, 5, "x <outdir>"],
      ["npm-synth", 0.9, 0.45, 121, 20, "x <outdir>"],
    ]);
    expect(summary.growth).toEqual({ fromStacks: 5, toStacks: 20, secondsPerStack: 0.02, mibPerStack: 1 });
    expect(summary.budget).toEqual({ way: "npm-synth", seconds: 1.5, peakMiB: 300, within: true });
    const table = formatTable(summary);
    expect(table).toContain("Growth, the app from 5 to 20 stacks: 20.0 ms and 1.00 MiB per stack");
    expect(table).toContain("Budget, npm-synth under 1.5 s and 300 MiB: 0.90 s, 121 MiB (largest process; 131 MiB all processes at once), within");
    expect(table).not.toContain("NaN");
  });

  test("the budget holds the largest process, as GNU time reports it; the total of all processes is shown beside it", () => {
    const run = (peakMiB: number) =>
      summarize({ stacks: 20, results: [{ way: { id: "npm-synth", label: "npm-synth", command: () => "x", scope: "all stacks" }, samples: [{ seconds: 1, cpuSeconds: 1.6, peakMiB, totalMiB: 400, stacks: 20 }] }] }, 1);
    expect(run(200).budget?.within).toBe(true);
    expect(formatTable(run(200))).toContain("Budget, npm-synth under 1.5 s and 300 MiB: 1.00 s, 200 MiB (largest process; 400 MiB all processes at once), within");
    expect(run(310).budget?.within).toBe(false);
    expect(formatTable(run(310))).toContain("OVER BUDGET");
  });
});

describe("npm run bench runs", () => {
  test("total memory sums the processes that run at once; peak is the largest of them", async () => {
    // Two processes holding about 100 MiB each at the same time.
    const hold = `node -e "const b = Buffer.alloc(100 * 1024 * 1024, 1); setTimeout(() => b.length, 600)"`;
    const sample = await runOnce(fake("two", `${hold} & ${hold} & wait; ${writes(1)}`), parent, context);
    expect(sample.peakMiB).toBeGreaterThan(100);
    expect(sample.peakMiB).toBeLessThan(200);
    expect(sample.totalMiB).toBeGreaterThan(200);
  });

  let parent: string;
  let context: RunContext & { tempParent: string };
  beforeEach(() => {
    parent = mkdtempSync(join(tmpdir(), "siros-bench-test-"));
    context = { cwd: ROOT, env: inheritedEnv(), timeBinary: GNU_TIME, tempParent: parent };
  });
  afterEach(() => rmSync(parent, { recursive: true, force: true }));

  /** A way that writes `stacks` stack folders, or runs `script` instead. */
  const fake = (id: string, script: string): Way => ({ id, label: `fake ${id}`, command: (outdir) => script.replace(/OUT/g, `'${outdir}'`), scope: "all stacks" });
  const writes = (count: number) => `for i in $(seq ${count}); do mkdir -p OUT/stacks/s$i; done`;

  test("measures wall time, peak memory and stacks of each run, and leaves no folder behind", async () => {
    const run = await runBench([fake("a", writes(2)), fake("b", writes(2))], 2, context);
    expect(run.stacks).toBe(2);
    expect(run.results.map((r) => [r.way.id, r.samples.length])).toEqual([
      ["a", 2],
      ["b", 2],
    ]);
    for (const { samples } of run.results) {
      for (const sample of samples) {
        expect(sample.stacks).toBe(2);
        expect(sample.seconds).toBeGreaterThanOrEqual(0);
        expect(sample.cpuSeconds).toBeGreaterThanOrEqual(0);
        expect(sample.peakMiB).toBeGreaterThan(0);
        expect(sample.totalMiB).toBeGreaterThanOrEqual(sample.peakMiB);
      }
    }
    expect(readdirSync(parent)).toEqual([]);
  });

  test("fails if a warm-up run fails, naming the way, command, exit code and the end of its output; no folder left", async () => {
    const failing = fake("broken", `echo "first line" >&2; echo "siros: SIROS_STATE_BUCKET is bad" >&2; exit 3`);
    const result = runBench([fake("ok", writes(1)), failing], 3, context);
    await expect(result).rejects.toThrow(RunError);
    await expect(result).rejects.toThrow(
      `fake broken failed (exit 3): echo "first line" >&2; echo "siros: SIROS_STATE_BUCKET is bad" >&2; exit 3\n` +
        `last lines of its output:\n  first line\n  siros: SIROS_STATE_BUCKET is bad`,
    );
    expect(readdirSync(parent)).toEqual([]);
  });

  test("fails if a command does not exist, with the shell's message instead of a raw ENOENT", async () => {
    const result = runOnce(fake("missing", "no-such-command-here"), parent, context);
    await expect(result).rejects.toThrow(/fake missing failed \(exit 127\): no-such-command-here\nlast lines of its output:\n {2}sh: .*no-such-command-here: not found/);
    expect(readdirSync(parent)).toEqual([]);
  });

  test("fails if a measured run writes another number of stacks than its warm-up", async () => {
    const flaky = fake("flaky", `if [ -e "${parent}/marker" ]; then n=1; else n=2; touch "${parent}/marker"; fi; for i in $(seq $n); do mkdir -p OUT/stacks/s$i; done`);
    await expect(runBench([flaky], 1, context)).rejects.toThrow("fake flaky wrote 1 stacks where fake flaky wrote 2 (all stacks)");
    rmSync(join(parent, "marker"));
    expect(readdirSync(parent)).toEqual([]);
  });

  test("fails if a run writes no stacks", async () => {
    await expect(runBench([fake("empty", "true")], 1, context)).rejects.toThrow("fake empty wrote no stacks: true");
    expect(readdirSync(parent)).toEqual([]);
  });

  test("fails if GNU time is missing, saying which binary could not start", async () => {
    const result = runOnce(fake("a", writes(1)), parent, { ...context, timeBinary: join(parent, "no-time") });
    await expect(result).rejects.toThrow(`could not start ${join(parent, "no-time")}: spawn ${join(parent, "no-time")} ENOENT`);
    expect(readdirSync(parent)).toEqual([]);
  });

  test("an abort stops the running command and its children, and removes the folder", async () => {
    const controller = new AbortController();
    const started = Date.now();
    const result = runBench([fake("slow", `sh -c 'sleep 41.7' & sleep 41.7`)], 1, { ...context, signal: controller.signal });
    setTimeout(() => controller.abort(), 300);
    await expect(result).rejects.toThrow(Aborted);
    expect(Date.now() - started).toBeLessThan(10_000);
    expect(readdirSync(parent)).toEqual([]);
    expect(spawnSync("pgrep", ["-f", "sleep 41.7"]).stdout.toString()).toBe("");
  });
});

describe("npm run bench, the command", () => {
  let tmp: string;
  beforeEach(() => {
    tmp = mkdtempSync(join(tmpdir(), "siros-bench-cli-"));
  });
  afterEach(() => rmSync(tmp, { recursive: true, force: true }));

  /** What bench left in its TMPDIR (tsx keeps its own cache there). */
  const leftovers = () => readdirSync(tmp).filter((name) => name.startsWith("siros-bench-"));

  const bench = (args: string[], env: Record<string, string> = {}) =>
    spawnSync(process.execPath, ["--import", "tsx", "tools/bench.ts", ...args], {
      cwd: ROOT,
      env: { ...inheritedEnv(), TMPDIR: tmp, ...env },
      encoding: "utf8",
      timeout: 120_000,
    });

  test("fails if --rounds is negative: exit 2, the problem and the usage, no NaN", () => {
    const result = bench(["--rounds", "-1"]);
    expect(result.status).toBe(2);
    expect(result.stderr).toBe(`bench: --rounds: "-1" is not a whole number from 1 to 100\n\n${HELP}\n`);
    expect(result.stdout).toBe("");
    expect(leftovers()).toEqual([]);
  });

  test("fails if a bad setting breaks the app's warm-up: exit 1, the app's refusal, no temporary folder left", () => {
    const result = bench(["--rounds", "1", "--ways", "app"], { SIROS_STATE_BUCKET: "Not_A_Bucket" });
    expect(result.status).toBe(1);
    expect(result.stderr).toContain("bench: the project's app (cdktf.json) failed (exit 1): CDKTF_OUTDIR='");
    expect(result.stderr).toContain(`  - SIROS_STATE_BUCKET (state bucket): "Not_A_Bucket" is not a valid S3 bucket name`);
    expect(result.stderr).not.toContain("ENOENT");
    expect(leftovers()).toEqual([]);
  });

  test("an interrupt stops the run, exits 130 and leaves no temporary folder", async () => {
    const child = spawn(process.execPath, ["--import", "tsx", "tools/bench.ts", "--rounds", "1", "--ways", "ts-node"], {
      cwd: ROOT,
      env: { ...inheritedEnv(), TMPDIR: tmp },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let stderr = "";
    child.stderr.on("data", (chunk: Buffer) => (stderr += chunk));
    const exited = new Promise<number | null>((resolve) => child.on("close", (code) => resolve(code)));
    // Interrupt once the run's folder exists, i.e. while ts-node runs.
    const deadline = Date.now() + 30_000;
    while (leftovers().length === 0 && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 50));
    expect(leftovers()).toHaveLength(1);
    child.kill("SIGINT");
    expect(await exited).toBe(130);
    expect(stderr).toContain("bench: interrupted by SIGINT; nothing measured");
    expect(leftovers()).toEqual([]);
  });
});

test("outputTail drops GNU time's lines and keeps the last ones", () => {
  expect(outputTail("a\nb\nCommand exited with non-zero status 1\nsiros-bench-time 0.01 0.00 0.01 2000\n", 1)).toBe("b");
});
