// @ts-check
/**
 * A startup snapshot of the packages the app requires (cdktf, constructs, the provider classes),
 * so a synth does not read, compile and run about 550 package files (31 MB) before it starts.
 *
 * tools/app.js asks `snapshotFor(externals, env)` for the snapshot of the packages its bundle
 * requires (the bundle's external imports, recorded at build time); it runs the bundle with
 * `node <APP_V8_FLAGS> --snapshot-blob <blob> <bundle>` when one is returned, and as before otherwise.
 *
 * - What is in it: tools/app-snapshot-main.js, bundled by esbuild with each required package, run
 *   once by `node --build-snapshot`. The snapshot's modules answer `require` for those specifiers.
 * - Where: .cache/siros-app/<id>.blob in the installed packages' real folder (with <id>.json, its
 *   record, and <id>.cjs, the bundle its stack frames point into). It belongs to the installed
 *   packages: a fresh install starts without it; project copies that link to them share it. <id>
 *   hashes what a snapshot cannot outlive: Node's version, platform and binary, the packages'
 *   folder, NODE_OPTIONS and APP_V8_FLAGS (V8 refuses a snapshot built under other flags), the
 *   specifiers, the project's files built into it (SNAPSHOT_SOURCES) and esbuild's version.
 * - Never stale: the record holds every package file the bundle was built from, by its real path
 *   (size and modification time, and each package.json's SHA-256, which an install of another
 *   version changes), and every environment variable the packages read while loading, with its
 *   value (a value read then is frozen in the snapshot). Any difference builds it again.
 * - Not used: with SIROS_APP_SNAPSHOT=0; with source maps on (stack traces then point into the
 *   packages' own files); when Node has no startup snapshots; when the cache cannot be read or
 *   written; when it failed to build for the same inputs in the last RETRY_FAILED_MS (the record
 *   says why, and a warning says where to read it).
 * - Pruned by last use (KEEP, IN_USE_MS).
 */
const { spawnSync } = require("node:child_process");
const { createHash } = require("node:crypto");
const { existsSync, mkdirSync, readFileSync, readdirSync, realpathSync, renameSync, rmSync, statSync, utimesSync } = require("node:fs");
const { basename, dirname, join, relative, resolve } = require("node:path");
const { writeAtomically } = require("./write-atomically");

const ROOT = resolve(__dirname, "..");
/**
 * In the installed packages' real folder: project copies whose node_modules links to this one's
 * share their snapshots, and the paths compiled into a snapshot name the files themselves.
 */
const CACHE_DIR = join(realNodeModules(), ".cache", "siros-app");
const ENTRY = join(__dirname, "app-snapshot-main.js");
/**
 * The project's own files built into a snapshot (the entry and what it requires), and this file:
 * part of the id by content, so a project copy with other tools never starts from this one's.
 */
const SNAPSHOT_SOURCES = [ENTRY, join(__dirname, "run-bundle.js"), join(__dirname, "write-atomically.js"), __filename];
const PACKAGES_MODULE = "siros-snapshot:packages";
const SWITCH = "SIROS_APP_SNAPSHOT";
/**
 * V8 flags of the app's Node, the same when the snapshot is built (V8 refuses a snapshot built
 * under other flags). A synth is a short batch: a 4 MB young generation instead of 16 MB keeps
 * about 24 MB less resident at its peak, for the same time (measured alternating).
 */
const APP_V8_FLAGS = Object.freeze(["--max-semi-space-size=4"]);
/** Snapshots kept in the cache at least: one per NODE_OPTIONS and app entry in use, and a few generations of imports. */
const KEEP = 6;
/** A snapshot used this recently is never removed (another synth may be about to start from it). */
const IN_USE_MS = 10 * 60_000;
/** A failed build is tried again after this long, or at once when the installed packages changed. */
const RETRY_FAILED_MS = 10 * 60_000;

/**
 * @typedef {{ files: Record<string, string>, env: Record<string, string | null>, failed?: string, failedAt?: number }} SnapshotRecord
 */

function realNodeModules() {
  try {
    return realpathSync(join(ROOT, "node_modules"));
  } catch {
    return join(ROOT, "node_modules"); // not installed: building says what to do
  }
}

class SnapshotSettingError extends Error {}

/** @param {string | Buffer} content */
const sha256 = (content) => createHash("sha256").update(content).digest("hex");

/**
 * Why the snapshot is not used for an app run with `env` from this process, or undefined if it may be.
 * @param {NodeJS.ProcessEnv} env
 */
