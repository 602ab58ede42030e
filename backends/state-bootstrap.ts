import { DataAwsCallerIdentity } from "@cdktf/provider-aws/lib/data-aws-caller-identity";
import { DynamodbTable } from "@cdktf/provider-aws/lib/dynamodb-table";
import { IamRole } from "@cdktf/provider-aws/lib/iam-role";
import { IamRolePolicy } from "@cdktf/provider-aws/lib/iam-role-policy";
import { KmsAlias } from "@cdktf/provider-aws/lib/kms-alias";
import { KmsKey } from "@cdktf/provider-aws/lib/kms-key";
import { AwsProvider } from "@cdktf/provider-aws/lib/provider";
import { S3Bucket } from "@cdktf/provider-aws/lib/s3-bucket";
import { S3BucketLifecycleConfiguration } from "@cdktf/provider-aws/lib/s3-bucket-lifecycle-configuration";
import { S3BucketLoggingA } from "@cdktf/provider-aws/lib/s3-bucket-logging";
import { S3BucketOwnershipControls } from "@cdktf/provider-aws/lib/s3-bucket-ownership-controls";
import { S3BucketPolicy } from "@cdktf/provider-aws/lib/s3-bucket-policy";
import { S3BucketPublicAccessBlock } from "@cdktf/provider-aws/lib/s3-bucket-public-access-block";
import { S3BucketReplicationConfigurationA } from "@cdktf/provider-aws/lib/s3-bucket-replication-configuration";
import { S3BucketServerSideEncryptionConfigurationA } from "@cdktf/provider-aws/lib/s3-bucket-server-side-encryption-configuration";
import { S3BucketVersioningA } from "@cdktf/provider-aws/lib/s3-bucket-versioning";
import { LocalBackend, TerraformOutput, TerraformStack } from "cdktf";
import type { Construct } from "constructs";
import { replicationPolicy } from "../lib/s3-replication";
import { useS3StateBackend } from "./s3-backend";
import { stateKey, type StateLocation, type StateSettings } from "./settings";

export const STATE_BOOTSTRAP_STACK = "state-bootstrap";

/**
 * S3 Replication Time Control's only supported threshold: 99.99% of objects replicated
 * within 15 minutes, with CloudWatch metrics (latency, pending operations) to alarm on.
 */
export const REPLICATION_MINUTES = 15;

export interface StateBootstrapProps {
  /** The same settings every stack's backend uses, so the names cannot disagree. */
  readonly settings: StateSettings;
  readonly project: string;
  readonly tags: Readonly<Record<string, string>>;
  /**
   * State key prefixes replicated from the primary site to the dr site, from
   * `replicatedStatePrefixes`: those of the environments a replica reads (`siros/prod/`
   * for dr). Empty: no replication.
   */
  readonly replicatedPrefixes: readonly string[];
  /**
   * Days a state version is kept after a newer one replaces it.
   * @default 90
   */
  readonly noncurrentVersionDays?: number;
  /**
   * Existing bucket, in the primary state region, that receives the primary bucket's access logs.
   * @default - no access logging
   */
  readonly accessLogBucket?: string;
  /**
   * Existing bucket, in the dr state region, that receives the dr bucket's access logs.
   * @default - no access logging
   */
  readonly drAccessLogBucket?: string;
  /**
   * Where this stack keeps its own state. `local` the first time (the bucket does not exist
   * yet); `s3` once the bucket exists and `terraform init -migrate-state` has moved it there.
   * @default "local"
   */
  readonly backend?: "local" | "s3";
}

/** What one site of state is made of. */
export interface StateSiteResources {
  readonly key: KmsKey;
  readonly bucket: S3Bucket;
  readonly versioning: S3BucketVersioningA;
  readonly lockTable: DynamodbTable;
}

interface StateSiteProps {
  /** Prefix of every logical id: "" keeps the primary site's ids as they were before the dr site. */
  readonly idPrefix: string;
  readonly location: StateLocation;
  readonly provider?: AwsProvider;
  readonly noncurrentVersionDays: number;
  readonly accessLogBucket?: string;
  readonly purpose: string;
  /**
   * Prefixes only S3 replication writes (the replica of prod's state): the bucket policy
   * denies every principal PutObject and DeleteObject there. Replication itself uses
   * s3:ReplicateObject / s3:ReplicateDelete and is not affected.
   */
  readonly replicaPrefixes?: readonly string[];
}

/**
 * Creates what the S3 backend needs at both sites, hardened the way Terragrunt does it: per
 * site a versioned bucket encrypted with a rotating customer-managed key of its region, every
 * public-access block on, ACLs disabled, TLS-only access, old state versions expired; and a
 * DynamoDB lock table with on-demand billing, point-in-time recovery, encryption and
 * deletion protection. The primary site lives in the primary region (default provider), the
 * dr site in the dr region (the provider aliased `dr`). The primary environments' state that
 * replicas read is replicated to the dr site. Buckets, keys and tables refuse `destroy`.
 */
