import { resolveStateSettings } from "./backends/settings";
import { loadEnvironments } from "./environments";
import { buildStacks, independentGroups, partitionGroups, selectStacks } from "./stacks";
import { runApp } from "./lib/run-app";

/**
 * Entry point of `cdktf synth`: reads configuration and the environment variables once,
 * then builds the selected stacks. Any problem is reported before anything is written.
 * The stacks fall into groups that share nothing (a cloud's environment, dr with its prod), so
 * several processes can synthesize them at once (lib/run-app.ts); the output is the same.
 */
runApp(
  () => {
    const environments = loadEnvironments();
    const selection = selectStacks(process.env);
    return {
      environments,
      state: resolveStateSettings(process.env),
      groups: independentGroups(selection, (name) => environments[name].replicaOf),
    };
  },
  (app, { groups, ...input }) => {
    for (const selection of groups) buildStacks(app, { ...input, selection });
  },
  { split: (input, count) => partitionGroups(input.groups, count).map((groups) => ({ ...input, groups })) },
);