function whyNot(env) {
  const raw = env[SWITCH];
  const value = (raw ?? "").trim().toLowerCase();
  if (value === "0" || value === "false") return `${SWITCH}=0`;
  if (value !== "" && value !== "1" && value !== "true") {
    throw new SnapshotSettingError(
      `${SWITCH}: ${JSON.stringify(raw)} is not a switch; use 0 to run the app without the startup snapshot of its packages, or 1 (the default) to use it`,
    );
  }
  if (/(^|\s)--enable-source-maps(?=\s|$)/.test(env.NODE_OPTIONS ?? "") || process.sourceMapsEnabled) return "source maps are on";
  if (typeof require("node:v8").startupSnapshot?.setDeserializeMainFunction !== "function") return `Node ${process.version} has no startup snapshots`;
  return undefined;
}

/** The esbuild package, from the project's node_modules. @returns {typeof import("esbuild")} */
const esbuild = () => require(require.resolve("esbuild", { paths: [ROOT] }));

/** esbuild's version, read from its package.json (loading esbuild itself takes longer), or "missing". */
function esbuildVersion() {
  try {
    return JSON.parse(readFileSync(require.resolve("esbuild/package.json", { paths: [ROOT] }), "utf8")).version;
  } catch {
    return "missing"; // not installed: no recorded key matches, and building says what to do
  }
}

/**
 * The snapshot's id: everything a snapshot cannot be used without.
 * @param {readonly string[]} specifiers
 * @param {NodeJS.ProcessEnv} env
 */
function snapshotId(specifiers, env) {
  const settings = SNAPSHOT_SOURCES.map((file) => readFileSync(file, "utf8"));
  return sha256(
    JSON.stringify({
      node: [process.version, process.platform, process.arch, process.execPath],
      // A copy of the project with packages of its own (not linked) never starts from these.
      packages: realNodeModules(),
      nodeOptions: env.NODE_OPTIONS ?? "",
      flags: APP_V8_FLAGS,
      specifiers,
      settings,
      esbuild: esbuildVersion(),
    }),
  ).slice(0, 24);
}

/** @param {string} id */
const pathsOf = (id) => ({ blob: join(CACHE_DIR, `${id}.blob`), record: join(CACHE_DIR, `${id}.json`), bundle: join(CACHE_DIR, `${id}.cjs`) });

/**
 * What a package file the snapshot was built from (an absolute path) is compared by: size and
 * time (an install rewrites both), and content for a package.json (another version, even with the
 * same sizes).
 */
function fingerprint(/** @type {string} */ file) {
  if (file.endsWith("package.json")) return sha256(readFileSync(file));
  const stat = statSync(file);
  return `${stat.size}:${stat.mtimeMs}`;
}

/**
 * True when every file and environment variable the record holds is as it was (for a failed build:
 * and it failed less than RETRY_FAILED_MS ago).
 */
function recordHolds(/** @type {SnapshotRecord} */ record, /** @type {NodeJS.ProcessEnv} */ env, now = Date.now()) {
  if (record.failed !== undefined && !(now - (record.failedAt ?? 0) < RETRY_FAILED_MS)) return false;
  const envHolds = Object.entries(record.env).every(([name, value]) =>
    name === "*" ? value === JSON.stringify(Object.keys(env).sort()) : (env[name] ?? null) === value,
  );
  if (!envHolds) return false;
  return Object.entries(record.files).every(([file, recorded]) => {
    try {
      return fingerprint(file) === recorded;
    } catch {
      return false; // deleted: build again
    }
  });
}

/** @returns {SnapshotRecord | undefined} */
function readSnapshotRecord(/** @type {string} */ file) {
  try {
    return JSON.parse(readFileSync(file, "utf8"));
  } catch {
    return undefined;
  }
}

/**
 * The blob to run an app that requires `specifiers` with, for a process with `env`; built first
 * when missing or stale. Undefined when the app must run without it (`warn` says why, when a
 * person would want to know).
 * @param {readonly string[]} specifiers
 * @param {NodeJS.ProcessEnv} env
 * @param {(line: string) => void} warn
 * @returns {Promise<string | undefined>}
 */
async function snapshotFor(specifiers, env, warn = (line) => console.error(line)) {
  if (whyNot(env) !== undefined || specifiers.length === 0) return undefined;
  try {
    return await freshSnapshot(specifiers, env, warn);
  } catch (error) {
    // The cache cannot be read or written here (another user's, read-only, full): run without it.
    warn(`siros: running without the startup snapshot of the app's packages (slower): ${error instanceof Error ? error.message : String(error)}`);
    return undefined;
  }
}

