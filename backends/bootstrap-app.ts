import { loadEnvironments } from "../environments";
import { SHARED_DEFAULTS } from "../environments/defaults";
import { runApp } from "../lib/run-app";
import { replicatedStatePrefixes, resolveBootstrapSettings, resolveStateSettings } from "./settings";
import { StateBootstrapStack } from "./state-bootstrap";

/**
 * Entry point of the state bootstrap app (`npm run bootstrap:synth` / `bootstrap:deploy`),
 * kept apart from main.ts because it runs once, before any other stack has a backend.
 */
runApp(
  () => ({
    settings: resolveStateSettings(process.env),
    ...resolveBootstrapSettings(process.env),
    // What the replicas read (prod, for dr) is what the dr site receives a copy of.
    replicatedPrefixes: replicatedStatePrefixes(Object.values(loadEnvironments())),
  }),
  (app, input) =>
    new StateBootstrapStack(app, {
      ...input,
      project: SHARED_DEFAULTS.project,
      tags: { ...SHARED_DEFAULTS.tags, environment: "shared" },
    }),
);
