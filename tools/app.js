// @ts-check
/**
 * `node tools/app.js <entry.ts>`: the app command of cdktf.json. Runs a cdktf app entry point from
 * a bundle that esbuild compiled ahead of time, so a synth does not pay for a TypeScript loader;
 * the bundle is rebuilt first whenever anything it was built from changed, so it is never stale.
 *
 * Plain JavaScript on purpose: this file runs before any TypeScript can be compiled.
 *
 * - The bundle holds the project's own code (every .ts file the entry imports, .gen bindings
 *   included); packages under node_modules stay external, so installing other versions needs no
 *   rebuild (both ways were measured: README, "Synth performance"). The record lists the package
 *   files the bundle requires: the app runs in a Node started from a snapshot of them
 *   (tools/app-snapshot.js), or in this process when there is none (tools/run-bundle.js).
 * - Its first line records the SHA-256 of every file esbuild read (captured as esbuild loaded
 *   them, so an edit made during a build cannot be recorded as built), of tsconfig.json and
 *   package.json, and of this file and esbuild's version (the build settings). The bundle runs
 *   only when all of them still match; a missing or deleted input also means a rebuild.
 * - Bundle and record are one file, written under another name and renamed into place, so
 *   concurrent runs never see a bundle with another bundle's record.
 * - Types are not checked here (as with tsx); `npm test` type-checks the project.
 */
const { createHash } = require("node:crypto");
const { existsSync, readFileSync } = require("node:fs");
const { isBuiltin } = require("node:module");
const { extname, isAbsolute, join, relative, resolve, sep } = require("node:path");
const { APP_V8_FLAGS, SnapshotSettingError, esbuildVersion, snapshotFor, whyNot } = require("./app-snapshot");
const { endLike, runChild } = require("./child");
const { runBundle } = require("./run-bundle");
const { writeAtomically } = require("./write-atomically");

const ROOT = resolve(__dirname, "..");
/** Where bundles are written (git-ignored). */
const BUILD_DIR = join(ROOT, ".build");
const RECORD_PREFIX = "// siros-app-build ";
/** Read by esbuild for every build although its metafile does not list them. */
const CONFIG_INPUTS = ["tsconfig.json", "package.json"];
const LOADERS = /** @type {const} */ ({ ".ts": "ts", ".mts": "ts", ".cts": "ts", ".tsx": "tsx", ".js": "js", ".mjs": "js", ".cjs": "js", ".json": "json" });

/** @typedef {{ key: string, inputs: Record<string, string>, externals: string[] }} BuildRecord */

/** @param {string | Buffer} content */
const sha256 = (content) => createHash("sha256").update(content).digest("hex");

/** The entry's path relative to the project root, refused when it is not a file of the project. */
function entryPath(/** @type {string} */ entry) {
  const rel = relative(ROOT, resolve(ROOT, entry));
  if (rel.startsWith("..") || isAbsolute(rel) || !existsSync(join(ROOT, rel))) {
    throw new AppError(`"${entry}" is not a file of this project`);
  }
  return rel;
}

/** `.build/<entry path>.cjs`: one bundle per entry point, e.g. `.build/main.cjs`. */
function bundlePath(/** @type {string} */ entry) {
  const rel = entryPath(entry);
  return join(BUILD_DIR, rel.slice(0, rel.length - extname(rel).length) + ".cjs");
}

/** What changes the output for the same inputs: this file (the build settings) and esbuild's version. */
function buildKey() {
  return sha256(`${readFileSync(__filename, "utf8")}\0esbuild ${esbuildVersion()}`);
}

/** @returns {BuildRecord | undefined} the record on the bundle's first line */
function readRecord(/** @type {string} */ bundle) {
  if (!existsSync(bundle)) return undefined;
  const source = readFileSync(bundle, "utf8");
  const firstLine = source.slice(0, source.indexOf("\n"));
  if (!firstLine.startsWith(RECORD_PREFIX)) return undefined;
  try {
    return JSON.parse(firstLine.slice(RECORD_PREFIX.length));
  } catch {
    return undefined;
  }
}

/** True when the bundle exists and every input it records still has the recorded content. */
function isFresh(/** @type {string} */ entry) {
  return freshRecord(entry) !== undefined;
}

