/** What every cloud's key extractor reads the same way. */
import type { Block } from "../../../policy/terraform-json";

/** Terraform refuses to destroy the block (`lifecycle.prevent_destroy`). */
export const preventsDestroy = (block: Block | undefined): boolean => (block?.values.lifecycle as { prevent_destroy?: boolean } | undefined)?.prevent_destroy === true;

/** Whole days of a duration in seconds with Google's `s` suffix (`7776000s`). */
export function daysOfSeconds(duration: unknown): number | null {
  const match = /^(\d+)s$/.exec(String(duration ?? ""));
  return match ? Number(match[1]) / 86_400 : null;
}

/** Whole days of an ISO 8601 duration in days (`P90D`), as Azure's rotation policy writes it. */
export function daysOfIso(duration: unknown): number | null {
  const match = /^P(\d+)D$/.exec(String(duration ?? ""));
  return match ? Number(match[1]) : null;
}
