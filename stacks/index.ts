import type { App } from "cdktf";
import type { StateSettings } from "../backends/settings";
import type { Environments } from "../environments";
import type { StackSelection } from "./selection";
import { SirosStack } from "./siros-stack";

export { SirosStack, stackId } from "./siros-stack";
export { selectStacks, type StackSelection } from "./selection";

export interface BuildStacksOptions {
  readonly environments: Environments;
  readonly state: StateSettings;
  readonly selection: StackSelection;
}

/** One stack per selected cloud × environment. */
export function buildStacks(app: App, { environments, state, selection }: BuildStacksOptions): SirosStack[] {
  return selection.clouds.flatMap((cloud) =>
    selection.environments.map((name) => new SirosStack(app, { cloud, environment: environments[name], state })),
  );
}
