import { GENERATED_PROVIDERS, staleBindings, writeBindings } from "./bindings";

/**
 * `npm run get`: generate the OCI and IBM bindings from their schema excerpts.
 * `npm run get -- --check`: exit 1 if .gen is out of date with the excerpts.
 */
async function main(): Promise<void> {
  if (process.argv.includes("--check")) {
    const stale = await staleBindings();
    if (stale.length > 0) {
      console.error(`Generated bindings are out of date with providers/schemas; run "npm run get". Differing files:\n  ${stale.join("\n  ")}`);
      process.exit(1);
    }
    console.log(`Bindings for ${GENERATED_PROVIDERS.join(", ")} match their schema excerpts.`);
    return;
  }
  await writeBindings();
  console.log(`Generated bindings for ${GENERATED_PROVIDERS.join(", ")} in .gen/providers.`);
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
