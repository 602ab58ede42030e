import { blocksOf, type RecordedType, type StackJson } from "./constraints";

/**
 * Cross-cutting name checks on top of the per-attribute validators: every resource name has
 * its cloud's length/charset limit recorded (so the check in constraints.ts applies it), and
 * names that are global across all customers of a cloud carry a random suffix.
 */

/** Top-level attributes that name a resource in its cloud. */
const NAME_ATTRIBUTES = ["name", "display_name", "bucket", "bucket_name", "bucket_id", "key_name", "dns_label"] as const;

/** Names shared by every customer of the cloud: a fixed name collides with someone else's. */
export const GLOBAL_NAMES: Readonly<Record<string, string>> = {
  "resource.aws_s3_bucket": "bucket",
  "resource.azurerm_key_vault": "name",
  "resource.azurerm_storage_account": "name",
  "resource.google_storage_bucket": "name",
  "resource.ibm_cos_bucket": "bucket_name",
};

const STATE_BUCKET = "the state backend's bucket: its name is a setting (SIROS_STATE_BUCKET) every stack's backend must know before any state exists";

const DR_STATE_BUCKET = "dr's state bucket: its name is a setting (SIROS_STATE_DR_BUCKET) every dr backend must know before any state exists";

/** Global names that cannot carry a suffix, with the reason (key: `<stack>: <address>`). */
export const GLOBAL_NAME_EXEMPTIONS: Readonly<Record<string, string>> = {
  // The backend names this bucket before any state exists, so its name cannot come from state.
  "state-bootstrap: aws_s3_bucket.state-bucket": STATE_BUCKET,
  "state-bootstrap-access-logs: aws_s3_bucket.state-bucket": STATE_BUCKET,
  // dr's state bucket, likewise named by a setting (SIROS_STATE_DR_BUCKET) that dr's backends read.
  "state-bootstrap: aws_s3_bucket.dr-state-bucket": DR_STATE_BUCKET,
  "state-bootstrap-access-logs: aws_s3_bucket.dr-state-bucket": DR_STATE_BUCKET,
};

/** A `${random_id.<name>.hex}` suffix (modules/shared/global-name.ts). */
const RANDOM_SUFFIX = /\$\{random_id\.[^.}]+\.hex\}/;

export function globalNameFindings(stack: string, tf: StackJson): string[] {
  return blocksOf(tf).flatMap(({ key, address, body }) => {
    const attribute = GLOBAL_NAMES[key];
    const value = attribute ? body[attribute] : undefined;
    if (value === undefined || GLOBAL_NAME_EXEMPTIONS[`${stack}: ${address}`]) return [];
    if (typeof value === "string" && RANDOM_SUFFIX.test(value)) return [];
    return [
      `${stack}: ${address}: ${attribute} = ${JSON.stringify(value)}: globally unique across all customers of the cloud; needs a random suffix (\${random_id.<name>.hex}, globalName() in modules/shared/global-name.ts)`,
    ];
  });
}

/** Resource names set with no recorded limit (nor a note saying where the limit lives). */
export function nameCoverageFindings(stack: string, tf: StackJson, recorded: ReadonlyMap<string, RecordedType>): string[] {
  return blocksOf(tf).flatMap(({ key, address, body }) => {
    const type = recorded.get(key);
    if (!type || !key.startsWith("resource.")) return [];
    return NAME_ATTRIBUTES.filter((attribute) => body[attribute] !== undefined).flatMap((attribute) => {
      const constraint = type.attributes[attribute];
      if (!constraint || constraint.pattern !== undefined || constraint.maxLength !== undefined || constraint.note) return [];
      return [`${stack}: ${address}: ${attribute}: a resource name without a recorded length/charset limit in ${type.source}: record the provider's limit (pattern, maxLength) or a note saying where the limit is enforced`];
    });
  });
}
