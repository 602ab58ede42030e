import { readFileSync } from "node:fs";
import { join } from "node:path";
import { parseCommandLine, UsageError } from "./args";
import { GENERATED_PROVIDERS, SCHEMA_DIR } from "./schemas/paths";
import { compareSchemaFiles, compareSchemas, type SchemasJson } from "./schemas/compare";

/**
 * `npm run schemas:compare -- --oci oci.json --ibm ibm.json`: compares each schema excerpt
 * with the real provider's `terraform providers schema -json` output (run where the registry
 * is reachable: the `validate` job of .github/workflows/ci.yml). Exit 1 on any difference.
 * With `--partial`, each FILE may hold only some of the types (a second transcription of the
 * types an excerpt is about to gain): the types both hold are compared, the others listed.
 */
export const COMPARE_HELP = `Usage: npm run schemas:compare -- [--partial] --oci FILE --ibm FILE

Each FILE is the output of "terraform providers schema -json" in a stack that uses the provider
(after "terraform init -backend=false"). Every resource and data source of providers/schemas/<name>.json
is compared with it: attributes, types, required/optional/computed/sensitive, nested blocks.
Exit 1 on any difference.

  --partial   Each FILE holds only some of the types, e.g. a second transcription from the
              provider's source, in the same format: the types both files hold are compared
              (exit 1 on any difference), the types only one holds are listed.`;

function main(argv: readonly string[]): number {
  const options = parseCommandLine(argv, {
    ...Object.fromEntries(GENERATED_PROVIDERS.map((name) => [name, { type: "string" as const }])),
    partial: { type: "boolean" },
  });
  const missing = GENERATED_PROVIDERS.filter((name) => typeof options[name] !== "string" || options[name] === "");
  if (missing.length > 0) throw new UsageError(`${missing.map((m) => `--${m}`).join(", ")}: name the provider schema file`);
  let problems = 0;
  for (const name of GENERATED_PROVIDERS) {
    const excerpt = JSON.parse(readFileSync(join(SCHEMA_DIR, `${name}.json`), "utf8")) as SchemasJson;
    const file = options[name] as string;
    const actual = JSON.parse(readFileSync(file, "utf8")) as SchemasJson;
    const [count, report] = options.partial === true ? comparePartial(name, excerpt, actual, file) : compareWhole(name, excerpt, actual);
    problems += count;
    console.log(report);
  }
  return problems === 0 ? 0 : 1;
}

/** The excerpt against the provider's whole schema: every type of the excerpt must be there. */
function compareWhole(name: string, excerpt: SchemasJson, actual: SchemasJson): [number, string] {
  const differences = compareSchemas(excerpt, actual);
  return [differences.length, differences.length === 0 ? `${name}: the excerpt matches the provider.` : `${name}: ${differences.length} difference(s):\n  ${differences.join("\n  ")}`];
}

/** The excerpt against a file holding only some types: the types both hold are compared, the others listed. */
function comparePartial(name: string, excerpt: SchemasJson, other: SchemasJson, file: string): [number, string] {
  const { missingProviders, types } = compareSchemaFiles(excerpt, other, "file");
  const compared = types.filter((t) => t.heldBy === "both");
  const differences = [...missingProviders, ...compared.flatMap((t) => t.differences)];
  const listed = (label: string, heldBy: "excerpt" | "other") => {
    const only = types.filter((t) => t.heldBy === heldBy).map((t) => t.type);
    return only.length === 0 ? [] : [`only in ${label} (${only.length}): ${only.join(", ")}`];
  };
  const head = `${name}: ${compared.length} type(s) in both files, ${differences.length === 0 ? "no difference." : `${differences.length} difference(s):`}`;
  return [differences.length, [head, ...[...differences, ...listed("the excerpt", "excerpt"), ...listed(file, "other")].map((line) => `  ${line}`)].join("\n")];
}

try {
  process.exitCode = main(process.argv.slice(2));
} catch (error) {
  console.error(error instanceof UsageError ? `schemas:compare: ${error.message}\n${COMPARE_HELP}` : error);
  process.exitCode = 1;
}
