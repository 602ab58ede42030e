import { generateProviderBindingsFromSchema } from "@cdktf/provider-generator";
import { mkdtempSync, readFileSync, readdirSync, rmSync, cpSync, existsSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, relative } from "node:path";
import { GENERATED_PROVIDERS, ROOT, SCHEMA_DIR } from "./schemas/paths";

/**
 * Provider bindings generated offline from the schema excerpts in providers/schemas, with the
 * same generator `cdktf get` uses, written where `cdktf get` writes them (.gen/providers/<name>).
 */
export { GENERATED_PROVIDERS, ROOT, SCHEMA_DIR };
export const GEN_DIR = join(ROOT, ".gen");

/** Generates every provider's bindings into `target` (a folder that will hold `providers/`). */
export async function generateBindings(target: string): Promise<void> {
  for (const name of GENERATED_PROVIDERS) {
    const schema = JSON.parse(readFileSync(join(SCHEMA_DIR, `${name}.json`), "utf8"));
    await generateProviderBindingsFromSchema(target, schema);
  }
}

/** Files that differ between two generated trees, as paths relative to each tree's root. */
export function diffTrees(expected: string, actual: string): string[] {
  const files = (dir: string): string[] =>
    existsSync(dir)
      ? readdirSync(dir, { recursive: true, encoding: "utf8" })
          .filter((f) => statSync(join(dir, f)).isFile())
          .sort()
      : [];
  const wanted = files(expected);
  const present = files(actual);
  const differing = wanted.filter(
    (f) => !present.includes(f) || readFileSync(join(expected, f), "utf8") !== readFileSync(join(actual, f), "utf8"),
  );
  return [...differing, ...present.filter((f) => !wanted.includes(f))];
}

/** Regenerates into a scratch folder and lists what .gen lacks or has that differs. */
export async function staleBindings(): Promise<string[]> {
  const scratch = mkdtempSync(join(tmpdir(), "siros-bindings-"));
  try {
    await generateBindings(scratch);
    return GENERATED_PROVIDERS.flatMap((name) =>
      diffTrees(join(scratch, "providers", name), join(GEN_DIR, "providers", name)).map((f) =>
        relative(ROOT, join(GEN_DIR, "providers", name, f)),
      ),
    );
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
}

/** Writes fresh bindings, replacing only the generated providers' folders. */
export async function writeBindings(): Promise<void> {
  const scratch = mkdtempSync(join(tmpdir(), "siros-bindings-"));
  try {
    await generateBindings(scratch);
    for (const name of GENERATED_PROVIDERS) {
      const destination = join(GEN_DIR, "providers", name);
      rmSync(destination, { recursive: true, force: true });
      cpSync(join(scratch, "providers", name), destination, { recursive: true });
    }
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
}