/** The bundle's record when the bundle is fresh, otherwise undefined. */
function freshRecord(/** @type {string} */ entry) {
  const record = readRecord(bundlePath(entry));
  if (!record || record.key !== buildKey()) return undefined;
  const holds = Object.entries(record.inputs).every(([file, hash]) => {
    try {
      return sha256(readFileSync(join(ROOT, file))) === hash;
    } catch {
      return false; // deleted or unreadable: rebuild, and let esbuild report what is wrong
    }
  });
  return holds ? record : undefined;
}

/** Compiles `entry` into its bundle; esbuild's own messages say what is wrong with the source. */
async function build(/** @type {string} */ entry) {
  const rel = entryPath(entry);
  /** @type {typeof import("esbuild")} */
  let esbuild;
  try {
    esbuild = require(require.resolve("esbuild", { paths: [ROOT] }));
  } catch {
    throw new AppError(`esbuild is not installed; run "npm ci" to install the project's dependencies`);
  }
  const key = buildKey();
  /** @type {Record<string, string>} */
  const inputs = {};
  for (const file of CONFIG_INPUTS) if (existsSync(join(ROOT, file))) inputs[file] = sha256(readFileSync(join(ROOT, file)));

  /** Hashes each file exactly as esbuild receives it. @type {import("esbuild").Plugin} */
  const recordInputs = {
    name: "record-inputs",
    setup(builder) {
      builder.onLoad({ filter: /\.(c|m)?[jt]sx?$|\.json$/, namespace: "file" }, (args) => {
        const contents = readFileSync(args.path);
        inputs[relative(ROOT, args.path)] = sha256(contents);
        return { contents, loader: LOADERS[/** @type {keyof typeof LOADERS} */ (extname(args.path))] };
      });
    },
  };
  let result;
  try {
    result = await esbuild.build({
      absWorkingDir: ROOT,
      entryPoints: [rel],
      bundle: true,
      platform: "node",
      format: "cjs",
      target: "node20",
      packages: "external",
      tsconfig: join(ROOT, "tsconfig.json"),
      outfile: bundlePath(rel),
      write: false,
      metafile: true,
      // Linked, so it costs nothing unless asked for: NODE_OPTIONS=--enable-source-maps maps stack
      // traces to the .ts files (always on, it would add about 0.3 s and 30 MB to every synth).
      sourcemap: "linked",
      sourcesContent: false,
      plugins: [recordInputs],
      logLevel: "warning",
    });
  } catch {
    throw new AppError(`could not compile ${rel} (esbuild's errors above); nothing was synthesized`);
  }
  // Anything esbuild read that the plugin did not see (another file type) is hashed as it is now.
  for (const file of Object.keys(result.metafile.inputs)) {
    if (!(file in inputs)) inputs[file] = sha256(readFileSync(join(ROOT, file)));
  }
  const bundle = bundlePath(rel);
  const code = result.outputFiles.find((file) => file.path === bundle);
  const map = result.outputFiles.find((file) => file.path === `${bundle}.map`);
  if (!code || !map) throw new Error(`esbuild wrote ${result.outputFiles.map((file) => file.path).join(", ")}, not ${bundle}`);
  const record = /** @type {BuildRecord} */ ({
    key,
    inputs: Object.fromEntries(Object.entries(inputs).sort()),
    externals: externalPackages(result.metafile, relative(ROOT, bundle)),
  });
  // The record becomes the bundle's first line: one more empty line group shifts the map to match.
  const sourceMap = JSON.parse(map.text);
  sourceMap.mappings = `;${sourceMap.mappings}`;
  writeAtomically(`${bundle}.map`, JSON.stringify(sourceMap));
  writeAtomically(bundle, `${RECORD_PREFIX}${JSON.stringify(record)}\n${code.text}`);
  return bundle;
}

/**
 * The package specifiers the bundle requires (`cdktf`, `@cdktf/provider-aws/lib/vpc`, ...), sorted:
 * what the startup snapshot of its packages must hold.
 * @param {import("esbuild").Metafile} metafile
 * @param {string} output the bundle, relative to the project
 */
function externalPackages(metafile, output) {
  const imports = metafile.outputs[output]?.imports;
  if (!imports) throw new Error(`esbuild's metafile has no output ${output}`);
  const specifiers = imports.filter((entry) => entry.external && !isBuiltin(entry.path)).map((entry) => entry.path);
  return [...new Set(specifiers)].sort();
}

const INLINE_SOURCE_MAP = "\n//# sourceMappingURL=data:";

