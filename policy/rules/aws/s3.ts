import type { Rule } from "../../rule";
import type { Block, StackIndex } from "../../terraform-json";
import { docs, first, isSet, isTrue, isWildcardPrincipal, nested, rule, statements } from "../helpers";

const BUCKET = ["aws_s3_bucket"];

/** The bucket's separate configuration resources of `type` (they reference it through `bucket`). */
function configOf(stack: StackIndex, bucket: Block, type: string): Block[] {
  return stack.referencing(bucket, type, "bucket");
}

export const S3_RULES: readonly Rule[] = [
  rule({
    id: "SIROS-AWS-S3-1",
    checkov: "CKV2_AWS_6",
    level: "error",
    pack: "baseline",
    cloud: "aws",
    resourceTypes: BUCKET,
    title: "S3 buckets have a public access block with all four settings on",
    rationale: "Without all four blocks an ACL or a bucket policy can make objects public; the block is the guard that holds whatever a later policy says.",
    docs: docs.aws("s3_bucket_public_access_block"),
    fix: "Add an aws_s3_bucket_public_access_block for the bucket with block_public_acls, block_public_policy, ignore_public_acls and restrict_public_buckets all true.",
    check: (bucket, stack) => {
      const blocks = configOf(stack, bucket, "aws_s3_bucket_public_access_block");
      if (blocks.length === 0) return "no aws_s3_bucket_public_access_block references this bucket";
      const off = ["block_public_acls", "block_public_policy", "ignore_public_acls", "restrict_public_buckets"].filter((k) => !blocks.some((b) => isTrue(b.values[k])));
      return off.length ? `public access block leaves ${off.join(", ")} off` : undefined;
    },
  }),
  rule({
    id: "SIROS-AWS-S3-2",
    checkov: "CKV_AWS_145",
    level: "error",
    pack: "baseline",
    cloud: "aws",
    resourceTypes: BUCKET,
    title: "S3 buckets are encrypted by default with a KMS key",
    rationale: "SSE-KMS under a customer-managed key puts every read behind a key policy and CloudTrail's record of key use; SSE-S3 does neither.",
    docs: docs.aws("s3_bucket_server_side_encryption_configuration"),
    fix: "Add an aws_s3_bucket_server_side_encryption_configuration with sse_algorithm \"aws:kms\" and kms_master_key_id set to the environment's key.",
    check: (bucket, stack) => {
      const configs = configOf(stack, bucket, "aws_s3_bucket_server_side_encryption_configuration");
      const inline = first(bucket.values, "server_side_encryption_configuration.rule.apply_server_side_encryption_by_default");
      const defaults = [...configs.flatMap((c) => nested(c.values, "rule").flatMap((r) => nested(r, "apply_server_side_encryption_by_default"))), ...(inline ? [inline] : [])];
      if (defaults.length === 0) return "no server-side encryption configuration for this bucket";
      const kms = defaults.some((d) => ["aws:kms", "aws:kms:dsse"].includes(String(d.sse_algorithm)) && isSet(d.kms_master_key_id));
      return kms ? undefined : "default encryption is not aws:kms with a kms_master_key_id";
    },
  }),
  rule({
    id: "SIROS-AWS-S3-3",
    checkov: "CKV_AWS_21",
    level: "error",
    pack: "baseline",
    cloud: "aws",
    resourceTypes: BUCKET,
    title: "S3 buckets have versioning enabled",
    rationale: "Versions keep every overwritten or deleted object recoverable; for Terraform state they are the only undo.",
    docs: docs.aws("s3_bucket_versioning"),
    fix: "Add an aws_s3_bucket_versioning for the bucket with versioning_configuration.status \"Enabled\".",
    check: (bucket, stack) => {
      const enabled = configOf(stack, bucket, "aws_s3_bucket_versioning").some((v) => first(v.values, "versioning_configuration")?.status === "Enabled");
      return enabled || isTrue(first(bucket.values, "versioning")?.enabled) ? undefined : "no aws_s3_bucket_versioning with status Enabled";
    },
  }),
  rule({
    id: "SIROS-AWS-S3-4",
    checkov: "CKV_AWS_379",
    level: "error",
    pack: "baseline",
    cloud: "aws",
    resourceTypes: BUCKET,
    title: "S3 bucket policies deny requests without TLS",
    rationale: "S3 accepts plain HTTP unless the bucket policy denies aws:SecureTransport = false; state and logs must not cross the network in clear.",
    docs: "https://docs.aws.amazon.com/AmazonS3/latest/userguide/security-best-practices.html#transit",
    fix: "Add a statement to the bucket's aws_s3_bucket_policy: Effect Deny, Principal *, Action s3:*, Condition Bool aws:SecureTransport \"false\".",
    check: (bucket, stack) => {
      const denies = configOf(stack, bucket, "aws_s3_bucket_policy").some((p) =>
        statements(p.values.policy).some((s) => s.Effect === "Deny" && String(s.Condition?.Bool?.["aws:SecureTransport"]) === "false"),
      );
      return denies ? undefined : "no bucket policy denies aws:SecureTransport = false";
    },
  }),
  rule({
    id: "SIROS-AWS-S3-5",
    checkov: "CKV2_AWS_65",
    level: "warning",
    pack: "baseline",
    cloud: "aws",
    resourceTypes: BUCKET,
    title: "S3 buckets disable ACLs (object ownership BucketOwnerEnforced)",
    rationale: "With ACLs disabled, access is decided by policies alone and every object belongs to the bucket's account.",
    docs: docs.aws("s3_bucket_ownership_controls"),
    fix: "Add an aws_s3_bucket_ownership_controls with rule.object_ownership \"BucketOwnerEnforced\".",
    check: (bucket, stack) =>
      configOf(stack, bucket, "aws_s3_bucket_ownership_controls").some((o) => first(o.values, "rule")?.object_ownership === "BucketOwnerEnforced")
        ? undefined
        : "no ownership controls with BucketOwnerEnforced",
  }),
  rule({
    id: "SIROS-AWS-S3-6",
    checkov: "CKV2_AWS_61",
    level: "warning",
    pack: "baseline",
    cloud: "aws",
    resourceTypes: BUCKET,
    title: "S3 buckets have a lifecycle configuration",
    rationale: "Without expiry, noncurrent versions and incomplete uploads accumulate (and are billed) forever.",
    docs: docs.aws("s3_bucket_lifecycle_configuration"),
    fix: "Add an aws_s3_bucket_lifecycle_configuration expiring noncurrent versions and aborting incomplete multipart uploads.",
    check: (bucket, stack) => (configOf(stack, bucket, "aws_s3_bucket_lifecycle_configuration").length ? undefined : "no lifecycle configuration references this bucket"),
  }),
  rule({
    id: "SIROS-AWS-S3-7",
    checkov: "CKV_AWS_18",
    level: "warning",
    pack: "production",
    cloud: "aws",
    resourceTypes: BUCKET,
    title: "Production S3 buckets log server access",
    rationale: "Access logs are the record of who read or wrote which object, which CloudTrail's management events do not give.",
    docs: docs.aws("s3_bucket_logging"),
    fix: "Add an aws_s3_bucket_logging to a log bucket in the same region (for the state buckets: set SIROS_STATE_ACCESS_LOG_BUCKET / SIROS_STATE_DR_ACCESS_LOG_BUCKET).",
    check: (bucket, stack) => (configOf(stack, bucket, "aws_s3_bucket_logging").length || nested(bucket.values, "logging").length ? undefined : "no server access logging"),
  }),
  rule({
    id: "SIROS-AWS-S3-8",
    level: "error",
    pack: "production",
    cloud: "aws",
    resourceTypes: BUCKET,
    title: "Production S3 buckets cannot be force-destroyed and are kept by prevent_destroy",
    rationale: "force_destroy deletes every object (every state version) with the bucket; prevent_destroy makes Terraform refuse a plan that would delete it.",
    docs: docs.aws("s3_bucket"),
    fix: "Set force_destroy = false and lifecycle { prevent_destroy = true } on the bucket.",
    check: (bucket) => {
      if (isTrue(bucket.values.force_destroy)) return "force_destroy is true";
      return isTrue(first(bucket.values, "lifecycle")?.prevent_destroy) ? undefined : "lifecycle.prevent_destroy is not set";
    },
  }),
  rule({
    id: "SIROS-AWS-S3-9",
    level: "error",
    pack: "baseline",
    cloud: "aws",
    resourceTypes: ["aws_s3_bucket_replication_configuration"],
    title: "S3 replication selects and re-encrypts KMS-encrypted objects",
    rationale: "S3 skips SSE-KMS objects unless the rule selects them, and without replica_kms_key_id replicas are not encrypted with the destination's key.",
    docs: docs.aws("s3_bucket_replication_configuration"),
    fix: "In every rule set source_selection_criteria.sse_kms_encrypted_objects.status \"Enabled\" and destination.encryption_configuration.replica_kms_key_id.",
    check: (config) =>
      nested(config.values, "rule").flatMap((r, i) => {
        const problems: string[] = [];
        if (first(r, "source_selection_criteria.sse_kms_encrypted_objects")?.status !== "Enabled") problems.push(`rule ${r.id ?? i} does not select SSE-KMS objects`);
        if (!isSet(first(r, "destination.encryption_configuration")?.replica_kms_key_id)) problems.push(`rule ${r.id ?? i} has no replica_kms_key_id`);
        return problems;
      }),
  }),
  rule({
    id: "SIROS-AWS-S3-10",
    checkov: "CKV_AWS_70",
    level: "error",
    pack: "baseline",
    cloud: "aws",
    resourceTypes: ["aws_s3_bucket_policy"],
    title: "S3 bucket policies allow nothing to every principal",
    rationale: "An Allow statement with Principal * opens the bucket to anyone on the internet, whatever its ACLs say.",
    docs: "https://docs.aws.amazon.com/AmazonS3/latest/userguide/example-bucket-policies.html",
    fix: "Name the principals (accounts, roles, services) in every Allow statement; keep Principal * for Deny statements only.",
    check: (policy) =>
      statements(policy.values.policy).some((s) => s.Effect === "Allow" && isWildcardPrincipal(s.Principal))
        ? "an Allow statement has Principal *"
        : undefined,
  }),
  rule({
    id: "SIROS-AWS-S3-11",
    checkov: "CKV_AWS_144",
    level: "warning",
    pack: "production",
    cloud: "aws",
    resourceTypes: BUCKET,
    title: "Production S3 buckets are replicated to another region, or are the replica",
    rationale: "A copy in another region keeps the data (for state: dr's view of prod) when the bucket's region is lost.",
    docs: docs.aws("s3_bucket_replication_configuration"),
    fix: "Add an aws_s3_bucket_replication_configuration with an Enabled rule to a bucket in the dr region.",
    check: (bucket, stack) => {
      const replicated = configOf(stack, bucket, "aws_s3_bucket_replication_configuration").some((c) => nested(c.values, "rule").some((r) => r.status === "Enabled"));
      const replica = stack.referencing(bucket, "aws_s3_bucket_replication_configuration", "rule").length > 0;
      return replicated || replica ? undefined : "no enabled replication from or to this bucket";
    },
  }),
];
