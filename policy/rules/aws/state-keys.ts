import type { Rule } from "../../rule";
import { docs, first, isFalse, isSet, isTrue, isWildcardPrincipal, numberOf, rule, statements } from "../helpers";

const TABLE = ["aws_dynamodb_table"];
const KEY = ["aws_kms_key"];
const SECRET = ["aws_secretsmanager_secret"];

/** The lock table of the state backend, the keys, and the secrets. */
export const STATE_KEY_RULES: readonly Rule[] = [
  rule({
    id: "SIROS-AWS-DDB-1",
    checkov: "CKV_AWS_28",
    level: "error",
    pack: "baseline",
    cloud: "aws",
    resourceTypes: TABLE,
    title: "DynamoDB tables have point-in-time recovery",
    rationale: "Point-in-time recovery restores the table to any second of the last 35 days after a bad write or a deletion.",
    docs: docs.aws("dynamodb_table"),
    fix: "Set point_in_time_recovery { enabled = true }.",
    check: (table) => (isTrue(first(table.values, "point_in_time_recovery")?.enabled) ? undefined : "point_in_time_recovery is not enabled"),
  }),
  rule({
    id: "SIROS-AWS-DDB-2",
    checkov: "CKV_AWS_119",
    level: "error",
    pack: "baseline",
    cloud: "aws",
    resourceTypes: TABLE,
    title: "DynamoDB tables are encrypted with a customer-managed KMS key",
    rationale: "The AWS-owned default key cannot be audited, restricted by key policy or revoked.",
    docs: docs.aws("dynamodb_table"),
    fix: "Set server_side_encryption { enabled = true, kms_key_arn = <the environment's key> }.",
    check: (table) => {
      const sse = first(table.values, "server_side_encryption");
      return isTrue(sse?.enabled) && isSet(sse?.kms_key_arn) ? undefined : "server_side_encryption is not enabled with a kms_key_arn";
    },
  }),
  rule({
    id: "SIROS-AWS-DDB-3",
    level: "error",
    pack: "production",
    cloud: "aws",
    resourceTypes: TABLE,
    title: "Production DynamoDB tables have deletion protection",
    rationale: "Deletion protection makes DeleteTable fail, whoever calls it; Terraform's prevent_destroy only guards plans.",
    docs: docs.aws("dynamodb_table"),
    fix: "Set deletion_protection_enabled = true.",
    check: (table) => (isTrue(table.values.deletion_protection_enabled) ? undefined : "deletion_protection_enabled is not true"),
  }),
  rule({
    id: "SIROS-AWS-KMS-1",
    checkov: "CKV_AWS_7",
    level: "error",
    pack: "baseline",
    cloud: "aws",
    resourceTypes: KEY,
    title: "KMS keys rotate their key material",
    rationale: "Automatic rotation limits how much data one key version protects, without changing the key id anyone uses.",
    docs: docs.aws("kms_key"),
    fix: "Set enable_key_rotation = true (symmetric keys; optionally rotation_period_in_days).",
    check: (key) => {
      const spec = key.values.customer_master_key_spec;
      // Only symmetric encryption keys can rotate automatically.
      if (typeof spec === "string" && spec !== "SYMMETRIC_DEFAULT") return undefined;
      return isTrue(key.values.enable_key_rotation) ? undefined : "enable_key_rotation is not true";
    },
  }),
  rule({
    id: "SIROS-AWS-KMS-2",
    checkov: "CKV_AWS_33",
    level: "error",
    pack: "baseline",
    cloud: "aws",
    resourceTypes: KEY,
    title: "KMS key policies grant nothing to every principal",
    rationale: "Principal * in an Allow statement lets any AWS account use or manage the key unless a condition narrows it.",
    docs: "https://docs.aws.amazon.com/kms/latest/developerguide/key-policies.html",
    fix: "Name the account root, roles or services in every Allow statement of the key policy.",
    check: (key) =>
      statements(key.values.policy).some((s) => s.Effect === "Allow" && isWildcardPrincipal(s.Principal) && !s.Condition) ? "an Allow statement has Principal * without a condition" : undefined,
  }),
  rule({
    id: "SIROS-AWS-KMS-3",
    checkov: "CKV_AWS_227",
    level: "error",
    pack: "baseline",
    cloud: "aws",
    resourceTypes: KEY,
    title: "KMS keys are enabled",
    rationale: "A disabled key makes everything encrypted with it unreadable: the state, the logs, the secrets.",
    docs: docs.aws("kms_key"),
    fix: "Remove is_enabled = false (or set it to true).",
    check: (key) => (isFalse(key.values.is_enabled) ? "is_enabled is false" : undefined),
  }),
  rule({
    id: "SIROS-AWS-KMS-4",
    checkov: "CKV2_AWS_64",
    level: "warning",
    pack: "baseline",
    cloud: "aws",
    resourceTypes: KEY,
    title: "KMS keys have an explicit key policy",
    rationale: "Without one the default policy applies: the whole account, through IAM, may use and manage the key.",
    docs: docs.aws("kms_key"),
    fix: "Set policy to a key policy naming the administrators and the services and roles that use the key.",
    check: (key) => (isSet(key.values.policy) ? undefined : "no policy: the account's default key policy applies"),
  }),
  rule({
    id: "SIROS-AWS-KMS-5",
    level: "error",
    pack: "production",
    cloud: "aws",
    resourceTypes: KEY,
    title: "Production KMS keys wait 30 days before deletion and are kept by prevent_destroy",
    rationale: "A deleted key cannot be recovered after its waiting period, and neither can anything encrypted with it.",
    docs: docs.aws("kms_key"),
    fix: "Set deletion_window_in_days = 30 and lifecycle { prevent_destroy = true }.",
    check: (key) => {
      const window = numberOf(key.values.deletion_window_in_days) ?? 30;
      if (window < 30) return `deletion_window_in_days is ${window}`;
      return isTrue(first(key.values, "lifecycle")?.prevent_destroy) ? undefined : "lifecycle.prevent_destroy is not set";
    },
  }),
  rule({
    id: "SIROS-AWS-SM-1",
    checkov: "CKV_AWS_149",
    level: "error",
    pack: "baseline",
    cloud: "aws",
    resourceTypes: SECRET,
    title: "Secrets Manager secrets are encrypted with a customer-managed KMS key",
    rationale: "With the aws/secretsmanager key, anyone allowed to read the secret can decrypt it; a customer-managed key adds its own policy.",
    docs: docs.aws("secretsmanager_secret"),
    fix: "Set kms_key_id to the environment's key.",
    check: (secret) => (isSet(secret.values.kms_key_id) ? undefined : "kms_key_id is not set"),
  }),
  rule({
    id: "SIROS-AWS-SM-2",
    level: "warning",
    pack: "production",
    cloud: "aws",
    resourceTypes: SECRET,
    title: "Production secrets keep a recovery window",
    rationale: "recovery_window_in_days = 0 deletes the secret at once, with no way back.",
    docs: docs.aws("secretsmanager_secret"),
    fix: "Leave recovery_window_in_days unset (30) or set 7 to 30.",
    check: (secret) => (numberOf(secret.values.recovery_window_in_days) === 0 ? "recovery_window_in_days is 0" : undefined),
  }),
  rule({
    id: "SIROS-AWS-SM-3",
    checkov: "CKV2_AWS_57",
    level: "warning",
    pack: "production",
    cloud: "aws",
    resourceTypes: SECRET,
    title: "Production secrets rotate automatically",
    rationale: "A secret that never changes stays valid wherever it leaked; rotation bounds that time.",
    docs: docs.aws("secretsmanager_secret_rotation"),
    fix: "Add an aws_secretsmanager_secret_rotation for the secret (a managed rotation or a rotation Lambda) with rotation_rules.",
    check: (secret, stack) => (stack.referencing(secret, "aws_secretsmanager_secret_rotation", "secret_id").length ? undefined : "no aws_secretsmanager_secret_rotation references this secret"),
  }),
];