/**
 * The provider packages and cdktf end every compiled file with its source map inlined as base64:
 * two thirds of the 31 MB of JavaScript a synth loads. V8 keeps each file's whole text, so the maps
 * alone held about 20 MB of every synth process's memory, for stack traces nobody maps unless they
 * ask (NODE_OPTIONS=--enable-source-maps, which leaves the files untouched). This loader drops a
 * file's trailing inline map before compiling it, for files under node_modules only; what runs is
 * the same code.
 */
function dropInlineSourceMaps() {
  if (sourceMapsOn()) return;
  const Module = require("node:module");
  /** @type {Record<string, (module: any, filename: string) => void>} */
  const extensions = /** @type {any} */ (Module)._extensions;
  const compileJs = extensions[".js"];
  const packages = `${sep}node_modules${sep}`;
  extensions[".js"] = (module, filename) => {
    if (!filename.includes(packages)) return compileJs(module, filename);
    module._compile(withoutInlineSourceMap(readFileSync(filename, "utf8")), filename);
  };
}

/** True when stack traces are mapped to sources in this process (NODE_OPTIONS=--enable-source-maps or the flag). */
function sourceMapsOn() {
  return process.sourceMapsEnabled || process.execArgv.includes("--enable-source-maps");
}

/** `source` without a trailing `//# sourceMappingURL=data:...` line (and unchanged when it has none). */
function withoutInlineSourceMap(/** @type {string} */ source) {
  const start = source.lastIndexOf(INLINE_SOURCE_MAP);
  if (start === -1) return source;
  const lineEnd = source.indexOf("\n", start + 1);
  // Only a map on the file's last line: with code after it, the comment is not the compiler's map.
  if (lineEnd !== -1 && source.slice(lineEnd).trim() !== "") return source;
  return source.slice(0, start + 1);
}

/**
 * The bundle of `entry`, built first when it is not fresh, and the startup snapshot of its packages
 * to run it with for a process with `env` (undefined: run it without; see tools/app-snapshot.js).
 * @param {string} entry
 * @param {NodeJS.ProcessEnv} env
 * @param {(line: string) => void} [warn] where a snapshot that could not be built is reported
 */
async function prepare(entry, env, warn) {
  whyNot(env); // a refused setting is refused before anything is built
  let record = freshRecord(entry);
  const bundle = record ? bundlePath(entry) : await build(entry);
  record ??= /** @type {BuildRecord} */ (readRecord(bundle));
  // Flags given to this Node (e.g. --inspect) would not reach a second process: run here instead.
  const snapshot = process.execArgv.length === 0 ? await snapshotFor(record.externals, env, warn) : undefined;
  return { bundle, snapshot };
}

/** The command that runs a prepared bundle from its packages' snapshot: one Node process, no shell. */
function snapshotCommand(/** @type {string} */ snapshot, /** @type {string} */ bundle) {
  return { file: process.execPath, args: [...APP_V8_FLAGS, "--snapshot-blob", snapshot, bundle] };
}

/**
 * Runs `entry`: from the startup snapshot of its packages in a child Node process when there is
 * one (signals to this process are passed on to it; its exit code or signal becomes this
 * process's), otherwise in this process.
 */
async function runEntry(/** @type {string} */ entry) {
  const { bundle, snapshot } = await prepare(entry, process.env);
  if (snapshot === undefined) {
    if (sourceMapsOn()) {
      // Node's own loader, which reads the bundle's source map.
      require(bundle);
    } else {
      dropInlineSourceMaps();
      runBundle(bundle);
    }
    return;
  }
  const command = snapshotCommand(snapshot, bundle);
  const result = await runChild(command.file, command.args);
  if (result.error) throw new AppError(`could not run the app from its snapshot: ${result.error.message}`);
  endLike(result);
}

class AppError extends Error {}

module.exports = { AppError, BUILD_DIR, RECORD_PREFIX, SnapshotSettingError, bundlePath, build, isFresh, prepare, readRecord, runEntry, snapshotCommand, withoutInlineSourceMap };

if (require.main === module) {
  const entries = process.argv.slice(2);
  if (entries.length !== 1 || entries[0].startsWith("-")) {
    console.error("usage: node tools/app.js <entry.ts>   (e.g. node tools/app.js main.ts)");
    process.exit(2);
  }
  runEntry(entries[0]).catch((/** @type {unknown} */ error) => {
    console.error(error instanceof AppError || error instanceof SnapshotSettingError ? `siros: ${error.message}` : error);
    process.exit(1);
  });
}
