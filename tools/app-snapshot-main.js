// @ts-check
/**
 * What the packages' startup snapshot holds (tools/app-snapshot.js builds it; never run directly).
 *
 * esbuild bundles this file with every package the app's bundle requires (the virtual module
 * `siros-snapshot:packages`: each specifier the app names, mapped to its module). Node runs the
 * bundle once under `--build-snapshot`, which loads and initializes them all, and saves the heap.
 * A synth then starts from that heap: it skips reading, compiling and running about 550 package
 * files, and only runs the app's own bundle.
 *
 * Build time: `node --build-snapshot <this bundle> <env-record.json>`. While the packages load,
 * every environment variable they read is recorded (name and value) into env-record.json: a value
 * read at load time is frozen in the snapshot, so the snapshot is used only while those variables
 * still have the recorded values.
 *
 * Run time: `node --snapshot-blob <blob> <app bundle>`. `runApp` makes `require` return the
 * snapshot's modules for the specifiers it holds, then runs the app's bundle (tools/run-bundle.js).
 */
const { startupSnapshot } = require("node:v8");
const { writeFileSync } = require("node:fs");
const { runBundle } = require("./run-bundle");

const envRecordFile = process.argv[2];
if (!envRecordFile) throw new Error("usage: node --snapshot-blob <blob> --build-snapshot <bundle> <env-record.json>");

/** @type {Record<string, string | null>} */
const envRead = {};
const env = process.env;
process.env = new Proxy(env, {
  get(target, name) {
    if (typeof name === "string") envRead[name] = target[name] ?? null;
    return Reflect.get(target, name);
  },
  has(target, name) {
    if (typeof name === "string") envRead[name] = target[name] ?? null;
    return Reflect.has(target, name);
  },
  getOwnPropertyDescriptor(target, name) {
    if (typeof name === "string") envRead[name] = target[name] ?? null;
    return Reflect.getOwnPropertyDescriptor(target, name);
  },
  ownKeys(target) {
    // Listing the whole environment: every value then counts.
    for (const name of Object.keys(target)) envRead[name] = target[name] ?? null;
    envRead["*"] = JSON.stringify(Object.keys(target).sort());
    return Reflect.ownKeys(target);
  },
});
/** @type {Record<string, unknown>} each specifier the app names, mapped to its module */
let packages;
try {
  // @ts-expect-error: a virtual module, which only the snapshot's build provides (tools/app-snapshot.js)
  packages = require("siros-snapshot:packages");
} finally {
  process.env = env;
}
writeFileSync(envRecordFile, JSON.stringify(envRead));
// Node takes Error.stackTraceLimit out while a snapshot is built and puts it back when one starts,
// unless it is there: cdktf and constructs save and restore it around their own captures, which
// left it as an own property holding undefined, and errors would then print without frames.
if (Object.hasOwn(Error, "stackTraceLimit") && Error.stackTraceLimit === undefined) delete (/** @type {any} */ (Error)).stackTraceLimit;

startupSnapshot.setDeserializeMainFunction(() => runApp(packages));

/** The package a bare specifier names (`@scope/name` or `name`), or undefined for a path or a built-in. */
function packageOf(/** @type {string} */ request) {
  if (request.startsWith(".") || request.startsWith("/") || request.startsWith("node:")) return undefined;
  const parts = request.split("/");
  return request.startsWith("@") ? parts.slice(0, 2).join("/") : parts[0];
}

/** @param {Record<string, unknown>} modules */
function runApp(modules) {
  const Module = /** @type {any} */ (require("node:module"));
  // process.cwd() is cached by Node and by graceful-fs (one of cdktf's packages); both caches hold
  // the folder the snapshot was built in. Changing to the real working directory clears them.
  process.chdir(require("node:fs").realpathSync.native("."));
  // Node makes the main script's path absolute before it runs a script, not before this function.
  const bundle = require("node:path").resolve(process.argv[1]);
  process.argv[1] = bundle;
  const load = Module._load;
  const inSnapshot = new Set(Object.keys(modules).map(packageOf));
  Module._load = function loadFromSnapshot(/** @type {string} */ request, /** @type {unknown[]} */ ...rest) {
    if (Object.hasOwn(modules, request)) return modules[request];
    const name = packageOf(request);
    // Loading another file of a package the snapshot holds would load a second copy of it (a second
    // cdktf, whose tokens and constructs the first does not know): refuse, and say what to do.
    if (name !== undefined && inSnapshot.has(name)) {
      throw new Error(
        `"${request}" is not in the app's startup snapshot of its packages, which holds ${name}: ` +
          `require it by its literal name in the app's sources, so that the build sees it, or run with SIROS_APP_SNAPSHOT=0`,
      );
    }
    return load.call(this, request, ...rest);
  };
  runBundle(bundle);
}
