import { DynamodbTable } from "@cdktf/provider-aws/lib/dynamodb-table";
import { KmsKey } from "@cdktf/provider-aws/lib/kms-key";
import { S3Bucket } from "@cdktf/provider-aws/lib/s3-bucket";
import { S3BucketLifecycleConfiguration } from "@cdktf/provider-aws/lib/s3-bucket-lifecycle-configuration";
import { S3BucketLoggingA } from "@cdktf/provider-aws/lib/s3-bucket-logging";
import { S3BucketOwnershipControls } from "@cdktf/provider-aws/lib/s3-bucket-ownership-controls";
import { S3BucketPublicAccessBlock } from "@cdktf/provider-aws/lib/s3-bucket-public-access-block";
import { S3BucketVersioningA } from "@cdktf/provider-aws/lib/s3-bucket-versioning";
import { Testing } from "cdktf";
import { spawnSync } from "node:child_process";
import { mkdtempSync, readdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { BOOTSTRAP_ENV_VARS, resolveBootstrapSettings, resolveStateSettings, type BootstrapSettings } from "../backends/settings";
import { StateBootstrapStack } from "../backends/state-bootstrap";
import { ConfigError } from "../environments";
import { referenceTo, resources, synthStack, type TerraformJson } from "./support/synth";

function synthBootstrap(env: Record<string, string> = {}, overrides: Partial<BootstrapSettings> = {}) {
  const app = Testing.app({ stackTraces: false });
  const stack = new StateBootstrapStack(app, {
    settings: resolveStateSettings(env),
    project: "siros",
    tags: { project: "siros", environment: "shared" },
    ...resolveBootstrapSettings(env),
    ...overrides,
  });
  const json = Testing.synth(stack);
  return { json, tf: JSON.parse(json) as TerraformJson & { terraform: { backend: Record<string, unknown> } } };
}

describe("state bootstrap stack", () => {
  const { json, tf } = synthBootstrap();
  const keyArn = referenceTo(tf, "aws_kms_key", () => true, "arn");

  test("keeps its own state locally until it is migrated, then in the bucket it created", () => {
    expect(Object.keys(tf.terraform.backend)).toEqual(["local"]);
    const migrated = synthBootstrap({}, { backend: "s3" }).tf.terraform.backend;
    expect(migrated.s3).toMatchObject({ bucket: "siros-terraform-state", key: "siros/shared/state-bootstrap/terraform.tfstate", encrypt: true });
  });

  test("the bucket is versioned, KMS-encrypted with a rotating key, and cannot be destroyed", () => {
    expect(json).toHaveResourceWithProperties(S3Bucket, { bucket: "siros-terraform-state", force_destroy: false, lifecycle: { prevent_destroy: true } });
    expect(json).toHaveResourceWithProperties(S3BucketVersioningA, { versioning_configuration: { status: "Enabled" } });
    expect(json).toHaveResourceWithProperties(KmsKey, { enable_key_rotation: true, lifecycle: { prevent_destroy: true } });
    const [encryption] = resources(tf, "aws_s3_bucket_server_side_encryption_configuration");
    expect(encryption.rule).toEqual([
      { apply_server_side_encryption_by_default: { sse_algorithm: "aws:kms", kms_master_key_id: keyArn }, bucket_key_enabled: true },
    ]);
  });

  test("blocks every form of public access and disables ACLs", () => {
    expect(json).toHaveResourceWithProperties(S3BucketPublicAccessBlock, {
      block_public_acls: true,
      block_public_policy: true,
      ignore_public_acls: true,
      restrict_public_buckets: true,
    });
    expect(json).toHaveResourceWithProperties(S3BucketOwnershipControls, { rule: { object_ownership: "BucketOwnerEnforced" } });
  });

  test("denies every request made without TLS, to the bucket and its objects", () => {
    const [policy] = resources(tf, "aws_s3_bucket_policy");
    const bucketArn = referenceTo(tf, "aws_s3_bucket", () => true, "arn");
    expect(JSON.parse(policy.policy).Statement).toEqual([
      {
        Sid: "DenyInsecureTransport",
        Effect: "Deny",
        Principal: "*",
        Action: "s3:*",
        Resource: [bucketArn, `${bucketArn}/*`],
        Condition: { Bool: { "aws:SecureTransport": "false" } },
      },
    ]);
  });

  test("expires replaced state versions after 90 days by default, or the configured number", () => {
    const rule = (t: TerraformJson) => resources(t, "aws_s3_bucket_lifecycle_configuration")[0].rule[0];
    expect(json).toHaveResourceWithProperties(S3BucketLifecycleConfiguration, {});
    expect(rule(tf)).toMatchObject({ status: "Enabled", noncurrent_version_expiration: [{ noncurrent_days: 90 }] });
    const custom = synthBootstrap({ SIROS_STATE_NONCURRENT_DAYS: "30" }).tf;
    expect(rule(custom).noncurrent_version_expiration).toEqual([{ noncurrent_days: 30 }]);
  });

  test("logs bucket access only when a log bucket is configured", () => {
    expect(resources(tf, "aws_s3_bucket_logging")).toEqual([]);
    const logged = synthBootstrap({ SIROS_STATE_ACCESS_LOG_BUCKET: "siros-access-logs" });
    expect(logged.json).toHaveResourceWithProperties(S3BucketLoggingA, { target_bucket: "siros-access-logs" });
  });

  test("the lock table is keyed by LockID, on demand, recoverable, encrypted and protected", () => {
    expect(json).toHaveResourceWithProperties(DynamodbTable, {
      name: "siros-terraform-locks",
      hash_key: "LockID",
      attribute: [{ name: "LockID", type: "S" }],
      billing_mode: "PAY_PER_REQUEST",
      point_in_time_recovery: { enabled: true },
      server_side_encryption: { enabled: true, kms_key_arn: keyArn },
      deletion_protection_enabled: true,
      lifecycle: { prevent_destroy: true },
    });
  });

  test("creates exactly the bucket and table that every stack's backend points at", () => {
    const env = { SIROS_STATE_BUCKET: "acme-tf-state", SIROS_STATE_LOCK_TABLE: "acme-tf-locks", SIROS_STATE_REGION: "us-east-2" };
    const bootstrap = synthBootstrap(env).tf;
    const backend = synthStack("azure", "prod", resolveStateSettings(env)).tf.terraform.backend.s3;
    expect(resources(bootstrap, "aws_s3_bucket")[0].bucket).toBe(backend.bucket);
    expect(resources(bootstrap, "aws_dynamodb_table")[0].name).toBe(backend.dynamodb_table);
    expect(bootstrap.provider.aws[0].region).toBe(backend.region);
  });

  test.each([
    ["noncurrentVersionDays", "0", "is not a whole number of days of at least 1"],
    ["accessLogBucket", "Logs!", "is not a valid S3 bucket name"],
    ["backend", "consul", 'is not a backend for the bootstrap stack; valid: "local", "s3"'],
  ] as const)("fails if the bootstrap %s is %s", (key, value, problem) => {
    const variable = BOOTSTRAP_ENV_VARS[key];
    expect(() => resolveBootstrapSettings({ [variable]: value })).toThrow(ConfigError);
    expect(() => resolveBootstrapSettings({ [variable]: value })).toThrow(`${variable} (bootstrap ${key}): "${value}" ${problem}`);
  });

  test("its app synthesizes the bootstrap stack alone", () => {
    const outdir = join(mkdtempSync(join(tmpdir(), "siros-bootstrap-")), "out");
    try {
      // As `npm run bootstrap:synth` runs it: precompiled by tools/app.js.
      const run = spawnSync(process.execPath, ["tools/app.js", "backends/bootstrap-app.ts"], {
        cwd: join(__dirname, ".."),
        env: { ...process.env, CDKTF_OUTDIR: outdir },
        encoding: "utf8",
      });
      expect(run.stderr).toBe("");
      expect(readdirSync(join(outdir, "stacks"))).toEqual(["state-bootstrap"]);
    } finally {
      rmSync(join(outdir, ".."), { recursive: true, force: true });
    }
  });
});
