import { Lazy, TerraformStack } from "cdktf";
import type { Construct } from "constructs";
import { ensureRandomProvider } from "./global-name";

export interface EphemeralPasswordProps {
  /** Characters, at least 16. */
  readonly length: number;
  /** Special characters the consuming service accepts. */
  readonly specials: string;
}

/**
 * A password generated at plan/apply time by an ephemeral `random_password` (random 3.7):
 * Terraform keeps it in neither the plan nor the state, so it can only flow into write-only
 * attributes (`password_wo`, `value_wo`, `secret_data_wo`). cdktf 0.21 has no binding for
 * ephemeral resources, so the block is written with an override; the returned reference is a
 * token (writeOnlyValue accepts it, and it is never a literal).
 */
export function ephemeralPassword(scope: Construct, id: string, { length, specials }: EphemeralPasswordProps): string {
  const stack = TerraformStack.of(scope);
  ensureRandomProvider(scope);
  const name = id.replace(/[^a-z0-9_]/gi, "_");
  stack.addOverride(`ephemeral.random_password.${name}`, {
    length,
    special: true,
    override_special: specials,
    min_lower: 2,
    min_upper: 2,
    min_numeric: 2,
    min_special: 2,
  });
  return Lazy.stringValue({ produce: () => `\${ephemeral.random_password.${name}.result}` });
}