/** snapshotFor, once the snapshot may be used. @type {typeof snapshotFor} */
async function freshSnapshot(specifiers, env, warn = () => {}) {
  const sorted = [...new Set(specifiers)].sort();
  const id = snapshotId(sorted, env);
  const paths = pathsOf(id);
  const record = readSnapshotRecord(paths.record);
  let fresh = record !== undefined && recordHolds(record, env);
  if (fresh && record?.failed === undefined && !existsSync(paths.blob)) fresh = false;
  const built = fresh ? /** @type {SnapshotRecord} */ (record) : await buildSnapshot(id, sorted, env);
  if (built.failed !== undefined) {
    warn(
      `siros: running without the startup snapshot of the app's packages (slower): it could not be built; ` +
        `see ${relative(process.cwd(), paths.record)} (SIROS_APP_SNAPSHOT=0 skips it)`,
    );
    return undefined;
  }
  // Its last use, what pruning keeps by: best effort (the record may be another user's).
  try {
    utimesSync(paths.record, new Date(), new Date());
  } catch {
    // Not ours to touch, or pruned meanwhile: it was fresh, and the run goes on.
  }
  return paths.blob;
}

/**
 * The virtual module the snapshot's entry requires: each specifier mapped to its module.
 * @param {readonly string[]} specifiers
 * @returns {import("esbuild").Plugin}
 */
function packagesModule(specifiers) {
  const lines = specifiers.map((specifier) => `  ${JSON.stringify(specifier)}: require(${JSON.stringify(specifier)}),`);
  const contents = `module.exports = {\n${lines.join("\n")}\n};\n`;
  return {
    name: "siros-snapshot-packages",
    setup(builder) {
      builder.onResolve({ filter: /^siros-snapshot:packages$/ }, () => ({ path: PACKAGES_MODULE, namespace: "siros-snapshot" }));
      builder.onLoad({ filter: /.*/, namespace: "siros-snapshot" }, () => ({ contents, loader: "js", resolveDir: ROOT }));
    },
  };
}

/**
 * Bundles the entry with the packages, runs it under --build-snapshot, and records the result
 * (a failure too, so that the same inputs do not fail again on every synth).
 * @param {string} id
 * @param {readonly string[]} specifiers
 * @param {NodeJS.ProcessEnv} env
 * @returns {Promise<SnapshotRecord>}
 */
async function buildSnapshot(id, specifiers, env) {
  const paths = pathsOf(id);
  mkdirSync(CACHE_DIR, { recursive: true });
  const temporary = (/** @type {string} */ file) => `${file}.${process.pid}.tmp`;
  /** @type {Record<string, string>} */
  const files = {};
  /** @type {SnapshotRecord} */
  let record;
  try {
    const result = await esbuild().build({
      absWorkingDir: ROOT,
      entryPoints: [ENTRY],
      bundle: true,
      platform: "node",
      format: "cjs",
      target: "node20",
      write: false,
      metafile: true,
      logLevel: "silent",
      plugins: [packagesModule(specifiers), ownFileNames()],
    });
    for (const input of Object.keys(result.metafile.inputs)) {
      if (input.startsWith("siros-snapshot:")) continue;
      // Absolute and real: the record holds wherever it is read from (copies share the cache).
      const path = realpathSync(resolve(ROOT, input));
      const packageJson = packageJsonOf(path);
      if (packageJson === undefined) {
        if (!SNAPSHOT_SOURCES.includes(path)) throw new Error(`${relative(ROOT, path)} is built into the snapshot but not in its id: add it to SNAPSHOT_SOURCES`);
        continue;
      }
      files[path] = fingerprint(path);
      files[packageJson] = fingerprint(packageJson);
    }
    writeAtomically(paths.bundle, result.outputFiles[0].text);
    const envFile = temporary(`${paths.record}.env`);
    const blob = temporary(paths.blob);
    try {
      const run = spawnSync(process.execPath, [...APP_V8_FLAGS, "--snapshot-blob", blob, "--build-snapshot", paths.bundle, envFile], {
        cwd: ROOT,
        env,
        encoding: "utf8",
        maxBuffer: 64 * 1024 * 1024,
      });
      if (run.error || run.status !== 0 || !existsSync(blob)) {
        const output = `${run.stderr ?? ""}${run.stdout ?? ""}`.trim().split("\n").slice(-20).join("\n");
        throw new Error(`node --build-snapshot ${run.error ? `could not run: ${run.error.message}` : `exited with ${run.status ?? run.signal}`}\n${output}`);
      }
      record = { files, env: JSON.parse(readFileSync(envFile, "utf8")) };
      renameSync(blob, paths.blob);
    } finally {
      rmSync(envFile, { force: true });
      rmSync(blob, { force: true });
    }
  } catch (error) {
    // npm rewrites it on every install: a failed build is tried again after one.
    const installed = join(realNodeModules(), ".package-lock.json");
    if (existsSync(installed)) files[installed] = fingerprint(installed);
    record = { files, env: {}, failed: error instanceof Error ? error.message : String(error), failedAt: Date.now() };
  }
  writeAtomically(paths.record, JSON.stringify(record));
  if (record.failed === undefined) pruneCache(id);
  return record;
}

