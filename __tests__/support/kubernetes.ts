import { DefaultTokenResolver, StringConcat, Testing, Tokenization } from "cdktf";
import type { CloudName, EnvironmentName } from "../../environments";
import type { WorkloadIdentity } from "../../modules/kubernetes/contract";
import { DEFAULT_STATE_SETTINGS } from "../../backends/settings";
import { buildStacks } from "../../stacks";
import { environments, type TerraformJson } from "./synth";

/** A stack whose cluster was asked for a workload identity (as storage will), synthesized. */
export function synthWithIdentity(cloud: CloudName, env: EnvironmentName, namespace: string, serviceAccount: string): { tf: TerraformJson; identity: WorkloadIdentity } {
  const app = Testing.app({ stackTraces: false });
  const [stack] = buildStacks(app, { environments, state: DEFAULT_STATE_SETTINGS, selection: { clouds: [cloud], environments: [env] } });
  const identity = stack.kubernetes.workloadIdentity(namespace, serviceAccount);
  // Asked twice, the same identity: storage and another consumer may both ask.
  if (stack.kubernetes.workloadIdentity(namespace, serviceAccount) !== identity) throw new Error("workloadIdentity created a second identity");
  return { tf: JSON.parse(Testing.synth(stack)) as TerraformJson, identity: Tokenization.resolve(identity, { scope: stack, resolver: new DefaultTokenResolver(new StringConcat()) }) as WorkloadIdentity };
}

/** The one block of `type` (fails if there are several). */
export function only(tf: TerraformJson, type: string, kind: "resource" | "data" = "resource"): Record<string, any> {
  const blocks = Object.values((kind === "resource" ? tf.resource : tf.data ?? {})[type] ?? {});
  if (blocks.length !== 1) throw new Error(`expected one ${type}, found ${blocks.length}`);
  return blocks[0];
}

/** Blocks of `type` keyed by their construct path's last part (e.g. `system-nodes`). */
export function byConstruct(tf: TerraformJson, type: string): Record<string, Record<string, any>> {
  return Object.fromEntries(Object.entries(tf.resource[type] ?? {}).map(([name, block]) => [name.replace(/^kubernetes_/, "").replace(/_[0-9A-F]{8}$/, ""), block]));
}

/** The warning annotations of one stack, as `npm run synth` prints them. */
export function synthWarnings(cloud: CloudName, env: EnvironmentName): string[] {
  const app = Testing.app({ stackTraces: false });
  const [stack] = buildStacks(app, { environments, state: DEFAULT_STATE_SETTINGS, selection: { clouds: [cloud], environments: [env] } });
  Testing.synth(stack);
  return stack.node
    .findAll()
    .flatMap((construct) => construct.node.metadata)
    .filter((entry) => entry.type === "@cdktf/warn")
    .map((entry) => String(entry.data));
}
