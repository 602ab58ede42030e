// @ts-check
/**
 * Runs the app's bundle (a CommonJS file) as `require` would, with a V8 code cache beside it.
 *
 * Compiling the 3 MB bundle took about 65 ms of every synth, and each function it runs is compiled
 * again on its first call. The cache holds the bytecode of the bundle's top level and of every
 * function the run compiled: it is written after a successful run of a bundle it does not match,
 * and read by the runs after. It starts with the SHA-256 of the bundle it was made from and is used
 * only for that very bundle (V8's own check compares only the source's length, so an edit that
 * keeps the length, `10.0.0.0/16` to `10.9.0.0/16`, would otherwise run the old code); V8 rejects
 * it when its flags changed, and it is written again. Used by tools/app.js and by the packages'
 * startup snapshot (tools/app-snapshot-main.js); not with source maps on, where Node's own loader
 * must read the bundle's map.
 */
const { createHash } = require("node:crypto");
const { readdirSync, readFileSync, rmSync, statSync } = require("node:fs");
const Module = require("node:module");
const { basename, dirname, join } = require("node:path");
const vm = require("node:vm");
const { writeAtomically } = require("./write-atomically");

const HASH_LENGTH = 64;

/**
 * The cache file of `bundle` for this Node and these V8 flags (a cache made under other flags is
 * rejected; one file per set of flags in use keeps them from replacing each other). The startup
 * snapshot's own flag is not a V8 flag: left out.
 * @param {string} bundle
 */
function codeCachePath(bundle, nodeOptions = process.env.NODE_OPTIONS ?? "", execArgv = process.execArgv) {
  const flags = execArgv.filter((flag, i) => flag !== "--snapshot-blob" && execArgv[i - 1] !== "--snapshot-blob" && !flag.startsWith("--snapshot-blob="));
  const key = createHash("sha256").update(`${process.version}\0${flags.join(" ")}\0${nodeOptions}`).digest("hex").slice(0, 12);
  return `${bundle}.${key}.v8-cache`;
}

/** The cache's V8 data when it was made from `source` (its first bytes are the source's SHA-256), else undefined. */
function cachedDataFor(/** @type {string} */ cacheFile, /** @type {string} */ sourceHash) {
  let content;
  try {
    content = readFileSync(cacheFile);
  } catch {
    return undefined; // none yet: this run writes it
  }
  return content.subarray(0, HASH_LENGTH).toString("latin1") === sourceHash ? content.subarray(HASH_LENGTH) : undefined;
}

/**
 * Compiles and runs `bundle` as the main program's module: its `require` resolves from its folder
 * (and goes through Module._load, as any require does).
 * @param {string} bundle an absolute path
 */
function runBundle(bundle) {
  const source = readFileSync(bundle, "utf8");
  const sourceHash = createHash("sha256").update(source).digest("hex");
  const cacheFile = codeCachePath(bundle);
  const cachedData = cachedDataFor(cacheFile, sourceHash);
  const script = new vm.Script(Module.wrap(source), {
    filename: bundle,
    cachedData,
    // import() in the app resolves as in any CommonJS module.
    importModuleDynamically: vm.constants?.USE_MAIN_CONTEXT_DEFAULT_LOADER,
  });
  if (cachedData === undefined || script.cachedDataRejected) {
    // After the run, so that the cache holds the functions the run compiled; only after a success.
    process.once("exit", (code) => {
      if (code === 0) writeCodeCache(bundle, cacheFile, Buffer.concat([Buffer.from(sourceHash, "latin1"), script.createCachedData()]));
    });
  }
  /** @type {any} */
  const ModuleClass = Module;
  const module = new ModuleClass(bundle, null);
  module.filename = bundle;
  module.paths = ModuleClass._nodeModulePaths(dirname(bundle));
  ModuleClass._cache[bundle] = module;
  const compiled = script.runInThisContext({ displayErrors: true });
  compiled.call(module.exports, module.exports, Module.createRequire(bundle), module, bundle, dirname(bundle));
  module.loaded = true;
}

/** How many caches of one bundle are kept (one per set of flags in use). */
const KEEP_CACHES = 3;

/**
 * Writes the cache and removes the bundle's other caches beyond the KEEP_CACHES newest: best
 * effort, as a cache that cannot be written (a read-only .build, a full disk) must not fail a synth
 * that succeeded.
 */
function writeCodeCache(/** @type {string} */ bundle, /** @type {string} */ cacheFile, /** @type {Buffer} */ content) {
  try {
    writeAtomically(cacheFile, content);
    const folder = dirname(bundle);
    const prefix = `${basename(bundle)}.`;
    const others = readdirSync(folder)
      .filter((name) => name.startsWith(prefix) && name.endsWith(".v8-cache") && join(folder, name) !== cacheFile)
      .map((name) => ({ file: join(folder, name), time: statSync(join(folder, name), { throwIfNoEntry: false })?.mtimeMs ?? 0 }))
      .sort((a, b) => b.time - a.time);
    for (const { file } of others.slice(KEEP_CACHES - 1)) rmSync(file, { force: true });
  } catch {
    // The next run compiles the bundle again, as without a cache.
  }
}

module.exports = { KEEP_CACHES, codeCachePath, runBundle };
