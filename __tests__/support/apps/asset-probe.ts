import { App, AssetType, TerraformAsset, TerraformOutput, TerraformStack } from "cdktf";

/**
 * An app entry point for the startup snapshot's tests (app-snapshot.test.ts), run through
 * tools/app.js: one stack with an archive asset of the folder PROBE_ASSET_DIR. cdktf writes the
 * archive by running one of its own files as a script, which must be the real file.
 */
const app = new App({ stackTraces: false });
const stack = new TerraformStack(app, "assets");
const asset = new TerraformAsset(stack, "folder", { path: process.env.PROBE_ASSET_DIR!, type: AssetType.ARCHIVE });
new TerraformOutput(stack, "archive", { value: asset.path });
app.synth();
