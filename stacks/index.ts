import type { App } from "cdktf";
import type { StateSettings } from "../backends/settings";
import type { Environments } from "../environments";
import type { StackSelection } from "./selection";
import { SirosStack } from "./siros-stack";

export { SirosStack } from "./siros-stack";
export { selectStacks, stackId, type StackSelection } from "./selection";

export interface BuildStacksOptions {
  readonly environments: Environments;
  readonly state: StateSettings;
  readonly selection: StackSelection;
}

/**
 * One stack per selected cloud × environment. A replica's stack depends on its primary's
 * stack of the same cloud when both are built, so deploys and diffs run them in order.
 */
export function buildStacks(app: App, { environments, state, selection }: BuildStacksOptions): SirosStack[] {
  const stacks = selection.clouds.flatMap((cloud) =>
    selection.environments.map((name) => {
      const environment = environments[name];
      const primary = environment.replicaOf ? environments[environment.replicaOf] : undefined;
      const replica = Object.values(environments).find((e) => e.replicaOf === name);
      return new SirosStack(app, { cloud, environment, state, primary, replica });
    }),
  );
  for (const stack of stacks) {
    const primaryName = stack.environment.replicaOf;
    const primary = stacks.find((s) => s.cloud === stack.cloud && s.environment.name === primaryName);
    if (primary) stack.addDependency(primary);
  }
  return stacks;
}
