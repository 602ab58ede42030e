import type { Block, StackIndex } from "./terraform-json";

export type Level = "error" | "warning";
export type Cloud = "aws" | "azure" | "gcp" | "oci" | "ibm";
export const CLOUDS: readonly Cloud[] = ["aws", "azure", "gcp", "oci", "ibm"];

/**
 * `baseline` rules apply to every stack; `production` rules (stricter: backups, deletion
 * protection, longer retention, customer-managed keys) to production-shaped stacks only.
 */
export type PackName = "baseline" | "production";

/** What a check says about one block: nothing (passes), or why it fails (one line each). */
export type CheckResult = string | readonly string[] | undefined;

/**
 * One named policy rule, in the manner of a cdk-nag rule or a Checkov check: what it checks,
 * why, where it is documented and how to fix a finding.
 */
export interface Rule {
  /** This project's id: `SIROS-<CLOUD>-<SERVICE>-<n>`. */
  readonly id: string;
  /** The Checkov check with the same meaning, where one exists. */
  readonly checkov?: string;
  readonly level: Level;
  readonly pack: PackName;
  readonly cloud: Cloud;
  /** Resource types the check runs on (resources only; data sources are never checked). */
  readonly resourceTypes: readonly string[];
  /** One line, stating what must hold. */
  readonly title: string;
  /** Why it matters. */
  readonly rationale: string;
  /** The provider's or cloud's documentation of the setting. */
  readonly docs: string;
  /** How to fix a finding. */
  readonly fix: string;
  readonly check: (block: Block, stack: StackIndex) => CheckResult;
}