/** `.../node_modules/<package>/package.json` (or a scoped or nested one) of a package file, if it is one. */
function packageJsonOf(/** @type {string} */ file) {
  const match = /^(.*[\\/]node_modules[\\/](?:@[^\\/]+[\\/])?[^\\/]+)[\\/]/.exec(file);
  return match ? `${match[1]}/package.json` : undefined;
}

/**
 * Keeps the KEEP most recently used snapshots, `keep` (the one just built) and any used in the last
 * IN_USE_MS; removes the others.
 */
function pruneCache(/** @type {string} */ keep, cacheDir = CACHE_DIR, now = Date.now()) {
  const paths = (/** @type {string} */ id) => Object.values(pathsOf(id)).map((file) => join(cacheDir, basename(file)));
  const ids = readdirSync(cacheDir)
    .filter((name) => name.endsWith(".json"))
    .map((name) => name.slice(0, -".json".length))
    .filter((id) => id !== keep)
    .map((id) => ({ id, time: statSync(join(cacheDir, `${id}.json`), { throwIfNoEntry: false })?.mtimeMs }))
    .filter((entry) => entry.time !== undefined) // removed meanwhile by another synth
    .sort((a, b) => /** @type {number} */ (b.time) - /** @type {number} */ (a.time));
  for (const { id, time } of ids.slice(KEEP - 1)) {
    if (now - /** @type {number} */ (time) < IN_USE_MS) continue;
    for (const file of paths(id)) rmSync(file, { force: true });
  }
  // What a build stopped from outside left behind (a blob being written, its environment record).
  for (const name of readdirSync(cacheDir).filter((file) => file.endsWith(".tmp"))) {
    const time = statSync(join(cacheDir, name), { throwIfNoEntry: false })?.mtimeMs;
    if (time !== undefined && now - time >= IN_USE_MS) rmSync(join(cacheDir, name), { force: true });
  }
}

/**
 * Each package file that names `__filename` or `__dirname` gets its own: bundled, it would see the
 * snapshot bundle's (cdktf runs its own lib/private/fs.js as a script to write an asset's archive).
 * The declaration goes after the file's directive prologue, which keeps "use strict" in force.
 * @returns {import("esbuild").Plugin}
 */
function ownFileNames() {
  return {
    name: "siros-own-file-names",
    setup(builder) {
      builder.onLoad({ filter: /[\\/]node_modules[\\/].*\.(c|m)?js$/ }, (args) => {
        const source = readFileSync(args.path, "utf8");
        // Not named, or declared by the file itself (an ES module that makes its own).
        if (!/\b__(file|dir)name\b/.test(source) || /\b(var|let|const|function)\s+__(file|dir)name\b/.test(source)) return undefined;
        const declaration = `var __filename = ${JSON.stringify(args.path)}, __dirname = ${JSON.stringify(dirname(args.path))};`;
        const at = prologueEnd(source);
        return { contents: `${source.slice(0, at)}${declaration}${source.slice(at)}`, loader: "js" };
      });
    },
  };
}

/**
 * Where a script's prologue ends: a shebang, comments, "use strict" and other directives ended by
 * a semicolon (`"use client"; "use strict";`).
 */
function prologueEnd(/** @type {string} */ source) {
  const prologue = /^(#![^\n]*\n)?(?:\s+|\/\/[^\n]*|\/\*[\s\S]*?\*\/|(["'])use strict\2\s*;?|(["'])[\w -]*\3\s*;)*/.exec(source);
  return prologue ? prologue[0].length : 0;
}

module.exports = { APP_V8_FLAGS, CACHE_DIR, IN_USE_MS, KEEP, RETRY_FAILED_MS, esbuildVersion, prologueEnd, SWITCH, SnapshotSettingError, pathsOf, pruneCache, readSnapshotRecord, recordHolds, snapshotFor, snapshotId, whyNot };
