// @ts-check
/**
 * Runs the app's bundle (a CommonJS file) as `require` would, with a V8 code cache beside it.
 *
 * Compiling the 3 MB bundle took about 65 ms of every synth, and each function it runs is compiled
 * again on its first call. The cache holds the bytecode of the bundle's top level and of every
 * function the run compiled: it is written once, after the first successful run of a bundle, and
 * read by every later run (V8 rejects it itself when the bundle or V8's flags changed, and it is
 * written again). Used by tools/app.js and by the packages' startup snapshot
 * (tools/app-snapshot-main.js); not with source maps on, where Node's own loader must read the
 * bundle's map.
 */
const { createHash } = require("node:crypto");
const { readFileSync } = require("node:fs");
const Module = require("node:module");
const { dirname } = require("node:path");
const vm = require("node:vm");
const { writeAtomically } = require("./write-atomically");

/**
 * The cache file of `bundle` for this Node and these V8 flags (a cache made under other flags is
 * rejected; one file per set of flags in use keeps them from replacing each other).
 * @param {string} bundle
 */
function codeCachePath(bundle, nodeOptions = process.env.NODE_OPTIONS ?? "") {
  const flags = createHash("sha256").update(`${process.version}\0${process.execArgv.join(" ")}\0${nodeOptions}`).digest("hex").slice(0, 12);
  return `${bundle}.${flags}.v8-cache`;
}

/**
 * Compiles and runs `bundle` as the main program's module: its `require` resolves from its folder
 * (and goes through Module._load, as any require does).
 * @param {string} bundle an absolute path
 */
function runBundle(bundle) {
  const cacheFile = codeCachePath(bundle);
  /** @type {Buffer | undefined} */
  let cachedData;
  try {
    cachedData = readFileSync(cacheFile);
  } catch {
    // None yet: this run writes it.
  }
  const script = new vm.Script(Module.wrap(readFileSync(bundle, "utf8")), { filename: bundle, cachedData });
  if (cachedData === undefined || script.cachedDataRejected) {
    // After the run, so that the cache holds the functions the run compiled; only after a success.
    process.once("exit", (code) => {
      if (code === 0) writeAtomically(cacheFile, script.createCachedData());
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

module.exports = { codeCachePath, runBundle };
