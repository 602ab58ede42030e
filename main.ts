import { resolveStateSettings } from "./backends/settings";
import { loadEnvironments } from "./environments";
import { buildStacks, selectStacks } from "./stacks";
import { runApp } from "./lib/run-app";

/**
 * Entry point of `cdktf synth`: reads configuration and the environment variables once,
 * then builds the selected stacks. Any problem is reported before anything is written.
 */
runApp(
  () => ({
    environments: loadEnvironments(),
    state: resolveStateSettings(process.env),
    selection: selectStacks(process.env),
  }),
  buildStacks,
);
