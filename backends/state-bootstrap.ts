import { DynamodbTable } from "@cdktf/provider-aws/lib/dynamodb-table";
import { KmsAlias } from "@cdktf/provider-aws/lib/kms-alias";
import { KmsKey } from "@cdktf/provider-aws/lib/kms-key";
import { AwsProvider } from "@cdktf/provider-aws/lib/provider";
import { S3Bucket } from "@cdktf/provider-aws/lib/s3-bucket";
import { S3BucketLifecycleConfiguration } from "@cdktf/provider-aws/lib/s3-bucket-lifecycle-configuration";
import { S3BucketLoggingA } from "@cdktf/provider-aws/lib/s3-bucket-logging";
import { S3BucketOwnershipControls } from "@cdktf/provider-aws/lib/s3-bucket-ownership-controls";
import { S3BucketPolicy } from "@cdktf/provider-aws/lib/s3-bucket-policy";
import { S3BucketPublicAccessBlock } from "@cdktf/provider-aws/lib/s3-bucket-public-access-block";
import { S3BucketServerSideEncryptionConfigurationA } from "@cdktf/provider-aws/lib/s3-bucket-server-side-encryption-configuration";
import { S3BucketVersioningA } from "@cdktf/provider-aws/lib/s3-bucket-versioning";
import { LocalBackend, TerraformOutput, TerraformStack } from "cdktf";
import type { Construct } from "constructs";
import { useS3StateBackend } from "./s3-backend";
import { stateKey, type StateSettings } from "./settings";

export const STATE_BOOTSTRAP_STACK = "state-bootstrap";

export interface StateBootstrapProps {
  /** The same settings every stack's backend uses, so the names cannot disagree. */
  readonly settings: StateSettings;
  readonly project: string;
  readonly tags: Readonly<Record<string, string>>;
  /**
   * Days a state version is kept after a newer one replaces it.
   * @default 90
   */
  readonly noncurrentVersionDays?: number;
  /**
   * Existing bucket that receives the state bucket's server access logs.
   * @default - no access logging
   */
  readonly accessLogBucket?: string;
  /**
   * Where this stack keeps its own state. `local` the first time (the bucket does not exist
   * yet); `s3` once the bucket exists and `terraform init -migrate-state` has moved it there.
   * @default "local"
   */
  readonly backend?: "local" | "s3";
}

/**
 * Creates what the S3 backend needs, hardened the way Terragrunt does it: a versioned bucket
 * encrypted with a rotating customer-managed key, every public-access block on, ACLs disabled,
 * TLS-only access, old state versions expired; and the DynamoDB lock table with on-demand
 * billing, point-in-time recovery, encryption and deletion protection. Both refuse `destroy`.
 */
export class StateBootstrapStack extends TerraformStack {
  readonly bucket: S3Bucket;
  readonly lockTable: DynamodbTable;
  readonly key: KmsKey;

  constructor(scope: Construct, props: StateBootstrapProps) {
    super(scope, STATE_BOOTSTRAP_STACK);
    const { settings, tags } = props;
    if (props.backend === "s3") {
      useS3StateBackend(this, { settings, key: stateKey(props.project, "shared", STATE_BOOTSTRAP_STACK) });
    } else {
      new LocalBackend(this);
    }
    new AwsProvider(this, "aws", { region: settings.region, defaultTags: [{ tags: { ...tags } }] });
    const keep = { preventDestroy: true };

    this.key = new KmsKey(this, "state-key", {
      description: `Encrypts Terraform state in ${settings.bucket} and locks in ${settings.lockTable}`,
      enableKeyRotation: true,
      deletionWindowInDays: 30,
      lifecycle: keep,
    });
    new KmsAlias(this, "state-key-alias", { name: `alias/${settings.bucket}`, targetKeyId: this.key.keyId });

    this.bucket = new S3Bucket(this, "state-bucket", { bucket: settings.bucket, forceDestroy: false, lifecycle: keep });
    const bucket = this.bucket.id;
    new S3BucketVersioningA(this, "state-versioning", { bucket, versioningConfiguration: { status: "Enabled" } });
    new S3BucketServerSideEncryptionConfigurationA(this, "state-encryption", {
      bucket,
      rule: [{ applyServerSideEncryptionByDefault: { sseAlgorithm: "aws:kms", kmsMasterKeyId: this.key.arn }, bucketKeyEnabled: true }],
    });
    const publicAccess = new S3BucketPublicAccessBlock(this, "state-public-access", {
      bucket,
      blockPublicAcls: true,
      blockPublicPolicy: true,
      ignorePublicAcls: true,
      restrictPublicBuckets: true,
    });
    new S3BucketOwnershipControls(this, "state-ownership", { bucket, rule: { objectOwnership: "BucketOwnerEnforced" } });
    new S3BucketPolicy(this, "state-tls-only", {
      bucket,
      policy: JSON.stringify({
        Version: "2012-10-17",
        Statement: [
          {
            Sid: "DenyInsecureTransport",
            Effect: "Deny",
            Principal: "*",
            Action: "s3:*",
            Resource: [this.bucket.arn, `${this.bucket.arn}/*`],
            Condition: { Bool: { "aws:SecureTransport": "false" } },
          },
        ],
      }),
      // S3 rejects a policy write racing the public-access block that governs it.
      dependsOn: [publicAccess],
    });
    new S3BucketLifecycleConfiguration(this, "state-lifecycle", {
      bucket,
      rule: [
        {
          id: "expire-noncurrent-state",
          status: "Enabled",
          filter: [{ prefix: "" }],
          noncurrentVersionExpiration: [{ noncurrentDays: props.noncurrentVersionDays ?? 90 }],
          abortIncompleteMultipartUpload: [{ daysAfterInitiation: 7 }],
        },
      ],
    });
    if (props.accessLogBucket) {
      new S3BucketLoggingA(this, "state-access-logs", { bucket, targetBucket: props.accessLogBucket, targetPrefix: `${settings.bucket}/` });
    }

    this.lockTable = new DynamodbTable(this, "lock-table", {
      name: settings.lockTable,
      billingMode: "PAY_PER_REQUEST",
      hashKey: "LockID",
      attribute: [{ name: "LockID", type: "S" }],
      pointInTimeRecovery: { enabled: true },
      serverSideEncryption: { enabled: true, kmsKeyArn: this.key.arn },
      deletionProtectionEnabled: true,
      lifecycle: keep,
    });

    new TerraformOutput(this, "state_bucket", { value: this.bucket.bucket });
    new TerraformOutput(this, "lock_table", { value: this.lockTable.name });
    new TerraformOutput(this, "state_key_arn", { value: this.key.arn });
  }
}
