import { Testing } from "cdktf";
import { replicatedStatePrefixes, resolveBootstrapSettings, resolveStateSettings } from "../../backends/settings";
import { StateBootstrapStack } from "../../backends/state-bootstrap";
import { SHARED_DEFAULTS } from "../../environments/defaults";
import { projectOutputFolder } from "./project-stacks";
import { environments } from "./synth";

/**
 * Every stack of the project, synthesized as `cdktf synth` writes them (manifest.json and
 * `stacks/<id>/cdk.tf.json`, with cdktf's `"//"` metadata, which Testing.synth strips) into a
 * temporary output folder; and the state bootstrap stack, without and with server access
 * logging, into folders of their own. For `npm run check`'s engine.
 */
export function synthOutputFolders(): { readonly project: string; readonly bootstrap: string; readonly bootstrapWithAccessLogs: string } {
  return {
    // Shared with every test file of the run: read-only (tests that edit a stack copy it first).
    project: projectOutputFolder(),
    bootstrap: synthBootstrapFolder({}),
    bootstrapWithAccessLogs: synthBootstrapFolder({ SIROS_STATE_ACCESS_LOG_BUCKET: "siros-access-logs", SIROS_STATE_DR_ACCESS_LOG_BUCKET: "siros-access-logs-dr" }),
  };
}

function synthBootstrapFolder(env: Record<string, string>): string {
  const app = Testing.app({ stackTraces: false });
  new StateBootstrapStack(app, {
    settings: resolveStateSettings(env),
    project: SHARED_DEFAULTS.project,
    tags: { ...SHARED_DEFAULTS.tags, environment: "shared" },
    replicatedPrefixes: replicatedStatePrefixes(Object.values(environments)),
    ...resolveBootstrapSettings(env),
  });
  app.synth();
  return app.outdir;
}
