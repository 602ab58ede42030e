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
import { BOOTSTRAP_ENV_VARS, replicatedStatePrefixes, resolveBootstrapSettings, resolveStateSettings, type BootstrapSettings } from "../backends/settings";
import { StateBootstrapStack, type StateBootstrapProps } from "../backends/state-bootstrap";
import { ConfigError } from "../environments";
import { environments, referenceTo, resources, synthStack, type TerraformJson } from "./support/synth";

function synthBootstrap(env: Record<string, string> = {}, overrides: Partial<BootstrapSettings & Pick<StateBootstrapProps, "replicatedPrefixes">> = {}) {
  const app = Testing.app({ stackTraces: false });
  const stack = new StateBootstrapStack(app, {
    settings: resolveStateSettings(env),
    project: "siros",
    tags: { project: "siros", environment: "shared" },
    replicatedPrefixes: replicatedStatePrefixes(Object.values(environments)),
    ...resolveBootstrapSettings(env),
    ...overrides,
  });
  const json = Testing.synth(stack);
  return { json, tf: JSON.parse(json) as TerraformJson & { terraform: { backend: Record<string, unknown> } } };
}

/** The block of `type` at the primary site (default provider) or the dr site (provider aws.dr). */
function atSite(tf: TerraformJson, type: string, site: "primary" | "dr"): Record<string, any> {
  const blocks = resources(tf, type).filter((block) => (site === "dr") === (block.provider === "aws.dr"));
  expect(blocks).toHaveLength(1);
  return blocks[0];
}

