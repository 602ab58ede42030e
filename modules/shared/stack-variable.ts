import { TerraformStack, TerraformVariable } from "cdktf";
import type { Construct } from "constructs";

/**
 * A string asked at plan time (`TF_VAR_<name>`), declared once at the stack's top level so that
 * its name is exactly `name` however many modules ask for it; what no repository file may hold
 * (a credential, an account id) comes in this way.
 */
export function stackVariable(scope: Construct, name: string, description: string, sensitive = false): string {
  const stack = TerraformStack.of(scope);
  const existing = stack.node.tryFindChild(name);
  if (existing instanceof TerraformVariable) return existing.stringValue;
  return new TerraformVariable(stack, name, { type: "string", description, nullable: false, ...(sensitive ? { sensitive: true } : {}) }).stringValue;
}