export class StateBootstrapStack extends TerraformStack {
  readonly primary: StateSiteResources;
  readonly dr: StateSiteResources;

  constructor(scope: Construct, props: StateBootstrapProps) {
    super(scope, STATE_BOOTSTRAP_STACK);
    const { settings, tags } = props;
    if (props.backend === "s3") {
      useS3StateBackend(this, { settings, key: stateKey(props.project, "shared", STATE_BOOTSTRAP_STACK) });
    } else {
      new LocalBackend(this);
    }
    const defaultTags = [{ tags: { ...tags } }];
    new AwsProvider(this, "aws", { region: settings.region, defaultTags });
    const drProvider = new AwsProvider(this, "aws-dr", { alias: "dr", region: settings.dr.region, defaultTags });
    const noncurrentVersionDays = props.noncurrentVersionDays ?? 90;

    this.primary = stateSite(this, {
      idPrefix: "",
      location: settings,
      noncurrentVersionDays,
      accessLogBucket: props.accessLogBucket,
      purpose: `Encrypts Terraform state in ${settings.bucket} and locks in ${settings.lockTable}`,
    });
    this.dr = stateSite(this, {
      idPrefix: "dr-",
      location: settings.dr,
      provider: drProvider,
      noncurrentVersionDays,
      accessLogBucket: props.drAccessLogBucket,
      purpose: `Encrypts Terraform state and the replica of the primary's state in ${settings.dr.bucket}, and locks in ${settings.dr.lockTable}`,
      replicaPrefixes: props.replicatedPrefixes,
    });

    if (props.replicatedPrefixes.length > 0) this.replicate(props.project, settings, props.replicatedPrefixes);

    new TerraformOutput(this, "state_bucket", { value: this.primary.bucket.bucket });
    new TerraformOutput(this, "lock_table", { value: this.primary.lockTable.name });
    new TerraformOutput(this, "state_key_arn", { value: this.primary.key.arn });
    new TerraformOutput(this, "dr_state_bucket", { value: this.dr.bucket.bucket });
    new TerraformOutput(this, "dr_lock_table", { value: this.dr.lockTable.name });
    new TerraformOutput(this, "dr_state_key_arn", { value: this.dr.key.arn });
  }

  /**
   * Live replication of the given state prefixes from the primary bucket to the dr bucket,
   * same keys, re-encrypted there with the dr site's key:
   * - SSE-KMS objects are selected explicitly (S3 skips them otherwise);
   * - delete markers are replicated, so a lock file Terraform deletes (use_lockfile) does not
   *   linger in the replica; deletions of a version are never replicated by S3, so versioning
   *   keeps every replicated state version recoverable for the noncurrent-version period;
   * - Replication Time Control with its metrics bounds how stale dr's view of prod can be
   *   (15 minutes, 99.99%) and makes lag visible; for state files of a few KB its cost is negligible.
   */
  private replicate(project: string, settings: StateSettings, prefixes: readonly string[]): void {
    const source = this.primary;
    const destination = this.dr;
    const account = new DataAwsCallerIdentity(this, "account");
    const role = new IamRole(this, "replication-role", {
      name: `${project}-state-replication`,
      description: `S3 replicates ${prefixes.join(", ")} from ${settings.bucket} to ${settings.dr.bucket}`,
      assumeRolePolicy: JSON.stringify({
        Version: "2012-10-17",
        Statement: [
          {
            Effect: "Allow",
            Principal: { Service: "s3.amazonaws.com" },
            Action: "sts:AssumeRole",
            // Only S3 acting for the state bucket of this account may use the role (confused deputy).
            Condition: { StringEquals: { "aws:SourceAccount": account.accountId, "aws:SourceArn": source.bucket.arn } },
          },
        ],
      }),
    });
    new IamRolePolicy(this, "replication-policy", {
      name: "replicate-state-to-dr-site",
      role: role.id,
      policy: replicationPolicy({
        source: { bucketArn: source.bucket.arn, keyArn: source.key.arn, region: settings.region },
        destination: { bucketArn: destination.bucket.arn, keyArn: destination.key.arn, region: settings.dr.region },
        prefixes,
      }),
    });
    new S3BucketReplicationConfigurationA(this, "state-replication", {
      bucket: source.bucket.id,
      role: role.arn,
      rule: prefixes.map((prefix, index) => ({
        id: `replicate-${prefix.replace(/\/$/, "").replace(/\//g, "-")}`,
        status: "Enabled",
        // Rules with filters need distinct priorities; prefixes of environments never overlap.
        priority: index + 1,
        filter: { prefix },
        deleteMarkerReplication: { status: "Enabled" },
        sourceSelectionCriteria: { sseKmsEncryptedObjects: { status: "Enabled" } },
        destination: {
          bucket: destination.bucket.arn,
          storageClass: "STANDARD",
          encryptionConfiguration: { replicaKmsKeyId: destination.key.arn },
          replicationTime: { status: "Enabled", time: { minutes: REPLICATION_MINUTES } },
          metrics: { status: "Enabled", eventThreshold: { minutes: REPLICATION_MINUTES } },
        },
      })),
      // S3 refuses a replication configuration until versioning is on at both ends.
      dependsOn: [source.versioning, destination.versioning],
    });
  }
}

