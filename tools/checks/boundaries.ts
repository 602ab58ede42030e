import { readdirSync, readFileSync } from "node:fs";
import { join, relative, resolve, dirname, sep } from "node:path";

/**
 * The project's dependency rules, checked on the source (every import, `import type` too):
 * dependencies point down, from entry points to stacks to modules and backends to lib.
 */
export interface SourceFile {
  /** Path relative to the project root, with "/" separators. */
  readonly path: string;
  readonly text: string;
}

interface Rule {
  readonly from: RegExp;
  readonly importing?: RegExp;
  readonly text?: RegExp;
  readonly why: string;
}

export const RULES: readonly Rule[] = [
  { from: /^modules\//, importing: /^environments\//, why: "modules never import environments/ (they get values as props)" },
  { from: /^modules\//, text: /\bprocess\.env\b/, why: "modules never read environment variables" },
  { from: /^environments\//, importing: /^modules\/[^/]+\/(?!contract\.ts$)/, why: "environments never import module implementations (contract types only)" },
  { from: /^environments\//, importing: /^(stacks|backends|providers|tools)\//, why: "environments are data: they import only lib/ and module contracts" },
  { from: /^backends\//, importing: /^stacks\//, why: "backends never import stacks/ (the app runner lives in lib/)" },
  { from: /^lib\//, importing: /^(?!lib\/)/, why: "lib/ is the bottom layer: it imports nothing of the project outside lib/" },
];

const IMPORT = /(?:^|\n)\s*(?:import|export)\s[^;]*?from\s+["']([^"']+)["']|(?:^|\n)\s*import\s+["']([^"']+)["']|\brequire\(\s*["']([^"']+)["']\s*\)/g;

/** Project-relative targets of a file's relative imports ("./x" → "dir/x.ts"). */
export function projectImports(file: SourceFile): string[] {
  const targets: string[] = [];
  for (const match of file.text.matchAll(IMPORT)) {
    const specifier = match[1] ?? match[2] ?? match[3];
    if (!specifier.startsWith(".")) continue;
    const target = join(dirname(file.path), specifier).split(sep).join("/");
    targets.push(/\.[cm]?[jt]s$|\.json$/.test(target) ? target : `${target}.ts`);
  }
  return targets;
}

/** Every broken rule, as "file: imports target (why)" lines. */
export function boundaryViolations(files: readonly SourceFile[]): string[] {
  const problems: string[] = [];
  for (const file of files) {
    for (const rule of RULES.filter((r) => r.from.test(file.path))) {
      if (rule.importing) {
        for (const target of projectImports(file).filter((t) => rule.importing!.test(t))) {
          problems.push(`${file.path}: imports ${target} (${rule.why})`);
        }
      }
      if (rule.text?.test(codeOnly(file.text))) problems.push(`${file.path}: ${rule.why}`);
    }
  }
  return problems;
}

/** Code without comments and double-quoted strings, so that only real uses are found. */
export function codeOnly(text: string): string {
  return text.replace(/\/\*[\s\S]*?\*\//g, "").replace(/\/\/.*$/gm, "").replace(/"(?:[^"\\\n]|\\.)*"/g, '""');
}

/** Files whose code reads `process.env`. */
export function environmentReaders(files: readonly SourceFile[]): string[] {
  return files.filter((f) => /\bprocess\.env\b/.test(codeOnly(f.text))).map((f) => f.path).sort();
}

const SOURCE_FOLDERS = ["lib", "modules", "environments", "backends", "stacks", "providers", "tools"];
const ENTRY_POINTS = ["main.ts"];

/** The project's own TypeScript sources (not tests, not generated bindings). */
export function projectSources(root: string): SourceFile[] {
  const entries = ENTRY_POINTS.map((path) => ({ path, text: readFileSync(resolve(root, path), "utf8") }));
  return entries.concat(SOURCE_FOLDERS.flatMap((folder) =>
    readdirSync(resolve(root, folder), { recursive: true, encoding: "utf8" })
      .filter((f) => f.endsWith(".ts"))
      .map((f) => {
        const path = relative(root, resolve(root, folder, f)).split(sep).join("/");
        return { path, text: readFileSync(resolve(root, path), "utf8") };
      }),
  ));
}
