import type { TerraformResource } from "cdktf";

/**
 * Where a suppression is written: under the resource's `"//"` key, which Terraform ignores and
 * where cdktf already writes its own `metadata`. cdktf merges what we add there with its
 * metadata, so neither clobbers the other. The policy pack (`npm run check`) reads it.
 */
export const SUPPRESSIONS_KEY = "siros";

/** Shortest reason accepted: long enough to say why, not just "n/a". */
export const MIN_REASON_LENGTH = 10;

export interface Suppression {
  /** The policy rule id, e.g. `SIROS-AWS-S3-1`. */
  readonly rule: string;
  /** Why this resource is exempt; shown in every report. */
  readonly reason: string;
}

/** What the synthesized JSON carries under `"//"`. */
export interface SuppressionMetadata {
  readonly suppressions: readonly Suppression[];
}

const written = new WeakMap<TerraformResource, Suppression[]>();

/**
 * Exempts one resource from one policy rule, with the reason, which travels with the resource
 * in the synthesized JSON and is shown in every report. Call it where the decision is made
 * (the module or the environment). A second call for the same rule replaces the reason.
 * Whether the rule exists is checked by `npm run check`, which knows the rules.
 */
export function suppress(resource: TerraformResource, rule: string, reason: string): void {
  if (!/^SIROS-[A-Z0-9]+-[A-Z0-9]+-\d+$/.test(rule)) {
    throw new Error(`suppress(${resource.node.path}): rule "${rule}" is not a rule id (SIROS-<CLOUD>-<SERVICE>-<n>, e.g. SIROS-AWS-S3-1)`);
  }
  if (reason.trim().length < MIN_REASON_LENGTH) {
    throw new Error(`suppress(${resource.node.path}, ${rule}): the reason must say why in at least ${MIN_REASON_LENGTH} characters, got "${reason}"`);
  }
  const list = (written.get(resource) ?? []).filter((s) => s.rule !== rule);
  list.push({ rule, reason: reason.trim() });
  written.set(resource, list);
  // The whole list each time: an override replaces the value at its path.
  resource.addOverride(`//.${SUPPRESSIONS_KEY}.suppressions`, list.map((s) => ({ ...s })));
}

/**
 * Where an environment turned a module's deletion protection off (a declared knob), suppresses
 * the policy rule asking for it on `resource`, naming the setting: one wording for every module.
 */
export function suppressUnprotected(
  deletionProtection: boolean,
  setting: string,
  resource: TerraformResource,
  rule: string,
  guard = "a declared knob; prod and dr keep it",
): void {
  if (deletionProtection) return;
  suppress(resource, rule, `deletion protection is off by this environment's ${setting} setting (${guard}): this environment is rebuilt, not restored`);
}