/** One site: a hardened bucket and lock table under a rotating key of the site's region. */
function stateSite(stack: TerraformStack, props: StateSiteProps): StateSiteResources {
  const { idPrefix: p, location, provider } = props;
  const keep = { preventDestroy: true };

  const key = new KmsKey(stack, `${p}state-key`, {
    provider,
    description: props.purpose,
    enableKeyRotation: true,
    deletionWindowInDays: 30,
    lifecycle: keep,
  });
  new KmsAlias(stack, `${p}state-key-alias`, { provider, name: `alias/${location.bucket}`, targetKeyId: key.keyId });

  const stateBucket = new S3Bucket(stack, `${p}state-bucket`, { provider, bucket: location.bucket, forceDestroy: false, lifecycle: keep });
  const bucket = stateBucket.id;
  const versioning = new S3BucketVersioningA(stack, `${p}state-versioning`, { provider, bucket, versioningConfiguration: { status: "Enabled" } });
  new S3BucketServerSideEncryptionConfigurationA(stack, `${p}state-encryption`, {
    provider,
    bucket,
    rule: [{ applyServerSideEncryptionByDefault: { sseAlgorithm: "aws:kms", kmsMasterKeyId: key.arn }, bucketKeyEnabled: true }],
  });
  const publicAccess = new S3BucketPublicAccessBlock(stack, `${p}state-public-access`, {
    provider,
    bucket,
    blockPublicAcls: true,
    blockPublicPolicy: true,
    ignorePublicAcls: true,
    restrictPublicBuckets: true,
  });
  new S3BucketOwnershipControls(stack, `${p}state-ownership`, { provider, bucket, rule: { objectOwnership: "BucketOwnerEnforced" } });
  new S3BucketPolicy(stack, `${p}state-tls-only`, {
    provider,
    bucket,
    policy: JSON.stringify({
      Version: "2012-10-17",
      Statement: [
        {
          Sid: "DenyInsecureTransport",
          Effect: "Deny",
          Principal: "*",
          Action: "s3:*",
          Resource: [stateBucket.arn, `${stateBucket.arn}/*`],
          Condition: { Bool: { "aws:SecureTransport": "false" } },
        },
        // A stack pointed at the wrong bucket must not overwrite what dr reads of prod.
        ...(props.replicaPrefixes?.length
          ? [
              {
                Sid: "DenyWritesToReplicas",
                Effect: "Deny",
                Principal: "*",
                Action: ["s3:PutObject", "s3:DeleteObject", "s3:DeleteObjectVersion"],
                Resource: props.replicaPrefixes.map((prefix) => `${stateBucket.arn}/${prefix}*`),
              },
            ]
          : []),
      ],
    }),
    // S3 rejects a policy write racing the public-access block that governs it.
    dependsOn: [publicAccess],
  });
  new S3BucketLifecycleConfiguration(stack, `${p}state-lifecycle`, {
    provider,
    bucket,
    rule: [
      {
        id: "expire-noncurrent-state",
        status: "Enabled",
        filter: [{ prefix: "" }],
        noncurrentVersionExpiration: [{ noncurrentDays: props.noncurrentVersionDays }],
        abortIncompleteMultipartUpload: [{ daysAfterInitiation: 7 }],
      },
    ],
  });
  if (props.accessLogBucket) {
    new S3BucketLoggingA(stack, `${p}state-access-logs`, { provider, bucket, targetBucket: props.accessLogBucket, targetPrefix: `${location.bucket}/` });
  }

  const lockTable = new DynamodbTable(stack, `${p}lock-table`, {
    provider,
    name: location.lockTable,
    billingMode: "PAY_PER_REQUEST",
    hashKey: "LockID",
    attribute: [{ name: "LockID", type: "S" }],
    pointInTimeRecovery: { enabled: true },
    serverSideEncryption: { enabled: true, kmsKeyArn: key.arn },
    deletionProtectionEnabled: true,
    lifecycle: keep,
  });
  return { key, bucket: stateBucket, versioning, lockTable };
}

export { replicationPolicy } from "../lib/s3-replication";