describe("state bootstrap stack", () => {
  const { json, tf } = synthBootstrap();
  const keyArn = referenceTo(tf, "aws_kms_key", (key) => key.provider === undefined, "arn");
  const drKeyArn = referenceTo(tf, "aws_kms_key", (key) => key.provider === "aws.dr", "arn");
  const bucketArn = referenceTo(tf, "aws_s3_bucket", (bucket) => bucket.provider === undefined, "arn");
  const drBucketArn = referenceTo(tf, "aws_s3_bucket", (bucket) => bucket.provider === "aws.dr", "arn");

  test("keeps its own state locally until it is migrated, then in the bucket it created", () => {
    expect(Object.keys(tf.terraform.backend)).toEqual(["local"]);
    const migrated = synthBootstrap({}, { backend: "s3" }).tf.terraform.backend;
    expect(migrated.s3).toMatchObject({ bucket: "siros-terraform-state", key: "siros/shared/state-bootstrap/terraform.tfstate", encrypt: true });
  });

  test("the bucket is versioned, KMS-encrypted with a rotating key, and cannot be destroyed", () => {
    expect(json).toHaveResourceWithProperties(S3Bucket, { bucket: "siros-terraform-state", force_destroy: false, lifecycle: { prevent_destroy: true } });
    expect(json).toHaveResourceWithProperties(S3BucketVersioningA, { versioning_configuration: { status: "Enabled" } });
    expect(json).toHaveResourceWithProperties(KmsKey, { enable_key_rotation: true, lifecycle: { prevent_destroy: true } });
    const encryption = atSite(tf, "aws_s3_bucket_server_side_encryption_configuration", "primary");
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
    const policy = atSite(tf, "aws_s3_bucket_policy", "primary");
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
    const rule = (t: TerraformJson) => atSite(t, "aws_s3_bucket_lifecycle_configuration", "primary").rule[0];
    expect(json).toHaveResourceWithProperties(S3BucketLifecycleConfiguration, {});
    expect(rule(tf)).toMatchObject({ status: "Enabled", noncurrent_version_expiration: [{ noncurrent_days: 90 }] });
    const custom = synthBootstrap({ SIROS_STATE_NONCURRENT_DAYS: "30" }).tf;
    expect(rule(custom).noncurrent_version_expiration).toEqual([{ noncurrent_days: 30 }]);
  });

  test("logs bucket access only when a log bucket is configured, per site", () => {
    expect(resources(tf, "aws_s3_bucket_logging")).toEqual([]);
    const logged = synthBootstrap({ SIROS_STATE_ACCESS_LOG_BUCKET: "siros-access-logs" });
    expect(logged.json).toHaveResourceWithProperties(S3BucketLoggingA, { target_bucket: "siros-access-logs" });
    expect(resources(logged.tf, "aws_s3_bucket_logging")).toHaveLength(1);
    const both = synthBootstrap({ SIROS_STATE_ACCESS_LOG_BUCKET: "siros-access-logs", SIROS_STATE_DR_ACCESS_LOG_BUCKET: "siros-access-logs-dr" }).tf;
    expect(atSite(both, "aws_s3_bucket_logging", "dr")).toMatchObject({ target_bucket: "siros-access-logs-dr", target_prefix: "siros-terraform-state-dr/" });
  });

  test("the lock table is keyed by LockID, on demand, recoverable, encrypted and protected", () => {
    expect(atSite(tf, "aws_dynamodb_table", "primary")).toMatchObject({
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

  test("creates exactly the buckets and tables that every stack's backend points at, at both sites", () => {
    const env = {
      SIROS_STATE_BUCKET: "acme-tf-state",
      SIROS_STATE_LOCK_TABLE: "acme-tf-locks",
      SIROS_STATE_REGION: "us-east-2",
      SIROS_STATE_DR_BUCKET: "acme-tf-state-dr",
      SIROS_STATE_DR_LOCK_TABLE: "acme-tf-locks-dr",
      SIROS_STATE_DR_REGION: "us-west-2",
    };
    const bootstrap = synthBootstrap(env).tf;
    const [primaryProvider, drProvider] = bootstrap.provider.aws;
    for (const [env_, site, provider] of [["prod", "primary", primaryProvider], ["dr", "dr", drProvider]] as const) {
      const backend = synthStack("azure", env_, resolveStateSettings(env)).tf.terraform.backend.s3;
      expect(atSite(bootstrap, "aws_s3_bucket", site).bucket).toBe(backend.bucket);
      expect(atSite(bootstrap, "aws_dynamodb_table", site).name).toBe(backend.dynamodb_table);
      expect(provider.region).toBe(backend.region);
    }
    expect(drProvider.alias).toBe("dr");
    expect(primaryProvider).not.toHaveProperty("alias");
  });

  test("builds the dr site in the dr region: every dr resource through the provider aliased dr, none of the primary's", () => {
    expect(tf.provider.aws.map((p) => [p.alias, p.region])).toEqual([
      [undefined, "eu-west-1"],
      ["dr", "eu-central-1"],
    ]);
    const siteTypes = [
      "aws_kms_key",
      "aws_kms_alias",
      "aws_s3_bucket",
      "aws_s3_bucket_versioning",
      "aws_s3_bucket_server_side_encryption_configuration",
      "aws_s3_bucket_public_access_block",
      "aws_s3_bucket_ownership_controls",
      "aws_s3_bucket_policy",
      "aws_s3_bucket_lifecycle_configuration",
      "aws_dynamodb_table",
    ];
    for (const type of siteTypes) {
      expect(Object.entries(tf.resource[type]).map(([name, block]) => [name, block.provider])).toEqual(
        expect.arrayContaining([
          [expect.stringMatching(/^dr-/), "aws.dr"],
          [expect.not.stringMatching(/^dr-/), undefined],
        ]),
      );
      expect(Object.keys(tf.resource[type])).toHaveLength(2);
    }
    expect(atSite(tf, "aws_s3_bucket", "dr").bucket).toBe("siros-terraform-state-dr");
    expect(atSite(tf, "aws_dynamodb_table", "dr").name).toBe("siros-terraform-locks-dr");
  });

  test("hardens the dr site exactly like the primary: same settings, its own key in its own region", () => {
    // Each dr block equals the primary's once references to the site's own resources, names and the provider are aligned.
    const normalized = (block: Record<string, any>) =>
      JSON.parse(
        JSON.stringify(block)
          .replace(/\.dr-/g, ".")
          .replace(/siros-terraform-state-dr/g, "siros-terraform-state")
          .replace(/siros-terraform-locks-dr/g, "siros-terraform-locks"),
      );
    const withoutNoise = ({ "//": _meta, provider: _provider, description: _description, ...rest }: Record<string, any>) => rest;
    for (const type of ["aws_kms_key", "aws_kms_alias", "aws_s3_bucket", "aws_s3_bucket_versioning", "aws_s3_bucket_server_side_encryption_configuration", "aws_s3_bucket_public_access_block", "aws_s3_bucket_ownership_controls", "aws_s3_bucket_lifecycle_configuration", "aws_dynamodb_table"]) {
      expect({ type, block: normalized(withoutNoise(atSite(tf, type, "dr"))) }).toEqual({ type, block: withoutNoise(atSite(tf, type, "primary")) });
    }
    expect(atSite(tf, "aws_s3_bucket_server_side_encryption_configuration", "dr").rule[0].apply_server_side_encryption_by_default.kms_master_key_id).toBe(drKeyArn);
    expect(atSite(tf, "aws_dynamodb_table", "dr").server_side_encryption.kms_key_arn).toBe(drKeyArn);
    expect(atSite(tf, "aws_kms_key", "dr")).toMatchObject({ enable_key_rotation: true, deletion_window_in_days: 30, lifecycle: { prevent_destroy: true } });
    // The same TLS-only statement, plus one: only replication writes the replica of prod's state.
    const [primaryPolicy, drPolicy] = (["primary", "dr"] as const).map((site) => JSON.parse(atSite(tf, "aws_s3_bucket_policy", site).policy));
    expect(drPolicy.Statement).toEqual([
      { ...primaryPolicy.Statement[0], Resource: [drBucketArn, `${drBucketArn}/*`] },
      {
        Sid: "DenyWritesToReplicas",
        Effect: "Deny",
        Principal: "*",
        Action: ["s3:PutObject", "s3:DeleteObject", "s3:DeleteObjectVersion"],
        Resource: [`${drBucketArn}/siros/prod/*`],
      },
    ]);
    expect(primaryPolicy.Statement).toHaveLength(1);
    expect(atSite(tf, "aws_s3_bucket_policy", "dr").depends_on).toEqual(["aws_s3_bucket_public_access_block.dr-state-public-access"]);
  });

  test("replicates prod's state, and only prod's, to the dr bucket, re-encrypted with the dr key", () => {
    const [replication] = resources(tf, "aws_s3_bucket_replication_configuration");
    expect(replication.provider).toBeUndefined();
    expect(replication.bucket).toBe(referenceTo(tf, "aws_s3_bucket", (b) => b.provider === undefined, "id"));
    expect(replication.role).toBe(referenceTo(tf, "aws_iam_role", () => true, "arn"));
    expect(replication.depends_on).toEqual(["aws_s3_bucket_versioning.state-versioning", "aws_s3_bucket_versioning.dr-state-versioning"]);
    expect(replication.rule).toEqual([
      {
        id: "replicate-siros-prod",
        status: "Enabled",
        priority: 1,
        filter: { prefix: "siros/prod/" },
        delete_marker_replication: { status: "Enabled" },
        source_selection_criteria: { sse_kms_encrypted_objects: { status: "Enabled" } },
        destination: {
          bucket: drBucketArn,
          storage_class: "STANDARD",
          encryption_configuration: { replica_kms_key_id: drKeyArn },
          replication_time: { status: "Enabled", time: { minutes: 15 } },
          metrics: { status: "Enabled", event_threshold: { minutes: 15 } },
        },
      },
    ]);
  });

  test("the replication role may be assumed only by S3 for the state bucket of this account", () => {
    const [role] = resources(tf, "aws_iam_role");
    expect(role.name).toBe("siros-state-replication");
    expect(JSON.parse(role.assume_role_policy)).toEqual({
      Version: "2012-10-17",
      Statement: [
        {
          Effect: "Allow",
          Principal: { Service: "s3.amazonaws.com" },
          Action: "sts:AssumeRole",
          Condition: { StringEquals: { "aws:SourceAccount": "${data.aws_caller_identity.account.account_id}", "aws:SourceArn": bucketArn } },
        },
      ],
    });
  });

  test("the replication role's policy allows exactly replication of the replicated prefix, through S3 in each region", () => {
    const [policy] = resources(tf, "aws_iam_role_policy");
    expect(policy.role).toBe(referenceTo(tf, "aws_iam_role", () => true, "id"));
    expect(JSON.parse(policy.policy)).toEqual({
      Version: "2012-10-17",
      Statement: [
        { Sid: "ReadReplicationConfiguration", Effect: "Allow", Action: ["s3:GetReplicationConfiguration", "s3:ListBucket"], Resource: [bucketArn] },
        {
          Sid: "ReadSourceVersions",
          Effect: "Allow",
          Action: ["s3:GetObjectVersionForReplication", "s3:GetObjectVersionAcl", "s3:GetObjectVersionTagging"],
          Resource: [`${bucketArn}/siros/prod/*`],
        },
        { Sid: "WriteReplicas", Effect: "Allow", Action: ["s3:ReplicateObject", "s3:ReplicateDelete", "s3:ReplicateTags"], Resource: [`${drBucketArn}/siros/prod/*`] },
        {
          Sid: "DecryptSource",
          Effect: "Allow",
          Action: ["kms:Decrypt"],
          Resource: [keyArn],
          Condition: {
            StringEquals: { "kms:ViaService": "s3.eu-west-1.amazonaws.com" },
            StringLike: { "kms:EncryptionContext:aws:s3:arn": [bucketArn, `${bucketArn}/siros/prod/*`] },
          },
        },
        {
          Sid: "EncryptReplicas",
          Effect: "Allow",
          Action: ["kms:Encrypt"],
          Resource: [drKeyArn],
          Condition: {
            StringEquals: { "kms:ViaService": "s3.eu-central-1.amazonaws.com" },
            StringLike: { "kms:EncryptionContext:aws:s3:arn": [drBucketArn, `${drBucketArn}/siros/prod/*`] },
          },
        },
      ],
    });
  });

  test("replicates the state of exactly the environments a replica reads", () => {
    expect(replicatedStatePrefixes(Object.values(environments))).toEqual(["siros/prod/"]);
    const none = synthBootstrap({}, { replicatedPrefixes: [] }).tf;
    for (const type of ["aws_s3_bucket_replication_configuration", "aws_iam_role", "aws_iam_role_policy"]) expect(none.resource[type]).toBeUndefined();
    expect(resources(none, "aws_s3_bucket")).toHaveLength(2);
  });

  test("dr's remote-state read targets a key the replication rule copies into the bucket it reads", () => {
    const rule = resources(tf, "aws_s3_bucket_replication_configuration")[0].rule[0];
    const read = synthStack("aws", "dr").tf.data!.terraform_remote_state.primary.config;
    expect(read.bucket).toBe(atSite(tf, "aws_s3_bucket", "dr").bucket);
    expect(read.key.startsWith(rule.filter.prefix)).toBe(true);
    expect(read.region).toBe(tf.provider.aws[1].region);
  });

  test.each([
    ["noncurrentVersionDays", "0", "is not a whole number of days of at least 1"],
    ["accessLogBucket", "Logs!", "is not a valid S3 bucket name"],
    ["drAccessLogBucket", "Logs_DR", "is not a valid S3 bucket name"],
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
