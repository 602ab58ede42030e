import { readFileSync } from "node:fs";
import { join } from "node:path";
import { parseCommandLine, UsageError } from "./args";
import { GENERATED_PROVIDERS, SCHEMA_DIR } from "./schemas/paths";
import { compareSchemas, type SchemasJson } from "./schemas/compare";

/**
 * `npm run schemas:compare -- --oci oci.json --ibm ibm.json`: compares each schema excerpt
 * with the real provider's `terraform providers schema -json` output (run where the registry
 * is reachable: the `validate` job of .github/workflows/ci.yml). Exit 1 on any difference.
 */
export const COMPARE_HELP = `Usage: npm run schemas:compare -- --oci FILE --ibm FILE

Each FILE is the output of "terraform providers schema -json" in a stack that uses the provider
(after "terraform init -backend=false"). Every resource and data source of providers/schemas/<name>.json
is compared with it: attributes, types, required/optional/computed/sensitive, nested blocks.
Exit 1 on any difference.`;

function main(argv: readonly string[]): number {
  const options = parseCommandLine(argv, Object.fromEntries(GENERATED_PROVIDERS.map((name) => [name, { type: "string" as const }])));
  const missing = GENERATED_PROVIDERS.filter((name) => typeof options[name] !== "string" || options[name] === "");
  if (missing.length > 0) throw new UsageError(`${missing.map((m) => `--${m}`).join(", ")}: name the provider schema file`);
  let problems = 0;
  for (const name of GENERATED_PROVIDERS) {
    const excerpt = JSON.parse(readFileSync(join(SCHEMA_DIR, `${name}.json`), "utf8")) as SchemasJson;
    const actual = JSON.parse(readFileSync(options[name] as string, "utf8")) as SchemasJson;
    const differences = compareSchemas(excerpt, actual);
    problems += differences.length;
    console.log(differences.length === 0 ? `${name}: the excerpt matches the provider.` : `${name}: ${differences.length} difference(s):\n  ${differences.join("\n  ")}`);
  }
  return problems === 0 ? 0 : 1;
}

try {
  process.exitCode = main(process.argv.slice(2));
} catch (error) {
  console.error(error instanceof UsageError ? `schemas:compare: ${error.message}\n${COMPARE_HELP}` : error);
  process.exitCode = 1;
}
