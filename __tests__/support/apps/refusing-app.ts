import { TerraformStack } from "cdktf";
import { ConfigError } from "../../../lib/errors";
import { runApp } from "../../../lib/run-app";

/**
 * An app entry point for the runner's tests, run as its own process the way `cdktf synth`
 * runs main.ts. It has two parts (stacks "one" and "two"), synthesized at once when
 * SIROS_SYNTH_WORKERS allows. REFUSE_AT says where it fails:
 *   build   a refusal raised while building, after a stack was added (the App exists)
 *   empty   the build adds no stack (the runner's own refusal)
 *   two     only the part that builds stack "two" fails (another process when run in parallel)
 *   unset   builds empty stacks and synthesizes them
 */
runApp(
  () => ({ refuseAt: process.env.REFUSE_AT, stacks: ["one", "two"] }),
  (app, { refuseAt, stacks }) => {
    if (refuseAt === "empty") return;
    for (const id of stacks) {
      new TerraformStack(app, id);
      if (refuseAt === "build" || (refuseAt === "two" && id === "two")) throw new ConfigError("Refused while building", [`stack ${id}: refused on purpose`]);
    }
  },
  { split: (input, count) => (count < 2 ? [input] : input.stacks.map((id) => ({ ...input, stacks: [id] }))) },
);
