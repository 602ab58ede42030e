import { App } from "cdktf";
import { resolveStateSettings } from "./backends/settings";
import { ConfigError, loadEnvironments } from "./environments";
import { buildStacks, selectStacks } from "./stacks";

/**
 * Entry point of `cdktf synth`: reads configuration and the environment variables
 * once, builds the selected stacks, and writes them. Any problem is reported before
 * anything is written, and the process exits non-zero.
 */
function main(): void {
  try {
    const options = {
      environments: loadEnvironments(),
      state: resolveStateSettings(process.env),
      selection: selectStacks(process.env),
    };
    // Stack traces on every construct cost synth time and are not needed in the output.
    const app = new App({ stackTraces: false });
    buildStacks(app, options);
    app.synth();
  } catch (error) {
    console.error(error instanceof ConfigError ? `siros: ${error.message}` : error);
    process.exit(1);
  }
}

main();
