/**
 * The startup snapshot of the app's packages (tools/app-snapshot.js) and the bundle's code cache
 * (tools/run-bundle.js): the same output as without them, never stale, refused or skipped with a
 * reason, and cdktf's token creation stacks still switched in the snapshot's cdktf.
 */
import { spawn, spawnSync, type SpawnSyncReturns } from "node:child_process";
import { once } from "node:events";
import { createInterface } from "node:readline";
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, realpathSync, rmSync, statSync, utimesSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, relative } from "node:path";
import { prepare, readRecord } from "../tools/app.js";
import { APP_V8_FLAGS, CACHE_DIR, IN_USE_MS, KEEP, prologueEnd, RETRY_FAILED_MS, pathsOf, pruneCache, readSnapshotRecord, recordHolds, snapshotFor, snapshotId, whyNot } from "../tools/app-snapshot.js";
import { KEEP_CACHES, codeCachePath } from "../tools/run-bundle.js";
import { NOT_RECORDED } from "../lib/token-stack-traces";
import { ROOT } from "./support/project-copy";
import { appEnv, filesOf, goneWithin, PROBE, runApp, runProbe } from "./support/app-probes";
import { projectOutputFolder, projectSynthStderr } from "./support/project-stacks";

const scratch = mkdtempSync(join(tmpdir(), "siros-snapshot-"));
/** The installed packages' real folder: where the snapshots and their records live. */
const packages = realpathSync(join(ROOT, "node_modules"));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

describe("the app from the startup snapshot of its packages", () => {
  test("writes byte for byte what the app writes without it, for every stack", () => {
    expect(whyNot(appEnv())).toBeUndefined();
    const fromSnapshot = join(scratch, "snapshot.out");
    const result = runApp(["tools/app.js", "main.ts"], appEnv({ CDKTF_OUTDIR: fromSnapshot }));
    expect(result.status).toBe(0);
    // The same messages as the run's own synth of the project (support/project-stacks.ts, without
    // the snapshot): no "running without the startup snapshot" among them.
    expect(result.stderr).toBe(projectSynthStderr());
    const files = filesOf(fromSnapshot);
    expect(Object.keys(files).filter((file) => file.endsWith("cdk.tf.json"))).toHaveLength(20);
    expect(files).toEqual(filesOf(projectOutputFolder()));
  });

  test("starts from the snapshot, and the token creation stacks are switched in its cdktf: off by default", () => {
    const probe = runProbe();
    // The app's V8 flags, then the snapshot.
    expect(probe.execArgv.slice(0, -2)).toEqual([...APP_V8_FLAGS]);
    expect(probe.execArgv.at(-2)).toBe("--snapshot-blob");
    expect(probe.execArgv.at(-1)!.startsWith(CACHE_DIR)).toBe(true);
    expect(probe.creationStack).toEqual(NOT_RECORDED);
  });

  test("and recorded with SIROS_TOKEN_STACK_TRACES=1, with the probe's own frame", () => {
    const probe = runProbe({ SIROS_TOKEN_STACK_TRACES: "1" });
    expect(probe.execArgv).toContain("--snapshot-blob");
    expect(probe.creationStack.some((frame) => /token-probe\.cjs:\d+:\d+\)?$/.test(frame))).toBe(true);
  });

  test("an error in the app prints its stack frames, as without the snapshot", () => {
    for (const env of [{}, { SIROS_APP_SNAPSHOT: "0" }] as Record<string, string>[]) {
      const result = runApp(["tools/app.js", PROBE], appEnv({ ...env, PROBE: "throw" }));
      // The probe's line, printed before it throws: from the snapshot, or not, as asked.
      expect(JSON.parse(result.stdout).execArgv.includes("--snapshot-blob")).toBe(env.SIROS_APP_SNAPSHOT === undefined);
      expect(result.status).toBe(1);
      expect(result.stderr).toContain("Error: the probe failed on purpose");
      expect(result.stderr).toMatch(/\n\s+at .*token-probe\.cjs:\d+:\d+/);
    }
  });

  test("is not used with SIROS_APP_SNAPSHOT=0 or with source maps on", () => {
    for (const env of [{ SIROS_APP_SNAPSHOT: "0" }, { SIROS_APP_SNAPSHOT: "false" }, { NODE_OPTIONS: "--enable-source-maps" }] as Record<string, string>[]) {
      const probe = runProbe(env);
      expect(probe.execArgv).toEqual([]);
      expect(probe.creationStack).toEqual(NOT_RECORDED);
    }
    expect(whyNot({ SIROS_APP_SNAPSHOT: "0" })).toBe("SIROS_APP_SNAPSHOT=0");
    expect(whyNot({ NODE_OPTIONS: "--max-old-space-size=4096 --enable-source-maps" })).toBe("source maps are on");
    expect(whyNot({ SIROS_APP_SNAPSHOT: "1", NODE_OPTIONS: "--max-old-space-size=4096" })).toBeUndefined();
  });

  test("refuses a SIROS_APP_SNAPSHOT that is not a switch, before writing anything (the app and npm run synth)", () => {
    const message = 'SIROS_APP_SNAPSHOT: "maybe" is not a switch; use 0 to run the app without the startup snapshot of its packages, or 1 (the default) to use it';
    expect(() => whyNot({ SIROS_APP_SNAPSHOT: "maybe" })).toThrow(message);
    const outdir = join(scratch, "refused.out");
    const app = runApp(["tools/app.js", "main.ts"], appEnv({ CDKTF_OUTDIR: outdir, SIROS_APP_SNAPSHOT: "maybe" }));
    expect(app.stderr).toBe(`siros: ${message}\n`);
    expect(app.status).toBe(1);
    const synth = runApp(["tools/synth.js", "--output", outdir], appEnv({ SIROS_APP_SNAPSHOT: "maybe" }));
    expect(synth.stderr).toBe(`siros: ${message}\n`);
    expect(synth.status).toBe(1);
    expect(existsSync(outdir)).toBe(false);
  });
});

