import { RandomProvider } from "@cdktf/provider-random/lib/provider";
import { Id } from "@cdktf/provider-random/lib/id";
import { TerraformStack } from "cdktf";
import type { Construct } from "constructs";

/** Characters a cloud accepts in a globally unique name. */
export type GlobalNameCharset =
  /** Azure storage accounts: lowercase letters and digits only. */
  | "lower-alnum"
  /** Buckets, key vaults: lowercase letters, digits and hyphens, starting with a letter. */
  | "lower-alnum-hyphen";

export interface GlobalNameProps {
  /** Readable part of the name, e.g. `siros-prod-flowlogs`; shortened to fit. */
  readonly base: string;
  /** The cloud's length limit for this name. */
  readonly maxLength: number;
  readonly charset: GlobalNameCharset;
}

/** Hex characters of the random suffix (3 bytes): 16.7 million names per base. */
export const GLOBAL_NAME_SUFFIX_LENGTH = 6;

/**
 * A name for a resource whose names are global across all customers of a cloud (Azure
 * storage accounts and key vaults, S3/COS/GCS buckets). A readable base plus a random
 * suffix kept in state (`random_id`): the name never collides with another customer's,
 * stays the same on every plan, and changes only when the base changes — so a
 * recreated resource does not trip over a soft-deleted predecessor that still reserves
 * its old name (Azure Key Vault, for instance, for its whole retention period).
 */
export function globalName(scope: Construct, id: string, { base, maxLength, charset }: GlobalNameProps): string {
  const separator = charset === "lower-alnum" ? "" : "-";
  const room = maxLength - GLOBAL_NAME_SUFFIX_LENGTH - separator.length;
  if (room < 3) throw new Error(`globalName ${id}: a ${maxLength}-character limit leaves no room for a readable base`);
  const readable = sanitize(base, charset).slice(0, room).replace(/-+$/, "");
  ensureRandomProvider(scope);
  const suffix = new Id(scope, id, { byteLength: GLOBAL_NAME_SUFFIX_LENGTH / 2, keepers: { base: readable } });
  return `${readable}${separator}${suffix.hex}`;
}

function sanitize(base: string, charset: GlobalNameCharset): string {
  const lower = base.toLowerCase();
  return charset === "lower-alnum" ? lower.replace(/[^a-z0-9]/g, "") : lower.replace(/[^a-z0-9-]/g, "-").replace(/^[^a-z]+/, "");
}

/** One `random` provider per stack, added by the first globally named resource. */
export function ensureRandomProvider(scope: Construct): void {
  const stack = TerraformStack.of(scope);
  if (!stack.node.tryFindChild("random")) new RandomProvider(stack, "random");
}
