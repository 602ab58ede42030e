import { S3BucketObjectLockConfigurationA } from "@cdktf/provider-aws/lib/s3-bucket-object-lock-configuration";
import { S3BucketOwnershipControls } from "@cdktf/provider-aws/lib/s3-bucket-ownership-controls";
import { S3BucketPublicAccessBlock } from "@cdktf/provider-aws/lib/s3-bucket-public-access-block";
import { AwsStorage } from "../modules/storage/aws";
import type { StorageProps } from "../modules/storage/contract";
import { synthModule } from "./support/module-stack";
import { countOf, referenceTo, resources, synthStack as synthWholeStack, synthStackFile, withoutModule, type TerraformJson } from "./support/synth";

// The edge keeps its own access-log bucket; these tests read the storage module's buckets.
const synthStack = (...args: Parameters<typeof synthWholeStack>) => withoutModule(synthWholeStack(...args), "edge");

const prod = synthStack("aws", "prod");
const staging = synthStack("aws", "staging");
const dev = synthStack("aws", "dev");
const dr = synthStack("aws", "dr");

/** The S3 bucket of a purpose (`assets`, `backups`, `backups-replica`, `access-logs`), by its tag. */
const bucket = (tf: TerraformJson, role: string) => resources(tf, "aws_s3_bucket").find((b) => b.tags.purpose === role)!;
const ref = (tf: TerraformJson, role: string, attribute = "id") => referenceTo(tf, "aws_s3_bucket", (b) => b.tags.purpose === role, attribute);
const onBucket = (tf: TerraformJson, type: string, role: string) => resources(tf, type).find((r) => r.bucket === ref(tf, role))!;
const policyOf = (tf: TerraformJson, role: string) => JSON.parse(onBucket(tf, "aws_s3_bucket_policy", role).policy);

const denyInsecure = (tf: TerraformJson, role: string) => ({
  Sid: "DenyInsecureTransport",
  Effect: "Deny",
  Principal: "*",
  Action: "s3:*",
  Resource: [ref(tf, role, "arn"), `${ref(tf, role, "arn")}/*`],
  Condition: { Bool: { "aws:SecureTransport": "false" } },
});

const PROPS: StorageProps = {
  name: "siros-test",
  region: "eu-west-1",
  keyId: "arn:aws:kms:eu-west-1:111122223333:key/test",
  buckets: { assets: { noncurrentVersionDays: 30, incompleteUploadDays: 7 }, backups: { noncurrentVersionDays: 30, incompleteUploadDays: 7, coldAfterDays: 30 } },
};

