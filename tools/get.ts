import { parseCommandLine, UsageError } from "./args";
import { GENERATED_PROVIDERS, staleBindings, writeBindings } from "./bindings";

export const GET_HELP = `Usage: npm run get [-- --check]

Generates the OCI and IBM Cloud bindings in .gen/providers from providers/schemas.
  --check   write nothing; exit 1 if .gen differs from what the excerpts generate
  --help    show this text`;

/**
 * `npm run get`: generate the OCI and IBM bindings from their schema excerpts.
 * `npm run get -- --check`: exit 1 if .gen is out of date with the excerpts.
 */
async function main(argv: readonly string[]): Promise<number> {
  const options = parseCommandLine(argv, { check: { type: "boolean" }, help: { type: "boolean", short: "h" } });
  if (options.help) {
    console.log(GET_HELP);
    return 0;
  }
  if (options.check) {
    const stale = await staleBindings();
    if (stale.length > 0) {
      console.error(`Generated bindings are out of date with providers/schemas; run "npm run get". Differing files:\n  ${stale.join("\n  ")}`);
      return 1;
    }
    console.log(`Bindings for ${GENERATED_PROVIDERS.join(", ")} match their schema excerpts.`);
    return 0;
  }
  await writeBindings();
  console.log(`Generated bindings for ${GENERATED_PROVIDERS.join(", ")} in .gen/providers.`);
  return 0;
}

main(process.argv.slice(2)).then(
  (code) => (process.exitCode = code),
  (error: unknown) => {
    if (error instanceof UsageError) console.error(`get: ${error.message}\n${GET_HELP}`);
    else console.error(error);
    process.exitCode = 1;
  },
);
