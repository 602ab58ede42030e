import { spawn, spawnSync } from "node:child_process";
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { parseCommandLine, UsageError } from "./args";
import { MUTATIONS, type Mutation } from "./mutate/mutations";

/**
 * `npm run test:mutate`: applies each deliberate breakage of tools/mutate/mutations.ts, alone,
 * to a scratch copy of the repository (never the working tree) and runs the test files that
 * must catch it. Prints caught/total; exits 1 if any mutation survives, or if any is stale
 * (its `find` text no longer occurs exactly once).
 */
const ROOT = join(__dirname, "..");

export const MUTATE_HELP = `Usage: npm run test:mutate [-- options]

Applies every mutation of tools/mutate/mutations.ts to a scratch copy of the repository, one
at a time, and runs the test files listed with it: each must fail. Exit 1 if one survives or
is stale (its "find" text no longer occurs exactly once in its file).
  --only a,b       only these mutation ids
  --parallel N     scratch copies worked on at once, 1 to 8 (default 2)
  --list           print the mutations and exit
  --help           show this text`;

/** Why a mutation cannot be applied to `text`, or undefined when its text occurs exactly once. */
export function staleness(mutation: Mutation, text: string | undefined): string | undefined {
  if (text === undefined) return `${mutation.file} does not exist`;
  const count = text.split(mutation.find).length - 1;
  if (count === 0) return `its find text no longer occurs in ${mutation.file}`;
  if (count > 1) return `its find text occurs ${count} times in ${mutation.file}; make it unique`;
  return undefined;
}

/** Problems with the list itself: duplicate ids, missing test files, stale entries. */
export function listProblems(mutations: readonly Mutation[], read: (file: string) => string | undefined): string[] {
  const problems: string[] = [];
  const seen = new Set<string>();
  for (const m of mutations) {
    if (seen.has(m.id)) problems.push(`${m.id}: the id is used twice`);
    seen.add(m.id);
    if (m.tests.length === 0) problems.push(`${m.id}: lists no test file`);
    for (const test of m.tests) if (read(join("__tests__", test)) === undefined) problems.push(`${m.id}: test file __tests__/${test} does not exist`);
    const stale = staleness(m, read(m.file));
    if (stale) problems.push(`${m.id}: STALE: ${stale}`);
  }
  return problems;
}

const readRepo = (file: string) => (existsSync(join(ROOT, file)) ? readFileSync(join(ROOT, file), "utf8") : undefined);

/** A scratch copy of the working tree's tracked and new files; dependencies and bindings linked, not copied. */
function scratchCopy(parent: string, index: number): string {
  const copy = join(parent, `copy-${index}`);
  const files = spawnSync("git", ["ls-files", "--cached", "--others", "--exclude-standard", "-z"], { cwd: ROOT, encoding: "utf8" }).stdout.split("\0").filter(Boolean);
  for (const file of files) {
    if (!existsSync(join(ROOT, file))) continue;
    mkdirSync(dirname(join(copy, file)), { recursive: true });
    cpSync(join(ROOT, file), join(copy, file));
  }
  for (const linked of ["node_modules", ".gen"]) symlinkSync(join(ROOT, linked), join(copy, linked), "dir");
  return copy;
}

function jest(cwd: string, tests: readonly string[]): Promise<{ code: number | null; output: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [join(cwd, "node_modules", "jest", "bin", "jest.js"), "--ci", "--silent", "--bail", ...tests.map((t) => `__tests__/${t}`)], {
      cwd,
      env: { ...process.env, CHECKPOINT_DISABLE: "1" },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let output = "";
    child.stdout.on("data", (c: Buffer) => (output += c));
    child.stderr.on("data", (c: Buffer) => (output += c));
    child.on("close", (code) => resolve({ code, output }));
  });
}

async function main(argv: readonly string[]): Promise<number> {
  const options = parseCommandLine(argv, { only: { type: "string" }, parallel: { type: "string" }, list: { type: "boolean" }, help: { type: "boolean", short: "h" } });
  if (options.help) {
    console.log(MUTATE_HELP);
    return 0;
  }
  const only = typeof options.only === "string" ? options.only.split(",").map((s) => s.trim()) : undefined;
  const unknown = (only ?? []).filter((id) => !MUTATIONS.some((m) => m.id === id));
  if (unknown.length > 0) throw new UsageError(`--only: ${unknown.map((u) => JSON.stringify(u)).join(", ")} is not a mutation id; run with --list`);
  const parallelRaw = (options.parallel as string | undefined) ?? "2";
  const parallel = /^[1-8]$/.test(parallelRaw) ? Number(parallelRaw) : NaN;
  if (Number.isNaN(parallel)) throw new UsageError(`--parallel: ${JSON.stringify(parallelRaw)} is not a whole number from 1 to 8`);
  const selected = MUTATIONS.filter((m) => !only || only.includes(m.id));
  if (options.list) {
    for (const m of selected) console.log(`${m.id}  ${m.file}  (${m.tests.join(", ")})\n    ${m.why}`);
    return 0;
  }

  const problems = listProblems(selected, readRepo);
  if (problems.length > 0) {
    console.error(`test:mutate: the mutation list needs fixing (tools/mutate/mutations.ts):\n  ${problems.join("\n  ")}`);
    return 1;
  }

  const started = Date.now();
  const parent = mkdtempSync(join(tmpdir(), "siros-mutate-"));
  const cleanup = () => rmSync(parent, { recursive: true, force: true });
  process.once("SIGINT", () => {
    cleanup();
    process.exit(130);
  });
  try {
    const copies = Array.from({ length: Math.min(parallel, selected.length) }, (_, i) => scratchCopy(parent, i));
    // Unmutated, the tests must pass, or a "caught" would mean nothing.
    const baseline = await jest(copies[0], [...new Set(selected.flatMap((m) => m.tests))]);
    if (baseline.code !== 0) {
      console.error(`test:mutate: the tests fail without any mutation; fix them first:\n${baseline.output.slice(-3000)}`);
      return 1;
    }
    const survivors: Mutation[] = [];
    const queue = [...selected];
    await Promise.all(
      copies.map(async (copy) => {
        for (let m = queue.shift(); m; m = queue.shift()) {
          const path = join(copy, m.file);
          const original = readFileSync(path, "utf8");
          writeFileSync(path, original.replace(m.find, () => m.replace));
          const result = await jest(copy, m.tests);
          writeFileSync(path, original);
          const caught = result.code !== 0;
          if (!caught) survivors.push(m);
          console.log(`${caught ? "caught  " : "SURVIVED"}  ${m.id}  (${m.tests.join(", ")})${caught ? "" : `\n          ${m.file}: ${m.why}`}`);
        }
      }),
    );
    const caught = selected.length - survivors.length;
    console.log(`\n${caught}/${selected.length} mutations caught in ${((Date.now() - started) / 1000).toFixed(0)} s${survivors.length ? `; survived: ${survivors.map((s) => s.id).join(", ")}` : ""}`);
    return survivors.length === 0 ? 0 : 1;
  } finally {
    cleanup();
  }
}

if (require.main === module) {
  main(process.argv.slice(2)).then(
    (code) => (process.exitCode = code),
    (error: unknown) => {
      console.error(error instanceof UsageError ? `test:mutate: ${error.message}\n${MUTATE_HELP}` : error);
      process.exitCode = 1;
    },
  );
}
