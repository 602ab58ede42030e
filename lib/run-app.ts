import { App, TerraformStack } from "cdktf";
import { existsSync, rmSync } from "node:fs";
import { ConfigError } from "./errors";
import { setTokenStackTraces, tokenStackTracesFrom } from "./token-stack-traces";

/**
 * Runs a cdktf app entry point. `load` reads and validates all input before the App
 * exists (creating an App creates its output folder); `build` adds the stacks; only then
 * is anything written. A problem is printed and the process exits 1, removing an output
 * folder this run created, so `cdktf synth` never leaves half an app behind.
 */
export function runApp<T>(load: () => T, build: (app: App, input: T) => void): void {
  let createdOutdir: string | undefined;
  try {
    // Before any construct exists: tokens record their creation stack only when asked (SIROS_TOKEN_STACK_TRACES=1).
    setTokenStackTraces(tokenStackTracesFrom(process.env));
    const input = load();
    const outdir = process.env.CDKTF_OUTDIR ?? "cdktf.out";
    const existed = existsSync(outdir);
    // Stack traces on every construct cost synth time and are not needed in the output.
    const app = new App({ outdir, stackTraces: false });
    if (!existed) createdOutdir = outdir;
    build(app, input);
    // An app that builds nothing would leave an empty manifest that diff and deploy read as "no stacks".
    if (!app.node.children.some((child) => TerraformStack.isStack(child))) {
      throw new ConfigError("Nothing to synthesize", ["the app built no stack; check the stack selection"]);
    }
    app.synth();
  } catch (error) {
    if (createdOutdir) rmSync(createdOutdir, { recursive: true, force: true });
    console.error(error instanceof ConfigError ? `siros: ${error.message}` : error);
    process.exit(1);
  }
}