describe("the snapshot's record (never stale)", () => {
  const env = appEnv();
  let externals: string[];
  let blob: string;
  beforeAll(async () => {
    // Builds the app's bundle first if it is not fresh (a fresh clone), as the app would.
    externals = readRecord((await prepare("main.ts", env)).bundle)!.externals;
    blob = (await snapshotFor(externals, env))!;
  });

  test("the app's bundle records the packages it requires: cdktf's files it names too, no built-in, no project file", () => {
    expect(externals).toEqual(expect.arrayContaining(["cdktf", "constructs", "cdktf/lib/tokens/private/stack-trace", "cdktf/lib/util", "@cdktf/provider-aws/lib/vpc"]));
    expect(externals.filter((specifier) => specifier.startsWith("node:") || specifier.startsWith("."))).toEqual([]);
    expect(externals).toEqual([...new Set(externals)].sort());
  });

  test("is kept in node_modules/.cache/siros-app under an id of the specifiers, Node and NODE_OPTIONS", () => {
    const id = snapshotId(externals, env);
    expect(blob).toBe(pathsOf(id).blob);
    // In the installed packages' real folder (a copy of the project whose node_modules links here shares it).
    expect(blob).toBe(join(packages, ".cache", "siros-app", `${id}.blob`));
    expect(snapshotId(externals, { ...env, NODE_OPTIONS: "--max-old-space-size=4096" })).not.toBe(id);
    expect(snapshotId(externals.slice(1), env)).not.toBe(id);
  });

  test("holds every package file by size and time, each package.json by content, and what the packages read from the environment", () => {
    const record = readSnapshotRecord(pathsOf(snapshotId(externals, env)).record)!;
    expect(record.failed).toBeUndefined();
    expect(record.files[join(packages, "cdktf", "package.json")]).toMatch(/^[0-9a-f]{64}$/);
    expect(record.files[join(packages, "@cdktf", "provider-aws", "package.json")]).toMatch(/^[0-9a-f]{64}$/);
    expect(record.files[join(packages, "cdktf", "lib", "index.js")]).toMatch(/^\d+:\d+(\.\d+)?$/);
    // Package files only, by their real paths (the project's own files are in the id).
    expect(Object.keys(record.files).filter((file) => !file.startsWith(`${packages}/`))).toEqual([]);
    expect(Object.keys(record.files).length).toBeGreaterThan(400);
    // cdktf reads TERRAFORM_BINARY_NAME while it loads.
    expect(Object.keys(record.env)).toContain("TERRAFORM_BINARY_NAME");
    expect(recordHolds(record, env)).toBe(true);
  });

  test("is stale when a variable the packages read changes, or a package file or package.json differs or is gone", () => {
    const record = readSnapshotRecord(pathsOf(snapshotId(externals, env)).record)!;
    expect(recordHolds(record, { ...env, TERRAFORM_BINARY_NAME: "tofu" })).toBe(false);
    expect(recordHolds({ ...record, env: { ...record.env, SIROS_PROBE_VARIABLE: "set" } }, env)).toBe(false);
    expect(recordHolds({ ...record, env: { ...record.env, SIROS_PROBE_VARIABLE: null } }, env)).toBe(true);
    expect(recordHolds({ ...record, env: { "*": JSON.stringify(["ONLY"]) } }, env)).toBe(false);
    expect(recordHolds({ ...record, env: { "*": JSON.stringify(Object.keys(env).sort()) } }, env)).toBe(true);
    const file = join(packages, "cdktf", "lib", "index.js");
    expect(recordHolds({ ...record, files: { ...record.files, [file]: "1:1" } }, env)).toBe(false);
    expect(recordHolds({ ...record, files: { ...record.files, [join(packages, "cdktf", "package.json")]: "0".repeat(64) } }, env)).toBe(false);
    expect(recordHolds({ ...record, files: { ...record.files, [join(packages, "cdktf", "lib", "gone.js")]: "1:1" } }, env)).toBe(false);
  });

  test("is reused while it holds: a second call builds nothing, and marks it used", async () => {
    const { record } = pathsOf(snapshotId(externals, env));
    const before = statSync(blob);
    const long = new Date(Date.now() - 3_600_000);
    utimesSync(record, long, long);
    expect(await snapshotFor(externals, env)).toBe(blob);
    expect(statSync(blob).mtimeMs).toBe(before.mtimeMs);
    expect(statSync(blob).ino).toBe(before.ino);
    expect(Date.now() - statSync(record).mtimeMs).toBeLessThan(60_000);
  });

  test("refuses to load a file of a package it holds that the app did not name, and loads other packages as usual", () => {
    expect(externals).not.toContain("@cdktf/provider-aws/lib/instance");
    // In the project, where esbuild resolves from.
    const script = join(ROOT, ".build", `snapshot-probe-${process.pid}.cjs`);
    writeFileSync(script, 'require("esbuild"); console.log("esbuild loaded"); require("@cdktf/provider-aws/lib/instance");\n');
    let result: SpawnSyncReturns<string>;
    try {
      result = spawnSync(process.execPath, [...APP_V8_FLAGS, "--snapshot-blob", blob, script], { cwd: ROOT, env, encoding: "utf8" });
    } finally {
      rmSync(script, { force: true });
    }
    expect(result.stdout).toBe("esbuild loaded\n");
    expect(result.stderr).toContain(
      '"@cdktf/provider-aws/lib/instance" is not in the app\'s startup snapshot of its packages, which holds @cdktf/provider-aws: ' +
        "require it by its literal name in the app's sources, so that the build sees it, or run with SIROS_APP_SNAPSHOT=0",
    );
    expect(result.status).not.toBe(0);
  });

  test("a cache that cannot be written (another user's, read-only) is warned about, and the app runs without it", async () => {
    // Its own id (other NODE_OPTIONS), with a folder where its record would go.
    const blocked = { ...env, NODE_OPTIONS: "--max-old-space-size=3999" };
    const paths = pathsOf(snapshotId(["cdktf"], blocked));
    // Folders where its record and its bundle would go: nothing is built, and nothing can be recorded.
    mkdirSync(join(paths.record, "blocked"), { recursive: true });
    mkdirSync(join(paths.bundle, "blocked"), { recursive: true });
    try {
      const warnings: string[] = [];
      expect(await snapshotFor(["cdktf"], blocked, (line) => warnings.push(line))).toBeUndefined();
      expect(warnings).toHaveLength(1);
      expect(warnings[0]).toMatch(/^siros: running without the startup snapshot of the app's packages \(slower\): \S/);
    } finally {
      for (const file of Object.values(paths)) rmSync(file, { recursive: true, force: true });
    }
  });

  test("a snapshot that cannot be built is recorded as failed, warned about, and not built again for the same inputs", async () => {
    const specifiers = ["siros-no-such-package"];
    const paths = pathsOf(snapshotId(specifiers, env));
    try {
      const warnings: string[] = [];
      expect(await snapshotFor(specifiers, env, (line) => warnings.push(line))).toBeUndefined();
      const recorded = readSnapshotRecord(paths.record)!;
      expect(recorded.failed).toContain("siros-no-such-package");
      expect(existsSync(paths.blob)).toBe(false);
      const before = statSync(paths.record).mtimeMs;
      expect(await snapshotFor(specifiers, env, (line) => warnings.push(line))).toBeUndefined();
      expect(statSync(paths.record).mtimeMs).toBe(before);
      const warning =
        "siros: running without the startup snapshot of the app's packages (slower): it could not be built; " +
        `see ${relative(process.cwd(), paths.record)} (SIROS_APP_SNAPSHOT=0 skips it)`;
      expect(warnings).toEqual([warning, warning]);
      // Tried again once a while has passed, or at once after an install (npm rewrites its record of the tree).
      expect(recordHolds(recorded, env, recorded.failedAt! + RETRY_FAILED_MS - 1)).toBe(true);
      expect(recordHolds(recorded, env, recorded.failedAt! + RETRY_FAILED_MS)).toBe(false);
      const installed = join(packages, ".package-lock.json");
      expect(recorded.files[installed]).toBeDefined();
      expect(recordHolds({ ...recorded, files: { ...recorded.files, [installed]: "1:1" } }, env, recorded.failedAt!)).toBe(false);
    } finally {
      for (const file of Object.values(paths)) rmSync(file, { force: true });
    }
  });
});

describe("how the runner ends when the app's process ends (tools/child.js)", () => {
  /** A runner that runs `code` in a child Node and ends as it ended. */
  const runner = (code: string) =>
    spawnSync(
      process.execPath,
      ["-e", `const { runChild, endLike } = require(${JSON.stringify(join(ROOT, "tools", "child.js"))}); runChild(process.execPath, ["-e", ${JSON.stringify(code)}]).then(endLike);`],
      { encoding: "utf8" },
    );

  test("with the app's exit code", () => {
    expect(runner("process.exit(3)")).toMatchObject({ status: 3, signal: null });
  });

  test("by the same signal when the app was stopped (SIGTERM)", () => {
    expect(runner("process.kill(process.pid, 'SIGTERM')")).toMatchObject({ status: null, signal: "SIGTERM" });
  });

  test("with 134 when the app aborted (SIGABRT), not by aborting itself", () => {
    expect(runner("process.kill(process.pid, 'SIGABRT')")).toMatchObject({ status: 134, signal: null });
  });

  test("passes SIGTERM sent to the runner on to the app's process, which ends; the runner then ends by it", async () => {
    const app = "console.log(process.pid); setTimeout(() => undefined, 60_000);";
    const running = spawn(
      process.execPath,
      ["-e", `const { runChild, endLike } = require(${JSON.stringify(join(ROOT, "tools", "child.js"))}); runChild(process.execPath, ["-e", ${JSON.stringify(app)}]).then(endLike);`],
      { stdio: ["ignore", "pipe", "inherit"] },
    );
    const exited = once(running, "exit");
    const [line] = (await once(createInterface({ input: running.stdout! }), "line")) as [string];
    running.kill("SIGTERM");
    expect(await exited).toEqual([null, "SIGTERM"]);
    expect(await goneWithin(Number(line), 5_000)).toBe(true);
  });
});

describe("each package file's own __filename in the snapshot: where its declaration goes", () => {
  test.each([
    ['"use strict";\nmodule.exports = __dirname;', '"use strict";\n'],
    ['#!/usr/bin/env node\n// licence\n/* more */\n"use strict";\nrun(__filename);', '#!/usr/bin/env node\n// licence\n/* more */\n"use strict";\n'],
    ['"use client"; "use strict";\nx(__dirname);', '"use client"; "use strict";\n'],
    ["'use strict'\nfoo(__dirname)", "'use strict'\n"],
    ["var x = __dirname;", ""],
    ['"abc" + __dirname;', ""],
  ])("after the prologue of %j", (source, prologue) => {
    expect(source.slice(0, prologueEnd(source))).toBe(prologue);
  });
});

describe("the snapshot cache's size", () => {
  /** A cache folder with one snapshot per id, each last used `ageMs[i]` before `now`. */
  function cacheOf(name: string, ids: string[], ageMs: (index: number) => number, now: number): string {
    const dir = join(scratch, name);
    mkdirSync(dir);
    ids.forEach((id, index) => {
      for (const extension of ["json", "blob", "cjs"]) writeFileSync(join(dir, `${id}.${extension}`), "");
      const time = new Date(now - ageMs(index));
      utimesSync(join(dir, `${id}.json`), time, time);
    });
    return dir;
  }
  const files = (ids: string[]) => ids.flatMap((id) => [`${id}.blob`, `${id}.cjs`, `${id}.json`]).sort();

  test(`keeps the ${KEEP} most recently used snapshots, the one just built among them`, () => {
    const now = Date.now();
    const ids = ["a", "b", "c", "d", "e", "f", "g", "h"];
    const dir = cacheOf("cache-old", ids, (index) => (index + 1) * 3_600_000, now);
    // "h" was used longest ago, yet just built: kept with the five most recently used of the others.
    pruneCache("h", dir, now);
    expect(readdirSync(dir).sort()).toEqual(files(["a", "b", "c", "d", "e", "h"]));
  });

  test("removes what a stopped build left behind once it is older than the last minutes", () => {
    const now = Date.now();
    const dir = cacheOf("cache-temporaries", ["a"], () => 0, now);
    for (const [name, age] of [["b.blob.123.tmp", IN_USE_MS + 1_000], ["c.blob.456.tmp", 1_000]] as const) {
      writeFileSync(join(dir, name), "");
      const time = new Date(now - age);
      utimesSync(join(dir, name), time, time);
    }
    pruneCache("a", dir, now);
    expect(readdirSync(dir).sort()).toEqual([...files(["a"]), "c.blob.456.tmp"].sort());
  });

  test("never removes one used in the last minutes: another synth may be starting from it", () => {
    const now = Date.now();
    const ids = ["a", "b", "c", "d", "e", "f", "g", "h"];
    const dir = cacheOf("cache-busy", ids, (index) => index * 1_000, now);
    pruneCache("h", dir, now);
    expect(readdirSync(dir).sort()).toEqual(files(ids));
    pruneCache("h", dir, now + IN_USE_MS + 60_000);
    expect(readdirSync(dir)).toHaveLength(KEEP * 3);
  });
});

describe("the bundle's code cache (tools/run-bundle.js)", () => {
  const dir = join(scratch, "bundle");
  const bundle = join(dir, "app.cjs");
  const runner = join(dir, "run.js");
  const cache = codeCachePath(bundle, "");
  const runIt = () => spawnSync(process.execPath, [runner], { cwd: dir, env: appEnv(), encoding: "utf8" });

  beforeAll(() => {
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, "helper.js"), "module.exports = (name) => `hello ${name}`;\n");
    writeFileSync(runner, `require(${JSON.stringify(join(ROOT, "tools", "run-bundle.js"))}).runBundle(${JSON.stringify(bundle)});\n`);
  });

  test("is written after the first successful run, and reused by the next", () => {
    writeFileSync(bundle, 'const greet = require("./helper.js"); console.log(greet("first"), module.exports === exports, __filename.endsWith("app.cjs"));\n');
    const first = runIt();
    expect(first.stdout).toBe("hello first true true\n");
    expect(first.status).toBe(0);
    expect(statSync(cache).size).toBeGreaterThan(0);
    const written = statSync(cache).mtimeMs;
    expect(runIt().stdout).toBe("hello first true true\n");
    expect(statSync(cache).mtimeMs).toBe(written);
  });

  test("a changed bundle runs as changed, and its cache is written again", () => {
    const before = readFileSync(cache);
    writeFileSync(bundle, 'console.log(require("./helper.js")("second"));\n');
    const result = runIt();
    expect(result.stdout).toBe("hello second\n");
    expect(readFileSync(cache).equals(before)).toBe(false);
  });

  test("an edit that keeps the bundle's length runs as edited (V8 alone would take the old cache: it compares lengths)", () => {
    writeFileSync(bundle, 'console.log("size t3.large");\n');
    expect(runIt().stdout).toBe("size t3.large\n");
    expect(runIt().stdout).toBe("size t3.large\n");
    writeFileSync(bundle, 'console.log("size t3.micro");\n');
    expect(runIt().stdout).toBe("size t3.micro\n");
    expect(runIt().stdout).toBe("size t3.micro\n");
  });

  test("a cache that cannot be written does not fail a run that succeeded", () => {
    writeFileSync(bundle, 'console.log("cache blocked");\n');
    rmSync(cache, { force: true });
    mkdirSync(join(cache, "blocked"), { recursive: true }); // a folder where the file would go
    try {
      const result = runIt();
      expect(result.stdout).toBe("cache blocked\n");
      expect(result.stderr).toBe("");
      expect(result.status).toBe(0);
    } finally {
      rmSync(cache, { recursive: true, force: true });
    }
  });

  test("keeps a few caches of a bundle, one per set of flags in use", () => {
    writeFileSync(bundle, 'console.log("flags");\n');
    const others = ["a", "b", "c", "d"].map((flags, age) => {
      const file = `${bundle}.${flags}.v8-cache`;
      writeFileSync(file, "");
      const time = new Date(Date.now() - (age + 1) * 60_000);
      utimesSync(file, time, time);
      return file;
    });
    rmSync(cache, { force: true });
    expect(runIt().status).toBe(0);
    // The one just written and the KEEP_CACHES - 1 newest others.
    expect([cache, ...others].filter((file) => existsSync(file))).toEqual([cache, ...others.slice(0, KEEP_CACHES - 1)]);
    for (const file of others) rmSync(file, { force: true });
  });

  test("is not written after a failed run", () => {
    rmSync(cache, { force: true });
    writeFileSync(bundle, 'console.error("refused"); process.exit(1);\n');
    const result = runIt();
    expect(result.status).toBe(1);
    expect(existsSync(cache)).toBe(false);
  });
});