describe("AWS object storage", () => {
  test("prod has an assets, a backups and an access-log bucket, protected from destroy, names with a random suffix", () => {
    expect(resources(prod.tf, "aws_s3_bucket").map((b) => b.tags.purpose).sort()).toEqual(["access-logs", "assets", "backups"]);
    for (const role of ["assets", "backups", "access-logs"]) {
      expect(bucket(prod.tf, role)).toMatchObject({ force_destroy: false, lifecycle: { prevent_destroy: true } });
      expect(bucket(prod.tf, role).bucket).toMatch(new RegExp(`^siros-prod-${role}-\\$\\{random_id\\.[^}]+\\.hex\\}$`));
    }
    expect(bucket(prod.tf, "backups").object_lock_enabled).toBe(true);
    expect(bucket(prod.tf, "assets").object_lock_enabled).toBe(false);
  });

  test("every data bucket is versioned and encrypted with the environment's key and S3 Bucket Keys; access logs use SSE-S3", () => {
    const key = referenceTo(prod.tf, "aws_kms_key", () => true, "arn");
    for (const role of ["assets", "backups"]) {
      expect(onBucket(prod.tf, "aws_s3_bucket_versioning", role).versioning_configuration).toEqual({ status: "Enabled" });
      expect(onBucket(prod.tf, "aws_s3_bucket_server_side_encryption_configuration", role).rule).toEqual([
        { apply_server_side_encryption_by_default: { sse_algorithm: "aws:kms", kms_master_key_id: key }, bucket_key_enabled: true },
      ]);
      expect(onBucket(prod.tf, "aws_s3_bucket_logging", role)).toMatchObject({ target_bucket: ref(prod.tf, "access-logs"), target_prefix: `${role}/` });
    }
    expect(onBucket(prod.tf, "aws_s3_bucket_server_side_encryption_configuration", "access-logs").rule).toEqual([
      { apply_server_side_encryption_by_default: { sse_algorithm: "AES256" } },
    ]);
  });

  test("the key policy lets S3 use the key for this account's callers", () => {
    const policy = JSON.parse(resources(prod.tf, "aws_kms_key")[0].policy);
    expect(policy.Statement.map((s: { Sid: string }) => s.Sid)).toContain("S3UsesKeyForAccount");
  });

  test("all four public-access blocks and BucketOwnerEnforced on every bucket", () => {
    expect(countOf(prod.tf, "aws_s3_bucket_public_access_block")).toBe(3);
    for (const role of ["assets", "backups", "access-logs"]) {
      expect(prod.json).toHaveResourceWithProperties(S3BucketPublicAccessBlock, {
        bucket: ref(prod.tf, role),
        block_public_acls: true,
        block_public_policy: true,
        ignore_public_acls: true,
        restrict_public_buckets: true,
      });
      expect(prod.json).toHaveResourceWithProperties(S3BucketOwnershipControls, { bucket: ref(prod.tf, role), rule: { object_ownership: "BucketOwnerEnforced" } });
    }
  });

  test("bucket policies deny non-TLS requests; the cluster's backup job writes backups; the log bucket admits only S3 log delivery for this stack's buckets", () => {
    expect(policyOf(prod.tf, "assets").Statement).toEqual([denyInsecure(prod.tf, "assets")]);
    const writer = referenceTo(prod.tf, "aws_iam_role", (r) => String(r.name).includes("backup") && !String(r.name).includes("replication"), "arn");
    expect(policyOf(prod.tf, "backups").Statement).toEqual([
      denyInsecure(prod.tf, "backups"),
      // The cluster's backup job (siros/backup) through its IRSA role: write and read, never delete.
      { Sid: "Grant0WriteObjects", Effect: "Allow", Principal: { AWS: writer }, Action: ["s3:GetObject", "s3:PutObject", "s3:AbortMultipartUpload"], Resource: `${ref(prod.tf, "backups", "arn")}/*` },
      { Sid: "Grant0WriteList", Effect: "Allow", Principal: { AWS: writer }, Action: ["s3:ListBucket", "s3:ListBucketMultipartUploads"], Resource: ref(prod.tf, "backups", "arn") },
    ]);
    expect(policyOf(prod.tf, "access-logs").Statement).toEqual([
      denyInsecure(prod.tf, "access-logs"),
      {
        Sid: "S3ServerAccessLogsDelivery",
        Effect: "Allow",
        Principal: { Service: "logging.s3.amazonaws.com" },
        Action: "s3:PutObject",
        Resource: `${ref(prod.tf, "access-logs", "arn")}/*`,
        Condition: {
          StringEquals: { "aws:SourceAccount": `\${data.aws_caller_identity.${Object.keys(prod.tf.data!.aws_caller_identity).find((name) => name.startsWith("storage_"))}.account_id}` },
          ArnLike: { "aws:SourceArn": [ref(prod.tf, "assets", "arn"), ref(prod.tf, "backups", "arn")] },
        },
      },
    ]);
  });

  test("lifecycle: noncurrent versions expire, uploads are aborted, backups move to Glacier Instant Retrieval (whole rule lists)", () => {
    const base = (days: number) => ({
      id: "expire-noncurrent-versions",
      status: "Enabled",
      filter: [{ prefix: "" }],
      noncurrent_version_expiration: [{ noncurrent_days: days }],
      abort_incomplete_multipart_upload: [{ days_after_initiation: 7 }],
    });
    expect(onBucket(prod.tf, "aws_s3_bucket_lifecycle_configuration", "assets").rule).toEqual([base(90)]);
    expect(onBucket(prod.tf, "aws_s3_bucket_lifecycle_configuration", "backups").rule).toEqual([
      base(90),
      { id: "move-to-cold-storage", status: "Enabled", filter: [{ prefix: "" }], transition: [{ days: 30, storage_class: "GLACIER_IR" }] },
    ]);
    expect(onBucket(dev.tf, "aws_s3_bucket_lifecycle_configuration", "assets").rule).toEqual([base(7)]);
    expect(onBucket(prod.tf, "aws_s3_bucket_lifecycle_configuration", "access-logs").rule).toEqual([
      { id: "expire-access-logs", status: "Enabled", filter: [{ prefix: "" }], expiration: [{ days: 365 }], abort_incomplete_multipart_upload: [{ days_after_initiation: 1 }] },
    ]);
  });

  test("backups are locked 35 days: compliance in prod, governance in staging, no lock in dev", () => {
    expect(prod.json).toHaveResourceWithProperties(S3BucketObjectLockConfigurationA, { bucket: ref(prod.tf, "backups"), rule: { default_retention: { mode: "COMPLIANCE", days: 35 } } });
    expect(resources(staging.tf, "aws_s3_bucket_object_lock_configuration").map((l) => l.rule)).toEqual([{ default_retention: { mode: "GOVERNANCE", days: 35 } }]);
    expect(countOf(dev.tf, "aws_s3_bucket_object_lock_configuration")).toBe(0);
    expect(bucket(dev.tf, "backups").object_lock_enabled).toBe(false);
  });

  test("dev's buckets can be destroyed", () => {
    for (const b of resources(dev.tf, "aws_s3_bucket")) expect(b).not.toHaveProperty("lifecycle");
  });

  test("dr receives prod's backups: a replica bucket under dr's key, the role and the configuration on prod's bucket in prod's region", () => {
    expect(bucket(dr.tf, "backups-replica")).toMatchObject({ object_lock_enabled: true, lifecycle: { prevent_destroy: true } });
    const drKey = referenceTo(dr.tf, "aws_kms_key", () => true, "arn");
    expect(onBucket(dr.tf, "aws_s3_bucket_server_side_encryption_configuration", "backups-replica").rule[0].apply_server_side_encryption_by_default.kms_master_key_id).toBe(drKey);
    const primaryProvider = dr.tf.provider.aws.find((p) => p.alias === "primary");
    expect(primaryProvider).toMatchObject({ region: "eu-west-1" });
    const [replication] = resources(dr.tf, "aws_s3_bucket_replication_configuration");
    expect(replication).toMatchObject({
      provider: "aws.primary",
      bucket: "${data.terraform_remote_state.primary.outputs.storage_backups_name}",
      role: referenceTo(dr.tf, "aws_iam_role", (r) => r.name === "siros-dr-backups-replication", "arn"),
    });
    expect(replication.rule).toEqual([
      {
        id: "replicate-backups-to-siros-dr",
        status: "Enabled",
        priority: 1,
        filter: { prefix: "" },
        delete_marker_replication: { status: "Enabled" },
        source_selection_criteria: { sse_kms_encrypted_objects: { status: "Enabled" } },
        destination: {
          bucket: ref(dr.tf, "backups-replica", "arn"),
          storage_class: "STANDARD",
          encryption_configuration: { replica_kms_key_id: drKey },
          replication_time: { status: "Enabled", time: { minutes: 15 } },
          metrics: { status: "Enabled", event_threshold: { minutes: 15 } },
        },
      },
    ]);
    const trust = JSON.parse(resources(dr.tf, "aws_iam_role").find((r) => r.name === "siros-dr-backups-replication")!.assume_role_policy);
    expect(trust.Statement[0].Condition.StringEquals["aws:SourceArn"]).toBe("${data.terraform_remote_state.primary.outputs.storage_backups_id}");
    const policy = JSON.parse(resources(dr.tf, "aws_iam_role_policy").find((p) => p.name === "replicate-backups")!.policy);
    expect(policy.Statement.find((s: { Sid: string }) => s.Sid === "ReadSourceVersions").Action).toEqual([
      "s3:GetObjectVersionForReplication",
      "s3:GetObjectVersionAcl",
      "s3:GetObjectVersionTagging",
      "s3:GetObjectRetention",
      "s3:GetObjectLegalHold",
    ]);
    expect(countOf(prod.tf, "aws_s3_bucket_replication_configuration")).toBe(0);
  });

  test("exports name, ARN and endpoint per purpose, and dr's replica", () => {
    expect(prod.tf.output.storage_assets_name.value).toBe(ref(prod.tf, "assets", "bucket"));
    expect(prod.tf.output.storage_backups_id.value).toBe(ref(prod.tf, "backups", "arn"));
    expect(prod.tf.output.storage_assets_url.value).toBe(`https://${ref(prod.tf, "assets", "bucket_regional_domain_name")}`);
    expect(dr.tf.output.storage_backups_replica_id.value).toBe(ref(dr.tf, "backups-replica", "arn"));
    expect(prod.tf.output).not.toHaveProperty("storage_backups_replica_id");
  });

  test("grants: the edge's CloudFront distribution reads assets through origin access control; a role writes backups, never deletes", () => {
    const distribution = "arn:aws:cloudfront::111122223333:distribution/EDFDVBD6EXAMPLE";
    const writer = "arn:aws:iam::111122223333:role/siros-backup";
    const { tf } = synthModule((scope) => {
      const storage = new AwsStorage(scope, "storage", PROPS);
      storage.grantRead("assets", { principal: distribution });
      storage.grantWrite("backups", { principal: writer });
    });
    expect(policyOf(tf, "assets").Statement).toEqual([
      denyInsecure(tf, "assets"),
      {
        Sid: "Grant0ReadObjects",
        Effect: "Allow",
        Principal: { Service: "cloudfront.amazonaws.com" },
        Condition: { StringEquals: { "AWS:SourceArn": distribution } },
        Action: ["s3:GetObject"],
        Resource: `${ref(tf, "assets", "arn")}/*`,
      },
    ]);
    expect(policyOf(tf, "backups").Statement).toEqual([
      denyInsecure(tf, "backups"),
      { Sid: "Grant0WriteObjects", Effect: "Allow", Principal: { AWS: writer }, Action: ["s3:GetObject", "s3:PutObject", "s3:AbortMultipartUpload"], Resource: `${ref(tf, "backups", "arn")}/*` },
      { Sid: "Grant0WriteList", Effect: "Allow", Principal: { AWS: writer }, Action: ["s3:ListBucket", "s3:ListBucketMultipartUploads"], Resource: ref(tf, "backups", "arn") },
    ]);
  });

  test("fails if a grant names an unknown purpose", () => {
    expect(() => synthModule((scope) => new AwsStorage(scope, "storage", PROPS).grantRead("logs" as "assets", { principal: "arn:aws:iam::111122223333:role/x" }))).toThrow(
      `storage (aws): "logs" is not a bucket purpose; valid: "assets", "backups"`,
    );
  });

  test("fails if a replica has no provider in its primary's region", () => {
    const replicaOf = { backups: { name: "siros-prod-backups-abc123", id: "arn:aws:s3:::siros-prod-backups-abc123", keyId: "arn:aws:kms:eu-west-1:111122223333:key/p", region: "eu-west-1" } };
    expect(() => synthModule((scope) => new AwsStorage(scope, "storage", { ...PROPS, replicaOf }))).toThrow(
      "storage (aws): replicating backups from siros-prod-backups-abc123 needs primaryProvider, a provider in eu-west-1",
    );
  });

  test("every bucket says why its own stack shows no replication of it (SIROS-AWS-S3-11): prod's backups are replicated by dr's stack", () => {
    const files = { prod: synthStackFile("aws", "prod"), staging: synthStackFile("aws", "staging"), dr: synthStackFile("aws", "dr") };
    const reason = (tf: TerraformJson, role: string) =>
      ((bucket(tf, role)["//"].siros?.suppressions ?? []) as { rule: string; reason: string }[]).find((s) => s.rule === "SIROS-AWS-S3-11")?.reason;
    expect(reason(files.prod, "backups")).toBe("replicated to the dr region by the replica's (dr's) stack, which owns the replication configuration on this bucket");
    expect(reason(files.staging, "backups")).toBe("storage.backups.replicate is off in this environment (a declared knob): nothing receives its backups");
    // The replica is seen as one: nothing to suppress.
    expect(reason(files.dr, "backups-replica")).toBeUndefined();
    expect(reason(files.prod, "assets")).toBe("the frontend's static assets are build output that CI publishes again to any region; they are not replicated");
    expect(reason(files.prod, "access-logs")).toBe("server access logs stay in the region of the buckets they record");
  });
});
