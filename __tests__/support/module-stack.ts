import { Testing, TerraformStack } from "cdktf";
import type { Construct } from "constructs";
import type { TerraformJson } from "./synth";

/** Synthesizes one module in a stack of its own, for tests that call its methods (grant, addSecret). */
export function synthModule(build: (scope: Construct) => void): { json: string; tf: TerraformJson } {
  const app = Testing.app({ stackTraces: false });
  const stack = new TerraformStack(app, "module-under-test");
  build(stack);
  const json = Testing.synth(stack);
  return { json, tf: JSON.parse(json) as TerraformJson };
}
