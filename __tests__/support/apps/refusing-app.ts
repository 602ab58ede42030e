import { TerraformStack } from "cdktf";
import { ConfigError } from "../../../lib/errors";
import { runApp } from "../../../lib/run-app";

/**
 * An app entry point for the runner's tests, run as its own process the way `cdktf synth`
 * runs main.ts. REFUSE_AT says where it fails:
 *   build   a refusal raised while building, after a stack was added (the App exists)
 *   empty   the build adds no stack (the runner's own refusal)
 *   unset   builds one empty stack and synthesizes it
 */
runApp(
  () => ({ refuseAt: process.env.REFUSE_AT }),
  (app, { refuseAt }) => {
    if (refuseAt === "empty") return;
    new TerraformStack(app, "only");
    if (refuseAt === "build") throw new ConfigError("Refused while building", ["stack only: refused on purpose"]);
  },
);
